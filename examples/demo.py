"""The end-to-end demo: typed emails enqueued to SQS, sent by the worker through SES.

Run with ``bash scripts/demo.sh``. By default everything runs against an embedded local AWS
(moto's server on loopback): no account needed. ``GLASSWORK_DEMO_AWS=1`` runs the same flow
against real AWS with your default credentials instead (see the README).

Steps: compile the email templates; start local AWS and create the queue, its dead-letter
queue, the idempotency table and the verified sender; register users and place orders through
the example app's services (typed jobs enqueued); run the worker's Lambda handler over the
received batches until the queue is empty — one job fails once and is retried, one poison
message is dead-lettered, one email is delivered twice and sent once; the feedback loop: an
email to a bouncing address, its bounce event handled by the worker, the address suppressed,
the next email to it not sent; write every sent email to ``out/`` as ``.eml``, ``.html`` and
``.txt``; print a summary. Exits 0 only when every expected email was sent.
"""

from __future__ import annotations

import email
import email.policy
import json
import logging
import os
import re
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from contextlib import ExitStack
from decimal import Decimal
from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from glasswork.testing import LocalAWS

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(os.environ.get("GLASSWORK_DEMO_OUT", ROOT / "out")).resolve()
PREFIX = "glasswork-demo"
SENDER = "Glasswork Shop <hello@example.com>"
EXPECTED_EMAILS = {"welcome": 4, "order_confirmation": 2, "password_reset": 1}
"""Sent emails by template: 3 welcomes to the users, 1 to the bouncing address."""
BOUNCING_ADDRESS = "bounce@simulator.amazonses.com"
"""SES's mailbox simulator answers mail to this address with a hard bounce."""
BOUNCE_WAIT_SECONDS = float(os.environ.get("GLASSWORK_DEMO_BOUNCE_WAIT_SECONDS", "90"))
"""On real AWS, how long to wait for SES's bounce event, in seconds."""
WORKER_DEADLINE_SECONDS = 60


def step(text: str) -> None:
    """Print one line of progress."""
    print(f"==> {text}", flush=True)


_PRINT_LOCK = threading.Lock()


def detail(text: str) -> None:
    """Print an indented progress detail (whole lines, even from the worker's threads)."""
    with _PRINT_LOCK:
        sys.stdout.write(f"    {text}\n")
        sys.stdout.flush()


def compile_templates() -> None:
    """Compile templates/ into the example app's generated package (skips unchanged ones)."""
    from glasswork_email.cli import main as glasswork_email

    step("Compiling email templates (templates/ -> examples/app/emails)")
    status = glasswork_email(
        ["compile", str(ROOT / "templates"), "--out", str(ROOT / "examples/app/emails")]
    )
    if status != 0:
        raise SystemExit(f"template compilation failed ({status})")


