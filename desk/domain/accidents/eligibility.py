"""Whether an accident may be handled by the quick procedure (快处) and, if not, where it goes.

The rules follow 《道路交通事故处理程序规定》 (公安部令第146号, in force 2018-05-01):

- 第19条: a property-only accident between motor vehicles, or between a motor vehicle and a
  非机动车, outside 第13条, may be settled by the parties (自行协商) or decided online: this is the
  quick procedure the desk runs (``Route.QUICK``).
- 第14条 (no 检验合格标志/保险标志 — electronic checks count —, or a hit on a building or public
  facility) and 第13条 (一)(二)(四)(五)(六) (licence, drink or drugs, plates, immovable vehicle, a party
  gone): the parties may not settle alone; one officer handles it at the scene by the simplified
  procedure of 第23条 (``Route.ON_SCENE``, 转现场处理（简易程序）).
- 一般程序 (``Route.GENERAL``, 立案 and investigation): death; injury that is not minor, or minor
  without every party agreeing to the simplified procedure (第23条第一款(二)); suspected crime —
  醉驾 (危险驾驶罪), 校车/客运 seriously overloaded or speeding (第13条(三), also 危险驾驶罪),
  交通肇事 — (第23条第二款); 逃逸; one party causing it on purpose (第13条(七)).

Each rule is data: the question the dispatcher answers, the answer that allows quick handling, the
route a refusal sends the case to, and the article. An unanswered question (``None``) does not
refuse, but a decision needs every answer. Two questions (``CONDITIONAL``) are asked only when the
accident injured someone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum


class Route(Enum):
    """Where the answers send a case. Ordered: a later route wins over an earlier one."""

    QUICK = "quick"
    ON_SCENE = "on_scene"
    GENERAL = "general"

    @property
    def label(self) -> str:
        return _ROUTE_LABELS[self]

    @property
    def rank(self) -> int:
        return list(Route).index(self)


_ROUTE_LABELS = {
    Route.QUICK: "可快处（自行协商或在线认定）",
    Route.ON_SCENE: "转现场处理（简易程序）",
    Route.GENERAL: "转一般程序",
}


@dataclass(frozen=True, slots=True)
class EligibilityRule:
    key: str
    question: str  # shown on the checklist
    required: bool  # the answer that allows quick handling
    refusal: str  # why the case is not eligible when answered the other way
    route: Route = Route.ON_SCENE  # where a refusal sends the case
    article: str = ""  # the article of 公安部令第146号 (or the law) the rule encodes


RULES: tuple[EligibilityRule, ...] = (
    EligibilityRule("vehicles_only", "机动车之间或机动车与非机动车（无行人）", True,
                    "有行人或其他情形，不属于可自行协商的事故", Route.ON_SCENE, "第19条"),
    EligibilityRule("property_damage_only", "仅造成财产损失（无人员伤亡）", True,
                    "事故造成人员伤亡", Route.GENERAL, "第13条、第23条"),
    EligibilityRule("injury_minor", "（有人受伤时）仅轻微受伤、无人死亡", True,
                    "有人死亡或伤情不是轻微", Route.GENERAL, "第23条第一款（二）"),
    EligibilityRule("injury_all_agree", "（有人受伤时）各方同意适用简易程序", True,
                    "受伤事故未经各方同意适用简易程序", Route.GENERAL, "第23条第一款（二）"),
    EligibilityRule("vehicles_movable", "车辆能够自行移动", True,
                    "当事人不能自行移动车辆", Route.ON_SCENE, "第13条（五）"),
    EligibilityRule("licences_valid", "驾驶人持有效驾驶证且准驾车型相符", True,
                    "驾驶人无有效驾驶证或准驾车型不符", Route.ON_SCENE, "第13条（一）"),
    EligibilityRule("plates_genuine", "机动车有号牌且非伪造、变造", True,
                    "机动车无号牌或使用伪造、变造的号牌", Route.ON_SCENE, "第13条（四）"),
    EligibilityRule("marks_present", "检验合格标志、保险标志齐全（含电子核验）", True,
                    "未放置检验合格标志或保险标志", Route.ON_SCENE, "第14条（一）"),
    EligibilityRule("insurance_valid", "机动车均已投保交强险且在有效期内", True,
                    "机动车未投保交强险或已过期", Route.ON_SCENE, "第14条（一）"),
    EligibilityRule("no_drink_or_drugs", "无饮酒、服用国家管制的精神药品或麻醉药品嫌疑", True,
                    "驾驶人有饮酒或服用国家管制的精神药品、麻醉药品嫌疑", Route.ON_SCENE,
                    "第13条（二）"),
    EligibilityRule("no_drunk_driving", "无醉酒驾驶嫌疑", True,
                    "驾驶人有醉酒驾驶（危险驾驶罪）嫌疑", Route.GENERAL, "第23条第二款"),
    EligibilityRule("no_overload_speeding", "无校车、客运严重超员或严重超速嫌疑", True,
                    "校车或旅客运输严重超员、严重超速（危险驾驶罪）嫌疑", Route.GENERAL,
                    "第13条（三）、第23条第二款"),
    EligibilityRule("no_public_damage", "未碰撞建筑物、公共设施或其他设施", True,
                    "碰撞建筑物、公共设施或其他设施", Route.ON_SCENE, "第14条（二）"),
    EligibilityRule("parties_present", "各方当事人均在现场", True,
                    "一方当事人离开现场", Route.ON_SCENE, "第13条（六）"),
    EligibilityRule("no_flight", "无驾车逃逸", True,
                    "有当事人驾车逃逸", Route.GENERAL, "第13条（六）、第61条"),
    EligibilityRule("no_intent", "无证据证明系一方故意造成", True,
                    "有证据证明事故是由一方故意造成", Route.GENERAL, "第13条（七）"),
    EligibilityRule("no_crime", "无交通肇事罪等其他犯罪嫌疑", True,
                    "有交通肇事罪或其他犯罪嫌疑", Route.GENERAL, "第23条第二款"),
)
RULES_BY_KEY: dict[str, EligibilityRule] = {r.key: r for r in RULES}

CONDITIONAL: frozenset[str] = frozenset({"injury_minor", "injury_all_agree"})
"""Asked only when ``property_damage_only`` is answered 否 (someone was hurt)."""


@dataclass(frozen=True, slots=True)
class Reason:
    """One refusal: the rule's key, its text and the article it rests on."""

    key: str
    text: str
    article: str
    route: Route

    def __str__(self) -> str:
        return f"{self.text}（{self.article}）" if self.article else self.text


