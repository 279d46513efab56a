"""Saved projects: the store behind ``/api/projects`` (SQLAlchemy 2 ORM, Alembic migrations).

A :class:`Project` has a name, notes and a history of :class:`ProjectVersion` rows; each
version holds the design (the JSON of a design file, as the user wrote it, units included),
optional notes and its time. History is never rewritten: every save adds a version, and
restoring an old version adds a new latest version equal to it. Deleting moves a project to
the trash (``deleted_at`` set); only a project already in the trash can be purged for good.

Names are unique among the projects outside the trash (a clash is a one-line
:class:`osmolab.errors.InputError`); a trashed project keeps its name, and restoring it while
another project took the name asks for a new name.

:class:`Database` opens any SQLAlchemy URL. For SQLite it creates the parent folder and sets
``journal_mode=WAL``, ``synchronous=FULL`` (a commit is on disk before the save is
acknowledged, so it survives ``kill -9`` and power loss), ``foreign_keys=ON`` and a busy
timeout; write transactions start with ``BEGIN IMMEDIATE`` so concurrent writers queue
instead of failing. On open it runs the Alembic migrations in ``osmolab/web/migrations`` up to
head. Every method opens its own session, so one :class:`Database` serves uvicorn's thread pool.

Examples
--------
>>> store = Database("sqlite://")  # in memory
>>> project, version = store.create("Plant A", "first try", {"feed": {"flow": "100 m3/h"}})
>>> store.save_version(project["id"], {"feed": {"flow": "120 m3/h"}})["version"]
2
>>> [v["number"] for v in store.versions(project["id"])]
[1, 2]
>>> store.close()
"""

from __future__ import annotations

import json
import threading
import unicodedata
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import (
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    func,
    select,
    text,
)
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship
from sqlalchemy.pool import StaticPool

from ..errors import InputError

__all__ = [
    "Database",
    "Project",
    "ProjectVersion",
    "ProjectNotFound",
    "MAX_NAME_LENGTH",
    "MAX_NOTES_LENGTH",
    "MIGRATIONS",
]

#: Longest project name [characters].
MAX_NAME_LENGTH = 200
#: Longest notes of a project or a version [characters].
MAX_NOTES_LENGTH = 20_000
#: Folder of the Alembic migration scripts (``env.py``, ``versions/``).
MIGRATIONS = Path(__file__).with_name("migrations")
#: SQLite busy timeout: how long a writer waits for another's lock [ms].
SQLITE_BUSY_TIMEOUT_MS = 30_000


class ProjectNotFound(InputError):
    """No project (or version) with that id: HTTP 404 on the web."""


# -- schema ----------------------------------------------------------------------------------


class Base(DeclarativeBase):
    """Declarative base of the project store (the tables Alembic's first revision creates)."""


class Project(Base):
    """A saved project: a name, notes and a history of versions."""

    __tablename__ = "projects"
    # names are unique among the projects outside the trash (checked first for a readable
    # message; the index settles races between writers on PostgreSQL)
    __table_args__ = (Index("uq_projects_live_name", "name", unique=True,
                            sqlite_where=text("deleted_at IS NULL"),
                            postgresql_where=text("deleted_at IS NULL")),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(MAX_NAME_LENGTH), nullable=False, index=True)
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    versions: Mapped[list[ProjectVersion]] = relationship(
        back_populates="project", cascade="all, delete-orphan", passive_deletes=True,
        order_by="ProjectVersion.number")


