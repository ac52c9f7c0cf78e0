"""Benchmark: the worker Lambda's cold start, in fresh processes, against baselines run alongside.

Run: ``.venv/bin/python benchmarks/cold_start.py [--runs 15]``.

1. Import: ``import examples.app.worker`` (the app's modules, the generated email package and
   ``bootstrap_worker``, which also builds the services and their AWS clients, as Lambda's init
   phase does) against importing exactly the third-party modules the worker itself loads (found
   by a probe process first, so the baseline imports neither more nor less of boto3 than the
   worker) and making the one client the worker makes at init (SES v2). Each process times
   itself from just before its imports to just after, so interpreter
   start-up (the same for both) is left out. Measured in interleaved pairs; the figure is the
   median of the paired differences. Target: at most +40 ms.
2. First batch: from process start to the first batch of 10 welcome emails answered (rendered,
   sent to SES — a local stub answering SES v2 ``SendEmail`` over HTTP — and the batch response
   returned), the worker against a bare script doing the same work with boto3, jinja2 and
   pydantic directly (the same precompiled templates, a pydantic model of the payload, stdlib
   MIME). Interleaved pairs; the figure is the median of the paired ratios. Target: at most 1.15x.

Bytecode is cached and ``AWS_LAMBDA_FUNCTION_NAME`` is set, as in a deployed function, and every
process finds only the distributions the function's package holds (``lambda_path.py``: the
runtime dependencies linked into one folder, no site-packages). Also prints where the import's
difference goes, timed inside fresh processes after the baseline's imports (the standard
library modules the worker adds, our two packages, the example app with ``bootstrap_worker``),
and lists any heavy module that must not be on the worker's import path (mjml, the CLIs, moto,
dev tools) if one got imported.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.lambda_path import (  # noqa: E402  (after the project's root is on the path)
    PYTHON,
    lambda_shaped_environment,
    lambda_shaped_folder,
)

WORKER = "import examples.app.worker"
BARE = "import boto3, pydantic, jinja2"
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
BARE_WITH_RENDERING = BARE + ", glasswork_email.rendering"
BARE_WITH_CATALOG_RUNTIME = BARE_WITH_RENDERING + ", glasswork_email.i18n.catalogs"
TARGET_CATALOGS_MS = 15.0

FORBIDDEN = (
    "mjml",
    "glasswork_email.compiler",
    "glasswork.cli",
    "glasswork_email.cli",
    "moto",
    "pytest",
    "opentelemetry",
    "mypy",
    "glasswork.mypy_plugin",
)

PROBE = """
import json, sys, time
before = set(sys.modules)
start = time.perf_counter()
exec(compile(sys.argv[1], "<imports>", "exec"))
elapsed = time.perf_counter() - start
loaded = sorted(set(sys.modules) - before)
banned = json.loads(sys.argv[2])
forbidden = sorted({m for m in sys.modules for f in banned if m == f or m.startswith(f + ".")})
print(json.dumps({"seconds": elapsed, "forbidden": forbidden, "loaded": loaded}))
"""

OURS_FIRST_BATCH = """
import json, sys
from examples.app.worker import handler
event = json.loads(sys.stdin.readline())
response = handler(event, None)
assert response == {"batchItemFailures": []}, response
print("answered", flush=True)
"""

BARE_FIRST_BATCH = """
import json, sys
from email.message import EmailMessage
import boto3, jinja2
from pydantic import BaseModel

class Item(BaseModel):
    title: str
    url: str

class User(BaseModel):
    first_name: str
    is_beta_tester: bool = False

class Context(BaseModel):
    dashboard_url: str
    getting_started: list[Item]
    product_name: str | None = None
    trial_days: int | None = None
    user: User

class Email(BaseModel):
    to: str
    context: Context

class Message(BaseModel):
    jobName: str
    payload: Email
    jobId: str

environment = jinja2.Environment(autoescape=True)
from markupsafe import Markup
class Gettext:
    # The precompiled parts call gettext.html(...) / .text(...) (their escaping is known when
    # they are compiled) and look a message without values up first: the bare script's own.
    html_messages, text_messages = {}, {}
    def html(self, message, **values):
        return Markup(message) % values
    def text(self, message, **values):
        return message % values
class Ngettext:
    def html(self, singular, plural, count, **values):
        values.setdefault("num", count)
        return Gettext().html(singular if count == 1 else plural, **values)
    def text(self, singular, plural, count, **values):
        values.setdefault("num", count)
        return (singular if count == 1 else plural) % values