@dataclass(frozen=True, slots=True)
class EligibilityResult:
    """``eligible`` is True when every rule is answered the allowing way, False when any rule
    refuses, and None while questions remain open (and none refuses yet). ``route`` is where the
    refusals send the case (QUICK when none refuses)."""

    eligible: bool | None
    refusals: tuple[str, ...]
    unanswered: tuple[str, ...]
    route: Route = Route.QUICK
    reasons: tuple[Reason, ...] = ()

    @property
    def summary(self) -> str:
        if self.eligible is False:
            return f"不符合快处条件，应{self.route.label}：" + "；".join(
                str(r) for r in self.reasons)
        if self.eligible is None:
            return f"尚有{len(self.unanswered)}项未核实"
        return "符合快处条件"


def route_refusals(reasons: list[Reason], unanswered: list[str]) -> EligibilityResult:
    """The result for a list of refusals (from the checklist and from the parties' data)."""
    if reasons:
        route = max((r.route for r in reasons), key=lambda r: r.rank)
        return EligibilityResult(False, tuple(r.text for r in reasons), tuple(unanswered), route,
                                 tuple(reasons))
    if unanswered:
        return EligibilityResult(None, (), tuple(unanswered))
    return EligibilityResult(True, (), ())


def check_eligibility(answers: Mapping[str, bool | None]) -> EligibilityResult:
    """Judge the checklist. Unknown keys are ignored (an older or newer checklist).

    Injury (``property_damage_only`` = 否) routes by the two conditional answers: minor injury
    with every party's agreement stays at the scene (简易程序, 第23条第一款(二)); anything else,
    or not yet known, is 一般程序.
    """
    reasons: list[Reason] = []
    unanswered: list[str] = []
    injured = answers.get("property_damage_only") is False
    for rule in RULES:
        if rule.key in CONDITIONAL and not injured:
            continue
        answer = answers.get(rule.key)
        if rule.key == "property_damage_only" and answer is False:
            minor = answers.get("injury_minor")
            agree = answers.get("injury_all_agree")
            if minor is True and agree is True:
                reasons.append(Reason(rule.key, "轻微受伤且各方同意适用简易程序",
                                      "第23条第一款（二）", Route.ON_SCENE))
            elif minor is None or agree is None:
                # Until both are known the case cannot go to the scene as 简易: 一般程序 stands.
                reasons.append(Reason(rule.key, rule.refusal, rule.article, Route.GENERAL))
            continue
        if answer is None:
            unanswered.append(rule.key)
        elif bool(answer) != rule.required:
            reasons.append(Reason(rule.key, rule.refusal, rule.article, rule.route))
    return route_refusals(reasons, unanswered)


def all_allowing() -> dict[str, bool]:
    """A checklist answered the allowing way for every rule (a clean minor accident); the
    conditional injury questions are left out, since nobody was hurt."""
    return {r.key: r.required for r in RULES if r.key not in CONDITIONAL}
