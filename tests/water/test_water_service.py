"""WaterService on a real workspace: readings through record_telemetry → states, alerts, signals;
bad readings rejected with a reason and counted; thresholds; responsible people and wake times."""

from __future__ import annotations

import pytest

from desk.domain.alerts import AlertState, Severity
from desk.domain.rainstorm import SignalLevel
from desk.domain.telemetry import SensorReading
from desk.domain.water import DepthThresholds
from desk.domain.waterlevel import Trend, WaterState
from desk.services.alerts import AlertService
from desk.services.context import AppContext
from desk.services.rainstorm import RainstormService
from desk.services.water import WaterService
from desk.store import Workspace
from desk.store.telemetry import record_telemetry
from tests.water.fixtures import add_points

T0 = 1_750_000_000.0


class Clock:
    def __init__(self) -> None:
        self.t = T0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def ctx(workspace: Workspace) -> AppContext:
    add_points(workspace)
    return AppContext(workspace=workspace, clock=Clock())


def feed(ctx: AppContext, *readings: SensorReading) -> None:
    record_telemetry(ctx.workspace, readings=readings, now=ctx.clock())


def test_reading_over_threshold_raises_alert_and_folds(ctx: AppContext) -> None:
    water = ctx.service(WaterService)
    alerts = ctx.service(AlertService)
    feed(ctx, SensorReading("wp-t1", T0, depth_cm=5))
    assert alerts.open_alerts() == []
    ctx.clock.t += 10  # type: ignore[attr-defined]
    feed(ctx, SensorReading("wp-t1", ctx.clock(), depth_cm=11))  # tunnel caution is 10
    [a] = alerts.open_alerts()
    assert (a.kind, a.severity, a.place) == ("water.threshold", Severity.YELLOW, "金水路下穿隧道")
    ctx.clock.t += 10  # type: ignore[attr-defined]
    feed(ctx, SensorReading("wp-t1", ctx.clock(), depth_cm=26))  # tunnel close is 25
    [a] = alerts.open_alerts()
    assert (a.severity, a.count) == (Severity.RED, 2)
    [st] = water.statuses(["wp-t1"])
    assert (st.state, st.depth_cm) == (WaterState.CLOSED, 26)


def test_jitter_at_threshold_does_not_flood(ctx: AppContext) -> None:
    ctx.service(WaterService)
    alerts = ctx.service(AlertService)
    for i, d in enumerate([16, 14.5, 15.2, 14.8, 15.5, 14.9]):
        ctx.clock.t = T0 + i * 10  # type: ignore[attr-defined]
        feed(ctx, SensorReading("wp-r1", ctx.clock(), depth_cm=d))
    [a] = alerts.open_alerts()
    assert a.count == 1


def test_rapid_rise_alert(ctx: AppContext) -> None:
    ctx.service(WaterService)
    alerts = ctx.service(AlertService)
    for i in range(30):
        ctx.clock.t = T0 + i * 10  # type: ignore[attr-defined]
        feed(ctx, SensorReading("wp-r2", ctx.clock(), depth_cm=1 + i * 0.25))  # 1.5 cm/min
    kinds = {a.kind for a in alerts.open_alerts()}
    assert "water.rise" in kinds
    [st] = ctx.service(WaterService).statuses(["wp-r2"])
    assert st.trend.trend is Trend.RISING_FAST


def test_bad_readings_rejected_counted_and_never_stored(ctx: AppContext) -> None:
    ctx.service(WaterService)
    result = record_telemetry(ctx.workspace, readings=[
        SensorReading("wp-r1", T0, depth_cm=-3),
        SensorReading("wp-r1", T0, depth_cm=float("nan")),
        SensorReading("wp-r1", T0 + 3600, depth_cm=50),
        SensorReading("wp-r1", T0, rain_mm=-1),
        SensorReading("wp-nope", T0, depth_cm=50),
        SensorReading("wp-r1", T0, depth_cm=3),
    ], now=T0)
    assert dict(result.rejected) == {"negative_depth": 1, "not_finite": 1, "future_time": 1,
                                     "negative_rain": 1, "unknown_point": 1}
    assert result.stored_readings == 1
    assert ctx.workspace.count("sensor_readings") == 1
    assert ctx.service(AlertService).open_alerts() == []


