"""The rules that judge a roster, each a small unit with an exact penalty and a Chinese explanation
naming officer, post and time; and the checker that re-judges only what an edit touched.

Severities: 硬约束 (hard) must be zero to publish; 缺岗 (staffing) and 软约束 (soft) only cost
points. Hard: no overlap, rest between duty days, daily span, required skill, leave, 辅警 not alone
on an enforcement post. Soft: hours over the standard week (补休), fairness, preferences.

Each rule works on one scope — an officer, a post-day or a station — so after one drop the
checker re-runs the rules of one officer, a few post-days and one station instead of everything.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from desk.domain.duty.model import (
    DAY_S,
    DEFAULT_LEVEL_FACTORS,
    ENFORCEMENT_POST_KINDS,
    Assignment,
    DutyLevel,
    day_start,
    fmt_period,
    fmt_span,
    fmt_time,
    required_staff,
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
    """Configurable numbers of the rules (defaults from common 交警 rostering practice; a city
    tunes them in settings ``duty``)."""

    min_rest_h: float = 10.0  # between duty days, not between segments of one day
    max_day_span_h: float = 12.0  # first start to last end of one duty day
    duty_day_start_h: float = 4.0  # a band starting before 04:00 belongs to the evening before
    overtime_penalty_per_h: int = 5  # per hour over the standard week (补休 warning)
    enforcement_post_kinds: frozenset[str] = ENFORCEMENT_POST_KINDS
    level_staff_factors: tuple[tuple[int, float], ...] = DEFAULT_LEVEL_FACTORS
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


def duty_days(items: list[Assignment], cfg: RuleConfig) -> list[tuple[int, list[Assignment]]]:
    """An officer's assignments (sorted by start) grouped into duty days (勤务日): a segment belongs
    to the day it starts on, cut at ``cfg.duty_day_start_h`` (default 04:00) so a band that starts
    after midnight (00:30 夜查 continuation) still counts for the evening before."""
    cut = int(cfg.duty_day_start_h * 3600)
    out: list[tuple[int, list[Assignment]]] = []
    for a in items:
        d = day_start(a.start - cut)
        if out and out[-1][0] == d:
            out[-1][1].append(a)
        else:
            out.append((d, [a]))
    return out


class MinRestRule(Rule):
    """硬约束：两个勤务日之间至少休息 ``min_rest_h`` 小时（默认 10 小时）. Rest is judged between the
    last end of one duty day and the first start of the next — not between the segments of one day,
    so the standard split peak shift (两头岗/错时勤务: 早高峰 07–09 + 晚高峰 17–19) is allowed. One
    violation per short rest."""

    id = "min_rest"
    title = "休息不足"

    def check(self, roster: Roster, key: object) -> list[Violation]:
        oid = str(key)
        days = duty_days(roster.officer_assignments(oid), self.config)
        need = int(self.config.min_rest_h * 3600)
        out: list[Violation] = []
        name = roster.officer_name(oid)
        for (_d0, prev), (_d1, cur) in itertools.pairwise(days):
            last = max(prev, key=lambda a: a.end)
            first = cur[0]
            gap = first.start - last.end
            if 0 <= gap < need:  # a negative gap is an overlap: NoOverlapRule's
                out.append(Violation(
                    self.id, Severity.HARD, self.config.hard_penalty,
                    f"{name} 于 {fmt_time(last.end)} 在 {roster.post_name(last.post_id)} "
                    f"结束当日勤务，{fmt_time(first.start)} 又上 {roster.post_name(first.post_id)}，"
                    f"两个勤务日之间只休息 {max(gap, 0) / 3600:.1f} 小时，"
                    f"少于 {self.config.min_rest_h:g} 小时",
                    oid, first.post_id, last.end, first.start, (last.id, first.id)))
        return out


class MaxDaySpanRule(Rule):
    """硬约束：一个勤务日从第一次上岗到最后一次下岗不超过 ``max_day_span_h`` 小时（默认 12 小时）.
    A continuous 12 h day and the split peak shift (07–09 + 17–19, span 12 h) pass; 早高峰 plus the
    same evening's 夜查 (07:00 to 02:00, 19 h) does not. One violation per duty day."""

    id = "max_day_span"
    title = "单日勤务跨度过长"

    def check(self, roster: Roster, key: object) -> list[Violation]:
        oid = str(key)
        limit = int(self.config.max_day_span_h * 3600)
        out: list[Violation] = []
        for _d, items in duty_days(roster.officer_assignments(oid), self.config):
            start = items[0].start
            end = max(a.end for a in items)
            if end - start > limit:
                late = [a for a in items if a.end > start + limit]
                out.append(Violation(
                    self.id, Severity.HARD, self.config.hard_penalty,
                    f"{roster.officer_name(oid)} 当日勤务自 {fmt_time(start)} 至 {fmt_time(end)}，"
                    f"跨度 {(end - start) / 3600:.1f} 小时，超过 {self.config.max_day_span_h:g} 小时；"
                    f"{roster.post_name(late[0].post_id)}（{fmt_span(late[0].start, late[0].end)}）"
                    f"宜换人",
                    oid, late[0].post_id, start, end, tuple(a.id for a in late)))
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
    """软约束（提醒）：标准工时每周 40 小时（每日 8 小时）；超出部分按规定安排补休. Police overtime
    is not refused: it becomes 补休 (compensatory rest) the chief must grant, so this is a warning
    with a cost per hour over, badged on the assignments from the one that crosses the standard
    week onwards. One violation per officer-week."""

    id = "max_week_hours"
    title = "超出标准工时（应补休）"

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
                over = total - limit
                d = to_local(ws)
                out.append(Violation(
                    self.id, Severity.SOFT,
                    max(1, math.ceil(over - 1e-9)) * self.config.overtime_penalty_per_h,
                    f"{officer.name} 本周（{d.month}月{d.day}日起）排班 {total:.1f} 小时，"
                    f"超过标准工时 {limit:g} 小时 {over:.1f} 小时，应安排补休；"
                    f"自 {roster.post_name(first.post_id)}（{fmt_span(first.start, first.end)}）起超出",
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
            need = band_need(roster, req.min_staff, post_id, bs, be, cfg=self.config)
            missing = need - len(staffed)
            if missing > 0:
                raised = ""
                if need > req.min_staff:
                    lv = level_in_force(roster, post_id, bs, be)
                    raised = f"（{lv.name}{lv.grade_label}勤务，平时 {req.min_staff} 人）" if lv else ""
                out.append(Violation(
                    self.id, Severity.STAFFING, self.config.staff_penalty_per_missing * missing,
                    f"{roster.post_name(post_id)} {fmt_span(bs, be)}（{tpl.name}）需 {need} 人"
                    f"{raised}，已排 {len(staffed)} 人，缺 {missing} 人",
                    None, post_id, bs, be, ()))
        return out


def band_need(roster: Roster, base: int, post_id: str, start: int, end: int, *,
              cfg: RuleConfig) -> int:
    """Officers a post's band needs, raised by the 勤务等级 in force (``required_staff``)."""
    if not roster.levels:
        return base
    post = roster.posts.get(post_id)
    return required_staff(base, post.station_id if post else "", start, end, levels=roster.levels,
                          factors=cfg.level_staff_factors)


def level_in_force(roster: Roster, post_id: str, start: int, end: int) -> DutyLevel | None:
    """The highest (一级 first) 勤务等级 over a post's band, or None."""
    post = roster.posts.get(post_id)
    sid = post.station_id if post else ""
    found = [lv for lv in roster.levels if lv.covers(sid, start, end)]
    return min(found, key=lambda lv: lv.grade) if found else None


class AuxiliaryAloneRule(Rule):
    """硬约束：辅警不得单独执法或认定事故责任（公安机关辅警管理规定：辅警在民警指挥和监督下开展
    辅助工作）. On a post whose work is enforcement (夜查、事故处理、铁骑/巡逻 — RuleConfig
    ``enforcement_post_kinds``), every stretch of time staffed only by 辅警 is a violation naming
    them; a 民警 on the post for the whole stretch clears it."""

    id = "auxiliary_alone"
    title = "辅警单独执勤"
    scope = "post_day"

    def check(self, roster: Roster, key: object) -> list[Violation]:
        assert isinstance(key, tuple)
        post_id, day = str(key[0]), int(key[1])
        post = roster.posts.get(post_id)
        if post is None or post.kind not in self.config.enforcement_post_kinds:
            return []
        # The post-day index also holds the next day's early bands; stretches are reported on
        # the day they start (below), so each is reported once.
        items = list(roster.post_day_assignments(post_id, day))
        aux = [a for a in items if self._auxiliary(roster, a.officer_id)]
        if not aux:
            return []
        police = [a for a in items if not self._auxiliary(roster, a.officer_id)]
        out: list[Violation] = []
        cuts = sorted({t for a in items for t in (a.start, a.end)})
        stretch: tuple[int, int, set[str]] | None = None
        stretches: list[tuple[int, int, set[str]]] = []
        for t0, t1 in itertools.pairwise(cuts):
            alone = [a for a in aux if a.start <= t0 and a.end >= t1]
            covered = any(p.start <= t0 and p.end >= t1 for p in police)
            if alone and not covered:
                ids = {a.id for a in alone}
                if stretch is not None and stretch[1] == t0:
                    stretch = (stretch[0], t1, stretch[2] | ids)
                else:
                    if stretch is not None:
                        stretches.append(stretch)
                    stretch = (t0, t1, ids)
        if stretch is not None:
            stretches.append(stretch)
        for s0, s1, ids in stretches:
            if s0 < day or s0 >= day + DAY_S:
                continue
            names = "、".join(sorted({roster.officer_name(roster.assignments[i].officer_id)
                                      for i in ids if i in roster.assignments}))
            out.append(Violation(
                self.id, Severity.HARD, self.config.hard_penalty,
                f"{post.name}（{post.kind_label}）{fmt_span(s0, s1)} 只有辅警 {names} 在岗；"
                f"辅警不能单独执法或认定责任，须至少有 1 名民警同岗",
                None, post_id, s0, s1, tuple(sorted(ids))))
        return out

    @staticmethod
    def _auxiliary(roster: Roster, officer_id: str) -> bool:
        o = roster.officers.get(officer_id)
        return o is not None and o.auxiliary


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
    return [NoOverlapRule(cfg), MinRestRule(cfg), MaxDaySpanRule(cfg), RequiredSkillRule(cfg),
            UnavailabilityRule(cfg), MaxWeekHoursRule(cfg), MinStaffRule(cfg),
            AuxiliaryAloneRule(cfg), NightWeekendFairnessRule(cfg), PreferenceRule(cfg)]


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
        #: After ``update()``: the assignments whose verdict (badge) may have changed, and the
        #: post-days re-judged — what a view must repaint, and nothing else.
        self.changed_assignments: set[str] = set()
        self.changed_post_days: set[tuple[str, int]] = set()
        self.changed_officers: set[str] = set()
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
        self.changed_officers = set(r.dirty_officers)
        stations = {r.officers[oid].station_id for oid in r.dirty_officers if oid in r.officers}
        scopes += [("station", sid) for sid in stations]
        days = set(r.days)
        scopes += [("post_day", key) for key in r.dirty_post_days if key[1] in days]
        r.dirty_officers.clear()
        r.dirty_post_days.clear()
        self.changed_assignments = set()
        self.changed_post_days = {key for kind, key in scopes if kind == "post_day"}  # type: ignore[misc]
        out: list[Violation] = []
        for scope in scopes:
            out.extend(self._judge(scope, self.changed_assignments))
        return out

    def _judge(self, scope: Scope, changed: set[str] | None = None) -> list[Violation]:
        kind, key = scope
        found: list[Violation] = []
        for rule in self.rules:
            if rule.scope == kind:
                found.extend(rule.check(self.roster, key))
        old = self._by_scope.pop(scope, None)
        if changed is not None:
            # Only bars whose verdict really differs (a station's fairness scope re-judges every
            # officer of it, but most badges stay as they were).
            before = {(v.rule, v.message, v.assignment_ids) for v in old or ()}
            after = {(v.rule, v.message, v.assignment_ids) for v in found}
            for _rule, _msg, ids in before ^ after:
                changed.update(ids)
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

    def post_day_violations(self, post_id: str, day: int) -> list[Violation]:
        """The verdicts of one post-day (缺岗, 辅警单独执勤): what the timeline tints a band by."""
        return list(self._by_scope.get(("post_day", (post_id, day)), ()))

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
