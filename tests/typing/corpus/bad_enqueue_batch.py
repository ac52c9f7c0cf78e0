"""``enqueue_batch`` checks each payload against its job, as ``enqueue`` does."""

from emails import (
    LoginCodeContext,
    LoginCodeEmail,
    WelcomeContext,
    WelcomeEmail,
    WelcomeGettingStartedItem,
    WelcomeUser,
    send_email,
)
from pydantic import BaseModel

from glasswork import JobContext, JobService, MockQueueDriver, define_job


class ResizeImage(BaseModel):
    url: str


def resize(payload: ResizeImage, ctx: JobContext) -> None:
    print(payload.url, ctx)


resize_image = define_job("resize-image", resize, schema=ResizeImage)
jobs = JobService(MockQueueDriver())
image = ResizeImage(url="https://cdn.example.com/a.png")
login = LoginCodeContext(code="1", valid_minutes="5")
login_email = LoginCodeEmail(to="ann@example.com", context=login)
welcome = WelcomeEmail(
    to="ann@example.com",
    context=WelcomeContext(
        user=WelcomeUser(first_name="Ann"),
        dashboard_url="https://app.example",
        getting_started=[WelcomeGettingStartedItem(title="Invite", url="https://app.example/i")],
    ),
)
welcome_or_image: WelcomeEmail | ResizeImage = image

jobs.enqueue_batch([(send_email, image)])  # expect-error
jobs.enqueue_batch([send_email.batch_item(image)])  # expect-error
jobs.enqueue_batch([resize_image.batch_item(login)])  # expect-error
jobs.enqueue_batch([(send_email, welcome), (resize_image, login)])  # expect-error
jobs.enqueue_batch([(send_email, welcome_or_image)])  # expect-error
jobs.enqueue_batch(
    [
        (send_email, login_email),
        (send_email, login),  # expect-error
    ]
)
jobs.enqueue_batch([(send_email, welcome), (resize_image, image)])  # expect-error
jobs.enqueue_batch([("resize-image", image)])  # expect-error
jobs.enqueue_batch([(send_email, ResizeImage(url=url)) for url in ["a", "b"]])  # expect-error
jobs.enqueue_batch((resize_image, login) for _ in range(2))  # expect-error
pairs = [(resize_image, login)]
jobs.enqueue_batch(pairs)  # expect-error
