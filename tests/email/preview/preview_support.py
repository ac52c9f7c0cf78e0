"""A small templates folder with fixtures, written by the preview tests."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["ORDER", "RecordingSMTPHandler", "write_sample_templates"]

LAYOUT = """<mjml lang="en">
  <mj-head>
    <mj-title>{% block subject %}{% endblock %}</mj-title>
    <mj-preview>{% block preheader %}{% endblock %}</mj-preview>
    <mj-style>
      @media (prefers-color-scheme: dark) {
        .page, .page > table { background: #101014 !important; }
      }
    </mj-style>
  </mj-head>
  <mj-body background-color="#f4f4f7" css-class="page">
    {% block content %}{% endblock %}
  </mj-body>
</mjml>
"""

ORDER = """{% extends "layouts/base.mjml" %}
{% block subject %}Order {{ number }}{% endblock %}
{% block preheader %}Thanks, {{ name }}!{% endblock %}
{% block content %}
<mj-section background-color="#ffffff">
  <mj-column>
    <mj-text color="#212121"
      font-size="20px">Hello {{ name }}, order {{ number }} is on its way.</mj-text>
    <mj-button background-color="#5753c6" color="#ffffff" href="{{ url }}">Track it</mj-button>
  </mj-column>
</mj-section>
{% endblock %}
"""


def write_sample_templates(folder: Path) -> Path:
    """Write ``order.mjml`` with two valid fixtures and an invalid one under ``folder``."""
    (folder / "layouts").mkdir(parents=True)
    (folder / "layouts" / "base.mjml").write_text(LAYOUT)
    (folder / "order.mjml").write_text(ORDER)
    (folder / "order.json").write_text(
        json.dumps({"name": "Ada", "number": "A-1", "url": "https://shop.example/t/A-1"})
    )
    (folder / "order.long-name.json").write_text(
        json.dumps(
            {
                "name": "Maximiliane Wolkenstein-Trostburg",
                "number": "A-2",
                "url": "https://s.example",
            }
        )
    )
    (folder / "order.broken.json").write_text(json.dumps({"name": 7, "url": "https://s.example"}))
    (folder / "logo.txt").write_text("inside the templates folder\n")
    return folder


@dataclass
class Received:
    """One message an SMTP server accepted."""

    rcpt_tos: list[str]
    content: bytes


@dataclass
class RecordingSMTPHandler:
    """An aiosmtpd handler that keeps every message it accepts."""

    received: list[Received] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append(Received(list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted"
