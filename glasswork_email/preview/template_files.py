"""Files of the templates folder (images an email links relatively), and nothing outside it.

A requested path is refused when it is absolute, has a ``..`` or empty segment, or resolves
(through symbolic links too) to a file outside the templates folder.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from starlette.responses import FileResponse, PlainTextResponse, Response

__all__ = ["resolve_inside", "template_file_response"]


def resolve_inside(folder: Path, requested: str) -> Path | None:
    """The file ``requested`` names inside ``folder``, or ``None`` when it is not one.

    Parameters:
        folder: the folder files are served from.
        requested: the path from the URL, ``/``-separated, already percent-decoded.
    """
    if "\\" in requested or "\0" in requested:
        return None
    parts = PurePosixPath(requested).parts
    if not parts or requested.startswith("/") or any(p in {"..", "."} for p in parts):
        return None
    root = folder.resolve()
    candidate = root.joinpath(*parts).resolve()
    if not candidate.is_relative_to(root) or not candidate.is_file():
        return None
    return candidate


def template_file_response(folder: Path, requested: str) -> Response:
    """The file ``requested`` inside ``folder``, or a 404 that says nothing about the rest."""
    path = resolve_inside(folder, requested)
    if path is None:
        return PlainTextResponse("not found", 404)
    return FileResponse(path, headers={"X-Content-Type-Options": "nosniff"})
