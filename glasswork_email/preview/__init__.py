"""``glasswork-email preview``: a local web page showing every email with its fixtures, live.

Needs the ``preview`` extra (Starlette, uvicorn, watchfiles); imported only by that command,
never by the worker. ``PreviewServer`` runs it; ``create_app`` is the ASGI application. Both
are imported on first use, so the CLI reading ``preview.command`` to build its parser does not
load Starlette for the other commands.
"""

from typing import TYPE_CHECKING

from glasswork.lazy_exports import lazy_attributes

if TYPE_CHECKING:
    from glasswork_email.preview.server import PreviewServer, create_app

__all__ = ["PreviewServer", "create_app"]

_EXPORTS = {
    "PreviewServer": "glasswork_email.preview.server",
    "create_app": "glasswork_email.preview.server",
}

__getattr__ = lazy_attributes("glasswork_email.preview", _EXPORTS, globals())
