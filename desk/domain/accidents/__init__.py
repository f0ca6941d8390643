"""Minor-accident quick handling (轻微事故快处): cases, parties, states, liability, eligibility and
the validators for what parties tell us. Pure Python, no Qt."""

from __future__ import annotations

from desk.domain.accidents.case import (
    COLLISION_POINTS,
    REQUIRED_PHOTOS,
    VEHICLE_TYPES,
    WEATHER,
    AccidentCase,
    AccidentType,
    EvidenceKind,
    Party,
    decision_blockers,
    party_title,
    settlement_blockers,
    suggest_liability,
)
from desk.domain.accidents.eligibility import (
    RULES,
    EligibilityResult,
    EligibilityRule,
    all_allowing,
    check_eligibility,
)
from desk.domain.accidents.liability import (
    LiabilityLevel,
    LiabilitySuggestion,
    combination_problems,
    is_valid_combination,
)
from desk.domain.accidents.queue import QueueEntry, Targets, Urgency, filter_sort, format_wait
from desk.domain.accidents.states import (
    QUICK_HANDLED,
    REASON_REQUIRED,
    TRANSITIONS,
    CaseState,
    IllegalTransitionError,
    can_transition,
    check_transition,
)
from desk.domain.accidents.validators import (
    id_check_digit,
    normalize_id,
    normalize_phone,
    normalize_plate,
    phone_problem,
    plate_kind,
    plate_problem,
    resident_id_problem,
)

__all__ = [
    "COLLISION_POINTS", "QUICK_HANDLED", "REASON_REQUIRED", "REQUIRED_PHOTOS", "RULES",
    "TRANSITIONS", "VEHICLE_TYPES", "WEATHER", "AccidentCase", "AccidentType", "CaseState",
    "EligibilityResult", "EligibilityRule", "EvidenceKind", "IllegalTransitionError",
    "LiabilityLevel",
    "LiabilitySuggestion", "Party", "QueueEntry", "Targets", "Urgency", "all_allowing",
    "can_transition", "check_eligibility", "check_transition", "combination_problems",
    "decision_blockers", "filter_sort", "format_wait", "id_check_digit", "is_valid_combination",
    "normalize_id", "normalize_phone", "normalize_plate", "party_title", "phone_problem",
    "plate_kind", "plate_problem", "resident_id_problem", "settlement_blockers",
    "suggest_liability",
]
