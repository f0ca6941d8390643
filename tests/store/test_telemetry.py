"""Telemetry is validated, counted when bad, and stored without touching the change log."""

from __future__ import annotations

import math

from desk.domain.telemetry import SensorReading, UnitFix
from desk.store import Workspace
from desk.store.telemetry import record_telemetry

NOW = 1_760_000_000.0


def _seed(ws: Workspace) -> None:
    with ws.write("seed") as tx:
        tx.insert("units", {"id": "U1", "call_sign": "金水铁骑-01", "kind": "motorcycle",
                            "status": "available", "station_id": "S1", "lat": 34.7,
                            "lon": 113.6, "fix_at": NOW - 60})
        tx.insert("water_points", {"id": "WP-001", "name": "京广路隧道", "kind": "tunnel",
                                   "lat": 34.74, "lon": 113.65, "caution_cm": 10,
                                   "warning_cm": 15, "close_cm": 25})


def test_good_fix_moves_unit_and_bad_ones_are_counted(workspace: Workspace) -> None:
    _seed(workspace)
    log_rows = workspace.count("change_log")
    result = record_telemetry(workspace, [
        UnitFix("U1", 34.75, 113.62, NOW, heading=90, speed_kmh=30),
        UnitFix("U1", math.nan, 113.6, NOW),
        UnitFix("U1", 95.0, 113.6, NOW),
        UnitFix("U1", 34.7, 113.6, NOW + 3600),
        UnitFix("U1", 34.7, 113.6, NOW, accuracy_m=900),
    ], now=NOW)
    assert result.stored_fixes == 1
    assert dict(result.rejected) == {"not_finite": 1, "out_of_range": 1, "future_time": 1,
                                     "poor_accuracy": 1}
    unit = workspace.db["units"].get("U1")
    assert (unit["lat"], unit["lon"], unit["heading"], unit["fix_at"]) == (34.75, 113.62, 90, NOW)
    assert workspace.count("change_log") == log_rows


def test_older_fix_does_not_move_unit_back(workspace: Workspace) -> None:
    _seed(workspace)
    record_telemetry(workspace, [UnitFix("U1", 34.75, 113.62, NOW)], now=NOW)
    result = record_telemetry(workspace, [UnitFix("U1", 34.70, 113.60, NOW - 30)], now=NOW)
    assert result.stored_fixes == 0
    assert workspace.db["units"].get("U1")["lat"] == 34.75


def test_readings_stored_and_bad_ones_rejected(workspace: Workspace) -> None:
    _seed(workspace)
    result = record_telemetry(workspace, readings=[
        SensorReading("WP-001", NOW, depth_cm=12.5),
        SensorReading("WP-001", NOW, depth_cm=-3),
        SensorReading("WP-001", NOW, depth_cm=math.inf),
        SensorReading("WP-999", NOW, depth_cm=5),
        SensorReading("WP-001", NOW + 10_000, depth_cm=5),
    ], now=NOW)
    assert result.stored_readings == 1
    assert dict(result.rejected) == {"negative_depth": 1, "not_finite": 1, "unknown_point": 1,
                                     "future_time": 1}
    assert [r["depth_cm"] for r in workspace.db["sensor_readings"].rows] == [12.5]
