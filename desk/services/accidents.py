"""Minor-accident quick handling (轻微事故快处) as use cases: report, draft, accept, decide, settle,
hand off to insurers, close or leave the quick procedure; evidence files; the chief's KPIs.

Every change goes through ``workspace.write`` (change log and sync outbox included); every state
change also writes its own ``accident_state_log`` row (state, time, who). Evidence and generated
documents are stored content-addressed (sha256) in a folder beside the workspace file, so the same
photo uploaded twice is stored once and a file can never silently change under its case.
"""

from __future__ import annotations

import hashlib
import json
import logging
import mimetypes
import statistics
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from desk.domain.accidents import (
    CONFIRM_METHODS,
    QUICK_HANDLED,
    AccidentCase,
    AccidentType,
    CaseState,
    CollisionForm,
    EvidenceKind,
    LiabilityLevel,
    Party,
    QueueEntry,
    Route,
    Targets,
    Urgency,
    check_transition,
    confirmation_blockers,
    decision_blockers,
    determination_blockers,
    normalize_id,
    normalize_phone,
    normalize_plate,
    route_case,
    settlement_blockers,
)
from desk.domain.accidents.case import case_to_row, party_from_row, party_to_row
from desk.feeds.base import FeedEvent
from desk.services.context import AppContext

log = logging.getLogger(__name__)

FEED_KIND = "accident.report"
"""FeedEvent kind carrying a new accident report (demo stream, drill injects, the central)."""

OVERDUE_KEY = "accident.overdue:"
"""Dedup-key prefix of a case's 'over target time' alert (the case id follows)."""

EDITABLE_STATES = frozenset({CaseState.REPORTED, CaseState.ACCEPTED})
"""Facts and parties may change only until liability is decided; documents then stand."""

INSURANCE_STATUS_LABELS = {
    "queued": "待推送",
    "sent": "已推送",
    "accepted": "已受理",
    "rejected": "被拒绝",
}
"""Claim hand-off states. ``queued`` rows travel to desk-central with the sync; the insurer's
answer (``accepted``/``rejected`` with a reason) comes back through the change feed."""


class AccidentError(ValueError):
    """A refused accident operation; ``str(err)`` is a Chinese message for the dispatcher."""


class DecisionBlockedError(AccidentError):
    """A decision or settlement refused because facts are missing; ``blockers`` lists them."""

    def __init__(self, blockers: list[str]) -> None:
        super().__init__("不能定责：" + "；".join(blockers))
        self.blockers = blockers


@dataclass(frozen=True, slots=True)
class EvidenceRecord:
    id: str
    case_id: str
    kind: EvidenceKind
    sha256: str
    filename: str
    media_type: str
    size: int
    added_at: float
    path: Path

    @property
    def is_video(self) -> bool:
        return self.media_type.startswith("video/")


@dataclass(frozen=True, slots=True)
class DocumentRecord:
    id: str
    case_id: str
    kind: str  # "decision" (认定书) | "settlement" (协议书)
    sha256: str
    filename: str
    created_at: float
    path: Path

    @property
    def title(self) -> str:
        return DOCUMENT_TITLES.get(self.kind, self.kind)


DOCUMENT_TITLES = {
    "decision": "道路交通事故认定书（简易程序）",
    "settlement": "道路交通事故自行协商协议书",
}


@dataclass(frozen=True, slots=True)
class StateLogRow:
    state: CaseState
    at: float
    actor: str
    reason: str


@dataclass(frozen=True, slots=True)
class AccidentKpis:
    """A day's figures. ``quick_rate`` = quick-handled ÷ all minor accidents reported that day
    (cancelled reports excluded: they were not accidents)."""

    day_start: float
    per_hour: tuple[int, ...]
    total: int
    quick_handled: int
    general_procedure: int
    cancelled: int
    open_now: int
    median_accept_s: float | None
    median_decide_s: float | None
    accept_on_target: float | None  # share accepted within the target
    decide_on_target: float | None
    targets: Targets = field(default_factory=Targets)
    on_scene: int = 0  # 转现场处理（简易程序）, counted apart from 一般程序

    @property
    def quick_rate(self) -> float | None:
        return self.quick_handled / self.total if self.total else None


def _new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:16]}"


CST_OFFSET_S = 8 * 3600
"""China Standard Time (UTC+8, no daylight saving): the control room's clock, whatever the host's
zone."""


def local_day_start(at: float) -> float:
    """Midnight China Standard Time before ``at`` (the control room's day)."""
    return (at + CST_OFFSET_S) // 86400 * 86400 - CST_OFFSET_S


