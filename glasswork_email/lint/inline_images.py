"""The images an email shows from ``cid:`` parts, found among the templates folder's files.

``<img src="cid:logo">`` shows an image the message carries as an inline part
(``Attachment(content_id="logo")``), so the sender attaches the file. Lint measures the
message as it will be sent and the preview shows it in its MIME source, so both look for that
file in the templates folder: the content id as a path inside the folder
(``cid:images/logo.png``), else the one image file anywhere in the folder named like it
(``logo.png`` for ``cid:logo`` and for ``cid:logo@shop.example``).
"""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from glasswork_email.lint.html_document import Element
from glasswork_email.message import Attachment

__all__ = ["InlineImage", "cid_references", "find_inline_images", "inline_attachments"]

URL_ATTRIBUTES = ("src", "background", "poster")
"""Attributes whose value is an image URL."""

_CSS_CID_URL = re.compile(r"url\(\s*['\"]?\s*cid:([^'\")\s]+)", re.IGNORECASE)


@dataclass(frozen=True)
class InlineImage:
    """One inline image an email references, and the file found for it.

    Parameters:
        content_id: the content id (``logo`` for ``cid:logo``), percent-decoded.
        element: the first element that shows it.
        path: the image file, ``None`` when none (or more than one) was found.
        candidates: the files that matched when several did (default none).
    """

    content_id: str
    element: Element
    path: Path | None
    candidates: tuple[Path, ...] = ()


def _cids_of(element: Element) -> Iterator[str]:
    for name in URL_ATTRIBUTES:
        value = element.attributes.get(name, "").strip()
        if value[:4].lower() == "cid:" and value[4:]:
            yield unquote(value[4:])
    for match in _CSS_CID_URL.finditer(element.attributes.get("style", "")):
        yield unquote(match.group(1))


def cid_references(document: Element) -> dict[str, Element]:
    """Each content id the document shows (``src="cid:..."``, ``url(cid:...)``), with the
    first element showing it, in document order."""
    references: dict[str, Element] = {}
    for element in document.iter():
        for content_id in _cids_of(element):
            references.setdefault(content_id, element)
    return references


def _is_image(path: Path) -> bool:
    guessed, _encoding = mimetypes.guess_type(path.name)
    return bool(guessed and guessed.startswith("image/"))


def _image_files(folder: Path) -> list[Path]:
    root = folder.resolve()
    return sorted(
        path
        for path in folder.rglob("*")
        if path.is_file()
        and _is_image(path)
        and path.resolve().is_relative_to(root)
        and not any(part.startswith(".") for part in path.relative_to(folder).parts)
    )


def _named_like(content_id: str, files: list[Path]) -> list[Path]:
    local = content_id.partition("@")[0]
    return [path for path in files if path.name == content_id or path.stem in (content_id, local)]


def find_inline_images(document: Element, folder: Path | None) -> list[InlineImage]:
    """The inline images ``document`` shows, each with its file in ``folder`` when found.

    Parameters:
        document: the rendered HTML, parsed.
        folder: the templates folder (``None``: no file is looked for).
    """
    references = cid_references(document)
    if not references:
        return []
    files = _image_files(folder) if folder is not None else []
    images: list[InlineImage] = []
    for content_id, element in references.items():
        direct = (folder / content_id) if folder is not None else None
        if direct is not None and direct in files:
            images.append(InlineImage(content_id, element, direct))
            continue
        matches = _named_like(content_id, files)
        if len(matches) == 1:
            images.append(InlineImage(content_id, element, matches[0]))
        else:
            images.append(InlineImage(content_id, element, None, tuple(matches)))
    return images


def inline_attachments(images: list[InlineImage]) -> list[Attachment]:
    """The inline parts a sender attaches for ``images`` (those whose file was found)."""
    return [
        Attachment(
            content=image.path.read_bytes(),
            filename=image.path.name,
            content_id=image.content_id,
        )
        for image in images
        if image.path is not None
    ]
