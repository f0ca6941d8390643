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
    for i in range(40):
        ctx.clock.t = T0 + i * 10  # type: ignore[attr-defined]
        feed(ctx, SensorReading("wp-r2", ctx.clock(), depth_cm=8 + i * 0.25))  # 1.5 cm/min
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


def test_gauges_raise_an_internal_assessment_per_district_never_a_signal(ctx: AppContext) -> None:
    """FACTS/《气象灾害预警信号发布与传播办法》: only the 气象台 issues signals; one gauge's rain is
    an internal assessment for its own district."""
    ctx.service(WaterService)
    rain = ctx.service(RainstormService)
    alerts = ctx.service(AlertService)
    # 10 mm every 10 minutes on the 郑东新区 gauge: 50 mm after 50 minutes (≥ 50 mm in 3 h)
    for i in range(5):
        ctx.clock.t = T0 + i * 600  # type: ignore[attr-defined]
        feed(ctx, SensorReading("wp-g1", ctx.clock(), rain_mm=10))
        rain.evaluate_gauges(ctx.clock())
        if i < 4:
            assert not [a for a in alerts.open_alerts() if a.kind == "rain.assessment"]
    assert rain.current() is None and rain.in_force() == []  # nothing declared
    [a] = [a for a in alerts.open_alerts() if a.kind == "rain.assessment"]
    assert (a.severity, a.place) == (Severity.ORANGE, "郑东新区")
    assert "雨量达到橙色标准（内部研判）" in a.message and "生效" not in a.message
    assert rain.assessments() == {"郑东新区": SignalLevel.ORANGE}
    # judged again with no new rain: no second alert
    rain.evaluate_gauges(ctx.clock())
    assert alerts.get(a.id).count == 1  # type: ignore[union-attr]
    # more rain: the same district's row escalates to red, still no signal
    for _ in range(5):
        ctx.clock.t += 600  # type: ignore[attr-defined]
        feed(ctx, SensorReading("wp-g1", ctx.clock(), rain_mm=10))
    rain.evaluate_gauges(ctx.clock())
    [a2] = [a for a in alerts.open_alerts() if a.kind == "rain.assessment"]
    assert a2.id == a.id and a2.severity is Severity.RED and "红色标准" in a2.message
    assert rain.in_force() == []


def test_gauge_totals_count_a_resent_reading_once_and_use_the_window(ctx: AppContext) -> None:
    rain = ctx.service(RainstormService)
    feed(ctx, SensorReading("wp-g1", T0 - 1, rain_mm=30), SensorReading("wp-g1", T0 - 1, rain_mm=30),
         SensorReading("wp-g1", T0, rain_mm=20))
    ctx.clock.t = T0 + 3 * 3600 - 1  # type: ignore[attr-defined]
    [g] = rain.gauge_totals()
    assert g.totals == {3: 20.0, 6: 50.0, 12: 50.0}  # T0−1 is outside (now − 3 h, now]


def test_official_signal_upgrade_keeps_done_and_unfinished_measures(ctx: AppContext) -> None:
    rain = ctx.service(RainstormService)
    alerts = ctx.service(AlertService)
    y = rain.record_signal("yellow", "值班长", office="郑州市气象台", districts="主城区")
    items = rain.checklist(y)
    rain.tick(items[0].id, "赵六")
    [signal_alert] = alerts.open_alerts()
    assert signal_alert.kind == "rain.signal" and "郑州市气象台发布暴雨黄色预警信号（主城区）" in \
        signal_alert.message
    ctx.clock.t += 600  # type: ignore[attr-defined]
    r = rain.record_signal("red", "值班长", office="郑州市气象台", districts=["主城区"])
    red = rain.checklist(r)
    by_key = {i.key: i for i in red}
    assert by_key[items[0].key].done_by == "赵六"  # done stays done
    open_yellow = {i.key for i in items[1:]}
    assert open_yellow <= set(by_key)  # every unfinished yellow measure is still open
    assert all(not by_key[k].done for k in open_yellow)
    assert [s.level for s in rain.history()] == [SignalLevel.YELLOW, SignalLevel.RED]
    assert rain.history()[0].lifted_at is not None
    # the yellow signal's alert is resolved, the red one is open
    assert [(a.kind, a.severity) for a in alerts.open_alerts()] == [("rain.signal", Severity.RED)]


