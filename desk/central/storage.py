"""desk-central's storage: an interface the app talks to, and its SQLite implementation.

Everything the app needs from storage goes through ``CentralStore``, so a larger deployment can
implement it on PostgreSQL without touching the HTTP layer. The SQLite store keeps one connection
behind a lock (WAL, ``synchronous=NORMAL``); every batch of ops is one transaction that writes the
records, their change rows, the op results (idempotency) and the audit rows together.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import re
import secrets
import sqlite3
import threading
import time
import uuid
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from desk.domain.limits import MAX_TEXT_CHARS, field_problem
from desk.domain.telemetry import SensorReading, UnitFix, screen_telemetry
from desk.sync.hlc import MAX_CLOCK_AHEAD_S, stamp_ms
from desk.sync.rules import SCOPE_SHARED, SYNC_RULES, EntityRule

log = logging.getLogger(__name__)

ROLES = ("dispatcher", "station_chief", "trainer", "admin", "device", "insurer")
NAMESPACES = ("live", "drill")
#: Bytes of change text per ``/changes`` page (besides the row limit); one row always fits.
CHANGES_PAGE_BYTES = 4 * 1024 * 1024
IDENT = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
MAX_TEXT = MAX_TEXT_CHARS  # one definition for both sides: desk.domain.limits


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: a token's user, role, station scope and workstation."""

    user_id: int
    name: str
    role: str
    station_id: str | None
    workstation: str
    #: A device token's binding: the one unit it may report positions for, ``"*"`` for a gateway
    #: issued explicitly for every unit, ``None`` for other roles (and unbound legacy devices).
    unit_id: str | None = None
    expires_at: float | None = None


#: A token check's refusal reasons (``desk.central.auth.REASONS`` has their messages).
TOKEN_REFUSALS = ("bad_token", "expired_token", "revoked_token")


@dataclass(slots=True)
class OpIn:
    op_id: str
    entity: str
    entity_id: str
    op: str
    patch: dict[str, Any] | None
    base_rev: int
    hlc: str
    #: The operator at the desk who made the change (the workstation's change-log actor).
    actor: str = ""
    #: The op_id of the state change this op was written with (``""``: none): held with it.
    unit: str = ""


@dataclass(slots=True)
class OpResult:
    op_id: str
    status: str  # applied | merged | conflict | rejected
    code: int = 200
    rev: int = 0
    seq: int | None = None
    reason: str | None = None
    record: dict[str, Any] | None = None
    conflict_fields: list[str] = field(default_factory=list)
    replayed: bool = False
    #: Descriptive values last-writer-wins overwrote in this op (field → the value that lost:
    #: ours when the stored stamp was later, the stored one when ours was), for the desk's
    #: conflict history.
    overwritten: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "op_id": self.op_id, "status": self.status, "code": self.code, "rev": self.rev,
            "seq": self.seq, "reason": self.reason, "record": self.record,
            "conflict_fields": self.conflict_fields, "replayed": self.replayed,
            "overwritten": self.overwritten,
        }

    @staticmethod
    def from_json(data: dict[str, Any]) -> OpResult:
        return OpResult(
            data["op_id"], data["status"], data["code"], data["rev"], data["seq"],
            data["reason"], data["record"], list(data["conflict_fields"]), True,
            data.get("overwritten"),
        )


@dataclass(slots=True)
class IngestResult:
    stored_fixes: int = 0
    stored_readings: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    accepted_fixes: list[UnitFix] = field(default_factory=list)
    accepted_readings: list[SensorReading] = field(default_factory=list)


#: A policy check: (principal, rule, ns, entity_id, existing record or None, patch) → denial or None.
Authorizer = Callable[
    [Principal, EntityRule, str, str, "dict[str, Any] | None", "dict[str, Any] | None"], "str | None"
]


