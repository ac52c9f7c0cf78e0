"""Translation calls compiled as direct calls of the part's escaping mode (compile side).

Jinja compiles ``{% trans %}`` and ``_()`` to ``context.call(gettext, ...)``: a check of what
the callable wants passed, then Jinja's gettext asks the context whether the part is
autoescaped, on every call. Both are known when the part is compiled, so this code generator
writes ``gettext.html(...)`` in an autoescaped part and ``gettext.text(...)`` in the others
(the callables of ``glasswork_email.i18n.translators``; a message without values is first
looked up in the language's ``html_messages`` / ``text_messages``), and prints the result as it
is: it is already ``Markup`` (escaped values in a trusted translation) or plain text, so the
``escape(...)`` / ``str(...)`` around other printed values would only copy it. A part whose
escaping is only known at run time (a ``{% autoescape %}`` block with an expression) keeps
Jinja's call.
"""

from __future__ import annotations

import keyword
from typing import Any, cast

from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame

__all__ = ["TRANSLATION_FUNCTIONS", "TranslationCallGenerator"]

TRANSLATION_FUNCTIONS = frozenset({"_", "gettext", "ngettext", "pgettext", "npgettext"})
"""The names whose calls are compiled as direct calls."""
_MESSAGE_FUNCTIONS = frozenset({"_", "gettext"})


def _is_constant_message(node: nodes.Call) -> bool:
    """``_("Total")``: one literal message, no values."""
    return (
        isinstance(node.node, nodes.Name)
        and node.node.name in _MESSAGE_FUNCTIONS
        and len(node.args) == 1
        and isinstance(node.args[0], nodes.Const)
        and isinstance(node.args[0].value, str)
        and not node.kwargs
    )


class TranslationCallGenerator(CodeGenerator):
    """Jinja's code generator, with translation calls made directly in the part's mode."""

    def visit_Call(
        self, node: nodes.Call, frame: Frame, forward_caller: bool = False, **kwargs: Any
    ) -> None:
        """A call: direct for a translation function in a part of known escaping."""
        if not self._is_direct(node, frame, forward_caller):
            super().visit_Call(node, frame, forward_caller=forward_caller, **kwargs)
            return
        mode = "html" if frame.eval_ctx.autoescape else "text"
        if _is_constant_message(node):
            # a message without values, formatted once per language: a dictionary lookup
            self.write("(")
            self._callee(node, frame)
            message = cast(nodes.Const, node.args[0]).value
            self.write(f".{mode}_messages.get({message!r}) or ")
        self._callee(node, frame)
        self.write(f".{mode}(")
        for index, argument in enumerate([*node.args, *node.kwargs]):
            if index:
                self.write(", ")
            self.visit(argument, frame)
        self.write(")")
        if _is_constant_message(node):
            self.write(")")

    def _callee(self, node: nodes.Call, frame: Frame) -> None:
        self.write("(")
        self.visit(node.node, frame)
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
