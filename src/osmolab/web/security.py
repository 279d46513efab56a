"""Workbench settings and the token rule (shared by the app, its routers and the WebSocket).

The server binds to 127.0.0.1 by default; on any other address a token is required
(``--token`` or ``OSMOLAB_TOKEN``). A client presents it as the header
``Authorization: Bearer TOKEN``, the cookie ``osmolab_token`` or the query ``?token=``.
"""

from __future__ import annotations

import hmac
import os
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_data_dir

from ..errors import InputError

__all__ = ["Settings", "default_database_url", "token_ok", "presented_token", "LOOPBACK_HOSTS"]

#: Addresses that count as loopback: binding to them needs no token.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


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
    """

    host: str = "127.0.0.1"
    port: int = 8000
    database_url: str = field(default_factory=default_database_url)
    token: str | None = None
    max_body_bytes: int = 2_000_000
    max_particles: int = 5_000

    def __post_init__(self):
        token = self.token if self.token is not None else os.environ.get("OSMOLAB_TOKEN") or None
        object.__setattr__(self, "token", token)
        if self.host not in LOOPBACK_HOSTS and not self.token:
            raise InputError(
                f"binding to {self.host} exposes the workbench beyond this machine: "
                "give --token or set OSMOLAB_TOKEN"
            )


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
    return cookies.get("osmolab_token") or query.get("token")
