"""A mypy plugin: payloads checked against the payload type of the job they are enqueued with.

Enable it in the mypy configuration with ``plugins = ["glasswork.mypy_plugin"]``. mypy imports
this package; glasswork itself never does, so the worker does not load mypy.

Without it, mypy reports a payload that does not fit its job as ``Cannot infer value of type
parameter "P"`` (``enqueue``) or a mismatch with ``BatchItem[Any]`` (``enqueue_batch``): the job
fixes the payload type and the payload pulls it elsewhere, and mypy names neither. With it:

- ``enqueue``, ``enqueue_in`` and ``enqueue_at`` take the payload type from the job, so the
  error is mypy's ``Argument 2 ... has incompatible type "X"; expected "Y"``
  (``glasswork.mypy_plugin.enqueue``);
- each ``(job, payload)`` pair given to ``enqueue_batch`` is checked against its job, and the
  error names both types (``glasswork.mypy_plugin.enqueue_batch``).
"""

from __future__ import annotations

from collections.abc import Callable

from mypy.plugin import MethodSigContext, Plugin
from mypy.types import FunctionLike

from glasswork.mypy_plugin.enqueue import ENQUEUE_ONE, solve_from_job
from glasswork.mypy_plugin.enqueue_batch import ENQUEUE_BATCH, check_enqueue_batch

__all__ = ["GlassworkPlugin", "plugin"]


class GlassworkPlugin(Plugin):
    """Checks the payloads given to ``JobService``'s enqueue methods against their jobs."""

    def get_method_signature_hook(
        self, fullname: str
    ) -> Callable[[MethodSigContext], FunctionLike] | None:
        """The hook for ``JobService``'s enqueue methods; none for any other method."""
        if fullname == ENQUEUE_BATCH:
            return check_enqueue_batch
        if fullname in ENQUEUE_ONE:
            return solve_from_job
        return None


def plugin(version: str) -> type[Plugin]:
    """mypy's entry point: the plugin class (any mypy version with this plugin API)."""
    return GlassworkPlugin
