"""The classroom's WebSocket frame stream (filled in by issue 10's pages work)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["classroom"])
