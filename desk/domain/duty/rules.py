"""The rules that judge a roster, each a small unit with an exact penalty and a Chinese explanation
naming officer, post and time; and the checker that re-judges only what an edit touched.

Severities: 硬约束 (hard) must be zero to publish; 缺岗 (staffing) and 软约束 (soft) only cost
points. Each rule works on one scope — an officer, a post-day or a station — so after one drop the
checker re-runs the rules of one officer, a few post-days and one station instead of everything.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from desk.domain.duty.model import (
    DAY_S,
    Assignment,
    day_start,
    fmt_period,
    fmt_span,
    fmt_time,
    skill_label,
    to_local,
    week_start,
    weekday,
)
from desk.domain.duty.roster import Roster


class Severity(StrEnum):
    HARD = "hard"  # 硬约束
    STAFFING = "staffing"  # 缺岗
    SOFT = "soft"  # 软约束

    @property
    def label(self) -> str:
        return {"hard": "硬约束", "staffing": "缺岗", "soft": "软约束"}[self.value]


@dataclass(frozen=True, slots=True)
class RuleConfig:
    """Configurable numbers of the rules (defaults from common rostering practice)."""

    min_rest_h: float = 10.0
    hard_penalty: int = 1000
    staff_penalty_per_missing: int = 100
    fairness_penalty: int = 10
    preference_penalty: int = 5
    night_start_h: int = 22  # a shift touching 22:00–06:00 is a night shift
    night_end_h: int = 6


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken rule. ``assignment_ids`` are the bars the badge goes on; ``message`` is the
    sentence a chief reads."""

    rule: str
    severity: Severity
    penalty: int
    message: str
    officer_id: str | None = None
    post_id: str | None = None
    start: int | None = None
    end: int | None = None
    assignment_ids: tuple[str, ...] = ()

    @property
    def is_hard(self) -> bool:
        return self.severity is Severity.HARD


class Rule:
    """A rule judges one scope key: an officer id, a (post id, day) or a station id."""

    id: ClassVar[str] = ""
    title: ClassVar[str] = ""
    scope: ClassVar[str] = "officer"  # "officer" | "post_day" | "station"

    def __init__(self, config: RuleConfig | None = None) -> None:
        self.config = config or RuleConfig()

    def check(self, roster: Roster, key: object) -> list[Violation]:
        raise NotImplementedError


def _is_night(a: Assignment, cfg: RuleConfig) -> bool:
    """True when the assignment touches the night window on any day it spans."""
    d = day_start(a.start) - DAY_S
    while d < a.end:
        ns = d + cfg.night_start_h * 3600
        ne = d + DAY_S + cfg.night_end_h * 3600
        if a.start < ne and ns < a.end:
            return True
        d += DAY_S
    return False


def _is_weekend(a: Assignment) -> bool:
    return weekday(a.start) >= 6


# -- hard rules, officer scope -----------------------------------------------------------------


class NoOverlapRule(Rule):
    """硬约束：同一民警同一时间只能在一个岗位。One violation per overlapping pair."""

    id = "no_overlap"
    title = "时间重叠"

    def check(self, roster: Roster, key: object) -> list[Violation]:
        oid = str(key)
        items = roster.officer_assignments(oid)
        out: list[Violation] = []
        name = roster.officer_name(oid)
        for i, a in enumerate(items):
            for b in items[i + 1:]:
                if b.start >= a.end:
                    break
                s, e = max(a.start, b.start), min(a.end, b.end)
                out.append(Violation(
                    self.id, Severity.HARD, self.config.hard_penalty,
                    f"{name} 在 {fmt_span(s, e)} 同时排在 {roster.post_name(a.post_id)} 和 "
                    f"{roster.post_name(b.post_id)}，时间重叠",
                    oid, b.post_id, s, e, (a.id, b.id)))
        return out


