"""``desk-central db upgrade|status|prune`` and recorded schema migrations on both backends, and
``serve`` refusing a database it cannot use with a clear message (run as real subprocesses)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from desk.central.cli import main
from desk.central.pg.testing import PostgresServer
from desk.central.sqlite_schema import SqliteSchemaTooNew, central, m001_base
from desk.central.storage import SqliteCentralStore


@dataclass
class Ran:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture) -> Callable[..., Ran]:
    """The real ``desk-central`` entry point, in this process (a subprocess costs seconds of
    imports each); its log lines are what a terminal would show on stderr."""

    def run(*args: str) -> Ran:
        caplog.clear()
        capsys.readouterr()
        try:
            code = main(list(args))
        except SystemExit as exc:
            code = int(exc.code or 0)
        out = capsys.readouterr()
        return Ran(code, out.out, out.err + caplog.text)

    return run


def subprocess_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "desk.central.cli", *args], capture_output=True,
                          text=True, timeout=120, check=False)


def test_sqlite_file_from_before_migrations_is_adopted_and_newer_refused(
        tmp_path: Path, cli: Callable[..., Ran]) -> None:
    path = tmp_path / "old.sqlite"
    # A central file as every release before recorded migrations left it: tables, no record.
    import sqlite_utils

    old = sqlite_utils.Database(path)
    m001_base(old)
    old.execute("INSERT INTO meta VALUES ('epoch', 'e-old')")
    old.execute("INSERT INTO users (name, role, station_id, workstation, token_hash, created_at)"
                " VALUES ('老用户', 'admin', NULL, '', 'h', 0)")
    old.conn.commit()
    old.close()
    assert cli("db", "status", "--db", str(path)).stdout.startswith("schema 0 ")
    done = cli("db", "upgrade", "--db", str(path))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"schema 0 -> {len(central._migrations)}"
    store = SqliteCentralStore(path)
    assert store.epoch() == "e-old" and [u["name"] for u in store.users()] == ["老用户"]
    store.close()
    status = cli("db", "status", "--db", str(path))
    assert status.returncode == 0 and status.stdout.startswith(f"schema {len(central._migrations)} ")
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                     "VALUES ('desk.central', 'm999_from_the_future', '')")
    with pytest.raises(SqliteSchemaTooNew):
        SqliteCentralStore(path)
    served = cli("serve", "--db", str(path), "--port", "1")
    assert served.returncode == 2 and "更新版本" in served.stderr


def test_pg_upgrade_status_prune_and_serve_refusals(pg_server: PostgresServer,
                                                   cli: Callable[..., Ran]) -> None:
    url = pg_server.create_database()
    assert cli("db", "status", "--db", url).stdout.startswith("schema 0 ")
    done = cli("db", "upgrade", "--db", url)
    assert done.returncode == 0 and done.stdout.strip() == "schema 0 -> 2", done.stderr
    assert cli("db", "status", "--db", url).returncode == 0
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("INSERT INTO applied_ops VALUES ('ancient', '{}', %s)",
                     [time.time() - 100 * 86400])
    pruned = cli("db", "prune", "--db", url, "--op-results-days", "30")
    assert pruned.returncode == 0 and "op_results=1" in pruned.stdout, pruned.stderr
    # A user issued on PostgreSQL through the same command as on SQLite.
    token = cli("user", "add", "调度员", "--role", "dispatcher", "--db", url)
    assert token.returncode == 0 and len(token.stdout.strip()) > 20, token.stderr
    listed = cli("user", "list", "--db", url)
    assert "调度员" in listed.stdout
    # A database that cannot be reached: one clear line, exit 2, no traceback, no password.
    bad = pg_server.url("missing_db").replace("postgres@", "postgres:s3cret@")
    refused = subprocess_cli("serve", "--db", bad, "--port", "1")
    assert refused.returncode == 2 and "无法连接数据库" in refused.stderr
    assert "Traceback" not in refused.stderr and "s3cret" not in refused.stderr
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("UPDATE schema_version SET version = 99 WHERE version = 2")
    newer = cli("serve", "--db", url, "--port", "1")
    assert newer.returncode == 2 and "更新" in newer.stderr
    assert cli("db", "upgrade", "--db", url).returncode == 2
