"""Whether an accident may be handled by the quick procedure (快处) at all.

The rules follow 《道路交通事故处理程序规定》 (公安部令第146号) as summarised in FACTS.md: property
damage only between vehicles, vehicles movable, drivers licensed, vehicles registered and insured
(交强险), no drink or drugs, no dangerous goods, no damage to buildings or public facilities, no
injuries, no suspected crime, nobody fled. Anything else keeps the scene and sends police
(一般程序).

Each rule is data: the question the dispatcher answers and the answer that allows quick handling. An
unanswered question (``None``) does not make the case ineligible, but a decision needs every answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class EligibilityRule:
    key: str
    question: str  # shown on the checklist
    required: bool  # the answer that allows quick handling
    refusal: str  # why the case is not eligible when answered the other way


RULES: tuple[EligibilityRule, ...] = (
    EligibilityRule("vehicles_only", "仅车辆之间发生碰撞", True,
                    "非机动车、行人或其他物体参与，不属于车辆间事故"),
    EligibilityRule("property_damage_only", "仅造成财产损失（无人员伤亡）", True,
                    "事故造成人员伤亡"),
    EligibilityRule("vehicles_movable", "车辆能够移动", True,
                    "车辆无法移动"),
    EligibilityRule("licences_valid", "驾驶人均持有有效驾驶证", True,
                    "驾驶人无有效驾驶证"),
    EligibilityRule("plates_and_marks_present", "号牌、检验合格标志、保险标志齐全", True,
                    "缺少号牌、检验合格标志或保险标志"),
    EligibilityRule("insurance_valid", "车辆均已投保交强险且在有效期内", True,
                    "车辆未投保交强险或已过期"),
    EligibilityRule("no_drink_or_drugs", "无饮酒、服用毒品嫌疑", True,
                    "驾驶人有饮酒或服用毒品嫌疑"),
    EligibilityRule("no_dangerous_goods", "未载运危险物品", True,
                    "车辆载运危险物品"),
    EligibilityRule("no_public_damage", "未损坏建筑物或公共设施", True,
                    "造成建筑物或公共设施损坏"),
    EligibilityRule("no_crime_or_flight", "无犯罪嫌疑、无逃逸", True,
                    "有犯罪嫌疑或当事人逃逸"),
)
RULES_BY_KEY: dict[str, EligibilityRule] = {r.key: r for r in RULES}


@dataclass(frozen=True, slots=True)
class EligibilityResult:
    """``eligible`` is True when every rule is answered the allowing way, False when any rule
    refuses, and None while questions remain open (and none refuses yet)."""

    eligible: bool | None
    refusals: tuple[str, ...]
    unanswered: tuple[str, ...]

    @property
    def summary(self) -> str:
        if self.eligible is False:
            return "不符合快处条件：" + "；".join(self.refusals)
        if self.eligible is None:
            return f"尚有{len(self.unanswered)}项未核实"
        return "符合快处条件"


def check_eligibility(answers: Mapping[str, bool | None]) -> EligibilityResult:
    """Judge the checklist. Unknown keys are ignored (an older or newer checklist)."""
    refusals: list[str] = []
    unanswered: list[str] = []
    for rule in RULES:
        answer = answers.get(rule.key)
        if answer is None:
            unanswered.append(rule.key)
        elif bool(answer) != rule.required:
            refusals.append(rule.refusal)
    if refusals:
        return EligibilityResult(False, tuple(refusals), tuple(unanswered))
    if unanswered:
        return EligibilityResult(None, (), tuple(unanswered))
    return EligibilityResult(True, (), ())


def all_allowing() -> dict[str, bool]:
    """A checklist answered the allowing way for every rule (a clean minor accident)."""
    return {r.key: r.required for r in RULES}
