"""Benchmark: the worker Lambda's cold start, in fresh processes.

Run: ``.venv/bin/python benchmarks/cold_start.py [--runs 21]``. Times, in new interpreter
processes, (a) importing just ``boto3, pydantic, jinja2`` and (b) importing
``examples/app/worker.py``, which builds the handler with ``bootstrap_worker``; prints the
medians and the difference. Target (issue 6): at most 60 ms over the bare dependencies.
Each process measures itself from just before its imports to just after, so interpreter
start-up (the same for both) is left out. Bytecode is cached, as in a deployed function. Also
lists any heavy module that must not be on the
worker's import path (mjml, the CLIs, moto, dev tools) if one got imported.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BARE = "import boto3, pydantic, jinja2"
WORKER = "import examples.app.worker"
# Catalogs (issue 14): the first welcome email of a cold worker, in the default language (no
# catalog is read) and in French (gettext loads fr.mo), and the import of the catalog runtime.
_FIRST_WELCOME = (
    "import examples.app.worker\n"
    "from examples.app.emails import WelcomeContext, WelcomeUser, templates\n"
    "context = WelcomeContext(user=WelcomeUser(first_name='Ada'), dashboard_url='https://x',"
    " getting_started=[])\n"
)
WELCOME_DEFAULT = _FIRST_WELCOME + "templates.welcome.render(context)"
WELCOME_FRENCH = _FIRST_WELCOME + "templates.welcome.render(context, locale='fr-FR')"
BARE_WITH_CATALOG_RUNTIME = BARE + ", glasswork_email.i18n.catalogs"
TARGET_CATALOGS_MS = 15.0

FORBIDDEN = (
    "mjml",
    "glasswork_email.compiler",
    "glasswork.cli",
    "glasswork_email.cli",
    "moto",
    "pytest",
)

PROBE = """
import json, sys, time
start = time.perf_counter()
exec(compile(sys.argv[1], "<imports>", "exec"))
elapsed = time.perf_counter() - start
banned = json.loads(sys.argv[2])
forbidden = sorted({m for m in sys.modules for f in banned if m == f or m.startswith(f + ".")})
print(json.dumps({"seconds": elapsed, "forbidden": forbidden}))
"""


def measure_once(statement: str) -> tuple[float, list[str]]:
    """Seconds one fresh process spends on ``statement``, and the banned modules it loaded."""
    # Any value of PYTHONDONTWRITEBYTECODE (even "0") stops Python caching bytecode, and then
    # every run would compile the project's source anew; a deployed function has its bytecode
    # (pip compiles installed packages; build the app with `python -m compileall`).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["AWS_DEFAULT_REGION"] = "us-east-1"
    env.setdefault("JOB_QUEUE_URL", "https://sqs.us-east-1.amazonaws.com/123456789012/jobs")
    out = subprocess.run(
        [sys.executable, "-c", PROBE, statement, json.dumps(FORBIDDEN)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result = json.loads(out.strip().splitlines()[-1])
    return result["seconds"], result["forbidden"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=21)
    runs = parser.parse_args().runs
    for _ in range(2):  # warm the bytecode caches and the OS file cache
        measure_once(WORKER)
        measure_once(BARE)
    # Alternate the two cases, so drifts in the machine's speed hit both alike.
    bare: list[float] = []
    worker: list[float] = []
    forbidden: list[str] = []
    for _ in range(runs):
        bare.append(measure_once(BARE)[0])
        seconds, forbidden = measure_once(WORKER)
        worker.append(seconds)
    bare_ms = statistics.median(bare) * 1000
    worker_ms = statistics.median(worker) * 1000
    paired_ms = statistics.median(w - b for w, b in zip(worker, bare, strict=True)) * 1000
    print(f"runs per case (alternating)            {runs}")
    print(f"import boto3, pydantic, jinja2 (median) {bare_ms:7.1f} ms")
    print(f"import examples/app/worker.py (median)  {worker_ms:7.1f} ms")
    over = worker_ms - bare_ms
    print(f"worker over bare dependencies           {over:+7.1f} ms   (target <= +60 ms)")
    print(f"  median of the paired differences      {paired_ms:+7.1f} ms")
    print(f"heavy modules on the worker's path      {', '.join(forbidden) or 'none'}")
    catalogs(runs)


def catalogs(runs: int) -> None:
    """Print what catalogs add to a cold worker's first email (issue 14), cases alternating."""
    cases = {
        "bare": BARE,
        "runtime": BARE_WITH_CATALOG_RUNTIME,
        "default": WELCOME_DEFAULT,
        "french": WELCOME_FRENCH,
    }
    for statement in cases.values():  # warm the caches
        measure_once(statement)
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(runs):
        for name, statement in cases.items():
            times[name].append(measure_once(statement)[0])
    median = {name: statistics.median(values) * 1000 for name, values in times.items()}
    runtime_ms = median["runtime"] - median["bare"]
    loading_ms = median["french"] - median["default"]
    print("catalogs (issue 14): a cold worker's first welcome email")
    print(f"  in the default language (no catalog read) {median['default']:7.1f} ms")
    print(f"  in French (gettext loads fr.mo)           {median['french']:7.1f} ms")
    print(f"  loading the catalog                       {loading_ms:+7.1f} ms")
    print(f"  importing the catalog runtime (gettext)   {runtime_ms:+7.1f} ms")
    total = loading_ms + runtime_ms
    print(
        f"  catalogs over the same worker without     {total:+7.1f} ms   (target <= "
        f"+{TARGET_CATALOGS_MS:.0f} ms)"
    )
    inside = [_catalog_work_once() for _ in range(runs)]
    load_ms = statistics.median(load for load, _ in inside)
    import_ms = statistics.median(imported for _, imported in inside)
    print("  timed inside each fresh process (robust to other load on the machine):")
    print(f"    importing glasswork_email.i18n.catalogs  {import_ms:7.1f} ms")
    print(f"    first French email minus a warm one      {load_ms:7.1f} ms")
    print(
        f"    catalogs, in all                         {import_ms + load_ms:7.1f} ms   "
        f"(target <= {TARGET_CATALOGS_MS:.0f} ms)"
    )


_CATALOG_PROBE = """
import json, sys, time
import boto3, pydantic, jinja2
start = time.perf_counter()
import glasswork_email.i18n.catalogs
imported = time.perf_counter() - start
exec(compile(sys.argv[1], "<first>", "exec"))
start = time.perf_counter()
templates.welcome.render(context, locale="fr-FR")
first_french = time.perf_counter() - start
start = time.perf_counter()
templates.welcome.render(context, locale="fr-FR")
warm = time.perf_counter() - start
print(json.dumps({"load": first_french - warm, "import": imported}))
"""


def _catalog_work_once() -> tuple[float, float]:
    """In one fresh process: ms to load the French catalog on a first email, and ms to import
    the catalog runtime (gettext and the ``Catalogs`` class)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["AWS_DEFAULT_REGION"] = "us-east-1"
    env.setdefault("JOB_QUEUE_URL", "https://sqs.us-east-1.amazonaws.com/123456789012/jobs")
    out = subprocess.run(
        [sys.executable, "-c", _CATALOG_PROBE, WELCOME_DEFAULT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result = json.loads(out.strip().splitlines()[-1])
    return result["load"] * 1000, result["import"] * 1000


if __name__ == "__main__":
    main()
