"""An MBTiles file whose tile_data is NULL or TEXT is refused on open with a Chinese message, and
the map falls back to the vector basemap, as for any other unusable basemap file."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from desk.services.map_settings import TILE_SAMPLE, BasemapError, BasemapSource, MBTiles
from tests.map.conftest import run_js
from tests.map.test_basemap import open_panel
from tests.map.test_mbtiles import PNG_HEAD, make_mbtiles


def with_bad_rows(path: Path, value: object, *, good_first: int = 0) -> Path:
    tiles = {(10, x, 0): PNG_HEAD + b"ok" for x in range(good_first)}
    make_mbtiles(path, tiles)
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO tiles VALUES (10, 900, 1023, ?)", (value,))
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize("value", [None, "iVBORw0KGgo= base64 text, not bytes"],
                         ids=["null", "text"])
def test_null_or_text_tile_data_is_refused_on_open(tmp_path: Path, value: object) -> None:
    path = with_bad_rows(tmp_path / "bad.mbtiles", value)
    with pytest.raises(BasemapError, match="瓦片数据无效") as err:
        MBTiles(path)
    assert str(path) in str(err.value)
    with pytest.raises(BasemapError):
        BasemapSource(kind="mbtiles", path=str(path)).check()


def test_a_bad_row_past_the_sample_is_an_empty_tile_not_an_error(tmp_path: Path) -> None:
    path = with_bad_rows(tmp_path / "late.mbtiles", None, good_first=TILE_SAMPLE)
    mb = MBTiles(path)
    try:
        assert mb.tile(10, 900, 0) is None  # TMS row 1023 at z10 is XYZ row 0
        assert mb.tile(10, 900, 0) is None  # and again, quietly
        assert mb.tile(10, 0, 0) == PNG_HEAD + b"ok"
    finally:
        mb.close()


def test_map_falls_back_to_vector_for_null_tile_data(ui_context: Any, qtbot: Any,
                                                     tmp_path: Path) -> None:
    path = with_bad_rows(tmp_path / "null.mbtiles", None)
    panel = open_panel(ui_context, qtbot, {"kind": "mbtiles", "path": str(path)})
    try:
        assert panel.banner.isVisible()
        assert "瓦片数据无效" in panel.banner.text() and "矢量底图" in panel.banner.text()
        assert panel.view.basemap.kind == "vector"
        assert run_js(qtbot, panel.view, "deskMap.basemapInfo.kind") == "vector"
        Path("tests/_artifacts").mkdir(parents=True, exist_ok=True)
        panel.grab().save("tests/_artifacts/map_mbtiles_null_tile_data.png")
    finally:
        panel.shutdown()
