"""Translation calls compiled as direct calls of the part's escaping mode (compile side).

Jinja compiles ``{% trans %}`` and ``_()`` to ``context.call(gettext, ...)``: a check of what
the callable wants passed, then Jinja's gettext asks the context whether the part is
autoescaped, on every call. Both are known when the part is compiled, so this code generator
writes ``gettext.html(...)`` in an autoescaped part and ``gettext.text(...)`` in the others
(the callables of ``glasswork_email.i18n.translators``), and prints the result as it is: it
is already ``Markup`` (escaped values in a trusted translation) or plain text, so the
``escape(...)`` / ``str(...)`` around other printed values would only copy it. A part whose
escaping is only known at run time (a ``{% autoescape %}`` block with an expression) keeps
Jinja's call.
"""

from __future__ import annotations

import keyword
from typing import Any

from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame

__all__ = ["TRANSLATION_FUNCTIONS", "TranslationCallGenerator"]

TRANSLATION_FUNCTIONS = frozenset({"_", "gettext", "ngettext", "pgettext", "npgettext"})
"""The names whose calls are compiled as direct calls."""


class TranslationCallGenerator(CodeGenerator):
    """Jinja's code generator, with translation calls made directly in the part's mode."""

    def visit_Call(
        self, node: nodes.Call, frame: Frame, forward_caller: bool = False, **kwargs: Any
    ) -> None:
        """A call: direct for a translation function in a part of known escaping."""
        if not self._is_direct(node, frame, forward_caller):
            super().visit_Call(node, frame, forward_caller=forward_caller, **kwargs)
            return
        self.write("(")
        self.visit(node.node, frame)
        self.write(").html(" if frame.eval_ctx.autoescape else ").text(")
        for index, argument in enumerate([*node.args, *node.kwargs]):
            if index:
                self.write(", ")
            self.visit(argument, frame)
        self.write(")")

    def _output_child_pre(
        self, node: nodes.Expr, frame: Frame, finalize: CodeGenerator._FinalizeInfo
    ) -> None:
        if not self._prints_as_is(node, frame, finalize):
            super()._output_child_pre(node, frame, finalize)

    def _output_child_post(
        self, node: nodes.Expr, frame: Frame, finalize: CodeGenerator._FinalizeInfo
    ) -> None:
        if not self._prints_as_is(node, frame, finalize):
            super()._output_child_post(node, frame, finalize)

    def _prints_as_is(
        self, node: nodes.Expr, frame: Frame, finalize: CodeGenerator._FinalizeInfo
    ) -> bool:
        """Whether printing ``node`` needs no ``escape``/``str``: a direct translation call."""
        return (
            isinstance(node, nodes.Call)
            and finalize.src is None
            and self._is_direct(node, frame, forward_caller=False)
        )

    def _is_direct(self, node: nodes.Call, frame: Frame, forward_caller: bool) -> bool:
        # old-style gettext (the template formats the result itself) keeps Jinja's calls
        new_style = bool(getattr(self.environment, "newstyle_gettext", False))
        return (
            new_style
            and not self.environment.is_async
            and isinstance(node.node, nodes.Name)
            and node.node.name in TRANSLATION_FUNCTIONS
            and not frame.eval_ctx.volatile
            and not forward_caller
            and node.dyn_args is None
            and node.dyn_kwargs is None
            and not any(keyword.iskeyword(argument.key) for argument in node.kwargs)
        )
