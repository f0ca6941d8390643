"""MBTiles basemap files: TMS row flip, and clear Chinese errors for unusable files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from desk.services.map_settings import BasemapError, BasemapSource, MBTiles, sniff_image_mime

PNG_HEAD = b"\x89PNG\r\n\x1a\n"


def make_mbtiles(path: Path, tiles: dict[tuple[int, int, int], bytes]) -> Path:
    """tiles keyed by XYZ (z, x, y); stored with TMS rows as the format requires."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
    conn.execute("CREATE TABLE tiles (zoom_level INT, tile_column INT, tile_row INT, tile_data BLOB)")
    conn.executemany("INSERT INTO metadata VALUES (?, ?)", [("name", "test"), ("format", "png")])
    for (z, x, y), data in tiles.items():
        conn.execute("INSERT INTO tiles VALUES (?, ?, ?, ?)", (z, x, (1 << z) - 1 - y, data))
    conn.commit()
    conn.close()
    return path


def test_tile_rows_are_flipped(tmp_path: Path) -> None:
    path = make_mbtiles(tmp_path / "t.mbtiles", {(3, 6, 1): PNG_HEAD + b"north", (3, 6, 6): PNG_HEAD + b"south"})
    mb = MBTiles(path)
    assert mb.tile(3, 6, 1) == PNG_HEAD + b"north"
    assert mb.tile(3, 6, 6) == PNG_HEAD + b"south"
    assert mb.tile(3, 6, 2) is None
    assert mb.metadata["format"] == "png"
    assert sniff_image_mime(PNG_HEAD + b"x") == "image/png"
    mb.close()


def test_corrupt_and_wrong_files_raise_chinese_messages(tmp_path: Path) -> None:
    junk = tmp_path / "junk.mbtiles"
    junk.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(BasemapError, match="已损坏"):
        MBTiles(junk)
    empty_db = tmp_path / "other.mbtiles"
    sqlite3.connect(empty_db).execute("CREATE TABLE x (a)").connection.commit()
    with pytest.raises(BasemapError, match="缺少 tiles"):
        MBTiles(empty_db)
    with pytest.raises(BasemapError, match="找不到"):
        MBTiles(tmp_path / "missing.mbtiles")


def test_settings_parse_and_validate() -> None:
    src = BasemapSource.from_settings({"map.basemap": {"kind": "xyz", "url": "http://tiles.lan/{z}/{x}/{y}.png",
                                                       "crs": "GCJ-02"}})
    assert src.kind == "xyz" and src.is_gcj02
    src.check()
    with pytest.raises(BasemapError, match="模板无效"):
        BasemapSource(kind="xyz", url="http://tiles.lan/tile.png").check()
    assert BasemapSource.from_settings({"map.basemap": {"kind": "bogus"}}).kind == "vector"
    assert not BasemapSource(kind="vector", crs="gcj02").is_gcj02  # our vector map is WGS-84
