"""The worker's cold start imports what every invocation needs, and the rare paths on first use.

``benchmarks/cold_start.py`` times it; these tests pin down which modules stay off the import
path of ``examples.app.worker`` (a worker that sends email), and that each rare path still
works when its first record arrives in a fresh process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BOUNCE = ROOT / "tests" / "email" / "events" / "fixtures" / "bounce.json"

RARE_PATH_MODULES = (
    # SES event models: only a worker that receives an SES event builds them.
    "glasswork_email.events.models",
    "glasswork_email.events.details",
    "glasswork_email.events.mail",
    "glasswork_email.events.parsing",
    "glasswork_email.events.suppressing",
    # The IDNA codec: only a non-ASCII domain needs it.
    "encodings.idna",
    # Batch enqueueing and the in-memory test driver: used on demand, never by the import.
    "glasswork.jobs.batch_item",
    "glasswork.jobs.drivers.mock",
    # Metrics, off by default: then free, not even imported.
    "glasswork.worker.metrics",
    # Failures: settling them (retry backoff, dead letters) loads with the first failed record.
    "glasswork.worker.settlement",
    "glasswork.worker.retry",
    "glasswork.worker.dead_letter",
    # Direct invocations (periodic jobs, EventBridge): loaded with the first one.
    "glasswork.worker.direct",
    # Message adapters' result type: only a foreign message (an SES event) needs it.
    "glasswork.jobs.message_adapter",
    # Enqueueing (the outgoing message, queue URLs, delays): loaded with the first enqueue.
    "glasswork.jobs.drivers.base",
    "glasswork.jobs.drivers.queue_address",
    "glasswork.jobs.delay",
    # EventBridge Scheduler: only a delay over 15 minutes (or on a FIFO queue) needs it.
    "glasswork.jobs.drivers.scheduler",
    # Signed unsubscribe links: only an app that configures them imports them.
    "glasswork_email.unsubscribe",
    # The transient bounce policy and the email module helper: SES events and apps that use it.
    "glasswork_email.events.bounce_policy",
    "glasswork_email.module",
    # The re-export of glasswork's idempotency protocol; the email job imports it from there.
    "glasswork_email.idempotency.base",
    # Where compiled catalogs live: only an email in another language than the default reads one.
    "glasswork_email.i18n.paths",
    # Tracing, only with OpenTelemetry (tests/worker/test_worker_tracing.py runs it fresh).
    "glasswork.tracing",
    # The SES transport's rate limiter, only with max_send_rate.
    "glasswork_email.transports.rate_limit",
    # pydantic-settings: the example reads its plain settings with Config.from_environment.
    "pydantic_settings",
)

DEAD_LETTER_QUEUE_URL = "https://sqs.us-east-1.amazonaws.com/123456789012/jobs-dlq"


def run_fresh(script: str) -> list[str]:
    """Run ``script`` in a fresh interpreter at the repository root; its output lines."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_ENDPOINT_URL")}
    env.update(
        AWS_DEFAULT_REGION="us-east-1",
        AWS_ACCESS_KEY_ID="cold-start",
        AWS_SECRET_ACCESS_KEY="cold-start",
        JOB_QUEUE_URL="https://sqs.us-east-1.amazonaws.com/123456789012/jobs",
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_the_example_worker_imports_no_rare_path_module() -> None:
    script = (
        "import json, sys\n"
        "import examples.app.worker\n"
        f"print(json.dumps([m for m in {RARE_PATH_MODULES!r} if m in sys.modules]))\n"
    )
    [loaded] = run_fresh(script)
    assert json.loads(loaded) == []


def test_the_first_ses_event_of_a_fresh_worker_loads_the_models_and_suppresses() -> None:
    event = json.loads(BOUNCE.read_text())
    envelope = {"Type": "Notification", "MessageId": "sns-1", "Message": json.dumps(event)}
    script = (
        "import json, sys\n"
        "from examples.app.worker import handler\n"
        "from glasswork.testing import make_sqs_event\n"
        f"envelope = json.loads({json.dumps(envelope)!r})\n"
        "print('glasswork_email.events.models' in sys.modules)\n"
        "print(json.dumps(handler(make_sqs_event(envelope))))\n"
        "print('glasswork_email.events.models' in sys.modules)\n"
        "store = handler.container.get('suppression_store')\n"
        "print(sorted(store.find(['recipient@example.com'])))\n"
    )
    before, response, after, suppressed = run_fresh(script)
    assert before == "False"
    assert json.loads(response) == {"batchItemFailures": []}
    assert after == "True"
    assert suppressed == "['recipient@example.com']"


def _failing_batch() -> str:
    """A batch of a poison body and a CRM sync that fails while the CRM is out, as JSON."""
    from examples.app.users.jobs import SyncUserToCrm, sync_user_to_crm_job
    from glasswork.testing.events import job_message, make_sqs_event

    sync = job_message(
        sync_user_to_crm_job, SyncUserToCrm(user_id="user-1", email="a@example.org", name="Ada")
    )
    return json.dumps(make_sqs_event("not json", sync))


# An SQS client that records what the worker asks of it (passed as bootstrap_worker's
# sqs_client): retries and dead letters call SQS, and this test must not reach AWS.
_RECORDING_SQS_CLIENT = """
class RecordingSQSClient:
    def __init__(self):
        self.calls = []

    def change_message_visibility(self, **request):
        self.calls.append(["postpone", request["VisibilityTimeout"]])

    def send_message(self, **request):
        reason = request["MessageAttributes"]["DeadLetterReason"]["StringValue"]
        self.calls.append(["dead_letter", request["QueueUrl"], reason])
        return {"MessageId": "dead-1"}

    def get_queue_url(self, **request):
        return {"QueueUrl": "https://sqs.example/" + request["QueueName"]}
"""


def test_the_first_failures_of_a_fresh_worker_are_retried_and_dead_lettered() -> None:
    script = (
        "import json, os, sys\n"
        "os.environ['CRM_OUTAGES'] = '1'\n"
        f"{_RECORDING_SQS_CLIENT}\n"
        "from examples.app.app_module import AppModule\n"
        "from glasswork import bootstrap_worker\n"
        "client = RecordingSQSClient()\n"
        "handler = bootstrap_worker(\n"
        f"    AppModule, sqs_client=client, dead_letter_queue_url={DEAD_LETTER_QUEUE_URL!r}\n"
        ")\n"
        "print('glasswork.worker.settlement' in sys.modules)\n"
        f"event = json.loads({_failing_batch()!r})\n"
        "response = handler(event)\n"
        "print(len(response['batchItemFailures']))\n"
        "print(json.dumps(client.calls))\n"
    )
    before, failures, calls = run_fresh(script)
    assert before == "False"
    assert failures == "1"  # the CRM sync comes back; the poison body went to the DLQ
    # The records run at once: their calls come in either order.
    assert sorted(json.loads(calls)) == [
        ["dead_letter", DEAD_LETTER_QUEUE_URL, "invalid_json"],
        ["postpone", 1],
    ]


def test_the_first_direct_invocation_of_a_fresh_worker_runs_its_job() -> None:
    script = (
        "import json, sys\n"
        "from examples.app.worker import handler\n"
        "print('glasswork.worker.direct' in sys.modules)\n"
        "result = handler({'jobName': 'daily-digest', 'jobId': 'digest-1', 'payload': {}})\n"
        "print(json.dumps([result['jobId'], result['outcome']]))\n"
        "inbox = handler.container.get(sys.modules['examples.app.notifications.inbox'].Inbox)\n"
        "print(json.dumps(inbox.messages['staff']))\n"
    )
    before, result, staff = run_fresh(script)
    assert before == "False"
    assert json.loads(result) == ["digest-1", "succeeded"]
    assert json.loads(staff) == ["Daily digest: 0 order(s) so far"]


def test_the_first_enqueues_of_a_fresh_worker_go_to_sqs_and_to_the_scheduler() -> None:
    script = (
        "import json, sys\n"
        "import examples.app.worker\n"
        "from examples.app.notifications.jobs import ReviewReminder, review_reminder_job\n"
        "from glasswork import JobService, SchedulerConfig, SQSQueueDriver\n"
        "print(json.dumps([m in sys.modules for m in ('glasswork.jobs.drivers.base',"
        " 'glasswork.jobs.drivers.scheduler')]))\n"
        "class RecordingClient:\n"
        "    sent = []\n"
        "    def send_message(self, **request):\n"
        "        self.sent.append([request['QueueUrl'], request.get('DelaySeconds')])\n"
        "        return {'MessageId': f'sent-{len(self.sent)}'}\n"
        "    def create_schedule(self, **request):\n"
        "        self.sent.append([request['Target']['Arn'], request['GroupName']])\n"
        "queue = 'https://sqs.us-east-1.amazonaws.com/123456789012/jobs'\n"
        "client = RecordingClient()\n"
        "scheduler = SchedulerConfig(role_arn='arn:aws:iam::123456789012:role/scheduler')\n"
        "driver = SQSQueueDriver({'default': queue}, region='us-east-1', client=client,\n"
        "                        scheduler=scheduler, scheduler_client=client)\n"
        "service = JobService(driver)\n"
        "reminder = ReviewReminder(user_id='user-1', order_number='ORD-1')\n"
        "now = service.enqueue(review_reminder_job, reminder)\n"
        "later = service.enqueue_in(review_reminder_job, reminder, '10m')\n"
        "much_later = service.enqueue_in(review_reminder_job, reminder, '3d')\n"
        "print(json.dumps([now.message_id, later.message_id, bool(much_later.schedule_name)]))\n"
        "print(json.dumps(client.sent))\n"
    )
    before, results, sent = run_fresh(script)
    assert json.loads(before) == [False, False]
    assert json.loads(results) == ["sent-1", "sent-2", True]
    queue = "https://sqs.us-east-1.amazonaws.com/123456789012/jobs"
    assert json.loads(sent) == [
        [queue, None],
        [queue, 600],
        ["arn:aws:sqs:us-east-1:123456789012:jobs", "default"],
    ]


def test_the_first_email_of_a_fresh_worker_in_another_language_reads_its_catalog() -> None:
    script = (
        "import json, sys\n"
        "import examples.app.worker\n"
        "from examples.app.emails import WelcomeContext, WelcomeUser, templates\n"
        "context = WelcomeContext(\n"
        "    user=WelcomeUser(first_name='Ada'), dashboard_url='https://x', getting_started=[]\n"
        ")\n"
        "english = templates.welcome.render(context).subject\n"
        "print('glasswork_email.i18n.paths' in sys.modules)\n"
        "french = templates.welcome.render(context, locale='fr-FR').subject\n"
        "print(json.dumps([english, french]))\n"
    )
    before, subjects = run_fresh(script)
    assert before == "False"
    assert json.loads(subjects) == ["Welcome to Glasswork, Ada!", "Bienvenue sur Glasswork, Ada !"]


def test_the_generated_models_are_built_on_first_use_not_at_import() -> None:
    # A worker validates payloads with the send_email message model, which holds the context
    # schemas itself: the context models' own validators are built only if used directly.
    script = (
        "import json\n"
        "from pydantic import BaseModel\n"
        "import examples.app.worker\n"
        "from examples.app import emails\n"
        "models = [getattr(emails, name) for name in emails.__all__]\n"
        "models = [m for m in models if isinstance(m, type) and issubclass(m, BaseModel)]\n"
        "print(json.dumps(sorted(m.__name__ for m in models if m.__pydantic_complete__)))\n"
        "user = emails.WelcomeUser(first_name='Ada')\n"
        "print(json.dumps([user.first_name, emails.WelcomeUser.__pydantic_complete__]))\n"
    )
    built, first_use = run_fresh(script)
    assert json.loads(built) == []
    assert json.loads(first_use) == ["Ada", True]