class Resources:
    """The AWS resources the demo uses, created (or found) at start."""

    def __init__(self, client: Callable[[str], Any], *, local: bool) -> None:
        self.sqs = client("sqs")
        self.ses = client("sesv2")
        self.dynamodb = client("dynamodb")
        dlq_url = self.sqs.create_queue(QueueName=f"{PREFIX}-dlq")["QueueUrl"]
        dlq_arn = self.sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])[
            "Attributes"
        ]["QueueArn"]
        self.dead_letter_queue_url = dlq_url
        self.queue_url = self.sqs.create_queue(
            QueueName=f"{PREFIX}-jobs",
            Attributes={
                "VisibilityTimeout": "180",
                "RedrivePolicy": f'{{"deadLetterTargetArn":"{dlq_arn}","maxReceiveCount":"30"}}',
            },
        )["QueueUrl"]
        self.table = f"{PREFIX}-idempotency"
        self.suppression_table = f"{PREFIX}-suppressions"
        from glasswork_email import DynamoDBIdempotencyStore
        from glasswork_email.suppression import DynamoDBSuppressionStore

        existing = self.dynamodb.list_tables()["TableNames"]
        if self.table not in existing:
            DynamoDBIdempotencyStore(self.table, client=self.dynamodb).create_table()
        self.suppressions = DynamoDBSuppressionStore(self.suppression_table, client=self.dynamodb)
        if self.suppression_table not in existing:
            self.suppressions.create_table()
        # A previous run on real AWS left the bouncing address suppressed: start afresh.
        self.suppressions.remove(BOUNCING_ADDRESS)
        self.configuration_set: str | None = None
        if not local:
            self.configuration_set = self._ses_events_to_queue(client("sns"))
        self.scheduler_role_arn = self._scheduler_role(client("iam"), self.queue_url)
        if local:
            self.ses.create_email_identity(EmailIdentity="example.com")

    def _ses_events_to_queue(self, sns: Any) -> str | None:
        """A configuration set whose bounce and complaint events reach the job queue via SNS.

        Returns its name, or ``None`` when the account does not allow it (the demo then
        shows the send to the bouncing address, but cannot wait for its bounce).
        """
        name = f"{PREFIX}-events"
        queue_arn = self.sqs.get_queue_attributes(
            QueueUrl=self.queue_url, AttributeNames=["QueueArn"]
        )["Attributes"]["QueueArn"]
        try:
            topic = sns.create_topic(Name=name)["TopicArn"]
            policy = {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "sns.amazonaws.com"},
                        "Action": "sqs:SendMessage",
                        "Resource": queue_arn,
                        "Condition": {"ArnEquals": {"aws:SourceArn": topic}},
                    }
                ],
            }
            self.sqs.set_queue_attributes(
                QueueUrl=self.queue_url, Attributes={"Policy": json.dumps(policy)}
            )
            sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)
            existing = self.ses.list_configuration_sets().get("ConfigurationSets", [])
            if name not in existing:
                self.ses.create_configuration_set(ConfigurationSetName=name)
                self.ses.create_configuration_set_event_destination(
                    ConfigurationSetName=name,
                    EventDestinationName="to-jobs-queue",
                    EventDestination={
                        "Enabled": True,
                        "MatchingEventTypes": ["BOUNCE", "COMPLAINT"],
                        "SnsDestination": {"TopicArn": topic},
                    },
                )
        except Exception as error:  # the demo goes on without the event destination
            detail(f"SES events cannot reach the queue here ({type(error).__name__}: {error})")
            return None
        return name

    def _scheduler_role(self, iam: Any, queue_url: str) -> str:
        """The role EventBridge Scheduler assumes to put delayed jobs on the queue."""
        name = f"{PREFIX}-scheduler"
        try:
            return str(iam.get_role(RoleName=name)["Role"]["Arn"])
        except iam.exceptions.NoSuchEntityException:
            pass
        queue_arn = self.sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])[
            "Attributes"
        ]["QueueArn"]
        trust = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "scheduler.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                }
            ],
        }
        send = {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": queue_arn}],
        }
        arn = str(
            iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))["Role"][
                "Arn"
            ]
        )
        iam.put_role_policy(RoleName=name, PolicyName="send-jobs", PolicyDocument=json.dumps(send))
        return arn


def configure_app(resources: Resources, *, local: bool) -> None:
    """Set the environment the example app reads its settings from."""
    os.environ.update(
        {
            "JOB_QUEUE_URL": resources.queue_url,
            "DEAD_LETTER_QUEUE_URL": resources.dead_letter_queue_url,
            "SCHEDULER_ROLE_ARN": resources.scheduler_role_arn,
            "IDEMPOTENCY_TABLE": resources.table,
            "SUPPRESSION_TABLE": resources.suppression_table,
            "SENDER_EMAIL": os.environ.get("SENDER_EMAIL", SENDER),
            "CRM_OUTAGES": "1",
        }
    )
    if resources.configuration_set is not None:
        os.environ["SES_CONFIGURATION_SET"] = resources.configuration_set
    if not local:
        os.environ.setdefault("AWS_REGION", os.environ.get("AWS_DEFAULT_REGION", "us-east-1"))


def recipient(name: str, *, local: bool) -> str:
    """The demo user's address; on real AWS, SES's mailbox simulator (works in the sandbox)."""
    return (
        f"{name.lower()}@example.com"
        if local
        else f"success+{name.lower()}@simulator.amazonses.com"
    )