environment.globals.update(gettext=Gettext(), _=Gettext(), ngettext=Ngettext())
def url_check(value, *schemes):
    # The templates pass every URL through a scheme check; the bare script does the same check.
    scheme = str(value).strip().partition(":")[0].lower()
    return value if ":" in str(value) and scheme in schemes else "about:invalid"
environment.filters["url_check"] = url_check
def template(part):
    # The same precompiled Jinja code the worker renders, loaded the way jinja2.ModuleLoader does.
    path = f"examples/app/emails/_jinja/welcome__{part}.py"
    namespace = {"environment": environment, "__file__": path}
    exec(compile(open(path).read(), path, "exec"), namespace)
    return environment.template_class.from_module_dict(
        environment, namespace, environment.make_globals(None)
    )
subject, html, text = template("subject"), template("html"), template("text")
ses = boto3.client("sesv2")
event = json.loads(sys.stdin.readline())
failures = []
for record in event["Records"]:
    try:
        message = Message.model_validate_json(record["body"])
        context = message.payload.context.model_dump()
        mail = EmailMessage()
        mail["From"] = "Glasswork Shop <hello@example.com>"
        mail["To"] = message.payload.to
        mail["Subject"] = subject.render(context).strip()
        mail.set_content(text.render(context))
        mail.add_alternative(html.render(context), subtype="html")
        ses.send_email(Content={"Raw": {"Data": mail.as_bytes()}})
    except Exception:
        failures.append({"itemIdentifier": record["messageId"]})
