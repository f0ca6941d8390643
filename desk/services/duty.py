"""Plan duty (勤务排班): load a week's roster, apply undoable edits through the workspace's write
path, judge the rules, publish, record reasons for changes after publishing, and tell the map how
well each post is staffed right now.

Usage::

    duty = ctx.service(DutyService)
    duty.ensure_defaults()                       # shift templates + requirements per post kind
    plan = duty.open_week(week_start(now), station_id="st-01")
    inverse = plan.apply(AddAssignment(Assignment(duty.new_id(), "off-1", "post-3", s, e)))
    plan.apply(inverse)                          # undo
    duty.publish("st-01", plan.week)             # refuses while hard violations remain
    duty.staffing_now()                          # {post_id: "full" | "short" | "empty"}
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from desk.domain.duty import staffing as _staffing
from desk.domain.duty.edits import (
    AddAssignment,
    Edit,
    EditBatch,
    RemoveAssignment,
    ReplaceAssignment,
)
from desk.domain.duty.model import (
    AUXILIARY_RANK,
    DAY_S,
    WEEK_S,
    Assignment,
    DutyLevel,
    DutyOfficer,
    DutyPost,
    PostRequirement,
    RosterState,
    ShiftTemplate,
    StaffKind,
    Unavailability,
    fmt_span,
    week_key,
    week_start,
)
from desk.domain.duty.roster import Roster
from desk.domain.duty.rules import RosterChecker, RuleConfig, Violation, default_rules
from desk.services.context import AppContext
from desk.store.writes import WriteTx

log = logging.getLogger(__name__)

#: The standard working week (每周 40 小时); hours beyond it become 补休, a warning on the board.
STANDARD_WEEK_H = 40.0

#: Default shift templates seeded on first use: (id, name, start minute, end minute).
DEFAULT_TEMPLATES: tuple[tuple[str, str, int, int], ...] = (
    ("tpl-am-peak", "早高峰", 7 * 60, 9 * 60),
    ("tpl-day", "白班", 9 * 60, 17 * 60),
    ("tpl-pm-peak", "晚高峰", 17 * 60, 19 * 60),
    ("tpl-night", "夜查", 21 * 60, 26 * 60),
)

#: Templates seeded the first time a post kind that needs them gets its default requirements
#: (护学岗 at school gates; 24-hour watches in two 12-hour halves for accidents and the command
#: centre). Seeded by id only when missing, so a chief's own templates are never replaced.
EXTRA_TEMPLATES: tuple[tuple[str, str, int, int], ...] = (
    ("tpl-school-am", "护学（上学）", 7 * 60, 8 * 60 + 30),
    ("tpl-school-pm", "护学（放学）", 16 * 60 + 30, 18 * 60),
    ("tpl-watch-day", "值班（白）", 8 * 60, 20 * 60),
    ("tpl-watch-night", "值班（夜）", 20 * 60, 32 * 60),
)

SCHOOL_DAYS = (1, 2, 3, 4, 5)

#: Default requirements per post kind: (template id, minimum staff, required skills).
DEFAULT_REQUIREMENTS: dict[str, tuple[tuple[str, int, tuple[str, ...]], ...]] = {
    "intersection": (("tpl-am-peak", 2, ()), ("tpl-day", 1, ()), ("tpl-pm-peak", 2, ())),
    "peak": (("tpl-am-peak", 2, ()), ("tpl-pm-peak", 2, ())),
    "motorcycle_line": (("tpl-am-peak", 1, ("motorcycle",)), ("tpl-day", 1, ("motorcycle",)),
                        ("tpl-pm-peak", 1, ("motorcycle",))),
    "night_check": (("tpl-night", 2, ("night_check",)),),
    "police_room": (("tpl-day", 1, ()),),
    "school": (("tpl-school-am", 1, ()), ("tpl-school-pm", 1, ())),
    "patrol_area": (("tpl-am-peak", 1, ("car",)), ("tpl-day", 1, ("car",)),
                    ("tpl-pm-peak", 1, ("car",))),
    "standby": (("tpl-day", 2, ()),),
    "accident": (("tpl-watch-day", 1, ("accident",)), ("tpl-watch-night", 1, ("accident",))),
    "command_center": (("tpl-watch-day", 1, ()), ("tpl-watch-night", 1, ())),
}

#: Post kinds whose default requirements apply on school days only (周一至周五).
SCHOOL_DAY_KINDS = frozenset({"school"})

# The one definition of staffing now lives in the domain (desk.domain.duty.staffing).
STAFFING_FULL = _staffing.STAFFING_FULL
STAFFING_SHORT = _staffing.STAFFING_SHORT
STAFFING_EMPTY = _staffing.STAFFING_EMPTY


class DutyError(Exception):
    """A duty operation refused, with a Chinese message for the user."""


class ReasonRequired(DutyError):
    """The edit touches a published roster: ask the user for a reason and apply again."""

    def __init__(self, roster_ids: list[str]) -> None:
        super().__init__("该周排班已发布，修改需填写原因")
        self.roster_ids = roster_ids


class PublishRefused(DutyError):
    def __init__(self, violations: list[Violation]) -> None:
        super().__init__(f"仍有 {len(violations)} 项硬约束冲突，不能发布")
        self.violations = violations


@dataclass(frozen=True, slots=True)
class PublishResult:
    roster_id: str
    version: int
    assignments: int
    soft_penalty: int
    warnings: list[Violation] = field(default_factory=list)


#: Tables a chief edits on the board besides assignments (``DutyService.apply_config``).
CONFIG_TABLES = frozenset({"duty_unavailability", "duty_post_requirements", "duty_shift_templates",
                           "duty_levels"})


@dataclass(frozen=True, slots=True)
class ConfigChange:
    """One configuration row before and after (``None``: absent). Applying writes ``after``;
    the inverse swaps them, so undo and redo are "apply the inverse" like roster edits."""

    table: str
    row_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    label: str = "修改设置"

    def inverse(self) -> ConfigChange:
        return ConfigChange(self.table, self.row_id, self.after, self.before, self.label)


def roster_id(station_id: str, week: str) -> str:
    return f"{station_id}:{week}"


def _json_list(value: Any) -> list[Any]:
    if value in (None, ""):
        return []
    if isinstance(value, list):
        return value
    try:
        parsed = json.loads(value)
    except (TypeError, ValueError):
        return []
    return parsed if isinstance(parsed, list) else []


def assignment_from_row(row: dict[str, Any]) -> Assignment:
    return Assignment(str(row["id"]), str(row["officer_id"]), str(row["post_id"]),
                      int(row["start"]), int(row["end"]), bool(row["locked"]), row["note"] or "")


class DutyPlan:
    """One open week of one station (or all stations): the roster, its live verdict, and the edits
    applied to it. Obtain from ``DutyService.open_week``. Belongs to the thread that opened it."""

    def __init__(self, service: DutyService, week: int, station_id: str | None, roster: Roster,
                 rules_config: RuleConfig) -> None:
        self.service = service
        self.week = week
        self.station_id = station_id
        self.roster = roster
        self.checker = RosterChecker(roster, default_rules(rules_config))
        #: The rule numbers the checker judges by (勤务等级 factors, rest, span …).
        self.checker_config = rules_config

    @property
    def week_key(self) -> str:
        return week_key(self.week)

    def apply(self, edit: Edit, *, reason: str | None = None, origin: object | None = None) -> Edit:
        """Apply ``edit`` to the workspace and the roster, re-judge what it touched, and return
        its inverse. Raises ``ReasonRequired`` when it changes a published week and no reason was
        given, ``DutyError`` for an invalid edit (nothing is written then)."""
        return self.service._apply(self, edit, reason=reason, origin=origin)

    def violations(self) -> list[Violation]:
        return self.checker.violations()

    def reload(self) -> None:
        fresh = self.service._load_roster(self.week, self.station_id)
        self.roster = fresh
        self.checker = RosterChecker(fresh, self.checker.rules)


class _WriteStore:
    """The AssignmentStore that edits use inside a write transaction: database and roster together."""

    def __init__(self, tx: WriteTx, roster: Roster, service: DutyService) -> None:
        self.tx = tx
        self.roster = roster
        self.service = service
        self.changes: list[tuple[str, Assignment | None, Assignment | None]] = []

    def get(self, assignment_id: str) -> Assignment | None:
        return self.roster.get(assignment_id)

    def _row(self, a: Assignment) -> dict[str, Any]:
        post = self.roster.posts.get(a.post_id)
        if post is None:
            raise DutyError(f"岗位 {a.post_id} 不存在")
        if a.officer_id not in self.roster.officers:
            raise DutyError(f"民警 {a.officer_id} 不存在")
        if a.end <= a.start:
            raise DutyError("排班结束时间必须晚于开始时间")
        return {"id": a.id, "officer_id": a.officer_id, "post_id": a.post_id,
                "station_id": post.station_id, "week": week_key(a.start), "start": a.start,
                "end": a.end, "locked": int(a.locked), "note": a.note}

    def add(self, a: Assignment) -> None:
        if a.id in self.roster.assignments:
            raise DutyError(f"排班 {a.id} 已存在")
        self.tx.insert("duty_assignments", self._row(a))
        self.roster.add(a)
        self.changes.append(("add", None, a))

    def remove(self, assignment_id: str) -> Assignment:
        before = self.roster.get(assignment_id)
        if before is None:
            raise DutyError(f"排班 {assignment_id} 不存在或不在当前周")
        self.tx.delete("duty_assignments", assignment_id)
        self.roster.remove(assignment_id)
        self.changes.append(("remove", before, None))
        return before

    def replace(self, a: Assignment) -> Assignment:
        before = self.roster.get(a.id)
        if before is None:
            raise DutyError(f"排班 {a.id} 不存在或不在当前周")
        row = self._row(a)
        del row["id"]
        self.tx.update("duty_assignments", a.id, row)
        self.roster.replace(a)
        self.changes.append(("replace", before, a))
        return before


class DutyService:
    """Duty planning on one workspace. ``ctx.service(DutyService)``."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.ws = ctx.workspace
        cfg = ctx.settings.get("duty", {}) if isinstance(ctx.settings, dict) else {}
        self.rules_config = RuleConfig(**{k: v for k, v in cfg.items()
                                          if k in RuleConfig.__dataclass_fields__})

    @staticmethod
    def new_id() -> str:
        return f"da-{uuid.uuid4().hex[:16]}"

    # -- defaults ------------------------------------------------------------------------------

    def ensure_defaults(self) -> int:
        """Seed the default shift templates (if there are none) and default requirements for posts
        that have none, by post kind. Returns the number of rows written; idempotent."""
        db = self.ws.db
        written = 0
        has_templates = self.ws.count("duty_shift_templates") > 0
        posts = db.execute(
            "SELECT id, kind FROM duty_posts WHERE id NOT IN "
            "(SELECT DISTINCT post_id FROM duty_post_requirements)").fetchall()
        if has_templates and not posts:
            return 0
        known = {r[0] for r in db.execute("SELECT id FROM duty_shift_templates")}
        names = {r[0] for r in db.execute("SELECT name FROM duty_shift_templates")}
        stations = dict(db.execute("SELECT id, station_id FROM duty_posts").fetchall())
        extra = {t[0]: t for t in EXTRA_TEMPLATES}
        with self.ws.write(self.ctx.actor, origin=self) as tx:
            if not has_templates:
                written += tx.insert_many("duty_shift_templates", [
                    {"id": i, "name": n, "start_min": s, "end_min": e, "sort": k}
                    for k, (i, n, s, e) in enumerate(DEFAULT_TEMPLATES)])
                known |= {t[0] for t in DEFAULT_TEMPLATES}
                names |= {t[1] for t in DEFAULT_TEMPLATES}
            rows = []
            for post_id, kind in posts:
                for tpl_id, staff, skills in DEFAULT_REQUIREMENTS.get(kind, ()):
                    if tpl_id not in known and tpl_id in extra and extra[tpl_id][1] not in names:
                        _, n, s0, e0 = extra[tpl_id]
                        sort = int(db.execute("SELECT COALESCE(MAX(sort), -1) + 1 "
                                              "FROM duty_shift_templates").fetchone()[0])
                        tx.insert("duty_shift_templates", {
                            "id": tpl_id, "name": n, "start_min": s0, "end_min": e0,
                            "sort": sort})
                        written += 1
                        known.add(tpl_id)
                        names.add(n)
                    if tpl_id not in known:
                        continue
                    days = SCHOOL_DAYS if kind in SCHOOL_DAY_KINDS else range(1, 8)
                    rows.append({"id": f"req-{post_id}-{tpl_id}", "post_id": post_id,
                                 "station_id": stations.get(post_id),
                                 "template_id": tpl_id, "min_staff": staff,
                                 "skills": json.dumps(list(skills)),
                                 "weekdays": json.dumps(list(days))})
            written += tx.insert_many("duty_post_requirements", rows)
        log.info("duty defaults seeded: %d rows", written)
        return written

    # -- reading -------------------------------------------------------------------------------

    def templates(self) -> list[ShiftTemplate]:
        return [ShiftTemplate(r[0], r[1], int(r[2]), int(r[3])) for r in self.ws.db.execute(
            "SELECT id, name, start_min, end_min FROM duty_shift_templates ORDER BY sort, start_min")]

    def stations(self) -> list[tuple[str, str]]:
        return [(str(r[0]), str(r[1])) for r in self.ws.db.execute(
            "SELECT id, name FROM stations ORDER BY id")]

    def officers(self, station_id: str | None = None) -> list[DutyOfficer]:
        sql = ("SELECT o.id, o.name, o.station_id, o.skills, o.badge, o.unit_id, p.max_week_hours, "
               "p.avoid_night, p.avoid_weekdays, o.rank FROM officers o "
               "LEFT JOIN duty_officer_profiles p ON p.id = o.id")
        params: list[Any] = []
        if station_id:
            sql += " WHERE o.station_id = ?"
            params.append(station_id)
        out = []
        for r in self.ws.db.execute(sql + " ORDER BY o.station_id, o.id", params):
            out.append(DutyOfficer(
                str(r[0]), str(r[1] or r[0]), str(r[2] or ""),
                frozenset(str(s) for s in _json_list(r[3])), str(r[4] or ""),
                float(r[6]) if r[6] is not None else STANDARD_WEEK_H, bool(r[7]),
                frozenset(int(x) for x in _json_list(r[8])), r[5],
                StaffKind.AUXILIARY if str(r[9] or "").strip() == AUXILIARY_RANK
                else StaffKind.POLICE))
        return out

    def posts(self, station_id: str | None = None) -> list[DutyPost]:
        sql = "SELECT id, name, kind, station_id, road, lat, lon FROM duty_posts"
        params: list[Any] = []
        if station_id:
            sql += " WHERE station_id = ?"
            params.append(station_id)
        return [DutyPost(str(r[0]), str(r[1]), str(r[2]), str(r[3] or ""), str(r[4] or ""),
                         r[5], r[6])
                for r in self.ws.db.execute(sql + " ORDER BY station_id, kind, id", params)]

    def requirements(self, post_ids: Iterable[str] | None = None) -> list[PostRequirement]:
        out = []
        wanted = set(post_ids) if post_ids is not None else None
        for r in self.ws.db.execute(
                "SELECT id, post_id, template_id, min_staff, skills, weekdays "
                "FROM duty_post_requirements"):
            if wanted is not None and r[1] not in wanted:
                continue
            out.append(PostRequirement(
                str(r[0]), str(r[1]), str(r[2]), int(r[3]),
                frozenset(str(s) for s in _json_list(r[4])),
                frozenset(int(x) for x in _json_list(r[5])) or frozenset(range(1, 8))))
        return out

    def unavailability(self, start: int, end: int) -> list[Unavailability]:
        return [Unavailability(str(r[0]), str(r[1]), int(r[2]), int(r[3]), str(r[4] or "请假"))
                for r in self.ws.db.execute(
                    'SELECT id, officer_id, start, "end", reason FROM duty_unavailability '
                    'WHERE start < ? AND "end" > ?', [end, start])]

    def levels(self, start: int | None = None, end: int | None = None) -> list[DutyLevel]:
        """勤务等级 overlapping ``start``–``end`` (all when not given), earliest first."""
        if not self.ws.db["duty_levels"].exists():
            return []
        sql = 'SELECT id, name, grade, start, "end", station_ids FROM duty_levels'
        params: list[Any] = []
        if start is not None and end is not None:
            sql += ' WHERE start < ? AND "end" > ?'
            params = [end, start]
        return [DutyLevel(str(r[0]), str(r[1] or ""), int(r[2]), int(r[3]), int(r[4]),
                          frozenset(str(x) for x in _json_list(r[5])))
                for r in self.ws.db.execute(sql + " ORDER BY start, id", params)]

    def assignments(self, start: int, end: int, station_id: str | None = None) -> list[Assignment]:
        sql = ('SELECT id, officer_id, post_id, start, "end", locked, note FROM duty_assignments '
               'WHERE start < ? AND "end" > ?')
        params: list[Any] = [end, start]
        if station_id:
            sql += " AND station_id = ?"
            params.append(station_id)
        cols = ("id", "officer_id", "post_id", "start", "end", "locked", "note")
        return [assignment_from_row(dict(zip(cols, r, strict=True)))
                for r in self.ws.db.execute(sql, params)]

    def _load_roster(self, week: int, station_id: str | None) -> Roster:
        week = week_start(week)
        officers = self.officers(station_id)
        posts = self.posts(station_id)
        lo, hi = week - DAY_S, week + WEEK_S + DAY_S
        officer_ids = {o.id for o in officers}
        post_ids = {p.id for p in posts}
        assignments = [a for a in self.assignments(lo, hi)
                       if a.officer_id in officer_ids and a.post_id in post_ids]
        return Roster(
            officers=officers, posts=posts, templates=self.templates(),
            requirements=self.requirements(post_ids),
            unavailability=[u for u in self.unavailability(lo, hi) if u.officer_id in officer_ids],
            assignments=assignments,
            days=[week + i * DAY_S for i in range(7)],
            levels=self.levels(lo, hi))

    def open_week(self, week: int, station_id: str | None = None) -> DutyPlan:
        """The roster of the week containing ``week`` (any time in it), for one station or all."""
        return DutyPlan(self, week_start(week), station_id, self._load_roster(week, station_id),
                        self.rules_config)

    # -- writing -------------------------------------------------------------------------------

    def _affected_rosters(self, roster: Roster, edit: Edit) -> set[str]:
        ids: set[str] = set()
        for a in edit.assignments():
            values = [a]
            current = roster.get(a.id)
            if current is not None:
                values.append(current)
            for v in values:
                post = roster.posts.get(v.post_id)
                if post is not None:
                    ids.add(roster_id(post.station_id, week_key(v.start)))
        return ids

    def _apply(self, plan: DutyPlan, edit: Edit, *, reason: str | None,
               origin: object | None) -> Edit:
        roster = plan.roster
        published = [rid for rid in sorted(self._affected_rosters(roster, edit))
                     if self._state(rid) is RosterState.PUBLISHED]
        if published and not (reason and reason.strip()):
            raise ReasonRequired(published)
        try:
            with self.ws.write(self.ctx.actor, origin=origin or self) as tx:
                store = _WriteStore(tx, roster, self)
                inverse = edit.apply(store)
                if published:
                    self._record_reasons(tx, roster, store.changes, str(reason).strip())
        except DutyError:
            plan.reload()
            raise
        except (KeyError, ValueError) as exc:
            plan.reload()
            raise DutyError(f"排班修改无效：{exc}") from exc
        plan.checker.update()
        return inverse

    def _record_reasons(self, tx: WriteTx, roster: Roster,
                        changes: list[tuple[str, Assignment | None, Assignment | None]],
                        reason: str) -> None:
        now = self.ctx.clock()
        for op, before, after in changes:
            ref = after or before
            assert ref is not None
            post = roster.posts.get(ref.post_id)
            rid = roster_id(post.station_id if post else "", week_key(ref.start))
            desc = {"add": "新增", "remove": "取消", "replace": "调整"}[op]
            text = f"{desc}：{roster.officer_name(ref.officer_id)} {roster.post_name(ref.post_id)} "
            text += fmt_span(ref.start, ref.end)
            if before is not None and after is not None:
                text = (f"调整：{roster.officer_name(before.officer_id)} "
                        f"{roster.post_name(before.post_id)} {fmt_span(before.start, before.end)}"
                        f" → {roster.officer_name(after.officer_id)} "
                        f"{roster.post_name(after.post_id)} {fmt_span(after.start, after.end)}")
            officers = {ref.officer_id} | ({before.officer_id} if before else set())
            for oid in sorted(officers):
                tx.insert("duty_change_reasons", {
                    "id": f"dcr-{uuid.uuid4().hex[:16]}", "roster_id": rid,
                    "assignment_id": ref.id, "officer_id": oid, "change": text,
                    "reason": reason, "at": now, "actor": self.ctx.actor, "to_notify": 1,
                    "notified_at": None})

    # -- configuration: leave, requirements, shift templates ------------------------------------

    def _config_row(self, table: str, row_id: str) -> dict[str, Any] | None:
        cur = self.ws.db.execute(f'SELECT * FROM "{table}" WHERE id = ?', [row_id])
        row = cur.fetchone()
        if row is None:
            return None
        return {d[0]: v for d, v in zip(cur.description, row, strict=True) if d[0] != "id"}

    def _change(self, table: str, row_id: str, after: dict[str, Any] | None,
                label: str) -> ConfigChange:
        return ConfigChange(table, row_id, self._config_row(table, row_id), after, label)

    def apply_config(self, change: ConfigChange, *, origin: object | None = None) -> ConfigChange:
        """Write a configuration change (leave, requirement, template) in one transaction and
        return its inverse (undo = apply the inverse). Open plans must ``reload()`` to see it."""
        if change.table not in CONFIG_TABLES:
            raise DutyError(f"不能修改表 {change.table}")
        with self.ws.write(self.ctx.actor, origin=origin or self) as tx:
            current = self._config_row(change.table, change.row_id)
            if change.after is None:
                if current is not None:
                    tx.delete(change.table, change.row_id)
            elif current is None:
                tx.insert(change.table, {"id": change.row_id, **change.after})
            else:
                tx.update(change.table, change.row_id, dict(change.after))
        log.info("duty %s %s: %s", change.table, change.row_id, change.label)
        return change.inverse()

    def unavailability_of(self, officer_id: str | None = None) -> list[Unavailability]:
        """Leave and other unavailability, newest first (all officers when ``officer_id`` is None)."""
        sql = 'SELECT id, officer_id, start, "end", reason FROM duty_unavailability'
        params: list[Any] = []
        if officer_id:
            sql += " WHERE officer_id = ?"
            params.append(officer_id)
        return [Unavailability(str(r[0]), str(r[1]), int(r[2]), int(r[3]), str(r[4] or "请假"))
                for r in self.ws.db.execute(sql + " ORDER BY start DESC", params)]

    def unavailability_change(self, u: Unavailability) -> ConfigChange:
        """Add or change a leave span (请假/不可用). Raises ``DutyError`` for bad input."""
        row = self.ws.db.execute("SELECT station_id FROM officers WHERE id = ?",
                                 [u.officer_id]).fetchone()
        if row is None:
            raise DutyError(f"民警 {u.officer_id} 不存在")
        if u.end <= u.start:
            raise DutyError("请假结束时间必须晚于开始时间")
        if u.end - u.start > 366 * DAY_S:
            raise DutyError("请假时长不能超过一年")
        reason = u.reason.strip() or "请假"
        return self._change("duty_unavailability", u.id, {
            "officer_id": u.officer_id, "station_id": row[0], "start": int(u.start),
            "end": int(u.end),
            "reason": reason}, "请假")

    def remove_unavailability_change(self, unavailability_id: str) -> ConfigChange:
        return self._change("duty_unavailability", unavailability_id, None, "删除请假")

    def requirement_change(self, req: PostRequirement) -> ConfigChange:
        """Add or change a post's requirement for one time band (staff, skills, weekdays)."""
        post = self.ws.db.execute("SELECT station_id FROM duty_posts WHERE id = ?",
                                  [req.post_id]).fetchone()
        if post is None:
            raise DutyError(f"岗位 {req.post_id} 不存在")
        if self.ws.db.execute("SELECT 1 FROM duty_shift_templates WHERE id = ?",
                              [req.template_id]).fetchone() is None:
            raise DutyError(f"班次 {req.template_id} 不存在")
        if not 0 <= req.min_staff <= 50:
            raise DutyError("最少人数须在 0 到 50 之间")
        if not req.weekdays or not req.weekdays <= set(range(1, 8)):
            raise DutyError("请至少选择一个工作日（周一至周日）")
        dup = self.ws.db.execute(
            "SELECT id FROM duty_post_requirements WHERE post_id = ? AND template_id = ? "
            "AND id != ?", [req.post_id, req.template_id, req.id]).fetchone()
        if dup is not None:
            raise DutyError("该岗位已有此班次的需求，请直接修改")
        return self._change("duty_post_requirements", req.id, {
            "post_id": req.post_id, "station_id": post[0], "template_id": req.template_id,
            "min_staff": req.min_staff,
            "skills": json.dumps(sorted(req.skills)),
            "weekdays": json.dumps(sorted(req.weekdays))}, "岗位需求")

    def remove_requirement_change(self, requirement_id: str) -> ConfigChange:
        return self._change("duty_post_requirements", requirement_id, None, "删除岗位需求")

    @staticmethod
    def new_config_id(prefix: str) -> str:
        return f"{prefix}-{uuid.uuid4().hex[:12]}"

    def template_change(self, tpl: ShiftTemplate) -> ConfigChange:
        """Add or change a shift template (班次). ``end_min`` past 1440 runs past midnight."""
        name = tpl.name.strip()
        if not name:
            raise DutyError("班次名称不能为空")
        if not 0 <= tpl.start_min < 1440:
            raise DutyError("班次开始时间须在 00:00 到 23:59 之间")
        if not tpl.start_min < tpl.end_min <= tpl.start_min + 1440:
            raise DutyError("班次结束时间必须晚于开始时间，且不超过 24 小时")
        dup = self.ws.db.execute("SELECT id FROM duty_shift_templates WHERE name = ? AND id != ?",
                                 [name, tpl.id]).fetchone()
        if dup is not None:
            raise DutyError(f"已有名为「{name}」的班次")
        before = self._config_row("duty_shift_templates", tpl.id)
        sort = int(before["sort"]) if before and before.get("sort") is not None else \
            int(self.ws.db.execute("SELECT COALESCE(MAX(sort), -1) + 1 FROM duty_shift_templates")
                .fetchone()[0])
        return self._change("duty_shift_templates", tpl.id, {
            "name": name, "start_min": tpl.start_min, "end_min": tpl.end_min, "sort": sort},
            "班次模板")

    def remove_template_change(self, template_id: str) -> ConfigChange:
        used = self.ws.db.execute("SELECT COUNT(*) FROM duty_post_requirements WHERE template_id = ?",
                                  [template_id]).fetchone()[0]
        if used:
            raise DutyError(f"该班次仍被 {used} 条岗位需求使用，请先删除或改用其他班次")
        return self._change("duty_shift_templates", template_id, None, "删除班次模板")

    def level_change(self, level: DutyLevel, note: str = "") -> ConfigChange:
        """Declare or change a 勤务等级 (一级/二级/三级) for a period and area (stations; none = all).
        Raises ``DutyError`` for bad input."""
        name = level.name.strip()
        if not name:
            raise DutyError("请填写勤务等级的任务名称（如：某某活动安保）")
        if level.grade not in (1, 2, 3):
            raise DutyError("勤务等级须为一级、二级或三级")
        if level.end <= level.start:
            raise DutyError("勤务等级的结束时间必须晚于开始时间")
        if level.end - level.start > 31 * DAY_S:
            raise DutyError("勤务等级一次最长 31 天，请分段设置")
        known = {str(r[0]) for r in self.ws.db.execute("SELECT id FROM stations")}
        unknown = sorted(set(level.station_ids) - known)
        if unknown:
            raise DutyError(f"单位不存在：{'、'.join(unknown)}")
        return self._change("duty_levels", level.id, {
            "name": name, "grade": int(level.grade), "start": int(level.start),
            "end": int(level.end), "station_ids": json.dumps(sorted(level.station_ids)),
            "note": note}, "勤务等级")

    def remove_level_change(self, level_id: str) -> ConfigChange:
        return self._change("duty_levels", level_id, None, "取消勤务等级")

    # -- publishing ----------------------------------------------------------------------------

    def _state(self, rid: str) -> RosterState:
        row = self.ws.db.execute("SELECT state FROM duty_rosters WHERE id = ?", [rid]).fetchone()
        return RosterState(row[0]) if row else RosterState.DRAFT

    def roster_state(self, station_id: str, week: int | str) -> RosterState:
        key = week if isinstance(week, str) else week_key(week)
        return self._state(roster_id(station_id, key))

    def publish(self, station_id: str, week: int) -> PublishResult:
        """Re-check the station's week from the workspace and publish it. Raises
        ``PublishRefused`` with the hard violations when any remain."""
        week = week_start(week)
        plan = self.open_week(week, station_id)
        violations = plan.checker.violations()
        hard = [v for v in violations if v.is_hard
                and v.start is not None and week <= v.start < week + WEEK_S]
        if hard:
            raise PublishRefused(hard)
        key = week_key(week)
        rid = roster_id(station_id, key)
        in_week = sorted((a for a in plan.roster.assignments.values()
                          if week <= a.start < week + WEEK_S), key=lambda a: (a.start, a.id))
        snapshot = [[a.id, a.officer_id, a.post_id, a.start, a.end] for a in in_week]
        soft = sum(v.penalty for v in violations if not v.is_hard)
        now = self.ctx.clock()
        row = self.ws.db.execute("SELECT version FROM duty_rosters WHERE id = ?", [rid]).fetchone()
        version = (int(row[0]) if row else 0) + 1
        with self.ws.write(self.ctx.actor, origin=self) as tx:
            values = {"station_id": station_id, "week": key, "state": RosterState.PUBLISHED.value,
                      "published_at": now, "published_by": self.ctx.actor, "version": version}
            if row:
                tx.update("duty_rosters", rid, values)
            else:
                tx.insert("duty_rosters", {"id": rid, **values})
            tx.insert("duty_publish_log", {
                "id": f"dpl-{uuid.uuid4().hex[:16]}", "roster_id": rid, "at": now,
                "actor": self.ctx.actor, "version": version, "assignments": len(in_week),
                "soft_penalty": soft, "snapshot": json.dumps(snapshot)})
        log.info("duty roster %s published v%d (%d assignments)", rid, version, len(in_week))
        return PublishResult(rid, version, len(in_week), soft,
                             [v for v in violations if not v.is_hard])

    def to_notify(self) -> list[dict[str, Any]]:
        """Changes after publishing whose officer has not been told yet (待通知)."""
        cols = ("id", "roster_id", "assignment_id", "officer_id", "change", "reason", "at", "actor")
        return [dict(zip(cols, r, strict=True)) for r in self.ws.db.execute(
            "SELECT id, roster_id, assignment_id, officer_id, change, reason, at, actor "
            "FROM duty_change_reasons WHERE to_notify = 1 ORDER BY at")]

    def mark_notified(self, reason_ids: Iterable[str]) -> None:
        now = self.ctx.clock()
        with self.ws.write(self.ctx.actor, origin=self) as tx:
            for rid in reason_ids:
                tx.update("duty_change_reasons", rid, {"to_notify": 0, "notified_at": now})

    # -- helpers for edits ---------------------------------------------------------------------

    def copy_week_edit(self, plan: DutyPlan) -> EditBatch:
        """An edit that copies last week's assignments of the plan's posts into the plan's week
        (one undo step). Assignments that already exist (same officer, post, time) are skipped."""
        prev = self.assignments(plan.week - WEEK_S, plan.week, plan.station_id)
        existing = {(a.officer_id, a.post_id, a.start) for a in plan.roster.assignments.values()}
        edits: list[Edit] = []
        for a in prev:
            if a.start < plan.week - WEEK_S or a.post_id not in plan.roster.posts:
                continue
            if a.officer_id not in plan.roster.officers:
                continue
            key = (a.officer_id, a.post_id, a.start + WEEK_S)
            if key in existing:
                continue
            edits.append(AddAssignment(Assignment(self.new_id(), a.officer_id, a.post_id,
                                                  a.start + WEEK_S, a.end + WEEK_S, a.locked,
                                                  a.note)))
        return EditBatch(tuple(edits), label="复制上周")

    @staticmethod
    def remove_edit(a: Assignment) -> RemoveAssignment:
        return RemoveAssignment(a)

    @staticmethod
    def lock_edit(a: Assignment, locked: bool) -> ReplaceAssignment:
        return ReplaceAssignment(Assignment(a.id, a.officer_id, a.post_id, a.start, a.end, locked,
                                            a.note), label="锁定" if locked else "解锁")

    # -- the map's view ------------------------------------------------------------------------

    def post_staffing(self, at: float | None = None) -> dict[str, _staffing.PostStaffing]:
        """Need and have of every post that needs someone at ``at`` or has someone then (the one
        definition: ``desk.domain.duty.staffing.post_staffing``, with 勤务等级 applied)."""
        t = int(self.ctx.clock() if at is None else at)
        templates = {tp.id: tp for tp in self.templates()}
        running = self.assignments(t, t + 1)
        stations = dict(self.ws.db.execute("SELECT id, station_id FROM duty_posts").fetchall())
        return _staffing.post_staffing(
            t, templates=templates, requirements=self.requirements(), assignments=running,
            post_stations=stations, levels=self.levels(t - DAY_S, t + DAY_S),
            level_factors=self.rules_config.level_staff_factors)

    def staffing_now(self, at: float | None = None) -> dict[str, str]:
        """How well each post is staffed at ``at`` (default: now), for the map's colours and the
        watchdog: ``"full"`` (满岗), ``"short"`` (缺员), ``"empty"`` (空岗). Posts that need nobody
        now and have nobody are left out (draw them neutral)."""
        return _staffing.staffing_states(self.post_staffing(at))

    def officer_assignments(self, officer_id: str, start: int, end: int) -> list[Assignment]:
        """Where an officer is assigned between ``start`` and ``end`` (map: select an officer)."""
        return sorted((a for a in self.assignments(start, end) if a.officer_id == officer_id),
                      key=lambda a: a.start)

    def active_assignments(self, at: float) -> list[Assignment]:
        return self.assignments(int(at), int(at) + 1)
