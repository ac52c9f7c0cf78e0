"""Render benchmark: the order confirmation with the 10 reference items.

Prints µs per render (subject + html + text) of our compiled templates against the
straightforward send-time pipeline (render the Jinja/MJML source, compile it with
mjml-python, convert the HTML to text with inscriptis), measured in the same run, and
Glasswork 1.0.1's published figure. Run: ``.venv/bin/python benchmarks/render.py``.
"""

from __future__ import annotations

import atexit
import importlib
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
REFERENCE = Path("/work/shared/reference/glasswork-ts/order-confirmation.context.json")
GLASSWORK_RENDER_US = 77.0
"""Glasswork 1.0.1, html + text, median (from its README)."""
TARGET_RENDER_US = 50.0
TARGET_SPEEDUP = 30.0


def per_call_us(function: Callable[[], object], *, seconds: float = 1.0, rounds: int = 7) -> float:
    """Median over ``rounds`` of the mean time of one call, in µs."""
    function()
    started, calls = time.perf_counter(), 0
    while time.perf_counter() - started < 0.05:
        function()
        calls += 1
    batch = max(1, int(calls * seconds / rounds / 0.05))
    results = []
    for _ in range(rounds):
        begin = time.perf_counter()
        for _ in range(batch):
            function()
        results.append((time.perf_counter() - begin) / batch * 1e6)
    return statistics.median(results)


def reference_context() -> dict[str, Any]:
    """The reference data, with our snake_case field names."""
    data = json.loads(REFERENCE.read_text())
    return {
        "name": data["name"],
        "order_number": data["orderNumber"],
        "items": [
            {"name": item["name"], "price": item["price"], "on_sale": item["onSale"]}
            for item in data["items"]
        ],
        "total": data["total"],
        "shipping_address": data["shippingAddress"],
        "tracking_url": data["trackingUrl"],
    }


def main() -> None:
    from glasswork_email.cli import main as cli

    workdir = Path(tempfile.mkdtemp(prefix="glasswork-render-bench-"))
    atexit.register(shutil.rmtree, workdir, True)
    if cli(["compile", str(REPO / "templates"), "--out", str(workdir / "bench_emails")]) != 0:
        raise SystemExit("compile failed")
    sys.path.insert(0, str(workdir))
    emails: Any = importlib.import_module("bench_emails")
    data = reference_context()
    context = emails.OrderConfirmationContext.model_validate(data)
    template = emails.templates.order_confirmation
    rendered = template.render(context)

    ours = per_call_us(lambda: template.render(context))
    _, html, text, _ = template._parts  # the precompiled parts, for the breakdown
    variables = context.__dict__
    html_only = per_call_us(lambda: html.render(variables))
    text_only = per_call_us(lambda: text.render(variables))

    import mjml
    from inscriptis import get_text

    from glasswork_email.rendering import create_environment

    source = (REPO / "templates" / "order_confirmation.mjml").read_text()
    send_time_template = create_environment().from_string(source)  # parsed once, cached

    def send_time_pipeline() -> tuple[str, str, str]:
        page = mjml.mjml2html(send_time_template.render(data))
        return rendered.subject, page, get_text(page)

    pipeline = per_call_us(send_time_pipeline, seconds=2.0)
    page = mjml.mjml2html(send_time_template.render(data))
    inscriptis_only = per_call_us(lambda: get_text(page), seconds=2.0)

    print("order_confirmation, 10 items (subject + html + text), µs per render (median)")
    print(f"  ours, precompiled Jinja (html {len(rendered.html)} B, text {len(rendered.text)} B)")
    print(f"    total                         {ours:9.1f} µs   target ≤ {TARGET_RENDER_US:.0f} µs")
    print(f"    of which html part alone      {html_only:9.1f} µs")
    print(f"    of which text part alone      {text_only:9.1f} µs")
    print(
        f"  send-time pipeline              {pipeline:9.1f} µs   (Jinja → mjml2html → inscriptis)"
    )
    print(f"    of which inscriptis alone     {inscriptis_only:9.1f} µs")
    print(f"  Glasswork 1.0.1 (its README)    {GLASSWORK_RENDER_US:9.1f} µs")
    print("ratios")
    speedup = pipeline / ours
    print(f"  send-time pipeline / ours       {speedup:9.1f}x   target ≥ {TARGET_SPEEDUP:.0f}x")
    print(f"  Glasswork / ours                {GLASSWORK_RENDER_US / ours:9.1f}x")


if __name__ == "__main__":
    main()
