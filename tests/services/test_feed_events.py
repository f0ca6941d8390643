"""The runtime's feed events for alerts and units, through the real services on a real workspace:
``AlertService.on_feed_event`` (desk-central ``alert``, drill ``congestion`` and ``crowd``) and
``DispatchService.on_unit_event`` (``unit.status``, ``unit.offline``)."""

from __future__ import annotations

import math

import pytest

from desk.drill.runner import inject_batch
from desk.drill.scenario import load_scenario
from desk.feeds.base import FeedEvent
from desk.services.alerts import AlertService
from desk.services.context import AppContext
from desk.services.dispatch import DispatchService, Target
from desk.services.watchdog import Watchdog
from desk.store import Workspace

NOW = 1_764_000_000.0


@pytest.fixture
def ctx(workspace: Workspace) -> AppContext:
    with workspace.write("seed") as tx:
        tx.insert_many("units", [
            {"id": "U-0001", "call_sign": "二七铁骑-01", "kind": "motorcycle", "status": "available",
             "station_id": "S1", "lat": 34.75, "lon": 113.66, "fix_at": NOW - 5, "online": 1},
            {"id": "U-0002", "call_sign": "二七巡逻-02", "kind": "patrol_car", "status": "available",
             "station_id": "S1", "lat": 34.76, "lon": 113.67, "fix_at": NOW - 5, "online": 1},
        ])
    return AppContext(workspace=workspace, clock=lambda: NOW, actor="调度员王")


ALERT_CASES = [
    # (event kind, data, expected (kind, severity, place, lat given); reason)
    ("alert", {"level": "critical", "message": "京广路隧道进水", "lat": 34.74, "lon": 113.65},
     ("central.alert", "red", "34.7400, 113.6500", True), "desk-central critical → 红色，带位置"),
    ("alert", {"level": "info", "message": "全市通报", "place": "全市"},
     ("central.alert", "blue", "全市", False), "info → 蓝色；无位置仍进告警箱"),
    ("congestion", {"road": "解放路", "lat": 34.756, "lon": 113.66, "level": "severe"},
     ("traffic.congestion", "orange", "解放路", True), "严重拥堵 → 橙色"),
    ("congestion", {"road": "花园路", "lat": 34.785, "lon": 113.6745, "level": "congested"},
     ("traffic.congestion", "yellow", "花园路", True), "拥堵 → 黄色"),
    ("crowd", {"place": "二七广场", "lat": 34.7536, "lon": 113.6662, "size": 30000},
     ("crowd", "red", "二七广场", True), "3 万人聚集 → 红色"),
    ("crowd", {"place": "德化街", "lat": 34.7521, "lon": 113.6688, "size": 5000},
     ("crowd", "orange", "德化街", True), "5000 人 → 橙色"),
    ("crowd", {"place": "大同路", "lat": float("nan"), "lon": 113.66, "size": 800},
     ("crowd", "yellow", "大同路", False), "NaN 位置不进地图：告警无位置"),
]


@pytest.mark.parametrize(("kind", "data", "expected", "reason"), ALERT_CASES,
                         ids=[c[3] for c in ALERT_CASES])
def test_feed_events_become_alerts_with_a_place(ctx: AppContext, kind: str, data: dict[str, object],
                                                expected: tuple[str, str, str, bool], reason: str) -> None:
    svc = ctx.service(AlertService)
    alert_id = svc.on_feed_event(FeedEvent(kind, NOW, data))
    assert alert_id is not None, reason
    a = svc.get(alert_id)
    assert a is not None
    assert (a.kind, a.severity.value, a.place, a.lat is not None) == expected, reason
    if a.lat is not None:
        assert a.lat == data["lat"] and a.lon == data["lon"]
    else:
        assert a.lon is None
    assert not any(isinstance(v, float) and math.isnan(v) for v in (a.lat, a.lon))


def test_repeats_fold_and_their_text_updates(ctx: AppContext) -> None:
    svc = ctx.service(AlertService)
    first = svc.on_feed_event(FeedEvent("crowd", NOW, {"place": "二七广场", "lat": 34.75,
                                                       "lon": 113.66, "size": 4000}))
    again = svc.on_feed_event(FeedEvent("crowd", NOW, {"place": "二七广场", "lat": 34.75,
                                                       "lon": 113.66, "size": 12000}))
    assert again == first
    a = svc.get(first)  # type: ignore[arg-type]
    assert a is not None
    assert (a.count, a.severity.value) == (2, "red")  # escalated with the crowd
    assert "12000" in a.message


