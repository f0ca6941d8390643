"""Which entities sync with desk-central, and which of their fields are operational or descriptive.

A *descriptive* field (a name, a road, a description) merges field by field: on a stale edit the
later hybrid-logical-clock stamp wins. An *operational* field (a unit's status, a duty assignment,
an accident case's state) is never merged silently: when two workstations changed it differently
the later one goes to the conflict list (冲突列表) and a person picks a side.

Telemetry-like columns (a unit's last fix) are *local*: they never travel as ops, because positions
reach every workstation through the live stream and would otherwise flood the outbox.
Tables of other features are declared by name; a table missing from a workspace is simply skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ALL = "*"


@dataclass(frozen=True, slots=True)
class EntityRule:
    """How one table syncs. ``operational`` may be ``{"*"}`` (every field is operational).

    ``station_field`` names the column that scopes a record to a station (中队/大队) for the
    station-chief role; ``"id"`` means the record *is* a station; ``None`` means no station owns it
    (only dispatchers and admins may write it).
    """

    entity: str
    operational: frozenset[str] = field(default_factory=frozenset)
    local_only: frozenset[str] = field(default_factory=frozenset)
    station_field: str | None = "station_id"
    pk: str = "id"

    def is_operational(self, name: str) -> bool:
        return ALL in self.operational or name in self.operational


_UNIT_TELEMETRY = frozenset({"lat", "lon", "heading", "speed_kmh", "fix_at", "online"})

SYNC_RULES: dict[str, EntityRule] = {
    r.entity: r
    for r in (
        EntityRule("stations", station_field="id"),
        EntityRule("officers", operational=frozenset({"unit_id", "on_duty"})),
        EntityRule("units", operational=frozenset({"status"}), local_only=_UNIT_TELEMETRY),
        EntityRule("cameras", local_only=frozenset({"online"}), station_field=None),
        EntityRule("water_points", station_field=None),
        EntityRule("duty_posts"),
        EntityRule("police_rooms", station_field=None),
        # Other features' tables, declared by name (their schemas are theirs).
        EntityRule("duty_assignments", operational=frozenset({ALL})),
        EntityRule("duty_shifts", operational=frozenset({ALL})),
        # Draft → published travels too: two desks publishing different versions of one station's
        # week is a conflict for a person, never a silent merge.
        EntityRule("duty_rosters", operational=frozenset({"state", "version", "published_at",
                                                          "published_by"})),
        # 轻微事故快处: the case's state and the liability decision are operational (two desks
        # moving one case, or deciding it differently, is for a person to settle); facts,
        # narrative and times merge. No station owns a case: dispatchers and admins write them.
        EntityRule(
            "accident_cases",
            operational=frozenset({"state", "status", "liability", "assigned_unit_id",
                                   "incident_id", "liability_override_reason"}),
            station_field=None,
        ),
        EntityRule("accident_parties", operational=frozenset({"liability"}), station_field=None),
        # Append-only history: rows are inserted once and never edited, nothing to conflict on.
        EntityRule("accident_state_log", station_field=None),
        # The insurer hand-off: the insurer's answer (status) is operational, so a desk changing
        # it by hand at the same time goes to the conflict list instead of silently losing.
        EntityRule("accident_insurance_queue", operational=frozenset({"status"}),
                   station_field=None),
        EntityRule("incidents", operational=frozenset({"state", "status", "assigned_unit_id"})),
    )
}


def rule_for(entity: str) -> EntityRule | None:
    """The sync rule of ``entity``, or ``None`` when the table does not sync."""
    return SYNC_RULES.get(entity)


def synced_patch(rule: EntityRule, patch: dict[str, object] | None) -> dict[str, object] | None:
    """``patch`` without local-only fields (``None`` stays ``None``: a delete)."""
    if patch is None:
        return None
    return {k: v for k, v in patch.items() if k not in rule.local_only}
