"""The insurer hand-off on desk-central: list the claims workstations pushed, record the insurer's answer.

Claims are the ``accident_insurance_queue`` records that arrive through the ordinary sync. An answer
(受理/拒绝 with a reason) is written as an ordinary data change — an op by the insurer, with its
change-feed row, revision and audit row — so it reaches every workstation through the change feed
like any other edit, and the desk showing the case re-reads it.
"""

from __future__ import annotations

import time
import uuid
from typing import Any, Literal

from pydantic import BaseModel

from desk.central.storage import CentralStore, OpIn, Principal

QUEUE = "accident_insurance_queue"
OPEN_STATUSES = ("queued", "sent")
"""A claim the insurer has not answered yet (``sent``: a desk marked it sent by hand)."""
Answer = Literal["accepted", "rejected"]
ANSWERS = ("accepted", "rejected")
ORIGIN = "central"
"""HLC node of the central's own writes."""


class ClaimError(Exception):
    """A refusal with an HTTP status and a reason code (see ``desk.central.auth.REASONS``)."""

    def __init__(self, status: int, error: str) -> None:
        super().__init__(error)
        self.status = status
        self.error = error


class ClaimParty(BaseModel):
    seq: int | None
    plate: str | None
    vehicle_type: str | None
    insurer: str | None
    liability: str | None


class ClaimOut(BaseModel):
    id: str
    rev: int
    status: str
    insurer: str | None
    policy_no: str | None
    queued_at: float | None
    case_id: str | None
    case_no: str | None
    case_state: str | None
    reported_at: float | None
    decided_at: float | None
    place: str | None
    accident_type: str | None
    narrative: str | None
    party_id: str | None
    party_name: str | None
    party_phone: str | None
    plate: str | None
    liability: str | None
    parties: list[ClaimParty]
    """Every party of the case (no names or ID numbers of the others: the insurer needs their
    plates, insurers and liability to settle, not their identities)."""


class AckOut(BaseModel):
    id: str
    status: Answer
    rev: int
    seq: int | None
    replayed: bool


def _s(value: Any) -> str | None:
    return None if value is None else str(value)


