"""Where in the HTML (or MJML) markup an expression lands: text, a quoted attribute value, a
tag name, an unquoted value, script or style.

``HtmlContextTracker`` is fed the literal text of a template in order and answers, between two
pieces of text, the context an expression there would be written into. It follows the HTML
tokenizer's states closely enough for templates (tags, attributes with and without quotes,
raw-text elements), not every corner of the specification; content inside ``<!-- ... -->`` is
read as markup, since Outlook's conditional comments carry real elements.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

__all__ = ["Context", "HtmlContextTracker", "Slot"]

_RAW_TEXT_ELEMENTS = frozenset({"script", "style", "mj-style", "xmp", "noembed", "noframes"})
_SPACE = frozenset(" \t\n\r\f")
# Runs of characters a state only accumulates or skips, consumed at once instead of one by one
_TAG_NAME_RUN = re.compile(r"[^ \t\n\r\f/>]+")
_ATTRIBUTE_NAME_RUN = re.compile(r"[^ \t\n\r\f=>/]+")
_UNQUOTED_VALUE_RUN = re.compile(r"[^ \t\n\r\f>]+")
_SPACE_RUN = re.compile(r"[ \t\n\r\f]+")
_QUOTED_ATTRIBUTE = re.compile(
    r"[ \t\n\r\f]*([^ \t\n\r\f>/][^ \t\n\r\f=>/]*)"  # the name
    r"[ \t\n\r\f]*=[ \t\n\r\f]*"
    r"""(?:"([^"]*)"|'([^']*)')"""  # the value
)
"""A whole quoted attribute, read from before its name to after its closing quote."""
_WHOLE_TAG = re.compile(
    r"<(/?)([A-Za-z][^ \t\n\r\f/>]*)"  # "<", maybe "/", the name
    r"(?:[ \t\n\r\f/]*[^ \t\n\r\f>/][^ \t\n\r\f=>/]*"  # attributes: the name
    r"""[ \t\n\r\f]*=[ \t\n\r\f]*("[^"]*"|'[^']*'))*"""  # ... and its quoted value
    r"[ \t\n\r\f/]*>"
)
"""A whole tag whose attributes are all quoted, from its "<" to its ">": the common case, read
at once from text (the last attribute's value, quoted, in group 3)."""


class Context(enum.Enum):
    """The kinds of place an expression can land in."""

    TEXT = "text"
    ATTRIBUTE_VALUE = "attribute value"
    UNQUOTED_ATTRIBUTE_VALUE = "unquoted attribute value"
    ATTRIBUTE_NAME = "attribute name"
    TAG_NAME = "tag name"
    RAW_TEXT = "raw text"


@dataclass(frozen=True)
class Slot:
    """The context of one expression.

    Parameters:
        context: what kind of place it is.
        tag: the element's name, lower-cased ("" in text).
        attribute: the attribute's name, lower-cased, in an attribute value.
        value_before: the attribute value written before the expression since the value began
            or since the last statement; ``"\\0"`` stands for each earlier expression.
    """

    context: Context
    tag: str = ""
    attribute: str = ""
    value_before: str = ""


class _State(enum.Enum):
    DATA = 0
    TAG_OPEN = 1
    TAG_NAME = 2
    BEFORE_ATTRIBUTE = 3
    ATTRIBUTE_NAME = 4
    AFTER_ATTRIBUTE_NAME = 5
    BEFORE_VALUE = 6
    VALUE_DOUBLE = 7
    VALUE_SINGLE = 8
    VALUE_UNQUOTED = 9
    RAW_TEXT = 10


_SKIPS_SPACE = frozenset(
    {_State.BEFORE_ATTRIBUTE, _State.AFTER_ATTRIBUTE_NAME, _State.BEFORE_VALUE}
)
"""States in which white space changes nothing."""

_CONTEXTS = {
    _State.DATA: Context.TEXT,
    _State.TAG_OPEN: Context.TAG_NAME,
    _State.TAG_NAME: Context.TAG_NAME,
    _State.BEFORE_ATTRIBUTE: Context.ATTRIBUTE_NAME,
    _State.ATTRIBUTE_NAME: Context.ATTRIBUTE_NAME,
    _State.AFTER_ATTRIBUTE_NAME: Context.ATTRIBUTE_NAME,
    _State.BEFORE_VALUE: Context.UNQUOTED_ATTRIBUTE_VALUE,
    _State.VALUE_UNQUOTED: Context.UNQUOTED_ATTRIBUTE_VALUE,
    _State.VALUE_DOUBLE: Context.ATTRIBUTE_VALUE,
    _State.VALUE_SINGLE: Context.ATTRIBUTE_VALUE,
    _State.RAW_TEXT: Context.RAW_TEXT,
}


