"""Alembic migrations of the project store (run by :class:`osmolab.web.db.Database` on open)."""