class CentralStore(ABC):
    """What desk-central needs from storage. All methods are thread-safe."""

    @abstractmethod
    def epoch(self) -> str: ...

    @abstractmethod
    def rotate_epoch(self) -> str: ...

    @abstractmethod
    def apply_ops(
        self, ns: str, origin: str, ops: Sequence[OpIn], who: Principal, authorize: Authorizer
    ) -> list[OpResult]: ...

    @abstractmethod
    def changes(
        self, ns: str, since: int, limit: int, max_bytes: int = CHANGES_PAGE_BYTES,
    ) -> tuple[list[str], int, int]:
        """(change rows as JSON text, last seq returned or ``since``, head seq of the namespace).

        A page holds at most ``limit`` rows and, past its first row, at most ``max_bytes`` of
        change text: an update row carries only the fields it changed (an insert the record),
        so a page stays small however large the records are."""

    @abstractmethod
    def counts(self, ns: str) -> dict[str, int]: ...

    @abstractmethod
    def records(self, ns: str, entity: str, ids: Iterable[str]) -> dict[str, tuple[dict[str, Any], int]]:
        """Live records by id: ``{id: (data, rev)}`` (missing and deleted ones left out)."""

    @abstractmethod
    def find_records(
        self, ns: str, entity: str, field: str, values: Sequence[str], limit: int, *,
        also: dict[str, str] | None = None,
    ) -> list[tuple[dict[str, Any], int]]:
        """Live records whose ``field`` is one of ``values`` (and each ``also`` field equals its
        value), least recently changed first, as (data, rev)."""

    @abstractmethod
    def add_user(
        self, name: str, role: str, station_id: str | None, workstation: str, *,
        unit_id: str | None = None, expires_at: float | None = None,
    ) -> str:
        """Issue a token (returned once; only its hash is kept). ``unit_id`` binds a device token
        to one unit (``"*"``: a gateway for all units); ``expires_at`` is POSIX seconds."""

    @abstractmethod
    def check_token(self, token: str, now: float) -> tuple[Principal | None, str | None]:
        """``(principal, None)`` for a usable token, else ``(None, reason)`` with a reason of
        ``TOKEN_REFUSALS``: unknown, expired (``expires_at <= now``) or revoked."""

    def principal_for_token(self, token: str) -> Principal | None:
        """The caller of a usable token, or ``None``."""
        return self.check_token(token, time.time())[0]

    @abstractmethod
    def revoke_user(self, name: str, now: float) -> int:
        """Revoke every live token of the user(s) named ``name``; returns how many."""

    @abstractmethod
    def rotate_token(self, name: str, now: float, expires_at: float | None) -> str | None:
        """A new token for the one live user named ``name`` (the old token stops working at
        once), with a new expiry; ``None`` when no live user has that name. Raises
        ``ValueError`` when several do."""

    @abstractmethod
    def users(self) -> list[dict[str, Any]]:
        """Every user: id, name, role, station_id, workstation, created_at, unit_id,
        expires_at, revoked_at."""

    @abstractmethod
    def audit(
        self, who: Principal | None, action: str, target: str, outcome: str,
        detail: dict[str, Any] | None = None,
    ) -> None: ...

    @abstractmethod
    def audit_rows(self, limit: int, before_id: int | None = None) -> list[dict[str, Any]]: ...

    @abstractmethod
    def ingest(
        self, fixes: Iterable[UnitFix], readings: Iterable[SensorReading], now: float, *,
        max_age_s: float | None = None,
    ) -> IngestResult:
        """Screen (``desk.domain.telemetry.screen_telemetry``, fixes and readings older than
        ``max_age_s`` refused as ``too_old``) and store a batch."""

    @abstractmethod
    def count_rejects(self, rejected: Counter[str]) -> None:
        """Count telemetry refused before it reached ``ingest`` (e.g. an unknown device)."""

    @abstractmethod
    def unit_for_device(self, device_id: str) -> str | None: ...

    @abstractmethod
    def telemetry_stats(self) -> dict[str, Any]: ...

    @abstractmethod
    def bulk_load(self, ns: str, entity: str, records: Iterable[dict[str, Any]]) -> int:
        """Load records as inserts without ops (seeding, benchmarks); returns the count."""

    @abstractmethod
    def close(self) -> None: ...


