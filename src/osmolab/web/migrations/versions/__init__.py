"""Alembic revisions of the project store, oldest first."""