def test_bad_events_are_logged_not_raised(ctx: AppContext, caplog: pytest.LogCaptureFixture) -> None:
    svc = ctx.service(AlertService)
    assert svc.on_feed_event(FeedEvent("alert", NOW, {"level": "warning", "message": "  "})) is None
    assert svc.on_feed_event(FeedEvent("nonsense", NOW, {})) is None
    assert ctx.workspace.count("alerts") == 0
    assert "without a message" in caplog.text and "does not handle" in caplog.text


def test_drill_injects_of_the_shipped_scenario_land_in_the_inbox(ctx: AppContext) -> None:
    from pathlib import Path

    scenario = load_scenario(Path(__file__).parents[2] / "resources" / "scenarios"
                             / "spring_festival_erqi.yaml")
    svc = ctx.service(AlertService)
    places = []
    for inject in scenario.injects:
        for ev in inject_batch(inject, NOW).events:
            if ev.kind in AlertService.FEED_KINDS:
                alert_id = svc.on_feed_event(ev)
                a = svc.get(alert_id)  # type: ignore[arg-type]
                assert a is not None and a.lat is not None
                places.append(a.dedup_key)
    # The drill scores 派警 to an alert by the place after the key's colon (desk.drill.autolog).
    assert places == ["crowd:二七广场", "congestion:解放路", "crowd:德化街"]


def test_unit_status_event_changes_the_store_with_a_log_row(ctx: AppContext) -> None:
    ws = ctx.workspace
    dispatch = ctx.service(DispatchService)
    dispatch_id = dispatch.dispatch("U-0001", Target("map", "p", 34.75, 113.66, "点位"))
    assert dispatch.on_unit_event(FeedEvent("unit.status", NOW + 30, {"unit_id": "U-0001",
                                                                      "status": "en_route"}))
    assert dispatch.on_unit_event(FeedEvent("unit.status", NOW + 90, {"unit_id": "二七铁骑-01",
                                                                      "status": "on_scene"}))
    assert ws.db["units"].get("U-0001")["status"] == "on_scene"
    rows = [(r["status"], r["at"], r["actor"]) for r in ws.db.query(
        "SELECT status, at, actor FROM unit_status_log WHERE unit_id = 'U-0001' ORDER BY id")]
    assert rows == [("dispatched", NOW, "调度员王"), ("en_route", NOW + 30, "unit:U-0001"),
                    ("on_scene", NOW + 90, "unit:U-0001")]
    assert ws.db["dispatches"].get(dispatch_id)["arrived_at"] == NOW + 90
    # Unknown unit or state: nothing changes.
    before = ws.count("unit_status_log")
    assert not dispatch.on_unit_event(FeedEvent("unit.status", NOW, {"unit_id": "X", "status": "en_route"}))
    assert not dispatch.on_unit_event(FeedEvent("unit.status", NOW, {"unit_id": "U-0002", "status": "??"}))
    assert ws.count("unit_status_log") == before


def test_unit_offline_event_sets_offline_raises_at_once_and_watchdog_keeps_it(ctx: AppContext) -> None:
    ws = ctx.workspace
    dispatch = ctx.service(DispatchService)
    dispatch_id = dispatch.dispatch("U-0002", Target("map", "p", 34.75, 113.66, "点位"))
    dispatch.set_status("U-0002", "on_scene")
    assert dispatch.on_unit_event(FeedEvent("unit.offline", NOW + 60, {"unit_id": "U-0002"}))
    unit = ws.db["units"].get("U-0002")
    assert (unit["status"], unit["online"]) == ("offline", 0)
    last = ws.db.execute("SELECT status, actor FROM unit_status_log WHERE unit_id = 'U-0002' "
                         "ORDER BY id DESC LIMIT 1").fetchone()
    assert tuple(last) == ("offline", "unit:U-0002")
    assert ws.db["dispatches"].get(dispatch_id)["cleared_at"] is None  # still on that job
    alerts = ctx.service(AlertService).open_alerts()
    assert [(a.dedup_key, a.message) for a in alerts] == [
        ("unit.offline:U-0002", "二七巡逻-02 失去连接（离线前：到场）")]
    ctx.service(Watchdog).check()
    after = ctx.service(AlertService).open_alerts()
    assert [(a.dedup_key, a.message, a.count) for a in after] == [
        ("unit.offline:U-0002", "二七巡逻-02 失去连接（离线前：到场）", 1)]
    # Back on the air: the unit reports 在岗 and the watchdog resolves the alert.
    assert dispatch.on_unit_event(FeedEvent("unit.status", NOW + 300, {"unit_id": "U-0002",
                                                                       "status": "available"}))
    assert ws.db["units"].get("U-0002")["online"] == 1
    ctx.service(Watchdog).check()
    assert ctx.service(AlertService).open_alerts() == []