class HtmlContextTracker:
    """Follows markup text piece by piece; ``slot()`` is the context at the current point."""

    def __init__(self) -> None:
        self._state = _State.DATA
        self._tag = ""
        self._closing = False
        self._attribute = ""
        self._value = ""
        self._raw_end = ""

    def slot(self) -> Slot:
        """The context an expression at the current point is written into."""
        context = _CONTEXTS[self._state]
        if context is Context.ATTRIBUTE_VALUE:
            return Slot(context, self._tag.lower(), self._attribute, self._value)
        return Slot(context, self._tag.lower(), self._attribute)

    def expression(self) -> None:
        """An expression's output was written at the current point."""
        if self._state in (_State.VALUE_DOUBLE, _State.VALUE_SINGLE):
            self._value += "\0"
        elif self._state is _State.BEFORE_VALUE:
            self._state = _State.VALUE_UNQUOTED

    def statement(self) -> None:
        """A statement boundary (a branch or loop may start or end): what an attribute value
        held before it is no longer known to precede what follows."""
        self._value = ""

    def feed(self, text: str) -> None:
        """Advance over literal ``text``."""
        index, end = 0, len(text)
        while index < end:
            state = self._state
            if state is _State.DATA:
                found = text.find("<", index)
                if found < 0:
                    return
                index = self._whole_tag(text, found)
                if index == found:
                    self._state, self._tag, self._closing = _State.TAG_OPEN, "", False
                    index = found + 1
            elif state in (_State.VALUE_DOUBLE, _State.VALUE_SINGLE):
                quote = '"' if state is _State.VALUE_DOUBLE else "'"
                found = text.find(quote, index)
                if found < 0:
                    self._value += text[index:]
                    return
                self._value += text[index:found]
                self._state = _State.BEFORE_ATTRIBUTE
                index = found + 1
            elif state is _State.RAW_TEXT:
                found = text.lower().find(self._raw_end, index)
                if found < 0:
                    return
                self._state, self._tag, self._closing = _State.TAG_NAME, self._raw_end[2:], True
                index = found + len(self._raw_end)
            else:
                run = self._run(state, text, index)
                if run > index:
                    index = run
                else:
                    self._step(text[index])
                    index += 1

    def _whole_tag(self, text: str, index: int) -> int:
        """Read the whole tag at ``index`` (a "<") at once, as the steps would, when it is one
        ``_WHOLE_TAG`` matches; return where it ends (``index``: it is not)."""
        match = _WHOLE_TAG.match(text, index)
        if match is None:
            return index
        closing, self._tag, last_value = match.groups()
        self._closing = bool(closing)
        if last_value is not None:
            self._value = last_value[1:-1]
        self._end_tag()
        return match.end()

    def _run(self, state: _State, text: str, index: int) -> int:
        """Consume the run of characters at ``index`` that ``state`` only accumulates or skips
        (as ``_step`` would, one at a time); return where it ends (``index``: none)."""
        if state is _State.TAG_NAME:
            match = _TAG_NAME_RUN.match(text, index)
            if match is None:
                return index
            run = match.group()
            if len(self._tag) < 3 and (self._tag + run).startswith("!--"):
                taken = 3 - len(self._tag)  # a comment opens: what follows is data
                self._tag, self._state = "!--", _State.DATA
                return index + taken
            self._tag += run
            return match.end()
        if state is _State.ATTRIBUTE_NAME:
            match = _ATTRIBUTE_NAME_RUN.match(text, index)
            if match is None:
                return index
            run = match.group()
            self._attribute += _lower(run)
            return match.end()
        if state is _State.VALUE_UNQUOTED:
            match = _UNQUOTED_VALUE_RUN.match(text, index)
            if match is None:
                return index
            self._value += match.group()
            return match.end()
        if state is _State.BEFORE_ATTRIBUTE:
            match = _QUOTED_ATTRIBUTE.match(text, index)
            if match is not None:
                name, double, single = match.groups()
                self._attribute = _lower(name)
                self._value = double if double is not None else single
                return match.end()
        if state in _SKIPS_SPACE:
            match = _SPACE_RUN.match(text, index)
            return index if match is None else match.end()
        return index

    def _step(self, character: str) -> None:
        state = self._state
        if state is _State.TAG_OPEN:
            if character == "/":
                self._closing = True
            elif character.isalpha() or character == "!":
                self._state, self._tag = _State.TAG_NAME, character
            else:
                self._state = _State.DATA  # a lone "<" in text
        elif state is _State.TAG_NAME:
            if character in _SPACE or character == "/":
                self._state = _State.BEFORE_ATTRIBUTE
            elif character == ">":
                self._end_tag()
            else:
                self._tag += character
                if self._tag == "!--":
                    self._state = _State.DATA
        elif state in (_State.BEFORE_ATTRIBUTE, _State.AFTER_ATTRIBUTE_NAME):
            if character == ">":
                self._end_tag()
            elif character == "=" and state is _State.AFTER_ATTRIBUTE_NAME:
                self._state, self._value = _State.BEFORE_VALUE, ""
            elif character == "/":
                self._state = _State.BEFORE_ATTRIBUTE  # the "/" of "/>"
            elif character not in _SPACE:
                self._state, self._attribute = _State.ATTRIBUTE_NAME, character.lower()
        elif state is _State.ATTRIBUTE_NAME:
            if character in _SPACE:
                self._state = _State.AFTER_ATTRIBUTE_NAME
            elif character == "=":
                self._state, self._value = _State.BEFORE_VALUE, ""
            elif character == ">":
                self._end_tag()
            elif character == "/":
                self._state = _State.BEFORE_ATTRIBUTE
            else:
                self._attribute += character.lower()
        elif state is _State.BEFORE_VALUE:
            if character == '"':
                self._state = _State.VALUE_DOUBLE
            elif character == "'":
                self._state = _State.VALUE_SINGLE
            elif character == ">":
                self._end_tag()
            elif character not in _SPACE:
                self._state, self._value = _State.VALUE_UNQUOTED, character
        elif state is _State.VALUE_UNQUOTED:
            if character in _SPACE:
                self._state = _State.BEFORE_ATTRIBUTE
            elif character == ">":
                self._end_tag()
            else:
                self._value += character

    def _end_tag(self) -> None:
        name = self._tag.lower()
        if not self._closing and name in _RAW_TEXT_ELEMENTS:
            self._state, self._raw_end = _State.RAW_TEXT, f"</{name}"
        else:
            self._state = _State.DATA
        self._attribute = ""


def _lower(name: str) -> str:
    """``name`` lower-cased character by character, as the tracker's steps read it."""
    return name.lower() if name.isascii() else "".join(map(str.lower, name))