def cst_hour(at: float) -> int:
    return int((at + CST_OFFSET_S) % 86400 // 3600)


def workstation_code(workstation: str) -> str:
    """Four hex digits that stand for a workstation name, stable across runs and machines."""
    return hashlib.sha256(workstation.encode("utf-8")).hexdigest()[:4].upper()


class AccidentService:
    """Accident cases of one workspace: ``ctx.service(AccidentService)``."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.ws = ctx.workspace
        self.targets = Targets.from_settings(ctx.settings)
        self._listeners: list[Callable[[str], None]] = []

    # -- paths ---------------------------------------------------------------------------------

    @property
    def files_dir(self) -> Path:
        """The content-addressed store beside the workspace file (``<name>.files/``)."""
        return self.ws.path.parent / f"{self.ws.path.name}.files"

    def blob_path(self, sha256: str) -> Path:
        return self.files_dir / sha256[:2] / sha256

    def _store_blob(self, content: bytes) -> str:
        sha = hashlib.sha256(content).hexdigest()
        path = self.blob_path(sha)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            # Write beside, then rename: a crash never leaves a half file under a valid hash.
            tmp = path.with_suffix(".part")
            tmp.write_bytes(content)
            tmp.replace(path)
        return sha

    @property
    def officer(self) -> str:
        return str(self.ctx.settings.get("accidents.officer") or self.ctx.actor)

    @property
    def officer_badge(self) -> str:
        """警号 of the deciding officer: the setting, else the operator's badge when the app
        knows one, else (demo city only) a demo badge."""
        badge = self.ctx.settings.get("accidents.officer_badge")
        if not badge:
            operator = getattr(self.ctx, "operator", None)
            badge = getattr(operator, "badge", None) or getattr(operator, "code", None)
        if not badge and self.ctx.demo:
            badge = "演示000001"
        return str(badge or "")

    @property
    def issuing_unit(self) -> str:
        """The 公安机关交通管理部门 named on the 认定书."""
        unit = self.ctx.settings.get("accidents.issuing_unit")
        if not unit and self.ctx.demo:
            unit = "郑州市公安局交通警察支队（演示）"
        return str(unit or "")

    # -- listeners (for the UI: a case was turned into an ordinary incident) ---------------------

    def subscribe_general_procedure(self, listener: Callable[[str], None]) -> Callable[[], None]:
        """Call ``listener(case_id)`` after a case is handed to the ordinary procedure."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    # -- creating ------------------------------------------------------------------------------

    def find_by_key(self, case_key: str) -> str | None:
        row = self.ws.db.execute(
            "SELECT id FROM accident_cases WHERE case_key = ?", [case_key]
        ).fetchone()
        return None if row is None else str(row[0])

    def create_case(
        self,
        *,
        case_key: str | None = None,
        lat: float | None = None,
        lon: float | None = None,
        place: str = "",
        weather: str = "",
        accident_type: AccidentType | str = AccidentType.OTHER,
        collision_points: Iterable[str] = (),
        narrative: str = "",
        parties: Iterable[Mapping[str, Any]] = (),
        eligibility: Mapping[str, bool | None] | None = None,
        reported_at: float | None = None,
        source: str = "manual",
        actor: str | None = None,
        occurred_at: float | None = None,
        collision_form: CollisionForm | str | None = None,
    ) -> AccidentCase:
        """Register a report (报警). Re-submitting the same ``case_key`` returns the existing
        case unchanged: a client that retries after a lost answer never makes a duplicate."""
        key = (case_key or "").strip() or _new_id("key")
        existing = self.find_by_key(key)
        if existing is not None:
            log.info("accident re-submission with key %s -> %s (no duplicate)", key, existing)
            return self.get(existing)
        now = self.ctx.clock()
        at = reported_at if reported_at is not None else now
        case_id = _new_id("acc")
        party_list = [self._party_from_mapping(case_id, i + 1, p) for i, p in enumerate(parties)]
        while len(party_list) < 2:
            party_list.append(Party(id=f"{case_id}-p{len(party_list) + 1}", seq=len(party_list) + 1))
        who = actor or self.ctx.actor
        with self.ws.write(who, origin=self) as tx:
            case = AccidentCase(
                id=case_id,
                case_no=self._next_case_no(at),
                state=CaseState.REPORTED,
                reported_at=at,
                lat=lat,
                lon=lon,
                place=place,
                weather=weather,
                accident_type=AccidentType.parse(accident_type),
                collision_points=tuple(collision_points),
                narrative=narrative,
                parties=party_list,
                eligibility=dict(eligibility or {}),
                case_key=key,
                source=source,
                updated_at=now,
                occurred_at=occurred_at,
                collision_form=(CollisionForm.parse(collision_form)
                                or AccidentType.parse(accident_type).default_form),
            )
            tx.insert("accident_cases", _stored(case_to_row(case)))
            tx.insert_many("accident_parties", [party_to_row(case_id, p) for p in party_list])
            tx.insert("accident_state_log", {
                "id": _new_id("asl"), "case_id": case_id, "state": CaseState.REPORTED.value,
                "at": at, "actor": who, "reason": "",
            })
        log.info("accident case %s (%s) reported at %s", case.case_no, case_id, place)
        return case

    def _next_case_no(self, at: float) -> str:
        """快处 case numbers count per local day and per workstation: ``KC20261122-0007-3FA2``.

        The suffix is a short code of the workstation, so two desks numbering offline never hand
        out the same number to different cases (their ids differ anyway; people read numbers)."""
        day = time.strftime("%Y%m%d", time.gmtime(at + CST_OFFSET_S))
        prefix = f"KC{day}-"
        suffix = "-" + workstation_code(self.ctx.workstation)
        row = self.ws.db.execute(
            "SELECT max(case_no) FROM accident_cases WHERE case_no LIKE ? AND case_no LIKE ?",
            [prefix + "%", "%" + suffix],
        ).fetchone()
        last = 0
        if row and row[0]:
            try:
                last = int(str(row[0])[len(prefix):len(prefix) + 4])
            except ValueError:
                last = 0
        return f"{prefix}{last + 1:04d}{suffix}"

    @staticmethod
    def _party_from_mapping(case_id: str, seq: int, data: Mapping[str, Any]) -> Party:
        return Party(
            id=str(data.get("id") or f"{case_id}-p{seq}"),
            seq=seq,
            name=str(data.get("name") or ""),
            id_number=normalize_id(str(data.get("id_number") or "")),
            phone=normalize_phone(str(data.get("phone") or "")),
            vehicle_type=str(data.get("vehicle_type") or ""),
            plate=normalize_plate(str(data.get("plate") or "")),
            insurer=str(data.get("insurer") or ""),
            policy_no=str(data.get("policy_no") or ""),
            initiator=bool(data.get("initiator")),
            liability=LiabilityLevel.parse(data.get("liability")),
            vehicle_use=str(data.get("vehicle_use") or ""),
            licence_type=str(data.get("licence_type") or "resident"),
            licence_no=normalize_id(str(data.get("licence_no") or "")),
            permitted_class=str(data.get("permitted_class") or "").upper(),
        )

    # -- reading -------------------------------------------------------------------------------

    def get(self, case_id: str) -> AccidentCase:
        row = self.ws.db.execute(
            "SELECT * FROM accident_cases WHERE id = ?", [case_id]
        ).fetchone()
        if row is None:
            raise AccidentError(f"案件不存在：{case_id}")
        cols = [d[0] for d in self.ws.db.execute("SELECT * FROM accident_cases LIMIT 0").description]
        data = dict(zip(cols, row, strict=True))
        cur = self.ws.db.execute(
            "SELECT * FROM accident_parties WHERE case_id = ? ORDER BY seq", [case_id]
        )
        pcols = [d[0] for d in cur.description]
        parties = [party_from_row(dict(zip(pcols, r, strict=True))) for r in cur.fetchall()]
        return AccidentCase(
            id=data["id"],
            case_no=data["case_no"] or "",
            state=CaseState(data["state"]),
            reported_at=float(data["reported_at"]),
            lat=data["lat"],
            lon=data["lon"],
            place=data["place"] or "",
            weather=data["weather"] or "",
            accident_type=AccidentType.parse(data["accident_type"]),
            collision_points=tuple(json.loads(data["collision_points"] or "[]")),
            narrative=data["narrative"] or "",
            parties=parties,
            eligibility=json.loads(data["eligibility"] or "{}"),
            liability_override_reason=data["liability_override_reason"] or "",
            officer=data["officer"] or "",
            case_key=data["case_key"] or "",
            source=data["source"] or "",
            accepted_at=data["accepted_at"],
            decided_at=data["decided_at"],
            closed_at=data["closed_at"],
            incident_id=data["incident_id"],
            updated_at=float(data["updated_at"] or 0.0),
            occurred_at=data.get("occurred_at"),
            collision_form=CollisionForm.parse(data.get("collision_form")),
            mediation_requested=bool(data.get("mediation_requested")),
            mediation_result=data.get("mediation_result") or "",
            doc_no=data.get("doc_no") or "",
            officer_badge=data.get("officer_badge") or "",
            issuing_unit=data.get("issuing_unit") or "",
        )

    def open_entries(self) -> list[QueueEntry]:
        """Every open case as a queue entry (one query; the queue filters in memory)."""
        open_states = [s.value for s in CaseState if s.is_open]
        marks = ",".join("?" for _ in open_states)
        rows = self.ws.db.execute(
            f"""SELECT c.id, c.case_no, c.state, c.reported_at, c.place, c.accident_type,
                       c.accepted_at, group_concat(p.plate, ' ')
                FROM accident_cases c LEFT JOIN accident_parties p ON p.case_id = c.id
                WHERE c.state IN ({marks}) GROUP BY c.id""",
            open_states,
        ).fetchall()
        return [_entry(r) for r in rows]

    def queue_entry(self, case_id: str) -> QueueEntry | None:
        row = self.ws.db.execute(
            """SELECT c.id, c.case_no, c.state, c.reported_at, c.place, c.accident_type,
                      c.accepted_at, group_concat(p.plate, ' ')
               FROM accident_cases c LEFT JOIN accident_parties p ON p.case_id = c.id
               WHERE c.id = ? GROUP BY c.id""",
            [case_id],
        ).fetchone()
        if row is None:
            return None
        entry = _entry(row)
        return entry if entry.state.is_open else None

    def case_ids_of_parties(self, party_ids: Iterable[str]) -> set[str]:
        return self._case_ids_of("accident_parties", party_ids)

    def case_ids_of_claims(self, claim_ids: Iterable[str]) -> set[str]:
        """Cases of insurance-queue rows (an insurer's answer arrives as a change to the claim)."""
        return self._case_ids_of("accident_insurance_queue", claim_ids)

    def _case_ids_of(self, table: str, row_ids: Iterable[str]) -> set[str]:
        ids = list(row_ids)
        if not ids:
            return set()
        marks = ",".join("?" for _ in ids)
        rows = self.ws.db.execute(
            f"SELECT DISTINCT case_id FROM {table} WHERE id IN ({marks})", ids
        ).fetchall()
        return {str(r[0]) for r in rows}

    def state_log(self, case_id: str) -> list[StateLogRow]:
        rows = self.ws.db.execute(
            "SELECT state, at, actor, reason FROM accident_state_log WHERE case_id = ? "
            "ORDER BY at, rowid",
            [case_id],
        ).fetchall()
        return [StateLogRow(CaseState(s), float(a), str(w), str(r or "")) for s, a, w, r in rows]

    def evidence(self, case_id: str) -> list[EvidenceRecord]:
        rows = self.ws.db.execute(
            "SELECT id, case_id, kind, sha256, filename, media_type, size, added_at "
            "FROM accident_evidence WHERE case_id = ? ORDER BY added_at, rowid",
            [case_id],
        ).fetchall()
        return [
            EvidenceRecord(r[0], r[1], EvidenceKind(r[2]), r[3], r[4], r[5], int(r[6]),
                           float(r[7]), self.blob_path(r[3]))
            for r in rows
        ]

    def documents(self, case_id: str) -> list[DocumentRecord]:
        rows = self.ws.db.execute(
            "SELECT id, case_id, kind, sha256, filename, created_at FROM accident_documents "
            "WHERE case_id = ? ORDER BY created_at, rowid",
            [case_id],
        ).fetchall()
        return [
            DocumentRecord(r[0], r[1], r[2], r[3], r[4], float(r[5]), self.blob_path(r[3]))
            for r in rows
        ]

    def insurance_status(self, case_id: str) -> list[dict[str, Any]]:
        """The case's claims, one per insured party, with a label for the dispatcher.

        A queued claim the central has confirmed (it has a server revision) shows 已推送: the
        insurer can see it. The insurer's reason is part of the label (被拒绝：…), so the case
        view's status column tells the whole answer.
        """
        delivered = (
            "EXISTS (SELECT 1 FROM sync_records r WHERE r.entity = 'accident_insurance_queue' "
            "AND r.entity_id = q.id)" if self._has_table("sync_records") else "0"
        )
        rows = self.ws.db.execute(
            "SELECT q.id, q.party_id, p.seq, p.plate, q.insurer, q.policy_no, q.status, "
            "q.queued_at, q.updated_at, q.attempts, q.last_error, q.ack_reason, q.acked_at, "
            f"q.acked_by, q.insurer_claim_no, {delivered} FROM accident_insurance_queue q "
            "LEFT JOIN accident_parties p ON p.id = q.party_id WHERE q.case_id = ? ORDER BY p.seq",
            [case_id],
        ).fetchall()
        keys = ("id", "party_id", "seq", "plate", "insurer", "policy_no", "status", "queued_at",
                "updated_at", "attempts", "last_error", "ack_reason", "acked_at", "acked_by",
                "insurer_claim_no", "delivered")
        out = [dict(zip(keys, r, strict=True)) for r in rows]
        for item in out:
            item["delivered"] = bool(item["delivered"])
            status = item["status"]
            if status == "queued" and item["delivered"]:
                status = "sent"
            label = INSURANCE_STATUS_LABELS.get(status, status)
            if item["status"] in ("accepted", "rejected"):
                extra = "，".join(
                    t for t in (item["insurer_claim_no"] and f"报案号 {item['insurer_claim_no']}",
                                item["ack_reason"]) if t
                )
                if extra:
                    label = f"{label}：{extra}"
            item["status_label"] = label
        return out

    def _has_table(self, name: str) -> bool:
        return self.ws.db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [name]
        ).fetchone() is not None

    def blockers(self, case: AccidentCase, *, settlement: bool = False) -> list[str]:
        """What stops 定责 (or, with ``settlement``, the 协议书), in Chinese."""
        kinds = [e.kind for e in self.evidence(case.id)]
        if settlement:
            return settlement_blockers(case, kinds) + confirmation_blockers(case)
        out = decision_blockers(case, kinds) + determination_blockers(case)
        if not self.officer_badge:
            out.append("未登记民警警号（设置 accidents.officer_badge）")
        if not self.issuing_unit:
            out.append("未设置文书签发单位（设置 accidents.issuing_unit）")
        return out

    def route(self, case: AccidentCase) -> Route | None:
        """Where the answers and the parties' data send the case (None while questions remain
        open and nothing refuses yet)."""
        result = route_case(case)
        return None if result.eligible is None else result.route

    # -- drafts --------------------------------------------------------------------------------

    def save_draft(
        self, case: AccidentCase, *, base: AccidentCase | None = None, actor: str | None = None
    ) -> AccidentCase:
        """Save what the dispatcher typed, field by field.

        ``base`` is the case as the form loaded it: only the fields that differ between ``base``
        and ``case`` are this user's edits, and only those are written, so a field another desk
        changed meanwhile survives. When another desk changed the *same* field to something else,
        the stored value stays and the edit goes to the sync conflict list (``sync_conflicts``,
        resolved with ``desk.sync.resolve_conflict``); ``last_draft_conflicts`` names those
        fields. The checklist merges answer by answer. Without ``base`` the stored case is the
        base (every difference is an edit). Malformed values are kept, since a draft may be
        incomplete — ``blockers`` says what a decision still needs."""
        stored = self.get(case.id)
        self.last_draft_conflicts: list[str] = []
        if stored.state not in EDITABLE_STATES:
            raise AccidentError(f"案件已{stored.state.label}，内容不能再修改")
        base = base or stored
        fixed: dict[str, Any] = {"state": stored.state, "case_no": stored.case_no, "case_key": stored.case_key,
                 "reported_at": stored.reported_at, "accepted_at": stored.accepted_at,
                 "decided_at": stored.decided_at, "closed_at": stored.closed_at,
                 "incident_id": stored.incident_id, "updated_at": 0.0}
        new_row = case_to_row(replace(case, parties=[], **fixed))
        base_row = case_to_row(replace(base, parties=[], **fixed))
        old_row = case_to_row(replace(stored, parties=[], **fixed))
        mine = {k: v for k, v in new_row.items() if base_row.get(k) != v}
        patch: dict[str, Any] = {}
        conflicts: list[tuple[str, str, dict[str, Any], dict[str, Any]]] = []
        case_conflict: tuple[dict[str, Any], dict[str, Any]] = ({}, {})
        for key, value in mine.items():
            if key == "eligibility":
                merged, clashes = _merge_answers(base.eligibility, case.eligibility,
                                                 stored.eligibility)
                if merged != stored.eligibility:
                    patch[key] = merged
                if clashes:
                    case_conflict[0][key] = {**stored.eligibility, **clashes}
                    case_conflict[1][key] = stored.eligibility
                continue
            theirs = old_row.get(key)
            if theirs == value:
                continue
            if theirs != base_row.get(key):
                case_conflict[0][key] = value
                case_conflict[1][key] = theirs
                continue
            patch[key] = value
        if case_conflict[0]:
            conflicts.append(("accident_cases", case.id, *case_conflict))
        base_parties = {p.id: party_to_row(case.id, p) for p in base.parties}
        old_parties = {p.id: party_to_row(case.id, p) for p in stored.parties}
        new_parties = {p.id: party_to_row(case.id, p) for p in case.parties}
        party_inserts: list[dict[str, Any]] = []
        party_updates: dict[str, dict[str, Any]] = {}
        for pid, row in new_parties.items():
            was = base_parties.get(pid)
            now_row = old_parties.get(pid)
            if now_row is None:
                if was is None:
                    party_inserts.append(row)
                continue  # deleted elsewhere meanwhile: not brought back
            edits = {k: v for k, v in row.items() if (was or {}).get(k) != v}
            changed: dict[str, Any] = {}
            clash_mine: dict[str, Any] = {}
            clash_theirs: dict[str, Any] = {}
            for key, value in edits.items():
                theirs = now_row.get(key)
                if theirs == value:
                    continue
                if was is not None and theirs != was.get(key):
                    clash_mine[key] = value
                    clash_theirs[key] = theirs
                    continue
                changed[key] = value
            if changed:
                party_updates[pid] = changed
            if clash_mine:
                conflicts.append(("accident_parties", pid, clash_mine, clash_theirs))
        removed = [pid for pid in base_parties.keys() - new_parties.keys() if pid in old_parties]
        if not patch and not party_inserts and not party_updates and not removed and not conflicts:
            return stored
        now = self.ctx.clock()
        with self.ws.write(actor or self.ctx.actor, origin=self) as tx:
            if patch or party_inserts or party_updates or removed:
                patch["updated_at"] = now
                tx.update("accident_cases", case.id, _stored(patch))
            for row in party_inserts:
                tx.insert("accident_parties", row)
            for pid, changed in party_updates.items():
                tx.update("accident_parties", pid, changed)
            for pid in removed:
                tx.delete("accident_parties", pid)
            for entity, entity_id, local, server in conflicts:
                self._record_conflict(entity, entity_id, _stored(local), _stored(server), now)
                self.last_draft_conflicts.extend(f"{entity}.{k}" for k in local)
        if conflicts:
            log.warning("draft of %s: %d field(s) changed by another desk meanwhile, sent to the "
                        "conflict list: %s", stored.case_no, len(self.last_draft_conflicts),
                        ", ".join(self.last_draft_conflicts))
        return self.get(case.id)

    def _record_conflict(self, entity: str, entity_id: str, local: dict[str, Any],
                         server: dict[str, Any], now: float) -> None:
        """A draft edit that clashes with another desk's change, in the sync owner's conflict
        list (the same row shape the sync push writes for a 409), so one resolver handles both:
        ``keep="local"`` applies the dispatcher's value, ``keep="server"`` keeps the stored one."""
        if not self._has_table("sync_conflicts"):
            log.warning("no conflict list in this workspace; kept the stored %s %s", entity,
                        entity_id)
            return
        rev_row = self.ws.db.execute(
            "SELECT rev FROM sync_records WHERE entity = ? AND entity_id = ?", [entity, entity_id]
        ).fetchone() if self._has_table("sync_records") else None
        self.ws.db.execute(
            "INSERT INTO sync_conflicts (op_id, entity, entity_id, fields, server, server_rev, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [_new_id("draft"), entity, entity_id, json.dumps(local, ensure_ascii=False),
             json.dumps(server, ensure_ascii=False), int(rev_row[0]) if rev_row else 0, now],
        )

    def draft_conflicts(self, case_id: str) -> list[str]:
        """Open conflicts on this case and its parties, as 'entity.field' names."""
        if not self._has_table("sync_conflicts"):
            return []
        party_ids = [r[0] for r in self.ws.db.execute(
            "SELECT id FROM accident_parties WHERE case_id = ?", [case_id])]
        ids = [case_id, *party_ids]
        marks = ",".join("?" for _ in ids)
        out: list[str] = []
        for entity, fields in self.ws.db.execute(
            f"SELECT entity, fields FROM sync_conflicts WHERE resolved_at IS NULL AND entity_id "
            f"IN ({marks}) ORDER BY id", ids,
        ):
            out.extend(f"{entity}.{k}" for k in json.loads(fields))
        return out

    def add_party(self, case_id: str) -> AccidentCase:
        case = self.get(case_id)
        seq = max((p.seq for p in case.parties), default=0) + 1
        case.parties.append(Party(id=f"{case_id}-p{seq}-{uuid.uuid4().hex[:4]}", seq=seq))
        return self.save_draft(case)

    # -- evidence ------------------------------------------------------------------------------

    def add_evidence(
        self,
        case_id: str,
        source: Path | str | bytes,
        kind: EvidenceKind | str,
        *,
        filename: str | None = None,
        actor: str | None = None,
    ) -> EvidenceRecord:
        """Store a photo or video for a case. The same content under the same kind is listed
        once; a file that cannot be read is refused with a Chinese message."""
        kind = EvidenceKind(kind) if isinstance(kind, str) else kind
        if isinstance(source, bytes):
            content = source
            name = filename or f"{kind.value}.bin"
        else:
            path = Path(source)
            try:
                content = path.read_bytes()
            except OSError as exc:
                log.warning("evidence file unreadable: %s (%s)", path, exc)
                raise AccidentError(f"无法读取证据文件：{path.name}") from exc
            name = filename or path.name
        if not content:
            raise AccidentError(f"证据文件是空的：{name}")
        self.get(case_id)  # refuses an unknown case before anything is stored
        media_type = mimetypes.guess_type(name)[0] or _sniff_media_type(content)
        sha = self._store_blob(content)
        for existing in self.evidence(case_id):
            if existing.sha256 == sha and existing.kind is kind:
                return existing
        now = self.ctx.clock()
        ev_id = _new_id("ev")
        record: dict[str, Any] = {
            "id": ev_id, "case_id": case_id, "kind": kind.value, "sha256": sha,
            "filename": name, "media_type": media_type, "size": len(content), "added_at": now,
            "added_by": actor or self.ctx.actor,
        }
        with self.ws.write(actor or self.ctx.actor, origin=self) as tx:
            tx.insert("accident_evidence", record)
        return EvidenceRecord(ev_id, case_id, kind, sha, name, media_type, len(content),
                              now, self.blob_path(sha))

    # -- transitions ---------------------------------------------------------------------------

    def transition(
        self, case_id: str, target: CaseState, *, reason: str = "", actor: str | None = None
    ) -> AccidentCase:
        """Move a case to ``target`` with the side effects that state carries (documents, claim
        queue, incident). Illegal transitions and missing facts are refused before anything is
        written."""
        if target is CaseState.ACCEPTED:
            return self.accept(case_id, actor=actor)
        if target is CaseState.DECIDED:
            return self.decide(case_id, reason=reason, actor=actor)
        if target is CaseState.SELF_SETTLED:
            return self.settle(case_id, actor=actor)
        if target is CaseState.CLAIM_PUSHED:
            return self.push_claims(case_id, actor=actor)
        if target is CaseState.CLOSED:
            return self.close(case_id, actor=actor)
        if target is CaseState.GENERAL_PROCEDURE:
            return self.to_general_procedure(case_id, reason, actor=actor)
        if target is CaseState.ON_SCENE:
            return self.to_on_scene(case_id, reason, actor=actor)
        if target is CaseState.CANCELLED:
            return self.cancel(case_id, reason, actor=actor)
        raise AccidentError(f"不能转为“{target.label}”")

    def _move(
        self,
        case: AccidentCase,
        target: CaseState,
        *,
        reason: str = "",
        actor: str | None,
        extra: Mapping[str, Any] | None = None,
        also: Callable[[Any], None] | None = None,
        reopen: bool = False,
    ) -> AccidentCase:
        check_transition(case.state, target, reason, reopen=reopen)
        who = actor or self.ctx.actor
        now = self.ctx.clock()
        patch: dict[str, Any] = {"state": target.value, "updated_at": now, **(extra or {})}
        with self.ws.write(who, origin=self) as tx:
            # Re-read inside the transaction: another desk may have moved the case meanwhile.
            row = tx.db.execute("SELECT state FROM accident_cases WHERE id = ?", [case.id]).fetchone()
            if row is None or row[0] != case.state.value:
                raise AccidentError("案件状态已被其他席位更改，请刷新后重试")
            tx.update("accident_cases", case.id, patch)
            tx.insert("accident_state_log", {
                "id": _new_id("asl"), "case_id": case.id, "state": target.value, "at": now,
                "actor": who, "reason": reason.strip(),
            })
            if also is not None:
                also(tx)
        log.info("accident %s: %s -> %s by %s", case.case_no, case.state.label, target.label, who)
        self._resolve_alert(case.id, who)
        return self.get(case.id)

    def accept(self, case_id: str, *, actor: str | None = None) -> AccidentCase:
        """受理: the call-taker takes the case (video intake starts)."""
        case = self.get(case_id)
        return self._move(case, CaseState.ACCEPTED, actor=actor,
                          extra={"accepted_at": self.ctx.clock()})

    def decide(self, case_id: str, *, reason: str = "", actor: str | None = None) -> AccidentCase:
        """定责: the officer decides liability; the 认定书 is generated and stored."""
        case = self.get(case_id)
        check_transition(case.state, CaseState.DECIDED)
        blockers = self.blockers(case)
        if blockers:
            raise DecisionBlockedError(blockers)
        who = actor or self.ctx.actor
        now = self.ctx.clock()
        badge, unit, doc_no = self.officer_badge, self.issuing_unit, self._doc_no("decision", case)
        extra = {"decided_at": now, "officer": self.officer, "officer_badge": badge,
                 "issuing_unit": unit, "doc_no": doc_no}
        decided = replace(case, state=CaseState.DECIDED, decided_at=now, officer=self.officer,
                          officer_badge=badge, issuing_unit=unit, doc_no=doc_no)
        doc = self._render("decision", decided, now)
        return self._move(case, CaseState.DECIDED, reason=reason, actor=who, extra=extra,
                          also=lambda tx: self._insert_document(tx, case.id, "decision", doc, now))

    def _doc_no(self, kind: str, case: AccidentCase) -> str:
        """文书编号: the department's prefix, the year and the case's own number (unique per
        workstation and day, see ``_next_case_no``)."""
        prefix = str(self.ctx.settings.get("accidents.doc_prefix") or "")
        word = "简易认字" if kind == "decision" else "协字"
        year = time.strftime("%Y", time.gmtime(case.reported_at + CST_OFFSET_S))
        return f"{prefix}{word}〔{year}〕第{case.case_no}号"

    def settle(self, case_id: str, *, actor: str | None = None) -> AccidentCase:
        """当事人自行协商: the parties agree liability; the agreement is generated and stored."""
        case = self.get(case_id)
        check_transition(case.state, CaseState.SELF_SETTLED)
        blockers = self.blockers(case, settlement=True)
        if blockers:
            raise DecisionBlockedError(blockers)
        now = self.ctx.clock()
        doc_no = self._doc_no("settlement", case)
        settled = replace(case, state=CaseState.SELF_SETTLED, decided_at=now, doc_no=doc_no)
        doc = self._render("settlement", settled, now)
        # The 协议书 is the parties' own agreement: no officer is recorded on it.
        return self._move(case, CaseState.SELF_SETTLED, actor=actor,
                          extra={"decided_at": now, "doc_no": doc_no},
                          also=lambda tx: self._insert_document(tx, case.id, "settlement", doc, now))

    def confirm_party(
        self, case_id: str, party_id: str, method: str, *, refused: bool = False,
        actor: str | None = None,
    ) -> AccidentCase:
        """Record how a party confirmed the agreement or the decision (``CONFIRM_METHODS``):
        the dispatcher who took it and when. ``refused`` notes a 拒绝签名. ``method=''`` clears
        it."""
        if method and method not in CONFIRM_METHODS:
            raise AccidentError(f"未知的确认方式：{method}")
        case = self.get(case_id)
        if case.state not in EDITABLE_STATES:
            raise AccidentError(f"案件已{case.state.label}，内容不能再修改")
        if not any(p.id == party_id for p in case.parties):
            raise AccidentError(f"当事人不存在：{party_id}")
        who = actor or self.ctx.actor
        now = self.ctx.clock()
        with self.ws.write(who, origin=self) as tx:
            tx.update("accident_parties", party_id, {
                "confirm_method": method, "signature_refused": int(refused),
                "confirmed_by": who if (method or refused) else "",
                "confirmed_at": now if (method or refused) else None,
            })
            tx.update("accident_cases", case_id, {"updated_at": now})
        return self.get(case_id)

    def push_claims(self, case_id: str, *, actor: str | None = None) -> AccidentCase:
        """理赔推送: queue the case for each party's insurer (sent on by sync when present)."""
        case = self.get(case_id)
        now = self.ctx.clock()

        def queue(tx: Any) -> None:
            for party in case.parties:
                if not party.insurer:
                    continue
                tx.insert("accident_insurance_queue", {
                    "id": _new_id("ins"), "case_id": case.id, "party_id": party.id,
                    "insurer": party.insurer, "policy_no": party.policy_no, "status": "queued",
                    "queued_at": now, "updated_at": now, "attempts": 0, "last_error": "",
                })

        return self._move(case, CaseState.CLAIM_PUSHED, actor=actor, also=queue)

    def set_insurance_status(
        self, queue_id: str, status: str, *, error: str = "", actor: str | None = None
    ) -> None:
        """Record what the insurer hand-off achieved (called by sync or by hand)."""
        if status not in INSURANCE_STATUS_LABELS:
            raise AccidentError(f"未知的理赔推送状态：{status}")
        row = self.ws.db.execute(
            "SELECT attempts FROM accident_insurance_queue WHERE id = ?", [queue_id]
        ).fetchone()
        if row is None:
            raise AccidentError(f"理赔推送记录不存在：{queue_id}")
        with self.ws.write(actor or self.ctx.actor, origin=self) as tx:
            tx.update("accident_insurance_queue", queue_id, {
                "status": status, "last_error": error, "updated_at": self.ctx.clock(),
                "attempts": int(row[0] or 0) + (1 if status in ("sent", "rejected") else 0),
            })

    def close(self, case_id: str, *, actor: str | None = None) -> AccidentCase:
        """结案."""
        case = self.get(case_id)
        return self._move(case, CaseState.CLOSED, actor=actor,
                          extra={"closed_at": self.ctx.clock()})

    def cancel(self, case_id: str, reason: str, *, actor: str | None = None) -> AccidentCase:
        """撤销 (reason required): a false, duplicate or withdrawn report."""
        case = self.get(case_id)
        return self._move(case, CaseState.CANCELLED, reason=reason, actor=actor,
                          extra={"closed_at": self.ctx.clock()})

    def to_general_procedure(
        self, case_id: str, reason: str, *, actor: str | None = None
    ) -> AccidentCase:
        """转一般程序: the case leaves quick handling for the ordinary procedure (立案,
        investigation) and becomes an incident police are sent to; listeners (the UI) then offer
        the nearest available units."""
        return self._leave(case_id, CaseState.GENERAL_PROCEDURE, reason, actor=actor)

    def to_on_scene(self, case_id: str, reason: str, *, actor: str | None = None) -> AccidentCase:
        """转现场处理（简易程序）: one officer handles the case at the scene (第23条); it also
        becomes an incident a unit is sent to."""
        return self._leave(case_id, CaseState.ON_SCENE, reason, actor=actor)

    def leave_quick(self, case_id: str, reason: str = "", *,
                    actor: str | None = None) -> AccidentCase:
        """Leave quick handling the way the answers route the case (现场简易程序 or 一般程序);
        refused while the answers allow quick handling or are incomplete."""
        case = self.get(case_id)
        result = route_case(case)
        if result.eligible is not False:
            raise AccidentError("快处条件未显示需转出，请先核实快处条件")
        text = reason.strip() or "；".join(str(r) for r in result.reasons)
        if result.route is Route.GENERAL:
            return self.to_general_procedure(case_id, text, actor=actor)
        return self.to_on_scene(case_id, text, actor=actor)

    def reopen_injury(
        self, case_id: str, reason: str, *, minor: bool, all_agree: bool,
        actor: str | None = None,
    ) -> AccidentCase:
        """A decided, settled or closed case turns out to have an injury: re-open it as an
        injury case. Minor injury with every party agreeing goes to the scene (简易程序, 第23条
        第一款(二)); otherwise 一般程序. The earlier document stays on record; the checklist now
        says someone was hurt."""
        case = self.get(case_id)
        target = CaseState.ON_SCENE if (minor and all_agree) else CaseState.GENERAL_PROCEDURE
        check_transition(case.state, target, reason, reopen=True)
        answers = {**case.eligibility, "property_damage_only": False, "injury_minor": minor,
                   "injury_all_agree": all_agree}
        text = f"发现人员受伤，重新立案：{reason.strip()}"
        return self._leave(case_id, target, text, actor=actor, reopen=True,
                           extra={"eligibility": json.dumps(answers, ensure_ascii=False)})

    def _leave(
        self, case_id: str, target: CaseState, reason: str, *, actor: str | None,
        reopen: bool = False, extra: Mapping[str, Any] | None = None,
    ) -> AccidentCase:
        case = self.get(case_id)
        incident_id = _new_id("inc")
        now = self.ctx.clock()
        who = actor or self.ctx.actor
        procedure = "general" if target is CaseState.GENERAL_PROCEDURE else "simple"

        def incident(tx: Any) -> None:
            tx.insert("accident_incidents", {
                "id": incident_id, "case_id": case.id, "lat": case.lat, "lon": case.lon,
                "place": case.place, "reasons": reason.strip(), "status": "open",
                "created_at": now, "created_by": who, "procedure": procedure,
            })

        moved = self._move(case, target, reason=reason, actor=who, reopen=reopen,
                           extra={"incident_id": incident_id, "closed_at": now, **(extra or {})},
                           also=incident)
        for listener in list(self._listeners):
            try:
                listener(case.id)
            except Exception:
                log.exception("general-procedure listener failed")
        return moved

    def ineligibility_reason(self, case: AccidentCase) -> str:
        """Why the answers refuse quick handling, with the articles ('' when they do not)."""
        result = route_case(case)
        return "；".join(str(r) for r in result.reasons) if result.eligible is False else ""

    # -- documents -----------------------------------------------------------------------------

    def _render(self, kind: str, case: AccidentCase, now: float) -> bytes:
        from desk.services import accident_documents as docs

        if kind == "decision":
            return docs.render_decision(case, now, drill=self.ctx.drill)
        return docs.render_settlement(case, now, drill=self.ctx.drill)

    def _insert_document(self, tx: Any, case_id: str, kind: str, content: bytes, now: float) -> None:
        sha = self._store_blob(content)
        case_no = tx.db.execute(
            "SELECT case_no FROM accident_cases WHERE id = ?", [case_id]
        ).fetchone()[0]
        tx.insert("accident_documents", {
            "id": _new_id("doc"), "case_id": case_id, "kind": kind, "sha256": sha,
            "filename": f"{case_no}-{kind}.pdf", "created_at": now, "created_by": tx.actor,
        })

    def reprint(self, case_id: str, kind: str | None = None) -> Path:
        """The stored PDF of a case's latest document (the same bytes every time)."""
        docs = [d for d in self.documents(case_id) if kind is None or d.kind == kind]
        if not docs:
            raise AccidentError("该案件尚未生成文书")
        path = docs[-1].path
        if not path.exists():
            raise AccidentError(f"文书文件缺失：{docs[-1].filename}")
        return path

    # -- KPIs ----------------------------------------------------------------------------------

    def kpis(self, at: float | None = None) -> AccidentKpis:
        """Figures for the local day containing ``at`` (default: now)."""
        now = self.ctx.clock() if at is None else at
        start = local_day_start(now)
        rows = self.ws.db.execute(
            "SELECT id, state, reported_at, accepted_at, decided_at FROM accident_cases "
            "WHERE reported_at >= ? AND reported_at < ?",
            [start, start + 86400.0],
        ).fetchall()
        quick_ids = {
            r[0] for r in self.ws.db.execute(
                "SELECT DISTINCT l.case_id FROM accident_state_log l JOIN accident_cases c "
                "ON c.id = l.case_id WHERE c.reported_at >= ? AND c.reported_at < ? "
                "AND l.state IN (?, ?)",
                [start, start + 86400.0, *[s.value for s in QUICK_HANDLED]],
            )
        }
        per_hour = [0] * 24
        accept: list[float] = []
        decide: list[float] = []
        counts = {s: 0 for s in CaseState}
        for cid, state, reported, accepted, decided in rows:
            hour = cst_hour(reported)
            per_hour[hour] += 1
            counts[CaseState(state)] += 1
            if accepted is not None:
                accept.append(accepted - reported)
            if decided is not None and cid in quick_ids:
                decide.append(decided - reported)
        total = len(rows) - counts[CaseState.CANCELLED]
        t = self.targets
        return AccidentKpis(
            day_start=start,
            per_hour=tuple(per_hour),
            total=total,
            quick_handled=len(quick_ids),
            general_procedure=counts[CaseState.GENERAL_PROCEDURE],
            cancelled=counts[CaseState.CANCELLED],
            on_scene=counts[CaseState.ON_SCENE],
            open_now=sum(n for s, n in counts.items() if s.is_open),
            median_accept_s=statistics.median(accept) if accept else None,
            median_decide_s=statistics.median(decide) if decide else None,
            accept_on_target=(sum(a <= t.accept_s for a in accept) / len(accept)) if accept else None,
            decide_on_target=(sum(d <= t.decide_s for d in decide) / len(decide)) if decide else None,
            targets=t,
        )

    # -- targets and alerts --------------------------------------------------------------------

    def check_targets(self, now: float | None = None) -> list[QueueEntry]:
        """Cases over their target time; raises one 'case over target time' alert per case
        (escalating amber → red) through the AlertService, and resolves the open ones whose case
        is no longer over target (closed by another desk, or while the desk was off).

        What was already alerted is read from the stored alerts (open alerts with dedup key
        ``accident.overdue:<case id>``), not kept in memory, so it survives a restart. The
        runtime calls this every 5 s: two indexed queries and no write unless something
        changed."""
        now = self.ctx.clock() if now is None else now
        over = [e for e in self.open_entries() if e.urgency(now, self.targets) is not Urgency.OK]
        alerted = self._open_overdue_alerts()
        for entry in over:
            urgency = entry.urgency(now, self.targets)
            severity = "red" if urgency is Urgency.RED else "orange"
            if alerted.get(entry.id) in (severity, "red"):
                continue
            self._raise_alert(entry, urgency, now)
        over_ids = {e.id for e in over}
        for case_id in alerted.keys() - over_ids:
            self._resolve_alert(case_id, "system", note="案件已不再超时")
        return over

    def _open_overdue_alerts(self) -> dict[str, str]:
        """Case id → severity of its open overdue alert."""
        if not self._has_table("alerts"):
            return {}
        rows = self.ws.db.execute(
            "SELECT dedup_key, severity FROM alerts WHERE dedup_key LIKE 'accident.overdue:%' "
            "AND state IN ('new', 'acknowledged', 'assigned')"
        ).fetchall()
        return {str(k).removeprefix(OVERDUE_KEY): str(sev) for k, sev in rows}

    def _raise_alert(self, entry: QueueEntry, urgency: Urgency, now: float) -> None:
        try:
            from desk.services.alerts import AlertService
        except ImportError:  # the alert inbox is optional for this feature
            return
        target = entry.target(self.targets) or 0.0
        what = "受理" if entry.state is CaseState.REPORTED else "定责"
        minutes = entry.waited(now) / 60.0
        message = f"事故 {entry.case_no} 已等待{minutes:.1f}分钟，超过{what}目标（{target / 60:.0f}分钟）"
        try:
            self.ctx.service(AlertService).raise_alert(
                "accident.overdue", "red" if urgency is Urgency.RED else "orange", "事故快处",
                entry.place, message, dedup_key=OVERDUE_KEY + entry.id,
            )
        except Exception:
            log.exception("could not raise the overdue alert for %s", entry.case_no)

    def _resolve_alert(self, case_id: str, actor: str, note: str = "案件已处理") -> None:
        if not self._has_table("alerts") or self.ws.db.execute(
            "SELECT 1 FROM alerts WHERE dedup_key = ? AND state IN ('new', 'acknowledged', "
            "'assigned') LIMIT 1", [OVERDUE_KEY + case_id],
        ).fetchone() is None:
            return
        try:
            from desk.services.alerts import AlertService

            self.ctx.service(AlertService).resolve_by_key(OVERDUE_KEY + case_id, actor, note)
        except Exception:
            log.exception("could not resolve the overdue alert for %s", case_id)

    # -- feeds ---------------------------------------------------------------------------------

    def on_feed_event(self, event: FeedEvent) -> str | None:
        """The older name of ``on_report_event`` (drill tests and tools call it)."""
        return self.on_report_event(event)

    def on_report_event(self, event: FeedEvent) -> str | None:
        """The one consumer of ``accident.report`` (the runtime routes it here, from the demo
        stream, drill injects and desk-central): the report becomes a case. Returns its id, or
        None for other kinds or a malformed report (logged, never raised)."""
        if event.kind != FEED_KIND:
            return None
        data = dict(event.data)
        try:
            case = self.create_case(
                case_key=data.get("case_key"),
                lat=_opt_float(data.get("lat")),
                lon=_opt_float(data.get("lon")),
                place=str(data.get("place") or ""),
                weather=str(data.get("weather") or ""),
                accident_type=str(data.get("accident_type") or "other"),
                collision_points=[str(p) for p in data.get("collision_points") or ()],
                narrative=str(data.get("narrative") or ""),
                parties=list(data.get("parties") or ()),
                eligibility=data.get("eligibility") or {},
                reported_at=_opt_float(data.get("reported_at")) or event.at,
                source=str(data.get("source") or "feed"),
                actor=str(data.get("actor") or "feed"),
                occurred_at=_opt_float(data.get("occurred_at")),
                collision_form=str(data.get("collision_form") or "") or None,
            )
        except (ValueError, TypeError, KeyError) as exc:
            log.warning("accident report rejected: %s (%s)", exc, data.get("case_key"))
            return None
        for item in data.get("evidence") or ():
            # A bad attachment must not lose the report: the case stands, the file is logged.
            try:
                content = item.get("content")
                if isinstance(content, bytes) and content:
                    self.add_evidence(case.id, content, str(item.get("kind") or "other_photo"),
                                      filename=str(item.get("filename") or "photo.png"),
                                      actor="feed")
            except (ValueError, TypeError, AttributeError) as exc:
                log.warning("evidence of %s rejected: %s", case.case_no, exc)
        return case.id