def test_gauges_raise_signal_with_checklist(ctx: AppContext) -> None:
    ctx.service(WaterService)
    rain = ctx.service(RainstormService)
    # 10 mm every 10 minutes on the gauge: 50 mm after 50 minutes → orange (≥50 in 3 h)
    for i in range(5):
        ctx.clock.t = T0 + i * 600  # type: ignore[attr-defined]
        feed(ctx, SensorReading("wp-g1", ctx.clock(), rain_mm=10))
        if i < 4:
            assert rain.current() is None
    cur = rain.current()
    assert cur is not None and cur.level is SignalLevel.ORANGE and cur.source == "gauge"
    items = rain.checklist(cur.id)
    assert len(items) >= 3 and not any(i.done for i in items)
    ctx.clock.t += 60  # type: ignore[attr-defined]
    rain.tick(items[0].id, "赵六")
    done = rain.checklist(cur.id)[0]
    assert (done.done_by, done.done_at) == ("赵六", ctx.clock())
    # a signal alert was raised too
    assert any(a.kind == "rain.signal" for a in ctx.service(AlertService).open_alerts())
    # more rain: red replaces orange, orange is lifted
    for _ in range(5):
        ctx.clock.t += 600  # type: ignore[attr-defined]
        feed(ctx, SensorReading("wp-g1", ctx.clock(), rain_mm=10))
    cur2 = rain.current()
    assert cur2 is not None and cur2.level is SignalLevel.RED
    assert [s.level for s in rain.history()] == [SignalLevel.ORANGE, SignalLevel.RED]
    assert rain.history()[0].lifted_at is not None


def test_manual_signal_and_lift(ctx: AppContext) -> None:
    rain = ctx.service(RainstormService)
    rain.set_signal("yellow", "值班长", reason="气象台发布")
    cur = rain.current()
    assert cur is not None and cur.level is SignalLevel.YELLOW and cur.source == "manual"
    assert rain.lift("值班长")
    assert rain.current() is None
    assert not rain.lift("值班长")


def test_threshold_edit_goes_through_write_path(ctx: AppContext) -> None:
    water = ctx.service(WaterService)
    water.set_thresholds("wp-r1", DepthThresholds(5, 10, 20), "调度员")
    assert water.thresholds("wp-r1") == DepthThresholds(5, 10, 20)
    assert ctx.workspace.count("change_log", "entity='water_points' AND op='update'") == 1
    with pytest.raises(ValueError):
        water.set_thresholds("wp-r1", DepthThresholds(20, 10, 5), "调度员")
    with pytest.raises(KeyError):
        water.set_thresholds("wp-none", DepthThresholds(5, 10, 20), "调度员")


def test_call_list_and_woken_within(ctx: AppContext) -> None:
    water = ctx.service(WaterService)
    alerts = ctx.service(AlertService)
    p1 = water.add_responsible("wp-t1", "孙七", "13800000001", "调度员")
    p2 = water.add_responsible("wp-t1", "周八", "13800000002", "调度员")
    assert [p.name for p in water.responsible_people("wp-t1")] == ["孙七", "周八"]
    feed(ctx, SensorReading("wp-t1", T0, depth_cm=30))
    [a] = alerts.open_alerts()
    ctx.clock.t += 120  # type: ignore[attr-defined]
    water.mark_notified("wp-t1", p1, "调度员", outcome="no_answer")
    ctx.clock.t += 60  # type: ignore[attr-defined]
    water.mark_notified("wp-t1", p2, "调度员")
    assert water.time_to_wake(a.id) == 180
    assert water.woken_within(5) == (1, 1)
    assert water.woken_within(2) == (0, 1)
    assert [n.outcome for n in water.notifications("wp-t1")] == ["no_answer", "reached"]
    with pytest.raises(ValueError):
        water.add_responsible("wp-t1", " ", "1", "调度员")
    with pytest.raises(KeyError):
        water.mark_notified("wp-t1", "rp-none", "调度员")


def test_alert_state_after_ack(ctx: AppContext) -> None:
    ctx.service(WaterService)
    alerts = ctx.service(AlertService)
    feed(ctx, SensorReading("wp-t2", T0, depth_cm=30))
    [a] = alerts.unacknowledged_red()
    alerts.acknowledge(a.id, "调度员")
    assert alerts.get(a.id).state is AlertState.ACKNOWLEDGED  # type: ignore[union-attr]
    assert alerts.unacknowledged_red() == []
