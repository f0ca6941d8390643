"""派警 and unit states through the real workspace: records, status log rows, refusals."""

from __future__ import annotations

import pytest

from desk.services.context import AppContext
from desk.services.dispatch import DispatchError, DispatchService, Target
from desk.store import Workspace


@pytest.fixture
def service(workspace: Workspace) -> DispatchService:
    with workspace.write("seed") as tx:
        tx.insert("units", {"id": "U1", "call_sign": "金水铁骑-01", "kind": "motorcycle",
                            "status": "available", "station_id": "S1", "lat": 34.75, "lon": 113.66})
        tx.insert("units", {"id": "U2", "call_sign": "金水铁骑-02", "kind": "motorcycle",
                            "status": "offline", "station_id": "S1"})
        tx.insert("water_points", {"id": "WP-001", "name": "京广路隧道", "kind": "tunnel",
                                   "lat": 34.74, "lon": 113.65, "caution_cm": 10,
                                   "warning_cm": 15, "close_cm": 25})
    clock = iter(float(t) for t in range(1000, 2000, 10))
    ctx = AppContext(workspace=workspace, actor="调度员王", clock=lambda: next(clock))
    return ctx.service(DispatchService)


def test_dispatch_records_target_status_and_log(service: DispatchService, workspace: Workspace) -> None:
    target = Target("water_points", "WP-001", 34.74, 113.65, "京广路隧道")
    dispatch_id = service.dispatch("U1", target)
    assert workspace.db["units"].get("U1")["status"] == "dispatched"
    row = workspace.db["dispatches"].get(dispatch_id)
    assert (row["target_entity"], row["target_id"], row["actor"]) == ("water_points", "WP-001", "调度员王")
    service.set_status("U1", "en_route")
    service.set_status("U1", "on_scene")
    service.set_status("U1", "returning")
    log = [(r["status"], r["at"]) for r in workspace.db.query(
        "SELECT status, at FROM unit_status_log WHERE unit_id = 'U1' ORDER BY id")]
    assert [s for s, _ in log] == ["dispatched", "en_route", "on_scene", "returning"]
    assert [t for _, t in log] == sorted(t for _, t in log)
    row = workspace.db["dispatches"].get(dispatch_id)
    assert row["arrived_at"] is not None and row["cleared_at"] is not None
    assert row["arrived_at"] - row["at"] > 0  # response time is computable
    assert service.dispatches_to("water_points", "WP-001")[0]["call_sign"] == "金水铁骑-01"
    ops = [r["entity"] for r in workspace.db.query("SELECT entity FROM change_log WHERE actor = '调度员王'")]
    assert ops.count("unit_status_log") == 4 and "dispatches" in ops


def test_illegal_moves_are_refused_and_change_nothing(service: DispatchService, workspace: Workspace) -> None:
    before = workspace.count("change_log")
    with pytest.raises(DispatchError, match="离线"):
        service.dispatch("U2", Target("map", "x", 34.7, 113.6))
    with pytest.raises(DispatchError, match="不能从"):
        service.set_status("U1", "on_scene")  # 在岗 → 到场 without being sent
    with pytest.raises(DispatchError, match="不存在"):
        service.dispatch("nope", Target("map", "x", 34.7, 113.6))
    assert workspace.count("change_log") == before
    assert workspace.count("dispatches") == 0


def test_close_and_reopen_a_tunnel(service: DispatchService, workspace: Workspace) -> None:
    with pytest.raises(DispatchError, match="原因"):
        service.close_road("WP-001", "  ")
    closure = service.close_road("WP-001", "积水 32 cm，超过封闭线")
    assert service.closure_of("WP-001") == closure
    with pytest.raises(DispatchError, match="已处于封闭"):
        service.close_road("WP-001", "again")
    service.reopen_road("WP-001")
    assert service.closure_of("WP-001") is None
    assert workspace.db["road_closures"].get(closure)["reopened_by"] == "调度员王"
