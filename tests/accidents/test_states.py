"""Every transition of the case state table, legal and illegal, and the reasons it requires."""

from __future__ import annotations

import itertools

import pytest

from desk.domain.accidents import (
    REASON_REQUIRED,
    TRANSITIONS,
    CaseState,
    IllegalTransitionError,
    can_transition,
    check_transition,
)

LEGAL = {
    (CaseState.REPORTED, CaseState.ACCEPTED), (CaseState.REPORTED, CaseState.SELF_SETTLED),
    (CaseState.REPORTED, CaseState.GENERAL_PROCEDURE), (CaseState.REPORTED, CaseState.CANCELLED),
    (CaseState.ACCEPTED, CaseState.DECIDED), (CaseState.ACCEPTED, CaseState.SELF_SETTLED),
    (CaseState.ACCEPTED, CaseState.GENERAL_PROCEDURE), (CaseState.ACCEPTED, CaseState.CANCELLED),
    (CaseState.DECIDED, CaseState.CLAIM_PUSHED), (CaseState.DECIDED, CaseState.CLOSED),
    (CaseState.DECIDED, CaseState.CANCELLED),
    (CaseState.SELF_SETTLED, CaseState.CLAIM_PUSHED), (CaseState.SELF_SETTLED, CaseState.CLOSED),
    (CaseState.SELF_SETTLED, CaseState.CANCELLED),
    (CaseState.CLAIM_PUSHED, CaseState.CLOSED),
    # 第23条: refused quick cases go to the scene (简易程序) or to 一般程序; the officer at the scene
    # may still find an injury or a crime.
    (CaseState.REPORTED, CaseState.ON_SCENE), (CaseState.ACCEPTED, CaseState.ON_SCENE),
    (CaseState.ON_SCENE, CaseState.GENERAL_PROCEDURE),
}
ALL_PAIRS = list(itertools.product(CaseState, CaseState))


@pytest.mark.parametrize(("src", "dst"), ALL_PAIRS, ids=lambda s: s.value)
def test_every_transition_is_legal_or_refused(src: CaseState, dst: CaseState) -> None:
    reason = "重复报警" if dst in REASON_REQUIRED else None
    assert can_transition(src, dst) == ((src, dst) in LEGAL)
    if (src, dst) in LEGAL:
        check_transition(src, dst, reason)
    else:
        with pytest.raises(IllegalTransitionError) as err:
            check_transition(src, dst, reason)
        assert src.label in str(err.value) and dst.label in str(err.value)


@pytest.mark.parametrize("dst", sorted(REASON_REQUIRED, key=lambda s: s.value))
@pytest.mark.parametrize("reason", [None, "", "   "])
def test_reason_required(dst: CaseState, reason: str | None) -> None:
    with pytest.raises(IllegalTransitionError, match="原因"):
        check_transition(CaseState.REPORTED, dst, reason)


def test_terminal_states_and_labels() -> None:
    terminal = {s for s in CaseState if not TRANSITIONS[s]}
    assert terminal == {CaseState.CLOSED, CaseState.GENERAL_PROCEDURE, CaseState.CANCELLED}
    assert not CaseState.ON_SCENE.is_open  # it left the quick desk
    assert [s.label for s in (CaseState.REPORTED, CaseState.ACCEPTED, CaseState.DECIDED,
                              CaseState.CLAIM_PUSHED, CaseState.CLOSED)] == [
        "报警", "受理", "定责", "理赔推送", "结案"]
    assert all(s.is_open != s.is_terminal for s in CaseState)


@pytest.mark.parametrize(("src", "dst", "allowed", "why"), [
    (CaseState.DECIDED, CaseState.GENERAL_PROCEDURE, True, "injury found after 定责 (第23条)"),
    (CaseState.CLOSED, CaseState.ON_SCENE, True, "minor injury found after 结案, all agree"),
    (CaseState.SELF_SETTLED, CaseState.GENERAL_PROCEDURE, True, "injury after 自行协商"),
    (CaseState.CLAIM_PUSHED, CaseState.GENERAL_PROCEDURE, True, "injury after the claim"),
    (CaseState.CANCELLED, CaseState.GENERAL_PROCEDURE, False, "a withdrawn report stays withdrawn"),
    (CaseState.ACCEPTED, CaseState.GENERAL_PROCEDURE, False, "open cases leave the normal way"),
    (CaseState.DECIDED, CaseState.CLOSED, False, "re-opening only leaves quick handling"),
])
def test_reopen_as_injury_case(src: CaseState, dst: CaseState, allowed: bool, why: str) -> None:
    assert can_transition(src, dst, reopen=True) is allowed, why
    if not allowed:
        with pytest.raises(IllegalTransitionError):
            check_transition(src, dst, "发现伤者", reopen=True)
