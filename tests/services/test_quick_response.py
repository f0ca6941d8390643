"""快反圈 as data a station chief edits, and 快反 compliance from real dispatch and arrival times
(share of dispatches arriving within 1 / 3 / 5 minutes, per circle and per station)."""

from __future__ import annotations

import pytest

from desk.services.context import AppContext
from desk.services.dispatch import DispatchService, Target
from desk.services.quick_response import QuickResponseError, QuickResponseService
from desk.store import Workspace

T0 = 1_764_000_000.0
ERQI = (34.7536, 113.6662)  # 二七广场
HOSPITAL = (34.7450, 113.6480)  # 郑大一附院 (河医院区), about 2 km west


class Clock:
    def __init__(self) -> None:
        self.t = T0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def ctx(workspace: Workspace, clock: Clock) -> AppContext:
    with workspace.write("seed") as tx:
        tx.insert_many("stations", [
            {"id": "S-ERQI", "name": "二七中队", "kind": "squadron", "lat": ERQI[0], "lon": ERQI[1]},
            {"id": "S-JINSHUI", "name": "金水中队", "kind": "squadron", "lat": 34.77, "lon": 113.68},
        ])
        tx.insert_many("units", [
            {"id": f"E{i}", "call_sign": f"二七铁骑-{i}", "kind": "motorcycle", "status": "available",
             "station_id": "S-ERQI", "lat": ERQI[0], "lon": ERQI[1], "fix_at": T0} for i in range(6)
        ] + [
            {"id": f"J{i}", "call_sign": f"金水巡逻-{i}", "kind": "patrol_car", "status": "available",
             "station_id": "S-JINSHUI", "lat": 34.77, "lon": 113.68, "fix_at": T0} for i in range(4)
        ])
    return AppContext(workspace=workspace, clock=clock, actor="值班长李")


def test_a_station_chief_edits_circles_and_tiers(ctx: AppContext, workspace: Workspace) -> None:
    qr = ctx.service(QuickResponseService)
    cid = qr.add_circle("二七广场商圈", *ERQI, kind="business", radius_m=800, station_id="S-ERQI")
    qr.add_force(cid, 1, "二七广场警务站")
    qr.add_force(cid, 1, "交警快骑", unit_id="E0")
    qr.add_force(cid, 3, "二七交警中队")
    qr.add_force(cid, 5, "市局直属特警")
    (c,) = qr.circles()
    assert (c.name, c.kind_label, c.radius_m, c.station_id) == ("二七广场商圈", "商圈", 800, "S-ERQI")
    assert [f.force for f in c.tier(1)] == ["二七广场警务站", "交警快骑"]
    assert [f.force for f in c.tier(5)] == ["市局直属特警"]
    qr.update_circle(cid, radius_m=1200, name="二七商圈")
    assert qr.circle(cid).radius_m == 1200  # type: ignore[union-attr]
    assert [x.name for x in qr.circles_at(34.7600, 113.6662)] == ["二七商圈"]  # ~710 m north
    assert qr.circles_at(*HOSPITAL) == []
    # Every edit went through the write path with the operator (synced, audited).
    actors = {r[0] for r in workspace.db.execute(
        "SELECT DISTINCT actor FROM change_log WHERE entity IN ('qr_circles', 'qr_forces')")}
    assert actors == {"值班长李"}
    qr.delete_circle(cid)
    assert qr.circles() == [] and workspace.count("qr_forces") == 0


BAD_EDITS = [
    ({"name": " ", "lat": 34.75, "lon": 113.66}, "名称", "a circle needs a name"),
    ({"name": "x", "lat": 134.75, "lon": 113.66}, "经纬度", "latitude out of range"),
    ({"name": "x", "lat": 34.75, "lon": 113.66, "radius_m": 10}, "半径", "a 10 m circle is no plan"),
    ({"name": "x", "lat": 34.75, "lon": 113.66, "kind": "mall"}, "类型", "unknown kind of key place"),
    ({"name": "x", "lat": 34.75, "lon": 113.66, "station_id": "nope"}, "不存在", "unknown station"),
]


