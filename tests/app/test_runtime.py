"""The runtime on a real workspace, with no Qt: jobs and their health, feed intake, the map's
view of what the store accepted, operators, and the log file."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

import pytest

from desk.app.jobs import JobState
from desk.app.operators import Operator, OperatorError
from desk.app.runtime import Runtime
from desk.domain.telemetry import UnitFix
from desk.feeds.base import FeedBatch, FeedEvent
from desk.services.context import AppContext
from desk.store import Workspace


def _unit(ws: Workspace, uid: str = "U1") -> None:
    with ws.write("seed") as tx:
        tx.insert("stations", {"id": "S1", "name": "一中队"})
        tx.insert("units", {"id": uid, "call_sign": "郑交01", "kind": "patrol_car",
                            "status": "available", "station_id": "S1", "online": 1})


def test_a_failing_job_says_why_and_recovers(workspace: Workspace) -> None:
    runtime = Runtime(AppContext(workspace=workspace), wire=False)
    calls: list[float] = []
    broken = {"on": True}

    def work(now: float) -> None:
        calls.append(now)
        if broken["on"]:
            raise RuntimeError("数据库被锁定")

    runtime.periodic("test.job", "测试任务", 10.0, work)
    seen: list[list] = []
    runtime.on_health(seen.append)
    runtime.start_job("test.job")
    runtime.tick(100.0)
    health = {h.name: h for h in runtime.health()}["test.job"]
    assert health.state is JobState.FAILING and "数据库被锁定" in health.reason
    runtime.tick(105.0)  # not due yet
    assert calls == [100.0]
    broken["on"] = False
    runtime.tick(110.0)
    assert runtime.job_state("test.job") is JobState.RUNNING
    assert seen, "health listeners were told"
    runtime.stop_job("test.job", "测试结束")
    runtime.tick(200.0)
    assert calls == [100.0, 110.0]
    stopped = {h.name: h for h in runtime.health()}["test.job"]
    assert stopped.state is JobState.STOPPED and stopped.reason == "测试结束"


def test_the_app_jobs_are_registered_and_started(demo_workspace: Workspace) -> None:
    runtime = Runtime(AppContext(workspace=demo_workspace, demo=True, settings={
        "accidents.demo_stream": False}))
    names = {h.name for h in runtime.health()}
    assert {"watchdog", "duty.supervision", "accidents.targets", "rain.gauges",
            "demo.simulator", "demo.accidents", "demo.rain"} <= names
    runtime.start()
    try:
        running = {h.name for h in runtime.health() if h.state is JobState.RUNNING}
        assert {"watchdog", "duty.supervision", "accidents.targets", "demo.simulator"} <= running
        assert "demo.accidents" not in running  # switched off in the settings
        # The simulator's thread delivers into the runtime; the owner thread drains it.
        deadline = time.time() + 10
        while runtime.batches_received == 0 and time.time() < deadline:
            time.sleep(0.05)
        assert runtime.batches_received > 0
        accepted = runtime.drain()
        assert accepted is not None and accepted.fixes
    finally:
        runtime.stop()
    assert not [h for h in runtime.health() if h.state is JobState.RUNNING]


def test_only_fixes_the_store_accepted_reach_listeners(workspace: Workspace) -> None:
    """Journey 4 at the runtime: a refused fix and a late older fix never move the marker."""
    _unit(workspace)
    runtime = Runtime(AppContext(workspace=workspace), wire=False)
    drawn: list[FeedBatch] = []
    runtime.on_batch(drawn.append)
    now = time.time()
    runtime.ingest(FeedBatch(fixes=(UnitFix("U1", 34.75, 113.62, now - 5),)), now=now)
    assert [f.at for f in drawn[-1].fixes] == [now - 5]
    # 5 km accuracy is refused by the store's screening; an older fix is not the newest.
    bad = UnitFix("U1", 34.80, 113.70, now - 2, accuracy_m=5000.0)
    older = UnitFix("U1", 34.60, 113.50, now - 60)
    runtime.ingest(FeedBatch(fixes=(bad, older)), now=now)
    assert drawn[-1].fixes == ()
    row = workspace.db.execute("SELECT lat, lon, fix_at FROM units WHERE id = 'U1'").fetchone()
    assert row == (34.75, 113.62, now - 5)
    # NaN never reaches anyone.
    runtime.ingest(FeedBatch(fixes=(UnitFix("U1", float("nan"), 113.6, now),)), now=now)
    assert drawn[-1].fixes == ()


def test_batches_from_threads_are_coalesced(workspace: Workspace) -> None:
    _unit(workspace)
    runtime = Runtime(AppContext(workspace=workspace), wire=False)
    wakeups: list[int] = []
    runtime.wakeup = lambda: wakeups.append(1)
    now = time.time()

    def send(n: int) -> None:
        runtime.receive(FeedBatch(fixes=(UnitFix("U1", 34.7 + n * 1e-4, 113.6, now + n),)))

    threads = [threading.Thread(target=send, args=(n,)) for n in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(wakeups) == 1  # one wake-up however many batches arrived
    accepted = runtime.drain()
    assert accepted is not None and len(accepted.fixes) == 1  # newest per unit
    assert accepted.fixes[0].at == now + 49


def test_events_reach_their_one_consumer(demo_workspace: Workspace) -> None:
    runtime = Runtime(AppContext(workspace=demo_workspace, demo=True))
    camera = demo_workspace.db.execute("SELECT id FROM cameras WHERE online = 1 LIMIT 1").fetchone()[0]
    runtime.ingest(FeedBatch(events=(FeedEvent("camera.online", time.time(),
                                               {"camera_id": camera, "online": False}),)))
    assert demo_workspace.db.execute("SELECT online FROM cameras WHERE id = ?", [camera]).fetchone()[0] == 0
    assert runtime.router.routed["camera.online"] == 1
    actor = demo_workspace.db.execute(
        "SELECT actor FROM change_log WHERE entity = 'cameras' AND entity_id = ? ORDER BY rowid DESC",
        [camera]).fetchone()[0]
    assert actor == "feed"


def test_operator_sign_on_and_handover_attribute_every_write(workspace: Workspace) -> None:
    ctx = AppContext(workspace=workspace, workstation="ws-07")
    runtime = Runtime(ctx, wire=False)
    with pytest.raises(OperatorError):
        Operator.parse("", "张伟")
    first = Operator.parse("010234", "张伟")
    runtime.sign_on(first)
    assert ctx.actor == "010234 张伟"
    with workspace.write(ctx.actor) as tx:
        tx.insert("stations", {"id": "S9", "name": "九中队"})
    runtime.handover(Operator.parse("010567", "李娜"), "隧道积水未退，已封闭；事故 A-0032 待回访")
    assert ctx.actor == "010567 李娜"
    shifts = runtime.operators.history()
    assert [s.operator.name for s in shifts] == ["李娜", "张伟"]
    assert shifts[1].off_at is not None and "A-0032" in shifts[1].handover_note
    assert runtime.operators.last_handover_note().startswith("隧道积水")
    actors = [r[0] for r in workspace.db.execute(
        "SELECT actor FROM change_log WHERE entity = 'stations' AND entity_id = 'S9'")]
    assert actors == ["010234 张伟"]


def test_offline_stops_sync_and_stream_and_resumes_both(workspace: Workspace) -> None:
    ctx = AppContext(workspace=workspace, settings={"central_url": "http://127.0.0.1:9", "central_token": "t"})
    runtime = Runtime(ctx)
    runtime.start()
    try:
        assert runtime.jobs["sync"].wanted and runtime.jobs["stream"].wanted
        runtime.set_offline(True)
        assert runtime.job_state("sync") is JobState.STOPPED
        assert runtime.job_state("stream") is JobState.STOPPED
        runtime.set_offline(False)
        assert runtime.jobs["sync"].wanted and runtime.jobs["stream"].wanted
    finally:
        runtime.stop()


def test_log_file_gets_unhandled_exceptions(tmp_path: Path) -> None:
    import sys

    from desk.app.logfile import on_unhandled, setup_logging

    old_hook, old_thread_hook = sys.excepthook, threading.excepthook
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        path = setup_logging(tmp_path, stderr=False)
        seen: list[str] = []
        undo = on_unhandled(seen.append)

        def boom() -> None:
            raise ValueError("封闭道路失败")

        t = threading.Thread(target=boom, name="worker-x")
        t.start()
        t.join()
        undo()
        for h in root.handlers:
            h.flush()
        text = path.read_text(encoding="utf-8")
        assert "unhandled exception in thread worker-x" in text
        assert "ValueError: 封闭道路失败" in text and "Traceback" in text
        assert seen == ["ValueError: 封闭道路失败"]
    finally:
        sys.excepthook, threading.excepthook = old_hook, old_thread_hook
        for h in list(root.handlers):
            if h not in before:
                root.removeHandler(h)
                h.close()
