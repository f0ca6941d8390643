"""AlertService on a real workspace: raising, folding duplicates, the state machine, history."""

from __future__ import annotations

import pytest

from desk.domain.alerts import (
    AlertAction,
    AlertState,
    AlertTransitionError,
    Severity,
    next_state,
    parse_severity,
)
from desk.services.alerts import AlertService
from desk.services.context import AppContext
from desk.store import Workspace


class FakeClock:
    def __init__(self, t: float = 1_750_000_000.0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def alerts(workspace: Workspace, clock: FakeClock) -> AlertService:
    return AppContext(workspace=workspace, clock=clock).service(AlertService)


def test_raise_creates_new_alert_with_history(alerts: AlertService, clock: FakeClock) -> None:
    aid = alerts.raise_alert("water.threshold", "orange", "积水监测", "金水路隧道", "水深 18 cm",
                             lat=34.77, lon=113.68, dedup_key="water.threshold:wp-1")
    a = alerts.get(aid)
    assert a is not None
    assert (a.state, a.severity, a.count, a.raised_at) == (AlertState.NEW, Severity.ORANGE, 1, clock.t)
    assert a.lat == 34.77
    assert [e.action for e in alerts.events(aid)] == [AlertAction.RAISE]


def test_duplicates_of_open_alert_fold_into_counter(alerts: AlertService, clock: FakeClock) -> None:
    first = alerts.raise_alert("unit.offline", "yellow", "勤务", "铁骑 12", "离线", dedup_key="u12")
    for i in range(4):
        clock.t += 10
        again = alerts.raise_alert("unit.offline", "yellow", "勤务", "铁骑 12", f"离线 {i}",
                                   dedup_key="u12")
        assert again == first
    a = alerts.get(first)
    assert a is not None
    assert a.count == 5
    assert a.last_at == clock.t
    assert a.message == "离线 3"
    assert len(alerts.open_alerts()) == 1
    assert alerts.ws.count("alerts") == 1


def test_fold_escalates_but_never_downgrades(alerts: AlertService) -> None:
    aid = alerts.raise_alert("water.threshold", "yellow", "s", "p", "m", dedup_key="k")
    alerts.raise_alert("water.threshold", "red", "s", "p", "m", dedup_key="k")
    assert alerts.get(aid).severity is Severity.RED  # type: ignore[union-attr]
    alerts.raise_alert("water.threshold", "blue", "s", "p", "m", dedup_key="k")
    assert alerts.get(aid).severity is Severity.RED  # type: ignore[union-attr]


def test_resolved_alert_does_not_absorb_repeats(alerts: AlertService) -> None:
    aid = alerts.raise_alert("camera.offline", "info", "视频", "cam-1", "离线", dedup_key="cam-1")
    alerts.resolve(aid, "张三", "已恢复")
    again = alerts.raise_alert("camera.offline", "info", "视频", "cam-1", "又离线", dedup_key="cam-1")
    assert again != aid
    assert alerts.get(again).count == 1  # type: ignore[union-attr]


def test_no_dedup_key_never_folds(alerts: AlertService) -> None:
    a = alerts.raise_alert("x.y", "blue", "s", "p", "m")
    b = alerts.raise_alert("x.y", "blue", "s", "p", "m")
    assert a != b


def test_state_machine_records_who_and_when(alerts: AlertService, clock: FakeClock) -> None:
    aid = alerts.raise_alert("water.rise", "red", "积水监测", "p", "m")
    clock.t += 30
    alerts.acknowledge(aid, "李四")
    clock.t += 60
    alerts.assign(aid, "李四", assignee="铁骑 3 组")
    clock.t += 600
    alerts.resolve(aid, "王五", "已排水")
    a = alerts.get(aid)
    assert a is not None
    assert a.state is AlertState.RESOLVED
    assert (a.acked_by, a.acked_at - a.raised_at) == ("李四", 30)  # type: ignore[operator]
    assert a.assigned_to == "铁骑 3 组"
    assert (a.resolved_by, a.resolved_at) == ("王五", clock.t)
    hist = alerts.events(aid)
    assert [e.action for e in hist] == [AlertAction.RAISE, AlertAction.ACKNOWLEDGE,
                                        AlertAction.ASSIGN, AlertAction.RESOLVE]
    assert [e.actor for e in hist[1:]] == ["李四", "李四", "王五"]
    assert alerts.open_alerts() == []


def test_illegal_transitions_are_refused_and_leave_no_trace(alerts: AlertService) -> None:
    aid = alerts.raise_alert("x", "red", "s", "p", "m")
    alerts.acknowledge(aid, "a")
    with pytest.raises(AlertTransitionError):
        alerts.acknowledge(aid, "a")
    alerts.resolve(aid, "a")
    for action in (alerts.acknowledge, alerts.assign, alerts.resolve):
        with pytest.raises(AlertTransitionError):
            action(aid, "a")
    assert len(alerts.events(aid)) == 3
    with pytest.raises(KeyError):
        alerts.acknowledge("nope", "a")


def test_next_state_table() -> None:
    assert next_state(AlertState.NEW, AlertAction.ASSIGN) is AlertState.ASSIGNED
    assert next_state(AlertState.ASSIGNED, AlertAction.ASSIGN) is AlertState.ASSIGNED
    with pytest.raises(AlertTransitionError):
        next_state(AlertState.ASSIGNED, AlertAction.ACKNOWLEDGE)
    with pytest.raises(AlertTransitionError):
        next_state(AlertState.NEW, AlertAction.RAISE)


def test_severity_parsing() -> None:
    assert parse_severity("info") is Severity.BLUE
    assert parse_severity("RED") is Severity.RED
    with pytest.raises(ValueError, match="未知"):
        parse_severity("purple")


def test_inbox_order_severity_then_newest(alerts: AlertService, clock: FakeClock) -> None:
    y_old = alerts.raise_alert("k", "yellow", "s", "p", "old yellow")
    clock.t += 1
    r_old = alerts.raise_alert("k", "red", "s", "p", "old red")
    clock.t += 1
    y_new = alerts.raise_alert("k", "yellow", "s", "p", "new yellow")
    clock.t += 1
    r_new = alerts.raise_alert("k", "red", "s", "p", "new red")
    assert [a.id for a in alerts.open_alerts()] == [r_new, r_old, y_new, y_old]


def test_changes_go_through_change_log(alerts: AlertService) -> None:
    seen = []
    alerts.ws.bus.subscribe(seen.append)
    aid = alerts.raise_alert("k", "red", "s", "p", "m")
    alerts.acknowledge(aid, "a")
    assert all(c.touches("alerts") for c in seen) and len(seen) == 2
    n = alerts.ws.count("change_log", "entity = 'alerts' AND entity_id = ?", [aid])
    assert n == 2


def test_unacknowledged_red_and_per_hour(alerts: AlertService, clock: FakeClock) -> None:
    clock.t = 3600 * 500_000
    a = alerts.raise_alert("water.threshold", "red", "s", "p", "m")
    alerts.raise_alert("unit.offline", "yellow", "s", "p", "m")
    clock.t += 3600
    alerts.raise_alert("water.threshold", "red", "s", "p", "m")
    assert len(alerts.unacknowledged_red()) == 2
    alerts.acknowledge(a, "x")
    assert len(alerts.unacknowledged_red()) == 1
    per_hour = alerts.raised_per_hour(0)
    assert (3600 * 500_000.0, "water.threshold", 1) in per_hour
    assert (3600 * 500_001.0, "water.threshold", 1) in per_hour
    assert sum(n for _, _, n in per_hour) == 3
