"""The watchdog raises one alert per condition, never repeats it, and resolves it when it clears."""

from __future__ import annotations

import pytest

from desk.services.alerts import AlertService
from desk.services.context import AppContext
from desk.services.watchdog import Watchdog
from desk.store import Workspace

NOW = 1_764_000_000.0


@pytest.fixture
def ctx(workspace: Workspace) -> AppContext:
    with workspace.write("seed") as tx:
        tx.insert_many("units", [
            {"id": "U1", "call_sign": "金水铁骑-01", "kind": "motorcycle", "status": "available",
             "station_id": "S1", "lat": 34.75, "lon": 113.66, "fix_at": NOW - 10},
            {"id": "U2", "call_sign": "金水铁骑-02", "kind": "motorcycle", "status": "offline",
             "station_id": "S1", "lat": 34.76, "lon": 113.67, "fix_at": NOW - 4000},
            {"id": "U3", "call_sign": "金水巡逻-01", "kind": "patrol_car", "status": "available",
             "station_id": "S1", "lat": 34.77, "lon": 113.68, "fix_at": NOW - 600},
        ])
        tx.insert_many("cameras", [
            {"id": f"C{i}", "name": f"视频{i}", "district": "金水区" if i < 3 else "二七区",
             "lat": 34.7, "lon": 113.6, "online": 0 if i in (0, 1, 4) else 1}
            for i in range(6)
        ])
    return AppContext(workspace=workspace, clock=lambda: NOW)


def _open_keys(ctx: AppContext) -> dict[str, str]:
    return {a.dedup_key or "": a.message for a in ctx.service(AlertService).open_alerts()}


def test_raises_once_and_resolves_when_cleared(ctx: AppContext, workspace: Workspace) -> None:
    dog = ctx.service(Watchdog)
    first = dog.check()
    keys = _open_keys(ctx)
    assert set(keys) == {"unit.offline:U2", "unit.stale:U3", "camera.offline:金水区",
                         "camera.offline:二七区"}
    assert keys["camera.offline:金水区"] == "金水区 2 路视频离线"  # one alert per district
    assert "10 分钟未更新" in keys["unit.stale:U3"]
    assert first.raised == 4

    again = dog.check()
    assert (again.raised, again.resolved) == (0, 0)
    assert all(a.count == 1 for a in ctx.service(AlertService).open_alerts())

    with workspace.write("调度员") as tx:
        tx.update("units", "U2", {"status": "available", "fix_at": NOW})
        tx.update("cameras", "C4", {"online": 1})
    cleared = dog.check()
    assert cleared.resolved == 2
    assert set(_open_keys(ctx)) == {"unit.stale:U3", "camera.offline:金水区"}


def test_unstaffed_posts_alert_only_for_published_rosters(demo_workspace: Workspace) -> None:
    import time as _time

    from desk.domain.duty.model import week_key
    from desk.services.duty import DutyService

    # A Tuesday, 08:00 local time: inside the morning-peak band.
    tuesday_8 = _time.mktime((2026, 11, 17, 8, 0, 0, 0, 0, -1))
    ctx = AppContext(workspace=demo_workspace, clock=lambda: tuesday_8)
    duty = ctx.service(DutyService)
    duty.ensure_defaults()
    empty = {p for p, level in duty.staffing_now(tuesday_8).items() if level == "empty"}
    assert empty, "the demo city has posts needing staff at 08:00 and nobody rostered"
    dog = ctx.service(Watchdog)
    dog.check()
    assert not [k for k in _open_keys(ctx) if k.startswith("duty.unstaffed:")]  # drafts only

    station = demo_workspace.db.execute(
        "SELECT station_id FROM duty_posts WHERE id = ?", [sorted(empty)[0]]).fetchone()[0]
    with demo_workspace.write("值班长") as tx:
        tx.insert("duty_rosters", {"id": f"{station}:{week_key(tuesday_8)}", "station_id": station,
                                   "week": week_key(tuesday_8), "state": "published",
                                   "published_at": tuesday_8, "published_by": "值班长", "version": 1})
    dog.check()
    flagged = {k.split(":", 1)[1] for k in _open_keys(ctx) if k.startswith("duty.unstaffed:")}
    station_posts = {str(r[0]) for r in demo_workspace.db.execute(
        "SELECT id FROM duty_posts WHERE station_id = ?", [station])}
    assert flagged == empty & station_posts


