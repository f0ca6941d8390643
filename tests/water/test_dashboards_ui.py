"""The 态势 dashboards on real data: units online from the status log, alerts per hour by kind,
water points per state; computed on a worker thread and drawn; screenshot."""

from __future__ import annotations

import time
from pathlib import Path

from desk.domain.telemetry import SensorReading
from desk.domain.waterlevel import WaterState
from desk.services.alerts import AlertService
from desk.store.telemetry import record_telemetry
from desk.ui.dashboards.data import situation_series
from desk.ui.dashboards.panel import SituationDashboard


def _seed(ui) -> float:  # type: ignore[no-untyped-def]
    now = time.time()
    ws = ui.workspace
    with ws.write("test") as tx:
        tx.insert_many("units", [
            {"id": f"u{i}", "call_sign": f"铁骑{i}", "kind": "motorcycle", "status": "available",
             "station_id": "s1", "online": 1} for i in range(4)])
    ws.db.conn.executemany(
        "INSERT INTO unit_status_log (unit_id, status, at, actor) VALUES (?, ?, ?, ?)",
        [("u0", "available", now - 20 * 3600, "t"), ("u1", "available", now - 10 * 3600, "t"),
         ("u1", "offline", now - 5 * 3600, "t"), ("u2", "available", now - 2 * 3600, "t")])
    ws.db.conn.commit()
    record_telemetry(ws, readings=[
        SensorReading("wp-t1", now - 3 * 3600, depth_cm=12),
        SensorReading("wp-t1", now - 1800, depth_cm=30),
        SensorReading("wp-r1", now - 1800, depth_cm=18),
    ])
    svc = ui.app.service(AlertService)
    svc.raise_alert("water.threshold", "red", "s", "p", "m")
    svc.raise_alert("unit.offline", "yellow", "s", "p", "m")
    svc.raise_alert("unit.offline", "yellow", "s", "p2", "m")
    return now


def test_series_numbers(small_ui) -> None:  # type: ignore[no-untyped-def]
    now = _seed(small_ui)
    s = situation_series(small_ui.workspace, now)
    # u3 never logged but online → counted always; u0 from 20 h ago; u1 online 10h..5h; u2 from 2h
    assert s.units_online[0] == 1
    assert max(s.units_online) == 3
    assert s.units_online[-1] == 3  # u0, u2, u3
    kinds = {k: sum(n for _, n in v) for k, v in s.alerts_per_hour.items()}
    assert kinds["unit.offline"] == 2 and kinds["water.threshold"] >= 1
    assert s.water_states[WaterState.CLOSED][-1] == 1
    assert s.water_states[WaterState.CAUTION][-1] == 1
    assert sum(s.water_states[st][-1] for st in WaterState) == 5
    # before the tunnel rose, it was in caution (12 cm ≥ 10), the road still normal
    k = next(i for i, t in enumerate(s.times) if t > now - 3 * 3600)
    assert s.water_states[WaterState.CAUTION][k] == 1


def test_dashboard_draws_from_worker(small_ui, qtbot, artifacts_dir: Path) -> None:  # type: ignore[no-untyped-def]
    _seed(small_ui)
    dash = SituationDashboard(small_ui)
    qtbot.addWidget(dash)
    qtbot.waitUntil(lambda: dash.series is not None, timeout=10_000)
    assert "在线警力 3/4" in dash.status.text()
    assert dash.alerts_legend.items  # one legend row per kind
    dash.resize(1200, 700)
    dash.show()
    qtbot.waitExposed(dash)
    dash.grab().save(str(artifacts_dir / "dashboards.png"))