class MinRestRule(Rule):
    """硬约束：两班之间至少休息 ``min_rest_h`` 小时。Back-to-back (gap 0) counts as one shift;
    overlaps are left to NoOverlapRule. One violation per short gap."""

    id = "min_rest"
    title = "休息不足"

    def check(self, roster: Roster, key: object) -> list[Violation]:
        oid = str(key)
        items = roster.officer_assignments(oid)
        need = int(self.config.min_rest_h * 3600)
        out: list[Violation] = []
        name = roster.officer_name(oid)
        latest_end: Assignment | None = None
        for a in items:
            if latest_end is not None:
                gap = a.start - latest_end.end
                if 0 < gap < need:
                    out.append(Violation(
                        self.id, Severity.HARD, self.config.hard_penalty,
                        f"{name} 于 {fmt_time(latest_end.end)} 在 {roster.post_name(latest_end.post_id)} "
                        f"下班，{fmt_time(a.start)} 又上 {roster.post_name(a.post_id)}，"
                        f"只休息 {gap / 3600:.1f} 小时，少于 {self.config.min_rest_h:g} 小时",
                        oid, a.post_id, latest_end.end, a.start, (latest_end.id, a.id)))
            if latest_end is None or a.end > latest_end.end:
                latest_end = a
        return out


class RequiredSkillRule(Rule):
    """硬约束：岗位在该时段要求的技能，民警必须具备。One violation per assignment."""

    id = "required_skill"
    title = "技能不符"

    def check(self, roster: Roster, key: object) -> list[Violation]:
        oid = str(key)
        officer = roster.officers.get(oid)
        have = officer.skills if officer else frozenset()
        out: list[Violation] = []
        for a in roster.officer_assignments(oid):
            missing: set[str] = set()
            for req in roster.requirements_of(a.post_id):
                if not req.skills or req.skills <= have:
                    continue
                tpl = roster.templates.get(req.template_id)
                if tpl is None:
                    continue
                d = day_start(a.start) - DAY_S
                while d < a.end:
                    bs, be = tpl.span_on(d)
                    if weekday(d) in req.weekdays and a.overlaps(bs, be):
                        missing |= req.skills - have
                        break
                    d += DAY_S
            if missing:
                labels = "、".join(skill_label(s) for s in sorted(missing))
                out.append(Violation(
                    self.id, Severity.HARD, self.config.hard_penalty,
                    f"{roster.officer_name(oid)} 排在 {roster.post_name(a.post_id)}"
                    f"（{fmt_span(a.start, a.end)}），但不具备该岗所需技能：{labels}",
                    oid, a.post_id, a.start, a.end, (a.id,)))
        return out


class UnavailabilityRule(Rule):
    """硬约束：请假、培训等不可排班时段内不能排班。One violation per assignment and span."""

    id = "unavailable"
    title = "不可排班"

    def check(self, roster: Roster, key: object) -> list[Violation]:
        oid = str(key)
        spans = roster.unavailability.get(oid, [])
        if not spans:
            return []
        out: list[Violation] = []
        for a in roster.officer_assignments(oid):
            for u in spans:
                if a.overlaps(u.start, u.end):
                    out.append(Violation(
                        self.id, Severity.HARD, self.config.hard_penalty,
                        f"{roster.officer_name(oid)} 在 {fmt_span(a.start, a.end)} 排在 "
                        f"{roster.post_name(a.post_id)}，但此时{u.reason}（{fmt_period(u.start, u.end)}）",
                        oid, a.post_id, a.start, a.end, (a.id,)))
        return out


class MaxWeekHoursRule(Rule):
    """硬约束：每周排班小时数不超过合同上限。One violation per officer-week over the limit,
    badged on the assignments from the one that crosses the limit onwards."""

    id = "max_week_hours"
    title = "超出周工时"

    def check(self, roster: Roster, key: object) -> list[Violation]:
        oid = str(key)
        officer = roster.officers.get(oid)
        if officer is None:
            return []
        limit = officer.max_week_hours
        weeks: dict[int, list[Assignment]] = {}
        for a in roster.officer_assignments(oid):
            weeks.setdefault(week_start(a.start), []).append(a)
        out: list[Violation] = []
        for ws, items in weeks.items():
            total = 0.0
            crossing: list[Assignment] = []
            for a in items:
                total += a.hours
                if total > limit + 1e-9:
                    crossing.append(a)
            if crossing:
                first = crossing[0]
                d = to_local(ws)
                out.append(Violation(
                    self.id, Severity.HARD, self.config.hard_penalty,
                    f"{officer.name} 本周（{d.month}月{d.day}日起）排班 {total:.1f} 小时，"
                    f"超过上限 {limit:g} 小时；自 {roster.post_name(first.post_id)}"
                    f"（{fmt_span(first.start, first.end)}）起超出",
                    oid, first.post_id, first.start, first.end, tuple(a.id for a in crossing)))
        return out


