"""Each rule's exact penalty and explanation, on hand-built rosters (no database)."""

from __future__ import annotations

from datetime import date

import pytest

from desk.domain.duty import (
    Assignment,
    DutyOfficer,
    DutyPost,
    PostRequirement,
    Roster,
    RosterChecker,
    RuleConfig,
    Severity,
    ShiftTemplate,
    Unavailability,
)
from desk.domain.duty.model import DAY_S, DutyLevel, StaffKind, date_start, required_staff
from desk.domain.duty.rules import (
    AuxiliaryAloneRule,
    MaxDaySpanRule,
    MaxWeekHoursRule,
    MinRestRule,
    MinStaffRule,
    NightWeekendFairnessRule,
    NoOverlapRule,
    PreferenceRule,
    RequiredSkillRule,
    UnavailabilityRule,
)

MON = date_start(date(2026, 11, 16))
H = 3600
AM = ShiftTemplate("am", "早高峰", 7 * 60, 9 * 60)
NIGHT = ShiftTemplate("night", "夜查", 21 * 60, 26 * 60)


def roster(assignments: list[Assignment], **kw: object) -> Roster:
    officers = kw.pop("officers", None) or [
        DutyOfficer("o1", "王伟", "s1", frozenset({"car"})),
        DutyOfficer("o2", "李娜", "s1", frozenset({"motorcycle"})),
    ]
    posts = [DutyPost("p1", "花园路岗", "intersection", "s1"),
             DutyPost("p2", "金水路岗", "motorcycle_line", "s1")]
    return Roster(officers=officers, posts=posts, templates=[AM, NIGHT],
                  assignments=assignments, days=[MON + i * DAY_S for i in range(7)],
                  **kw)  # type: ignore[arg-type]


def a(aid: str, officer: str, post: str, start_h: float, end_h: float) -> Assignment:
    return Assignment(aid, officer, post, MON + int(start_h * H), MON + int(end_h * H))


def test_no_overlap_one_violation_per_pair() -> None:
    r = roster([a("a", "o1", "p1", 7, 9), a("b", "o1", "p2", 8, 10), a("c", "o1", "p1", 8.5, 9)])
    vs = NoOverlapRule().check(r, "o1")
    assert [v.penalty for v in vs] == [1000, 1000, 1000]  # a-b, a-c, b-c
    assert {v.assignment_ids for v in vs} == {("a", "b"), ("a", "c"), ("b", "c")}
    assert "王伟" in vs[0].message and "花园路岗" in vs[0].message and "金水路岗" in vs[0].message
    assert "11月16日" in vs[0].message
    assert NoOverlapRule().check(roster([a("a", "o1", "p1", 7, 9), a("b", "o1", "p1", 9, 11)]),
                                 "o1") == []


# Practice: rest is judged between duty days (勤务日), not between the segments of one day — the
# split peak shift (两头岗/错时勤务: 早高峰 07–09 + 晚高峰 17–19) is normal 交警 duty. Each case:
# (segments as (start h, end h) from Monday 00:00, rest rule's verdict, why).
REST_CASES = [
    ([(7, 9), (17, 19)], [], "两头岗：同一勤务日两段之间不算休息"),
    ([(7, 19)], [], "连续 12 小时一个勤务日"),
    ([(7, 9), (17, 19), (24 + 7, 24 + 9)], [], "次日 07:00 上岗，已休 12 小时"),
    ([(21, 26), (24 + 7, 24 + 9)], [("a", "b", 5.0)],
     "夜查到 02:00，次日 07:00 又上岗：两勤务日之间只休 5 小时"),
    ([(7, 19), (24 + 4, 24 + 6)], [("a", "b", 9.0)], "04:00 起算次日：19:00 下班 04:00 上岗只休 9 小时"),
    ([(21, 26), (24 + 12, 24 + 14)], [], "夜查 02:00 下班，次日 12:00 上岗，已休 10 小时"),
    ([(20, 32), (32, 44)], [("a", "b", 0.0)], "24 小时连班：第二个勤务日没有休息"),
]


@pytest.mark.parametrize(("segments", "expected", "why"), REST_CASES,
                         ids=[c[2] for c in REST_CASES])
