"""The sync contract: every workspace table is either synced with desk-central (and each of its
columns declared operational, descriptive or local) or local-only with the reason why.

A *descriptive* field (a name, a road, a narrative) merges field by field: on a stale edit the
later hybrid-logical-clock stamp wins, and the value it overwrote is kept in the conflict history
(冲突记录) so a person can restore it. An *operational* field (a unit's status, a duty assignment,
an accident case's state) is never merged silently: when two workstations changed it differently
the later one goes to the conflict list (冲突列表) and a person picks a side.

An *atomic* entity (an accident case, a roster) changes state as one unit: an op that moves its
state carries the times and reasons the state implies, and when any operational field of it
conflicts, none of the op is applied. Rows written with that state change (its state-log row, the
incident it creates) are *bound* to it (:class:`Bound`) and are held, applied and resolved with it.

Telemetry-like columns (a unit's last fix) are *local*: positions reach every workstation through
the live stream and would otherwise flood the outbox.

:func:`check_rules` compares this contract with a workspace: a table or column that is neither
declared nor local, or a rule naming a table or column that does not exist, is an error — never
skipped. ``tests/sync/test_rules.py`` runs it on a fresh workspace.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

ALL = "*"

#: ``EntityRule.scope`` values besides a column name.
SCOPE_NONE = None
SCOPE_SHARED = "shared"


class SyncRulesError(RuntimeError):
    """The sync contract and the workspace disagree (a table or column nobody declared)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("同步规则与工作区不一致：" + "；".join(problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class Bound:
    """Rows of ``entity`` inserted with a state change of their parent travel with it.

    ``parent_field`` is the child's column holding the parent's id; ``matches(parent_patch,
    child_record)`` tells whether the nearest preceding state op on that parent is the one this
    row was written with (the state-log row names the same state; the incident is the one the
    case's ``incident_id`` points to).
    """

    parent: str
    parent_field: str
    matches: Callable[[Mapping[str, Any], Mapping[str, Any]], bool]


@dataclass(frozen=True, slots=True)
class EntityRule:
    """How one table syncs.

    ``scope`` says which station (中队/大队) owns a record, for the station-chief role: a column
    name of this table; ``"id"`` when the record *is* a station; ``via`` = (column, parent entity)
    when the station is the parent record's ``station_id`` (a leave row belongs to its officer's
    station); :data:`SCOPE_SHARED` for city-wide configuration every station chief edits (shift
    templates); ``None`` when no station owns it (only dispatchers and admins write it).
    """

    entity: str
    operational: frozenset[str] = field(default_factory=frozenset)
    descriptive: frozenset[str] = field(default_factory=frozenset)
    local_only: frozenset[str] = field(default_factory=frozenset)
    local_reason: str = ""
    scope: str | None = "station_id"
    via: tuple[str, str] | None = None
    pk: str = "id"
    atomic: bool = False
    state_field: str | None = None
    bound: Bound | None = None
    append_only: bool = False
    #: Columns every change row of this entity carries even when unchanged, so a reader of the
    #: feed can scope an update (its station, its parent case) without the whole record.
    context: frozenset[str] = field(default_factory=frozenset)

    @property
    def station_field(self) -> str | None:
        """The column the central's station check reads (``None``: no station owns it)."""
        return self.scope if self.scope != SCOPE_SHARED else None

    def is_operational(self, name: str) -> bool:
        return ALL in self.operational or name in self.operational

    def context_fields(self) -> frozenset[str]:
        """The columns an update row keeps besides what changed (see ``context``)."""
        out = set(self.context)
        if self.scope not in (None, SCOPE_SHARED, self.pk):
            out.add(self.scope)
        if self.via is not None and self.via[0] != self.pk:
            out.add(self.via[0])
        if self.bound is not None:
            out.add(self.bound.parent_field)
        return frozenset(out)

    def columns(self) -> frozenset[str]:
        """Every column this rule declares (operational ``*`` is expanded by the caller)."""
        return (self.operational - {ALL}) | self.descriptive | self.local_only | {self.pk}


def _cols(*names: str) -> frozenset[str]:
    return frozenset(names)


def _same_state(parent: Mapping[str, Any], child: Mapping[str, Any]) -> bool:
    return "state" in parent and parent.get("state") == child.get("state")


def _is_its_incident(parent: Mapping[str, Any], child: Mapping[str, Any]) -> bool:
    return parent.get("incident_id") is not None and parent.get("incident_id") == child.get("id")


def _claims_pushed(parent: Mapping[str, Any], child: Mapping[str, Any]) -> bool:
    return parent.get("state") == "claim_pushed"


_UNIT_TELEMETRY = _cols("lat", "lon", "heading", "speed_kmh", "fix_at", "online")

SYNC_RULES: dict[str, EntityRule] = {
    r.entity: r
    for r in (
        # -- the city ----------------------------------------------------------------------------
        EntityRule("stations", descriptive=_cols("name", "kind", "parent_id", "district", "lat",
                                                 "lon"), scope="id"),
        EntityRule("officers", operational=_cols("unit_id", "on_duty"),
                   descriptive=_cols("name", "badge", "station_id", "rank", "skills", "phone")),
        EntityRule("units", operational=_cols("status"),
                   descriptive=_cols("call_sign", "kind", "station_id", "device_id"),
                   local_only=_UNIT_TELEMETRY,
                   local_reason="位置与在线状态经实时流到达每个席位，不走同步"),
        EntityRule("cameras", descriptive=_cols("name", "road", "district", "lat", "lon",
                                                "stream_url"),
                   local_only=_cols("online"), local_reason="在线状态由各席位自己探测",
                   scope=None),
        EntityRule("water_points", descriptive=_cols("name", "kind", "road", "district", "lat",
                                                     "lon", "caution_cm", "warning_cm",
                                                     "close_cm"), scope=None),
        EntityRule("responsible_people", descriptive=_cols("point_id", "name", "role", "phone",
                                                           "call_order"), scope=None),
        EntityRule("duty_posts", descriptive=_cols("name", "kind", "station_id", "road", "lat",
                                                   "lon")),
        EntityRule("police_rooms", descriptive=_cols("name", "district", "lat", "lon"),
                   scope=None),
        # A closure is one operational fact for the whole city: closing and reopening conflict.
        EntityRule("road_closures", operational=_cols("closed_at", "reopened_at"),
                   descriptive=_cols("point_id", "reason", "closed_by", "reopened_by"),
                   scope=None),
        # 快反圈 plans: the owning station's chief edits them (desk.services.quick_response).
        EntityRule("qr_circles", descriptive=_cols("name", "kind", "station_id", "lat", "lon",
                                                   "radius_m", "note", "updated_at", "updated_by")),
        EntityRule("qr_forces", descriptive=_cols("circle_id", "tier_min", "force", "unit_id",
                                                  "station_id", "note")),
        # -- duty planning -----------------------------------------------------------------------
        # Every field of an assignment is operational: who stands where when is for a person.
        EntityRule("duty_assignments", operational=_cols("officer_id", "post_id", "station_id",
                                                         "week", "start", "end", "locked",
                                                         "note")),
        # Draft → published travels too: two desks publishing different versions of one station's
        # week is a conflict for a person, never a silent merge.
        EntityRule("duty_rosters", operational=_cols("state", "version", "published_at",
                                                     "published_by"),
                   descriptive=_cols("station_id", "week"), atomic=True, state_field="state"),
        EntityRule("duty_change_reasons", operational=_cols("to_notify", "notified_at"),
                   descriptive=_cols("roster_id", "assignment_id", "officer_id", "change",
                                     "reason", "at", "actor"),
                   scope=None, via=("roster_id", "duty_rosters")),
        # Shift templates are the city's one set of bands (早高峰, 夜查 …) that every station plans
        # with; they have no station column, so every station chief may edit them (audited).
        EntityRule("duty_shift_templates", descriptive=_cols("name", "start_min", "end_min",
                                                             "sort"), scope=SCOPE_SHARED),
        EntityRule("duty_post_requirements", descriptive=_cols("post_id", "template_id",
                                                               "min_staff", "skills", "weekdays",
                                                               "station_id")),
        # 请假 and other unavailability: the officer's station chief edits it.
        EntityRule("duty_unavailability", descriptive=_cols("officer_id", "start", "end",
                                                            "reason", "station_id")),
        EntityRule("duty_checkpoints", descriptive=_cols("post_id", "station_id", "seq", "name",
                                                         "lat", "lon", "radius_m")),
        # 勤务等级 spans stations (station_ids is a list): set by the city, not a station chief.
        EntityRule("duty_levels", operational=_cols("grade", "start", "end"),
                   descriptive=_cols("name", "station_ids", "note"), scope=None),
        EntityRule("duty_officer_profiles", descriptive=_cols("max_week_hours", "avoid_night",
                                                              "avoid_weekdays"),
                   scope=None, via=("id", "officers")),
        # -- 轻微事故快处 -------------------------------------------------------------------------
        # The case's state with the times, officer and reasons it implies is one atomic unit:
        # two desks moving one case differently is for a person to settle, and nothing of the
        # losing move is applied. Facts and narrative merge. No station owns a case.
        EntityRule(
            "accident_cases",
            operational=_cols("state", "accepted_at", "decided_at", "closed_at", "incident_id",
                              "officer", "officer_badge", "doc_no",
                              "liability_override_reason"),
            descriptive=_cols("case_no", "case_key", "lat", "lon", "place", "weather",
                              "accident_type", "collision_points", "narrative", "eligibility",
                              "source", "reported_at", "updated_at", "occurred_at",
                              "collision_form", "mediation_requested", "mediation_result",
                              "issuing_unit"),
            scope=None, atomic=True, state_field="state",
        ),
        EntityRule("accident_parties", operational=_cols("liability", "fault"),
                   descriptive=_cols("case_id", "seq", "name", "id_number", "phone",
                                     "vehicle_type", "plate", "insurer", "policy_no",
                                     "initiator", "confirm_method", "confirmed_at",
                                     "confirmed_by", "legal_basis", "licence_no", "licence_type",
                                     "permitted_class", "signature_refused", "vehicle_use"),
                   scope=None, context=_cols("case_id")),
        # Append-only history, written with the state change it records.
        EntityRule("accident_state_log", descriptive=_cols("case_id", "state", "at", "actor",
                                                           "reason"),
                   scope=None, append_only=True,
                   bound=Bound("accident_cases", "case_id", _same_state)),
        # 一般程序: the incident a case becomes; units are sent to it from any desk.
        EntityRule("accident_incidents", operational=_cols("status"),
                   descriptive=_cols("case_id", "lat", "lon", "place", "reasons", "created_at",
                                     "created_by", "procedure"),
                   scope=None, bound=Bound("accident_cases", "case_id", _is_its_incident)),
        # The insurer hand-off: the insurer's answer (status) is operational.
        EntityRule("accident_insurance_queue", operational=_cols("status"),
                   descriptive=_cols("case_id", "party_id", "insurer", "policy_no", "queued_at",
                                     "updated_at", "attempts", "last_error", "ack_reason",
                                     "acked_at", "acked_by", "insurer_claim_no"),
                   scope=None, bound=Bound("accident_cases", "case_id", _claims_pushed)),
    )
}

#: Tables that never sync, each with the reason (shown in docs and by the rules test).
LOCAL_TABLES: dict[str, str] = {
    "meta": "工作区自身的设置（演练标记、种子等）",
    "change_log": "本地变更日志：同步发件箱由它生成",
    "_sqlite_migrations": "本工作区的迁移记录",
    "sqlite_sequence": "SQLite 内部表",
    "sync_state": "同步自身的状态（游标、纪元、节点号）",
    "sync_outbox": "同步发件箱",
    "sync_records": "每条记录在中心的版本号",
    "sync_rejected": "被中心拒绝的操作，留给本席位的人查看",
    "sync_conflicts": "本席位待处理与已处理的冲突",
    "sensor_readings": "遥测只追加、从不冲突，经实时流到达每个席位",
    "sensor_readings_hourly": "由本地遥测汇总而来",
    "water_point_state": "由本地遥测判定的积水状态（含回差），每个席位自己计算",
    "rain_district_assessment": "由本地雨量遥测做出的内部研判，每个席位自己计算",
    "duty_publish_log": "发布快照（每个排班一行）可超过同步记录的字段上限；发布状态与版本经 "
                        "duty_rosters 同步",
    "unit_status_log": "本席位看到的警力状态变化记录；状态本身经 units.status 同步",
    "dispatches": "本席位发出的派警记录；警力的出警状态经 units.status 同步",
    "alerts": "告警由每个席位从自己收到的数据流产生（各席位去重），同步会让每条告警重复",
    "alert_events": "本席位告警的处置记录，随本地告警",
    "rain_signals": "暴雨预警信号由每个席位从官方信号源接收",
    "rain_checklist_items": "随本地的暴雨预警信号",
    "water_notifications": "本席位拨打责任人电话的记录",
    "accident_evidence": "证据文件按内容存放在工作区旁，不随同步传输；只同步这些行会指向不存在的文件",
    "accident_documents": "文书 PDF 存放在工作区旁，不随同步传输；各席位可按案件重新生成",
    "drill_runs": "演练在自己的工作区副本里进行，评分只读这个副本",
    "drill_injects_fired": "随本地演练",
    "drill_actions": "随本地演练",
    "drill_lessons": "随本地演练",
    "operator_shifts": "本席位自己的上岗与交接班记录；发往中心的每个操作都带着操作员",
}


def rule_for(entity: str) -> EntityRule | None:
    """The sync rule of ``entity``, or ``None`` when the table does not sync."""
    return SYNC_RULES.get(entity)


def synced_patch(rule: EntityRule, patch: dict[str, object] | None) -> dict[str, object] | None:
    """``patch`` without local-only fields (``None`` stays ``None``: a delete)."""
    if patch is None:
        return None
    return {k: v for k, v in patch.items() if k not in rule.local_only}


def bound_children(parent: str) -> list[EntityRule]:
    """Rules of the rows bound to a state change of ``parent``."""
    return [r for r in SYNC_RULES.values() if r.bound is not None and r.bound.parent == parent]


def rule_problems(tables: Mapping[str, Iterable[str]]) -> list[str]:
    """Where the contract and a schema (table → columns) disagree, as readable lines."""
    problems: list[str] = []
    for name, cols in sorted(tables.items()):
        columns = set(cols)
        rule = SYNC_RULES.get(name)
        if rule is None:
            if name not in LOCAL_TABLES:
                problems.append(f"表 {name} 既未声明同步也未声明仅本地")
            continue
        if name in LOCAL_TABLES:
            problems.append(f"表 {name} 同时声明为同步和仅本地")
        declared = rule.columns()
        for col in sorted(columns - declared):
            if not rule.is_operational(col):
                problems.append(f"{name}.{col} 未声明为操作、描述或本地字段")
        for col in sorted(declared - columns):
            problems.append(f"同步规则中的 {name}.{col} 在工作区中不存在")
        if rule.local_only and not rule.local_reason:
            problems.append(f"{name} 的本地字段缺少原因")
        if rule.scope not in (None, SCOPE_SHARED) and rule.scope not in columns:
            problems.append(f"{name} 的中队字段 {rule.scope} 不存在")
        if rule.via is not None:
            via_field, parent = rule.via
            if via_field not in columns:
                problems.append(f"{name} 的归属字段 {via_field} 不存在")
            if parent not in SYNC_RULES:
                problems.append(f"{name} 的归属表 {parent} 不同步")
        if rule.bound is not None:
            if rule.bound.parent not in tables or rule.bound.parent not in SYNC_RULES:
                problems.append(f"{name} 绑定的表 {rule.bound.parent} 不存在或不同步")
            if rule.bound.parent_field not in columns:
                problems.append(f"{name} 的绑定字段 {rule.bound.parent_field} 不存在")
        for col in sorted(rule.context - columns):
            problems.append(f"{name} 的上下文字段 {col} 不存在")
        if rule.state_field is not None and rule.state_field not in columns:
            problems.append(f"{name} 的状态字段 {rule.state_field} 不存在")
        overlap = (rule.operational & rule.descriptive) | (
            (rule.operational | rule.descriptive) & rule.local_only)
        for col in sorted(overlap - {ALL}):
            problems.append(f"{name}.{col} 声明了不止一种")
    for name in sorted(set(SYNC_RULES) - set(tables)):
        problems.append(f"同步规则中的表 {name} 在工作区中不存在")
    for name in sorted(set(LOCAL_TABLES) - set(tables)):
        problems.append(f"仅本地声明中的表 {name} 在工作区中不存在")
    return problems


def workspace_tables(db: Any) -> dict[str, list[str]]:
    """Table → columns of a SQLite database (a ``sqlite_utils.Database`` or connection)."""
    names = [r[0] for r in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    return {n: [r[1] for r in db.execute(f'PRAGMA table_info("{n}")')] for n in names}


def check_rules(db: Any) -> None:
    """Raise :class:`SyncRulesError` when the contract and the workspace ``db`` disagree."""
    problems = rule_problems(workspace_tables(db))
    if problems:
        raise SyncRulesError(problems)