assert failures == [], failures
print("answered", flush=True)
"""


class _SESStub(BaseHTTPRequestHandler):
    """Answers SES v2 ``SendEmail`` (and anything else) with a message id."""

    sent = 0

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        _SESStub.sent += 1
        body = json.dumps({"MessageId": f"stub-{_SESStub.sent}"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _SESStubServer(ThreadingHTTPServer):
    """The stub's server, with a listen backlog for a worker's concurrent connections.

    socketserver's default backlog (5) is shorter than the worker's 10 threads, which open their
    connections at once: the kernel drops the SYNs beyond it, and each dropped connection waits
    a second for its retry (seen in about one run in five), which no SES endpoint would cost.
    """

    request_queue_size = 64


def _environment(ses_url: str) -> dict[str, str]:
    # Any value of PYTHONDONTWRITEBYTECODE (even "0") stops Python caching bytecode, and then
    # every run would compile the project's source anew; a deployed function has its bytecode.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(
        {
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_REGION": "us-east-1",
            "AWS_ACCESS_KEY_ID": "benchmark",
            "AWS_SECRET_ACCESS_KEY": "benchmark",
            "AWS_ENDPOINT_URL_SESV2": ses_url,
            # Set by Lambda in every function's environment; the worker freezes what its init
            # built out of the garbage collector's scans there (bootstrap_worker).
            "AWS_LAMBDA_FUNCTION_NAME": "cold-start-benchmark",
            "JOB_QUEUE_URL": "https://sqs.us-east-1.amazonaws.com/123456789012/jobs",
        }
    )
    env.pop("AWS_ENDPOINT_URL", None)
    return env


def measure_import(statement: str, env: dict[str, str]) -> dict[str, Any]:
    """One fresh process's import time of ``statement``, what it loaded and any banned module."""
    out = subprocess.run(
        [*PYTHON, "-c", PROBE, statement, json.dumps(FORBIDDEN)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


def first_batch_seconds(script: str, event: str, env: dict[str, str]) -> float:
    """Wall time from starting a process to its first batch answered, in seconds."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [*PYTHON, "-c", script],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(event + "\n")
    process.stdin.flush()
    line = process.stdout.readline()
    elapsed = time.perf_counter() - started
    _, errors = process.communicate(timeout=60)
    if line.strip() != "answered":
        raise RuntimeError(f"the first batch was not answered: {line!r} {errors}")
    return elapsed


def third_party_of(loaded: list[str]) -> list[str]:
    """The third-party modules among ``loaded`` (not stdlib, not this project)."""
    ours = ("glasswork", "glasswork_email", "examples", "__main__")
    stdlib = sys.stdlib_module_names
    return [
        name
        for name in loaded
        if name.split(".")[0] not in stdlib
        and name.split(".")[0] not in ours
        and not name.startswith("_")
    ]


def welcome_event() -> str:
    """An SQS event of 10 welcome emails, as the worker receives it."""
    from examples.app.emails import (
        WelcomeContext,
        WelcomeEmail,
        WelcomeGettingStartedItem,
        WelcomeUser,
        send_email,
    )
    from glasswork.testing.events import job_message, make_sqs_event

    messages = [
        job_message(
            send_email,
            WelcomeEmail(
                to=f"user{n}@example.org",
                context=WelcomeContext(
                    user=WelcomeUser(first_name=f"User {n}"),
                    product_name="Shop",
                    dashboard_url="https://shop.example/account",
                    getting_started=[
                        WelcomeGettingStartedItem(title="Add a card", url="https://shop.example/c")
                    ],
                ),
            ),
        )
        for n in range(10)
    ]
    return json.dumps(make_sqs_event(*messages))


def main() -> None:
    """Run both measurements and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    load_at_start = os.getloadavg()[0]
    server = _SESStubServer(("127.0.0.1", 0), _SESStub)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with tempfile.TemporaryDirectory() as folder:
        package = Path(folder) / "package"
        distributions = lambda_shaped_folder(package)
        env = lambda_shaped_environment(
            package, _environment(f"http://127.0.0.1:{server.server_address[1]}")
        )
        measure(runs, env, distributions, load_at_start)
        catalogs(runs, env)
    server.shutdown()


def measure(runs: int, env: dict[str, str], distributions: list[str], load_at_start: float) -> None:
    """Measure the import and the first batch in ``env`` and print the figures."""
    event = welcome_event()

    probe = measure_import(WORKER, env)
    baseline = "\n".join(f"import {name}" for name in third_party_of(probe["loaded"]))
    # bootstrap_worker makes the clients every invocation needs (here the app's SES client) in
    # the init phase; the baseline makes the same client, so both sides do the same work.
    baseline += "\nimport boto3\nboto3.client('sesv2')"
    for _ in range(2):  # warm the bytecode caches and the OS file cache
        measure_import(WORKER, env)
        measure_import(baseline, env)
        first_batch_seconds(OURS_FIRST_BATCH, event, env)
        first_batch_seconds(BARE_FIRST_BATCH, event, env)
    bare_imports: list[float] = []
    worker_imports: list[float] = []
    ours_batches: list[float] = []
    bare_batches: list[float] = []
    forbidden: list[str] = []
    for _ in range(runs):
        bare_imports.append(measure_import(baseline, env)["seconds"])
        result = measure_import(WORKER, env)
        worker_imports.append(result["seconds"])
        forbidden = result["forbidden"]
        ours_batches.append(first_batch_seconds(OURS_FIRST_BATCH, event, env))
        bare_batches.append(first_batch_seconds(BARE_FIRST_BATCH, event, env))
    split = import_split(baseline, probe["loaded"], env, runs)

    top_level = sorted({name.split(".")[0] for name in third_party_of(probe["loaded"])})
    paired_ms = (
        statistics.median(w - b for w, b in zip(worker_imports, bare_imports, strict=True)) * 1000
    )
    ratio = statistics.median(o / b for o, b in zip(ours_batches, bare_batches, strict=True))
    rows = [
        ("runs (interleaved pairs)", f"{runs}"),
        ("distributions on the path (as in Lambda)", f"{len(distributions)}"),
        ("third-party packages the worker imports", ", ".join(top_level)),
        ("import those + SES client (median)", _ms(bare_imports)),
        ("import examples/app/worker.py (median)", _ms(worker_imports)),
        ("worker over the baseline (paired median)", f"{paired_ms:+7.1f} ms (target <= +40 ms)"),
        *((f"  in one process, {part}", f"{ms:+7.1f} ms") for part, ms in split.items()),
        ("first batch of 10 emails, bare script", _ms(bare_batches)),
        ("first batch of 10 emails, worker", _ms(ours_batches)),
        ("worker / bare script (paired median)", f"{ratio:7.2f}x (target <= 1.15x)"),
        ("heavy modules on the worker's path", ", ".join(forbidden) or "none"),
        (
            "machine",
            f"{os.cpu_count()} cores, load {load_at_start:.2f} at the start, "
            f"{os.getloadavg()[0]:.2f} after these pairs",
        ),
    ]
    for label, value in rows:
        print(f"{label:43s}{value}")


_SPLIT = """
import json, time
{baseline}
marks = [time.perf_counter()]
{stdlib}
marks.append(time.perf_counter())
{ours}
marks.append(time.perf_counter())
import examples.app.worker
marks.append(time.perf_counter())
print(json.dumps([after - before for before, after in zip(marks, marks[1:])]))
"""


def import_split(
    baseline: str, loaded: list[str], env: dict[str, str], runs: int
) -> dict[str, float]:
    """Where the worker's import goes beyond the baseline, in ms: in each of ``runs`` fresh
    processes, after the baseline's statements, the standard library modules the worker adds,
    then every module of ours it loads, then the example app's modules and ``bootstrap_worker``
    (medians)."""
    stdlib = [
        name
        for name in loaded
        if name.split(".")[0] in sys.stdlib_module_names and not name.startswith("_")
    ]
    ours = [name for name in loaded if name.split(".")[0] in ("glasswork", "glasswork_email")]
    script = _SPLIT.format(
        baseline=baseline,
        stdlib="\n".join(f"import {name}" for name in stdlib),
        ours="\n".join(f"import {name}" for name in ours),
    )
    parts: list[list[float]] = []
    for _ in range(runs):
        out = subprocess.run(
            [*PYTHON, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True
        ).stdout
        parts.append(json.loads(out.strip().splitlines()[-1]))
    labels = ("standard library", f"our {len(ours)} modules", "example app, bootstrap_worker")
    return {
        label: statistics.median(run[index] for run in parts) * 1000
        for index, label in enumerate(labels)
    }


def catalogs(runs: int, env: dict[str, str]) -> None:
    """Print what catalogs add to a cold worker (issue 14): target at most +15 ms.

    The figure is timed inside each fresh process, where the load of a shared machine moves
    it by a fraction of a millisecond: the import of the catalog runtime on top of what the
    same worker imports without catalogs (boto3, pydantic, jinja2, the rendering runtime), plus
    what the first email in French costs over a warm one (reading ``fr.mo``, building its
    gettext callables). Median of ``3 * runs`` processes. Cross-check: medians of whole
    processes, cases alternating (the worker's first email in French against the default
    language, the imports with and without the catalog runtime): the same cost, plus the noise
    of timing 300 ms of imports on a loaded machine.
    """
    inside = [_catalog_work_once() for _ in range(3 * runs)]
    load_ms = statistics.median(probe["load"] for probe in inside) * 1000
    import_ms = statistics.median(probe["import"] for probe in inside) * 1000
    added = sorted({name.split(".")[0] for probe in inside for name in probe["modules"]})
    ours = sorted({name for probe in inside for name in probe["modules"] if "glasswork" in name})
    print(
        f"catalogs (issue 14), timed inside each of {3 * runs} fresh processes; load "
        f"{os.getloadavg()[0]:.1f}"
    )
    print(f"  importing the catalog runtime             {import_ms:7.1f} ms   ({', '.join(ours)})")
    print(f"  first French email minus a warm one       {load_ms:7.1f} ms   (reads fr.mo)")
    print(
        f"  catalogs over the same worker without     {import_ms + load_ms:+7.1f} ms   (target <= "
        f"+{TARGET_CATALOGS_MS:.0f} ms)"
    )
    third_party = [name for name in added if "glasswork" not in name]
    print(f"  modules the runtime adds beyond ours      {', '.join(third_party) or 'none'}")
    cases = {
        "bare": BARE_WITH_RENDERING,
        "runtime": BARE_WITH_CATALOG_RUNTIME,
        "default": WELCOME_DEFAULT,
        "french": WELCOME_FRENCH,
    }
    for statement in cases.values():  # warm the caches
        measure_import(statement, env)
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(runs):
        for name, statement in cases.items():
            times[name].append(measure_import(statement, env)["seconds"])
    median = {name: statistics.median(values) * 1000 for name, values in times.items()}
    runtime_ms = median["runtime"] - median["bare"]
    loading_ms = median["french"] - median["default"]
    print(f"  cross-check, medians of {runs} whole processes each (noisy on a shared machine):")
    print(f"    first welcome email, default language   {median['default']:7.1f} ms")
    print(f"    first welcome email, in French          {median['french']:7.1f} ms")
    print(f"    importing the catalog runtime           {runtime_ms:+7.1f} ms")
    print(f"    catalogs over the same worker without   {runtime_ms + loading_ms:+7.1f} ms")


_CATALOG_PROBE = """
import json, sys, time
import boto3, pydantic, jinja2
import glasswork_email.rendering  # what the same worker imports without catalogs
before = set(sys.modules)
start = time.perf_counter()
import glasswork_email.i18n.catalogs
imported = time.perf_counter() - start
added = sorted(set(sys.modules) - before)
exec(compile(sys.argv[1], "<first>", "exec"))
start = time.perf_counter()
templates.welcome.render(context, locale="fr-FR")
first_french = time.perf_counter() - start
start = time.perf_counter()
templates.welcome.render(context, locale="fr-FR")
warm = time.perf_counter() - start
print(json.dumps({"load": first_french - warm, "import": imported, "modules": added}))
"""


def _catalog_work_once() -> dict[str, Any]:
    """In one fresh process: seconds to import the catalog runtime (and the modules it adds)
    and to load the French catalog on a first email."""
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
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


def _ms(seconds: list[float]) -> str:
    return f"{statistics.median(seconds) * 1000:7.1f} ms"


if __name__ == "__main__":
    main()
