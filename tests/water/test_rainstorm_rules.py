"""Rainstorm signal rules at their exact boundaries (FACTS: 50 mm/12 h blue, 50/6 yellow,
50/3 orange, 100/3 red) and the half-open window (now − h, now]."""

from __future__ import annotations

import pytest

from desk.domain.rainstorm import (
    DEFENCE_GUIDANCE,
    HOUR_S,
    SignalLevel,
    SignalRule,
    checklist_for,
    max_level,
    rain_total,
    signal_for_totals,
    signal_from_gauge,
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
    assert DEFENCE_GUIDANCE[SignalLevel.RED] != DEFENCE_GUIDANCE[SignalLevel.BLUE]
    assert SignalLevel.ORANGE.label == "暴雨橙色预警"