def _stored(row: dict[str, Any]) -> dict[str, Any]:
    """``row`` with lists and dicts as the JSON text SQLite stores, so the change log (and the
    sync op built from it) carries the stored value: desk-central accepts scalars only."""
    return {k: json.dumps(v, default=repr, ensure_ascii=False)
            if isinstance(v, (dict, list, tuple)) else v for k, v in row.items()}


def _merge_answers(
    base: Mapping[str, bool | None], mine: Mapping[str, bool | None],
    theirs: Mapping[str, bool | None],
) -> tuple[dict[str, bool | None], dict[str, bool | None]]:
    """Checklist answers merged one by one: my edits over the stored answers, except where the
    stored answer changed too (those come back as the clashes)."""
    merged = dict(theirs)
    clashes: dict[str, bool | None] = {}
    for key in set(base) | set(mine):
        if base.get(key) == mine.get(key):
            continue
        if theirs.get(key) != base.get(key) and theirs.get(key) != mine.get(key):
            clashes[key] = mine.get(key)
            continue
        merged[key] = mine.get(key)
    return merged, clashes


def _opt_float(value: Any) -> float | None:
    if value is None or value == "":
        return None
    return float(value)


def _entry(row: tuple[Any, ...]) -> QueueEntry:
    cid, case_no, state, reported, place, kind, accepted, plates = row
    return QueueEntry(
        id=cid, case_no=case_no or "", state=CaseState(state), reported_at=float(reported),
        place=place or "", type_label=AccidentType.parse(kind).label, plates=plates or "",
        accepted_at=accepted,
    )


def _sniff_media_type(content: bytes) -> str:
    if content.startswith(b"\x89PNG"):
        return "image/png"
    if content.startswith(b"\xff\xd8"):
        return "image/jpeg"
    if content[4:8] == b"ftyp":
        return "video/mp4"
    return "application/octet-stream"

