"""Replay of a recorded drill (演练回放): the timeline of fired injects and trainee actions played
back on a fresh drill clock at any speed, for the debrief.

Replay re-emits the recorded timeline; it does not fire the injects into a workspace again (the
recorded drill workspace already holds their effects), so replaying is always read-only.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from desk.drill.clock import DrillClock, TimeSource
from desk.drill.report import DrillReport, TimelineEntry
from desk.drill.runner import DrillScheduler, Fired

if TYPE_CHECKING:
    from desk.drill.session import DrillSession


class DrillReplay:
    """Plays ``timeline`` on ``clock``; drive it with ``poll()`` (or a timer calling it)."""

    def __init__(self, timeline: list[TimelineEntry], clock: DrillClock) -> None:
        self.timeline = timeline
        self.clock = clock
        self.scheduler: DrillScheduler[TimelineEntry] = DrillScheduler(
            clock, [(e.at_s, e) for e in timeline])

    @classmethod
    def from_session(
        cls, session: DrillSession, *, time_source: TimeSource = time.monotonic
    ) -> DrillReplay:
        report = DrillReport.from_session(session)
        return cls(report.timeline, DrillClock(source=time_source, epoch=session.clock.epoch))

    def poll(self) -> list[Fired[TimelineEntry]]:
        return self.scheduler.poll()

    @property
    def finished(self) -> bool:
        return self.scheduler.remaining == 0
