"""Suppression benchmark: the cost the suppression check adds to one templated send.

Sends the welcome email through ``TemplatedEmailService`` and SES on the local emulator (moto's
server in its own process, over loopback HTTP), once without a suppression store and once with
``DynamoDBSuppressionStore`` on the same emulator, alternating the two in rounds of the same
run. Prints ms per email for each, the ratio, and the DynamoDB calls one email made (counted
through botocore's event hooks), for 1 recipient and for 25.
Run: ``.venv/bin/python benchmarks/suppression.py``.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from examples.app.emails import (  # noqa: E402
    WelcomeContext,
    WelcomeEmail,
    WelcomeGettingStartedItem,
    WelcomeUser,
    templates,
)
from glasswork.testing import LocalAWS  # noqa: E402
from glasswork_email.service import TemplatedEmailService  # noqa: E402
from glasswork_email.suppression import (  # noqa: E402
    DynamoDBSuppressionStore,
    Suppression,
    SuppressionReason,
)
from glasswork_email.transports.ses import SESTransport  # noqa: E402

ROUNDS = 7
SENDS_PER_ROUND = 40
MANY_RECIPIENTS = 25
"""moto refuses a raw message to 50 recipients (it counts the To header and the envelope)."""


def payload(recipients: int) -> WelcomeEmail:
    return WelcomeEmail(
        to=[f"reader{i}@example.com" for i in range(recipients)],
        context=WelcomeContext(
            user=WelcomeUser(first_name="Ann"),
            dashboard_url="https://shop.example/account",
            getting_started=[WelcomeGettingStartedItem(title="Start", url="https://shop.example")],
        ),
    )


def ms_per_send(service: TemplatedEmailService, email: WelcomeEmail) -> float:
    started = time.perf_counter()
    for _ in range(SENDS_PER_ROUND):
        service.send(email)
    return (time.perf_counter() - started) / SENDS_PER_ROUND * 1000


def main() -> None:
    with LocalAWS(in_process=False) as aws:
        aws.client("sesv2").create_email_identity(EmailIdentity="shop.example")
        dynamodb = aws.client("dynamodb")
        calls: Counter[str] = Counter()
        dynamodb.meta.events.register(
            "before-call.dynamodb.*", lambda model, **_: calls.update([model.name])
        )
        store = DynamoDBSuppressionStore("suppressions", client=dynamodb)
        store.create_table()
        for i in range(0, 1000, 7):
            store.add(Suppression(f"someone{i}@example.com", SuppressionReason.BOUNCE))
        transport = SESTransport(client=aws.client("sesv2"))
        options: dict[str, Any] = {"from_": "Shop <hello@shop.example>"}
        off = TemplatedEmailService(transport, templates, **options)
        on = TemplatedEmailService(transport, templates, suppression_store=store, **options)
        print(f"one templated send through SES on the local emulator, {ROUNDS} rounds")
        for recipients in (1, MANY_RECIPIENTS):
            email = payload(recipients)
            off.send(email), on.send(email)  # warm both paths
            timings: dict[str, list[float]] = {"off": [], "on": []}
            for _ in range(ROUNDS):
                timings["off"].append(ms_per_send(off, email))
                timings["on"].append(ms_per_send(on, email))
            calls.clear()
            on.send(email)
            per_email = dict(calls)
            calls.clear()
            off.send(email)
            without = dict(calls)
            off_ms, on_ms = (statistics.median(timings[k]) for k in ("off", "on"))
            print(
                f"  {recipients:>2} recipient(s): off {off_ms:6.2f} ms/email, on {on_ms:6.2f} "
                f"ms/email, on/off {on_ms / off_ms:4.2f}x (+{on_ms - off_ms:.2f} ms); DynamoDB "
                f"calls per email: on {per_email or 'none'}, off {without or 'none'}"
            )


if __name__ == "__main__":
    main()
