"""管得住 (duty supervision) as 勤务督察 practice judges it: each case names the practice, the
observations over time, and who is flagged."""

from __future__ import annotations

from datetime import date

import pytest

from desk.domain.duty import AddAssignment, Assignment
from desk.domain.duty.model import date_start
from desk.domain.duty.supervision import (
    AnomalyKind,
    CheckPoint,
    PostObservation,
    SupervisionConfig,
    SupervisionTracker,
    distance_to_line_m,
)
from desk.domain.geo import LatLon
from desk.services.context import AppContext
from desk.services.duty import DutyService
from desk.services.duty_supervision import DutySupervisor
from desk.store import Workspace
from tests.duty.factory import build_city

MON = date_start(date(2026, 11, 16))
H = 3600
POST = LatLon(34.75, 113.62)
NEAR = LatLon(34.7510, 113.62)  # about 110 m north
FAR = LatLon(34.80, 113.62)  # about 5.6 km north
# A patrol corridor along a road running east: three check-in points about 900 m apart.
LINE = (CheckPoint("c1", "东口", LatLon(34.75, 113.62)),
        CheckPoint("c2", "中段", LatLon(34.75, 113.63)),
        CheckPoint("c3", "西口", LatLon(34.75, 113.64)))
ON_LINE_FAR_FROM_POST = LatLon(34.7505, 113.64)  # 1.8 km from the post point, 55 m off the road
OFF_LINE = LatLon(34.76, 113.63)  # 1.1 km off the road


def ob(fix: LatLon | None, fix_at: float | None, *, status: str = "available",
       kind: str = "intersection", checkpoints: tuple[CheckPoint, ...] = (),
       unit: str | None = "u1", start: float = MON + 7 * H) -> PostObservation:
    return PostObservation("o1", "王伟", "p1", "花园路岗", POST, "a1", fix, fix_at,
                           post_kind=kind, shift_start=start, unit_id=unit, unit_status=status,
                           checkpoints=checkpoints)


# Each case: a list of (minutes after 07:00, observation), the anomaly kinds flagged at the last
# step, and the practice it encodes.
T = MON + 7 * H


def at(m: float) -> float:
    return T + m * 60


