"""Compile benchmark: 50 templates, whole ``glasswork-email compile`` process, cold then unchanged.

Each figure is the median wall time of a fresh ``python -m glasswork_email.cli compile``
subprocess (interpreter start included), next to a bare ``python -c pass`` measured in the
same run. "Cold" compiles into a new, empty folder each time: nothing is reused from an earlier
compile. The cold compile is measured twice: in the environment as it is (where
``PYTHONDONTWRITEBYTECODE`` may make Python recompile the package's source on every start),
and with bytecode cached, as a pip-installed package has it. Run:
``.venv/bin/python benchmarks/compile.py``.
"""

from __future__ import annotations

import os
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


def run(command: list[str], env: dict[str, str] | None = None) -> float:
    """Wall time of one subprocess, in seconds."""
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env)
    return time.perf_counter() - started


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="glasswork-compile-bench-"))
    try:
        measure(workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _cold(command: list[str], out_prefix: Path, env: dict[str, str] | None = None) -> list[float]:
    """``ROUNDS`` cold compiles, each into a new output folder."""
    return [run([*command, "--out", f"{out_prefix}_{round_}"], env) for round_ in range(ROUNDS)]


def measure(workdir: Path) -> None:
    """Run every measurement in ``workdir`` and print the figures."""
    templates = workdir / "templates"
    templates.mkdir()
    make_templates(templates)
    python = sys.executable
    compile_ = [python, "-m", "glasswork_email.cli", "compile", str(templates)]
    bare = statistics.median(run([python, "-c", "pass"]) for _ in range(ROUNDS))
    cold_runs = _cold(compile_, workdir / "cold")
    unchanged_command = [*compile_, "--out", str(workdir / "cold_0")]
    unchanged = statistics.median(run(unchanged_command) for _ in range(ROUNDS))
    check = statistics.median(run([*unchanged_command, "--check"]) for _ in range(ROUNDS))
    # The same cold compile with the interpreter allowed to cache bytecode (in a folder of
    # its own, filled by one warm-up run), as a pip-installed package has it.
    cached = {
        **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
        "PYTHONPYCACHEPREFIX": str(workdir / "pycache"),
    }
    run([*compile_, "--out", str(workdir / "warm_up")], cached)
    bytecode_runs = _cold(compile_, workdir / "bytecode", cached)

    cold, cold_best = statistics.median(cold_runs), min(cold_runs)
    bytecode = statistics.median(bytecode_runs)
    writes_bytecode = "no" if sys.flags.dont_write_bytecode else "yes"
    print(f"{TEMPLATE_COUNT} templates, whole process, median of {ROUNDS} (seconds)")
    print(f"  machine: {os.cpu_count()} cores; bytecode cached for this run: {writes_bytecode}")
    print(f"  bare interpreter start          {bare:6.3f} s")
    print(f"  cold compile                    {cold:6.3f} s   (best {cold_best:.3f} s)")
    print(f"  cold, bytecode cached           {bytecode:6.3f} s   (as a pip install has it)")
    print(f"  unchanged (nothing recompiled)  {unchanged:6.3f} s")
    print(f"  --check (up to date)            {check:6.3f} s")
    print(f"  Glasswork 1.0.1 cold (README)   {GLASSWORK_COLD_S:6.3f} s")
    print("ratios (below 1.00 meets the target)")
    for label, figure, target in (
        (f"cold / target {TARGET_COLD_S} s", cold, TARGET_COLD_S),
        (f"cold, bytecode / target {TARGET_COLD_S} s", bytecode, TARGET_COLD_S),
        (f"unchanged / target {TARGET_UNCHANGED_S} s", unchanged, TARGET_UNCHANGED_S),
        ("ours cold / Glasswork cold", cold, GLASSWORK_COLD_S),
        ("ours cold, bytecode / Glasswork cold", bytecode, GLASSWORK_COLD_S),
    ):
        print(f"  {label:37s} {figure / target:5.2f}")
    per_template_ms = (cold - bare) / TEMPLATE_COUNT * 1000
    print(f"  per template, cold (less start)       {per_template_ms:5.1f} ms")


if __name__ == "__main__":
    main()
