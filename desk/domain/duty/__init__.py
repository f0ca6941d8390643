"""勤务 (duty planning): officers, posts, shift templates, assignments, the rules that judge a roster,
and the small undoable edits that change it. Pure Python; no Qt, no database."""

from __future__ import annotations

from desk.domain.duty.edits import (
    AddAssignment,
    Edit,
    EditBatch,
    RemoveAssignment,
    ReplaceAssignment,
)
from desk.domain.duty.model import (
    CST,
    Assignment,
    DutyOfficer,
    DutyPost,
    PostRequirement,
    RosterState,
    ShiftTemplate,
    Skill,
    Unavailability,
    day_start,
    week_start,
)
from desk.domain.duty.roster import Roster
from desk.domain.duty.rules import (
    RosterChecker,
    RuleConfig,
    Severity,
    Violation,
    default_rules,
)

__all__ = [
    "CST",
    "AddAssignment",
    "Assignment",
    "DutyOfficer",
    "DutyPost",
    "Edit",
    "EditBatch",
    "PostRequirement",
    "RemoveAssignment",
    "ReplaceAssignment",
    "Roster",
    "RosterChecker",
    "RosterState",
    "RuleConfig",
    "Severity",
    "ShiftTemplate",
    "Skill",
    "Unavailability",
    "Violation",
    "day_start",
    "default_rules",
    "week_start",
]
