"""``enqueue_batch`` checks each payload against its job, as ``enqueue`` does."""

from emails import LoginCodeContext, send_email
from pydantic import BaseModel

from glasswork import JobContext, JobService, MockQueueDriver, define_job


class ResizeImage(BaseModel):
    url: str


def resize(payload: ResizeImage, ctx: JobContext) -> None:
    print(payload.url, ctx)


resize_image = define_job("resize-image", resize, schema=ResizeImage)
jobs = JobService(MockQueueDriver())
image = ResizeImage(url="https://cdn.example.com/a.png")
jobs.enqueue_batch([(send_email, image)])  # expect-error
jobs.enqueue_batch([send_email.batch_item(image)])  # expect-error
login = LoginCodeContext(code="1", valid_minutes="5")
jobs.enqueue_batch([resize_image.batch_item(login)])  # expect-error
