"""The check every value in a URL attribute of an email's HTML passes at render time.

Autoescape keeps a value inside its attribute but lets any scheme through: ``href="{{ url }}"``
would carry ``javascript:`` to the inbox. The compiler (``compiler.url_contexts``) finds, from
the template's structure, every expression that decides the scheme of a URL attribute and wraps
it in the ``url_check`` filter with the schemes allowed in that slot, so a render costs one
check per URL slot and nothing elsewhere.

The check reads the value as a browser would before looking at its scheme: leading and
trailing spaces and control characters are dropped, tabs and line breaks removed anywhere, the
scheme lower-cased, and a value already marked safe (``Markup``) has its character references
decoded. A value that is refused is replaced by ``REFUSED_URL`` and logged.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Collection

from markupsafe import Markup

__all__ = [
    "DEFAULT_IMAGE_SCHEMES",
    "DEFAULT_LINK_SCHEMES",
    "REFUSED_URL",
    "URL_CHECK_FILTER",
    "is_allowed_url",
    "url_check",
]

logger = logging.getLogger(__name__)

DEFAULT_LINK_SCHEMES = ("https", "http", "mailto", "tel")
"""Schemes a link (``href``, ``action``, ...) may have; a URL without a scheme is relative."""

DEFAULT_IMAGE_SCHEMES = ("https", "http", "cid", "data")
"""Schemes an image (``src``, ``background``, ``poster``, ...) may have; ``data`` only for
``data:image/*`` other than SVG (which can carry script)."""

REFUSED_URL = "about:invalid#refused-url"
"""What a refused value renders as: a URL that goes nowhere and runs nothing."""

URL_CHECK_FILTER = "url_check"
"""The name the check is registered under in the rendering environment."""

# What browsers drop around a URL (C0 controls and space) and remove inside it (tab, LF, CR).
_EDGES = "".join(chr(code) for code in range(0x21))
_REMOVED = {0x09: None, 0x0A: None, 0x0D: None}
_CONTROL = re.compile("[\x00-\x1f\x7f]")
_SCHEME_END = re.compile(r"[:/?#]")


def is_allowed_url(value: str, schemes: Collection[str]) -> bool:
    """Whether ``value``, read as a browser reads a URL attribute, has a scheme in ``schemes``
    (or none: a relative URL). ``"data"`` in ``schemes`` admits only non-SVG ``data:image/*``."""
    url = value.strip(_EDGES).translate(_REMOVED)
    if _CONTROL.search(url):
        return False
    end = _SCHEME_END.search(url)
    if end is None or end.group() != ":":
        return True  # no scheme: relative to the document, which has none in an inbox
    scheme = url[: end.start()].lower()
    if scheme not in schemes:
        return False
    if scheme == "data":
        media_type = re.split(r"[;,]", url[end.end() :], maxsplit=1)[0].strip(_EDGES).lower()
        return media_type.startswith("image/") and not media_type.startswith("image/svg")
    return True


def url_check(value: object, *schemes: str) -> object:
    """The ``url_check`` filter: ``value`` itself when its scheme is one of ``schemes`` (or it
    has none), else ``REFUSED_URL``, with a warning naming the refused scheme.

    Parameters:
        value: what the template put in the URL slot.
        schemes: the schemes allowed in this slot, chosen by the compiler.
    """
    text = str(value)
    candidate = html.unescape(text) if isinstance(value, Markup) else text
    if is_allowed_url(candidate, schemes):
        return value
    logger.warning(
        "refused a URL in an email (allowed schemes: %s): %.80r", ", ".join(schemes), candidate
    )
    return REFUSED_URL
