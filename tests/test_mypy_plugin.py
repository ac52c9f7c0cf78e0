"""``glasswork.mypy_plugin``: loaded by mypy only, never by glasswork or the worker.

What the plugin reports is specified by the typing corpus (``tests/typing``), which runs mypy
with and without it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from mypy.plugin import Plugin

from glasswork.mypy_plugin import GlassworkPlugin, plugin
from glasswork.mypy_plugin.enqueue import ENQUEUE_ONE
from glasswork.mypy_plugin.enqueue_batch import ENQUEUE_BATCH

ROOT = Path(__file__).resolve().parents[1]

IMPORT_THE_WORKER = """
import sys
import glasswork, glasswork.jobs.service, examples.app.worker
print(sorted(m for m in sys.modules if m.split(".")[0] == "mypy" or "mypy_plugin" in m))
"""


def test_the_worker_and_glasswork_never_import_mypy_or_the_plugin() -> None:
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_THE_WORKER],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_mypy_loads_the_plugin_class_by_its_entry_point() -> None:
    loaded = plugin("1.11.0")
    assert loaded is GlassworkPlugin
    assert issubclass(loaded, Plugin)


def test_the_plugin_hooks_the_enqueue_methods_and_no_other_method() -> None:
    from mypy.options import Options

    instance = GlassworkPlugin(Options())
    service = "glasswork.jobs.service.JobService"
    hooked = {
        name
        for name in ("enqueue", "enqueue_in", "enqueue_at", "enqueue_batch", "_send", "_prepare")
        if instance.get_method_signature_hook(f"{service}.{name}") is not None
    }
    assert hooked == {"enqueue", "enqueue_in", "enqueue_at", "enqueue_batch"}
    assert {f"{service}.{name}" for name in hooked} == ENQUEUE_ONE | {ENQUEUE_BATCH}
    assert instance.get_method_signature_hook("builtins.list.append") is None