class ProjectVersion(Base):
    """One saved state of a project's design (never changed once written)."""

    __tablename__ = "project_versions"
    __table_args__ = (UniqueConstraint("project_id", "number", name="uq_project_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), nullable=False, index=True)
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    design: Mapped[str] = mapped_column(Text, nullable=False)
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    #: JSON of the key results of this version's projection (filled when first projected).
    summary: Mapped[str | None] = mapped_column(Text, nullable=True)
    project: Mapped[Project] = relationship(back_populates="versions")


# -- helpers ---------------------------------------------------------------------------------


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(moment: datetime | None) -> str | None:
    """UTC ISO 8601 time (SQLite hands back naive datetimes: they are UTC)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _check_text(value, label: str, limit: int, multiline: bool) -> str:
    """A user string: str, storable in SQLite and PostgreSQL, at most ``limit`` characters."""
    if not isinstance(value, str):
        raise InputError(f"{label} must be text, got {type(value).__name__}")
    if len(value) > limit:
        raise InputError(f"{label} is {len(value)} characters long; at most {limit}")
    for char in value:
        category = unicodedata.category(char)
        if category == "Cs":
            raise InputError(f"{label} contains an unpaired surrogate (not valid Unicode text)")
        # PostgreSQL text cannot hold NUL; a name is one line of visible text
        if char == "\x00" or (category == "Cc" and not multiline):
            raise InputError(f"{label} contains the control character {char!r}")
    return value


def clean_name(name) -> str:
    """A project name: surrounding whitespace removed, not empty, no control characters.

    Examples
    --------
    >>> clean_name("  Plant A ")
    'Plant A'
    """
    name = _check_text(name, "name", MAX_NAME_LENGTH + 1000, multiline=False).strip()
    if not name:
        raise InputError("name: give the project a name (it is empty)")
    return _check_text(name, "name", MAX_NAME_LENGTH, multiline=False)


def clean_notes(notes) -> str:
    """Notes: any text but NUL (new lines and tabs allowed), kept exactly as given."""
    if notes is None:
        return ""
    return _check_text(notes, "notes", MAX_NOTES_LENGTH, multiline=True)


def _design_text(design) -> str:
    if not isinstance(design, Mapping):
        raise InputError(f"design must be a mapping of fields (feed, array, target ...), "
                         f"got {type(design).__name__}")
    try:
        # ASCII escapes keep any string (NUL included) storable in SQLite and PostgreSQL, and
        # json.loads gives back exactly what was saved
        text = json.dumps(design, ensure_ascii=True, allow_nan=False, sort_keys=False)
        json.dumps(design, ensure_ascii=False).encode("utf-8")  # could it be sent back?
    except UnicodeEncodeError:
        raise InputError("design: contains text that is not valid Unicode (an unpaired "
                         "surrogate)") from None
    except (TypeError, ValueError, RecursionError) as exc:
        raise InputError(f"design: cannot be stored as JSON ({exc})") from None
    return text


def _project_dict(project: Project, versions: int, latest: ProjectVersion | None) -> dict:
    return {
        "id": project.id,
        "name": project.name,
        "notes": project.notes,
        "created_at": _iso(project.created_at),
        "updated_at": _iso(project.updated_at),
        "deleted": project.deleted_at is not None,
        "deleted_at": _iso(project.deleted_at),
        "versions": versions,
        "version": latest.number if latest is not None else 0,
    }


def _version_dict(version: ProjectVersion, with_design: bool) -> dict:
    out = {"number": version.number, "created_at": _iso(version.created_at),
           "notes": version.notes}
    if with_design:
        out["design"] = json.loads(version.design)
    return out


def _is_key(value) -> bool:
    """An id or version number the database can hold (a 64-bit integer above 0)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**63


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def alembic_config(connection=None):
    """The Alembic configuration of the project store (no ``alembic.ini`` needed).

    Parameters
    ----------
    connection : sqlalchemy.engine.Connection, optional
        Connection the migrations run on (``env.py`` uses it).

    Returns
    -------
    alembic.config.Config
    """
    from alembic.config import Config  # lazy: only opening a store needs Alembic

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


# -- the store -------------------------------------------------------------------------------


class Database:
    """The project store at a SQLAlchemy URL, migrated to the latest schema on open.

    Parameters
    ----------
    url : str
        SQLAlchemy URL: ``sqlite:///path/to/projects.sqlite`` (the default of ``osmolab
        serve`` lives in the user's data directory), ``sqlite://`` (in memory, for tests) or
        ``postgresql+psycopg://user@host/db`` for a team (the driver must be installed).

    Raises
    ------
    InputError
        The URL cannot be read, or the database cannot be opened or migrated.
    """

    def __init__(self, url: str):
        self.url = str(url)
        try:
            parsed = make_url(self.url)
        except ArgumentError:
            raise InputError(f"database: cannot read {self.url!r} as a SQLAlchemy URL; give "
                             "a file path like sqlite:///projects.sqlite") from None
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        self.engine = self._make_engine(parsed)
        self._write_engine = self.engine.execution_options(osmolab_write=True)
        # one writer at a time within this process: SQLite allows one anyway, and its busy
        # handler sleeps in growing steps, so queueing on a lock here is fairer and faster;
        # an in-memory database (one shared connection) serialises readers too
        self._write_lock = threading.Lock() if self.is_sqlite else None
        self._memory_lock = self._write_lock if self._in_memory(parsed) else None
        self.upgrade()

    # -- engine and migrations ----------------------------------------------------------------

    @staticmethod
    def _in_memory(parsed) -> bool:
        return parsed.get_backend_name() == "sqlite" and parsed.database in (None, "", ":memory:")

    def _make_engine(self, parsed) -> Engine:
        if not self.is_sqlite:
            try:
                return create_engine(parsed, pool_pre_ping=True)
            except Exception as exc:  # a missing driver (psycopg) and the like
                raise InputError(f"database: cannot open {parsed.render_as_string()}: "
                                 f"{type(exc).__name__}: {exc}") from None
        if self._in_memory(parsed):
            engine = create_engine(parsed, poolclass=StaticPool,
                                   connect_args={"check_same_thread": False})
        else:
            folder = Path(parsed.database).expanduser().resolve().parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise InputError(f"database: cannot create folder {folder}: {exc}") from None
            engine = create_engine(parsed, connect_args={"check_same_thread": False,
                                                         "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record):
            # transactions are begun below, explicitly (pysqlite's own BEGIN is deferred)
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin(connection):
            # a writer takes the write lock first, so two writers queue (busy timeout)
            # instead of one failing when it upgrades a read lock
            write = connection.get_execution_options().get("osmolab_write", False)
            connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

        return engine

    def upgrade(self) -> None:
        """Bring the schema to the latest Alembic revision (idempotent)."""
        from alembic import command  # lazy: only opening a store needs Alembic

        try:
            with self._lock(write=True), self._write_engine.begin() as connection:
                command.upgrade(alembic_config(connection), "head")
        except InputError:
            raise
        except Exception as exc:
            raise InputError(f"database: cannot open or migrate {self._safe_url()}: "
                             f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
                             ) from None

    def current_revision(self) -> str | None:
        """The Alembic revision the database is at."""
        from alembic.runtime.migration import MigrationContext  # lazy: rarely needed

        with self._lock(), self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    @staticmethod
    def head_revision() -> str:
        """The newest Alembic revision shipped with osmolab."""
        from alembic.script import ScriptDirectory  # lazy: rarely needed

        return ScriptDirectory.from_config(alembic_config()).get_current_head()

    def _safe_url(self) -> str:
        try:
            return make_url(self.url).render_as_string(hide_password=True)
        except ArgumentError:
            return "the database"

    def close(self) -> None:
        """Close every pooled connection (the store can be opened again later)."""
        self.engine.dispose()

    @contextmanager
    def _lock(self, write: bool = False):
        lock = self._write_lock if write else self._memory_lock
        if lock is None:
            yield
        else:
            with lock:
                yield

    @contextmanager
    def _session(self, write: bool = False) -> Iterator[Session]:
        engine = self._write_engine if write else self.engine
        try:
            with self._lock(write), Session(engine, expire_on_commit=False) as session, \
                    session.begin():
                yield session
        except IntegrityError as exc:  # a race another writer won (name taken, version number)
            reason = "name already taken" if "name" in str(exc.orig) else "conflicting save"
            raise InputError(f"the database refused the change ({reason}); try again") from None

    # -- queries ------------------------------------------------------------------------------

    @staticmethod
    def _project(session: Session, project_id, lock: bool = False) -> Project:
        if not _is_key(project_id):
            raise ProjectNotFound(f"project {project_id!r} not found")
        query = select(Project).where(Project.id == project_id)
        if lock:
            query = query.with_for_update()
        project = session.scalars(query).first()
        if project is None:
            raise ProjectNotFound(f"project {project_id} not found")
        return project

    @staticmethod
    def _latest(session: Session, project_id: int) -> ProjectVersion | None:
        return session.scalars(select(ProjectVersion).where(ProjectVersion.project_id == project_id)
                               .order_by(ProjectVersion.number.desc()).limit(1)).first()

    @staticmethod
    def _count(session: Session, project_id: int) -> int:
        return session.scalar(select(func.count(ProjectVersion.id))
                              .where(ProjectVersion.project_id == project_id)) or 0

    @staticmethod
    def _check_name_free(session: Session, name: str, except_id: int | None = None) -> None:
        query = select(Project.id).where(Project.name == name, Project.deleted_at.is_(None))
        if except_id is not None:
            query = query.where(Project.id != except_id)
        other = session.scalars(query).first()
        if other is not None:
            raise InputError(f"name: a project called {name!r} already exists (id {other}); "
                             "choose another name")

    def _summary(self, session: Session, project: Project) -> dict:
        latest = self._latest(session, project.id)
        return _project_dict(project, self._count(session, project.id), latest)

    def _add_version(self, session: Session, project: Project, design_text: str, notes: str,
                     number: int) -> ProjectVersion:
        moment = _now()
        version = ProjectVersion(project_id=project.id, number=number, design=design_text,
                                 notes=notes, created_at=moment)
        session.add(version)
        project.updated_at = moment
        session.flush()
        return version

    # -- the operations the router calls --------------------------------------------------------

    def create(self, name, notes, design) -> tuple[dict, dict]:
        """Create a project with its first version.

        Parameters
        ----------
        name : str
            Unique among the projects outside the trash (surrounding spaces removed).
        notes : str or None
            Notes of the project.
        design : Mapping
            The design (already validated by the caller).

        Returns
        -------
        (dict, dict)
            The project (``id``, ``name``, ``notes``, ``version`` ...) and its first version.
        """
        name, notes, text = clean_name(name), clean_notes(notes), _design_text(design)
        with self._session(write=True) as session:
            self._check_name_free(session, name)
            moment = _now()
            project = Project(name=name, notes=notes, created_at=moment, updated_at=moment)
            session.add(project)
            session.flush()
            version = self._add_version(session, project, text, "", 1)
            return _project_dict(project, 1, version), _version_dict(version, with_design=False)

    def list(self, query: str | None = None, trash: bool = False) -> list[dict]:
        """Projects outside the trash (or in it), newest change first.

        Parameters
        ----------
        query : str, optional
            Text searched in names and notes (case-insensitive for ASCII letters).
        trash : bool
            List the trash instead.
        """
        with self._session() as session:
            counts = (select(ProjectVersion.project_id, func.count(ProjectVersion.id).label("n"),
                             func.max(ProjectVersion.number).label("latest"))
                      .group_by(ProjectVersion.project_id).subquery())
            statement = (select(Project, counts.c.n, counts.c.latest)
                         .join(counts, counts.c.project_id == Project.id, isouter=True)
                         .where(Project.deleted_at.is_not(None) if trash
                                else Project.deleted_at.is_(None))
                         .order_by(Project.updated_at.desc(), Project.id.desc()))
            if query:
                pattern = _like_pattern(str(query).strip())
                statement = statement.where(Project.name.ilike(pattern, escape="\\")
                                            | Project.notes.ilike(pattern, escape="\\"))
            out = []
            for project, count, latest in session.execute(statement):
                row = _project_dict(project, count or 0, None)
                row["version"] = latest or 0
                out.append(row)
            return out

    def get(self, project_id: int) -> dict:
        """A project with its latest design (``design``) and the notes of that version."""
        with self._session() as session:
            project = self._project(session, project_id)
            latest = self._latest(session, project.id)
            out = _project_dict(project, self._count(session, project.id), latest)
            out["design"] = json.loads(latest.design) if latest is not None else None
            out["version_notes"] = latest.notes if latest is not None else ""
            return out

    def save_version(self, project_id: int, design, notes: str | None = None) -> dict:
        """Save a new version of a project's design; returns ``{"id", "version", "created_at"}``."""
        text, notes = _design_text(design), clean_notes(notes)
        with self._session(write=True) as session:
            project = self._project(session, project_id, lock=True)
            if project.deleted_at is not None:
                raise InputError(f"project {project_id} is in the trash: restore it before "
                                 "saving a new version")
            latest = self._latest(session, project.id)
            version = self._add_version(session, project, text, notes,
                                        (latest.number if latest else 0) + 1)
            return {"id": project.id, "version": version.number,
                    "created_at": _iso(version.created_at)}

    def update(self, project_id: int, name=None, notes=None) -> dict:
        """Rename a project and/or change its notes (also allowed in the trash)."""
        with self._session(write=True) as session:
            project = self._project(session, project_id, lock=True)
            if name is not None:
                name = clean_name(name)
                if project.deleted_at is None:
                    self._check_name_free(session, name, except_id=project.id)
                project.name = name
            if notes is not None:
                project.notes = clean_notes(notes)
            if name is not None or notes is not None:
                project.updated_at = _now()
            session.flush()
            return self._summary(session, project)

    def rename(self, project_id: int, name) -> dict:
        """Give a project a new name (unique outside the trash)."""
        return self.update(project_id, name=name)

    def duplicate(self, project_id: int, name=None) -> dict:
        """A new project with the latest design of another (one version; name ``"X (copy)"``)."""
        with self._session(write=True) as session:
            source = self._project(session, project_id)
            latest = self._latest(session, source.id)
            if name is None:
                name = self._free_copy_name(session, source.name)
            else:
                name = clean_name(name)
                self._check_name_free(session, name)
            moment = _now()
            project = Project(name=name, notes=source.notes, created_at=moment, updated_at=moment)
            session.add(project)
            session.flush()
            note = f"copy of project {source.id} ({source.name}) version {latest.number}" \
                if latest else ""
            version = self._add_version(session, project, latest.design if latest else "{}",
                                        note, 1)
            return _project_dict(project, 1, version)

    @staticmethod
    def _free_copy_name(session: Session, name: str) -> str:
        base = f"{name} (copy)"
        taken = set(session.scalars(select(Project.name).where(Project.deleted_at.is_(None))))
        candidate, n = base, 2
        while candidate in taken or len(candidate) > MAX_NAME_LENGTH:
            if len(candidate) > MAX_NAME_LENGTH:
                name = name[:MAX_NAME_LENGTH - 20]
                base = f"{name} (copy)"
            candidate = f"{name} (copy {n})" if n > 1 else base
            n += 1
        return candidate

    def delete(self, project_id: int) -> dict:
        """Move a project to the trash (it can be restored; nothing is lost)."""
        with self._session(write=True) as session:
            project = self._project(session, project_id, lock=True)
            if project.deleted_at is None:
                project.deleted_at = _now()
            session.flush()
            return self._summary(session, project)

    def restore_from_trash(self, project_id: int, name=None) -> dict:
        """Take a project out of the trash (optionally under a new name, if its own is taken)."""
        with self._session(write=True) as session:
            project = self._project(session, project_id, lock=True)
            if project.deleted_at is None:
                return self._summary(session, project)
            new_name = clean_name(name) if name is not None else project.name
            try:
                self._check_name_free(session, new_name, except_id=project.id)
            except InputError:
                raise InputError(f"name: another project is now called {new_name!r}; restore "
                                 "this one under a new name (give \"name\")") from None
            project.name = new_name
            project.deleted_at = None
            project.updated_at = _now()
            session.flush()
            return self._summary(session, project)

    def purge(self, project_id: int) -> dict:
        """Remove a project and all its versions for good; only from the trash."""
        with self._session(write=True) as session:
            project = self._project(session, project_id, lock=True)
            if project.deleted_at is None:
                raise InputError(f"project {project_id} is not in the trash: delete it (move it "
                                 "to the trash) first, then purge")
            session.delete(project)
            return {"id": project_id, "purged": True}

    def versions(self, project_id: int) -> list[dict]:
        """The history of a project: ``[{"number", "created_at", "notes"}]``, oldest first."""
        with self._session() as session:
            project = self._project(session, project_id)
            rows = session.scalars(select(ProjectVersion)
                                   .where(ProjectVersion.project_id == project.id)
                                   .order_by(ProjectVersion.number))
            return [_version_dict(v, with_design=False) for v in rows]

    def _version_row(self, session: Session, project: Project, number) -> ProjectVersion:
        if not _is_key(number):
            raise ProjectNotFound(f"project {project.id} has no version {number!r}")
        version = session.scalars(select(ProjectVersion).where(
            ProjectVersion.project_id == project.id, ProjectVersion.number == number)).first()
        if version is None:
            raise ProjectNotFound(f"project {project.id} has no version {number}")
        return version

    def version(self, project_id: int, number: int | None = None) -> dict:
        """One version (the latest when ``number`` is None) with its design.

        Returns
        -------
        dict
            ``id``, ``name``, ``version``, ``design``, ``notes``, ``created_at`` and
            ``summary`` (cached key results, or None).
        """
        with self._session() as session:
            project = self._project(session, project_id)
            row = self._latest(session, project.id) if number is None \
                else self._version_row(session, project, number)
            if row is None:
                raise ProjectNotFound(f"project {project_id} has no version")
            return {"id": project.id, "name": project.name, "version": row.number,
                    "design": json.loads(row.design), "notes": row.notes,
                    "created_at": _iso(row.created_at),
                    "summary": json.loads(row.summary) if row.summary else None}

    def restore_version(self, project_id: int, number: int) -> dict:
        """Make an old version the latest by adding a new version equal to it."""
        with self._session(write=True) as session:
            project = self._project(session, project_id, lock=True)
            if project.deleted_at is not None:
                raise InputError(f"project {project_id} is in the trash: restore it first")
            old = self._version_row(session, project, number)
            latest = self._latest(session, project.id)
            version = self._add_version(session, project, old.design,
                                        f"restored from version {old.number}", latest.number + 1)
            return {"id": project.id, "version": version.number, "restored_from": old.number,
                    "created_at": _iso(version.created_at)}

    def set_summary(self, project_id: int, number: int, summary: Mapping) -> None:
        """Cache the key results of a version's projection (versions never change)."""
        text = json.dumps(dict(summary), allow_nan=False)
        with self._session(write=True) as session:
            project = self._project(session, project_id)
            row = self._version_row(session, project, number)
            if row.summary is None:
                row.summary = text
