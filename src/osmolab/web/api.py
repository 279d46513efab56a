"""The JSON API under ``/api/`` (filled in by the API work of issue 10)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api", tags=["library"])


@router.get("/health")
def health() -> dict:
    """Liveness check."""
    return {"status": "ok"}
