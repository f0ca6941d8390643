"""Auto-fill (自动排班): fill a roster's open slots with OR-Tools CP-SAT so that no hard rule is
broken, spreading night/weekend shifts and hours fairly; and when a slot cannot be staffed, say
which post and band and why.

Every hard rule is a constraint, so whatever the solver returns has zero hard violations; staffing
is a soft goal with a large weight (slack variables), so an impossible week still gets the best
partial fill plus a precise list of shortfalls. Works on an in-memory ``Roster`` only (no
database), so it can run on a worker thread; the caller applies ``result.edit`` as one undo step.

The rules it plans by are the board's: rest is judged between duty days (so the split peak shift
早高峰 + 晚高峰 for one officer is allowed), a duty day spans at most ``max_day_span_h``, 勤务等级
raise the need, and a 辅警 takes an enforcement post only alongside a 民警 on the same band.
Auto-fill stays inside the standard week (overtime, 补休, is the chief's call on the board).

Model simplifications, on purpose: an officer fills slots of their own station only; an officer
counts for a band only when covering all of it.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from desk.domain.duty.edits import AddAssignment, Edit, EditBatch, RemoveAssignment
from desk.domain.duty.model import (
    Assignment,
    DutyOfficer,
    DutyPost,
    PostRequirement,
    ShiftTemplate,
    day_start,
    fmt_span,
    skill_label,
    week_start,
    weekday,
)
from desk.domain.duty.roster import Roster
from desk.domain.duty.rules import RuleConfig, _is_night, band_need

log = logging.getLogger(__name__)

FAIR_WEIGHT = 1_000
PREF_WEIGHT = 10


@dataclass(frozen=True, slots=True)
class Slot:
    post: DutyPost
    requirement: PostRequirement
    template: ShiftTemplate
    day: int
    start: int
    end: int
    need: int
    skills: frozenset[str]
    #: 民警 (not 辅警) already on this band of an enforcement post; None: not an enforcement post.
    police_kept: int | None = None


@dataclass(frozen=True, slots=True)
class Shortfall:
    """A post and band that could not be fully staffed, and why (中文)."""

    post_id: str
    template_id: str
    start: int
    end: int
    missing: int
    reason: str


@dataclass(slots=True)
class AutofillResult:
    edit: EditBatch
    added: int = 0
    removed: int = 0
    shortfalls: list[Shortfall] = field(default_factory=list)
    status: str = ""
    seconds: float = 0.0

    @property
    def complete(self) -> bool:
        return not self.shortfalls


def _conflicts(a_start: int, a_end: int, b_start: int, b_end: int, cfg: RuleConfig) -> bool:
    """Whether one officer cannot work both spans, by the board's rules: they overlap; on one
    duty day they span more than ``max_day_span_h``; on different duty days the rest between
    them is shorter than ``min_rest_h``. Pairwise checks are exact for the day rules: a day's
    span and the rest between two days are each decided by one pair of its segments."""
    if a_start < b_end and b_start < a_end:
        return True
    cut = int(cfg.duty_day_start_h * 3600)
    if day_start(a_start - cut) == day_start(b_start - cut):
        return max(a_end, b_end) - min(a_start, b_start) > int(cfg.max_day_span_h * 3600)
    gap = b_start - a_end if b_start >= a_end else a_start - b_end
    return gap < int(cfg.min_rest_h * 3600)


def autofill(
    roster: Roster,
    *,
    days: Iterable[int] | None = None,
    config: RuleConfig | None = None,
    replace_unlocked: bool = False,
    time_limit_s: float = 8.0,
    station_ids: Iterable[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
    new_id: Callable[[], str] | None = None,
) -> AutofillResult:
    """Plan the open slots of ``days`` (default: the roster's days). Existing assignments stay;
    with ``replace_unlocked`` the unlocked ones on those days are re-planned and only locked
    (pinned) ones stay. ``progress(done, total)`` is called per station."""
    t0 = time.perf_counter()
    cfg = config or RuleConfig()
    make_id = new_id or (lambda: f"da-{uuid.uuid4().hex[:16]}")
    plan_days = sorted(set(days) if days is not None else roster.days)
    day_set = set(plan_days)

    removed: list[Assignment] = []
    kept: list[Assignment] = []
    for a in roster.assignments.values():
        if replace_unlocked and not a.locked and day_start(a.start) in day_set:
            removed.append(a)
        else:
            kept.append(a)
    kept_by_officer: dict[str, list[Assignment]] = {}
    for a in kept:
        kept_by_officer.setdefault(a.officer_id, []).append(a)

    stations = sorted(set(station_ids) if station_ids is not None
                      else {p.station_id for p in roster.posts.values()})
    edits: list[Edit] = [RemoveAssignment(a, label="自动排班") for a in removed]
    shortfalls: list[Shortfall] = []
    added = 0
    statuses: list[str] = []
    deadline = t0 + time_limit_s
    for n, station in enumerate(stations):
        remaining = max(0.5, (deadline - time.perf_counter()) / (len(stations) - n))
        slots = _open_slots(roster, station, plan_days, kept, cfg)
        if slots:
            officers = [o for o in roster.officers.values() if o.station_id == station]
            chosen, short, status = _solve_station(
                roster, slots, officers, kept_by_officer, cfg=cfg,
                time_limit_s=remaining)
            statuses.append(status)
            for slot, officer_id in chosen:
                edits.append(AddAssignment(
                    Assignment(make_id(), officer_id, slot.post.id, slot.start, slot.end),
                    label="自动排班"))
                added += 1
            for slot, missing in short:
                shortfalls.append(Shortfall(
                    slot.post.id, slot.template.id, slot.start, slot.end, missing,
                    _explain(roster, slot, missing, officers, kept=kept_by_officer, chosen=chosen,
                             cfg=cfg)))
        if progress is not None:
            progress(n + 1, len(stations))
    result = AutofillResult(EditBatch(tuple(edits), label="自动排班"), added, len(removed),
                            shortfalls, ",".join(sorted(set(statuses))) or "NOTHING_TO_DO",
                            time.perf_counter() - t0)
    log.info("autofill: +%d -%d, %d shortfalls, %.2fs (%s)", added, len(removed),
             len(shortfalls), result.seconds, result.status)
    return result


def _open_slots(roster: Roster, station: str, days: list[int],
                kept: list[Assignment], cfg: RuleConfig) -> list[Slot]:
    slots: list[Slot] = []
    for post in roster.posts.values():
        if post.station_id != station:
            continue
        reqs = roster.requirements_of(post.id)
        post_kept = [a for a in kept if a.post_id == post.id] if reqs else []
        for day in days:
            for req in reqs:
                tpl = roster.templates.get(req.template_id)
                if tpl is None or req.min_staff <= 0 or weekday(day) not in req.weekdays:
                    continue
                bs, be = tpl.span_on(day)
                staffed = {a.officer_id for a in post_kept if a.start <= bs and a.end >= be}
                need = band_need(roster, req.min_staff, post.id, bs, be, cfg=cfg) - len(staffed)
                if need <= 0:
                    continue
                # The officer must also satisfy every other requirement of the post overlapping
                # this band (the required-skill rule looks at all of them).
                skills: frozenset[str] = frozenset()
                for other in reqs:
                    ot = roster.templates.get(other.template_id)
                    if ot is None or weekday(day) not in other.weekdays:
                        continue
                    os_, oe = ot.span_on(day)
                    if os_ < be and bs < oe:
                        skills |= other.skills
                police: int | None = None
                if post.kind in cfg.enforcement_post_kinds:
                    police = sum(1 for oid in staffed
                                 if (o := roster.officers.get(oid)) is not None and not o.auxiliary)
                slots.append(Slot(post, req, tpl, day, bs, be, need, skills, police))
    return slots


def _eligible(roster: Roster, o: DutyOfficer, slot: Slot,
              kept: dict[str, list[Assignment]], cfg: RuleConfig) -> str | None:
    """None when the officer may take the slot; otherwise the reason key."""
    if not slot.skills <= o.skills:
        return "skill"
    for u in roster.unavailability.get(o.id, ()):
        if u.start < slot.end and slot.start < u.end:
            return "unavailable"
    mine = kept.get(o.id, ())
    for a in mine:
        if a.post_id == slot.post.id and a.start <= slot.start and a.end >= slot.end:
            return "already"
        if _conflicts(a.start, a.end, slot.start, slot.end, cfg):
            return "conflict"
    ws = week_start(slot.start)
    hours = sum(a.hours for a in mine if week_start(a.start) == ws)
    if hours + (slot.end - slot.start) / 3600 > o.max_week_hours + 1e-9:
        return "hours"
    return None


def _solve_station(
    roster: Roster, slots: list[Slot], officers: list[DutyOfficer],
    kept: dict[str, list[Assignment]], *, cfg: RuleConfig, time_limit_s: float,
) -> tuple[list[tuple[Slot, str]], list[tuple[Slot, int]], str]:
    model = cp_model.CpModel()
    x: dict[tuple[int, str], cp_model.IntVar] = {}
    by_officer: dict[str, list[int]] = {}
    for si, slot in enumerate(slots):
        for o in officers:
            if _eligible(roster, o, slot, kept, cfg) is None:
                x[si, o.id] = model.new_bool_var(f"x{si}_{o.id}")
                by_officer.setdefault(o.id, []).append(si)
    short: list[cp_model.IntVar] = []
    for si, slot in enumerate(slots):
        s = model.new_int_var(0, slot.need, f"short{si}")
        short.append(s)
        model.add(sum(x[si, o.id] for o in officers if (si, o.id) in x) + s == slot.need)
        if slot.police_kept is not None:
            # 辅警 never alone on an enforcement post: each 辅警 here needs a 民警 on the band.
            police = [x[si, o.id] for o in officers if (si, o.id) in x and not o.auxiliary]
            for o in officers:
                if o.auxiliary and (si, o.id) in x:
                    model.add(x[si, o.id] <= slot.police_kept + sum(police))

    objective: list[cp_model.LinearExprT] = []
    nw_counts: list[cp_model.LinearExprT] = []
    hour_totals: list[cp_model.LinearExprT] = []
    week_of = {si: week_start(slot.start) for si, slot in enumerate(slots)}
    for o in officers:
        mine = by_officer.get(o.id, [])
        if not mine:
            continue
        # One officer works at most one slot per time window, and never two windows that
        # conflict (overlap, a day longer than the span, too little rest between days). Slots
        # of one window are interchangeable here, so the pairs are of windows, not of slots.
        windows: dict[tuple[int, int], list[cp_model.IntVar]] = {}
        for si in mine:
            windows.setdefault((slots[si].start, slots[si].end), []).append(x[si, o.id])
        for group in windows.values():
            if len(group) > 1:
                model.add_at_most_one(group)
        order = sorted(windows)
        for i, w1 in enumerate(order):
            for w2 in order[i + 1:]:
                if w2[0] - w1[0] > 2 * 86_400:
                    break
                if _conflicts(w1[0], w1[1], w2[0], w2[1], cfg):
                    model.add(sum(windows[w1]) + sum(windows[w2]) <= 1)
        for ws in sorted({week_of[si] for si in mine}):
            used = sum(a.end - a.start for a in kept.get(o.id, ()) if week_start(a.start) == ws)
            cap = int(o.max_week_hours * 3600) - used
            model.add(sum((slots[si].end - slots[si].start) // 60 * x[si, o.id]
                          for si in mine if week_of[si] == ws) <= cap // 60)
        nw = [x[si, o.id] for si in mine if _slot_night_or_weekend(slots[si], cfg)]
        if nw:
            nw_counts.append(sum(nw))
        hour_totals.append(sum((slots[si].end - slots[si].start) // 3600 * x[si, o.id]
                               for si in mine))
        for si in mine:
            slot = slots[si]
            if (o.avoid_night and _slot_night(slot, cfg)) or weekday(slot.day) in o.avoid_weekdays:
                objective.append(PREF_WEIGHT * x[si, o.id])
    if nw_counts:
        max_nw = model.new_int_var(0, len(slots), "max_nw")
        for c in nw_counts:
            model.add(c <= max_nw)
        objective.append(FAIR_WEIGHT * max_nw)
    if hour_totals:
        max_h = model.new_int_var(0, 24 * 14, "max_h")
        for h in hour_totals:
            model.add(h <= max_h)
        objective.append(max_h)
    greedy = _greedy(slots, by_officer, officers, kept, cfg)
    # Two phases: first staff as many slots as possible (the part that matters and that CP-SAT
    # proves quickly), then, with the shortfall fixed, spread nights/weekends and hours fairly
    # starting from the first phase's solution.
    t_end = time.perf_counter() + max(0.3, time_limit_s)
    first: dict[tuple[int, str], bool] = {}
    first_short: list[int] = []
    model.minimize(sum(short))
    for (si, oid), var in x.items():
        model.add_hint(var, (si, oid) in greedy)
    solver = _solver(max(0.2, 0.7 * time_limit_s))
    status = solver.solve(model)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        best_short = int(solver.objective_value)
        model.clear_hints()  # type: ignore[no-untyped-call]
        for var in x.values():
            model.add_hint(var, solver.boolean_value(var))
        for s in short:
            model.add_hint(s, solver.value(s))
        model.add(sum(short) <= best_short)
        model.minimize(sum(objective))
        first = {k: solver.boolean_value(v) for k, v in x.items()}
        first_short = [int(solver.value(s)) for s in short]
        remaining = t_end - time.perf_counter()
        status2 = cp_model.UNKNOWN
        if remaining > 0.2:
            solver = _solver(remaining)
            status2 = solver.solve(model)
        if status2 in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            first = {k: solver.boolean_value(v) for k, v in x.items()}
            first_short = [int(solver.value(s)) for s in short]
            status = status2
    name = solver.status_name(status)
    chosen: list[tuple[Slot, str]] = []
    shortages: list[tuple[Slot, int]] = []
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        for (si, oid), taken in first.items():
            if taken:
                chosen.append((slots[si], oid))
        for si, v in enumerate(first_short):
            if v > 0:
                shortages.append((slots[si], v))
    else:
        # No solution in the time left (a busy machine): fall back to the greedy fill, which
        # keeps every hard rule by construction, and report what it leaves open.
        name = f"GREEDY({name})"
        filled: dict[int, int] = {}
        for si, oid in sorted(greedy):
            chosen.append((slots[si], oid))
            filled[si] = filled.get(si, 0) + 1
        shortages = [(slot, slot.need - filled.get(si, 0)) for si, slot in enumerate(slots)
                     if slot.need > filled.get(si, 0)]
    chosen.sort(key=lambda c: (c[0].start, c[0].post.id, c[1]))
    return chosen, shortages, name


def _greedy(slots: list[Slot], by_officer: dict[str, list[int]], officers: list[DutyOfficer],
            kept: dict[str, list[Assignment]], cfg: RuleConfig) -> set[tuple[int, str]]:
    """A quick feasible fill (hardest slots first, least-loaded officer) as the solver's hint:
    CP-SAT then starts from a good solution instead of searching for a first one."""
    candidates: dict[int, list[str]] = {}
    for oid, mine in by_officer.items():
        for si in mine:
            candidates.setdefault(si, []).append(oid)
    load: dict[str, float] = {o.id: sum(a.hours for a in kept.get(o.id, ())) for o in officers}
    cap = {o.id: o.max_week_hours for o in officers}
    auxiliary = {o.id: o.auxiliary for o in officers}
    taken: dict[str, list[Slot]] = {}
    chosen: set[tuple[int, str]] = set()
    order = sorted(range(len(slots)), key=lambda si: (len(candidates.get(si, ())), slots[si].start))
    for si in order:
        slot = slots[si]
        hours = (slot.end - slot.start) / 3600
        pool = sorted(candidates.get(si, ()), key=lambda oid: (auxiliary[oid], load[oid])
                      if slot.police_kept is not None else load[oid])
        need = slot.need
        police_here = 0
        for oid in pool:
            if need == 0:
                break
            if load[oid] + hours > cap[oid] + 1e-9:
                continue
            if any(_conflicts(o.start, o.end, slot.start, slot.end, cfg)
                   for o in taken.get(oid, ())):
                continue
            if auxiliary[oid] and slot.police_kept is not None and slot.police_kept + police_here == 0:
                continue  # the hint must respect the 辅警 rule too
            taken.setdefault(oid, []).append(slot)
            load[oid] += hours
            chosen.add((si, oid))
            police_here += 0 if auxiliary[oid] else 1
            need -= 1
    return chosen


def _solver(seconds: float) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = 2
    solver.parameters.random_seed = 1
    # The defaults spend seconds on symmetry detection and probing for this model shape
    # (officers of one station are nearly interchangeable); measured on 50 officers x 168 slots.
    solver.parameters.symmetry_level = 0
    solver.parameters.cp_model_probing_level = 0
    return solver


def _slot_night(slot: Slot, cfg: RuleConfig) -> bool:
    return _is_night(Assignment("", "", slot.post.id, slot.start, slot.end), cfg)


def _slot_night_or_weekend(slot: Slot, cfg: RuleConfig) -> bool:
    return _slot_night(slot, cfg) or weekday(slot.start) >= 6


def _explain(roster: Roster, slot: Slot, missing: int, officers: list[DutyOfficer], *,
             kept: dict[str, list[Assignment]], chosen: list[tuple[Slot, str]],
             cfg: RuleConfig) -> str:
    where = f"{slot.post.name} {fmt_span(slot.start, slot.end)}（{slot.template.name}）缺 {missing} 人"
    if not officers:
        return f"{where}：本单位没有民警"
    counts = {"skill": 0, "unavailable": 0, "conflict": 0, "hours": 0, "already": 0}
    free = 0
    for o in officers:
        why = _eligible(roster, o, slot, kept, cfg)
        if why is None:
            free += 1
        else:
            counts[why] += 1
    taken = {oid for s, oid in chosen if s is slot}
    busy_elsewhere = free - len(taken)
    skills = "、".join(skill_label(s) for s in sorted(slot.skills))
    parts = [f"本单位民警 {len(officers)} 人"]
    if counts["skill"]:
        parts.append(f"{counts['skill']} 人不具备「{skills}」技能")
    if counts["unavailable"]:
        parts.append(f"{counts['unavailable']} 人请假或不可排班")
    if counts["conflict"]:
        parts.append(f"{counts['conflict']} 人与已有排班冲突、休息不足 {cfg.min_rest_h:g} 小时"
                     f"或当日跨度超过 {cfg.max_day_span_h:g} 小时")
    if counts["hours"]:
        parts.append(f"{counts['hours']} 人本周工时已满")
    if busy_elsewhere > 0:
        parts.append(f"其余 {busy_elsewhere} 人已排到同期其他岗位")
    elif free == 0 and not counts["skill"] and not counts["unavailable"]:
        parts.append("无可用人员")
    return f"{where}：" + "，".join(parts)
