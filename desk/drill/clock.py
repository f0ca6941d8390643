"""The drill clock (演练时钟): start, pause, resume, speed ×1/×2/×5/×10 and jump to an inject.

Drill time is kept as an anchor pair — the drill second at the last change and the monotonic real
second of that change — so it is always ``anchor_drill + (real_now - anchor_real) * speed`` while
running and exactly ``anchor_drill`` while paused. Nothing ever accumulates ``elapsed`` in small
steps, so pauses and speed changes cannot drift an inject's due time (the classic drill-clock bug
is scheduling against wall time: an inject then fires during a pause, or late by the pause).

The real time source is injectable (``time.monotonic`` by default) so tests are deterministic.
Every state change notifies a condition variable; a scheduler waiting on it wakes and re-plans.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta

TimeSource = Callable[[], float]

#: The speeds a trainer can pick (×1, ×2, ×5, ×10).
SPEEDS: tuple[float, ...] = (1.0, 2.0, 5.0, 10.0)


class DrillClockError(ValueError):
    """An invalid clock operation (a speed not offered, a jump backwards)."""


class DrillClock:
    """Drill seconds since T+0, controllable from any thread.

    ``epoch`` is the POSIX time that T+0 stands for, so ``wall()`` can replace ``time.time`` for
    services during a drill (``AppContext.clock``).
    """

    def __init__(self, *, source: TimeSource = time.monotonic, epoch: float = 0.0) -> None:
        self._source = source
        self.epoch = epoch
        self._lock = threading.Lock()
        self.changed = threading.Condition(self._lock)
        """Notified on every start/pause/resume/speed/jump; schedulers wait on it."""
        self._started = False
        self._running = False
        self._speed = 1.0
        self._anchor_drill = 0.0
        self._anchor_real = 0.0
        self._version = 0
        self._listeners: list[Callable[[], None]] = []

    # -- reading ---------------------------------------------------------------------------------

    def now(self) -> float:
        """Drill seconds since T+0 (0 before start)."""
        with self._lock:
            return self._now_locked()

    def wall(self) -> float:
        """The POSIX time the drill is at: ``epoch + now()``. Use as ``AppContext.clock``."""
        return self.epoch + self.now()

    def at_wall(self, drill_s: float) -> float:
        """The POSIX time standing for drill second ``drill_s``."""
        return self.epoch + drill_s

    @property
    def speed(self) -> float:
        return self._speed

    @property
    def started(self) -> bool:
        return self._started

    @property
    def running(self) -> bool:
        return self._running

    @property
    def paused(self) -> bool:
        return self._started and not self._running

    @property
    def version(self) -> int:
        """Bumped on every state change; lets a waiting scheduler tell a change from a timeout."""
        return self._version

    def real_until(self, drill_s: float) -> float | None:
        """Real seconds until drill time reaches ``drill_s`` at the current speed; 0 when it is
        already past; ``None`` while paused or not started (it will not arrive by itself)."""
        with self._lock:
            if not self._running:
                return None
            return max(0.0, (drill_s - self._now_locked()) / self._speed)

    # -- control ---------------------------------------------------------------------------------

    def start(self, speed: float = 1.0) -> None:
        """Start at T+0 (idempotent once started)."""
        self._check_speed(speed)
        with self._lock:
            if self._started:
                return
            self._started = True
            self._running = True
            self._speed = speed
            self._anchor_drill = 0.0
            self._anchor_real = self._source()
            self._changed_locked()
        self._notify()

    def pause(self) -> None:
        with self._lock:
            if not self._running:
                return
            self._anchor_drill = self._now_locked()
            self._anchor_real = self._source()
            self._running = False
            self._changed_locked()
        self._notify()

    def resume(self) -> None:
        with self._lock:
            if not self._started or self._running:
                return
            # Re-anchor at the resume instant: the paused span never enters drill time.
            self._anchor_real = self._source()
            self._running = True
            self._changed_locked()
        self._notify()

    def set_speed(self, speed: float) -> None:
        self._check_speed(speed)
        with self._lock:
            self._anchor_drill = self._now_locked()
            self._anchor_real = self._source()
            self._speed = speed
            self._changed_locked()
        self._notify()

    def jump_to(self, drill_s: float) -> None:
        """Move drill time forward to ``drill_s`` (e.g. the next inject). Never backwards: fired
        injects and logged actions would then lie in the future."""
        with self._lock:
            now = self._now_locked()
            if drill_s < now:
                raise DrillClockError(f"演练时钟不能倒退：{drill_s:.1f} < {now:.1f}")
            self._anchor_drill = drill_s
            self._anchor_real = self._source()
            self._changed_locked()
        self._notify()

    def wait_until(self, drill_s: float | None, *, cap_s: float = 0.25) -> None:
        """Block until drill time reaches ``drill_s``, the clock changes (pause, speed, jump) or
        ``wake()`` is called, but at most ``cap_s`` real seconds. Computing the delay and waiting
        happen under one lock, so a change made in between cannot be missed."""
        with self._lock:
            delay = cap_s
            if self._running and drill_s is not None:
                delay = min(cap_s, (drill_s - self._now_locked()) / self._speed)
                if delay <= 0:
                    return
            self.changed.wait(delay)

    def wake(self) -> None:
        """Wake every ``wait_until`` (used when a scheduler stops)."""
        with self._lock:
            self.changed.notify_all()

    def subscribe(self, listener: Callable[[], None]) -> Callable[[], None]:
        """Call ``listener`` (on the changing thread) after each state change."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    # -- internals -------------------------------------------------------------------------------

    def _now_locked(self) -> float:
        if not self._running:
            return self._anchor_drill
        return self._anchor_drill + (self._source() - self._anchor_real) * self._speed

    def _changed_locked(self) -> None:
        self._version += 1
        self.changed.notify_all()

    def _notify(self) -> None:
        for listener in list(self._listeners):
            listener()

    @staticmethod
    def _check_speed(speed: float) -> None:
        if not math.isfinite(speed) or speed <= 0:
            raise DrillClockError(f"演练速度无效：{speed}")


def format_drill_time(drill_s: float) -> str:
    """``T+mm:ss`` (``T+h:mm:ss`` from one hour), the notation scenario files use."""
    total = max(0, int(drill_s))
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"T+{hours}:{minutes:02d}:{seconds:02d}"
    return f"T+{minutes:02d}:{seconds:02d}"


def drill_epoch(start_at: str | None, duration_s: float, now: float | None = None) -> float:
    """The POSIX time T+0 stands for.

    The whole drill is placed in the past (it ends no later than ``now``) because telemetry
    stamped in the future is rejected by the store (``MAX_FUTURE_S``) and a drill at ×10 runs
    ahead of real time. ``start_at`` ("HH:MM") puts T+0 at that time of day on the latest day for
    which the drill still ends in the past — a rush-hour drill then shows morning times.
    """
    now = time.time() if now is None else now
    latest = now - duration_s - 60.0
    if not start_at:
        return latest
    hour, minute = (int(x) for x in start_at.split(":"))
    candidate = datetime.fromtimestamp(latest).replace(
        hour=hour, minute=minute, second=0, microsecond=0
    )
    if candidate.timestamp() > latest:
        candidate -= timedelta(days=1)
    return candidate.timestamp()
