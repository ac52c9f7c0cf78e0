"""The real ``JobService`` takes the generated payload models, checked by both checkers."""

from datetime import UTC, datetime

from emails import WelcomeContext, WelcomeEmail, WelcomeGettingStartedItem, WelcomeUser, send_email
from pydantic import BaseModel

from glasswork import EnqueueResult, JobContext, JobService, MockQueueDriver, define_job

jobs = JobService(MockQueueDriver())
context = WelcomeContext(
    user=WelcomeUser(first_name="Ann"),
    dashboard_url="https://app.example",
    getting_started=[WelcomeGettingStartedItem(title="Invite", url="https://app.example/i")],
)
welcome = WelcomeEmail(to="ann@example.com", context=context)
now: EnqueueResult = jobs.enqueue(send_email, welcome)
later: EnqueueResult = jobs.enqueue_in(send_email, welcome, "10m")
at: EnqueueResult = jobs.enqueue_at(send_email, welcome, datetime(2030, 1, 1, tzinfo=UTC))
print(now.job_id, later.job_id, at.job_id)


class ResizeImage(BaseModel):
    url: str


def resize(payload: ResizeImage, ctx: JobContext) -> None:
    print(payload.url, ctx)


resize_image = define_job("resize-image", resize, schema=ResizeImage)
batch: list[EnqueueResult] = jobs.enqueue_batch(
    [send_email.batch_item(welcome), resize_image.batch_item(ResizeImage(url="https://x/1.png"))]
)
pairs: list[EnqueueResult] = jobs.enqueue_batch([(send_email, welcome), (send_email, welcome)])
print(len(batch), len(pairs))
