"""Background jobs and their health: periodic calls into services, and feeds or workers that run
on threads of their own."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from desk.feeds.base import Feed, FeedSink

log = logging.getLogger(__name__)


class JobState(StrEnum):
    RUNNING = "running"  # 运行中
    STOPPED = "stopped"  # 已停止
    FAILING = "failing"  # 故障


@dataclass(frozen=True, slots=True)
class JobHealth:
    """What the status bar shows for one job: its state and, when stopped or failing, why."""

    name: str
    title: str
    state: JobState
    reason: str = ""
    last_run_at: float | None = None
    runs: int = 0
    failures: int = 0


class Job:
    """Base of every job. ``start``/``stop`` are idempotent and never raise."""

    def __init__(self, name: str, title: str) -> None:
        self.name = name
        self.title = title
        self.wanted = False
        self._state = JobState.STOPPED
        self._reason = ""
        self.last_run_at: float | None = None
        self.runs = 0
        self.failures = 0

    def health(self) -> JobHealth:
        return JobHealth(self.name, self.title, self._state, self._reason, self.last_run_at,
                         self.runs, self.failures)

    def _set(self, state: JobState, reason: str = "") -> bool:
        changed = (state, reason) != (self._state, self._reason)
        self._state, self._reason = state, reason
        return changed

    def start(self) -> bool:
        """Start the job; True when its health changed."""
        self.wanted = True
        return self._set(JobState.RUNNING)

    def stop(self, reason: str = "") -> bool:
        self.wanted = False
        return self._set(JobState.STOPPED, reason)

    def poll_health(self) -> bool:
        """Refresh state from what the job's thread reports; True when it changed."""
        return False


class PeriodicJob(Job):
    """Calls ``run(now)`` every ``interval_s`` on the runtime's owner thread (first after
    ``first_after_s``). An exception marks the job failing with the reason; the next good run
    clears it. The call must be short: long work belongs in a thread job."""

    def __init__(self, name: str, title: str, interval_s: float, run: Callable[[float], Any],
                 *, first_after_s: float = 0.0) -> None:
        super().__init__(name, title)
        self.interval_s = interval_s
        self.first_after_s = first_after_s
        self._run = run
        self.next_due: float | None = None

    def start(self) -> bool:
        self.next_due = None
        return super().start()

    def due(self, now: float) -> bool:
        if not self.wanted:
            return False
        if self.next_due is None:
            self.next_due = now + self.first_after_s
        return now >= self.next_due

    def run_now(self, now: float) -> bool:
        """Run once; True when the health changed."""
        self.next_due = now + self.interval_s
        self.last_run_at = now
        self.runs += 1
        try:
            self._run(now)
        except Exception as exc:
            self.failures += 1
            log.exception("job %s failed", self.name)
            return self._set(JobState.FAILING, f"{type(exc).__name__}: {exc}")
        return self._set(JobState.RUNNING)


class FeedJob(Job):
    """Runs a ``Feed`` (simulator, demo stream, the central's live stream, a drill) into the
    runtime's sink. ``make`` builds a fresh feed for each start, so a restart after a settings
    change picks up the new settings."""

    def __init__(self, name: str, title: str, make: Callable[[], Feed], sink: FeedSink) -> None:
        super().__init__(name, title)
        self._make = make
        self._sink = sink
        self.feed: Feed | None = None
        self._lock = threading.Lock()

    def start(self) -> bool:
        with self._lock:
            if self.feed is not None:
                self.wanted = True
                return False
            try:
                feed = self._make()
                feed.start(self._sink)
            except Exception as exc:
                log.exception("job %s could not start", self.name)
                self.wanted = True
                self.failures += 1
                return self._set(JobState.FAILING, f"无法启动：{exc}")
            self.feed = feed
            log.info("job started: %s (%s)", self.name, getattr(feed, "name", ""))
        return super().start()

    def stop(self, reason: str = "") -> bool:
        with self._lock:
            feed, self.feed = self.feed, None
        if feed is not None:
            try:
                feed.stop()
            except Exception:
                log.exception("job %s did not stop cleanly", self.name)
            log.info("job stopped: %s", self.name)
        return super().stop(reason)

    def poll_health(self) -> bool:
        feed = self.feed
        if feed is None or not self.wanted:
            return False
        error = getattr(feed, "last_error", None)
        if error:
            return self._set(JobState.FAILING, str(error))
        if getattr(feed, "connected", True) is False:
            return self._set(JobState.FAILING, "未连接，正在重试")
        return self._set(JobState.RUNNING)


class AttachedFeedJob(FeedJob):
    """A feed handed in from outside (a drill session's inject feed) rather than built here."""

    def __init__(self, name: str, title: str, feed: Feed, sink: FeedSink) -> None:
        super().__init__(name, title, lambda: feed, sink)
