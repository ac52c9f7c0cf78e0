"""The users module."""

from __future__ import annotations

from examples.app.jobs_module import jobs_module
from examples.app.settings import AppSettings, config_module
from examples.app.users.crm import CrmClient
from examples.app.users.jobs import sync_user_to_crm_job
from examples.app.users.repository import UserRepository
from examples.app.users.service import UserService
from glasswork import Config, Provider, define_module


def make_crm_client(config: Config[AppSettings]) -> CrmClient:
    """The CRM client, with the outages the settings ask for (none in production)."""
    return CrmClient(outages=config.settings.crm_outages)


users_module = define_module(
    "users",
    imports=[config_module, jobs_module],
    providers=[
        UserRepository,
        UserService,
        Provider(provide="crm_client", use_factory=make_crm_client),
    ],
    exports=[UserService, UserRepository, "crm_client"],
    jobs=[sync_user_to_crm_job],
)
