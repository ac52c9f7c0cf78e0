"""Render benchmark: the order confirmation with the 10 reference items.

Prints µs per render of ``CompiledTemplate.render`` (subject, preheader, HTML and text, from
a context model instance) against the very same precompiled Jinja templates called bare
(``Template.render`` of each part with the context's fields), measured alternately in the same
run; and, for scale, the straightforward send-time pipeline (render the Jinja/MJML source,
compile it with mjml-python, convert the HTML to text with inscriptis). Target: ours ≤ 1.15 times
bare. Run: ``.venv/bin/python benchmarks/render.py``.
"""

from __future__ import annotations

import atexit
import importlib
import json
import os
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
TARGET_RATIO = 1.15
"""Ours / the same precompiled Jinja code called bare, at most."""
ROUNDS = 9


def batch_us(function: Callable[[], object], calls: int) -> float:
    """The mean time of one call over ``calls`` calls, in µs."""
    begin = time.perf_counter()
    for _ in range(calls):
        function()
    return (time.perf_counter() - begin) / calls * 1e6


def alternating(cases: dict[str, Callable[[], object]], seconds: float = 0.2) -> dict[str, float]:
    """Median µs per call of each case, the cases taking turns round after round."""
    for function in cases.values():
        function()
    calls = {
        name: max(1, int(seconds / (batch_us(function, 20) / 1e6)))
        for name, function in cases.items()
    }
    results: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(ROUNDS):
        for name, function in cases.items():
            results[name].append(batch_us(function, calls[name]))
    return {name: statistics.median(times) for name, times in results.items()}


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
    from glasswork_email.compiler.project import ProjectCompiler

    workdir = Path(tempfile.mkdtemp(prefix="glasswork-render-bench-"))
    atexit.register(shutil.rmtree, workdir, True)
    compiler = ProjectCompiler(REPO / "templates", workdir / "bench_emails", lambda _: None)
    if compiler.compile().errors:
        raise SystemExit("compile failed")
    sys.path.insert(0, str(workdir))
    emails: Any = importlib.import_module("bench_emails")
    data = reference_context()
    context = emails.OrderConfirmationContext.model_validate(data)
    template = emails.templates.order_confirmation
    rendered = template.render(context)
    parts = [part for part in template._parts if part is not None]  # the precompiled parts
    variables = context.__dict__

    def bare() -> list[str]:
        return [part.render(variables) for part in parts]

    figures = alternating({"ours": lambda: template.render(context), "bare": bare})
    ours, plain = figures["ours"], figures["bare"]

    import mjml
    from inscriptis import get_text

    from glasswork_email.rendering import create_environment

    source = (REPO / "templates" / "order_confirmation.mjml").read_text()
    environment = create_environment()
    environment.loader = __import__("jinja2").FileSystemLoader(REPO / "templates")
    send_time_template = environment.from_string(source)  # parsed once, cached
    values = context.model_dump()

    def send_time_pipeline() -> tuple[str, str, str]:
        page = mjml.mjml2html(send_time_template.render(values))
        return rendered.subject, page, get_text(page)

    pipeline = alternating({"pipeline": send_time_pipeline}, seconds=0.5)["pipeline"]
    print(
        f"order_confirmation, 10 items (subject, preheader, html {len(rendered.html)} B, text "
        f"{len(rendered.text)} B), µs per render, median of {ROUNDS}; load "
        f"{os.getloadavg()[0]:.1f}"
    )
    print(f"  ours: CompiledTemplate.render        {ours:9.1f} µs")
    print(f"  the same precompiled parts, bare     {plain:9.1f} µs   ({len(parts)} parts)")
    print(
        f"  send-time pipeline, for scale        {pipeline:9.1f} µs   (Jinja → MJML → inscriptis)"
    )
    print("ratios")
    print(f"  ours / bare                          {ours / plain:9.2f}   target ≤ {TARGET_RATIO}")
    print(f"  send-time pipeline / ours            {pipeline / ours:9.1f}x")


if __name__ == "__main__":
    main()
