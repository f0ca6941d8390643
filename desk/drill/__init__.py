"""Drill mode (演练): scenario files, an isolated drill workspace, a pausable drill clock, injects
fired through the normal feed, trainee action logging, scoring and the after-action report.

No Qt here; the controls live in ``desk.ui.drill``. Format and design: resources/docs/drill.md.
"""

from desk.drill.actions import DrillAction, DrillActionError, DrillActionLog
from desk.drill.clock import SPEEDS, DrillClock, format_drill_time
from desk.drill.runner import DrillFeed, DrillScheduler, Fired, inject_batch
from desk.drill.scenario import (
    ACTION_KINDS,
    INJECT_KINDS,
    ExpectedAction,
    Inject,
    Scenario,
    ScenarioError,
    ScenarioIssue,
    load_scenario,
    parse_scenario,
    resolve_scenario,
)
from desk.drill.scoring import Outcome, ScoreResult, score_drill
from desk.drill.session import DrillSession
from desk.drill.workspace import create_drill_workspace, is_drill_workspace

__all__ = [
    "ACTION_KINDS",
    "INJECT_KINDS",
    "SPEEDS",
    "DrillAction",
    "DrillActionError",
    "DrillActionLog",
    "DrillClock",
    "DrillFeed",
    "DrillScheduler",
    "DrillSession",
    "ExpectedAction",
    "Fired",
    "Inject",
    "Outcome",
    "Scenario",
    "ScenarioError",
    "ScenarioIssue",
    "ScoreResult",
    "create_drill_workspace",
    "format_drill_time",
    "inject_batch",
    "is_drill_workspace",
    "load_scenario",
    "parse_scenario",
    "resolve_scenario",
    "score_drill",
]