def test_rest_is_judged_between_duty_days(segments: list[tuple[float, float]],
                                          expected: list[tuple[str, str, float]], why: str) -> None:
    ids = "abcdefg"
    r = roster([a(ids[i], "o1", "p1", s, e) for i, (s, e) in enumerate(segments)])
    vs = MinRestRule().check(r, "o1")
    got = [(v.assignment_ids[0], v.assignment_ids[1], round((v.end or 0) - (v.start or 0)) / H)
           for v in vs]
    assert got == expected, why
    for v in vs:
        assert v.penalty == 1000 and v.severity is Severity.HARD
        assert "两个勤务日之间只休息" in v.message and "少于 10 小时" in v.message


def test_rest_threshold_and_penalty_are_configurable() -> None:
    r = roster([a("a", "o1", "p1", 9, 17), a("b", "o1", "p1", 21, 26), a("c", "o1", "p1", 31, 33)])
    assert MinRestRule(RuleConfig(min_rest_h=4)).check(r, "o1") == []
    assert MinRestRule(RuleConfig(hard_penalty=7)).check(r, "o1")[0].penalty == 7


# Practice: cap the daily span (first start to last end of one duty day), 12 h by default.
SPAN_CASES = [
    ([(7, 9), (17, 19)], [], "两头岗跨度正好 12 小时"),
    ([(7, 19)], [], "连续 12 小时"),
    ([(7, 9), (9, 17), (17, 19)], [], "早高峰+白班+晚高峰衔接，共 12 小时"),
    ([(7, 9), (21, 26)], [("b",)], "早高峰加当晚夜查：07:00 至次日 02:00，跨度 19 小时"),
    ([(6, 8), (17, 19)], [("b",)], "06:00 至 19:00，跨度 13 小时"),
]


@pytest.mark.parametrize(("segments", "expected", "why"), SPAN_CASES,
                         ids=[c[2] for c in SPAN_CASES])
def test_daily_span_is_capped(segments: list[tuple[float, float]], expected: list[tuple[str, ...]],
                              why: str) -> None:
    ids = "abcdefg"
    r = roster([a(ids[i], "o1", "p1", s, e) for i, (s, e) in enumerate(segments)])
    vs = MaxDaySpanRule().check(r, "o1")
    assert [v.assignment_ids for v in vs] == expected, why
    for v in vs:
        assert v.is_hard and "跨度" in v.message and "超过 12 小时" in v.message


def test_split_peak_shift_passes_every_hard_rule() -> None:
    """The case the old gap-between-segments rule got wrong: a week of 两头岗 is publishable."""
    items = []
    for d in range(5):
        items += [a(f"m{d}", "o1", "p1", 24 * d + 7, 24 * d + 9),
                  a(f"e{d}", "o1", "p1", 24 * d + 17, 24 * d + 19)]
    checker = RosterChecker(roster(items))
    assert checker.hard() == []


def test_required_skill_names_missing_skill() -> None:
    req = PostRequirement("r", "p2", "am", 1, frozenset({"motorcycle"}))
    r = roster([a("a", "o1", "p2", 7, 9), a("b", "o2", "p2", 7, 9), a("c", "o1", "p2", 12, 14)],
               requirements=[req])
    vs = RequiredSkillRule().check(r, "o1")
    assert len(vs) == 1 and vs[0].penalty == 1000 and vs[0].assignment_ids == ("a",)
    assert "铁骑" in vs[0].message and "王伟" in vs[0].message and "金水路岗" in vs[0].message
    assert RequiredSkillRule().check(r, "o2") == []


def test_unavailability_per_assignment() -> None:
    leave = Unavailability("u", "o1", MON + 8 * H, MON + 30 * H, "请假")
    r = roster([a("a", "o1", "p1", 7, 9), a("b", "o1", "p1", 31, 33)], unavailability=[leave])
    vs = UnavailabilityRule().check(r, "o1")
    assert [(v.penalty, v.assignment_ids) for v in vs] == [(1000, ("a",))]
    assert "请假" in vs[0].message


# Practice: the standard week is 40 h (8 h a day); police overtime becomes 补休, so hours over
# the week are a warning with a cost, never a refusal to publish.
WEEK_CASES = [
    (5, 8, [], 0, "五天各 8 小时：正好 40 小时"),
    (6, 8, ["a5"], 40, "第六天起超出 8 小时：应补休，扣 8×5 分"),
    (5, 9, ["a4"], 25, "每天 9 小时：第五天起超出 5 小时"),
]


@pytest.mark.parametrize(("days", "hours", "badged", "penalty", "why"), WEEK_CASES,
                         ids=[c[4] for c in WEEK_CASES])
