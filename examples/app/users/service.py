"""Registering users."""

from __future__ import annotations

from examples.app.emails import (
    WelcomeContext,
    WelcomeEmail,
    WelcomeGettingStartedItem,
    WelcomeUser,
    send_email,
)
from examples.app.settings import AppSettings
from examples.app.users.jobs import SyncUserToCrm, sync_user_to_crm_job
from examples.app.users.repository import User, UserRepository
from glasswork import Config, JobService


class UserService:
    """Creates users; welcomes them by email and mirrors them into the CRM in the background."""

    def __init__(
        self, user_repository: UserRepository, job_service: JobService, config: Config[AppSettings]
    ) -> None:
        self.users = user_repository
        self.jobs = job_service
        self.shop_url = config.settings.shop_url

    def register(
        self,
        email: str,
        name: str,
        *,
        beta_tester: bool = False,
        locale: str | None = None,
        time_zone: str = "UTC",
    ) -> User:
        """Store the user and enqueue the welcome email (in their locale) and the CRM sync."""
        user = self.users.add(email, name, locale=locale, time_zone=time_zone)
        welcome = WelcomeEmail(
            to=user.email,
            context=WelcomeContext(
                user=WelcomeUser(first_name=name.split()[0], is_beta_tester=beta_tester),
                product_name="Glasswork Shop",
                trial_days=14,
                dashboard_url=f"{self.shop_url}/account",
                getting_started=[
                    WelcomeGettingStartedItem(
                        title="Browse the catalogue", url=f"{self.shop_url}/c"
                    ),
                    WelcomeGettingStartedItem(
                        title="Set up your profile", url=f"{self.shop_url}/me"
                    ),
                ],
            ),
            unsubscribe_url=f"{self.shop_url}/unsubscribe?user={user.id}",
            locale=user.locale,
        )
        self.jobs.enqueue(send_email, welcome)
        self.jobs.enqueue(
            sync_user_to_crm_job, SyncUserToCrm(user_id=user.id, email=user.email, name=user.name)
        )
        return user