def use_the_app(local: bool) -> list[Any]:
    """What the API would do: register users, place orders, ask for a password reset.

    Returns the ``EnqueueResult`` of every job the app enqueued.
    """
    from examples.app.app_module import AppModule
    from examples.app.emails import (
        PasswordResetContext,
        PasswordResetEmail,
        PasswordResetUser,
        send_email,
    )
    from examples.app.orders.repository import Address, OrderLine
    from examples.app.orders.service import OrderService
    from examples.app.users.service import UserService
    from glasswork import Container, JobService

    step("Registering users and placing orders (typed jobs enqueued to SQS)")
    api = Container(AppModule)
    enqueued: list[Any] = []
    api.get(JobService).on_enqueued = lambda job, result: enqueued.append(result)
    users = api.get(UserService)
    orders = api.get(OrderService)
    ada = users.register(recipient("Ada", local=local), "Ada Lovelace")
    grace = users.register(
        recipient("Grace", local=local),
        "Grace Hopper",
        beta_tester=True,
        locale="fr-FR",
        time_zone="Europe/Paris",
    )
    linus = users.register(recipient("Linus", local=local), "Linus Torvalds")
    for user in (ada, grace, linus):
        detail(f"registered {user.name:<15} -> send-email(welcome), sync-user-to-crm")
    orders.place(
        ada.id,
        [
            OrderLine(name="Wireless Mouse", price=Decimal("24.99"), on_sale=True),
            OrderLine(name="Mechanical Keyboard", price=Decimal("89.00")),
            OrderLine(name="USB-C Cable 2m", price=Decimal("9.95")),
        ],
        Address(street="221B Baker Street", city="London", zip="NW1 6XE"),
    )
    orders.place(
        grace.id,
        [OrderLine(name="Laptop Stand", price=Decimal("39.50"), on_sale=True)],
        currency="EUR",
    )
    detail(
        "2 orders placed -> send-email(order_confirmation), review-reminder in 3 days (scheduled)"
    )
    detail(f"{grace.name} reads email in French ({grace.locale}): her emails are localised")
    api.get(JobService).enqueue(
        send_email,
        PasswordResetEmail(
            to=linus.email,
            context=PasswordResetContext(
                user=PasswordResetUser(first_name="Linus", email=linus.email),
                reset_url="https://shop.example.com/reset?token=3f9a7c",
                expires_in_minutes=30,
                ip_address="203.0.113.7",
            ),
        ),
    )
    detail(f"password reset asked for {linus.name} -> send-email(password_reset)")
    return enqueued


def send_poison_message(resources: Resources) -> None:
    """A producer bug: a send-email job whose payload does not match its schema."""
    resources.sqs.send_message(
        QueueUrl=resources.queue_url,
        MessageBody='{"jobName":"send-email","jobId":"poison-1","enqueuedAt":"2026-11-29T12:00:00Z",'
        '"payload":{"template":"welcome","to":"not an address","context":{}}}',
    )
    detail("a malformed send-email message was also put on the queue (a producer bug)")


class Tally:
    """What the worker's hooks saw."""

    def __init__(self) -> None:
        self.completed: Counter[str] = Counter()
        self.retried: Counter[str] = Counter()
        self.dead: Counter[str] = Counter()
        self.dead_reasons: list[str] = []
        self.suppressed_sends = 0
        logging.getLogger("glasswork.job.send-email").addFilter(self._count_suppressed)

    def _count_suppressed(self, record: logging.LogRecord) -> bool:
        if getattr(record, "email_outcome", None) == "suppressed":
            self.suppressed_sends += 1
            detail(f"skipped {record.getMessage()}")
        return True

    def hooks(self) -> Any:
        """``WorkerHooks`` that count outcomes and print them as they happen."""
        from glasswork import JobEvent, WorkerHooks

        def complete(event: JobEvent) -> None:
            self.completed[event.job_name or "?"] += 1
            detail(f"done    {event.job_name} (attempt {event.attempt_number})")

        def failed(event: JobEvent) -> None:
            if event.outcome == "retry_scheduled":
                self.retried[event.job_name or "?"] += 1
                detail(
                    f"retry   {event.job_name} in {event.retry_in_seconds} s "
                    f"(attempt {event.attempt_number}: {event.error})"
                )

        def dead_letter(event: JobEvent) -> None:
            self.dead[event.job_name or "?"] += 1
            self.dead_reasons.append(f"{event.job_name}: {event.reason}")
            detail(f"dead    {event.job_name} -> dead-letter queue ({event.reason})")

        return WorkerHooks(
            on_job_complete=complete, on_job_failed=failed, on_job_dead_letter=dead_letter
        )


