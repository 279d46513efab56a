"""The workbench application: settings, security, error handling, routers.

:func:`create_app` builds the FastAPI app from :class:`Settings`; ``osmolab serve`` runs it
on uvicorn. Security: the app binds to 127.0.0.1 by default; on any other address a token is
required (``--token`` or ``OSMOLAB_TOKEN``) and checked on every request (header
``Authorization: Bearer TOKEN``, cookie ``osmolab_token`` or query ``?token=``) and on every
WebSocket. Request bodies above :attr:`Settings.max_body_bytes` are refused with HTTP 413.
Every :class:`osmolab.errors.InputError` and every validation failure becomes HTTP 422 with
``{"detail": "<one line naming the field>"}``; unexpected errors become HTTP 500 with a
one-line message and no stack trace.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.middleware.base import BaseHTTPMiddleware

from ..errors import InputError
from . import api, db, pages, projects, stream
from .security import Settings, presented_token, token_ok

__all__ = ["Settings", "create_app"]

class _Guard(BaseHTTPMiddleware):
    """Token check and request-size limit on every HTTP request."""

    async def dispatch(self, request: Request, call_next):
        settings: Settings = request.app.state.settings
        if not token_ok(settings, presented_token(request.headers, request.cookies,
                                                  request.query_params)):
            return JSONResponse({"detail": "missing or wrong token: add "
                                 "'Authorization: Bearer TOKEN' or ?token=TOKEN"},
                                status_code=401)
        length = request.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > settings.max_body_bytes:
            return JSONResponse({"detail": f"request body over {settings.max_body_bytes} bytes"},
                                status_code=413)
        response = await call_next(request)
        query_token = request.query_params.get("token")
        if settings.token and query_token:  # a browser that came with ?token= keeps it
            response.set_cookie("osmolab_token", query_token, httponly=True, samesite="strict")
        return response


def _field_path(loc) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path")]
    return ".".join(parts) or "request"


def validation_detail(exc: RequestValidationError) -> str:
    """One readable line for a request that failed validation, naming the field."""
    errors = exc.errors()
    if not errors:
        return "invalid request"
    first = errors[0]
    message = str(first.get("msg", "invalid value")).removeprefix("Value error, ")
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{_field_path(first.get('loc', ()))}: {message}{more}"


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the workbench application.

    Parameters
    ----------
    settings : Settings, optional
        Host, database, token and limits; defaults to :class:`Settings` ().

    Returns
    -------
    fastapi.FastAPI
    """
    settings = settings or Settings()
    app = FastAPI(title="osmolab workbench", version="0.1.0",
                  description="Diffusion, osmosis and reverse osmosis: the library as a JSON API.")
    app.state.settings = settings
    app.state.database = db.Database(settings.database_url)
    app.add_middleware(_Guard)

    @app.exception_handler(InputError)
    async def _input_error(request: Request, exc: InputError):
        return JSONResponse({"detail": str(exc)}, status_code=422)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError):
        return JSONResponse({"detail": validation_detail(exc)}, status_code=422)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        return JSONResponse({"detail": f"internal error ({type(exc).__name__}); "
                             "please report it with the request that caused it"},
                            status_code=500)

    for module in (api, projects, stream, pages):
        app.include_router(module.router)
    pages.mount_static(app)
    return app
