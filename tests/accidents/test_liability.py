"""Every liability combination for two parties, a few for three, and the suggestion by type."""

from __future__ import annotations

import itertools

import pytest

from desk.domain.accidents import (
    AccidentType,
    LiabilityLevel,
    Party,
    combination_problems,
    is_valid_combination,
    suggest_liability,
)

L = LiabilityLevel
VALID_PAIRS = {
    (L.FULL, L.NONE), (L.NONE, L.FULL), (L.MAJOR, L.MINOR), (L.MINOR, L.MAJOR),
    (L.EQUAL, L.EQUAL), (L.NONE, L.NONE),
}


@pytest.mark.parametrize("pair", list(itertools.product(L, L)), ids=lambda p: f"{p[0].value}-{p[1].value}")
def test_every_two_party_combination(pair: tuple[LiabilityLevel, LiabilityLevel]) -> None:
    problems = combination_problems(pair)
    assert (not problems) == (pair in VALID_PAIRS), problems
    assert is_valid_combination(pair) == (pair in VALID_PAIRS)


def test_specific_messages() -> None:
    assert any("两方同时承担全部" in p for p in combination_problems([L.FULL, L.FULL]))
    assert any("同等" in p for p in combination_problems([L.EQUAL, L.MINOR]))
    assert any("次要" in p for p in combination_problems([L.MAJOR, L.NONE]) +
               combination_problems([L.MAJOR, L.MAJOR]))
    assert any("全部责任" in p for p in combination_problems([L.EQUAL, L.NONE]))
    assert combination_problems([L.FULL]) == ["至少需要两方当事人"]
    assert "每一方都必须确定责任" in combination_problems([L.FULL, None])


@pytest.mark.parametrize(("levels", "ok"), [
    ((L.EQUAL, L.EQUAL, L.EQUAL), True),
    ((L.EQUAL, L.EQUAL, L.NONE), True),
    ((L.MAJOR, L.MINOR, L.MINOR), True),
    ((L.FULL, L.NONE, L.NONE), True),
    ((L.FULL, L.MINOR, L.NONE), False),
    ((L.EQUAL, L.MAJOR, L.MINOR), False),
    ((L.MINOR, L.MINOR, L.NONE), False),
])
def test_three_parties(levels: tuple[LiabilityLevel, ...], ok: bool) -> None:
    assert is_valid_combination(levels) == ok


def test_parse_levels() -> None:
    assert L.parse("同等") is L.EQUAL and L.parse("全部责任") is L.FULL and L.parse("minor") is L.MINOR
    assert L.parse("") is None
    with pytest.raises(ValueError):
        L.parse("一半")


def _parties(initiators: list[bool]) -> list[Party]:
    return [Party(id=f"p{i}", seq=i + 1, initiator=f) for i, f in enumerate(initiators)]


def test_rear_end_suggests_rear_driver_full() -> None:
    s = suggest_liability(AccidentType.REAR_END, _parties([False, True]))
    assert s is not None and s.levels == (L.NONE, L.FULL)
    assert "追尾" in s.basis and "乙方" in s.basis


@pytest.mark.parametrize("kind", [k for k in AccidentType if k is not AccidentType.OTHER])
def test_every_type_suggests_a_lawful_combination(kind: AccidentType) -> None:
    s = suggest_liability(kind, _parties([True, False, False]))
    assert s is not None and is_valid_combination(s.levels) and s.levels[0] is L.FULL


def test_no_suggestion_when_unclear() -> None:
    assert suggest_liability(AccidentType.OTHER, _parties([True, False])) is None
    assert suggest_liability(AccidentType.REAR_END, _parties([False, False])) is None
    assert suggest_liability(AccidentType.REAR_END, _parties([True, True])) is None