def test_many_stale_units_make_one_summary_alert(ctx: AppContext, workspace: Workspace) -> None:
    with workspace.write("seed") as tx:
        tx.insert_many("units", [
            {"id": f"V{i:02d}", "call_sign": f"中原铁骑-{i:02d}", "kind": "motorcycle",
             "status": "available", "station_id": "S2", "lat": 34.7, "lon": 113.6,
             "fix_at": NOW - 900} for i in range(30)])
    ctx.service(Watchdog).check()
    keys = _open_keys(ctx)
    assert "unit.stale:*" in keys and "31 个警力定位陈旧" in keys["unit.stale:*"]
    assert not any(k.startswith("unit.stale:V") for k in keys)
    assert "unit.offline:U2" in keys  # a single offline unit still gets its own alert


def test_lost_connection_is_an_offline_alert_even_when_on_duty(ctx: AppContext, workspace: Workspace) -> None:
    with workspace.write("drill") as tx:
        tx.update("units", "U1", {"online": 0})  # e.g. a drill's unit_offline inject
    ctx.service(Watchdog).check()
    keys = _open_keys(ctx)
    assert keys["unit.offline:U1"] == "金水铁骑-01 失去连接"
    assert keys["unit.offline:U2"] == "金水铁骑-02 离线（休整）"


def test_open_stale_alert_text_follows_the_fix_age(workspace: Workspace) -> None:
    with workspace.write("seed") as tx:
        tx.insert("units", {"id": "U1", "call_sign": "金水铁骑-01", "kind": "motorcycle",
                            "status": "available", "station_id": "S1", "lat": 34.75, "lon": 113.66,
                            "fix_at": NOW - 600})
    t = [NOW]
    ctx = AppContext(workspace=workspace, clock=lambda: t[0])
    dog = ctx.service(Watchdog)
    dog.check()
    assert "10 分钟未更新" in _open_keys(ctx)["unit.stale:U1"]
    t[0] += 300
    dog.check()
    (alert,) = ctx.service(AlertService).open_alerts()
    assert "15 分钟未更新" in alert.message and alert.count == 1  # text follows, no repeat


def test_stale_boundary_is_the_shared_definition(workspace: Workspace) -> None:
    from desk.domain.units import fix_is_stale

    with workspace.write("seed") as tx:
        for age in (119, 120, 121):
            tx.insert("units", {"id": f"A{age}", "call_sign": f"A{age}", "kind": "motorcycle",
                                "status": "available", "station_id": "S1", "lat": 34.75,
                                "lon": 113.66, "fix_at": NOW - age})
    ctx = AppContext(workspace=workspace, clock=lambda: NOW, settings={"map.stale_after_s": 120.0})
    ctx.service(Watchdog).check()
    flagged = {k.split(":", 1)[1] for k in _open_keys(ctx) if k.startswith("unit.stale:")}
    assert flagged == {f"A{a}" for a in (119, 120, 121) if fix_is_stale(NOW - a, NOW, 120.0)}
    assert flagged == {"A121"}


def test_a_summary_does_not_resolve_a_unit_still_offline(ctx: AppContext, workspace: Workspace) -> None:
    dog = ctx.service(Watchdog)
    dog.check()
    assert "unit.offline:U2" in _open_keys(ctx)
    with workspace.write("seed") as tx:
        tx.insert_many("units", [
            {"id": f"W{i:02d}", "call_sign": f"中原巡逻-{i:02d}", "kind": "patrol_car",
             "status": "offline", "online": 0, "station_id": "S2", "lat": 34.7, "lon": 113.6,
             "fix_at": NOW} for i in range(25)])
    dog.check()
    keys = _open_keys(ctx)
    assert "26 个警力离线" in keys["unit.offline:*"]
    assert "unit.offline:U2" in keys  # still offline: not "已恢复"