def run_worker(resources: Resources, tally: Tally, *, redeliver_first_email: bool) -> str | None:
    """Feed the queue's batches to the Lambda handler, as SQS's event source mapping does.

    Returns the body of one send-email message, to deliver again later.
    """
    from examples.app.app_module import AppModule
    from glasswork import bootstrap_worker
    from glasswork.testing import FakeLambdaContext
    from glasswork.worker.poller import delete_records, receive_records

    handler = bootstrap_worker(AppModule, hooks=tally.hooks())
    queue_arn = resources.sqs.get_queue_attributes(
        QueueUrl=resources.queue_url, AttributeNames=["QueueArn"]
    )["Attributes"]["QueueArn"]
    deadline = time.monotonic() + WORKER_DEADLINE_SECONDS
    email_body: str | None = None
    while time.monotonic() < deadline:
        records = receive_records(
            resources.sqs, resources.queue_url, queue_arn=queue_arn, wait_time_seconds=1
        )
        if not records:
            if _queue_is_empty(resources):
                break
            continue
        detail(f"batch of {len(records)} record(s) -> worker handler")
        response = handler.handle_sqs_event(
            {"Records": records}, FakeLambdaContext(timeout_seconds=30)
        )
        failed = {item["itemIdentifier"] for item in response["batchItemFailures"]}
        delete_records(
            resources.sqs, resources.queue_url, [r for r in records if r["messageId"] not in failed]
        )
        if redeliver_first_email and email_body is None:
            email_body = next(
                (
                    r["body"]
                    for r in records
                    if '"send-email"' in r["body"] and "poison" not in r["body"]
                ),
                None,
            )
    return email_body


class BounceScene:
    """What the feedback-loop scene saw."""

    def __init__(self) -> None:
        self.bounce_handled = False
        self.suppressed: str | None = None
        self.second_email_sent: bool | None = None


def bounce_scene(resources: Resources, tally: Tally, *, local: bool) -> BounceScene:
    """An email to a bouncing address; its bounce event; the address suppressed; the next
    email to it not sent."""
    from examples.app.emails import (
        WelcomeContext,
        WelcomeEmail,
        WelcomeGettingStartedItem,
        WelcomeUser,
        send_email,
    )
    from glasswork import JobService, SQSQueueDriver

    step("Feedback loop: an email to a bouncing address (SES's mailbox simulator)")
    scene = BounceScene()
    jobs = JobService(SQSQueueDriver({"default": resources.queue_url}, client=resources.sqs))
    welcome = WelcomeEmail(
        to=f"Bo Unce <{BOUNCING_ADDRESS}>",
        context=WelcomeContext(
            user=WelcomeUser(first_name="Bo"),
            product_name="Glasswork Shop",
            dashboard_url="https://shop.example.com/account",
            getting_started=[
                WelcomeGettingStartedItem(title="Browse", url="https://shop.example.com")
            ],
        ),
    )
    first = jobs.enqueue(send_email, welcome)
    detail(f"send-email(welcome) to {BOUNCING_ADDRESS}, job {first.job_id}")
    run_worker(resources, tally, redeliver_first_email=False)
    ses_events_before = tally.completed["ses-event"]
    if local:
        # What SES publishes for it through the configuration set's EventBridge destination
        # (examples/app/template.yaml routes it to the job queue).
        resources.sqs.send_message(
            QueueUrl=resources.queue_url, MessageBody=json.dumps(_bounce_event(first.job_id))
        )
        detail("SES: Bounce (Permanent/General), as an EventBridge event on the job queue")
        run_worker(resources, tally, redeliver_first_email=False)
    elif resources.configuration_set is not None:
        detail(f"waiting up to {BOUNCE_WAIT_SECONDS:.0f} s for SES's bounce event (via SNS)")
        deadline = time.monotonic() + BOUNCE_WAIT_SECONDS
        while tally.completed["ses-event"] == ses_events_before and time.monotonic() < deadline:
            run_worker(resources, tally, redeliver_first_email=False)
            time.sleep(2)
    scene.bounce_handled = tally.completed["ses-event"] > ses_events_before
    found = resources.suppressions.find([BOUNCING_ADDRESS])
    if BOUNCING_ADDRESS in found:
        scene.suppressed = found[BOUNCING_ADDRESS].reason.value
        detail(f"{BOUNCING_ADDRESS} suppressed ({scene.suppressed})")
        sends_before = tally.suppressed_sends
        jobs.enqueue(send_email, welcome)
        detail("send-email(welcome) to the same address again")
        run_worker(resources, tally, redeliver_first_email=False)
        scene.second_email_sent = tally.suppressed_sends == sends_before
    else:
        detail("no bounce event arrived, so nothing was suppressed")
    return scene