def test_signals_for_different_districts_and_response_per_district(ctx: AppContext) -> None:
    rain = ctx.service(RainstormService)
    rain.record_signal("orange", "值班长", districts="金水区、二七区")
    rain.record_signal("red", "值班长", districts="金水区")
    assert rain.response_levels() == {"二七区": SignalLevel.ORANGE, "郑东新区": None,
                                      "金水区": SignalLevel.RED}
    assert len(rain.in_force()) == 2
    assert rain.in_force()[1].districts == ("二七区",)  # orange remains for 二七区 only


def test_rain_signal_event_records_official_signal_and_raises_alert(ctx: AppContext) -> None:
    from desk.feeds.base import FeedEvent

    rain = ctx.service(RainstormService)
    sid = rain.on_signal_event(FeedEvent("rain.signal", T0, {"level": "red", "inject_id": "R01"}))
    cur = rain.current()
    assert cur is not None and cur.id == sid and cur.level is SignalLevel.RED
    assert cur.source == "feed" and cur.office == "气象台"
    [a] = ctx.service(AlertService).open_alerts()
    assert a.kind == "rain.signal" and a.severity is Severity.RED
    sid2 = rain.on_signal_event(FeedEvent("rain.signal", T0, {
        "level": "橙色", "districts": ["上街区"], "office": "郑州市气象台", "identifier": "X1"}))
    assert sid2 is not None
    assert rain.on_signal_event(FeedEvent("rain.signal", T0, {"level": "橙色",
                                                              "identifier": "X1"})) is None
    assert rain.on_signal_event(FeedEvent("rain.signal", T0, {"level": "purple"})) is None
    assert rain.on_signal_event(FeedEvent("rain.signal", T0, {
        "msg_type": "cancel", "identifier": "X1"})) == sid2
    assert [s.id for s in rain.in_force()] == [sid]


def test_manual_signal_and_lift(ctx: AppContext) -> None:
    rain = ctx.service(RainstormService)
    rain.set_signal("yellow", "值班长", reason="气象台发布")
    cur = rain.current()
    assert cur is not None and cur.level is SignalLevel.YELLOW and cur.source == "manual"
    assert rain.lift("值班长")
    assert rain.current() is None
    assert not rain.lift("值班长")
    assert ctx.service(AlertService).open_alerts() == []


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


