"""Saved projects: the database behind ``/api/projects`` (filled in by issue 10's projects work)."""

from __future__ import annotations


class Database:
    """The project store at a SQLAlchemy URL."""

    def __init__(self, url: str):
        self.url = url
