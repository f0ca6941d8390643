"""An in-memory roster: the planning data of a period plus its assignments, indexed by officer and
by post-day so that a rule check after one edit looks only at what the edit touched."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from desk.domain.duty.model import (
    DAY_S,
    Assignment,
    DutyLevel,
    DutyOfficer,
    DutyPost,
    PostRequirement,
    ShiftTemplate,
    Unavailability,
    day_start,
)


class Roster:
    """Officers, posts, templates, requirements, unavailability and assignments of a period.

    ``days`` are the duty days (local midnights) being planned; staffing is judged on those days
    only. Assignments may extend a day either side (for the rest rule). Every change marks the
    officers and post-days it touched as dirty; ``RosterChecker`` re-judges only those.
    """

    def __init__(
        self,
        *,
        officers: Iterable[DutyOfficer] = (),
        posts: Iterable[DutyPost] = (),
        templates: Iterable[ShiftTemplate] = (),
        requirements: Iterable[PostRequirement] = (),
        unavailability: Iterable[Unavailability] = (),
        assignments: Iterable[Assignment] = (),
        days: Iterable[int] = (),
        levels: Iterable[DutyLevel] = (),
    ) -> None:
        self.officers: dict[str, DutyOfficer] = {o.id: o for o in officers}
        self.posts: dict[str, DutyPost] = {p.id: p for p in posts}
        self.templates: dict[str, ShiftTemplate] = {t.id: t for t in templates}
        self.requirements: dict[str, list[PostRequirement]] = {}
        for r in requirements:
            self.requirements.setdefault(r.post_id, []).append(r)
        self.unavailability: dict[str, list[Unavailability]] = {}
        for u in unavailability:
            self.unavailability.setdefault(u.officer_id, []).append(u)
        self.days: list[int] = sorted(set(days))
        #: 勤务等级 in force during the period (raise the staffing of their area's posts).
        self.levels: list[DutyLevel] = list(levels)
        self.assignments: dict[str, Assignment] = {}
        self.by_officer: dict[str, dict[str, Assignment]] = {}
        self.by_post_day: dict[tuple[str, int], dict[str, Assignment]] = {}
        self.dirty_officers: set[str] = set()
        self.dirty_post_days: set[tuple[str, int]] = set()
        for a in assignments:
            self.add(a)

    # -- the AssignmentStore protocol used by edits --------------------------------------------

    def get(self, assignment_id: str) -> Assignment | None:
        return self.assignments.get(assignment_id)

    def add(self, a: Assignment) -> None:
        if a.id in self.assignments:
            raise ValueError(f"排班 {a.id} 已存在")
        if a.end <= a.start:
            raise ValueError("排班结束时间必须晚于开始时间")
        self.assignments[a.id] = a
        self.by_officer.setdefault(a.officer_id, {})[a.id] = a
        for key in self._post_days(a):
            self.by_post_day.setdefault(key, {})[a.id] = a
        self._touch(a)

    def remove(self, assignment_id: str) -> Assignment:
        a = self.assignments.pop(assignment_id, None)
        if a is None:
            raise KeyError(f"排班 {assignment_id} 不存在")
        self.by_officer.get(a.officer_id, {}).pop(a.id, None)
        for key in self._post_days(a):
            self.by_post_day.get(key, {}).pop(a.id, None)
        self._touch(a)
        return a

    def replace(self, a: Assignment) -> Assignment:
        old = self.remove(a.id)
        try:
            self.add(a)
        except ValueError:
            self.add(old)
            raise
        return old

    # -- queries -------------------------------------------------------------------------------

    def officer_assignments(self, officer_id: str) -> list[Assignment]:
        return sorted(self.by_officer.get(officer_id, {}).values(), key=lambda a: (a.start, a.id))

    def post_day_assignments(self, post_id: str, day: int) -> Iterator[Assignment]:
        return iter(self.by_post_day.get((post_id, day), {}).values())

    def requirements_of(self, post_id: str) -> list[PostRequirement]:
        return self.requirements.get(post_id, [])

    def station_officers(self, station_id: str) -> list[DutyOfficer]:
        return [o for o in self.officers.values() if o.station_id == station_id]

    def post_name(self, post_id: str) -> str:
        p = self.posts.get(post_id)
        return p.name if p else post_id

    def officer_name(self, officer_id: str) -> str:
        o = self.officers.get(officer_id)
        return o.name if o else officer_id

    # -- internals -----------------------------------------------------------------------------

    @staticmethod
    def _post_days(a: Assignment) -> list[tuple[str, int]]:
        # A band belongs to the day it starts on; a night band (21:00–02:00) still counts for the
        # day before, so index an assignment under every day it touches plus the day before.
        first = day_start(a.start) - DAY_S
        last = day_start(a.end - 1)
        return [(a.post_id, d) for d in range(first, last + 1, DAY_S)]

    def _touch(self, a: Assignment) -> None:
        self.dirty_officers.add(a.officer_id)
        self.dirty_post_days.update(self._post_days(a))
