"""Routing of a reported accident by 《道路交通事故处理程序规定》(公安部令第146号): quick handling
(第19条), on-scene simplified procedure (第13条(一)(二)(四)(五)(六), 第14条, 第23条) or 一般程序
(death, injury not minor or without consent, crime suspicion, 逃逸, 故意). Each row of the table
is one case: the answers that differ from a clean minor accident, the expected route, the article
and why."""

from __future__ import annotations

import pytest

from desk.domain.accidents import (
    CONDITIONAL,
    RULES,
    AccidentCase,
    CaseState,
    Party,
    Route,
    all_allowing,
    check_eligibility,
    route_case,
)

Q, S, G = Route.QUICK, Route.ON_SCENE, Route.GENERAL

CASES = [
    # (changed answers, expected route, article in the reason, why)
    ({}, Q, "", "第19条: property only, motor vehicles, nothing of 第13/14条"),
    ({"vehicles_only": False}, S, "第19条", "a pedestrian is outside 第19条: police at the scene"),
    ({"vehicles_movable": False}, S, "第13条（五）", "cannot move the car: keep scene, 简易程序"),
    ({"licences_valid": False}, S, "第13条（一）", "no licence / 准驾车型不符: 简易程序 at the scene"),
    ({"plates_genuine": False}, S, "第13条（四）", "no plate or forged plate: at the scene"),
    ({"marks_present": False}, S, "第14条（一）", "no inspection/insurance mark: move, then call"),
    ({"insurance_valid": False}, S, "第14条（一）", "no 交强险: the insurance mark is missing"),
    ({"no_public_damage": False}, S, "第14条（二）", "hit a building or facility: move, then call"),
    ({"no_drink_or_drugs": False}, S, "第13条（二）", "drink suspected (not 醉驾): 简易 may stay"),
    ({"parties_present": False}, S, "第13条（六）", "one party left the scene"),
    ({"no_drunk_driving": False}, G, "第23条第二款", "醉驾 is 危险驾驶罪: no 简易程序"),
    ({"no_overload_speeding": False}, G, "第13条（三）", "校车/客运 seriously over: 危险驾驶罪"),
    ({"no_flight": False}, G, "第61条", "逃逸: 一般程序"),
    ({"no_intent": False}, G, "第13条（七）", "caused on purpose: investigation"),
    ({"no_crime": False}, G, "第23条第二款", "交通肇事罪 suspected: no 简易程序"),
    ({"property_damage_only": False, "injury_minor": True, "injury_all_agree": True}, S,
     "第23条第一款（二）", "minor injury, every party agrees: 简易程序 at the scene"),
    ({"property_damage_only": False, "injury_minor": True, "injury_all_agree": False}, G,
     "第23条第一款（二）", "minor injury without every party's consent: 一般程序"),
    ({"property_damage_only": False, "injury_minor": False}, G, "第23条",
     "injury that is not minor (or death): 一般程序"),
    ({"property_damage_only": False}, G, "第23条", "injury, severity not yet known: 一般程序"),
    ({"vehicles_movable": False, "no_drunk_driving": False}, G, "第23条第二款",
     "the heavier route wins: 醉驾 beats an immovable car"),
]


@pytest.mark.parametrize(("changes", "route", "article", "why"), CASES,
                         ids=[c[3] for c in CASES])
def test_route_table(changes: dict[str, bool], route: Route, article: str, why: str) -> None:
    answers: dict[str, bool | None] = {**all_allowing(), **changes}
    result = check_eligibility(answers)
    assert result.route is route, why
    if route is Q:
        assert result.eligible is True and result.summary == "符合快处条件"
    else:
        assert result.eligible is False
        assert any(article in r.article for r in result.reasons), (why, result.reasons)
        assert route.label in result.summary


@pytest.mark.parametrize("rule", [r for r in RULES if r.key not in CONDITIONAL],
                         ids=lambda r: r.key)
def test_each_unanswered_question_leaves_it_open(rule) -> None:  # type: ignore[no-untyped-def]
    answers: dict[str, bool | None] = dict(all_allowing())
    answers[rule.key] = None
    result = check_eligibility(answers)
    assert result.eligible is None and result.unanswered == (rule.key,)


def test_injury_questions_are_asked_only_after_an_injury() -> None:
    assert "injury_minor" not in check_eligibility({}).unanswered
    hurt = check_eligibility({**all_allowing(), "property_damage_only": False})
    assert {"injury_minor", "injury_all_agree"} <= set(hurt.unanswered)


def _case(parties: list[Party]) -> AccidentCase:
    return AccidentCase(id="c", case_no="KC1", state=CaseState.ACCEPTED, reported_at=0.0,
                        eligibility=dict(all_allowing()), parties=parties)


PARTY_CASES = [
    # (甲 vehicle, 甲 准驾车型, 乙 vehicle, route, why)
    ("小型轿车", "C1", "小型轿车", Q, "C1 drives a small car"),
    ("小型轿车", "C2", "电动自行车", Q, "第19条: 机动车与非机动车 property accidents are allowed"),
    ("重型普通货车", "C1", "小型轿车", S, "第13条（一）: C1 may not drive a heavy truck"),
    ("大型普通客车", "B1", "小型轿车", S, "第13条（一）: a coach needs A1"),
    ("重型半挂牵引车", "A2", "小型轿车", Q, "A2 drives a tractor-trailer"),
    ("普通二轮摩托车", "D", "小型轿车", Q, "D covers E"),
    ("电动自行车", "", "自行车", S, "no motor vehicle: outside 第19条"),
]


@pytest.mark.parametrize(("a_type", "a_class", "b_type", "route", "why"), PARTY_CASES,
                         ids=[c[4] for c in PARTY_CASES])
def test_party_data_routes_too(a_type: str, a_class: str, b_type: str, route: Route,
                               why: str) -> None:
    parties = [Party(id="a", seq=1, vehicle_type=a_type, permitted_class=a_class),
               Party(id="b", seq=2, vehicle_type=b_type, permitted_class="C1")]
    assert route_case(_case(parties)).route is route, why
