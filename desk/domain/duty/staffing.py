"""Staffing now (当前在岗): the one definition of how well each duty post is staffed at a moment,
used by the map's post colours, the watchdog's empty-post alerts and the duty panels alike.

A post's need at ``t`` is the sum of the minimum staff of its requirements whose band runs at
``t`` on a weekday it applies to (a night band that started yesterday still runs), raised by the
勤务等级 in force (``required_staff``); what it has is the distinct officers assigned to it at ``t``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from desk.domain.duty.model import (
    DAY_S,
    DEFAULT_LEVEL_FACTORS,
    Assignment,
    DutyLevel,
    PostRequirement,
    ShiftTemplate,
    day_start,
    required_staff,
    weekday,
)

STAFFING_FULL = "full"  # 满岗: every requirement running now is met (or someone is on a post with none)
STAFFING_SHORT = "short"  # 缺员: someone is there, fewer than required
STAFFING_EMPTY = "empty"  # 空岗: required, nobody there

STAFFING_LABELS = {STAFFING_FULL: "满岗", STAFFING_SHORT: "缺员", STAFFING_EMPTY: "空岗"}

#: Workspace tables whose changes can change a post's staffing now (a view re-judges on them;
#: a band starting or ending needs a periodic re-judge too).
STAFFING_TABLES = ("duty_assignments", "duty_post_requirements", "duty_shift_templates",
                   "duty_levels", "duty_posts")


@dataclass(frozen=True, slots=True)
class PostStaffing:
    """One post at one moment: officers needed and officers assigned."""

    post_id: str
    need: int
    have: int

    @property
    def state(self) -> str:
        if self.have == 0:
            return STAFFING_EMPTY
        if self.have < self.need:
            return STAFFING_SHORT
        return STAFFING_FULL


def post_staffing(
    t: int,
    *,
    templates: Mapping[str, ShiftTemplate],
    requirements: Iterable[PostRequirement],
    assignments: Iterable[Assignment],
    post_stations: Mapping[str, str] | None = None,
    levels: Iterable[DutyLevel] = (),
    level_factors: Iterable[tuple[int, float]] = DEFAULT_LEVEL_FACTORS,
) -> dict[str, PostStaffing]:
    """Every post that needs someone at ``t`` or has someone then. ``assignments`` may hold more
    than the moment (only those running at ``t`` count); ``post_stations`` (post → station) lets
    勤务等级 of an area raise its posts."""
    d0 = day_start(t)
    lv = list(levels)
    factors = tuple(level_factors)
    stations = post_stations or {}
    need: dict[str, int] = {}
    for req in requirements:
        tpl = templates.get(req.template_id)
        if tpl is None:
            continue
        for d in (d0 - DAY_S, d0):  # a night band that started yesterday may still run
            bs, be = tpl.span_on(d)
            if bs <= t < be and weekday(d) in req.weekdays:
                n = req.min_staff
                if lv:
                    n = required_staff(n, stations.get(req.post_id, ""), bs, be, levels=lv,
                                       factors=factors)
                need[req.post_id] = need.get(req.post_id, 0) + n
    have: dict[str, set[str]] = {}
    for a in assignments:
        if a.start <= t < a.end:
            have.setdefault(a.post_id, set()).add(a.officer_id)
    return {pid: PostStaffing(pid, need.get(pid, 0), len(have.get(pid, ())))
            for pid in set(need) | set(have)}


def staffing_states(staffing: Mapping[str, PostStaffing]) -> dict[str, str]:
    """{post_id: "full" | "short" | "empty"}: what the map colours and the watchdog alert on.
    Posts that need nobody now and have nobody are absent (drawn neutral)."""
    return {pid: s.state for pid, s in staffing.items()}


def staffing_counts(states: Mapping[str, str]) -> dict[str, int]:
    """How many posts are 满岗 / 缺员 / 空岗 (the map side panel's line)."""
    out = dict.fromkeys((STAFFING_FULL, STAFFING_SHORT, STAFFING_EMPTY), 0)
    for s in states.values():
        if s in out:
            out[s] += 1
    return out
