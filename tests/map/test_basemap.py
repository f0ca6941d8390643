"""Basemap sources in the real page: MBTiles served by the scheme with the TMS row flip, fallback
to the vector basemap for a corrupt file or a dead tile server, and GCJ-02 overlay conversion."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QBuffer, QIODevice
from PySide6.QtGui import QColor, QImage

from desk.domain.crs import wgs84_to_gcj02
from tests.map.conftest import LOAD_TIMEOUT_MS, run_js, wait_js
from tests.map.test_mbtiles import make_mbtiles


def png(color: str) -> bytes:
    img = QImage(256, 256, QImage.Format.Format_RGB32)
    img.fill(QColor(color))
    buf = QBuffer()
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    img.save(buf, "PNG")  # type: ignore[call-overload]
    return bytes(buf.data().data())


def xyz(lat: float, lon: float, z: int) -> tuple[int, int]:
    n = 1 << z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def open_panel(ui_context: Any, qtbot: Any, basemap: dict[str, Any]) -> Any:
    from desk.ui.map.panel import MapPanel

    ui_context.app.settings["map.basemap"] = basemap
    panel = MapPanel(ui_context)
    qtbot.addWidget(panel)
    panel.resize(900, 600)
    with qtbot.waitSignal(panel.sig_loaded, timeout=LOAD_TIMEOUT_MS):
        panel.show()
    return panel


def fetch_status(qtbot: Any, view: Any, url: str) -> list[Any]:
    # A failed job never completes its body stream, so only a 200 response's body is read.
    view.page().runJavaScript(
        f"window.__f = null; fetch('{url}').then(r => r.status !== 200 ? (window.__f = [r.status]) "
        f": r.arrayBuffer().then(b => window.__f = [r.status, b.byteLength]))"
        f".catch(e => window.__f = [0, String(e)]);")
    got: list[Any] = wait_js(qtbot, view, "window.__f", lambda v: v is not None)
    return got


def test_mbtiles_tiles_are_served_with_the_row_flip(ui_context: Any, qtbot: Any, tmp_path: Path) -> None:
    z = 12
    x, y = xyz(34.7534, 113.6650, z)
    tiles = {(z, x + dx, y + dy): png("#203040") for dx in (-2, -1, 0, 1, 2) for dy in (-2, -1, 0, 1, 2)}
    marker = png("#ff0000")
    tiles[(z, x, y)] = marker
    path = make_mbtiles(tmp_path / "city.mbtiles", tiles)
    panel = open_panel(ui_context, qtbot, {"kind": "mbtiles", "path": str(path)})
    try:
        view = panel.view
        url = run_js(qtbot, view, "deskMap.basemapLayer._url")
        assert url.startswith("desk://local/tiles/")
        base = url.split("{z}")[0]
        assert fetch_status(qtbot, view, f"{base}{z}/{x}/{y}") == [200, len(marker)]
        flipped = (1 << z) - 1 - y
        assert fetch_status(qtbot, view, f"{base}{z}/{x}/{flipped}")[0] != 200
        wait_js(qtbot, view, "document.querySelectorAll('.leaflet-tile-loaded').length",
                lambda n: n >= 4)
        assert not panel.banner.isVisible()
    finally:
        panel.shutdown()


def test_corrupt_mbtiles_falls_back_to_the_vector_basemap(ui_context: Any, qtbot: Any,
                                                          tmp_path: Path) -> None:
    bad = tmp_path / "bad.mbtiles"
    bad.write_bytes(b"\x00garbage" * 500)
    panel = open_panel(ui_context, qtbot, {"kind": "mbtiles", "path": str(bad)})
    try:
        assert panel.banner.isVisible()
        assert "已损坏" in panel.banner.text() and "矢量底图" in panel.banner.text()
        assert panel.view.basemap.kind == "vector"
        assert run_js(qtbot, panel.view, "deskMap.basemapInfo.kind") == "vector"
        assert run_js(qtbot, panel.view, "deskMap.basemapLayer.getLayers().length") > 10
    finally:
        panel.shutdown()


def test_dead_tile_server_falls_back_to_the_vector_basemap(ui_context: Any, qtbot: Any) -> None:
    # Port 9 (discard) on this machine refuses connections: a dead intranet tile server.
    panel = open_panel(ui_context, qtbot, {"kind": "xyz", "url": "http://127.0.0.1:9/{z}/{x}/{y}.png"})
    try:
        qtbot.waitUntil(lambda: panel.view.basemap.kind == "vector", timeout=20_000)
        assert "瓦片服务" in panel.banner.text()
        wait_js(qtbot, panel.view, "deskMap.basemapInfo.kind", lambda k: k == "vector")
    finally:
        panel.shutdown()


def test_gcj02_source_shifts_overlays_at_draw_time(ui_context: Any, qtbot: Any, tmp_path: Path) -> None:
    path = make_mbtiles(tmp_path / "gcj.mbtiles", {(3, 6, 3): png("#102030")})
    panel = open_panel(ui_context, qtbot, {"kind": "mbtiles", "path": str(path), "crs": "gcj02"})
    try:
        data = panel.live.data
        uid = data.index["units"].ids[0]
        lat, lon = ui_context.workspace.db.execute(
            "SELECT lat, lon FROM units WHERE id = ?", [uid]).fetchone()
        drawn = run_js(qtbot, panel.view, "deskMap.unitAt(0)")
        glat, glon = wgs84_to_gcj02(lat, lon)
        assert drawn["lat"] == pytest.approx(glat, abs=2e-6)
        assert drawn["lon"] == pytest.approx(glon, abs=2e-6)
        assert abs(drawn["lon"] - lon) > 0.003  # really shifted (about 600 m in Zhengzhou)
        # A right-click position on the map comes back as WGS-84.
        back = panel.view.from_map(glat, glon)
        assert back == pytest.approx((lat, lon), abs=1e-7)
    finally:
        panel.shutdown()
