"""Which store a ``--db`` value names: a ``postgresql://`` URL opens PostgreSQL, anything else is
an SQLite file (the embedded default)."""

from __future__ import annotations

from desk.central.storage import CentralStore, SqliteCentralStore

PG_SCHEMES = ("postgresql://", "postgres://")


class StoreUnavailable(RuntimeError):
    """The database cannot be reached right now; the API answers 503 with ``Retry-After`` and the
    request changed nothing (its transaction rolled back)."""

    retry_after_s = 5


def is_postgres(db: str) -> bool:
    return db.startswith(PG_SCHEMES)


def open_store(db: str, *, create: bool = True) -> CentralStore:
    """The store for ``db``. On PostgreSQL an empty database gets the schema (``create``); an
    older or newer schema is refused (``desk.central.pg.migrate.SchemaError``)."""
    if is_postgres(db):
        from desk.central.pg.store import PostgresCentralStore

        return PostgresCentralStore(db, create=create)
    return SqliteCentralStore(db)


def upgrade_store(db: str) -> tuple[int, int]:
    """Bring the schema of ``db`` to this version's; returns (version before, after)."""
    if is_postgres(db):
        from desk.central.pg.migrate import upgrade

        return upgrade(db)
    from desk.central.sqlite_schema import upgrade_sqlite

    return upgrade_sqlite(db)


def redact(db: str) -> str:
    """``db`` for a log line: a URL's password replaced."""
    if not is_postgres(db):
        return db
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(db)
    if parts.password is None:
        return db
    host = parts.hostname or ""
    netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))
