"""Correct ``enqueue_batch`` calls: ``batch_item`` mixes and ``(job, payload)`` pairs."""

from typing import Any

from emails import (
    AnyEmail,
    LoginCodeContext,
    LoginCodeEmail,
    WelcomeContext,
    WelcomeEmail,
    WelcomeGettingStartedItem,
    WelcomeUser,
    send_email,
)
from pydantic import BaseModel

from glasswork import (
    EnqueueResult,
    JobContext,
    JobDefinition,
    JobService,
    MockQueueDriver,
    define_job,
)


class ResizeImage(BaseModel):
    url: str


def resize(payload: ResizeImage, ctx: JobContext) -> None:
    print(payload.url, ctx)


resize_image = define_job("resize-image", resize, schema=ResizeImage)
jobs = JobService(MockQueueDriver())
image = ResizeImage(url="https://cdn.example.com/a.png")
login_email = LoginCodeEmail(
    to="ann@example.com", context=LoginCodeContext(code="1", valid_minutes="5")
)
welcome = WelcomeEmail(
    to="ann@example.com",
    context=WelcomeContext(
        user=WelcomeUser(first_name="Ann"),
        dashboard_url="https://app.example",
        getting_started=[WelcomeGettingStartedItem(title="Invite", url="https://app.example/i")],
    ),
)
any_email: AnyEmail = welcome

mixed: list[EnqueueResult] = jobs.enqueue_batch(
    [send_email.batch_item(welcome), resize_image.batch_item(image)]
)
images = jobs.enqueue_batch([(resize_image, image), (resize_image, image)])
emails = jobs.enqueue_batch([(send_email, welcome), (send_email, welcome)])
union = jobs.enqueue_batch([(send_email, any_email)])
as_tuple = jobs.enqueue_batch(((resize_image, image),))
built = jobs.enqueue_batch([(resize_image, ResizeImage(url=url)) for url in ["a", "b"]])
members = jobs.enqueue_batch(
    [(send_email, welcome), (send_email, login_email)]
)  # needs-mypy-plugin
print(len(mixed), images, emails, union, as_tuple, built, members)
untyped: JobDefinition[Any] = resize_image
loose = jobs.enqueue_batch([(untyped, image), (resize_image, image)])
nothing = jobs.enqueue_batch([])
print(loose, nothing)
welcomes = jobs.enqueue_batch((send_email, welcome) for _ in range(2))
some_pairs = [(resize_image, image)]
from_variable = jobs.enqueue_batch(some_pairs)
print(welcomes, from_variable, jobs.enqueue(untyped, image), jobs.enqueue(resize_image, image))
