"""The context of another template is rejected by both checkers."""

from typing import TypeVar

from emails import LoginCodeContext, WelcomeEmail, send_email, templates

from glasswork.jobs.definition import JobDefinition

P = TypeVar("P")


def enqueue(job: JobDefinition[P], payload: P) -> None:
    """The shape of ``JobService.enqueue``."""


login = LoginCodeContext(code="123456", valid_minutes="5")
WelcomeEmail(to="ann@example.com", context=login)  # expect-error
templates.welcome.render(login)  # expect-error
enqueue(send_email, login)  # expect-error
