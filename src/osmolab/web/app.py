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

import logging
import threading
from urllib.parse import parse_qsl

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from .. import __version__
from ..errors import InputError
from . import api, db, pages, projects, stream
from .models import ERROR_RESPONSES
from .security import TOKEN_COOKIE, Settings, host_allowed, presented_token, token_ok

__all__ = ["Settings", "create_app", "validation_detail"]

_log = logging.getLogger("osmolab.web")

_UNAUTHORISED = b'{"detail":"missing or wrong token: add \'Authorization: Bearer TOKEN\' or ?token=TOKEN"}'


_WRONG_HOST = (b'{"detail":"this workbench runs without a token and answers only to a loopback '
               b'address (127.0.0.1, localhost); start it with --token to reach it by another '
               b'name"}')


class BodyTooLarge(HTTPException):
    """A request body above :attr:`Settings.max_body_bytes` (HTTP 413)."""

    def __init__(self, limit: int):
        super().__init__(413, f"request body over {limit} bytes")


class _Headers:
    """Read access to ASGI header pairs (lower-case names)."""

    def __init__(self, raw):
        self._raw = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in raw or ()}

    def get(self, name, default=None):
        return self._raw.get(name, default)


def _cookies(headers: _Headers) -> dict:
    out = {}
    for part in (headers.get("cookie") or "").split(";"):
        name, _, value = part.strip().partition("=")
        if name:
            out[name] = value
    return out


def _query(scope) -> dict:
    raw = scope.get("query_string", b"").decode("latin-1")
    return dict(parse_qsl(raw)) if raw else {}


class _Guard:
    """Token check on every HTTP request and WebSocket; request-size limit (HTTP 413).

    Pure ASGI (no buffering of responses): a request without the token gets HTTP 401, a
    WebSocket without it is closed before it opens (HTTP 403). A body announced above the
    limit is refused at once; a body streamed without a length is counted as it arrives.
    """

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        settings: Settings = scope["app"].state.settings
        headers = _Headers(scope.get("headers"))
        query = _query(scope)
        if not host_allowed(settings, headers.get("host")):
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008})
            else:
                await _respond(send, 403, _WRONG_HOST)
            return
        presented = presented_token(headers, _cookies(headers), query)
        if not token_ok(settings, presented):
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008})
            else:
                await _respond(send, 401, _UNAUTHORISED)
            return
        if scope["type"] == "websocket":
            await self.app(scope, receive, send)
            return
        limit = settings.max_body_bytes
        length = headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > limit):
            detail = f'{{"detail":"request body over {limit} bytes"}}'.encode()
            await _respond(send, 413, detail)
            return
        received = 0

        async def limited_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        keep = settings.token and query.get("token")

        async def send_with_cookie(message):
            if keep and message["type"] == "http.response.start":
                # a browser that came with ?token= keeps it for the pages' own requests
                cookie = f"{TOKEN_COOKIE}={keep}; HttpOnly; SameSite=Strict; Path=/"
                message = {**message, "headers": [*message.get("headers", []),
                                                  (b"set-cookie", cookie.encode("latin-1"))]}
            await send(message)

        await self.app(scope, limited_receive, send_with_cookie)


async def _respond(send, status: int, body: bytes) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


_UNION_TAGS = ("str", "int", "float", "bool", "list", "dict", "function-after", "function-before",
               "function-wrap", "literal", "union", "constrained-str", "constrained-float")


def _field_path(loc) -> str:
    parts = []
    for p in loc:
        if p in ("body", "query", "path"):
            continue
        text = str(p)
        if any(text.startswith(tag) for tag in _UNION_TAGS) and not parts[-1:] == ["overrides"]:
            continue  # the branch of a union pydantic tried ('str', 'dict[str,float]')
        parts.append(text)
    return ".".join(parts) or "request"


def validation_detail(exc: RequestValidationError) -> str:
    """One readable line for a request that failed validation, naming the field."""
    errors = exc.errors()
    if not errors:
        return "invalid request"
    first = errors[0]
    message = str(first.get("msg", "invalid value")).removeprefix("Value error, ")
    where = _field_path(first.get("loc", ()))
    more = sum(1 for e in errors[1:] if _field_path(e.get("loc", ())) != where)
    tail = f" (and {more} more)" if more else ""
    return " ".join(f"{where}: {message}{tail}".split())


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
    app = FastAPI(title="osmolab workbench", version=__version__,
                  description="Diffusion, osmosis and reverse osmosis: the library as a JSON API.",
                  responses=ERROR_RESPONSES)
    app.state.settings = settings
    app.state.database = db.Database(settings.database_url)
    app.add_middleware(_Guard)
    if settings.warm_up:
        threading.Thread(target=api.warm_up, name="osmolab-warm-up", daemon=True).start()

    @app.exception_handler(InputError)
    async def _input_error(request: Request, exc: InputError):
        return JSONResponse({"detail": str(exc)}, status_code=422)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError):
        return JSONResponse({"detail": validation_detail(exc)}, status_code=422)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        _log.error("internal error on %s %s", request.method, request.url.path, exc_info=exc)
        return JSONResponse({"detail": f"internal error ({type(exc).__name__}); "
                             "please report it with the request that caused it"},
                            status_code=500)

    for module in (api, projects, stream, pages):
        app.include_router(module.router)
    pages.mount_static(app)
    return app
