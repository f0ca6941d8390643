"""The scoring engine (评分): matches trainee actions to a scenario's expected actions.

Each expected action is judged against the drill time its inject actually fired:
- met (按时): ``count`` matching actions by ``fired + within``, full weight;
- late (超时): the ``count``-th matching action came after the deadline, ``late_credit`` × weight,
  and the report says by how much;
- missed (未完成): not enough matching actions before the drill ended, no points;
- not fired (未触发): the drill ended before the inject fired; left out of the total.

An action matches when its kind is the expected kind, it happened at or after the inject fired,
and its target is the expected target (any target when none is expected) — or its data names the
inject (``inject_id``). Each action answers at most one expectation: targeted expectations are
served first, then untargeted ones, each in deadline order, so "accept within 1 minute" for two
accidents needs two acceptances.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from desk.drill.actions import DrillAction
from desk.drill.scenario import ExpectedAction, Inject, Scenario


class Outcome(StrEnum):
    MET = "met"
    LATE = "late"
    MISSED = "missed"
    NOT_FIRED = "not_fired"

    @property
    def label(self) -> str:
        return _OUTCOME_LABELS[self]


_OUTCOME_LABELS = {
    Outcome.MET: "按时完成",
    Outcome.LATE: "超时完成",
    Outcome.MISSED: "未完成",
    Outcome.NOT_FIRED: "未触发",
}


@dataclass(frozen=True, slots=True)
class ExpectationResult:
    inject: Inject
    expected: ExpectedAction
    outcome: Outcome
    fired_s: float | None
    deadline_s: float | None
    done_s: float | None  # drill time of the action that completed it
    points: float
    action_ids: tuple[str, ...] = ()

    @property
    def response_s(self) -> float | None:
        """Drill seconds from the inject firing to completion."""
        if self.done_s is None or self.fired_s is None:
            return None
        return self.done_s - self.fired_s

    @property
    def late_by_s(self) -> float:
        if self.outcome is not Outcome.LATE or self.done_s is None or self.deadline_s is None:
            return 0.0
        return self.done_s - self.deadline_s


@dataclass(frozen=True, slots=True)
class ScoreResult:
    results: tuple[ExpectationResult, ...]
    total_weight: float
    points: float
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def score(self) -> float:
        """0–100; 100 when nothing was expected."""
        return 100.0 if self.total_weight <= 0 else 100.0 * self.points / self.total_weight


def _matches(action: DrillAction, inject: Inject, expected: ExpectedAction) -> bool:
    if action.kind != expected.action:
        return False
    if action.data.get("inject_id") == inject.id:
        return True
    return expected.target is None or action.target == expected.target


def score_drill(
    scenario: Scenario,
    fired: Mapping[str, float],
    actions: Iterable[DrillAction],
    *,
    late_credit: float | None = None,
) -> ScoreResult:
    """Score a run. ``fired`` maps inject id → drill second it fired (absent: never fired)."""
    credit = scenario.late_credit if late_credit is None else late_credit
    ordered = sorted(actions, key=lambda a: (a.at_s, a.id))
    used: set[str] = set()
    pairs = scenario.expected
    # Targeted first (they can only use their own actions), then by deadline.
    order = sorted(
        range(len(pairs)),
        key=lambda k: (
            pairs[k][1].target is None,
            fired.get(pairs[k][0].id, float("inf")) + pairs[k][1].within_s,
        ),
    )
    results: dict[int, ExpectationResult] = {}
    for k in order:
        inject, expected = pairs[k]
        fired_s = fired.get(inject.id)
        if fired_s is None:
            results[k] = ExpectationResult(inject, expected, Outcome.NOT_FIRED, None, None, None,
                                           0.0)
            continue
        deadline = fired_s + expected.within_s
        taken: list[DrillAction] = []
        for action in ordered:
            if action.id in used or action.at_s < fired_s:
                continue
            if _matches(action, inject, expected):
                taken.append(action)
                if len(taken) == expected.count:
                    break
        if len(taken) < expected.count:
            # Partial work is not consumed: those actions may still answer something else.
            results[k] = ExpectationResult(inject, expected, Outcome.MISSED, fired_s, deadline,
                                           None, 0.0)
            continue
        used.update(a.id for a in taken)
        done = taken[-1].at_s
        if done <= deadline:
            outcome, points = Outcome.MET, expected.weight
        else:
            outcome, points = Outcome.LATE, expected.weight * credit
        results[k] = ExpectationResult(inject, expected, outcome, fired_s, deadline, done, points,
                                       tuple(a.id for a in taken))
    final = tuple(results[k] for k in range(len(pairs)))
    counted = [r for r in final if r.outcome is not Outcome.NOT_FIRED]
    counts = {o.value: sum(1 for r in final if r.outcome is o) for o in Outcome}
    return ScoreResult(
        final,
        total_weight=sum(r.expected.weight for r in counted),
        points=sum(r.points for r in counted),
        counts=counts,
    )