def test_water_state_survives_closing_and_reopening(workspace: Workspace, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Hysteresis and the open rise episode are kept in the workspace, not in memory: after a
    restart a jittering point neither re-alerts nor drops its state."""
    add_points(workspace)
    clock = Clock()
    ctx = AppContext(workspace=workspace, clock=clock)
    water = ctx.service(WaterService)
    alerts = ctx.service(AlertService)
    for i, d in enumerate([10, 20, 26]):  # road: caution 15, warning 25
        clock.t = T0 + i * 10
        water.on_readings([SensorReading("wp-r1", clock.t, depth_cm=d)], clock.t)
    [a] = alerts.open_alerts()
    assert a.count == 2
    path = workspace.path
    workspace.close()
    ws2 = Workspace.open(path)
    try:
        ctx2 = AppContext(workspace=ws2, clock=clock)
        water2 = ctx2.service(WaterService)
        [st] = water2.statuses(["wp-r1"])
        assert (st.state, st.depth_cm) == (WaterState.WARNING, 26)
        # 24 cm is inside the 2 cm hysteresis below 25: still WARNING, and no new alert
        clock.t += 10
        [st] = water2.on_readings([SensorReading("wp-r1", clock.t, depth_cm=24)], clock.t)
        assert st.state is WaterState.WARNING
        clock.t += 10
        water2.on_readings([SensorReading("wp-r1", clock.t, depth_cm=26)], clock.t)
        [a2] = ctx2.service(AlertService).open_alerts()
        assert a2.count == 2  # the same, not re-raised after the restart
        assert water2.level_states()["wp-r1"] is WaterState.WARNING
    finally:
        ws2.close()


@pytest.mark.parametrize(
    ("start_cm", "minutes", "rate", "alerted", "reason"),
    [
        (5.0, 5, 0.7, False, "0.7 cm/min from 5 cm on a road (caution 15): rain running off"),
        (10.0, 10, 0.7, True, "at 10 cm (≥ 0.6 × caution) and sustained: worth an alert"),
        (10.0, 2, 0.7, False, "fast for under 3 minutes: not sustained"),
        (10.0, 10, 0.3, False, "rising, but not fast"),
    ],
)
def test_rise_alerts_need_a_minimum_depth_and_a_sustained_rate(
        ctx: AppContext, start_cm: float, minutes: int, rate: float, alerted: bool,
        reason: str) -> None:
    water = ctx.service(WaterService)
    for k in range(minutes * 6 + 1):
        ctx.clock.t = T0 + k * 10  # type: ignore[attr-defined]
        r = SensorReading("wp-r2", ctx.clock(), depth_cm=start_cm + rate * k / 6)
        if r.depth_cm is not None and r.depth_cm >= 15:
            break
        feed(ctx, r)
        water.on_readings([r], ctx.clock())
    rises = [a for a in ctx.service(AlertService).open_alerts() if a.kind == "water.rise"]
    assert bool(rises) is alerted, reason
    if rises:
        assert rises[0].count == 1 and "持续快速上涨" in rises[0].message


def test_rivers_are_judged_by_flood_levels_not_closed(workspace: Workspace) -> None:
    from desk.domain.waterlevel import state_label

    with workspace.write("test") as tx:
        tx.insert("water_points", {"id": "wp-river", "name": "贾鲁河（中牟段）", "kind": "river",
                                   "road": "", "district": "中牟县", "lat": 34.7, "lon": 113.9,
                                   "caution_cm": 150, "warning_cm": 250, "close_cm": 320})
    ctx = AppContext(workspace=workspace, clock=Clock())
    water = ctx.service(WaterService)
    [st] = water.on_readings([SensorReading("wp-river", T0, depth_cm=330)], T0)
    assert st.state is WaterState.CLOSED and st.state_label == "超保证"
    assert state_label(WaterState.WARNING, st.point.kind) == "超警戒"
    [a] = ctx.service(AlertService).open_alerts()
    assert "保证水位" in a.message and "封闭" not in a.message


def test_statuses_and_batches_read_no_history(ctx: AppContext) -> None:
    """The kept state answers statuses; a batch reads only its points' trend window."""
    water = ctx.service(WaterService)
    # an old week of readings for one point, then a fresh one
    old = [SensorReading("wp-t1", T0 - 7 * 86400 + i * 3600, depth_cm=1.0) for i in range(7 * 24)]
    record_telemetry(ctx.workspace, readings=old, now=T0)
    water.on_readings([SensorReading("wp-t1", T0, depth_cm=12.0)], T0)
    statements: list[str] = []
    ctx.workspace.db.conn.set_trace_callback(statements.append)
    try:
        [st] = water.statuses(["wp-t1"])
        assert statements == []  # from memory
        water.on_readings([SensorReading("wp-t2", T0, depth_cm=3.0)], T0)
    finally:
        ctx.workspace.db.conn.set_trace_callback(None)
    assert st.depth_cm == 12.0 and st.state is WaterState.CAUTION
    reads = [s for s in statements if "sensor_readings" in s]
    # the first batch of a point reads its trend window once: a bounded range on the index
    assert len(reads) == 1 and "point_id IN" in reads[0] and "at >" in reads[0]
    statements.clear()
    ctx.workspace.db.conn.set_trace_callback(statements.append)
    try:
        water.on_readings([SensorReading("wp-t2", T0 + 10, depth_cm=3.5)], T0 + 10)
    finally:
        ctx.workspace.db.conn.set_trace_callback(None)
    assert not [s for s in statements if "sensor_readings" in s and "SELECT" in s]
    plan = ctx.workspace.db.execute(
        "EXPLAIN QUERY PLAN SELECT point_id, at, depth_cm FROM sensor_readings WHERE point_id IN "
        "(?, ?) AND at > ? AND at <= ? AND depth_cm IS NOT NULL", ["a", "b", 0, 1]).fetchall()
    assert "USING INDEX" in plan[0][3]


def test_compact_history_keeps_hourly_aggregates(ctx: AppContext) -> None:
    ctx.settings["water.keep_raw_s"] = 86400.0
    water = WaterService(ctx)
    rows = [SensorReading("wp-g1", T0 - 3 * 86400 + i * 600, depth_cm=float(i % 7),
                          rain_mm=1.0) for i in range(6 * 24 * 3)]
    record_telemetry(ctx.workspace, readings=rows, now=T0)
    before = ctx.workspace.count("sensor_readings")
    removed = water.compact_history(T0)
    removed += water.compact_history(T0)
    assert removed > 0
    assert ctx.workspace.count("sensor_readings") == before - removed
    kept = ctx.workspace.db.execute(
        "SELECT sum(n), sum(rain_mm), max(max_depth_cm) FROM sensor_readings_hourly").fetchone()
    assert kept == (removed, float(removed), 6.0)
    oldest = ctx.workspace.db.execute("SELECT min(at) FROM sensor_readings").fetchone()[0]
    assert oldest >= T0 - 86400 - 3600
