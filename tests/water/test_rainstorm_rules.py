"""Rainstorm signal rules at their exact boundaries (FACTS: 50 mm/12 h blue, 50/6 yellow,
50/3 orange, 100/3 red) and the half-open window (now − h, now]."""

from __future__ import annotations

import pytest

from desk.domain.rainstorm import (
    HOUR_S,
    MEASURES_TITLE,
    RESPONSE_MEASURES,
    GaugeTotals,
    SignalLevel,
    SignalRule,
    area_covers,
    assess_districts,
    checklist_for,
    contrast_ratio,
    max_level,
    measures_for,
    parse_level,
    rain_total,
    signal_for_totals,
    signal_from_gauge,
    split_areas,
)

NOW = 1_750_000_000.0


@pytest.mark.parametrize(
    ("totals", "expected"),
    [
        ({3: 0, 6: 0, 12: 49.9}, None),
        ({3: 0, 6: 0, 12: 50.0}, SignalLevel.BLUE),
        ({3: 0, 6: 49.99, 12: 60}, SignalLevel.BLUE),
        ({3: 0, 6: 50.0, 12: 60}, SignalLevel.YELLOW),
        ({3: 49.9, 6: 55, 12: 60}, SignalLevel.YELLOW),
        ({3: 50.0, 6: 55, 12: 60}, SignalLevel.ORANGE),
        ({3: 99.9, 6: 120, 12: 130}, SignalLevel.ORANGE),
        ({3: 100.0, 6: 120, 12: 130}, SignalLevel.RED),
    ],
)
def test_levels_at_exact_boundaries(totals: dict[float, float],
                                    expected: SignalLevel | None) -> None:
    assert signal_for_totals(totals) is expected


def test_window_is_half_open() -> None:
    readings = [(NOW - 3 * HOUR_S, 10.0), (NOW - 3 * HOUR_S + 1, 5.0), (NOW, 1.0),
                (NOW + 1, 100.0)]
    # exactly 3 h ago: rain that fell before the window; after now: not yet happened
    assert rain_total(readings, NOW, 3) == 6.0


def test_duplicates_and_bad_amounts_ignored() -> None:
    readings = [(NOW - 60, 10.0), (NOW - 60, 10.0), (NOW - 30, float("nan")), (NOW - 20, -4.0),
                (NOW - 10, None)]
    assert rain_total(readings, NOW, 1) == 10.0


def test_gauge_judgement_uses_each_window() -> None:
    # 50 mm spread evenly over 5 h: yellow (6 h) but not orange (3 h gets 30 mm)
    readings = [(NOW - i * 600.0, 50.0 / 30) for i in range(30)]
    level, totals = signal_from_gauge(readings, NOW)
    assert level is SignalLevel.YELLOW
    assert totals[3] == pytest.approx(30.0)
    assert totals[6] == pytest.approx(50.0)


def test_boundary_reached_exactly_by_sum() -> None:
    readings = [(NOW - i * 600.0, 100.0 / 18) for i in range(18)]  # 100 mm in the last 3 h
    level, totals = signal_from_gauge(readings, NOW)
    assert totals[3] == pytest.approx(100.0)
    assert level is SignalLevel.RED  # not lost to floating-point error in the sum
    assert signal_from_gauge([(NOW - 60, 100.0)], NOW)[0] is SignalLevel.RED


def test_city_tuned_rules() -> None:
    rules = (SignalRule(SignalLevel.RED, 1, 60), SignalRule(SignalLevel.BLUE, 12, 30))
    assert signal_from_gauge([(NOW - 60, 60.0)], NOW, rules)[0] is SignalLevel.RED
    assert signal_from_gauge([(NOW - 2 * HOUR_S, 59.0)], NOW, rules)[0] is SignalLevel.BLUE


def test_max_level_and_checklists() -> None:
    assert max_level([None, SignalLevel.YELLOW, SignalLevel.BLUE]) is SignalLevel.YELLOW
    assert max_level([]) is None
    for level in SignalLevel:
        assert len(checklist_for(level)) >= 3
    assert SignalLevel.ORANGE.label == "暴雨橙色预警"
    assert MEASURES_TITLE == "处置措施（市防汛预案）"


