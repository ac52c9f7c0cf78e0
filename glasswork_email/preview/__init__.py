"""``glasswork-email preview``: a local web page showing every email with its fixtures, live.

Needs the ``preview`` extra (Starlette, uvicorn, watchfiles); imported only by that command,
never by the worker. ``PreviewServer`` runs it; ``create_app`` is the ASGI application.
"""

from glasswork_email.preview.server import PreviewServer, create_app

__all__ = ["PreviewServer", "create_app"]