CASES = [
    ([(1, ob(NEAR, at(1)))], [], "在岗民警在岗位 500 米内：正常"),
    ([(1, ob(NEAR, at(1))), (2, ob(FAR, at(2))), (20, ob(FAR, at(20)))], [AnomalyKind.OFF_POST],
     "到岗后离开 5.6 公里超过 10 分钟：脱岗"),
    ([(1, ob(NEAR, at(1))), (2, ob(FAR, at(2))), (8, ob(FAR, at(8)))], [],
     "离开不足 10 分钟：暂不报"),
    ([(1, ob(NEAR, at(1))), (2, ob(FAR, at(2), status="dispatched")),
      (20, ob(FAR, at(20), status="en_route")), (30, ob(FAR, at(30), status="on_scene"))], [],
     "已派/在途/到场的民警在处警，不算离岗"),
    ([(1, ob(NEAR, at(1))), (2, ob(FAR, at(2), status="on_scene")), (40, ob(FAR, at(40))),
      (45, ob(FAR, at(45)))], [], "处警结束后离岗计时重新开始，5 分钟未到 10 分钟"),
    ([(1, ob(NEAR, at(1))), (2, ob(ON_LINE_FAR_FROM_POST, at(2), kind="motorcycle_line",
                                    checkpoints=LINE)),
      (30, ob(ON_LINE_FAR_FROM_POST, at(30), kind="motorcycle_line", checkpoints=LINE))], [],
     "铁骑在巡线走廊内（离岗位点 1.8 公里）：正常"),
    ([(1, ob(NEAR, at(1), kind="motorcycle_line", checkpoints=LINE)),
      (2, ob(OFF_LINE, at(2), kind="motorcycle_line", checkpoints=LINE)),
      (20, ob(OFF_LINE, at(20), kind="motorcycle_line", checkpoints=LINE))],
     [AnomalyKind.OFF_POST], "铁骑离开巡线走廊 1.1 公里超过 10 分钟：脱岗"),
    ([(1, ob(NEAR, at(1), kind="patrol_area")), (2, ob(OFF_LINE, at(2), kind="patrol_area")),
      (20, ob(OFF_LINE, at(20), kind="patrol_area"))], [],
     "巡逻岗无打卡点：按 2 公里巡区判断，1.4 公里内正常"),
    ([(1, ob(NEAR, at(1), kind="patrol_area")), (2, ob(FAR, at(2), kind="patrol_area")),
      (20, ob(FAR, at(20), kind="patrol_area"))], [AnomalyKind.OFF_POST],
     "巡逻岗：离开 2 公里巡区超过 10 分钟：脱岗"),
    ([(1, ob(NEAR, at(1), kind="patrol_area", checkpoints=LINE)),
      (2, ob(LatLon(34.75, 113.66), at(2), kind="patrol_area", checkpoints=LINE)),
      (20, ob(LatLon(34.75, 113.66), at(20), kind="patrol_area", checkpoints=LINE))], [],
     "巡区含打卡点：离中心 3.7 公里但在西口打卡点 2 公里内，正常"),
    ([(1, ob(None, None))], [AnomalyKind.NO_FIX], "在岗但终端从未定位：需核查"),
    ([(1, ob(NEAR, at(-30)))], [AnomalyKind.NO_FIX], "定位已 31 分钟未更新（可能关机）：需核查"),
    ([(1, ob(None, None, unit=None))], [AnomalyKind.NO_FIX], "未关联终端：无法核查，需核查"),
    ([(1, ob(NEAR, at(1), status="offline"))], [AnomalyKind.NO_FIX],
     "终端离线（最后定位虽新）：需核查，不算在岗"),
    ([(5, ob(FAR, at(5)))], [], "开班 5 分钟未到岗：仍在 15 分钟宽限内"),
    ([(5, ob(FAR, at(5))), (16, ob(FAR, at(16)))], [AnomalyKind.NO_SHOW],
     "开班 16 分钟仍未到岗：未到岗"),
    ([(16, ob(FAR, at(16), status="en_route"))], [], "开班时在途处警：不算未到岗"),
]


@pytest.mark.parametrize(("steps", "expected", "why"), CASES, ids=[c[2] for c in CASES])
def test_supervision_cases(steps: list[tuple[float, PostObservation]],
                           expected: list[AnomalyKind], why: str) -> None:
    tracker = SupervisionTracker(SupervisionConfig())
    alerts = []
    for minute, o in steps:
        alerts = tracker.observe(at(minute), [o])
    assert [a.kind for a in alerts] == expected, why


def test_messages_say_what_to_check() -> None:
    tracker = SupervisionTracker()
    (no_show,) = tracker.observe(at(20), [ob(FAR, at(20))])
    assert "未到岗" in no_show.message and "07:00" in no_show.message
    (stale,) = SupervisionTracker().observe(at(1), [ob(NEAR, at(-30))])
    assert "最后定位" in stale.message and "31 分钟前" in stale.message
    patrol = SupervisionTracker()
    patrol.observe(at(1), [ob(NEAR, at(1), kind="motorcycle_line", checkpoints=LINE)])
    patrol.observe(at(2), [ob(OFF_LINE, at(2), kind="motorcycle_line", checkpoints=LINE)])
    (off,) = patrol.observe(at(20), [ob(OFF_LINE, at(20), kind="motorcycle_line",
                                        checkpoints=LINE)])
    assert "巡逻路线" in off.message and "限 300 米" in off.message


