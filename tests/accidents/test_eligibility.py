"""Quick-handling eligibility rules: each rule refuses on its own; open questions block."""

from __future__ import annotations

import pytest

from desk.domain.accidents import RULES, all_allowing, check_eligibility


def test_clean_case_is_eligible() -> None:
    result = check_eligibility(all_allowing())
    assert result.eligible is True and result.summary == "符合快处条件"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.key)
def test_each_rule_refuses_alone(rule) -> None:  # type: ignore[no-untyped-def]
    answers = all_allowing()
    answers[rule.key] = not rule.required
    result = check_eligibility(answers)
    assert result.eligible is False
    assert result.refusals == (rule.refusal,)
    assert "不符合快处条件" in result.summary


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.key)
def test_each_unanswered_question_leaves_it_open(rule) -> None:  # type: ignore[no-untyped-def]
    answers: dict[str, bool | None] = dict(all_allowing())
    answers[rule.key] = None
    result = check_eligibility(answers)
    assert result.eligible is None and result.unanswered == (rule.key,)


def test_refusal_wins_over_open_questions_and_rules_cover_the_law() -> None:
    result = check_eligibility({"no_drink_or_drugs": False})
    assert result.eligible is False and len(result.unanswered) == len(RULES) - 1
    keys = {r.key for r in RULES}
    for needed in ("property_damage_only", "vehicles_movable", "licences_valid", "insurance_valid",
                   "no_drink_or_drugs", "no_dangerous_goods", "no_public_damage"):
        assert needed in keys