def test_week_over_standard_hours_is_a_comp_time_warning(days: int, hours: int,
                                                         badged: list[str], penalty: int,
                                                         why: str) -> None:
    officers = [DutyOfficer("o1", "王伟", "s1")]
    items = [a(f"a{d}", "o1", "p1", 24 * d + 8, 24 * d + 8 + hours) for d in range(days)]
    vs = MaxWeekHoursRule().check(roster(items, officers=officers), "o1")
    if not badged:
        assert vs == [], why
        return
    (v,) = vs
    assert v.severity is Severity.SOFT and not v.is_hard, why
    assert list(v.assignment_ids) == badged and v.penalty == penalty, why
    assert "标准工时 40 小时" in v.message and "补休" in v.message


def test_overtime_does_not_block_publishing() -> None:
    officers = [DutyOfficer("o1", "王伟", "s1", max_week_hours=10)]
    items = [a(f"a{d}", "o1", "p1", 24 * d + 9, 24 * d + 13) for d in range(4)]  # 16 h
    checker = RosterChecker(roster(items, officers=officers))
    assert checker.hard() == []
    assert [v.rule for v in checker.violations()] == ["max_week_hours"]


# Regulation: 《公安机关警务辅助人员管理条例》/ practice — 辅警 work under a 民警 and cannot enforce
# (查处违法、夜查酒驾) or decide accident liability alone. Posts of an enforcement kind need a 民警
# on every stretch a 辅警 works there.
AUX = [DutyOfficer("o1", "王伟", "s1"),
       DutyOfficer("x1", "赵辅", "s1", staff_kind=StaffKind.AUXILIARY),
       DutyOfficer("x2", "钱辅", "s1", staff_kind=StaffKind.AUXILIARY)]
AUX_POSTS = [DutyPost("p1", "花园路岗", "intersection", "s1"),
             DutyPost("n1", "东风路夜查点", "night_check", "s1"),
             DutyPost("acc", "事故处理组", "accident", "s1")]
AUX_CASES = [
    ([("x1", "n1", 21, 26)], [(21, 26)], "夜查点只有 1 名辅警：不能单独执法"),
    ([("x1", "n1", 21, 26), ("x2", "n1", 21, 26)], [(21, 26)], "两名辅警也不行：须有民警"),
    ([("x1", "n1", 21, 26), ("o1", "n1", 21, 26)], [], "民警带辅警夜查"),
    ([("x1", "n1", 21, 26), ("o1", "n1", 21, 23)], [(23, 26)], "民警 23:00 离开后辅警单独在岗"),
    ([("x1", "acc", 8, 20)], [(8, 20)], "辅警不能单独认定事故责任"),
    ([("x1", "p1", 7, 9)], [], "路口岗疏导交通：辅警可以单独上岗"),
]


@pytest.mark.parametrize(("items", "expected", "why"), AUX_CASES, ids=[c[2] for c in AUX_CASES])
def test_auxiliary_never_alone_on_an_enforcement_post(
        items: list[tuple[str, str, float, float]], expected: list[tuple[float, float]],
        why: str) -> None:
    r = Roster(officers=AUX, posts=AUX_POSTS, templates=[AM, NIGHT],
               assignments=[a(f"a{i}", o, p, s, e) for i, (o, p, s, e) in enumerate(items)],
               days=[MON + i * DAY_S for i in range(7)])
    vs = [v for pid in ("p1", "n1", "acc") for v in AuxiliaryAloneRule().check(r, (pid, MON))]
    assert [((v.start or 0) - MON) / H for v in vs] == [s for s, _ in expected], why
    assert [((v.end or 0) - MON) / H for v in vs] == [e for _, e in expected], why
    for v in vs:
        assert v.is_hard and "只有辅警" in v.message and "须至少有 1 名民警" in v.message