# -- staffing, post-day scope ------------------------------------------------------------------


class MinStaffRule(Rule):
    """缺岗：每个岗位每个时段至少 ``min_staff`` 人到岗（整段覆盖才算）。Penalty per missing
    officer per band per day."""

    id = "min_staff"
    title = "缺岗"
    scope = "post_day"

    def check(self, roster: Roster, key: object) -> list[Violation]:
        assert isinstance(key, tuple)
        post_id, day = str(key[0]), int(key[1])
        out: list[Violation] = []
        for req in roster.requirements_of(post_id):
            tpl = roster.templates.get(req.template_id)
            if tpl is None or weekday(day) not in req.weekdays or req.min_staff <= 0:
                continue
            bs, be = tpl.span_on(day)
            staffed = {a.officer_id for a in roster.post_day_assignments(post_id, day)
                       if a.start <= bs and a.end >= be}
            missing = req.min_staff - len(staffed)
            if missing > 0:
                out.append(Violation(
                    self.id, Severity.STAFFING, self.config.staff_penalty_per_missing * missing,
                    f"{roster.post_name(post_id)} {fmt_span(bs, be)}（{tpl.name}）需 {req.min_staff} 人，"
                    f"已排 {len(staffed)} 人，缺 {missing} 人",
                    None, post_id, bs, be, ()))
        return out


# -- soft rules --------------------------------------------------------------------------------


class NightWeekendFairnessRule(Rule):
    """软约束：夜班与周末班在同单位民警间均摊。Allowance = ceil(total / officers of the station);
    each such shift of an officer beyond the allowance costs ``fairness_penalty`` and is named."""

    id = "fairness"
    title = "夜班/周末不均"
    scope = "station"

    def check(self, roster: Roster, key: object) -> list[Violation]:
        station_id = str(key)
        officers = roster.station_officers(station_id)
        if not officers:
            return []
        days = set(roster.days)
        counted: dict[str, list[Assignment]] = {}
        total = 0
        for o in officers:
            items = [a for a in roster.officer_assignments(o.id)
                     if day_start(a.start) in days
                     and (_is_night(a, self.config) or _is_weekend(a))]
            if items:
                counted[o.id] = items
                total += len(items)
        if total == 0:
            return []
        allowance = math.ceil(total / len(officers))
        out: list[Violation] = []
        for oid, items in counted.items():
            for a in items[allowance:]:
                out.append(Violation(
                    self.id, Severity.SOFT, self.config.fairness_penalty,
                    f"{roster.officer_name(oid)} 本期夜班/周末班已 {len(items)} 次，多于人均 "
                    f"{allowance} 次；{roster.post_name(a.post_id)}（{fmt_span(a.start, a.end)}）宜换人",
                    oid, a.post_id, a.start, a.end, (a.id,)))
        return out


class PreferenceRule(Rule):
    """软约束：尽量照顾个人意愿（不排夜班、某些星期几不排班）。One violation per assignment and
    preference it goes against."""

    id = "preference"
    title = "个人意愿"

    def check(self, roster: Roster, key: object) -> list[Violation]:
        oid = str(key)
        officer = roster.officers.get(oid)
        if officer is None or not (officer.avoid_night or officer.avoid_weekdays):
            return []
        out: list[Violation] = []
        for a in roster.officer_assignments(oid):
            if officer.avoid_night and _is_night(a, self.config):
                out.append(Violation(
                    self.id, Severity.SOFT, self.config.preference_penalty,
                    f"{officer.name} 希望不上夜班，却排在 {roster.post_name(a.post_id)}"
                    f"（{fmt_span(a.start, a.end)}）", oid, a.post_id, a.start, a.end, (a.id,)))
            if weekday(a.start) in officer.avoid_weekdays:
                out.append(Violation(
                    self.id, Severity.SOFT, self.config.preference_penalty,
                    f"{officer.name} 希望这天不排班，却排在 {roster.post_name(a.post_id)}"
                    f"（{fmt_span(a.start, a.end)}）", oid, a.post_id, a.start, a.end, (a.id,)))
        return out


