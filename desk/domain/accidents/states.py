"""The life of a minor-accident case (轻微事故快处): its states and the only transitions allowed.

报警 → 受理 → 定责 → 理赔推送 → 结案 is the main road; 当事人自行协商 (the parties settle between
themselves), 转现场处理（简易程序） (one officer handles it at the scene, 公安部令第146号第23条),
转一般程序 (立案 and investigation) and 撤销 (withdrawn, with a reason) are the other ways out.

A case that was decided, settled or even closed can be re-opened when it turns out somebody was
hurt: it then leaves for the scene (minor injury, every party agreeing: 第23条第一款(二)) or for
一般程序; the earlier document stays on record.
"""

from __future__ import annotations

from enum import Enum


class CaseState(Enum):
    """A case's state. ``value`` is what the database stores; ``label`` what people read."""

    REPORTED = "reported"  # 报警
    ACCEPTED = "accepted"  # 受理 (video intake started)
    DECIDED = "decided"  # 定责 (liability decided by the officer)
    CLAIM_PUSHED = "claim_pushed"  # 理赔推送 (handed to the insurers)
    CLOSED = "closed"  # 结案
    SELF_SETTLED = "self_settled"  # 当事人自行协商
    GENERAL_PROCEDURE = "general_procedure"  # 转一般程序
    ON_SCENE = "on_scene"  # 转现场处理（简易程序）
    CANCELLED = "cancelled"  # 撤销

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def is_terminal(self) -> bool:
        """Finished for the quick-handling desk (a re-opening for an injury is the exception)."""
        return self not in _OPEN

    @property
    def is_open(self) -> bool:
        """Still needs someone at the desk (shown in the queue)."""
        return self in _OPEN


_LABELS: dict[CaseState, str] = {
    CaseState.REPORTED: "报警",
    CaseState.ACCEPTED: "受理",
    CaseState.DECIDED: "定责",
    CaseState.CLAIM_PUSHED: "理赔推送",
    CaseState.CLOSED: "结案",
    CaseState.SELF_SETTLED: "自行协商",
    CaseState.GENERAL_PROCEDURE: "转一般程序",
    CaseState.ON_SCENE: "转现场处理（简易程序）",
    CaseState.CANCELLED: "撤销",
}

# The transition table. Anything not listed is refused.
# - A decided or self-settled case may go straight to 结案 when nobody claims (no damage to pay).
# - 撤销 is possible until the insurers have the case; afterwards the claim exists and the case
#   closes.
# - 转一般程序 is possible until liability is decided: after that the decision stands (复核 is a
#   separate procedure outside the desk).
# - 转现场处理 may still become 一般程序 (the officer at the scene finds an injury or a crime).
_LEAVE = frozenset({CaseState.ON_SCENE, CaseState.GENERAL_PROCEDURE})
TRANSITIONS: dict[CaseState, frozenset[CaseState]] = {
    CaseState.REPORTED: frozenset(
        {CaseState.ACCEPTED, CaseState.SELF_SETTLED, CaseState.CANCELLED} | _LEAVE
    ),
    CaseState.ACCEPTED: frozenset(
        {CaseState.DECIDED, CaseState.SELF_SETTLED, CaseState.CANCELLED} | _LEAVE
    ),
    CaseState.DECIDED: frozenset(
        {CaseState.CLAIM_PUSHED, CaseState.CLOSED, CaseState.CANCELLED}
    ),
    CaseState.SELF_SETTLED: frozenset(
        {CaseState.CLAIM_PUSHED, CaseState.CLOSED, CaseState.CANCELLED}
    ),
    CaseState.CLAIM_PUSHED: frozenset({CaseState.CLOSED}),
    CaseState.CLOSED: frozenset(),
    CaseState.ON_SCENE: frozenset({CaseState.GENERAL_PROCEDURE}),
    CaseState.GENERAL_PROCEDURE: frozenset(),
    CaseState.CANCELLED: frozenset(),
}

REOPENABLE: frozenset[CaseState] = frozenset(
    {CaseState.DECIDED, CaseState.SELF_SETTLED, CaseState.CLAIM_PUSHED, CaseState.CLOSED}
)
"""A case in one of these may be re-opened as an injury case (``AccidentService.reopen_injury``):
the only way out of them to the scene or to 一般程序."""

_OPEN = frozenset({CaseState.REPORTED, CaseState.ACCEPTED, CaseState.DECIDED,
                   CaseState.SELF_SETTLED, CaseState.CLAIM_PUSHED})

REASON_REQUIRED: frozenset[CaseState] = frozenset(
    {CaseState.CANCELLED, CaseState.GENERAL_PROCEDURE, CaseState.ON_SCENE}
)
"""Leaving the quick procedure this way must say why."""

QUICK_HANDLED: frozenset[CaseState] = frozenset({CaseState.DECIDED, CaseState.SELF_SETTLED})
"""Reaching one of these means the case was handled by the quick procedure (for the KPI)."""


class IllegalTransitionError(ValueError):
    """A transition the table does not allow, or one missing its required reason."""


def can_transition(current: CaseState, target: CaseState, *, reopen: bool = False) -> bool:
    """``reopen``: the injury re-opening of a decided, settled or closed case."""
    if reopen:
        return current in REOPENABLE and target in _LEAVE
    return target in TRANSITIONS[current]


def check_transition(
    current: CaseState, target: CaseState, reason: str | None = None, *, reopen: bool = False
) -> None:
    """Raise ``IllegalTransitionError`` (message in Chinese) when ``current → target`` is
    refused."""
    if not can_transition(current, target, reopen=reopen):
        raise IllegalTransitionError(
            f"案件当前为“{current.label}”，不能转为“{target.label}”"
        )
    if target in REASON_REQUIRED and not (reason or "").strip():
        raise IllegalTransitionError(f"“{target.label}”必须填写原因")
