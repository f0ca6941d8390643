"""Schema creation and upgrade through sqlite_utils.Migrations, and refusal of newer files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from desk.store import Workspace, WorkspaceTooNew
from desk.store.schema import migration_sets
from desk.store.schema_core import core


def test_fresh_file_gets_every_migration_and_wal(tmp_path: Path) -> None:
    path = tmp_path / "fresh.sqlite"
    with Workspace.open(path) as ws:
        applied = ws.schema_versions()
        assert applied["desk.core"] == [m.name for m in core._migrations]
        for migrations in migration_sets():
            assert migrations.pending(ws.db) == []
        assert ws.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        for table in ("stations", "officers", "units", "cameras", "water_points",
                      "sensor_readings", "duty_posts", "police_rooms", "change_log"):
            assert ws.db[table].exists(), table


def test_older_file_is_upgraded_and_keeps_its_data(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    first = core._migrations[0].name
    db = sqlite_utils.Database(path)
    core.apply(db, stop_before=core._migrations[1].name)
    db["stations"].insert({"id": "S1", "name": "金水大队", "kind": "brigade"})
    assert [m.name for m in core.applied(db)] == [first]
    db.close()

    with Workspace.open(path) as ws:
        assert ws.schema_versions()["desk.core"] == [m.name for m in core._migrations]
        assert ws.db["stations"].get("S1")["name"] == "金水大队"
        assert ws.db["change_log"].exists()


def test_reopening_is_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "ws.sqlite"
    Workspace.open(path).close()
    with Workspace.open(path) as ws:
        rows = ws.db.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0]
        assert rows == sum(len(m._migrations) for m in migration_sets())


def test_newer_schema_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "newer.sqlite"
    Workspace.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('desk.core', 'm999_from_the_future', '2030-01-01')"
    )
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(WorkspaceTooNew) as err:
        Workspace.open(path)
    assert "更新版本" in err.value.user_message
    assert path.read_bytes() == before
