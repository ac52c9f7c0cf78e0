"""Compile benchmark: 50 templates, whole ``glasswork-email compile`` process, cold then unchanged.

Each figure is the median wall time of a fresh ``python -m glasswork_email.cli compile``
subprocess (interpreter start included), next to a bare ``python -c pass`` measured in the
same run. Run: ``.venv/bin/python benchmarks/compile.py``.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TEMPLATE_COUNT = 50
ROUNDS = 5
TARGET_COLD_S = 0.5
TARGET_UNCHANGED_S = 0.15
LAZY_PACKAGE_RUNNER = (
    "import importlib.util, sys, types\n"
    "spec = importlib.util.find_spec('glasswork_email')\n"
    "package = types.ModuleType('glasswork_email')\n"
    "package.__path__ = list(spec.submodule_search_locations)\n"
    "sys.modules['glasswork_email'] = package\n"
    "from glasswork_email.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)
"""Runs the CLI as if ``glasswork_email/__init__.py`` imported its re-exports lazily: it now
imports every submodule (pydantic-settings, boto3 ...), which no compile needs."""
GLASSWORK_COLD_S = 0.49
"""Glasswork 1.0.1: 50 templates 0.19 s + 0.3 s process start (its README)."""


def make_templates(folder: Path) -> None:
    """50 templates: the repository's examples, renamed, sharing its layouts and partials."""
    source = REPO / "templates"
    for shared in ("layouts", "partials"):
        shutil.copytree(source / shared, folder / shared)
    examples = sorted(p for p in source.glob("*") if p.suffix in (".mjml", ".html"))
    for index in range(TEMPLATE_COUNT):
        example = examples[index % len(examples)]
        name = f"{example.stem}_{index:02d}"
        (folder / f"{name}{example.suffix}").write_text(example.read_text())
        override = example.with_suffix(".txt")
        if override.exists():
            (folder / f"{name}.txt").write_text(override.read_text())


def run(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="glasswork-compile-bench-"))
    try:
        measure(workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def measure(workdir: Path) -> None:
    """Run every measurement in ``workdir`` and print the figures."""
    templates = workdir / "templates"
    templates.mkdir()
    make_templates(templates)
    python = sys.executable
    bare = statistics.median(run([python, "-c", "pass"]) for _ in range(ROUNDS))
    cold_runs = []
    for round_ in range(ROUNDS):
        out = workdir / f"cold_{round_}"
        cold_runs.append(
            run([python, "-m", "glasswork_email.cli", "compile", str(templates), "--out", str(out)])
        )
    out = workdir / "cold_0"
    command = [python, "-m", "glasswork_email.cli", "compile", str(templates), "--out", str(out)]
    unchanged = statistics.median(run(command) for _ in range(ROUNDS))
    check = statistics.median(run([*command, "--check"]) for _ in range(ROUNDS))
    cold = statistics.median(cold_runs)
    lazy = [python, "-c", LAZY_PACKAGE_RUNNER, "compile", str(templates)]
    lazy_cold = statistics.median(
        run([*lazy, "--out", str(workdir / f"lazy_{round_}")]) for round_ in range(ROUNDS)
    )
    lazy_unchanged = statistics.median(
        run([*lazy, "--out", str(workdir / "lazy_0")]) for _ in range(ROUNDS)
    )
    package_import = statistics.median(
        run([python, "-c", "import glasswork_email"]) for _ in range(ROUNDS)
    )
    print(f"{TEMPLATE_COUNT} templates, whole process, median of {ROUNDS} (seconds)")
    print(f"  bare interpreter start         {bare:6.3f} s")
    print(f"  cold compile                   {cold:6.3f} s   target ≤ {TARGET_COLD_S} s")
    print(f"  unchanged (nothing recompiled) {unchanged:6.3f} s   target ≤ {TARGET_UNCHANGED_S} s")
    print(f"  --check (up to date)           {check:6.3f} s")
    print(f"  import glasswork_email alone   {package_import:6.3f} s   (its __init__ imports all)")
    print("  with a lazy glasswork_email/__init__ (simulated, see LAZY_PACKAGE_RUNNER):")
    print(f"    cold compile                 {lazy_cold:6.3f} s")
    print(f"    unchanged                    {lazy_unchanged:6.3f} s")
    print(f"  Glasswork 1.0.1 cold (README)  {GLASSWORK_COLD_S:6.3f} s")
    print("ratios")
    print(f"  cold / target                  {cold / TARGET_COLD_S:6.2f}")
    print(f"  unchanged / target             {unchanged / TARGET_UNCHANGED_S:6.2f}")
    print(f"  lazy cold / target             {lazy_cold / TARGET_COLD_S:6.2f}")
    print(f"  lazy unchanged / target        {lazy_unchanged / TARGET_UNCHANGED_S:6.2f}")
    print(f"  Glasswork cold / ours cold     {GLASSWORK_COLD_S / cold:6.2f}x")
    print(f"  per template, cold (less start) {(cold - bare) / TEMPLATE_COUNT * 1000:5.1f} ms")


if __name__ == "__main__":
    main()
