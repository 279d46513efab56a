"""Workbench settings and the token rule (shared by the app, its routers and the WebSocket).

The server binds to 127.0.0.1 by default; on any other address a token is required
(``--token`` or ``OSMOLAB_TOKEN``). A client presents it as the header
``Authorization: Bearer TOKEN``, the cookie ``osmolab_token`` or the query ``?token=``.
"""

from __future__ import annotations

import hmac
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_data_dir

from ..errors import InputError

__all__ = ["Settings", "default_database_url", "database_url", "token_ok", "presented_token",
           "websocket_token_ok", "safe_database_url", "host_allowed", "LOOPBACK_NAMES", "LOOPBACK_HOSTS", "TOKEN_COOKIE"]

#: Addresses that count as loopback: binding to them needs no token.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
#: Host names a browser may use to reach a server that runs without a token: loopback only,
#: so that a web page whose domain an attacker re-points at 127.0.0.1 (DNS rebinding) is
#: refused; ``testserver`` is the name of Starlette's in-process test client.
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1", "testserver")
#: What a token may hold: printable ASCII but space, '"', ',', ';' and '\\' (it travels
#: unchanged in a header, a cookie and a URL)
_TOKEN_PATTERN = re.compile(r"[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]{1,500}")
#: Cookie that carries the token once a browser came with ``?token=``.
TOKEN_COOKIE = "osmolab_token"


def default_database_url() -> str:
    """SQLite file in the user's data directory (created on first start)."""
    folder = Path(user_data_dir("osmolab", appauthor=False))
    return f"sqlite:///{folder / 'projects.sqlite'}"


@dataclass(frozen=True)
class Settings:
    """What ``osmolab serve`` passes to :func:`create_app`.

    Attributes
    ----------
    host : str
        Address the server binds to (a token is required unless it is a loopback address).
    port : int
        TCP port.
    database_url : str
        SQLAlchemy URL of the project database (``sqlite:///path`` by default; a
        ``postgresql://`` URL works for a team).
    token : str or None
        Shared secret required on every request when set.
    max_body_bytes : int
        Largest request body accepted [bytes].
    max_particles : int
        Largest particle simulation a client may start.
    max_particle_duration : float
        Longest particle run ``POST /api/particles/...`` accepts [reduced time tau].
    warm_up : bool
        Compile the RO engine in a background thread when the app is built (``osmolab
        serve`` does), so that the first projection is fast.
    """

    host: str = "127.0.0.1"
    port: int = 8000
    database_url: str = field(default_factory=default_database_url)
    token: str | None = None
    max_body_bytes: int = 2_000_000
    max_particles: int = 5_000
    max_particle_duration: float = 500.0
    warm_up: bool = False

    def __post_init__(self):
        token = self.token if self.token is not None else os.environ.get("OSMOLAB_TOKEN") or None
        object.__setattr__(self, "token", token)
        if not isinstance(self.host, str) or not self.host.strip():
            raise InputError(f"host must be an address such as 127.0.0.1, got {self.host!r}")
        if isinstance(self.port, bool) or not isinstance(self.port, int) or not 0 <= self.port <= 65535:
            raise InputError(f"port must be a whole number 0-65535, got {self.port!r}")
        if self.token is not None and not _TOKEN_PATTERN.fullmatch(self.token):
            raise InputError("token must be 1-500 printable ASCII characters without spaces, "
                             "quotes, commas, semicolons or backslashes (e.g. "
                             "`openssl rand -hex 16`)")
        if self.host not in LOOPBACK_HOSTS and not self.token:
            raise InputError(
                f"binding to {self.host} exposes the workbench beyond this machine: "
                "give --token or set OSMOLAB_TOKEN"
            )


    @property
    def token_required(self) -> bool:
        """True when every request must present the token."""
        return bool(self.token)

    @property
    def url(self) -> str:
        """Address of the workbench in a browser."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    def describe(self) -> dict:
        """The settings as JSON (``osmolab serve --json``): no token, no database password."""
        return {
            "url": self.url,
            "host": self.host,
            "port": self.port,
            "token_required": self.token_required,
            "database_url": safe_database_url(self.database_url),
            "max_body_bytes": self.max_body_bytes,
            "max_particles": self.max_particles,
            "max_particle_duration": self.max_particle_duration,
        }


def safe_database_url(url: str) -> str:
    """``url`` with any password masked (for banners and logs).

    Examples
    --------
    >>> safe_database_url("postgresql://lab:secret@db.example/osmolab")
    'postgresql://lab:***@db.example/osmolab'
    """
    from sqlalchemy.engine import make_url  # lazy: SQLAlchemy only for a URL with a password
    from sqlalchemy.exc import ArgumentError  # lazy: as above

    if "@" not in url:
        return url
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url.split("://", 1)[0] + "://***"


def token_ok(settings: Settings, presented: str | None) -> bool:
    """Constant-time comparison of a presented token with the configured one."""
    if not settings.token:
        return True
    return presented is not None and hmac.compare_digest(presented, settings.token)


def presented_token(headers, cookies, query) -> str | None:
    """The token a request or WebSocket carries (header, cookie or query string)."""
    auth = headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return cookies.get(TOKEN_COOKIE) or query.get("token")


def host_allowed(settings: Settings, host_header: str | None) -> bool:
    """Whether a request's ``Host`` header is acceptable.

    With a token every host is (the token guards the door); without one only loopback
    names are, which defeats DNS rebinding (a page on another domain that resolves to
    127.0.0.1 cannot use the server). A request without a Host header is allowed.

    Examples
    --------
    >>> open_door = Settings(database_url="sqlite://")
    >>> host_allowed(open_door, "127.0.0.1:8000"), host_allowed(open_door, "evil.example:8000")
    (True, False)
    """
    if settings.token or not host_header:
        return True
    name = host_header.strip().lower()
    if name.startswith("["):  # [::1]:8000
        name = name[1:].partition("]")[0]
    else:
        name = name.rpartition(":")[0] if name.count(":") == 1 else name
    return name in LOOPBACK_NAMES


def websocket_token_ok(websocket) -> bool:
    """True when a WebSocket may connect: no token configured, or it presents the token.

    ``websocket.app.state.settings`` holds the :class:`Settings`; the token may come as
    the header ``Authorization: Bearer TOKEN``, the cookie ``osmolab_token`` or
    ``?token=TOKEN`` in the URL. A stream refuses the connection when this is False
    (``await websocket.close(code=1008)``, policy violation).
    """
    settings = websocket.app.state.settings
    return token_ok(settings, presented_token(websocket.headers, websocket.cookies,
                                              websocket.query_params))


def database_url(value: str | None) -> str:
    """A SQLAlchemy URL from what ``--database`` got: a URL as is, a bare path as SQLite.

    ``None`` gives :func:`default_database_url`. A bare path must lie in an existing folder.

    Examples
    --------
    >>> database_url("postgresql://lab@db.example/osmolab")
    'postgresql://lab@db.example/osmolab'
    >>> database_url("/tmp/projects.sqlite")
    'sqlite:////tmp/projects.sqlite'
    """
    if value is None:
        return default_database_url()
    text = str(value).strip()
    if not text:
        raise InputError("--database must be a file path or a SQLAlchemy URL, got ''")
    if "://" in text:
        return text
    path = Path(text).expanduser().resolve()
    if path.is_dir():
        raise InputError(f"--database: {text!r} is a folder; give a file name such as "
                         "projects.sqlite")
    if not path.parent.is_dir():
        raise InputError(f"--database: folder {str(path.parent)!r} does not exist")
    return f"sqlite:///{path}"