def _f(value: Any) -> float | None:
    # Records are client-written JSON: a wrong type must not break the answer's schema.
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _i(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _scope(who: Principal) -> str | None:
    """The one insurance company an insurer token may see, or ``None`` for all."""
    return who.station_id if who.role == "insurer" and who.station_id else None


def list_claims(store: CentralStore, ns: str, who: Principal, limit: int) -> list[ClaimOut]:
    """Claims pushed and not yet answered, oldest first, with their case and parties."""
    scope = _scope(who)
    rows = store.find_records(ns, QUEUE, "status", OPEN_STATUSES, limit,
                              also={"insurer": scope} if scope else None)
    case_ids = {str(d["case_id"]) for d, _ in rows if d.get("case_id") is not None}
    cases = store.records(ns, "accident_cases", case_ids)
    parties_by_case: dict[str, list[dict[str, Any]]] = {}
    if case_ids:
        for data, _ in store.find_records(ns, "accident_parties", "case_id", sorted(case_ids),
                                          100_000):
            parties_by_case.setdefault(str(data.get("case_id")), []).append(data)
    out: list[ClaimOut] = []
    for data, rev in rows:
        case_id = _s(data.get("case_id"))
        case = cases.get(case_id or "", ({}, 0))[0]
        parties = sorted(parties_by_case.get(case_id or "", []),
                         key=lambda p: _i(p.get("seq")) or 0)
        mine = next((p for p in parties if p.get("id") == data.get("party_id")), {})
        out.append(ClaimOut(
            id=str(data["id"]), rev=rev, status=str(data.get("status")),
            insurer=_s(data.get("insurer")), policy_no=_s(data.get("policy_no")),
            queued_at=_f(data.get("queued_at")), case_id=case_id,
            case_no=_s(case.get("case_no")), case_state=_s(case.get("state")),
            reported_at=_f(case.get("reported_at")), decided_at=_f(case.get("decided_at")),
            place=_s(case.get("place")), accident_type=_s(case.get("accident_type")),
            narrative=_s(case.get("narrative")), party_id=_s(data.get("party_id")),
            party_name=_s(mine.get("name")), party_phone=_s(mine.get("phone")),
            plate=_s(mine.get("plate")), liability=_s(mine.get("liability")),
            parties=[ClaimParty(seq=_i(p.get("seq")), plate=_s(p.get("plate")),
                                vehicle_type=_s(p.get("vehicle_type")),
                                insurer=_s(p.get("insurer")), liability=_s(p.get("liability")))
                     for p in parties],
        ))
    return out


def _allow(*_args: Any) -> str | None:
    # The endpoint has already checked the role and the insurer's scope.
    return None


def _write(  # noqa: PLR0917
    store: CentralStore, ns: str, who: Principal, entity: str, entity_id: str,
    patch: dict[str, Any], base_rev: int, now: float,
) -> tuple[str, int, int | None, str]:
    op = OpIn(uuid.uuid4().hex, entity, entity_id, "update", patch, base_rev,
              f"{int(now * 1000):013d}.{0:010d}.{ORIGIN}")
    res = store.apply_ops(ns, ORIGIN, [op], who, _allow)[0]
    return res.status, res.rev, res.seq, res.reason or ""


def acknowledge(  # noqa: PLR0917
    store: CentralStore, ns: str, who: Principal, claim_id: str, decision: Answer, reason: str,
    claim_no: str | None,
) -> AckOut:
    """Record the insurer's answer as a data change of the claim (and touch its case, so the desk
    showing the case re-reads it). Answering twice the same way is a harmless replay; changing
    an answer is refused (409): the desk and the parties have already been told."""
    if decision not in ANSWERS:
        raise ClaimError(400, "bad_request")
    reason = reason.strip()
    if decision == "rejected" and not reason:
        raise ClaimError(400, "reason_required")
    found = store.records(ns, QUEUE, [claim_id]).get(claim_id)
    if found is None:
        raise ClaimError(404, "not_found")
    data, rev = found
    scope = _scope(who)
    if scope is not None and data.get("insurer") != scope:
        store.audit(who, "insurance.ack", f"{ns}/{QUEUE}/{claim_id}", "denied",
                    {"reason": "other_insurer"})
        raise ClaimError(403, "other_insurer")
    if data.get("status") in ANSWERS:
        if data.get("status") == decision and (data.get("ack_reason") or "") == reason:
            return AckOut(id=claim_id, status=decision, rev=rev, seq=None, replayed=True)
        raise ClaimError(409, "already_acked")
    now = time.time()
    patch: dict[str, Any] = {
        "status": decision, "ack_reason": reason, "acked_at": now, "acked_by": who.name,
        "insurer_claim_no": (claim_no or "").strip(), "updated_at": now,
    }
    status, new_rev, seq, why = _write(store, ns, who, QUEUE, claim_id, patch, rev, now)
    if status == "conflict":
        raise ClaimError(409, "conflict")
    if status == "rejected":
        raise ClaimError(422, why or "bad_request")
    case_id = _s(data.get("case_id"))
    case = store.records(ns, "accident_cases", [case_id]).get(case_id) if case_id else None
    if case_id and case is not None:
        # The case view re-reads a case when the case changes; its claims alone would not do.
        _write(store, ns, who, "accident_cases", case_id, {"updated_at": now}, case[1], now)
    store.audit(who, "insurance.ack", f"{ns}/{QUEUE}/{claim_id}", "applied",
                {"decision": decision, "reason": reason, "claim_no": claim_no, "case_id": case_id})
    return AckOut(id=claim_id, status=decision, rev=new_rev, seq=seq, replayed=False)

