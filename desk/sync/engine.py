"""The sync engine: push the outbox, pull the change feed, compare counts, ask before wiping.

Qt-free and single-threaded: the app runs ``SyncEngine.run`` on a worker thread with its own
``Workspace`` (sharing the GUI workspace's ChangeBus so panels refresh after a pull).

Exactly once: the central stores each op's result under its ``op_id`` in the transaction that
applies it, and the outbox row is deleted only after the answer is committed locally. A process
killed between the two re-sends the op and receives the stored result; nothing is applied twice.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from desk.store.schema_sync import SYNC_ACTOR
from desk.store.workspace import Workspace
from desk.sync.backoff import Backoff
from desk.sync.hlc import parse_stamp
from desk.sync.outbox import (
    SYNC_ORIGIN,
    conflict_count,
    enqueue_snapshot,
    get_state,
    local_counts,
    node_id,
    pending_count,
    rejected_count,
    set_state,
    table_exists,
)
from desk.sync.rules import SYNC_RULES
from desk.sync.transport import (
    AuthError,
    CentralClient,
    RequestRejected,
    SyncError,
    TransportError,
)

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class SyncDecision:
    """Something only a person may decide (desk asks, never wipes).

    ``kind``: ``first_contact`` (this workspace has data and has never synced with this central)
    or ``epoch_changed`` (the central was reset or restored). ``server_empty`` tells the dialog
    whether the central has any records at all.
    """

    kind: str
    server_epoch: str
    server_empty: bool
    local_counts: dict[str, int]
    server_counts: dict[str, int]


class DecisionNeeded(SyncError):
    def __init__(self, decision: SyncDecision) -> None:
        super().__init__(f"sync needs a decision: {decision.kind}")
        self.decision = decision


@dataclass(slots=True)
class SyncReport:
    pushed: int = 0
    applied: int = 0
    merged: int = 0
    conflicts: int = 0
    rejected: int = 0
    pulled: int = 0
    count_mismatches: dict[str, tuple[int, int]] = field(default_factory=dict)


@dataclass(slots=True)
class SyncStatus:
    """What the status bar shows."""

    configured: bool = False
    online: bool = False
    offline_mode: bool = False
    pending: int = 0
    rejected: int = 0
    conflicts: int = 0
    last_sync_at: float | None = None
    last_error: str = ""
    auth_error: bool = False
    decision: SyncDecision | None = None
    progress: tuple[int, int] | None = None
    count_mismatches: dict[str, tuple[int, int]] = field(default_factory=dict)


class SyncEngine:
    """One workspace against one central. Not thread-safe: use it from one thread."""

    def __init__(
        self, ws: Workspace, client: CentralClient, *, ns: str = "live", batch_size: int = 500,
        page_size: int = 5000, backoff: Backoff | None = None,
    ) -> None:
        self.ws = ws
        self.client = client
        self.ns = ns
        self.batch_size = batch_size
        self.page_size = page_size
        self.backoff = backoff or Backoff()
        self._bind_namespace()
        self.node = node_id(ws)
        #: (entity, id) of central records this workspace could not store (reported, not retried).
        self.apply_failures: list[tuple[str, str]] = []
        #: Set to stop between requests (the 离线工作 switch): no further request is made.
        self.cancel = threading.Event()

    def _bind_namespace(self) -> None:
        """A workspace syncs with one namespace. A drill copy of a live workspace arrives with the
        live outbox, cursor and node id: those belong to the live workspace (which still has
        them), so the copy starts over as a new node, and desk asks before its first sync."""
        bound = get_state(self.ws, "ns")
        if bound == self.ns:
            return
        with self.ws.db.atomic():
            if bound is not None:
                log.warning("sync: workspace moves from namespace %s to %s; starting over",
                            bound, self.ns)
                for table in ("sync_outbox", "sync_records", "sync_conflicts", "sync_rejected"):
                    self.ws.db.execute(f"DELETE FROM {table}")
                self.ws.db.execute(
                    "DELETE FROM sync_state WHERE key IN ('epoch', 'cursor', 'last_sync_at')")
                self.ws.db.execute("UPDATE sync_state SET value = lower(hex(randomblob(6))) "
                                   "WHERE key = 'node'")
            set_state(self.ws, "ns", self.ns)

    # -- the whole cycle -----------------------------------------------------------------------

    def sync_once(self, progress: Progress | None = None) -> SyncReport:
        """Check the epoch, push everything due, pull everything new, compare counts.

        Raises ``TransportError`` (retry later), ``AuthError`` (tell the user) or
        ``DecisionNeeded`` (ask the user); the outbox is untouched by all three.
        """
        report = SyncReport()
        counts = self.client.get_counts(self.ns)
        self._check_epoch(counts)
        self.push(report)
        report.pulled = self.pull(progress)
        if pending_count(self.ws) == 0 and not self.cancel.is_set():
            report.count_mismatches = self.compare_counts()
        set_state(self.ws, "last_sync_at", repr(time.time()))
        self.backoff.reset()
        return report

    def _check_epoch(self, counts: dict[str, Any]) -> None:
        server_epoch = str(counts["epoch"])
        known = get_state(self.ws, "epoch")
        if known == server_epoch:
            return
        server_counts = {str(k): int(v) for k, v in dict(counts["counts"]).items()}
        mine = local_counts(self.ws)
        if known is None and not any(mine.values()):
            # A fresh workspace simply takes the central's data: the initial sync.
            set_state(self.ws, "epoch", server_epoch)
            return
        raise DecisionNeeded(SyncDecision(
            "first_contact" if known is None else "epoch_changed", server_epoch,
            not any(server_counts.values()), mine, server_counts,
        ))

    def resolve_decision(self, decision: SyncDecision, choice: str) -> None:
        """Apply a person's choice: ``upload`` (send this workspace to the central, then merge
        with whatever it has) or ``download`` (replace local synced data with the central's;
        unsent local ops are moved to the rejected list, never silently dropped)."""
        if choice not in ("upload", "download"):
            raise ValueError(f"unknown choice {choice!r}")
        with self.ws.db.atomic():
            # Revisions of another epoch mean nothing to this one.
            self.ws.db.execute("DELETE FROM sync_records")
            self.ws.db.execute("UPDATE sync_outbox SET base_rev = 0")
            set_state(self.ws, "cursor", "0")
            set_state(self.ws, "epoch", decision.server_epoch)
        if choice == "upload":
            n = enqueue_snapshot(self.ws)
            log.info("sync: %d local records queued for upload", n)
            return
        now = time.time()
        with self.ws.write(actor=SYNC_ACTOR, origin=SYNC_ORIGIN) as tx:
            self.ws.db.execute(
                "INSERT OR REPLACE INTO sync_rejected (op_id, seq, entity, entity_id, op, patch,"
                " base_rev, hlc, code, reason, rejected_at) SELECT op_id, seq, entity, entity_id,"
                " op, patch, base_rev, hlc, 0, '本地数据已按中心重置，此操作未发送', ? "
                "FROM sync_outbox", [now],
            )
            self.ws.db.execute("DELETE FROM sync_outbox")
            for entity in SYNC_RULES:
                if table_exists(self.ws, entity):
                    for (rid,) in self.ws.db.execute(f'SELECT id FROM "{entity}"').fetchall():
                        tx.delete(entity, str(rid))

    # -- push ----------------------------------------------------------------------------------

    def push(self, report: SyncReport | None = None) -> int:
        """Send every due outbox op, oldest first, in batches. Returns how many were answered."""
        report = report if report is not None else SyncReport()
        done = 0
        while not self.cancel.is_set():
            rows = self.ws.db.execute(
                "SELECT op_id, entity, entity_id, op, patch, base_rev, hlc FROM sync_outbox "
                "WHERE next_try_at <= ? ORDER BY seq LIMIT ?", [time.time(), self.batch_size],
            ).fetchall()
            if not rows:
                return done
            ops, dropped = self._wire_ops(rows)
            if dropped:
                with self.ws.db.atomic():
                    self.ws.db.conn.executemany(
                        "DELETE FROM sync_outbox WHERE op_id = ?", [(o,) for o in dropped])
            if not ops:
                continue
            try:
                answer = self.client.post_ops(self.ns, self.node, ops)
            except TransportError as exc:
                self._note_failure([o["op_id"] for o in ops], str(exc))
                raise
            except RequestRejected as exc:
                if len(ops) == 1:
                    self._reject(ops[0], exc.status, exc.reason, report)
                    done += 1
                    continue
                # Find the op the central refuses by sending them one at a time.
                done += self._push_one_by_one(ops, report)
                continue
            self._record_results(ops, answer["results"], report)
            done += len(ops)
            report.pushed += len(ops)
        return done

    def _push_one_by_one(self, ops: list[dict[str, Any]], report: SyncReport) -> int:
        for op in ops:
            try:
                answer = self.client.post_ops(self.ns, self.node, [op])
            except RequestRejected as exc:
                self._reject(op, exc.status, exc.reason, report)
                continue
            except TransportError as exc:
                self._note_failure([op["op_id"]], str(exc))
                raise
            self._record_results([op], answer["results"], report)
            report.pushed += 1
        return len(ops)

    def _wire_ops(self, rows: list[tuple[Any, ...]]) -> tuple[list[dict[str, Any]], list[str]]:
        ops: list[dict[str, Any]] = []
        dropped: list[str] = []
        for op_id, entity, entity_id, kind, patch_text, base_rev, hlc in rows:
            rule = SYNC_RULES.get(entity)
            patch = None if patch_text is None else json.loads(patch_text)
            if rule is not None and patch is not None:
                patch = {k: v for k, v in patch.items() if k not in rule.local_only}
            if rule is None or (kind == "update" and not patch):
                # Not a synced table, or only local fields (a unit's last fix) changed.
                dropped.append(op_id)
                continue
            ops.append({"op_id": op_id, "entity": entity, "entity_id": entity_id, "op": kind,
                        "patch": patch, "base_rev": base_rev, "hlc": hlc})
        return ops, dropped

    def _note_failure(self, op_ids: list[str], error: str) -> None:
        with self.ws.db.atomic():
            self.ws.db.conn.executemany(
                "UPDATE sync_outbox SET attempts = attempts + 1, last_error = ? WHERE op_id = ?",
                [(error[:500], o) for o in op_ids],
            )

    def _reject(self, op: dict[str, Any], code: int, reason: str, report: SyncReport) -> None:
        with self.ws.db.atomic():
            self._move_to_rejected(op["op_id"], code, reason)
        report.rejected += 1

    def _move_to_rejected(self, op_id: str, code: int, reason: str) -> None:
        self.ws.db.execute(
            "INSERT OR REPLACE INTO sync_rejected (op_id, seq, entity, entity_id, op, patch,"
            " base_rev, hlc, code, reason, rejected_at) SELECT op_id, seq, entity, entity_id, op,"
            " patch, base_rev, hlc, ?, ?, ? FROM sync_outbox WHERE op_id = ?",
            [code, reason, time.time(), op_id],
        )
        self.ws.db.execute("DELETE FROM sync_outbox WHERE op_id = ?", [op_id])
        log.warning("sync: op %s rejected by the central (%s): %s", op_id, code, reason)

    def _record_results(
        self, ops: list[dict[str, Any]], results: list[dict[str, Any]], report: SyncReport
    ) -> None:
        by_id = {o["op_id"]: o for o in ops}
        now = time.time()
        revs: list[tuple[str, str, int]] = []
        done: list[tuple[str]] = []
        with self.ws.db.atomic():
            for res in results:
                op = by_id.get(res["op_id"])
                if op is None:
                    continue
                status = res["status"]
                if status == "applied":
                    report.applied += 1
                    if res["rev"]:
                        revs.append((op["entity"], op["entity_id"], int(res["rev"])))
                    done.append((op["op_id"],))
                elif status == "merged":
                    # The record now holds others' changes too: the pull brings the whole of it.
                    report.merged += 1
                    done.append((op["op_id"],))
                elif status == "conflict":
                    report.conflicts += 1
                    fields = {f: (op["patch"] or {}).get(f) for f in res["conflict_fields"]}
                    self.ws.db.execute(
                        "INSERT INTO sync_conflicts (op_id, entity, entity_id, fields, server,"
                        " server_rev, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        [op["op_id"], op["entity"], op["entity_id"],
                         json.dumps(fields, ensure_ascii=False),
                         json.dumps(res["record"], ensure_ascii=False), int(res["rev"]), now],
                    )
                    done.append((op["op_id"],))
                else:
                    report.rejected += 1
                    self._move_to_rejected(op["op_id"], int(res["code"]),
                                           str(res.get("reason") or "rejected"))
            self.ws.db.conn.executemany(
                "INSERT INTO sync_records (entity, entity_id, rev) VALUES (?, ?, ?) "
                "ON CONFLICT (entity, entity_id) DO UPDATE SET rev = max(rev, excluded.rev)", revs)
            self.ws.db.conn.executemany("DELETE FROM sync_outbox WHERE op_id = ?", done)

    # -- pull ----------------------------------------------------------------------------------

    def pull(self, progress: Progress | None = None) -> int:
        """Apply the central's changes after our cursor; returns how many were applied."""
        applied = 0
        cursor = int(get_state(self.ws, "cursor", "0") or 0)
        epoch = get_state(self.ws, "epoch")
        while not self.cancel.is_set():
            page = self.client.get_changes(self.ns, cursor, self.page_size)
            if epoch is not None and page["epoch"] != epoch:
                raise DecisionNeeded(SyncDecision(
                    "epoch_changed", str(page["epoch"]), False, local_counts(self.ws), {}))
            applied += self.apply_changes(page["changes"], int(page["last_seq"]))
            cursor = int(page["last_seq"])
            if progress is not None:
                progress(cursor, int(page["head"]))
            if not page["more"]:
                break
        return applied

    def apply_changes(self, changes: list[dict[str, Any]], cursor: int) -> int:
        """Apply one page of the change feed and move the cursor, in one local transaction.

        Fields with unsent local ops or an open conflict keep their local value: the push (or
        the person resolving the conflict) decides them, not the pull.
        """
        ws = self.ws
        applied = 0
        by_entity: dict[str, list[dict[str, Any]]] = {}
        for ch in changes:
            by_entity.setdefault(ch["entity"], []).append(ch)
        top_hlc = ""
        with ws.write(actor=SYNC_ACTOR, origin=SYNC_ORIGIN) as tx:
            protected = self._protected_fields()
            for entity, rows in by_entity.items():
                ids = list({str(c["entity_id"]) for c in rows})
                revs: dict[str, int] = {
                    str(k): int(v) for k, v in _lookup(
                        ws, "SELECT entity_id, rev FROM sync_records WHERE entity = ? AND "
                        "entity_id IN ({})", [entity], ids)
                }
                rev_updates: list[tuple[str, str, int]] = []
                has_table = table_exists(ws, entity)
                columns: set[str] = set()
                existing: set[str] = set()
                if has_table:
                    columns = {r[1] for r in ws.db.execute(f'PRAGMA table_info("{entity}")')}
                    existing = {str(r[0]) for r in _lookup(
                        ws, f'SELECT id, 1 FROM "{entity}" WHERE id IN ({{}})', [], ids)}
                inserts: dict[str, dict[str, Any]] = {}
                failed: set[str] = set()
                for ch in rows:
                    rid = str(ch["entity_id"])
                    rev = int(ch["rev"])
                    if rev <= revs.get(rid, 0):
                        continue  # we have it: our own push, or an older change replayed
                    revs[rid] = rev
                    rev_updates.append((entity, rid, rev))
                    if ch.get("hlc") and ch["hlc"] > top_hlc:
                        top_hlc = str(ch["hlc"])
                    applied += 1
                    if not has_table:
                        continue
                    if ch["op"] == "delete":
                        inserts.pop(rid, None)
                        if rid in existing:
                            tx.delete(entity, rid)
                            existing.discard(rid)
                        continue
                    data = {k: v for k, v in (ch["data"] or {}).items() if k in columns}
                    keep = protected.get((entity, rid), ())
                    if rid in existing:
                        patch = {k: v for k, v in data.items() if k != "id" and k not in keep}
                        if patch and not self._try(partial(tx.update, entity, rid, patch)):
                            failed.add(rid)
                    else:
                        data["id"] = rid
                        inserts[rid] = data
                groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
                for rec in inserts.values():
                    groups.setdefault(tuple(rec), []).append(rec)
                for group in groups.values():
                    if not self._try(partial(tx.insert_many, entity, group)):
                        # One record breaks a local rule (a duplicate call sign...): the rest
                        # still go in, one by one; the bad one is reported, not retried forever.
                        for rec in group:
                            if not self._try(partial(tx.insert, entity, rec)):
                                failed.add(str(rec["id"]))
                if failed:
                    log.warning("sync: %d %s records from the central could not be applied "
                                "locally: %s", len(failed), entity, sorted(failed)[:20])
                    self.apply_failures.extend((entity, rid) for rid in sorted(failed))
                    rev_updates = [u for u in rev_updates if u[1] not in failed]
                ws.db.conn.executemany(
                    "INSERT INTO sync_records (entity, entity_id, rev) VALUES (?, ?, ?) "
                    "ON CONFLICT (entity, entity_id) DO UPDATE SET rev = excluded.rev",
                    rev_updates)
            ws.db.execute(
                "INSERT INTO sync_state (key, value) VALUES ('cursor', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value", [str(cursor)])
            floor = _stamp_ms(top_hlc)
            if floor:
                # Our next stamps sort after every stamp seen from the central (the HLC rule).
                ws.db.execute(
                    "INSERT INTO sync_state (key, value) VALUES ('hlc_floor', ?) ON CONFLICT (key)"
                    " DO UPDATE SET value = CAST(max(CAST(value AS INTEGER), excluded.value)"
                    " AS TEXT)", [floor],
                )
        return applied

    def _try(self, write: Callable[[], object]) -> bool:
        """Run one local write in a savepoint; False (and nothing written) when SQLite refuses."""
        try:
            with self.ws.db.atomic():
                write()
        except sqlite3.IntegrityError as exc:
            log.debug("local write refused: %s", exc)
            return False
        return True

    def _protected_fields(self) -> dict[tuple[str, str], set[str]]:
        out: dict[tuple[str, str], set[str]] = {}
        for entity, rid, patch in self.ws.db.execute(
            "SELECT entity, entity_id, patch FROM sync_outbox"
        ):
            if patch:
                out.setdefault((entity, rid), set()).update(json.loads(patch))
        for entity, rid, fields in self.ws.db.execute(
            "SELECT entity, entity_id, fields FROM sync_conflicts WHERE resolved_at IS NULL"
        ):
            out.setdefault((entity, rid), set()).update(json.loads(fields))
        return out

    # -- counts --------------------------------------------------------------------------------

    def compare_counts(self) -> dict[str, tuple[int, int]]:
        """(local, central) per entity where they differ; logged, and shown by the status bar."""
        server = {str(k): int(v) for k, v in self.client.get_counts(self.ns)["counts"].items()}
        mine = local_counts(self.ws)
        out = {e: (mine.get(e, 0), server.get(e, 0))
               for e in set(mine) | set(server)
               if e in mine and mine.get(e, 0) != server.get(e, 0)}
        if out:
            log.warning("sync: counts differ from the central: %s", out)
        return out

    # -- status and the loop -------------------------------------------------------------------

    def status(self) -> SyncStatus:
        last = get_state(self.ws, "last_sync_at")
        return SyncStatus(
            configured=True, pending=pending_count(self.ws), rejected=rejected_count(self.ws),
            conflicts=conflict_count(self.ws), last_sync_at=float(last) if last else None,
        )

    def run(
        self, stop: threading.Event, *, interval: float = 5.0, wake: threading.Event | None = None,
        on_status: Callable[[SyncStatus], None] | None = None,
        progress: Progress | None = None,
    ) -> None:
        """Sync until ``stop`` is set: every ``interval`` seconds, or sooner when ``wake`` is
        set; after a failure, wait with backoff. Stops on ``AuthError`` or ``DecisionNeeded``."""
        wake = wake or threading.Event()
        while not stop.is_set():
            st = SyncStatus(configured=True)
            delay = interval
            try:
                report = self.sync_once(progress)
                st = self.status()
                st.online = True
                st.count_mismatches = report.count_mismatches
            except TransportError as exc:
                delay = self.backoff.next_delay(exc.retry_after)
                st = self.status()
                st.last_error = str(exc)
                log.info("sync: %s; retrying in %.1f s", exc, delay)
            except AuthError as exc:
                st = self.status()
                st.online, st.auth_error, st.last_error = True, True, str(exc)
                self._emit(on_status, st)
                return
            except DecisionNeeded as exc:
                st = self.status()
                st.online, st.decision = True, exc.decision
                self._emit(on_status, st)
                return
            self._emit(on_status, st)
            wake.wait(delay)
            wake.clear()

    @staticmethod
    def _emit(on_status: Callable[[SyncStatus], None] | None, st: SyncStatus) -> None:
        if on_status is not None:
            on_status(st)


def _stamp_ms(text: str) -> int:
    try:
        return parse_stamp(text).ms
    except ValueError:
        return 0


def _lookup(
    ws: Workspace, sql: str, params: list[Any], ids: list[str], chunk: int = 500
) -> list[tuple[Any, Any]]:
    """Run ``sql`` (with one ``{}`` for the id placeholders) over ``ids`` in chunks: a page
    touches a few thousand records, so looking them up beats loading a whole table."""
    out: list[tuple[Any, Any]] = []
    for i in range(0, len(ids), chunk):
        part = ids[i:i + chunk]
        out.extend(ws.db.execute(sql.format(", ".join("?" for _ in part)), [*params, *part]))
    return out