# Practice: 勤务等级 一级/二级/三级 for 重大安保 raise the staffing of the posts in their area for
# their period (一级 doubles, 二级 ×1.5, 三级 ×1.25, rounded up).
LEVEL_CASES = [
    ([], 2, "无勤务等级：平时 2 人"),
    ([DutyLevel("l", "车展安保", 1, MON, MON + DAY_S)], 4, "一级：加倍"),
    ([DutyLevel("l", "车展安保", 2, MON, MON + DAY_S)], 3, "二级：×1.5"),
    ([DutyLevel("l", "车展安保", 3, MON, MON + DAY_S)], 3, "三级：×1.25 向上取整"),
    ([DutyLevel("l", "车展安保", 1, MON, MON + DAY_S, frozenset({"s2"}))], 2, "别的单位的等级不影响"),
    ([DutyLevel("l", "车展安保", 1, MON + 12 * H, MON + DAY_S)], 2, "等级从中午才开始：早高峰不受影响"),
    ([DutyLevel("a", "甲", 3, MON, MON + DAY_S), DutyLevel("b", "乙", 1, MON, MON + DAY_S)], 4,
     "两个等级重叠：按最高的一级"),
]


@pytest.mark.parametrize(("levels", "need", "why"), LEVEL_CASES, ids=[c[2] for c in LEVEL_CASES])
def test_duty_levels_raise_staffing(levels: list[DutyLevel], need: int, why: str) -> None:
    req = PostRequirement("r", "p1", "am", 2)
    r = roster([], requirements=[req], levels=levels)
    (v,) = MinStaffRule().check(r, ("p1", MON))
    assert f"需 {need} 人" in v.message and v.penalty == 100 * need, why
    if need > 2:
        assert "勤务，平时 2 人" in v.message
    assert required_staff(0, "s1", MON, MON + DAY_S, levels=levels) == 0  # nobody needed: stays 0


def test_min_staff_penalty_per_missing_officer() -> None:
    req = PostRequirement("r", "p1", "am", 3)
    r = roster([a("a", "o1", "p1", 7, 9), a("b", "o2", "p1", 7.5, 9)], requirements=[req])
    vs = MinStaffRule().check(r, ("p1", MON))
    # o2 does not cover the whole band, so 2 of 3 are missing.
    assert len(vs) == 1 and vs[0].penalty == 200 and vs[0].severity is Severity.STAFFING
    assert "缺 2 人" in vs[0].message and "花园路岗" in vs[0].message
    weekday_only = PostRequirement("r", "p1", "am", 3, weekdays=frozenset({2}))
    r2 = roster([], requirements=[weekday_only])
    assert MinStaffRule().check(r2, ("p1", MON)) == []
    assert MinStaffRule().check(r2, ("p1", MON + DAY_S))[0].penalty == 300


def test_fairness_penalises_shifts_beyond_the_average() -> None:
    # Four night shifts for o1, none for o2: allowance ceil(4/2) = 2, two excess shifts.
    items = [a(f"n{d}", "o1", "p1", 24 * d + 21, 24 * d + 26) for d in range(4)]
    r = roster(items)
    vs = NightWeekendFairnessRule().check(r, "s1")
    assert [v.penalty for v in vs] == [10, 10]
    assert {v.assignment_ids[0] for v in vs} == {"n2", "n3"}
    assert all(v.severity is Severity.SOFT for v in vs)
    balanced = roster([a("n0", "o1", "p1", 21, 26), a("n1", "o2", "p1", 45, 50)])
    assert NightWeekendFairnessRule().check(balanced, "s1") == []


def test_preferences_cost_five_each() -> None:
    officers = [DutyOfficer("o1", "王伟", "s1", avoid_night=True, avoid_weekdays=frozenset({1}))]
    r = roster([a("a", "o1", "p1", 21, 26), a("b", "o1", "p1", 24 + 9, 24 + 11)],
               officers=officers)
    vs = PreferenceRule().check(r, "o1")
    assert sorted(v.penalty for v in vs) == [5, 5]  # night + Monday, both on "a"
    assert all(v.assignment_ids == ("a",) for v in vs)


def test_incremental_check_matches_full_check() -> None:
    req = PostRequirement("r", "p1", "am", 2)
    r = roster([a("a", "o1", "p1", 7, 9)], requirements=[req])
    checker = RosterChecker(r)
    before = checker.penalty()
    r.add(a("b", "o2", "p1", 7, 9))
    checker.update()
    after_incremental = sorted((v.rule, v.penalty, v.message) for v in checker.violations())
    full = sorted((v.rule, v.penalty, v.message) for v in RosterChecker(r).violations())
    assert after_incremental == full
    assert checker.penalty() == before - 100
    r.add(a("c", "o1", "p1", 8, 10))
    checker.update()
    assert {v.rule for v in checker.for_assignment("c")} == {"no_overlap"}
    assert len(checker.hard()) == 1