def default_rules(config: RuleConfig | None = None) -> list[Rule]:
    cfg = config or RuleConfig()
    return [NoOverlapRule(cfg), MinRestRule(cfg), RequiredSkillRule(cfg), UnavailabilityRule(cfg),
            MaxWeekHoursRule(cfg), MinStaffRule(cfg), NightWeekendFairnessRule(cfg),
            PreferenceRule(cfg)]


# -- the checker -------------------------------------------------------------------------------

Scope = tuple[str, object]


class RosterChecker:
    """Judges a roster and keeps the verdict per scope, so ``update()`` after an edit re-runs only
    the rules of the officers, post-days and stations the edit dirtied. ``full()`` re-judges all
    (the baseline the benchmark compares against)."""

    def __init__(self, roster: Roster, rules: Iterable[Rule] | None = None) -> None:
        self.roster = roster
        self.rules = list(rules) if rules is not None else default_rules()
        self._by_scope: dict[Scope, list[Violation]] = {}
        self._by_assignment: dict[str, list[Violation]] = {}
        self.full()

    # -- judging -------------------------------------------------------------------------------

    def full(self) -> list[Violation]:
        r = self.roster
        r.dirty_officers.clear()
        r.dirty_post_days.clear()
        self._by_scope.clear()
        self._by_assignment.clear()
        scopes: list[Scope] = [("officer", oid) for oid in r.officers]
        scopes += [("officer", oid) for oid in r.by_officer if oid not in r.officers]
        scopes += [("post_day", (pid, d)) for pid in r.posts for d in r.days]
        scopes += [("station", sid) for sid in {o.station_id for o in r.officers.values()}]
        for scope in scopes:
            self._judge(scope)
        return self.violations()

    def update(self) -> list[Violation]:
        """Re-judge what changed since the last call; returns the fresh verdicts of those scopes."""
        r = self.roster
        scopes: list[Scope] = [("officer", oid) for oid in r.dirty_officers]
        stations = {r.officers[oid].station_id for oid in r.dirty_officers if oid in r.officers}
        scopes += [("station", sid) for sid in stations]
        days = set(r.days)
        scopes += [("post_day", key) for key in r.dirty_post_days if key[1] in days]
        r.dirty_officers.clear()
        r.dirty_post_days.clear()
        out: list[Violation] = []
        for scope in scopes:
            out.extend(self._judge(scope))
        return out

    def _judge(self, scope: Scope) -> list[Violation]:
        kind, key = scope
        found: list[Violation] = []
        for rule in self.rules:
            if rule.scope == kind:
                found.extend(rule.check(self.roster, key))
        old = self._by_scope.pop(scope, None)
        if old:
            for v in old:
                for aid in v.assignment_ids:
                    lst = self._by_assignment.get(aid)
                    if lst is not None:
                        lst[:] = [x for x in lst if x is not v]
                        if not lst:
                            del self._by_assignment[aid]
        if found:
            self._by_scope[scope] = found
            for v in found:
                for aid in v.assignment_ids:
                    self._by_assignment.setdefault(aid, []).append(v)
        return found

    # -- reading the verdict -------------------------------------------------------------------

    def violations(self) -> list[Violation]:
        out = [v for vs in self._by_scope.values() for v in vs]
        out.sort(key=lambda v: (list(Severity).index(v.severity), v.start or 0, v.rule))
        return out

    def for_assignment(self, assignment_id: str) -> list[Violation]:
        return list(self._by_assignment.get(assignment_id, ()))

    def hard(self) -> list[Violation]:
        return [v for vs in self._by_scope.values() for v in vs if v.is_hard]

    def penalty(self) -> int:
        return sum(v.penalty for vs in self._by_scope.values() for v in vs)

    def counts(self) -> dict[Severity, int]:
        out = dict.fromkeys(Severity, 0)
        for vs in self._by_scope.values():
            for v in vs:
                out[v.severity] += 1
        return out
