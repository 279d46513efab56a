"""``/api/projects``: save, list, version, compare (filled in by issue 10's projects work)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api/projects", tags=["projects"])
