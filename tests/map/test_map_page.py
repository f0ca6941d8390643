"""The real map page in QtWebEngine: loads offline, draws the whole demo city, applies deltas,
and reports clicks to the Qt side panel."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWebEngineCore import QWebEngineUrlRequestInterceptor

from desk.ui.map.scheme import map_profile, request_guard
from tests.map.conftest import LOAD_TIMEOUT_MS, run_js, wait_js


def test_page_loads_leaflet_and_counts_match_workspace(map_panel: Any, ui_context: Any,
                                                       qtbot: Any, artifacts_dir: Path) -> None:
    view = map_panel.view
    assert run_js(qtbot, view, "typeof L") == "object"
    assert run_js(qtbot, view, "L.version") == "1.9.3"
    assert run_js(qtbot, view, "typeof L.markerClusterGroup") == "function"
    ws = ui_context.workspace
    counts = run_js(qtbot, view, "deskMap.counts()")
    assert counts["units"] == ws.count("units", "lat IS NOT NULL")
    assert counts["cameras"] == ws.count("cameras") == 9432
    assert counts["water"] == ws.count("water_points") == 415
    assert counts["posts"] == ws.count("duty_posts")
    assert counts["rooms"] == ws.count("police_rooms") == 23
    assert map_panel.loaded_info["cameras"] == 9432
    assert run_js(qtbot, view, "deskMap.errors") == []
    # The vector basemap arrived (districts, roads) with its road-name labels.
    assert run_js(qtbot, view, "deskMap.basemapLayer.getLayers().length") > 10
    assert run_js(qtbot, view, "deskMap.layers.labels.getLayers().length") > 5
    qtbot.wait(300)  # let the last frame reach the widget before grabbing it
    map_panel.grab().save(str(artifacts_dir / "map.png"))


def test_page_html_has_no_remote_scripts_or_styles(map_panel: Any, qtbot: Any) -> None:
    html = run_js(qtbot, map_panel.view, "document.documentElement.outerHTML")
    assert "<script" in html and "leaflet" in html
    srcs = re.findall(r"<(?:script|link)[^>]+(?:src|href)=\"([^\"]+)\"", html)
    assert srcs, "the page loads its assets from URLs"
    assert all(s.startswith("desk://local/") for s in srcs), srcs
    assert not re.search(r"(src|href)=\"(https?:)?//", html)
    scripts = run_js(qtbot, map_panel.view,
                     "Array.from(document.scripts).map(s => s.src).filter(Boolean)")
    assert len(scripts) == 4 and all(s.startswith("desk://local/") for s in scripts)


class _Recorder(QWebEngineUrlRequestInterceptor):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def interceptRequest(self, info: Any) -> None:
        self.urls.append(info.requestUrl().toString())


def test_loading_the_map_requests_only_local_urls(ui_context: Any, qtbot: Any, qapp: Any) -> None:
    from desk.ui.map.panel import MapPanel

    profile, _ = map_profile()
    rec = _Recorder()
    profile.setUrlRequestInterceptor(rec)
    try:
        panel = MapPanel(ui_context)
        qtbot.addWidget(panel)
        panel.resize(1000, 700)
        with qtbot.waitSignal(panel.sig_loaded, timeout=LOAD_TIMEOUT_MS):
            panel.show()
        qtbot.wait(500)
        panel.shutdown()
    finally:
        profile.setUrlRequestInterceptor(request_guard())  # put the app's guard back
    assert any(u.endswith("/map/index.html") for u in rec.urls)
    assert any("leaflet.js" in u for u in rec.urls)
    assert any("basemap.geojson" in u for u in rec.urls)
    remote = [u for u in rec.urls if not u.startswith(("desk:", "data:", "blob:", "qrc:"))]
    assert remote == []


def test_pushed_delta_moves_a_marker(map_panel: Any, qtbot: Any) -> None:
    view = map_panel.view
    before = run_js(qtbot, view, "deskMap.unitAt(3)")
    target = (round(before["lat"] + 0.01, 6), round(before["lon"] - 0.02, 6))
    with qtbot.waitSignal(view.bridge.sig_ack, timeout=10_000) as ack:
        seq = map_panel.live.push_moves([(3, target[0], target[1], 123.0)])
    assert ack.args == [seq]
    after = run_js(qtbot, view, "deskMap.unitAt(3)")
    assert (after["lat"], after["lon"]) == target
    assert after["heading"] == 123.0
    assert run_js(qtbot, view, "deskMap.unitAt(4)")["lat"] != target[0]


def test_feed_batch_reaches_the_page_and_the_store(map_panel: Any, ui_context: Any, qtbot: Any) -> None:
    from desk.domain.telemetry import SensorReading, UnitFix
    from desk.feeds.base import FeedBatch

    data = map_panel.live.data
    uid = data.index["units"].ids[7]
    i = data.index["units"].pos[uid]
    now = ui_context.app.clock()
    pid = data.index["water"].ids[0]
    close_cm = data.water_thresholds[0].close_cm
    batch = FeedBatch(fixes=(UnitFix(uid, 34.70123, 113.60456, now, 45.0, 30.0),),
                      readings=(SensorReading(pid, now, close_cm + 5, 2.0),))
    ui_context.feed._on_batch(batch)  # what the feed thread's queued signal delivers
    got = wait_js(qtbot, map_panel.view, f"deskMap.unitAt({i})",
                  lambda u: abs(u["lat"] - 34.70123) < 1e-9)
    assert got["stale"] is False
    assert got["fill"] == "#2ecc71" or got["fill"].startswith("#")
    row = ui_context.workspace.db.execute("SELECT lat, lon FROM units WHERE id = ?", [uid]).fetchone()
    assert row == (34.70123, 113.60456)
    level = run_js(qtbot, map_panel.view, "deskMap.data.water.lvl[0]")
    assert level == 4  # deeper than the point's close threshold: 封闭 (red)
    assert run_js(qtbot, map_panel.view, "deskMap.markers.water[0].options.fillColor") == "#ff3b30"


def test_status_change_written_elsewhere_recolours_the_unit(map_panel: Any, ui_context: Any,
                                                            qtbot: Any) -> None:
    data = map_panel.live.data
    uid = data.index["units"].ids[5]
    i = data.index["units"].pos[uid]
    with ui_context.workspace.write(actor="dispatcher") as tx:
        tx.update("units", uid, {"status": "on_scene"})
    got = wait_js(qtbot, map_panel.view, f"deskMap.unitAt({i})", lambda u: u["fill"] == "#ff4d4f")
    assert got["visible"]
    # Filtering out 到场 hides it; the Qt checkbox drives the page.
    map_panel.status_boxes[3].setChecked(False)
    wait_js(qtbot, map_panel.view, f"deskMap.unitAt({i})", lambda u: not u["visible"])
    map_panel.status_boxes[3].setChecked(True)
    wait_js(qtbot, map_panel.view, f"deskMap.unitAt({i})", lambda u: u["visible"])


def test_click_on_a_unit_reaches_the_qt_panel(map_panel: Any, qtbot: Any, artifacts_dir: Path) -> None:
    view = map_panel.view
    data = map_panel.live.data
    i = 11
    uid = data.index["units"].ids[i]
    map_panel.layer_boxes["cameras"].setChecked(False)
    map_panel.layer_boxes["water"].setChecked(False)
    map_panel.layer_boxes["posts"].setChecked(False)
    u = run_js(qtbot, view, f"deskMap.unitAt({i})")
    view.send({"op": "fly", "lat": u["lat"], "lon": u["lon"], "zoom": 18, "instant": True})
    pt = wait_js(qtbot, view,
                 f"deskMap.map.latLngToContainerPoint(deskMap.markers.units[{i}].getLatLng())",
                 lambda p: abs(p["x"] - view.width() / 2) < 3 and abs(p["y"] - view.height() / 2) < 3)
    target = view.focusProxy() or view
    cs = data.last["units"]["cs"][i]
    QTest.mouseMove(target, QPoint(int(pt["x"]) - 30, int(pt["y"])))
    QTest.mouseMove(target, QPoint(int(pt["x"]), int(pt["y"])))
    # Hovering shows the call sign.
    wait_js(qtbot, view, "(document.querySelector('.desk-tip') || {}).textContent || ''",
            lambda t: t == cs)
    with qtbot.waitSignal(map_panel.sig_feature_activated, timeout=10_000) as sig:
        QTest.mouseClick(target, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         QPoint(int(pt["x"]), int(pt["y"])))
    assert sig.args == ["units", uid]
    assert cs in map_panel.details_label.text()
    assert map_panel.follow_button.isEnabled()
    qtbot.wait(600)
    map_panel.grab().save(str(artifacts_dir / "map_selected.png"))


def test_search_flies_to_a_call_sign_and_a_road(map_panel: Any, qtbot: Any) -> None:
    cs = map_panel.live.data.last["units"]["cs"][20]
    hits = map_panel.search_hits(cs)
    assert hits and hits[0].layer == "units"
    with qtbot.waitSignal(map_panel.sig_feature_activated, timeout=5_000):
        map_panel.search.setText(cs)
        QTest.keyClick(map_panel.search, Qt.Key.Key_Return)
    assert cs in map_panel.details_label.text()
    road = next(iter(map_panel._roads))
    assert any(h.layer == "road" for h in map_panel.search_hits(road))
    cam = map_panel.live.data.last["cameras"]["ids"][100]
    assert map_panel.search_hits(cam)[0].key == cam


def test_context_menu_actions_and_nearest_rings(map_panel: Any, ui_context: Any, qtbot: Any,
                                                artifacts_dir: Path) -> None:
    menu = map_panel.context_menu(34.7534, 113.6650)
    titles = [a.text() for a in menu.actions()]
    assert titles == ["新建警情/事故", "最近警力", "派警到此处…"]
    with qtbot.waitSignal(ui_context.sig_new_case_requested, timeout=2_000) as sig:
        menu.actions()[0].trigger()
    assert sig.args == [34.7534, 113.6650]
    menu.actions()[1].trigger()
    assert map_panel.nearest is not None and len(map_panel.nearest.units) == 5
    assert map_panel.nearest_list.count() == 5
    assert "分钟" in map_panel.nearest_list.item(0).text()
    # 3 rings + 3 labels + 5 lines + the centre point.
    wait_js(qtbot, map_panel.view, "deskMap.layers.rings.getLayers().length", lambda n: n == 12)
    map_panel.view.send({"op": "fly", "lat": 34.7534, "lon": 113.6650, "zoom": 14, "instant": True})
    qtbot.wait(600)
    map_panel.grab().save(str(artifacts_dir / "map_nearest.png"))


def test_right_click_on_the_map_asks_for_the_menu(map_panel: Any, qtbot: Any) -> None:
    view = map_panel.view
    target = view.focusProxy() or view
    with qtbot.waitSignal(view.bridge.sig_context_menu, timeout=10_000) as sig:
        QTest.mouseClick(target, Qt.MouseButton.RightButton, Qt.KeyboardModifier.NoModifier,
                         QPoint(view.width() // 3, view.height() // 3))
    lat, lon, _x, _y = sig.args
    assert 34 < lat < 35.5 and 113 < lon < 114.5
    for w in map_panel.findChildren(type(map_panel.context_menu(0, 0))):
        w.close()


def test_other_panels_can_fly_the_map_and_push_overlays(map_panel: Any, ui_context: Any,
                                                        qtbot: Any) -> None:
    ui_context.sig_locate_requested.emit(34.80, 113.70, 15)
    wait_js(qtbot, map_panel.view, "[deskMap.map.getCenter(), deskMap.map.getZoom()]",
            lambda v: abs(v[0]["lat"] - 34.80) < 1e-3 and v[1] == 15, timeout=20_000)
    wid = map_panel.live.data.index["water"].ids[3]
    ui_context.sig_focus_requested.emit("water_points", wid)
    assert map_panel.details is not None and map_panel.details["id"] == wid
    map_panel.set_overlay("drill", [{"id": "d1", "lat": 34.76, "lon": 113.66, "label": "演练点"},
                                    {"id": "d2", "lat": 34.77, "lon": 113.67, "color": "#ff00ff"},
                                    {"id": "bad"}])
    wait_js(qtbot, map_panel.view, "deskMap.counts().overlays", lambda o: o.get("drill") == 2)
    map_panel.remove_overlay("drill")
    wait_js(qtbot, map_panel.view, "deskMap.counts().overlays", lambda o: "drill" not in o)


def test_stale_fix_is_drawn_apart_from_status_and_clears_on_a_new_fix(map_panel: Any, ui_context: Any,
                                                                      qtbot: Any) -> None:
    from desk.domain.telemetry import UnitFix
    from desk.feeds.base import FeedBatch

    data = map_panel.live.data
    uid = data.index["units"].ids[9]
    i = data.index["units"].pos[uid]
    status_before = run_js(qtbot, map_panel.view, f"deskMap.unitAt({i})")["fill"]
    now = ui_context.app.clock()
    with ui_context.workspace.write(actor="dispatcher") as tx:
        tx.update("units", uid, {"fix_at": now - 600})  # ten minutes old: stale, still connected
    got = wait_js(qtbot, map_panel.view, f"deskMap.unitAt({i})", lambda u: u["stale"])
    assert got["fill"] == status_before  # freshness does not change the status colour
    lat, lon = ui_context.workspace.db.execute("SELECT lat, lon FROM units WHERE id = ?", [uid]).fetchone()
    ui_context.feed._on_batch(FeedBatch(fixes=(UnitFix(uid, lat, lon, now, 90.0),)))
    wait_js(qtbot, map_panel.view, f"deskMap.unitAt({i})", lambda u: not u["stale"])


def test_follow_keeps_the_unit_centred(map_panel: Any, qtbot: Any) -> None:
    data = map_panel.live.data
    uid = data.index["units"].ids[15]
    i = data.index["units"].pos[uid]
    map_panel.follow(uid)
    u = run_js(qtbot, map_panel.view, f"deskMap.unitAt({i})")
    with qtbot.waitSignal(map_panel.view.bridge.sig_ack, timeout=10_000):
        map_panel.live.push_moves([(i, u["lat"] + 0.005, u["lon"] + 0.005, 45.0)])
    # The map centre is the unit's new position, to the pixel (panning snaps to whole pixels).
    off = run_js(qtbot, map_panel.view,
                 f"(function(){{var m = deskMap.map, p = m.latLngToContainerPoint("
                 f"deskMap.markers.units[{i}].getLatLng()), s = m.getSize();"
                 f"return [p.x - s.x / 2, p.y - s.y / 2];}})()")
    assert abs(off[0]) <= 1 and abs(off[1]) <= 1
    map_panel.follow(None)
    assert run_js(qtbot, map_panel.view, "deskMap.follow") == -1


def test_new_accident_case_appears_and_camera_filter_applies(map_panel: Any, ui_context: Any,
                                                            qtbot: Any) -> None:
    ws = ui_context.workspace
    before = run_js(qtbot, map_panel.view, "deskMap.counts().cases")
    assert before == ws.count("accident_cases", "state NOT IN ('closed', 'cancelled', 'self_settled')")
    with ws.write(actor="dispatcher") as tx:
        tx.insert("accident_cases", {"id": "AC-MAP-1", "case_no": "郑交快-测试-0001", "state": "reported",
                                     "lat": 34.7601, "lon": 113.6702, "place": "花园路与三全路"})
    wait_js(qtbot, map_panel.view, "deskMap.counts().cases", lambda n: n == before + 1)
    assert map_panel.focus("cases", "AC-MAP-1")
    assert "郑交快-测试-0001" in map_panel.details_label.text()

    offline = ws.count("cameras", "online = 0")
    map_panel.camera_filter.setCurrentIndex(2)  # 仅离线
    wait_js(qtbot, map_panel.view, "deskMap.counts().cameras", lambda n: n == offline)
    map_panel.camera_filter.setCurrentIndex(0)
    wait_js(qtbot, map_panel.view, "deskMap.counts().cameras", lambda n: n == ws.count("cameras"))


def test_new_unit_reloads_the_layer_without_misplacing_pending_moves(map_panel: Any, ui_context: Any,
                                                                     qtbot: Any) -> None:
    from desk.domain.telemetry import UnitFix
    from desk.feeds.base import FeedBatch

    data = map_panel.live.data
    uid = data.index["units"].ids[30]
    now = ui_context.app.clock()
    ui_context.feed._on_batch(FeedBatch(fixes=(UnitFix(uid, 34.71111, 113.61111, now, 0.0),)))
    with ui_context.workspace.write(actor="dispatcher") as tx:  # sorts first: shifts every index
        tx.insert("units", {"id": "U-NEW", "call_sign": "000-新增", "kind": "patrol_car",
                            "status": "available", "lat": 34.75, "lon": 113.65, "fix_at": now})
    qtbot.waitUntil(lambda: data.index["units"].pos.get("U-NEW") == 0, timeout=10_000)
    i = data.index["units"].pos[uid]
    assert i == 31
    got = wait_js(qtbot, map_panel.view, f"deskMap.unitAt({i})", lambda u: abs(u["lat"] - 34.71111) < 1e-9)
    assert got["lon"] == 113.61111
    assert run_js(qtbot, map_panel.view, "deskMap.unitAt(30)")["lat"] != 34.71111
    assert run_js(qtbot, map_panel.view, "deskMap.counts().units") == ui_context.workspace.count(
        "units", "lat IS NOT NULL")


def test_feed_events_change_unit_status_and_camera_state(map_panel: Any, ui_context: Any, qtbot: Any) -> None:
    from desk.feeds.base import FeedBatch, FeedEvent

    data = map_panel.live.data
    uid = data.index["units"].ids[40]
    i = data.index["units"].pos[uid]
    cid = data.index["cameras"].ids[0]
    now = ui_context.app.clock()
    online = bool(data.camera_online[0])
    ui_context.feed._on_batch(FeedBatch(events=(
        FeedEvent("unit.status", now, {"unit_id": uid, "status": "returning"}),
        FeedEvent("camera.online", now, {"camera_id": cid, "online": not online}),
    )))
    wait_js(qtbot, map_panel.view, f"deskMap.unitAt({i})", lambda u: u["fill"] == "#b37feb")
    wait_js(qtbot, map_panel.view, "deskMap.data.cameras.on[0]", lambda v: v == int(not online))


def test_the_guard_blocks_remote_requests_from_the_page(map_panel: Any, qtbot: Any) -> None:
    guard = request_guard()
    view = map_panel.view
    view.page().runJavaScript(
        "window.__g = null; fetch('https://cdn.example.invalid/leaflet.js')"
        ".then(() => window.__g = 'fetched').catch(() => window.__g = 'blocked');")
    assert wait_js(qtbot, view, "window.__g", lambda v: v is not None) == "blocked"
    assert "https://cdn.example.invalid/leaflet.js" in guard.blocked


def test_page_palette_matches_the_qt_legend(map_panel: Any, qtbot: Any) -> None:
    from desk.ui.map.data import UNIT_STATUS_COLORS, WATER_KIND_COLORS, WATER_LEVEL_COLORS

    palette = run_js(qtbot, map_panel.view, "deskMap.palette")
    assert palette == {"status": list(UNIT_STATUS_COLORS), "waterLevel": list(WATER_LEVEL_COLORS),
                       "waterKind": list(WATER_KIND_COLORS)}


def test_a_unit_without_position_appears_with_its_first_fix(ui_context: Any, qtbot: Any, qapp: Any) -> None:
    from desk.domain.telemetry import UnitFix
    from desk.feeds.base import FeedBatch
    from desk.ui.map.panel import MapPanel

    ws = ui_context.workspace
    uid = ws.db.execute("SELECT id FROM units ORDER BY call_sign LIMIT 1").fetchone()[0]
    ws.db.execute("UPDATE units SET lat = NULL, lon = NULL, fix_at = NULL WHERE id = ?", [uid])
    ws.db.conn.commit()
    panel = MapPanel(ui_context)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.sig_loaded, timeout=LOAD_TIMEOUT_MS):
        panel.show()
    try:
        assert run_js(qtbot, panel.view, "deskMap.unitAt(0)") is None
        before = run_js(qtbot, panel.view, "deskMap.counts().units")
        ui_context.feed._on_batch(FeedBatch(fixes=(UnitFix(uid, 34.72, 113.62, ui_context.app.clock()),)))
        got = wait_js(qtbot, panel.view, "deskMap.unitAt(0)", lambda u: u is not None)
        assert (got["lat"], got["lon"]) == (34.72, 113.62) and got["visible"]
        assert run_js(qtbot, panel.view, "deskMap.counts().units") == before + 1
    finally:
        panel.shutdown()
