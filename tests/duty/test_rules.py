"""Each rule's exact penalty and explanation, on hand-built rosters (no database)."""

from __future__ import annotations

from datetime import date

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
from desk.domain.duty.model import DAY_S, date_start
from desk.domain.duty.rules import (
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


def test_min_rest_counts_short_gaps_not_back_to_back() -> None:
    r = roster([a("a", "o1", "p1", 7, 9), a("b", "o1", "p1", 9, 17), a("c", "o1", "p1", 21, 26)])
    vs = MinRestRule().check(r, "o1")
    assert len(vs) == 1 and vs[0].penalty == 1000 and vs[0].assignment_ids == ("b", "c")
    assert "4.0 小时" in vs[0].message and "少于 10 小时" in vs[0].message
    relaxed = MinRestRule(RuleConfig(min_rest_h=4))
    assert relaxed.check(r, "o1") == []
    assert MinRestRule(RuleConfig(hard_penalty=7)).check(r, "o1")[0].penalty == 7


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


def test_max_week_hours_one_violation_per_week() -> None:
    officers = [DutyOfficer("o1", "王伟", "s1", max_week_hours=10)]
    items = [a(f"a{d}", "o1", "p1", 24 * d + 9, 24 * d + 13) for d in range(4)]  # 16 h
    r = roster(items, officers=officers)
    vs = MaxWeekHoursRule().check(r, "o1")
    assert len(vs) == 1 and vs[0].penalty == 1000
    assert vs[0].assignment_ids == ("a2", "a3")  # crossing at 12 h > 10 h
    assert "16.0 小时" in vs[0].message and "上限 10 小时" in vs[0].message


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
