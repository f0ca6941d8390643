"""The inject runner: fires a scenario's injects on the drill clock as ordinary feed batches.

``DrillFeed`` implements ``desk.feeds.base.Feed``, so injects reach the app exactly as live data
does: water depths are ``SensorReading`` values stored by the feed hub, everything else is a
``FeedEvent`` with the kind names other features already consume (``rain.signal``,
``accident.report``, ``unit.offline``, ``camera.online``, ``congestion``, ``crowd``,
``drill.message``). Every event's data also carries ``inject_id`` so a feature that turns an event
into a record (an accident case) can quote it back when the trainee acts on it.

Scheduling is event-driven, not polled: the thread sleeps on the clock's condition variable for
exactly the real time until the next due drill second and is woken at once by a pause, resume,
speed change or jump (see ``DrillClock.wait_until``). ``poll()`` is the same firing step without
the thread, for deterministic tests and the benchmark.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from desk.domain.telemetry import SensorReading
from desk.drill.clock import DrillClock
from desk.drill.scenario import Inject, Scenario
from desk.feeds.base import FeedBatch, FeedEvent, FeedSink

log = logging.getLogger(__name__)

T = TypeVar("T")

#: Anchored clock arithmetic is exact up to float rounding (99.0 + 0.1 × 10 may give 99.9999…);
#: an item this close to due counts as due, so a wake-up at the computed instant fires it.
_EPS_S = 1e-6


@dataclass(frozen=True, slots=True)
class Fired(Generic[T]):
    """One scheduled item that fired: when it was due and when it fired, in drill seconds, and
    how late in real milliseconds at the speed in force."""

    item: T
    due_s: float
    fired_s: float
    lateness_ms: float


class DrillScheduler(Generic[T]):
    """Fires items, each due at a drill second, in due order, only while the clock runs.

    An item due while the clock is paused fires on the first poll after resume: drill time does
    not advance in a pause, so it is late by nothing but the scheduler's own reaction time.
    """

    def __init__(self, clock: DrillClock, items: Sequence[tuple[float, T]]) -> None:
        self.clock = clock
        self._items = sorted(items, key=lambda pair: pair[0])
        self._next = 0
        self._lock = threading.Lock()

    @property
    def remaining(self) -> int:
        return len(self._items) - self._next

    def next_due(self) -> float | None:
        with self._lock:
            return self._items[self._next][0] if self._next < len(self._items) else None

    def poll(self) -> list[Fired[T]]:
        """Take every item due by now; none while paused or before the start."""
        if not self.clock.running:
            return []
        now = self.clock.now()
        speed = self.clock.speed
        out: list[Fired[T]] = []
        with self._lock:
            while self._next < len(self._items) and self._items[self._next][0] <= now + _EPS_S:
                due, item = self._items[self._next]
                self._next += 1
                fired_s = max(now, due)
                out.append(Fired(item, due, fired_s, (fired_s - due) / speed * 1000.0))
        return out


class _ThreadedScheduler(Generic[T]):
    """Runs a DrillScheduler on a daemon thread, handing each group of fired items to ``emit``."""

    def __init__(self, name: str, scheduler: DrillScheduler[T]) -> None:
        self._name = name
        self._scheduler = scheduler
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._emit: Callable[[list[Fired[T]]], None] | None = None

    def start(self, emit: Callable[[list[Fired[T]]], None]) -> None:
        if self._thread is not None:
            return
        self._emit = emit
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._scheduler.clock.wake()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=5.0)
        self._thread = None

    def _run(self) -> None:
        clock = self._scheduler.clock
        while not self._stop.is_set():
            fired = self._scheduler.poll()
            if fired and self._emit is not None:
                try:
                    self._emit(fired)
                except Exception:
                    # A failing consumer must not kill the drill; the trainer sees the log.
                    log.exception("%s: emitting fired items failed", self._name)
            if self._scheduler.remaining == 0:
                break
            clock.wait_until(self._scheduler.next_due())


def inject_batch(inject: Inject, at: float) -> FeedBatch:
    """The feed batch an inject stands for, stamped with POSIX time ``at``."""
    d = inject.data
    ref = {"inject_id": inject.id}
    readings: tuple[SensorReading, ...] = ()
    events: list[FeedEvent] = []
    if inject.kind == "water_depth":
        point = str(d.get("point_id") or d.get("point") or d.get("point_name"))
        readings = (SensorReading(point, at, d.get("depth_cm"), d.get("rain_mm")),)
    elif inject.kind == "rain_warning":
        events.append(FeedEvent("rain.signal", at, {"level": d["level"], **ref}))
    elif inject.kind == "accident":
        keys: tuple[str, ...] = ("lat", "lon", "place", "accident_type", "parties")
        # The case key ties the case the report becomes back to this inject (drill autolog).
        key = {"case_key": d.get("case_key") or f"drill:{inject.id}"}
        events.append(FeedEvent("accident.report", at, {k: d.get(k) for k in keys} | key | ref))
    elif inject.kind == "unit_offline":
        unit = d.get("unit_id") or d.get("unit") or d.get("unit_call_sign")
        events.append(FeedEvent("unit.offline", at, {"unit_id": unit, **ref}))
    elif inject.kind == "camera_offline":
        camera = d.get("camera_id") or d.get("camera") or d.get("camera_name")
        events.append(FeedEvent("camera.online", at, {"camera_id": camera, "online": False, **ref}))
    elif inject.kind == "congestion":
        keys = ("road", "lat", "lon", "level")
        events.append(FeedEvent("congestion", at, {k: d.get(k) for k in keys} | ref))
    elif inject.kind == "crowd":
        keys = ("place", "lat", "lon", "size")
        events.append(FeedEvent("crowd", at, {k: d.get(k) for k in keys} | ref))
    elif inject.kind == "message":
        events.append(FeedEvent("drill.message", at, {"text": d.get("text", ""), **ref}))
    # A marker every consumer can ignore; the drill panel and the timeline use it.
    events.append(FeedEvent("drill.inject", at, {
        "inject_id": inject.id, "kind": inject.kind, "label": inject.label,
        "due_s": inject.at_s}))
    return FeedBatch(readings=readings, events=tuple(events))


def merge_batches(batches: Sequence[FeedBatch]) -> FeedBatch:
    return FeedBatch(
        fixes=tuple(f for b in batches for f in b.fixes),
        readings=tuple(r for b in batches for r in b.readings),
        events=tuple(e for b in batches for e in b.events),
    )


class DrillFeed:
    """The drill's feed: injects of ``scenario`` fired on ``clock``.

    ``on_fired`` (any thread) hears about every fired inject, for the action log's record of
    what happened when; ``fired()`` returns the same list at any time.
    """

    name = "drill"

    def __init__(
        self,
        scenario: Scenario,
        clock: DrillClock,
        on_fired: Callable[[list[Fired[Inject]]], None] | None = None,
    ) -> None:
        self.scenario = scenario
        self.clock = clock
        self.scheduler: DrillScheduler[Inject] = DrillScheduler(
            clock, [(i.at_s, i) for i in scenario.injects]
        )
        self._on_fired = on_fired
        self._runner = _ThreadedScheduler("drill-feed", self.scheduler)
        self._sink: FeedSink | None = None
        self._fired: list[Fired[Inject]] = []
        self._lock = threading.Lock()

    # -- Feed protocol ---------------------------------------------------------------------------

    def start(self, sink: FeedSink) -> None:
        self._sink = sink
        self._runner.start(self._deliver)

    def stop(self) -> None:
        self._runner.stop()

    # -- deterministic stepping ------------------------------------------------------------------

    def poll(self, sink: FeedSink | None = None) -> list[Fired[Inject]]:
        """Fire what is due now without the thread (tests, benchmark, headless runs)."""
        fired = self.scheduler.poll()
        if fired:
            self._deliver(fired, sink)
        return fired

    def fired(self) -> list[Fired[Inject]]:
        with self._lock:
            return list(self._fired)

    def next_due(self) -> float | None:
        return self.scheduler.next_due()

    @property
    def finished(self) -> bool:
        return self.scheduler.remaining == 0

    def _deliver(self, fired: list[Fired[Inject]], sink: FeedSink | None = None) -> None:
        with self._lock:
            self._fired.extend(fired)
        batch = merge_batches([inject_batch(f.item, self.clock.at_wall(f.due_s)) for f in fired])
        for f in fired:
            log.info("drill inject %s (%s) due %.1f fired %.3f", f.item.id, f.item.kind,
                     f.due_s, f.fired_s)
        if self._on_fired is not None:
            self._on_fired(fired)
        target = sink or self._sink
        if target is not None:
            target(batch)


def event_summary(event: FeedEvent) -> dict[str, Any]:
    """A small JSON-able view of an event (for the fired-inject record)."""
    return {"kind": event.kind, "at": event.at, "data": event.data}
