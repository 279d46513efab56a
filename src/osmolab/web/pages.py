"""Server-rendered pages (filled in by issue 10's pages work)."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

router = APIRouter(include_in_schema=False)


def mount_static(app: FastAPI) -> None:
    """Serve the vendored static assets under ``/static``."""
