"""Alembic environment of the project store.

:class:`osmolab.web.db.Database` runs ``alembic upgrade head`` on open with its own
connection in ``config.attributes["connection"]``; without one (the ``alembic`` command with
``-x url=...`` or ``sqlalchemy.url`` set) an engine is made from the URL.
"""

from alembic import context
from sqlalchemy import create_engine

from osmolab.web.db import Base

target_metadata = Base.metadata


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run the migrations on the given connection, or on one made from the URL."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option(
        "sqlalchemy.url")
    engine = create_engine(url)
    with engine.begin() as connection:
        _run(connection)
    engine.dispose()


def run_migrations_offline() -> None:
    """Write the SQL of the migrations instead of running them (``alembic upgrade --sql``)."""
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option(
        "sqlalchemy.url")
    context.configure(url=url, target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def _established() -> bool:
    """True inside an Alembic command (importing this file elsewhere, e.g. doctest collection,
    runs nothing)."""
    try:
        context.config  # noqa: B018 - raises outside an Alembic command
    except (NameError, AttributeError):
        return False
    return True


if _established():
    config = context.config
    if context.is_offline_mode():
        run_migrations_offline()
    else:
        run_migrations_online()
