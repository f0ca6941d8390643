"""What the runtime runs: the one consumer of each feed event kind, and the jobs.

This is the only place that says which service consumes which live event and which job runs
how often; ``tests/app/test_feed_kinds.py`` collects the kinds every source emits from the code
and fails if one is missing here.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from desk.feeds.base import Feed, FeedEvent

if TYPE_CHECKING:
    from desk.app.runtime import Runtime

log = logging.getLogger(__name__)

#: Job names the UI and the docs refer to.
WATCHDOG = "watchdog"
SUPERVISION = "duty.supervision"
ACCIDENT_TARGETS = "accidents.targets"
RAIN_GAUGES = "rain.gauges"
SYNC = "sync"
STREAM = "stream"
DEMO_SIMULATOR = "demo.simulator"
DEMO_ACCIDENTS = "demo.accidents"
DEMO_RAIN = "demo.rain"


def _service(runtime: Runtime, module: str, cls_name: str) -> Any:
    import importlib

    cls = getattr(importlib.import_module(module), cls_name)
    return runtime.ctx.service(cls)


def _call(runtime: Runtime, module: str, cls_name: str, method: str) -> Any:
    """A handler that finds the service when first called: building every service at start-up
    would import the whole app (ortools, reportlab) before the window shows."""

    def handler(*args: Any) -> Any:
        return getattr(_service(runtime, module, cls_name), method)(*args)

    handler.__qualname__ = f"{cls_name}.{method}"
    return handler


#: kind -> (module, class, method): the one consumer of each feed event kind.
CONSUMERS: dict[str, tuple[str, str, str]] = {
    "accident.report": ("desk.services.accidents", "AccidentService", "on_report_event"),
    "rain.signal": ("desk.services.rainstorm", "RainstormService", "on_signal_event"),
    "alert": ("desk.services.alerts", "AlertService", "on_feed_event"),
    "congestion": ("desk.services.alerts", "AlertService", "on_feed_event"),
    "crowd": ("desk.services.alerts", "AlertService", "on_feed_event"),
    "unit.status": ("desk.services.dispatch", "DispatchService", "on_unit_event"),
    "unit.offline": ("desk.services.dispatch", "DispatchService", "on_unit_event"),
    "camera.online": ("desk.services.cameras", "CameraService", "on_online_event"),
}


def wire_runtime(runtime: Runtime) -> None:
    """Register every consumer and job of a runtime (called by its constructor)."""
    for kind, (module, cls_name, method) in CONSUMERS.items():
        runtime.router.register(kind, f"{cls_name}.{method}", _call(runtime, module, cls_name, method))
    runtime.router.register("sync.changed", "SyncJob.wake", lambda _e: _wake_sync(runtime))
    runtime.router.register("drill.inject", "DrillSession.on_inject_event",
                            lambda e: _drill(runtime, "on_inject_event", e))
    runtime.router.register("drill.message", "DrillSession.on_message_event",
                            lambda e: _drill(runtime, "on_message_event", e))

    ctx = runtime.ctx
    settings = ctx.settings
    runtime.periodic(WATCHDOG, "值守巡检（离线/陈旧警力、离线视频、空岗）",
                     float(settings.get("alerts.watchdog_ms", 30_000)) / 1000.0,
                     lambda _now: _service(runtime, "desk.services.watchdog", "Watchdog").check(),
                     first_after_s=float(settings.get("alerts.watchdog_first_ms", 15_000)) / 1000.0)
    runtime.periodic(SUPERVISION, "勤务督导（管得住）", 60.0,
                     lambda now: _service(runtime, "desk.services.duty_supervision",
                                          "DutySupervisor").check(now),
                     first_after_s=20.0)
    runtime.periodic(ACCIDENT_TARGETS, "事故快处超时提醒", 5.0,
                     lambda now: _service(runtime, "desk.services.accidents",
                                          "AccidentService").check_targets(now),
                     first_after_s=2.0)
    runtime.periodic(RAIN_GAUGES, "雨量站研判", 60.0,
                     lambda now: _service(runtime, "desk.services.rainstorm",
                                          "RainstormService").evaluate_gauges(now),
                     first_after_s=10.0)
    runtime.feed_job(DEMO_SIMULATOR, "演示：警力模拟", lambda: _simulator(runtime))
    runtime.feed_job(DEMO_ACCIDENTS, "演示：事故报警流", lambda: _accident_demo(runtime))
    runtime.feed_job(DEMO_RAIN, "演示：降雨过程", lambda: _rain_demo(runtime))
    rewire_network(runtime)


def wanted_jobs(runtime: Runtime) -> list[str]:
    """The jobs ``Runtime.start`` starts, from the context and its settings."""
    ctx = runtime.ctx
    settings = ctx.settings
    names = [WATCHDOG, SUPERVISION, ACCIDENT_TARGETS, RAIN_GAUGES]
    online = bool(settings.get("central_url")) and not settings.get("offline")
    if online:
        names += [SYNC, STREAM]
    if ctx.demo and not ctx.drill:
        if not online:
            names.append(DEMO_SIMULATOR)
        if settings.get("accidents.demo_stream", True):
            names.append(DEMO_ACCIDENTS)
    return names


def rewire_network(runtime: Runtime) -> None:
    """(Re)create the sync and stream jobs for the configured central; restart them if they ran."""
    from desk.app.jobs import FeedJob

    settings = runtime.ctx.settings
    url = str(settings.get("central_url") or "").strip()
    token = str(settings.get("central_token") or "").strip()
    running = {name for name in (SYNC, STREAM)
               if name in runtime.jobs and runtime.jobs[name].wanted}
    for name in (SYNC, STREAM):
        old = runtime.jobs.pop(name, None)
        if old is not None:
            old.stop()
    if not url:
        return
    from desk.app.sync_job import SyncJob
    from desk.sync.outbox import install_outbox

    ws = runtime.ctx.workspace
    install_outbox(ws)
    ns = "drill" if runtime.ctx.drill else "live"
    verify: bool | str = str(settings.get("central_ca") or "") or True
    sync = SyncJob(str(ws.path), ws.bus, url, token, ns=ns, verify=verify,
                   on_status=runtime.sync_status,
                   on_progress=runtime.sync_progress)
    sync.on_fixes = lambda fixes: runtime.receive(_fixes_batch(fixes))
    runtime.add_job(sync)

    def make_stream() -> Feed:
        from desk.feeds.central_stream import CentralStreamFeed

        # The stream follows the node sync is on (the first one until a failover).
        return CentralStreamFeed(sync.node, token, ns=ns, verify=verify)

    runtime.add_job(FeedJob(STREAM, "中心实时流", make_stream, runtime.receive))
    if settings.get("offline"):
        return
    for name in running:
        runtime.jobs[name].start()


def _fixes_batch(fixes: list[dict[str, Any]]) -> Any:
    """The central's last fixes (``/history/last``) as a feed batch: the store keeps only the ones
    newer than what it has, so a refill never moves a marker backwards."""
    from desk.domain.telemetry import UnitFix
    from desk.feeds.base import FeedBatch

    out = []
    for f in fixes:
        try:
            out.append(UnitFix(str(f["unit_id"]), float(f["lat"]), float(f["lon"]), float(f["at"]),
                               f.get("heading"), f.get("speed_kmh")))
        except (KeyError, TypeError, ValueError):
            log.warning("bad last fix from the central skipped: %s", f)
    return FeedBatch(fixes=tuple(out))


def _wake_sync(runtime: Runtime) -> None:
    job = runtime.jobs.get(SYNC)
    if job is not None and job.wanted:
        job.wake()  # type: ignore[attr-defined]


def _drill(runtime: Runtime, method: str, event: FeedEvent) -> None:
    session = runtime.drill
    if session is None:
        log.warning("drill event %s outside a drill: %s", event.kind, event.data)
        return
    getattr(session, method)(event)


def _simulator(runtime: Runtime) -> Feed:
    from desk.feeds.simulator import DemoSimulator

    return DemoSimulator(runtime.ctx.workspace.path)


def _accident_demo(runtime: Runtime) -> Feed:
    from desk.demo.accidents import AccidentDemoFeed

    # The last half hour's reports arrive at once, so the demo opens with a queue to work on.
    return AccidentDemoFeed(clock=runtime.ctx.clock, backfill_s=1800.0)


def _rain_demo(runtime: Runtime) -> Feed:
    from desk.demo.rain import make_rain_demo

    feed = make_rain_demo(runtime.ctx)  # seeds the demo call lists too
    if feed is None:
        raise RuntimeError("工作区没有积水监测点，无法演示")
    return feed