@pytest.mark.parametrize(("kwargs", "message", "reason"), BAD_EDITS, ids=[c[2] for c in BAD_EDITS])
def test_bad_edits_are_refused_in_chinese(ctx: AppContext, kwargs: dict[str, object], message: str,
                                          reason: str) -> None:
    qr = ctx.service(QuickResponseService)
    name, lat, lon = kwargs.pop("name"), kwargs.pop("lat"), kwargs.pop("lon")
    with pytest.raises(QuickResponseError, match=message):
        qr.add_circle(name, lat, lon, **kwargs)  # type: ignore[arg-type]
    assert qr.circles() == [], reason


def test_tier_must_be_1_3_or_5(ctx: AppContext) -> None:
    qr = ctx.service(QuickResponseService)
    cid = qr.add_circle("郑大一附院", *HOSPITAL, kind="hospital")
    with pytest.raises(QuickResponseError, match="1、3 或 5"):
        qr.add_force(cid, 2, "警务站")
    with pytest.raises(QuickResponseError, match="力量名称"):
        qr.add_force(cid, 1, "  ")


# (unit, target, response seconds or None = never arrived; reason)
DISPATCHES = [
    ("E0", ERQI, 45, "1 分钟内到场：计入 1/3/5 分钟"),
    ("E1", ERQI, 150, "2.5 分钟：计入 3 与 5 分钟"),
    ("E2", ERQI, 290, "4 分 50 秒：只计入 5 分钟"),
    ("E3", ERQI, 420, "7 分钟：都不达标"),
    ("E4", ERQI, None, "撤回未到场：计入分母，不达标"),
    ("J0", HOSPITAL, 170, "金水巡逻到医院 (圈外)：只计入金水中队"),
    ("J1", HOSPITAL, 55, "1 分钟内"),
]


def test_compliance_from_real_dispatch_and_arrival_times(ctx: AppContext, clock: Clock) -> None:
    qr = ctx.service(QuickResponseService)
    erqi = qr.add_circle("二七广场商圈", *ERQI, kind="business", radius_m=800, station_id="S-ERQI")
    dispatch = ctx.service(DispatchService)
    for i, (unit, (lat, lon), response, _reason) in enumerate(DISPATCHES):
        clock.t = T0 + i * 1000
        dispatch.dispatch(unit, Target("map", f"t{i}", lat, lon, "目标"))
        if response is None:
            clock.t += 30
            dispatch.set_status(unit, "available")  # stood down before arriving
        else:
            clock.t += response
            dispatch.set_status(unit, "on_scene")
    # One more still under way, 2 minutes old: left out, it may yet arrive in time.
    clock.t = T0 + 50_000
    dispatch.dispatch("E5", Target("map", "late", *ERQI, "目标"))
    clock.t += 120
    report = qr.compliance(T0 - 1)
    assert report.pending == 1
    overall = report.overall
    assert (overall.dispatches, overall.arrived) == (7, 6)
    assert overall.within == {1: 2, 3: 4, 5: 5}
    assert overall.share(5) == pytest.approx(5 / 7)
    (circle,) = report.circles
    assert (circle.id, circle.dispatches, circle.arrived) == (erqi, 5, 4)
    assert circle.within == {1: 1, 3: 2, 5: 3}
    assert circle.share(1) == pytest.approx(1 / 5)
    assert circle.median_s == pytest.approx((150 + 290) / 2)
    stations = {s.name: s for s in report.stations}
    assert set(stations) == {"二七中队", "金水中队"}
    assert stations["金水中队"].within == {1: 1, 3: 2, 5: 2}
    assert stations["金水中队"].share(3) == 1.0
    # Nothing in the window: no shares, not a division by zero.
    empty = qr.compliance(T0 + 100_000)
    assert empty.overall.share(1) is None and empty.overall.dispatches == 0
