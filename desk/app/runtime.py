"""The runtime of one open workspace: feed intake, event routing, jobs and their health, and the
operator on duty. No Qt here: the UI drives it through a small bridge (``desk.ui.runtime_bridge``),
a headless tool or a test calls ``tick`` and ``drain`` itself.

Threading: every method except ``receive`` runs on the owner thread (the thread that opened the
workspace: the GUI thread in the app). Feeds call ``receive`` from their own threads; the runtime
queues the batch and calls the ``wakeup`` callback so the owner drains it soon, in ONE
transaction however many batches arrived meanwhile (a stream sending a fix per message would
otherwise cost a transaction per fix).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from desk.app.jobs import AttachedFeedJob, FeedJob, Job, JobHealth, JobState, PeriodicJob
from desk.app.operators import Operator, OperatorLog, OperatorShift
from desk.app.router import FeedRouter
from desk.feeds.base import Feed, FeedBatch
from desk.services.context import AppContext
from desk.store.telemetry import record_telemetry

log = logging.getLogger(__name__)

BatchListener = Callable[[FeedBatch], None]
HealthListener = Callable[[list[JobHealth]], None]
OperatorListener = Callable[[Operator | None], None]

#: The job that carries the "main" live feed: the central's stream, the simulator or a drill.
PRIMARY = "feed.primary"


class Runtime:
    """Owns the background work of one workspace (see the package docstring)."""

    def __init__(self, ctx: AppContext, *, wire: bool = True) -> None:
        self.ctx = ctx
        self.router = FeedRouter()
        self.jobs: dict[str, Job] = {}
        self.wakeup: Callable[[], None] | None = None
        self._lock = threading.Lock()
        self._pending: list[FeedBatch] = []
        self._scheduled = False
        self._batch_listeners: list[BatchListener] = []
        self._health_listeners: list[HealthListener] = []
        self._operator_listeners: list[OperatorListener] = []
        self._started = False
        self.batches_received = 0
        self.batches_ingested = 0
        self.operators = OperatorLog(ctx.workspace, ctx.workstation)
        self.shift: OperatorShift | None = None
        self.drill: Any = None  # a DrillSession while a drill runs in this workspace
        self.last_sync_status: Any = None
        self._sync_listeners: list[Callable[[Any], None]] = []
        self._progress_listeners: list[Callable[[int, int], None]] = []
        if wire:
            from desk.app.wiring import wire_runtime

            wire_runtime(self)

    # -- feed intake ---------------------------------------------------------------------------

    def receive(self, batch: FeedBatch) -> None:
        """The sink every feed writes to; safe on any thread."""
        with self._lock:
            self._pending.append(batch)
            self.batches_received += 1
            if self._scheduled:
                return
            self._scheduled = True
        wakeup = self.wakeup
        if wakeup is not None:
            wakeup()

    def drain(self) -> FeedBatch | None:
        """Ingest everything received so far as one batch (owner thread)."""
        with self._lock:
            batches, self._pending = self._pending, []
            self._scheduled = False
        if not batches:
            return None
        batch = batches[0] if len(batches) == 1 else FeedBatch(
            tuple(f for b in batches for f in b.fixes),
            tuple(r for b in batches for r in b.readings),
            tuple(e for b in batches for e in b.events),
        )
        return self.ingest(batch)

    def ingest(self, batch: FeedBatch, *, now: float | None = None) -> FeedBatch:
        """Store telemetry, hand readings to the water service and events to their consumers,
        then tell listeners (the map) what the STORE accepted: a refused or an older fix never
        moves a marker. Returns the accepted batch."""
        now = self.ctx.clock() if now is None else now
        fixes, readings = batch.fixes, batch.readings
        if fixes or readings:
            try:
                result = record_telemetry(self.ctx.workspace, fixes, readings, now=now)
                fixes, readings = result.accepted_fixes, result.accepted_readings
            except Exception:
                # A storage failure must not stop the live picture of events; the log says
                # what was lost, and nothing unstored is drawn.
                log.exception("storing %d fixes / %d readings failed", len(fixes), len(readings))
                fixes, readings = (), ()
        if readings:
            self._water_readings(readings, now)
        self.router.route(batch.events)
        accepted = FeedBatch(fixes, readings, batch.events)
        self.batches_ingested += 1
        for listener in list(self._batch_listeners):
            try:
                listener(accepted)
            except Exception:
                log.exception("batch listener failed")
        return accepted

    def _water_readings(self, readings: tuple[Any, ...], now: float) -> None:
        from desk.services.water import WaterService

        handler = getattr(self.ctx.service(WaterService), "on_readings", None)
        if handler is None:
            return
        try:
            handler(readings, now)
        except Exception:
            log.exception("water service failed on %d readings", len(readings))

    def on_batch(self, listener: BatchListener) -> Callable[[], None]:
        """Call ``listener`` with each accepted batch (owner thread)."""
        self._batch_listeners.append(listener)
        return lambda: self._batch_listeners.remove(listener) if listener in self._batch_listeners else None

    # -- jobs ----------------------------------------------------------------------------------

    def add_job(self, job: Job) -> Job:
        if job.name in self.jobs:
            raise ValueError(f"job {job.name!r} exists")
        self.jobs[job.name] = job
        return job

    def periodic(self, name: str, title: str, interval_s: float, run: Callable[[float], Any], *,
                 first_after_s: float = 0.0) -> PeriodicJob:
        job = PeriodicJob(name, title, interval_s, run, first_after_s=first_after_s)
        self.add_job(job)
        return job

    def feed_job(self, name: str, title: str, make: Callable[[], Feed]) -> FeedJob:
        job = FeedJob(name, title, make, self.receive)
        self.add_job(job)
        return job

    def job(self, name: str) -> Job | None:
        return self.jobs.get(name)

    def start_job(self, name: str) -> JobState:
        job = self.jobs.get(name)
        if job is None:
            log.warning("no such job: %s", name)
            return JobState.STOPPED
        if job.start():
            self._health_changed()
        return job.health().state

    def stop_job(self, name: str, reason: str = "") -> None:
        job = self.jobs.get(name)
        if job is not None and job.stop(reason):
            self._health_changed()

    def restart_job(self, name: str) -> JobState:
        self.stop_job(name)
        return self.start_job(name)

    def job_state(self, name: str) -> JobState:
        job = self.jobs.get(name)
        return JobState.STOPPED if job is None else job.health().state

    def health(self) -> list[JobHealth]:
        return [job.health() for job in self.jobs.values()]

    def on_health(self, listener: HealthListener) -> Callable[[], None]:
        """Call ``listener`` with every job's health whenever one changes (any thread)."""
        self._health_listeners.append(listener)
        return lambda: self._health_listeners.remove(listener) if listener in self._health_listeners else None

    def _health_changed(self) -> None:
        health = self.health()
        for listener in list(self._health_listeners):
            try:
                listener(health)
            except Exception:
                log.exception("health listener failed")

    def tick(self, now: float | None = None) -> None:
        """Run what is due (owner thread): periodic jobs, pending batches, health polling."""
        now = self.ctx.clock() if now is None else now
        changed = False
        for job in list(self.jobs.values()):
            if isinstance(job, PeriodicJob) and job.due(now):
                changed |= job.run_now(now)
            else:
                changed |= job.poll_health()
        self.drain()
        if changed:
            self._health_changed()

    # -- the primary live feed -----------------------------------------------------------------

    @property
    def primary_feed(self) -> Feed | None:
        job = self.jobs.get(PRIMARY)
        return job.feed if isinstance(job, FeedJob) else None

    def set_primary_feed(self, feed: Feed | None, title: str = "实时数据流") -> None:
        """Replace the main live feed (the central's stream, the simulator, a drill's injects)."""
        old = self.jobs.pop(PRIMARY, None)
        if old is not None:
            old.stop()
        if feed is not None:
            job = AttachedFeedJob(PRIMARY, title, feed, self.receive)
            self.jobs[PRIMARY] = job
            job.start()
        self._health_changed()

    # -- lifecycle -----------------------------------------------------------------------------

    def start(self) -> None:
        """Start every job the settings ask for (see ``desk.app.wiring.wanted_jobs``)."""
        from desk.app.wiring import wanted_jobs

        self._started = True
        for name in wanted_jobs(self):
            if name in self.jobs:
                self.jobs[name].start()
        self._health_changed()

    def stop(self) -> None:
        """Stop every job and ingest what was already received (before the workspace closes)."""
        for job in list(self.jobs.values()):
            try:
                job.stop()
            except Exception:
                log.exception("stopping job %s failed", job.name)
        self.drain()
        self._started = False
        self._health_changed()

    @property
    def started(self) -> bool:
        return self._started

    def set_offline(self, offline: bool) -> None:
        """离线工作: no network at all (sync and the live stream) until switched off again."""
        self.ctx.settings["offline"] = offline
        for name in ("sync", "stream"):
            if name not in self.jobs:
                continue
            if offline:
                job = self.jobs[name]
                if name == "sync":
                    # No waiting for a request in flight: the GUI must answer at once.
                    job.stop("离线工作", wait=False)  # type: ignore[call-arg]
                else:
                    job.stop("离线工作")
            else:
                self.jobs[name].start()
        log.info("offline work %s", "on" if offline else "off")
        self._health_changed()

    def apply_settings(self, keys: list[str]) -> None:
        """Settings changed (the 设置 dialog): restart what depends on them."""
        from desk.app.wiring import rewire_network

        if {"central_url", "central_token", "central_ca"} & set(keys):
            rewire_network(self)
        self._health_changed()

    # -- sync --------------------------------------------------------------------------------

    def sync_status(self, status: Any) -> None:
        """Called by the sync job (on its thread) after each cycle."""
        self.last_sync_status = status
        for listener in list(self._sync_listeners):
            try:
                listener(status)
            except Exception:
                log.exception("sync status listener failed")
        job = self.jobs.get("sync")
        if job is not None and job.poll_health():
            self._health_changed()

    def sync_progress(self, done: int, total: int) -> None:
        for listener in list(self._progress_listeners):
            listener(done, total)

    def on_sync(self, status: Callable[[Any], None],
                progress: Callable[[int, int], None] | None = None) -> Callable[[], None]:
        """Listen to the sync job's status (a ``SyncStatus``) and pull progress (any thread)."""
        self._sync_listeners.append(status)
        if progress is not None:
            self._progress_listeners.append(progress)

        def unsubscribe() -> None:
            if status in self._sync_listeners:
                self._sync_listeners.remove(status)
            if progress is not None and progress in self._progress_listeners:
                self._progress_listeners.remove(progress)

        return unsubscribe

    def wake_sync(self) -> None:
        """Sync now (a local edit, a resolved conflict)."""
        job = self.jobs.get("sync")
        if job is not None and job.wanted:
            job.wake()  # type: ignore[attr-defined]

    def resolve_sync_decision(self, decision: Any, choice: str) -> None:
        job = self.jobs.get("sync")
        if job is not None:
            job.resolve_decision(decision, choice)  # type: ignore[attr-defined]

    # -- operators -----------------------------------------------------------------------------

    @property
    def operator(self) -> Operator | None:
        return self.shift.operator if self.shift is not None else None

    def sign_on(self, operator: Operator, *, source: str = "manual") -> OperatorShift:
        """Put ``operator`` at the desk: from now on every write is attributed to them."""
        if self.shift is not None:
            raise RuntimeError("an operator is already on duty; use handover()")
        self.shift = self.operators.sign_on(operator, time.time(), source=source)
        self.ctx.actor = operator.actor
        log.info("operator on duty: %s (%s)", operator.actor, operator.role.value)
        self._operator_changed()
        return self.shift

    def handover(self, incoming: Operator, note: str) -> OperatorShift:
        """交接班: sign the current operator off with a handover note and the next one on."""
        now = time.time()
        if self.shift is not None:
            self.operators.sign_off(self.shift, now, note)
            log.info("operator signed off: %s", self.shift.operator.actor)
        self.shift = None
        return self.sign_on(incoming)

    def sign_off(self, note: str = "") -> None:
        if self.shift is not None:
            self.operators.sign_off(self.shift, time.time(), note)
            log.info("operator signed off: %s", self.shift.operator.actor)
        self.shift = None

    def on_operator(self, listener: OperatorListener) -> Callable[[], None]:
        self._operator_listeners.append(listener)
        return lambda: self._operator_listeners.remove(listener) if listener in self._operator_listeners else None

    def _operator_changed(self) -> None:
        for listener in list(self._operator_listeners):
            try:
                listener(self.operator)
            except Exception:
                log.exception("operator listener failed")