def test_a_direct_red_includes_every_lower_measure_that_still_applies() -> None:
    """A higher level includes the lower levels' measures that still apply (防汛预案): only a
    measure that a stronger one replaces is dropped."""
    red = {m.key for m in measures_for(SignalLevel.RED)}
    for lower in (SignalLevel.BLUE, SignalLevel.YELLOW, SignalLevel.ORANGE):
        for m in measures_for(lower):
            if m.until_level is None:
                assert m.key in red, f"{m.text} applies at red too"
    # replaced at red: travel tips by 非必要不出行, the yellow detour notice by road closures
    assert "tips" not in red and "stay-home" in red
    # lower levels' measures come first in the list
    ranks = [m.from_level.rank for m in measures_for(SignalLevel.RED)]
    assert ranks == sorted(ranks)
    assert all(m.applies_at(m.from_level) for m in RESPONSE_MEASURES)


def test_red_checklist_and_red_drill_agree_on_tunnel_closure() -> None:
    """The drill scores closing a tunnel when its water reaches the closure depth and sending
    police to one below it; the red checklist asks exactly that (not "close every tunnel")."""
    from pathlib import Path

    import yaml

    texts = checklist_for(SignalLevel.RED)
    assert any("下穿隧道积水达到封闭水深立即封闭" in t for t in texts)
    assert any("下穿隧道入口值守" in t for t in texts)
    assert not any("封闭全部下穿隧道" in t for t in texts)
    scenario = yaml.safe_load(Path("resources/scenarios/rainstorm_red.yaml").read_text("utf-8"))
    injects = {i["id"]: i for i in scenario["injects"]}
    closes = {i["point"]: i["depth_cm"] for i in injects.values()
              for e in i.get("expect", ()) if e["action"] == "close_tunnel"}
    dispatch_only = {i["point"]: i["depth_cm"] for i in injects.values()
                     if i.get("kind") == "water_depth"
                     and {e["action"] for e in i.get("expect", ())} == {"dispatch"}}
    from desk.domain.water import TUNNEL_DEFAULT

    assert closes and all(d >= TUNNEL_DEFAULT.close_cm for d in closes.values())
    assert dispatch_only and all(d < TUNNEL_DEFAULT.close_cm for d in dispatch_only.values())
    assert "封闭水深" in scenario["briefing"] and "处置措施" in scenario["briefing"]


@pytest.mark.parametrize("level", list(SignalLevel))
def test_banner_text_reads_on_every_level_colour(level: SignalLevel) -> None:
    # WCAG AA for normal text: 4.5:1
    assert contrast_ratio(level.color, level.text_color) >= 4.5


@pytest.mark.parametrize(
    ("text", "level"),
    [("red", SignalLevel.RED), ("Orange", SignalLevel.ORANGE), ("黄色", SignalLevel.YELLOW),
     ("蓝", SignalLevel.BLUE), ("暴雨红色预警", SignalLevel.RED)],
)
def test_parse_level(text: str, level: SignalLevel) -> None:
    assert parse_level(text) is level


def test_parse_level_refuses_nonsense() -> None:
    with pytest.raises(ValueError, match="无法识别"):
        parse_level("purple")


@pytest.mark.parametrize(
    ("areas", "district", "covered", "reason"),
    [
        ((), "金水区", True, "no area named: the office's whole area"),
        (("全市",), "上街区", True, "全市"),
        (("主城区",), "金水区", True, "主城区 includes 金水区"),
        (("主城区",), "上街区", False, "上街区 is not in 主城区"),
        (("上街区",), "金水区", False, "a named district only"),
        (("管城区",), "管城回族区", True, "the short form people type"),
    ],
)
def test_area_coverage(areas: tuple[str, ...], district: str, covered: bool, reason: str) -> None:
    assert area_covers(areas, district) is covered, reason


def test_split_areas() -> None:
    assert split_areas("主城区、航空港区,上街区 ；中牟县") == ("主城区", "航空港区", "上街区", "中牟县")


def test_one_gauge_speaks_for_its_own_district_only() -> None:
    got = assess_districts([
        GaugeTotals("g1", "金水区", {3: 120.0, 6: 120.0, 12: 120.0}),
        GaugeTotals("g2", "二七区", {3: 10.0, 6: 20.0, 12: 55.0}),
        GaugeTotals("g3", "金水区", {3: 60.0, 6: 60.0, 12: 60.0}),
        GaugeTotals("g4", "中原区", {3: 1.0, 6: 1.0, 12: 1.0}),
    ])
    assert {d: a.level for d, a in got.items()} == {
        "金水区": SignalLevel.RED, "二七区": SignalLevel.BLUE, "中原区": None}
    assert got["金水区"].point_id == "g1"
    assert SignalLevel.RED.standard_label == "雨量达到红色标准（内部研判）"
    assert "预警" not in SignalLevel.RED.standard_label
