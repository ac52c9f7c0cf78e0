"""Compile benchmark: 200 templates, against plain Jinja compiling the same parts, same run.

Each figure is the median wall time of a fresh process (interpreter start included):
- ours cold: ``python -m glasswork_email.cli compile`` into a new, empty folder (nothing reused);
- ours unchanged: the same command again over an up-to-date package (nothing recompiled);
- baseline: plain Jinja's ``Environment.compile_templates`` turning the very Jinja sources our
  compile produced (each email's subject, HTML, text and preheader parts, written out as files
  beforehand, untimed) into Python modules, in one process.
Ours spreads the templates over the machine's cores (worker processes taking the next template
as each finishes one) and builds the catalogs in a process of its own (what a user's compile
does); the baseline is one process. The cases alternate round by round, so a
change in machine load hits them alike. Targets:
ours cold ≤ 1.4 times the baseline, unchanged ≤ 0.1 times ours cold. Run:
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
TEMPLATE_COUNT = 200
ROUNDS = 5
TARGET_COLD_RATIO = 1.4
"""Ours cold / plain Jinja's compile of the same parts, at most."""
TARGET_UNCHANGED_RATIO = 0.1
"""Ours unchanged / ours cold, at most."""

CONFIG = REPO / "pyproject.toml"
"""The repository's compile configuration (its templates use the i18n filters)."""

_BASELINE = """
import sys
from pathlib import Path
from jinja2 import FileSystemLoader
from glasswork_email.compiler.config import load_config
from glasswork_email.compiler.extensions import prepare_environment
from glasswork_email.rendering import create_compile_environment
parts, target, config = sys.argv[1], sys.argv[2], Path(sys.argv[3])
environment = prepare_environment(create_compile_environment(), load_config(config.parent, config))
environment.loader = FileSystemLoader(parts)
environment.compile_templates(target, zip=None, ignore_errors=False)
"""
"""Plain Jinja, in the environment our compiler uses (the same filters and i18n extension)."""


def make_templates(folder: Path) -> None:
    """``TEMPLATE_COUNT`` emails: the repository's examples, renamed, sharing its layouts and
    partials (and each one's sibling ``.txt`` and sample context)."""
    source = REPO / "templates"
    for shared in ("layouts", "partials", "locales"):
        if (source / shared).is_dir():
            shutil.copytree(source / shared, folder / shared)
    examples = sorted(p for p in source.glob("*") if p.suffix in (".mjml", ".html"))
    for index in range(TEMPLATE_COUNT):
        example = examples[index % len(examples)]
        name = f"{example.stem}_{index:03d}"
        (folder / f"{name}{example.suffix}").write_text(example.read_text())
        override = example.with_suffix(".txt")
        if override.exists():
            (folder / f"{name}.txt").write_text(override.read_text())


def write_parts(templates: Path, parts: Path) -> int:
    """Write the Jinja source of every part our compiler produces for ``templates``."""
    from glasswork_email.compiler.composition import SourceTree
    from glasswork_email.compiler.config import load_config
    from glasswork_email.compiler.extensions import CallableNames, prepare_environment
    from glasswork_email.compiler.project import discover_templates
    from glasswork_email.compiler.template import compile_template
    from glasswork_email.rendering import create_compile_environment

    config = load_config(REPO, CONFIG)
    html_environment = prepare_environment(create_compile_environment(), config)
    text_environment = prepare_environment(create_compile_environment(text=True), config)
    names = CallableNames.of(html_environment, config)
    tree = SourceTree(templates, html_environment)
    parts.mkdir()
    count = 0
    for path in discover_templates(templates):
        compiled = compile_template(tree, path, html_environment, text_environment, names)
        sources = {
            "subject.txt": compiled.subject,
            "html": compiled.html,
            "txt": compiled.text,
            "preheader.txt": compiled.preheader,
        }
        for suffix, text in sources.items():
            if text is not None:
                (parts / f"{compiled.name}.{suffix}").write_text(text)
                count += 1
    return count


def run(command: list[str]) -> float:
    """Wall time of one subprocess, in seconds."""
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
    part_count = write_parts(templates, workdir / "parts")
    python = sys.executable
    ours = [python, "-m", "glasswork_email.cli", "compile", str(templates), "--config"]
    ours += [str(CONFIG), "--out"]
    run([*ours, str(workdir / "unchanged")])  # the package the unchanged runs find up to date
    cold: list[float] = []
    unchanged: list[float] = []
    baseline: list[float] = []
    for round_ in range(ROUNDS):
        cold.append(run([*ours, str(workdir / f"cold_{round_}")]))
        unchanged.append(run([*ours, str(workdir / "unchanged")]))
        target = workdir / f"baseline_{round_}"
        parts = str(workdir / "parts")
        baseline.append(run([python, "-c", _BASELINE, parts, str(target), str(CONFIG)]))
    ours_cold = statistics.median(cold)
    ours_unchanged = statistics.median(unchanged)
    plain = statistics.median(baseline)
    print(
        f"{TEMPLATE_COUNT} templates ({part_count} Jinja parts), whole process, "
        f"median of {ROUNDS} (seconds); {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}"
    )
    print(f"  ours, cold                         {ours_cold:6.3f} s   (best {min(cold):.3f} s)")
    print(f"  ours, unchanged                    {ours_unchanged:6.3f} s")
    print(f"  plain Jinja compile_templates      {plain:6.3f} s   (best {min(baseline):.3f} s)")
    cold_ratio = ours_cold / plain
    unchanged_ratio = ours_unchanged / ours_cold
    print("ratios")
    print(f"  ours cold / plain Jinja            {cold_ratio:6.2f}   target ≤ {TARGET_COLD_RATIO}")
    print(
        f"  ours unchanged / ours cold         {unchanged_ratio:6.2f}   "
        f"target ≤ {TARGET_UNCHANGED_RATIO}"
    )


if __name__ == "__main__":
    main()