def op_key(ns: str, op_id: str) -> str:
    """The idempotency key of an op: its id within its namespace (live keys are the bare id,
    as before namespaces were keyed)."""
    return op_id if ns == "live" else f"{ns}:{op_id}"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def validate_patch(rule: EntityRule, entity_id: str, op: str, patch: dict[str, Any] | None) -> str | None:
    """Why a patch cannot be applied (a reason code), or ``None``."""
    if op == "delete":
        return None
    if not patch:
        return "empty_patch"
    for key, value in patch.items():
        if not IDENT.match(key):
            return "bad_field_name"
        if isinstance(value, float) and not math.isfinite(value):
            return "not_finite"
        if value is not None and not isinstance(value, (str, int, float, bool)):
            return "bad_value_type"
    too_big = field_problem(patch)
    if too_big:
        return too_big
    if rule.pk in patch and str(patch[rule.pk]) != entity_id:
        return "id_mismatch"
    return None


class SqliteCentralStore(CentralStore):
    """The default store: one SQLite file (WAL)."""

    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None,
                                     timeout=30.0)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        # Position history grows fast and its (unit, time) index is written at random places:
        # a 64 MB page cache keeps ingest near raw insert speed instead of thrashing.
        self._conn.execute("PRAGMA cache_size=-65536")
        self._create()
        self._units_version = -1
        self._known_units: set[str] = set()
        self._devices: dict[str, str] = {}
        self._known_points: set[str] = set()
        self._version = 0  # bumped whenever units or water points change

    # -- schema --------------------------------------------------------------------------------

    def _create(self) -> None:
        c = self._conn
        with self._lock:
            # Recorded migrations (desk/central/sqlite_schema.py: add new tables and columns there as
            # a new step); a file written by a newer desk-central is refused.
            from desk.central.sqlite_schema import apply_central_migrations

            apply_central_migrations(c)
            if c.execute("SELECT 1 FROM meta WHERE key = 'epoch'").fetchone() is None:
                c.execute("INSERT INTO meta VALUES ('epoch', ?)", [uuid.uuid4().hex])
            self._migrate_users()

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    # -- epoch ---------------------------------------------------------------------------------

    def epoch(self) -> str:
        with self._lock:
            return str(self._conn.execute("SELECT value FROM meta WHERE key='epoch'").fetchone()[0])

    def rotate_epoch(self) -> str:
        new = uuid.uuid4().hex
        with self._lock:
            self._conn.execute("UPDATE meta SET value = ? WHERE key = 'epoch'", [new])
        log.warning("central epoch rotated to %s", new)
        return new

    # -- ops -----------------------------------------------------------------------------------

    def apply_ops(
        self, ns: str, origin: str, ops: Sequence[OpIn], who: Principal, authorize: Authorizer
    ) -> list[OpResult]:
        now = time.time()
        results: list[OpResult] = []
        c = self._conn
        with self._lock:
            c.execute("BEGIN IMMEDIATE")
            try:
                for op in ops:
                    # Op results are looked up within the caller's namespace only: a drill op
                    # reusing a live op_id must never get the live record back.
                    key = op_key(ns, op.op_id)
                    row = c.execute(
                        "SELECT result FROM applied_ops WHERE op_id = ?", [key]
                    ).fetchone()
                    if row is not None:
                        # Idempotent replay: the stored answer, and nothing changes.
                        results.append(OpResult.from_json(json.loads(row[0])))
                        continue
                    result = self._apply_one(ns, origin, op, who, authorize, now)
                    c.execute(
                        "INSERT INTO applied_ops VALUES (?, ?, ?)",
                        [key, json.dumps(result.to_json(), ensure_ascii=False), now],
                    )
                    self._audit_locked(
                        who, f"op.{op.op}", f"{ns}/{op.entity}/{op.entity_id}",
                        "denied" if result.code == 403 else result.status,
                        {"op_id": op.op_id, "operator": op.actor, "patch": op.patch,
                         "reason": result.reason, "overwritten": result.overwritten}, now,
                    )
                    results.append(result)
                c.execute("COMMIT")
            except BaseException:
                c.execute("ROLLBACK")
                raise
        return results

    def _apply_one(  # noqa: PLR0917
        self, ns: str, origin: str, op: OpIn, who: Principal, authorize: Authorizer, now: float
    ) -> OpResult:
        c = self._conn
        rule = SYNC_RULES.get(op.entity)
        if rule is None:
            return OpResult(op.op_id, "rejected", 422, reason="unknown_entity")
        patch = None if op.patch is None else {
            k: v for k, v in op.patch.items() if k not in rule.local_only
        }
        bad = validate_patch(rule, op.entity_id, op.op, patch)
        if bad:
            return OpResult(op.op_id, "rejected", 422, reason=bad)
        ms = stamp_ms(op.hlc)
        if ms is None:
            return OpResult(op.op_id, "rejected", 422, reason="bad_hlc")
        if ms > (now + MAX_CLOCK_AHEAD_S) * 1000:
            # A desk whose clock runs ahead would win every merge and lift everyone's clock floor.
            return OpResult(op.op_id, "rejected", 422, reason="clock_ahead")
        if op.unit:
            lead = self._stored_status(ns, op.unit)
            if lead == "conflict":
                # Bound to a state change a person must settle first: applied or dropped with it.
                return OpResult(op.op_id, "conflict", 409, reason="held_with_unit")
            if lead == "rejected":
                return OpResult(op.op_id, "rejected", 409, reason="unit_rejected")
        row = c.execute(
            "SELECT rev, deleted, data, meta FROM records WHERE ns=? AND entity=? AND id=?",
            [ns, op.entity, op.entity_id],
        ).fetchone()
        live = row is not None and not row[1]
        existing: dict[str, Any] | None = json.loads(row[2]) if live and row[2] else None
        a_rule, a_existing, a_patch = self._scope_view(ns, rule, op.entity_id, existing, patch,
                                                       who)
        denial = authorize(who, a_rule, ns, op.entity_id, a_existing, a_patch)
        if denial:
            return OpResult(op.op_id, "rejected", 403, reason=denial)
        actor = (who.name, who.workstation)
        if op.op == "delete":
            if not live:
                return OpResult(op.op_id, "applied", rev=row[0] if row else 0)
            cur_rev = int(row[0])
            meta = json.loads(row[3])
            if op.base_rev < cur_rev and any(
                    m[0] > op.base_rev and m[2] != origin for m in meta.values()):
                # Someone changed the record since this desk saw it: a stale delete never wins
                # silently (it would drop a dispatched status or a newer narrative).
                return OpResult(op.op_id, "conflict", 409, rev=cur_rev, reason="stale_delete",
                                record=existing, conflict_fields=["_delete"])
            rev = cur_rev + 1
            c.execute(
                "UPDATE records SET rev=?, deleted=1, data=NULL, updated_at=? "
                "WHERE ns=? AND entity=? AND id=?", [rev, now, ns, op.entity, op.entity_id],
            )
            del_seq = self._change(ns, op, "delete", rev, None, now, actor)
            self._touch(op.entity)
            return OpResult(op.op_id, "applied", rev=rev, seq=del_seq)
        assert patch is not None
        if op.op == "insert" and not live:
            rev = int(row[0]) + 1 if row else 1
            data = {**patch, rule.pk: op.entity_id}
            meta = {k: [rev, op.hlc, origin] for k in data}
            c.execute(
                "INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?, 0, ?, ?, ?)",
                [ns, op.entity, op.entity_id, rev, _dumps(data), _dumps(meta), now],
            )
            ins_seq = self._change(ns, op, "insert", rev, data, now, actor)
            self._touch(op.entity)
            return OpResult(op.op_id, "applied", rev=rev, seq=ins_seq)
        if not live:
            if row is None:
                return OpResult(op.op_id, "rejected", 404, reason="not_found")
            # Deleted elsewhere while this desk edited it: the edit is for a person to keep
            # (re-create the record) or drop, never lost without a trace.
            return OpResult(op.op_id, "conflict", 409, rev=int(row[0]), reason="deleted",
                            conflict_fields=sorted(k for k in patch if k != rule.pk))
        assert existing is not None
        cur_rev = int(row[0])
        meta = json.loads(row[3])
        applied: dict[str, Any] = {}
        conflicts: list[str] = []
        overwritten: dict[str, Any] = {}
        for key, value in patch.items():
            if key == rule.pk:
                continue
            m = meta.get(key)
            if m is None or m[0] <= op.base_rev or m[2] == origin:
                applied[key] = value
            elif existing.get(key) == value:
                continue
            elif rule.is_operational(key):
                conflicts.append(key)
            elif op.hlc > str(m[1]):
                applied[key] = value  # later stamp wins a descriptive field
                overwritten[key] = existing.get(key)
            else:
                overwritten[key] = value  # ours lost to a later stamp
        if conflicts and rule.atomic:
            # A state change with the times and reasons it implies is one unit: none of it
            # applies while any of it conflicts, and the person resolving it decides all of it.
            conflicts = sorted(k for k in patch if k != rule.pk)
            applied, overwritten = {}, {}
        seq: int | None = None
        rev = cur_rev
        changed = {k: v for k, v in applied.items() if existing.get(k) != v or k not in existing}
        if changed:
            merged = {**existing, **changed}
            too_big = field_problem(merged)
            if too_big:
                return OpResult(op.op_id, "rejected", 422, reason=too_big)
            rev = cur_rev + 1
            existing = merged
            for key in changed:
                meta[key] = [rev, op.hlc, origin]
            c.execute(
                "UPDATE records SET rev=?, data=?, meta=?, updated_at=? "
                "WHERE ns=? AND entity=? AND id=?",
                [rev, _dumps(existing), _dumps(meta), now, ns, op.entity, op.entity_id],
            )
            # The feed carries what changed, not the whole record again (plus the few columns
            # a reader needs to scope it: its station, its parent case).
            feed = {**{k: existing[k] for k in rule.context_fields() if k in existing}, **changed}
            seq = self._change(ns, op, "update", rev, feed, now, actor)
            self._touch(op.entity)
        lost = overwritten or None
        if conflicts:
            return OpResult(op.op_id, "conflict", 409, rev=rev, seq=seq, reason="conflict",
                            record=existing, conflict_fields=conflicts, overwritten=lost)
        if op.base_rev >= cur_rev:
            return OpResult(op.op_id, "applied", rev=rev, seq=seq, overwritten=lost)
        return OpResult(op.op_id, "merged", rev=rev, seq=seq, record=existing, overwritten=lost)

    def _stored_status(self, ns: str, op_id: str) -> str | None:
        row = self._conn.execute(
            "SELECT result FROM applied_ops WHERE op_id = ?", [op_key(ns, op_id)]).fetchone()
        return None if row is None else str(json.loads(row[0])["status"])

    def _scope_view(  # noqa: PLR0917
        self, ns: str, rule: EntityRule, entity_id: str, existing: dict[str, Any] | None,
        patch: dict[str, Any] | None, who: Principal,
    ) -> tuple[EntityRule, dict[str, Any] | None, dict[str, Any] | None]:
        """The rule and record the station check sees. A record scoped ``via`` a parent (a leave
        row via its officer, a requirement via its post) gets its parent's station on the
        central as a ``_station`` field; shared configuration (shift templates) belongs to
        every station. Other rules are checked as they are."""
        if rule.scope != SCOPE_SHARED and rule.via is None:
            return rule, existing, patch
        view = replace(rule, scope="_station", via=None)
        if rule.scope == SCOPE_SHARED:
            mine = {"_station": who.station_id}
            return (view, None if existing is None else {**existing, **mine},
                    None if patch is None else {**patch, **mine})
        via_field, parent = rule.via or ("", "")

        def station(rec: dict[str, Any] | None, is_patch: bool) -> dict[str, Any] | None:
            if rec is None:
                return None
            if via_field == rule.pk:
                pid: Any = entity_id
            elif via_field in rec:
                pid = rec[via_field]
            elif is_patch:
                return rec  # the patch does not move the record: the stored one decides
            else:
                pid = None
            found = self.records(ns, parent, [str(pid)]).get(str(pid)) if pid else None
            return {**rec, "_station": found[0].get("station_id") if found else None}

        return view, station(existing, False), station(patch, True)

    def _change(  # noqa: PLR0917
        self, ns: str, op: OpIn, kind: str, rev: int, data: dict[str, Any] | None, now: float,
        actor: tuple[str, str],
    ) -> int:
        cur = self._conn.execute(
            "INSERT INTO changes (ns, entity, entity_id, op, rev, data, hlc, at, actor, workstation)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [ns, op.entity, op.entity_id, kind, rev, None if data is None else _dumps(data),
             op.hlc, now, actor[0], actor[1]],
        )
        return int(cur.lastrowid or 0)

    def _touch(self, entity: str) -> None:
        if entity in ("units", "water_points"):
            self._version += 1

    def changes(
        self, ns: str, since: int, limit: int, max_bytes: int = CHANGES_PAGE_BYTES,
    ) -> tuple[list[str], int, int]:
        with self._lock:
            cur = self._conn.execute(
                "SELECT seq, entity, entity_id, op, rev, data, hlc, at,"
                " coalesce(length(CAST(data AS BLOB)), 0) FROM changes "
                "WHERE ns = ? AND seq > ? ORDER BY seq LIMIT ?", [ns, since, limit],
            )
            rows: list[tuple[Any, ...]] = []
            size = 0
            for r in cur:
                size += int(r[8]) + 160  # the row's UTF-8 bytes and its envelope
                if rows and size > max_bytes:
                    break
                rows.append(r[:8])
            head_row = self._conn.execute(
                "SELECT max(seq) FROM changes WHERE ns = ?", [ns]
            ).fetchone()
        head = int(head_row[0] or 0)
        # Built as text: the record JSON is stored ready-made, so a page never re-encodes it.
        out = [
            f'{{"seq":{seq},"entity":{json.dumps(entity)},"entity_id":{json.dumps(eid)},'
            f'"op":"{op}","rev":{rev},"hlc":{json.dumps(hlc)},"at":{at!r},'
            f'"data":{data if data is not None else "null"}}}'
            for seq, entity, eid, op, rev, data, hlc, at in rows
        ]
        last = int(rows[-1][0]) if rows else since
        return out, last, head

    def counts(self, ns: str) -> dict[str, int]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT entity, count(*) FROM records WHERE ns = ? AND deleted = 0 GROUP BY entity",
                [ns],
            ).fetchall()
        return {str(e): int(n) for e, n in rows}

    def records(self, ns: str, entity: str, ids: Iterable[str]) -> dict[str, tuple[dict[str, Any], int]]:
        wanted = list(dict.fromkeys(ids))
        out: dict[str, tuple[dict[str, Any], int]] = {}
        with self._lock:
            for i in range(0, len(wanted), 500):
                part = wanted[i:i + 500]
                marks = ", ".join("?" for _ in part)
                for rid, data, rev in self._conn.execute(
                    f"SELECT id, data, rev FROM records WHERE ns = ? AND entity = ? AND deleted = 0"
                    f" AND id IN ({marks})", [ns, entity, *part],
                ):
                    out[str(rid)] = (json.loads(data), int(rev))
        return out

    def find_records(
        self, ns: str, entity: str, field: str, values: Sequence[str], limit: int, *,
        also: dict[str, str] | None = None,
    ) -> list[tuple[dict[str, Any], int]]:
        also = also or {}
        if not values or not all(IDENT.match(f) for f in (field, *also)):
            return []
        # Field names are checked identifiers; every value is a bound parameter.
        marks = ", ".join("?" for _ in values)
        extra = "".join(f" AND json_extract(data, '$.{f}') = ?" for f in also)
        with self._lock:
            rows = self._conn.execute(
                f"SELECT data, rev FROM records WHERE ns = ? AND entity = ? AND deleted = 0 AND "
                f"json_extract(data, '$.{field}') IN ({marks}){extra} ORDER BY updated_at LIMIT ?",
                [ns, entity, *values, *also.values(), limit],
            ).fetchall()
        return [(json.loads(d), int(r)) for d, r in rows]

    def bulk_load(self, ns: str, entity: str, records: Iterable[dict[str, Any]]) -> int:
        rule = SYNC_RULES[entity]
        now = time.time()
        hlc = f"{int(now * 1000):013d}.{0:010d}.central"
        rows = []
        changes = []
        for rec in records:
            data = {k: v for k, v in rec.items() if k not in rule.local_only}
            rid = str(data[rule.pk])
            text = _dumps(data)
            rows.append((ns, entity, rid, 1, 0, text, _dumps({k: [1, hlc, "central"] for k in data}),
                         now))
            changes.append((ns, entity, rid, "insert", 1, text, hlc, now, "bulk", "central"))
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                self._conn.executemany(
                    "INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
                self._conn.executemany(
                    "INSERT INTO changes (ns, entity, entity_id, op, rev, data, hlc, at, actor,"
                    " workstation) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", changes)
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._touch(entity)
        return len(rows)

    # -- users and audit -----------------------------------------------------------------------

    def _migrate_users(self) -> None:
        # Columns added after the first release: binding, expiry and revocation of a token.
        have = {r[1] for r in self._conn.execute("PRAGMA table_info(users)")}
        for column in ("unit_id TEXT", "expires_at REAL", "revoked_at REAL"):
            if column.split()[0] not in have:
                self._conn.execute(f"ALTER TABLE users ADD COLUMN {column}")

    def add_user(
        self, name: str, role: str, station_id: str | None, workstation: str, *,
        unit_id: str | None = None, expires_at: float | None = None,
    ) -> str:
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}")
        if role == "station_chief" and not station_id:
            raise ValueError("a station_chief needs a station")
        if unit_id is not None and role != "device":
            raise ValueError("only a device token is bound to a unit")
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._migrate_users()
            self._conn.execute(
                "INSERT INTO users (name, role, station_id, workstation, token_hash, created_at,"
                " unit_id, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [name, role, station_id, workstation, token_hash(token), time.time(), unit_id,
                 expires_at],
            )
        return token

    def check_token(self, token: str, now: float) -> tuple[Principal | None, str | None]:
        with self._lock:
            row = self._conn.execute(
                "SELECT id, name, role, station_id, workstation, unit_id, expires_at, revoked_at"
                " FROM users WHERE token_hash = ?", [token_hash(token)],
            ).fetchone()
        if row is None:
            return None, "bad_token"
        if row[7] is not None:
            return None, "revoked_token"
        if row[6] is not None and float(row[6]) <= now:
            return None, "expired_token"
        return Principal(int(row[0]), row[1], row[2], row[3], row[4], row[5], row[6]), None

    def revoke_user(self, name: str, now: float) -> int:
        with self._lock:
            cur = self._conn.execute(
                "UPDATE users SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL",
                [now, name])
        return int(cur.rowcount)

    def rotate_token(self, name: str, now: float, expires_at: float | None) -> str | None:
        token = secrets.token_urlsafe(32)
        with self._lock:
            ids = [r[0] for r in self._conn.execute(
                "SELECT id FROM users WHERE name = ? AND revoked_at IS NULL", [name])]
            if not ids:
                return None
            if len(ids) > 1:
                raise ValueError(f"{len(ids)} live users are named {name!r}")
            self._conn.execute(
                "UPDATE users SET token_hash = ?, expires_at = ? WHERE id = ?",
                [token_hash(token), expires_at, ids[0]])
        return token

    def users(self) -> list[dict[str, Any]]:
        keys = ("id", "name", "role", "station_id", "workstation", "created_at", "unit_id",
                "expires_at", "revoked_at")
        with self._lock:
            rows = self._conn.execute(
                f"SELECT {', '.join(keys)} FROM users ORDER BY id").fetchall()
        return [dict(zip(keys, r, strict=True)) for r in rows]

    def audit(
        self, who: Principal | None, action: str, target: str, outcome: str,
        detail: dict[str, Any] | None = None,
    ) -> None:
        with self._lock:
            self._audit_locked(who, action, target, outcome, detail, time.time())

    def _audit_locked(  # noqa: PLR0917
        self, who: Principal | None, action: str, target: str, outcome: str,
        detail: dict[str, Any] | None, now: float,
    ) -> None:
        self._conn.execute(
            "INSERT INTO audit (at, user, role, workstation, action, target, outcome, detail)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [now, who.name if who else "", who.role if who else "", who.workstation if who else "",
             action, target, outcome, None if detail is None else _dumps(detail)],
        )

    def audit_rows(self, limit: int, before_id: int | None = None) -> list[dict[str, Any]]:
        sql = ("SELECT id, at, user, role, workstation, action, target, outcome, detail FROM audit"
               + (" WHERE id < ?" if before_id is not None else "") + " ORDER BY id DESC LIMIT ?")
        params: list[Any] = [before_id, limit] if before_id is not None else [limit]
        with self._lock:
            rows = self._conn.execute(sql, params).fetchall()
        keys = ("id", "at", "user", "role", "workstation", "action", "target", "outcome", "detail")
        return [dict(zip(keys, r, strict=True)) for r in rows]

    # -- telemetry -----------------------------------------------------------------------------

    def _refresh_known(self) -> None:
        if self._units_version == self._version:
            return
        units: set[str] = set()
        devices: dict[str, str] = {}
        for rid, data in self._conn.execute(
            "SELECT id, data FROM records WHERE ns='live' AND entity='units' AND deleted=0"
        ):
            units.add(rid)
            device = json.loads(data).get("device_id") if data else None
            if device:
                devices[str(device)] = rid
        self._known_units, self._devices = units, devices
        self._known_points = {
            r[0] for r in self._conn.execute(
                "SELECT id FROM records WHERE ns='live' AND entity='water_points' AND deleted=0")
        }
        self._units_version = self._version

    def unit_for_device(self, device_id: str) -> str | None:
        with self._lock:
            self._refresh_known()
            return self._devices.get(device_id)

    def ingest(
        self, fixes: Iterable[UnitFix], readings: Iterable[SensorReading], now: float, *,
        max_age_s: float | None = None,
    ) -> IngestResult:
        result = IngestResult()
        with self._lock:
            self._refresh_known()
            screened = screen_telemetry(fixes, readings, now, known_units=self._known_units,
                                        known_points=self._known_points, max_age_s=max_age_s)
            result.accepted_fixes.extend(screened.fixes)
            result.accepted_readings.extend(screened.readings)
            result.rejected.update(screened.rejected)
            c = self._conn
            c.execute("BEGIN IMMEDIATE")
            try:
                if result.accepted_fixes:
                    c.executemany(
                        "INSERT INTO positions (unit_id, lat, lon, at, heading, speed_kmh,"
                        " accuracy_m, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        [(f.unit_id, f.lat, f.lon, f.at, f.heading, f.speed_kmh, f.accuracy_m, now)
                         for f in result.accepted_fixes],
                    )
                    c.executemany(
                        "INSERT INTO last_fix VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (unit_id) DO "
                        "UPDATE SET lat=excluded.lat, lon=excluded.lon, at=excluded.at, "
                        "heading=excluded.heading, speed_kmh=excluded.speed_kmh "
                        "WHERE excluded.at >= last_fix.at",
                        [(f.unit_id, f.lat, f.lon, f.at, f.heading, f.speed_kmh)
                         for f in result.accepted_fixes],
                    )
                if result.accepted_readings:
                    c.executemany(
                        "INSERT INTO readings (point_id, at, depth_cm, rain_mm, received_at)"
                        " VALUES (?, ?, ?, ?, ?)",
                        [(r.point_id, r.at, r.depth_cm, r.rain_mm, now)
                         for r in result.accepted_readings],
                    )
                if result.rejected:
                    c.executemany(
                        "INSERT INTO telemetry_rejects VALUES (?, ?) ON CONFLICT (reason) DO "
                        "UPDATE SET count = count + excluded.count",
                        list(result.rejected.items()),
                    )
                c.execute("COMMIT")
            except BaseException:
                c.execute("ROLLBACK")
                raise
        result.stored_fixes = len(result.accepted_fixes)
        result.stored_readings = len(result.accepted_readings)
        return result

    def count_rejects(self, rejected: Counter[str]) -> None:
        with self._lock:
            self._conn.executemany(
                "INSERT INTO telemetry_rejects VALUES (?, ?) ON CONFLICT (reason) DO "
                "UPDATE SET count = count + excluded.count", list(rejected.items()))

    def telemetry_stats(self) -> dict[str, Any]:
        with self._lock:
            positions = self._conn.execute("SELECT count(*) FROM positions").fetchone()[0]
            readings = self._conn.execute("SELECT count(*) FROM readings").fetchone()[0]
            rejects = dict(self._conn.execute("SELECT reason, count FROM telemetry_rejects"))
        return {"positions": int(positions), "readings": int(readings),
                "rejected": {str(k): int(v) for k, v in rejects.items()}}


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
