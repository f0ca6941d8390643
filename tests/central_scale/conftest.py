"""One real PostgreSQL 15 + PostGIS per test session (initdb/pg_ctl into a temporary directory), and
a ``store`` fixture parametrised over both backends of ``CentralStore``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desk.central.pg.testing import PostgresServer, pg_available
from desk.central.storage import CentralStore, SqliteCentralStore

BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    reason = pg_available()
    if reason:
        pytest.skip(reason)
    # Not under pytest's base temp: that is private to root, and the server runs as postgres.
    server = PostgresServer()
    try:
        server.start()
    except BaseException:
        server.stop()
        raise
    yield server
    server.stop()


def make_store(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> tuple[CentralStore, str]:
    """A fresh, empty store of ``kind`` and its ``--db`` value."""
    if kind == "sqlite":
        db = str(tmp_path / "central.sqlite")
        return SqliteCentralStore(db), db
    from desk.central.pg.store import PostgresCentralStore

    server: PostgresServer = request.getfixturevalue("pg_server")
    url = server.create_database()
    return PostgresCentralStore(url, pool_size=4), url


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[CentralStore]:
    s, _ = make_store(request.param, tmp_path, request)
    yield s
    s.close()
