"""A corrupt, unreadable or foreign file gets a clear error and is never overwritten."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from desk.store import Workspace, WorkspaceCorrupt, WorkspaceError
from desk.store.errors import WorkspaceForeign
from desk.store.workspace import FULL_CHECK_MAX_BYTES


def test_garbage_file_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "garbage.sqlite"
    payload = "这不是数据库 — a text file someone renamed".encode() * 100
    path.write_bytes(payload)
    with pytest.raises(WorkspaceCorrupt) as err:
        Workspace.open(path)
    assert "损坏" in err.value.user_message
    assert path.read_bytes() == payload
    assert not (tmp_path / "garbage.sqlite-wal").exists()


def test_damaged_pages_are_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "damaged.sqlite"
    with Workspace.open(path) as ws, ws.write("test") as tx:
        tx.insert_many("cameras", [
            {"id": f"C{i}", "name": f"视频{i}", "lat": 34.7, "lon": 113.6, "online": 1}
            for i in range(3000)
        ])
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()
    data = bytearray(path.read_bytes())
    # Keep the header (so it still looks like SQLite) and scribble over the b-tree pages.
    for offset in range(4096 * 2, len(data) - 4096, 4096):
        data[offset:offset + 64] = os.urandom(64)
    path.write_bytes(bytes(data))
    before = path.read_bytes()
    with pytest.raises(WorkspaceCorrupt):
        Workspace.open(path)
    assert path.read_bytes() == before


def test_directory_path_is_refused(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError) as err:
        Workspace.open(tmp_path)
    assert "文件夹" in err.value.user_message


def test_foreign_sqlite_file_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "someone_elses.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount REAL)")
    conn.execute("INSERT INTO invoices (amount) VALUES (12.5)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(WorkspaceForeign) as err:
        Workspace.open(path)
    assert "不是 desk 工作区" in err.value.user_message and "--create" in err.value.user_message
    assert "invoices" in err.value.user_message
    assert path.read_bytes() == before
    assert not (tmp_path / "someone_elses.sqlite-wal").exists()
    # Asked explicitly, the workspace is made in it and the other data stays.
    with Workspace.open(path, create=True) as ws:
        assert ws.count("invoices") == 1 and "desk.core" in ws.schema_versions()
    # From then on it is a desk workspace and opens as one.
    Workspace.open(path).close()


def test_new_and_empty_files_still_become_workspaces(tmp_path: Path) -> None:
    empty = tmp_path / "empty.sqlite"
    empty.touch()
    no_tables = tmp_path / "no_tables.sqlite"
    sqlite3.connect(no_tables).execute("PRAGMA user_version = 0").connection.close()
    for path in (tmp_path / "new.sqlite", empty, no_tables):
        with Workspace.open(path) as ws:
            assert "desk.core" in ws.schema_versions()


def test_truncated_file_is_refused_by_the_cheap_check(tmp_path: Path) -> None:
    path = tmp_path / "cut.sqlite"
    with Workspace.open(path) as ws, ws.write("test") as tx:
        tx.insert_many("cameras", [
            {"id": f"C{i}", "name": f"视频{i}", "lat": 34.7, "lon": 113.6, "online": 1}
            for i in range(3000)
        ])
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    before = path.read_bytes()
    # Without the full page check (as for a large file), the cut is still found.
    with pytest.raises(WorkspaceCorrupt) as err:
        Workspace.open(path, verify=False)
    assert "截断" in err.value.user_message or "损坏" in err.value.user_message
    assert path.read_bytes() == before


def test_full_check_runs_for_small_files_and_on_demand(tmp_path: Path) -> None:
    """Damage deep in one table passes the cheap check; the full check finds it, at open for a
    small file and on demand (``check_integrity``) for a file opened without it."""
    path = tmp_path / "deep.sqlite"
    with Workspace.open(path) as ws, ws.write("test") as tx:
        tx.insert_many("cameras", [
            {"id": f"C{i}", "name": f"视频{i}" * 20, "lat": 34.7, "lon": 113.6, "online": 1}
            for i in range(5000)
        ])
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()
    assert path.stat().st_size < FULL_CHECK_MAX_BYTES
    data = bytearray(path.read_bytes())
    for page in range(len(data) // 4096 - 6, len(data) // 4096 - 1):
        data[page * 4096 + 8:page * 4096 + 200] = os.urandom(192)
    path.write_bytes(bytes(data))
    with pytest.raises(WorkspaceCorrupt):
        Workspace.open(path)
    with Workspace.open(path, verify=False) as ws, pytest.raises(WorkspaceCorrupt):
        ws.check_integrity()
