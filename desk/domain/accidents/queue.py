"""The dispatcher's queue of open cases, as plain data: waiting times against targets, and the
filter and sort the queue view applies in memory (re-querying SQLite per keystroke is the
baseline the benchmark beats)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from desk.domain.accidents.states import CaseState


@dataclass(frozen=True, slots=True)
class Targets:
    """Time targets in seconds from the report. Defaults: accepted within 1 minute, decided within
    5 minutes (the best reported video quick-handling time). Past the target a case shows amber,
    past ``red_factor`` × target red. Configurable via settings ``accidents.targets``."""

    accept_s: float = 60.0
    decide_s: float = 300.0
    red_factor: float = 2.0

    @classmethod
    def from_settings(cls, settings: dict[str, object]) -> Targets:
        raw = settings.get("accidents.targets")
        if not isinstance(raw, dict):
            return cls()
        base = cls()
        return cls(
            accept_s=float(raw.get("accept_s", base.accept_s)),
            decide_s=float(raw.get("decide_s", base.decide_s)),
            red_factor=float(raw.get("red_factor", base.red_factor)),
        )


class Urgency(Enum):
    OK = "ok"
    AMBER = "amber"
    RED = "red"


@dataclass(slots=True)
class QueueEntry:
    """One open case as the queue shows it."""

    id: str
    case_no: str
    state: CaseState
    reported_at: float
    place: str
    type_label: str
    plates: str
    accepted_at: float | None = None
    search: str = ""

    def __post_init__(self) -> None:
        if not self.search:
            parts = (self.case_no, self.place, self.type_label, self.plates, self.state.label)
            self.search = " ".join(parts).lower()

    def waited(self, now: float) -> float:
        return max(0.0, now - self.reported_at)

    def target(self, targets: Targets) -> float | None:
        """The target this case is now measured against, or None when no clock runs."""
        if self.state is CaseState.REPORTED:
            return targets.accept_s
        if self.state is CaseState.ACCEPTED:
            return targets.decide_s
        return None

    def urgency(self, now: float, targets: Targets) -> Urgency:
        target = self.target(targets)
        if target is None:
            return Urgency.OK
        waited = self.waited(now)
        if waited > target * targets.red_factor:
            return Urgency.RED
        if waited > target:
            return Urgency.AMBER
        return Urgency.OK


def filter_sort(
    entries: Iterable[QueueEntry],
    text: str = "",
    states: frozenset[CaseState] | None = None,
) -> list[QueueEntry]:
    """Open cases matching every word of ``text`` (case number, place, type, plate, state) and one
    of ``states``, longest waiting first; cases still needing the dispatcher (报警, 受理) come
    before those waiting only for the insurers or closing."""
    words = text.lower().split()
    out = [
        e for e in entries
        if (states is None or e.state in states) and all(w in e.search for w in words)
    ]
    out.sort(key=sort_key)
    return out


def sort_key(entry: QueueEntry) -> tuple[bool, float, str]:
    """The queue's order: cases needing the dispatcher first, then longest waiting."""
    return (entry.state not in _ACTIVE, entry.reported_at, entry.case_no)


_ACTIVE = frozenset({CaseState.REPORTED, CaseState.ACCEPTED})


def format_wait(seconds: float) -> str:
    seconds = int(seconds)
    if seconds >= 3600:
        return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
    return f"{seconds // 60:02d}:{seconds % 60:02d}"