def _bounce_event(job_id: str) -> dict[str, Any]:
    """An SES bounce event as EventBridge delivers it, tagged as our sends are."""
    now = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())
    return {
        "version": "0",
        "id": f"demo-bounce-{job_id}",
        "detail-type": "Email Bounced",
        "source": "aws.ses",
        "time": now,
        "detail": {
            "eventType": "Bounce",
            "bounce": {
                "bounceType": "Permanent",
                "bounceSubType": "General",
                "bouncedRecipients": [
                    {
                        "emailAddress": BOUNCING_ADDRESS,
                        "action": "failed",
                        "status": "5.1.1",
                        "diagnosticCode": "smtp; 550 5.1.1 user unknown",
                    }
                ],
                "timestamp": now,
                "feedbackId": f"demo-feedback-{job_id}",
            },
            "mail": {
                "timestamp": now,
                "messageId": f"demo-ses-{job_id}",
                "source": SENDER,
                "destination": [BOUNCING_ADDRESS],
                "tags": {"template": ["welcome"], "idempotency_key": [job_id]},
            },
        },
    }


def _queue_is_empty(resources: Resources) -> bool:
    attributes = resources.sqs.get_queue_attributes(
        QueueUrl=resources.queue_url,
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    return all(value == "0" for value in attributes.values())


def sent_messages(data: dict[str, Any]) -> list[EmailMessage]:
    """The raw messages local SES accepted, parsed."""
    raws = data.get("ses", {}).get("RawMessage", [])
    messages = [
        email.message_from_bytes(raw["raw_data"].encode(), policy=email.policy.default)
        for raw in raws
    ]
    # The worker sends concurrently; sort so out/ reads the same on every run.
    return sorted(messages, key=lambda message: (str(message["Subject"]), str(message["To"])))


def write_out(messages: list[EmailMessage]) -> list[Path]:
    """Write each message as .eml, .html and .txt under out/; returns the .eml paths."""
    OUT.mkdir(exist_ok=True)
    for suffix in ("eml", "html", "txt"):
        for old in OUT.glob(f"*.{suffix}"):
            old.unlink()
    written = []
    for number, message in enumerate(messages, start=1):
        slug = re.sub(r"[^a-z0-9]+", "-", str(message["Subject"]).lower()).strip("-")[:48]
        stem = OUT / f"{number:02d}-{slug}"
        stem.with_suffix(".eml").write_bytes(message.as_bytes())
        for subtype, suffix in (("html", ".html"), ("plain", ".txt")):
            part = message.get_body(preferencelist=(subtype,))
            if part is not None:
                stem.with_suffix(suffix).write_text(part.get_content())
        written.append(stem.with_suffix(".eml"))
    return written


def template_of(message: EmailMessage) -> str:
    """Which demo template a sent message came from, by its subject (English or French)."""
    subject = str(message["Subject"])
    if subject.startswith(("Welcome", "Bienvenue")):
        return "welcome"
    if "order" in subject.lower() or "commande" in subject.lower():
        return "order_confirmation"
    if "password" in subject.lower():
        return "password_reset"
    return "other"


def localised_detail(message: EmailMessage) -> str:
    """The line of a localised email that shows its money or date formats."""
    body = message.get_body(preferencelist=("plain",))
    text = body.get_content() if body is not None else ""
    for line in text.splitlines():
        if line.startswith(("Total", "Votre essai")):
            return line.strip()
    return ""


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def log_worker_to_file() -> Path:
    """Send the worker's JSON log lines to out/worker.log instead of the terminal."""
    OUT.mkdir(exist_ok=True)
    path = OUT / "worker.log"
    handler = logging.FileHandler(path, mode="w")
    handler.setFormatter(logging.Formatter("%(message)s"))
    for name in ("glasswork", "glasswork_email"):
        logger = logging.getLogger(name)
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    return path


def main() -> int:
    """Run the demo; returns the exit status."""
    local = os.environ.get("GLASSWORK_DEMO_AWS", "") not in ("1", "true", "yes")
    started = time.monotonic()
    compile_templates()
    worker_log = log_worker_to_file()
    aws: LocalAWS | None = None
    with ExitStack() as stack:
        if local:
            from glasswork.testing import LocalAWS

            step("Starting local AWS (moto server on loopback)")
            aws = stack.enter_context(LocalAWS())
            os.environ["AWS_ENDPOINT_URL"] = aws.endpoint_url
            detail(f"endpoint {aws.endpoint_url}")
            client: Callable[[str], Any] = aws.client
        else:
            import boto3

            step("Using real AWS with your default credentials (GLASSWORK_DEMO_AWS=1)")
            client = boto3.client  # type: ignore[assignment]
        step("Creating the job queue, its dead-letter queue, the idempotency table, the sender")
        resources = Resources(client, local=local)
        configure_app(resources, local=local)
        enqueued = use_the_app(local)
        send_poison_message(resources)

        step("Running the worker (Lambda handler) over the queue's batches")
        tally = Tally()
        body = run_worker(resources, tally, redeliver_first_email=True)
        step("Delivering one send-email message a second time (SQS is at-least-once)")
        before = len(sent_messages(aws.data())) if aws is not None else 0
        if body is not None:
            resources.sqs.send_message(QueueUrl=resources.queue_url, MessageBody=body)
            run_worker(resources, tally, redeliver_first_email=False)
        duplicates = (len(sent_messages(aws.data())) - before) if aws is not None else 0
        if local:
            detail(f"emails sent by the duplicate delivery: {duplicates}")

        scene = bounce_scene(resources, tally, local=local)

        step("Running the periodic daily-digest job as EventBridge Scheduler would")
        from examples.app.worker import handler as lambda_handler

        lambda_handler({"jobName": "daily-digest", "payload": {}}, None)
        detail("daily-digest ran")

        scheduled = sum(1 for result in enqueued if result.schedule_name)
        dlq = resources.sqs.receive_message(
            QueueUrl=resources.dead_letter_queue_url,
            MaxNumberOfMessages=10,
            MessageAttributeNames=["All"],
        ).get("Messages", [])
        messages = sent_messages(aws.data()) if aws is not None else []
        written = write_out(messages) if local else []

    by_template = Counter(template_of(message) for message in messages)
    # The worker's own account (send-email jobs that completed, the one poison message on the
    # DLQ) holds on real AWS too; local SES also lets the demo count and read what was sent.
    # The send to the suppressed address completes too, without sending.
    expected_sends = (
        sum(EXPECTED_EMAILS.values())
        + (1 if body is not None else 0)
        + (1 if scene.suppressed else 0)
    )
    ok = (
        tally.completed["send-email"] == expected_sends
        and sum(tally.retried.values()) >= 1
        and len(dlq) == 1
    )
    if local:
        ok = ok and (
            all(by_template[name] == count for name, count in EXPECTED_EMAILS.items())
            and len(messages) == sum(EXPECTED_EMAILS.values())
            and duplicates == 0
            and scene.bounce_handled
            and scene.suppressed == "bounce"
            and scene.second_email_sent is False
        )
    print()
    print("Summary")
    print("-------")
    sends = tally.completed["send-email"] - (1 if body is not None else 0) - tally.suppressed_sends
    rows: list[tuple[str, object]] = [
        ("jobs enqueued by the app", len(enqueued)),
        ("  of which scheduled for later (EventBridge Scheduler)", scheduled),
        ("jobs completed by the worker", sum(tally.completed.values())),
        ("emails sent through SES", len(messages) if local else sends),
    ]
    if local:
        rows.append(
            (
                "  welcome / order_confirmation / password_reset",
                " / ".join(str(by_template[name]) for name in EXPECTED_EMAILS),
            )
        )
    rows += [
        ("job attempts failed and retried", sum(tally.retried.values())),
        ("messages dead-lettered", sum(tally.dead.values())),
    ]
    if local:
        rows.append(("duplicate delivery: emails sent again", duplicates))
        french = [m for m in messages if str(m["To"]) == recipient("Grace", local=True)]
        rows.append(("emails in French for Grace Hopper (fr-FR, Europe/Paris)", len(french)))
        rows += [(f'  "{m["Subject"]}"', localised_detail(m)) for m in french]
    second = {None: "not tried", True: "sent", False: "not sent"}[scene.second_email_sent]
    rows += [
        (
            "feedback loop: bounce event of the simulator handled",
            "yes" if scene.bounce_handled else "no",
        ),
        ("  its address suppressed", scene.suppressed or "no"),
        ("  the next email to it", second),
    ]
    rows.append(("time", f"{time.monotonic() - started:.1f} s"))
    for label, value in rows:
        print(f"  {label:<55} {value}")
    for reason in tally.dead_reasons:
        print(f"  dead-letter reason: {reason}")
    if written:
        print(f"\nSent emails, in {_shown(OUT)}/ (open the .html, or the .eml):")
        for path in written:
            print(f"  {_shown(path)}")
    print(f"Worker log, one JSON line per job outcome: {_shown(worker_log)}")
    print(
        "\nOK: every expected email was sent exactly once."
        if ok
        else "\nFAILED: see the summary above."
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
