"""The README's demo command runs end to end and leaves the emails a person can open."""

from __future__ import annotations

import email
import email.policy
import os
import re
import subprocess
import sys
from pathlib import Path

from glasswork.testing import LocalAWS

ROOT = Path(__file__).resolve().parents[2]


def test_demo_sends_every_expected_email_once_and_writes_them_out(tmp_path: Path) -> None:
    env = {**os.environ, "GLASSWORK_DEMO_OUT": str(tmp_path)}
    env.pop("AWS_ENDPOINT_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "examples.demo"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "OK: every expected email was sent exactly once." in done.stdout
    assert "messages dead-lettered                                  1" in done.stdout
    summary = {
        line[:57].strip(): line[57:].strip()
        for line in done.stdout.splitlines()
        if line[:2] == "  "
    }
    assert summary["feedback loop: bounce event of the simulator handled"] == "yes"
    assert summary["its address suppressed"] == "bounce"
    assert summary["the next email to it"] == "not sent"
    emls = sorted(tmp_path.glob("*.eml"))
    assert len(emls) == 7
    for eml in emls:
        message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
        assert message["From"] and message["To"] and message["Subject"]
        assert eml.with_suffix(".html").read_text().lstrip().lower().startswith("<!doctype html")
        text = eml.with_suffix(".txt").read_text()
        assert text.strip() and "<" not in text.split("(http")[0]
    order = next(p for p in emls if "your-order-ord-2026-000123" in p.name)
    assert "Total: $123.94" in order.with_suffix(".txt").read_text()
    # Grace reads email in French: both her emails are translated, money and dates are French
    assert "emails in French for Grace Hopper (fr-FR, Europe/Paris) 2" in done.stdout
    french_order = next(p for p in emls if "votre-commande-ord-2026-000124" in p.name)
    french_text = french_order.with_suffix(".txt").read_text()
    assert "Bonjour Grace Hopper," in french_text
    assert "Total : 39,50\xa0€" in french_text
    assert re.search(r"passée le \d{1,2} [a-zéû]+\.? 20\d\d, \d\d:\d\d:\d\d !", french_text)
    assert '<html lang="fr-FR" dir="ltr"' in french_order.with_suffix(".html").read_text()
    french_welcome = next(p for p in emls if "bienvenue-sur-glasswork-shop-grace" in p.name)
    assert "Votre essai gratuit dure 14 jours. De quoi faire le tour tranquillement." in (
        french_welcome.with_suffix(".txt").read_text()
    )
    log_lines = (tmp_path / "worker.log").read_text().splitlines()
    assert any('"outcome": "retry_scheduled"' in line for line in log_lines)


def test_demo_against_real_aws_is_one_environment_change(
    tmp_path: Path, local_aws: LocalAWS
) -> None:
    """GLASSWORK_DEMO_AWS=1 uses whatever AWS the environment names: here the emulator stands
    in for an account, with a verified sender as a real one would need."""
    local_aws.client("sesv2").create_email_identity(EmailIdentity="verified.example")
    env = {
        **os.environ,
        "GLASSWORK_DEMO_AWS": "1",
        "AWS_ENDPOINT_URL": local_aws.endpoint_url,
        "SENDER_EMAIL": "Shop <shop@verified.example>",
        "GLASSWORK_DEMO_OUT": str(tmp_path),
        "GLASSWORK_DEMO_BOUNCE_WAIT_SECONDS": "1",
    }
    done = subprocess.run(
        [sys.executable, "-m", "examples.demo"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Using real AWS" in done.stdout
    sent = local_aws.data()["ses"]["RawMessage"]
    assert len(sent) == 7, "6 to the users, 1 to the mailbox simulator's bounce address"
    assert all("simulator.amazonses.com" in " ".join(m["destinations"]) for m in sent)
