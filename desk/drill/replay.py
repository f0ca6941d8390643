"""Replay of a recorded drill (演练回放): the timeline of fired injects and trainee actions played
back on a fresh drill clock at any speed, with seeking and the score as of the replay time.

Replay re-emits the recorded timeline; it does not fire the injects into a workspace again (the
recorded drill workspace already holds their effects), so replaying is always read-only.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from desk.drill.actions import DrillAction
from desk.drill.clock import DrillClock, TimeSource
from desk.drill.report import DrillReport, TimelineEntry
from desk.drill.runner import DrillScheduler, Fired
from desk.drill.scenario import Scenario
from desk.drill.scoring import Outcome, score_drill

if TYPE_CHECKING:
    from desk.drill.session import DrillSession

#: Replay speeds (×30 on top of the drill speeds: a 20-minute drill replays in 40 seconds).
REPLAY_SPEEDS: tuple[float, ...] = (1.0, 2.0, 5.0, 10.0, 30.0)


@dataclass(frozen=True, slots=True)
class ReplayScore:
    """The score as of a replay time. ``pending`` expectations have fired but their deadline is
    still ahead (not yet met, not yet missed); they are left out of the total until decided."""

    met: int
    late: int
    missed: int
    pending: int
    points: float
    total_weight: float

    @property
    def score(self) -> float:
        return 100.0 if self.total_weight <= 0 else 100.0 * self.points / self.total_weight


class DrillReplay:
    """Plays ``timeline`` on ``clock``; drive it with ``poll()`` (or a timer calling it).

    ``seek`` may go backwards: the clock never does (``DrillClock.jump_to``), so seeking builds a
    fresh clock and scheduler at the target time and returns every entry up to it.
    """

    def __init__(
        self,
        timeline: list[TimelineEntry],
        clock: DrillClock,
        *,
        time_source: TimeSource = time.monotonic,
        scenario: Scenario | None = None,
        fired: Mapping[str, float] | None = None,
        actions: Sequence[DrillAction] = (),
        end_s: float | None = None,
    ) -> None:
        self.timeline = timeline
        self.clock = clock
        self.scenario = scenario
        self.fired = dict(fired or {})
        self.actions = list(actions)
        self.end_s = max([end_s or 0.0] + [e.at_s for e in timeline])
        self._source = time_source
        self.scheduler: DrillScheduler[TimelineEntry] = self._new_scheduler()

    @classmethod
    def from_session(
        cls, session: DrillSession, *, time_source: TimeSource = time.monotonic
    ) -> DrillReplay:
        report = DrillReport.from_session(session)
        return cls(
            report.timeline, DrillClock(source=time_source, epoch=session.clock.epoch),
            time_source=time_source, scenario=session.scenario, fired=session.fired_times(),
            actions=session.actions.actions(), end_s=report.end_s,
        )

    # -- playing -------------------------------------------------------------------------------

    def now(self) -> float:
        """Replay drill time, never past the end of the recording."""
        return min(self.clock.now(), self.end_s)

    @property
    def at_end(self) -> bool:
        return self.clock.now() >= self.end_s

    def play(self, speed: float | None = None) -> list[Fired[TimelineEntry]]:
        """Start or resume; from the end, start over. Returns entries re-shown by a restart."""
        shown: list[Fired[TimelineEntry]] = []
        if self.clock.started and self.at_end:
            shown = self.seek(0.0)
        if speed is not None:
            self.clock.set_speed(speed)
        if not self.clock.started:
            self.clock.start(self.clock.speed)
        else:
            self.clock.resume()
        return shown

    def pause(self) -> None:
        self.clock.pause()

    def set_speed(self, speed: float) -> None:
        self.clock.set_speed(speed)

    def poll(self) -> list[Fired[TimelineEntry]]:
        """Entries due by now; pauses the clock at the end of the recording."""
        out = self.scheduler.poll()
        if self.clock.running and self.at_end:
            self.clock.pause()
        return out

    def seek(self, drill_s: float) -> list[Fired[TimelineEntry]]:
        """Move to ``drill_s`` (either direction), keeping speed and play/pause state. Returns
        every entry at or before ``drill_s``: the timeline as it stands at that moment."""
        target = min(max(0.0, drill_s), self.end_s)
        running, speed = self.clock.running, self.clock.speed
        self.clock = DrillClock(source=self._source, epoch=self.clock.epoch)
        self.clock.start(speed)
        self.clock.jump_to(target)
        self.scheduler = self._new_scheduler()
        shown = self.scheduler.poll()
        if not running:
            self.clock.pause()
        return shown

    @property
    def finished(self) -> bool:
        return self.scheduler.remaining == 0

    # -- score -----------------------------------------------------------------------------------

    def score_at(self, drill_s: float | None = None) -> ReplayScore:
        """The score as it stood at ``drill_s`` (default: now): injects fired and actions taken
        by then. At the end of the recording this is the session's final score."""
        t = self.now() if drill_s is None else drill_s
        if self.scenario is None:
            return ReplayScore(0, 0, 0, 0, 0.0, 0.0)
        fired = {k: v for k, v in self.fired.items() if v <= t}
        actions = [a for a in self.actions if a.at_s <= t]
        result = score_drill(self.scenario, fired, actions)
        at_end = t >= self.end_s
        met = late = missed = pending = 0
        points = total = 0.0
        for r in result.results:
            if r.outcome is Outcome.NOT_FIRED:
                continue
            if (r.outcome is Outcome.MISSED and not at_end and r.deadline_s is not None
                    and t < r.deadline_s):
                pending += 1  # still time to do it
                continue
            total += r.expected.weight
            points += r.points
            if r.outcome is Outcome.MET:
                met += 1
            elif r.outcome is Outcome.LATE:
                late += 1
            else:
                missed += 1
        return ReplayScore(met, late, missed, pending, points, total)

    def _new_scheduler(self) -> DrillScheduler[TimelineEntry]:
        return DrillScheduler(self.clock, [(e.at_s, e) for e in self.timeline])
