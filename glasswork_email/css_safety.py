"""The check every value written into CSS (a ``<style>`` element, a ``style`` attribute) passes.

A value in CSS cannot run script in an email client, but it could add declarations or rules
(``red; background: url(https://tracker.example/p.gif)``) that load remote content or restyle
the message. The compiler (``compiler.url_contexts``) wraps each expression it finds in CSS in
the ``css_check`` filter: a value made only of what a single CSS value needs (words, numbers
and units, ``#`` colours, commas, ``/``, quotes, ``rgb()``/``rgba()``/``hsl()``/``hsla()``)
passes; anything else (``;``, ``:``, braces, ``url(``, comments, escapes, ``<``) renders as an
empty string and is logged.
"""

from __future__ import annotations

import logging
import re

__all__ = ["CSS_CHECK_FILTER", "css_check", "is_safe_css_value"]

logger = logging.getLogger(__name__)

CSS_CHECK_FILTER = "css_check"
"""The name the check is registered under in the rendering environment."""

_SAFE_CSS_VALUE = re.compile(
    r"(?:[\w\s#.,%+\-/'\"!]|(?:rgba?|hsla?)\(\s*[\d\s.,%/-]*\))*", re.ASCII | re.IGNORECASE
)


def is_safe_css_value(value: str) -> bool:
    """Whether ``value`` is one plain CSS value that cannot add declarations or rules."""
    return _SAFE_CSS_VALUE.fullmatch(value) is not None


def css_check(value: object) -> object:
    """The ``css_check`` filter: ``value`` when it is a plain CSS value, else ``""`` (logged)."""
    if is_safe_css_value(str(value)):
        return value
    logger.warning("refused a CSS value in an email: %.80r", str(value))
    return ""
