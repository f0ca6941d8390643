"""A corrupt or unreadable workspace gets a clear error and is never overwritten."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from desk.store import Workspace, WorkspaceCorrupt, WorkspaceError


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
