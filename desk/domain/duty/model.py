"""The duty-planning entities: officers as the planner sees them, posts with their staffing
requirements per time band, shift templates and assignments. Times are POSIX seconds (int); days
and weeks are cut in China Standard Time (UTC+8, no daylight saving)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from enum import IntEnum, StrEnum

#: China Standard Time. Duty days and weeks begin at local midnight and on Monday.
CST = timezone(timedelta(hours=8), "CST")

DAY_S = 86_400
WEEK_S = 7 * DAY_S


class Skill(StrEnum):
    """Skills stored in ``officers.skills`` (a JSON list). Labels are what a chief reads."""

    MOTORCYCLE = "motorcycle"  # 铁骑
    DRONE_PILOT = "drone_pilot"  # 无人机飞手
    ACCIDENT = "accident"  # 事故处理
    CAR = "car"  # 驾驶警车
    NIGHT_CHECK = "night_check"  # 夜查

    @property
    def label(self) -> str:
        return SKILL_LABELS[self.value]


SKILL_LABELS: dict[str, str] = {
    "motorcycle": "铁骑",
    "drone_pilot": "无人机飞手",
    "accident": "事故处理",
    "car": "驾驶警车",
    "night_check": "夜查",
}


def skill_label(skill: str) -> str:
    return SKILL_LABELS.get(skill, skill)


class PostKind(StrEnum):
    """Kinds of 岗位 in ``duty_posts.kind`` (the post kinds of everyday 交警 duty: fixed posts,
    peak and school-gate posts, patrol lines and areas, night checks, standby, accident handling
    and the command centre's watch)."""

    INTERSECTION = "intersection"  # 路口岗
    MOTORCYCLE_LINE = "motorcycle_line"  # 铁骑巡线
    PEAK = "peak"  # 高峰岗
    NIGHT_CHECK = "night_check"  # 夜查点
    POLICE_ROOM = "police_room"  # 数字警务室值守
    SCHOOL = "school"  # 护学岗 (school gates, school days)
    PATROL_AREA = "patrol_area"  # 巡逻岗/巡区 (an area or line with check-in points)
    STANDBY = "standby"  # 备勤
    ACCIDENT = "accident"  # 事故处理
    COMMAND_CENTER = "command_center"  # 指挥中心值班

    @property
    def label(self) -> str:
        return POST_KIND_LABELS[self.value]


POST_KIND_LABELS: dict[str, str] = {
    "intersection": "路口岗",
    "motorcycle_line": "铁骑巡线",
    "peak": "高峰岗",
    "night_check": "夜查点",
    "police_room": "警务室值守",
    "school": "护学岗",
    "patrol_area": "巡逻岗",
    "standby": "备勤",
    "accident": "事故处理",
    "command_center": "指挥中心值班",
}

#: Post kinds judged against an area or line (with check-in points), not one point, by 管得住.
PATROL_POST_KINDS: frozenset[str] = frozenset({"motorcycle_line", "patrol_area"})

#: Post kinds whose work is enforcement or deciding liability (查处违法、夜查酒驾、事故认定): a 辅警
#: may work there only alongside a 民警 (公安机关辅警 cannot enforce or decide liability alone).
ENFORCEMENT_POST_KINDS: frozenset[str] = frozenset(
    {"night_check", "accident", "motorcycle_line", "patrol_area"})


class StaffKind(StrEnum):
    """民警 (a police officer with a 警衔) or 辅警 (auxiliary police: directs traffic and assists,
    but cannot enforce or decide liability alone)."""

    POLICE = "police"
    AUXILIARY = "auxiliary"

    @property
    def label(self) -> str:
        return "辅警" if self is StaffKind.AUXILIARY else "民警"


#: The value of ``officers.rank`` for an auxiliary (辅警 have no 警衔).
AUXILIARY_RANK = "辅警"


class DutyGrade(IntEnum):
    """勤务等级 for 重大安保/警卫: 一级 is the highest. Each raises the staffing of the posts in its
    area for its period (``RuleConfig.level_staff_factors``)."""

    ONE = 1
    TWO = 2
    THREE = 3

    @property
    def label(self) -> str:
        return {1: "一级", 2: "二级", 3: "三级"}[int(self)]


class RosterState(StrEnum):
    """A station's week is a draft (草稿) until published (已发布)."""

    DRAFT = "draft"
    PUBLISHED = "published"

    @property
    def label(self) -> str:
        return "已发布" if self is RosterState.PUBLISHED else "草稿"


@dataclass(frozen=True, slots=True)
class Unavailability:
    """A span when an officer cannot work (请假 leave, 培训 training, …)."""

    id: str
    officer_id: str
    start: int
    end: int
    reason: str = "请假"


@dataclass(frozen=True, slots=True)
class DutyOfficer:
    """An officer as the planner sees them. ``max_week_hours`` is the standard week (40 h, 8 h a
    day); hours beyond it become 补休 (a warning, not a refusal). ``avoid_night`` and
    ``avoid_weekdays`` (1 = Monday … 7 = Sunday) are soft preferences. ``staff_kind`` tells 民警
    from 辅警."""

    id: str
    name: str
    station_id: str
    skills: frozenset[str] = frozenset()
    badge: str = ""
    max_week_hours: float = 40.0
    avoid_night: bool = False
    avoid_weekdays: frozenset[int] = frozenset()
    unit_id: str | None = None
    staff_kind: StaffKind = StaffKind.POLICE

    @property
    def auxiliary(self) -> bool:
        return self.staff_kind is StaffKind.AUXILIARY


@dataclass(frozen=True, slots=True)
class ShiftTemplate:
    """A named time band of a day, e.g. 早高峰 07:00–09:00. ``end_min`` may exceed 1440 for a band
    that runs past midnight (夜查 21:00–02:00 is 1260–1560)."""

    id: str
    name: str
    start_min: int
    end_min: int

    @property
    def duration_s(self) -> int:
        return (self.end_min - self.start_min) * 60

    def span_on(self, day: int) -> tuple[int, int]:
        """The band's (start, end) on the duty day starting at POSIX second ``day``."""
        return day + self.start_min * 60, day + self.end_min * 60

    def hhmm(self) -> str:
        return f"{fmt_min(self.start_min)}–{fmt_min(self.end_min)}"


def fmt_min(minutes: int) -> str:
    m = minutes % 1440
    return f"{m // 60:02d}:{m % 60:02d}"


@dataclass(frozen=True, slots=True)
class PostRequirement:
    """At least ``min_staff`` officers, each with all ``skills``, on ``post_id`` during
    ``template_id``'s band on the listed weekdays (1 = Monday … 7 = Sunday)."""

    id: str
    post_id: str
    template_id: str
    min_staff: int
    skills: frozenset[str] = frozenset()
    weekdays: frozenset[int] = frozenset(range(1, 8))


@dataclass(frozen=True, slots=True)
class DutyPost:
    """A 岗位 (duty post): a point (or the start of a patrol line) on the map."""

    id: str
    name: str
    kind: str
    station_id: str
    road: str = ""
    lat: float | None = None
    lon: float | None = None

    @property
    def kind_label(self) -> str:
        return POST_KIND_LABELS.get(self.kind, self.kind)


@dataclass(frozen=True, slots=True)
class DutyLevel:
    """A 勤务等级 in force: ``grade`` (一级/二级/三级) from ``start`` to ``end`` over an area — the
    listed stations (empty: every station) — e.g. 一级 for a 重大安保 event in 金水区. While it is in
    force, the posts of the area need more officers (``required_staff``)."""

    id: str
    name: str
    grade: int
    start: int
    end: int
    station_ids: frozenset[str] = frozenset()

    def covers(self, station_id: str, start: int, end: int) -> bool:
        """True when a band ``start``–``end`` of a post of ``station_id`` overlaps the level."""
        return (self.start < end and start < self.end
                and (not self.station_ids or station_id in self.station_ids))

    @property
    def grade_label(self) -> str:
        return DutyGrade(self.grade).label if self.grade in (1, 2, 3) else f"{self.grade}级"


#: How much 勤务等级 raises a post's minimum staff (一级 doubles it; ceiling), by grade.
DEFAULT_LEVEL_FACTORS: tuple[tuple[int, float], ...] = ((1, 2.0), (2, 1.5), (3, 1.25))


def required_staff(base: int, station_id: str, start: int, end: int, *,
                   levels: Iterable[DutyLevel],
                   factors: Iterable[tuple[int, float]] = DEFAULT_LEVEL_FACTORS) -> int:
    """The officers a band needs: its requirement ``base``, raised by the highest 勤务等级 in force
    over the band's station and time (a post that needs nobody stays at zero). The one place the
    raise is computed: rules, auto-fill and staffing-now all call it."""
    if base <= 0:
        return base
    table = dict(factors)
    best = 1.0
    for lv in levels:
        if lv.covers(station_id, start, end):
            best = max(best, table.get(lv.grade, 1.0))
    return max(base, math.ceil(base * best - 1e-9))


@dataclass(frozen=True, slots=True)
class Assignment:
    """One officer on one post from ``start`` to ``end`` (POSIX seconds). A ``locked`` (pinned)
    assignment is never moved or removed by auto-fill."""

    id: str
    officer_id: str
    post_id: str
    start: int
    end: int
    locked: bool = False
    note: str = ""

    @property
    def hours(self) -> float:
        return (self.end - self.start) / 3600.0

    def overlaps(self, start: int, end: int) -> bool:
        return self.start < end and start < self.end

    def moved(self, post_id: str, start: int, end: int) -> Assignment:
        return Assignment(self.id, self.officer_id, post_id, start, end, self.locked, self.note)


@dataclass(slots=True)
class Names:
    """Lookup of display names, so rules can explain themselves in Chinese."""

    officers: dict[str, str] = field(default_factory=dict)
    posts: dict[str, str] = field(default_factory=dict)


# -- time helpers ------------------------------------------------------------------------------


def to_local(t: int | float) -> datetime:
    return datetime.fromtimestamp(t, CST)


# CST is a fixed offset (no daylight saving), so days and weekdays are plain arithmetic: these run
# in the rules' and auto-fill's inner loops, where building datetimes cost seconds per week.
_CST_OFFSET_S = 8 * 3600


def day_start(t: int | float) -> int:
    """POSIX second of local midnight at or before ``t``."""
    s = math.floor(t)
    return s - (s + _CST_OFFSET_S) % DAY_S


def week_start(t: int | float) -> int:
    """POSIX second of Monday 00:00 (CST) of ``t``'s week."""
    d0 = day_start(t)
    return d0 - (weekday(d0) - 1) * DAY_S


def date_start(d: date) -> int:
    return int(datetime(d.year, d.month, d.day, tzinfo=CST).timestamp())


def weekday(t: int | float) -> int:
    """1 = Monday … 7 = Sunday, in CST (1970-01-01 was a Thursday)."""
    return (((math.floor(t) + _CST_OFFSET_S) // DAY_S) + 3) % 7 + 1


def fmt_time(t: int | float) -> str:
    """'11月23日(周一) 07:00' — how the explanations name a time."""
    d = to_local(t)
    return f"{d.month}月{d.day}日({WEEKDAY_LABELS[d.isoweekday()]}) {d:%H:%M}"


def fmt_span(start: int | float, end: int | float) -> str:
    e = to_local(end)
    return f"{fmt_time(start)}–{e:%H:%M}"


def fmt_period(start: int | float, end: int | float) -> str:
    """Like ``fmt_span``, but a span of a day or more names its end date too (leave: '11月16日(周一)
    00:00–11月18日(周三) 00:00'), where ``fmt_span``'s '00:00–00:00' would be ambiguous."""
    if end - start < DAY_S:
        return fmt_span(start, end)
    return f"{fmt_time(start)}–{fmt_time(end)}"


def week_key(t: int | float) -> str:
    """The ISO date of the week's Monday, used as the roster key ('2026-11-23')."""
    return to_local(week_start(t)).date().isoformat()


WEEKDAY_LABELS = {1: "周一", 2: "周二", 3: "周三", 4: "周四", 5: "周五", 6: "周六", 7: "周日"}