def test_patrol_check_ins_are_recorded() -> None:
    tracker = SupervisionTracker()
    tracker.observe(at(1), [ob(LatLon(34.7502, 113.62), at(1), kind="motorcycle_line",
                               checkpoints=LINE)])
    tracker.observe(at(9), [ob(LatLon(34.75, 113.6301), at(9), kind="motorcycle_line",
                               checkpoints=LINE)])
    assert tracker.checked_in("o1", "a1") == {"c1": at(1), "c2": at(9)}


def test_distance_to_a_line() -> None:
    line = tuple(c.pos for c in LINE)
    assert distance_to_line_m(LatLon(34.75, 113.635), line) < 1.0
    assert 1100 < distance_to_line_m(OFF_LINE, line) < 1120
    assert distance_to_line_m(LatLon(34.75, 113.65), line) == pytest.approx(914, rel=0.01)


def _unit(tx: object, uid: str, lat: float, fix_at: float, status: str = "available") -> None:
    tx.insert("units", {"id": uid, "call_sign": f"铁骑{uid}", "kind": "motorcycle",  # type: ignore[attr-defined]
                        "status": status, "station_id": "st-01", "device_id": f"d-{uid}",
                        "lat": lat, "lon": 113.62, "heading": 0, "speed_kmh": 0,
                        "fix_at": fix_at, "online": 1})


def test_service_raises_and_resolves_each_anomaly_once(tmp_path: object) -> None:
    """Through the workspace: dispatched officers are exempt, a device-off officer and a no-show
    are raised once each (not every minute), and resolved when they clear — also by a new
    supervisor after a restart."""
    from pathlib import Path

    path = Path(str(tmp_path)) / "sup.sqlite"
    ws = Workspace.open(path)
    build_city(ws, stations=1, officers=4, posts=1, kinds=["intersection"])
    with ws.write("test") as tx:
        _unit(tx, "u1", 34.80, MON + 7 * H, status="dispatched")  # away, but on a task
        _unit(tx, "u2", 34.75, MON + 6 * H)  # last fix an hour before the shift
        _unit(tx, "u3", 34.80, MON + 7 * H)  # never arrives
        for oid, uid in (("off-0001", "u1"), ("off-0002", "u2"), ("off-0003", "u3")):
            tx.update("officers", oid, {"unit_id": uid})
    ctx = AppContext(workspace=ws, clock=lambda: MON + 7 * H)
    duty = ctx.service(DutyService)
    plan = duty.open_week(MON)
    for n, oid in enumerate(("off-0001", "off-0002", "off-0003"), start=1):
        plan.apply(AddAssignment(Assignment(f"s{n}", oid, "post-001", MON + 7 * H, MON + 9 * H)))
    sup = ctx.service(DutySupervisor)
    for minute in (1, 2, 16, 17, 18):
        with ws.write("test") as tx:
            tx.update("units", "u1", {"fix_at": at(minute)})
            tx.update("units", "u3", {"fix_at": at(minute)})
        found = sup.check(at(minute))
    assert sorted((a.officer_id, a.kind) for a in found) == [
        ("off-0002", AnomalyKind.NO_FIX), ("off-0003", AnomalyKind.NO_SHOW)]
    rows = ws.db.execute("SELECT kind, count, state FROM alerts ORDER BY kind").fetchall()
    assert rows == [("duty.no_fix", 1, "new"), ("duty.no_show", 1, "new")]
    ws.close()

    ws = Workspace.open(path)  # restart: a new supervisor, no memory
    ctx = AppContext(workspace=ws, clock=lambda: at(20))
    with ws.write("test") as tx:
        tx.update("units", "u2", {"lat": 34.75, "fix_at": at(20)})  # device back, at the post
        tx.update("units", "u3", {"lat": 34.75, "fix_at": at(20)})  # arrives
        tx.update("units", "u1", {"lat": 34.75, "fix_at": at(20)})
    assert ctx.service(DutySupervisor).check(at(20)) == []
    rows = ws.db.execute("SELECT kind, state FROM alerts ORDER BY kind").fetchall()
    assert rows == [("duty.no_fix", "resolved"), ("duty.no_show", "resolved")]
    ws.close()
