"""The sync engine: push the outbox, pull the change feed, compare counts, ask before wiping.

Qt-free and single-threaded: the app runs ``SyncEngine.run`` on a worker thread with its own
``Workspace`` (sharing the GUI workspace's ChangeBus so panels refresh after a pull).

Exactly once: the central stores each op's result under its ``op_id`` in the transaction that
applies it, and the outbox row is deleted only after the answer is committed locally. A process
killed between the two re-sends the op and receives the stored result; nothing is applied twice.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from desk.domain.limits import field_problem
from desk.store.schema_sync import SYNC_ACTOR
from desk.store.workspace import Workspace
from desk.sync.backoff import Backoff
from desk.sync.hlc import MAX_CLOCK_AHEAD_S, clamp_stamp, format_stamp, parse_stamp
from desk.sync.outbox import (
    SYNC_ORIGIN,
    conflict_count,
    enqueue_snapshot,
    get_state,
    install_limits_check,
    local_counts,
    node_id,
    outbox_enabled,
    pending_count,
    rejected_count,
    set_state,
)
from desk.sync.rules import SYNC_RULES, check_rules
from desk.sync.transport import (
    CentralClient,
    RequestRejected,
    SyncError,
    TransportError,
)

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]

#: Actor of the ops that re-send this desk's records to a central that went back in time.
RESEND_ACTOR = "sync:resend"


@dataclass(frozen=True, slots=True)
class SyncDecision:
    """Something only a person may decide (desk asks, never wipes).

    ``kind``: ``first_contact`` (this workspace has data and has never synced with this central)
    or ``epoch_changed`` (the central was reset or restored). ``server_empty`` tells the dialog
    whether the central has any records at all.
    """

    kind: str  # first_contact | epoch_changed
    server_epoch: str
    server_empty: bool
    local_counts: dict[str, int]
    server_counts: dict[str, int]


class DecisionNeeded(SyncError):
    def __init__(self, decision: SyncDecision) -> None:
        super().__init__(f"sync needs a decision: {decision.kind}")
        self.decision = decision


class ClockSkewError(TransportError):
    """This desk's clock runs more than ``MAX_CLOCK_AHEAD_S`` ahead of the central's: nothing is
    pushed (the outbox keeps every op) until the clock is set right; retried like a transport
    error, so sync resumes by itself once it is."""

    def __init__(self, skew_s: float) -> None:
        super().__init__(
            f"本机时钟比中心快 {skew_s / 60:.0f} 分钟（超过 {MAX_CLOCK_AHEAD_S / 60:.0f} 分钟）："
            "请校准本机时间；未同步的修改都保留在发件箱中")
        self.skew_s = skew_s


@dataclass(slots=True)
class SyncReport:
    pushed: int = 0
    applied: int = 0
    merged: int = 0
    conflicts: int = 0
    rejected: int = 0
    pulled: int = 0
    #: Ops held with a conflicting state change (its state-log row, its incident).
    held: int = 0
    #: Descriptive values overwritten by last-writer-wins (kept in the conflict history).
    overwritten: int = 0
    #: Records re-sent because the central went back to an older state (0: it did not).
    resent: int = 0
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
    #: This desk's clock minus the central's, in seconds (``None``: not measured yet). Sync stops
    #: pushing while it is more than ``MAX_CLOCK_AHEAD_S`` ahead.
    clock_skew_s: float | None = None
    #: A plain sentence when the central was found to have gone back to an older state (restored
    #: from a backup under the same epoch) and this desk re-sent its records; ``""`` otherwise.
    central_went_back: str = ""


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
        # Every workspace table is declared synced or local-only; a mismatch is an error here,
        # never a table silently skipped.
        check_rules(ws.db)
        if outbox_enabled(ws):
            install_limits_check(ws)
        skew = get_state(ws, "clock_skew")
        #: This desk's clock minus the central's (seconds), measured at every sync.
        self.clock_skew_s: float | None = float(skew) if skew else None
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
        self._check_clock()
        self._check_epoch(counts)
        report.resent = self._check_went_back(int(counts.get("head", 0) or 0))
        self.push(report)
        report.pulled = self.pull(progress)
        if pending_count(self.ws) == 0 and not self.cancel.is_set():
            report.count_mismatches = self.compare_counts()
        set_state(self.ws, "last_sync_at", repr(time.time()))
        self.backoff.reset()
        return report

    def _check_clock(self) -> None:
        skew = self.client.clock_skew_s
        if skew is None:
            return
        self.clock_skew_s = skew
        set_state(self.ws, "clock_skew", f"{skew:.3f}")
        if skew > MAX_CLOCK_AHEAD_S:
            log.error("sync: this desk's clock is %.0f s ahead of the central's; not pushing",
                      skew)
            self._correct_stamps(skew)
            raise ClockSkewError(skew)

    def _correct_stamps(self, skew: float) -> None:
        """Stamps of queued ops made with this clock, far ahead, are moved back by the measured
        skew: once the clock is set right they then sort where the edits really happened,
        instead of beating later edits of correct desks."""
        limit = int((time.time() - skew + MAX_CLOCK_AHEAD_S) * 1000)
        fixed: list[tuple[str, str]] = []
        for op_id, hlc in self.ws.db.execute("SELECT op_id, hlc FROM sync_outbox"):
            try:
                stamp = parse_stamp(hlc)
            except ValueError:
                continue
            if stamp.ms > limit:
                fixed.append((format_stamp(stamp.ms - int(skew * 1000), stamp.counter,
                                           stamp.node), op_id))
        if fixed:
            with self.ws.db.atomic():
                self.ws.db.conn.executemany(
                    "UPDATE sync_outbox SET hlc = ? WHERE op_id = ?", fixed)
            log.warning("sync: %d queued stamps moved back by the clock skew", len(fixed))

    def _check_went_back(self, head: int) -> int:
        """Detect a central restored from an older backup under the same epoch: our cursor is
        past its newest change, or the change at our cursor is not the one we applied. Then say
        so, re-send every local record (based on the revisions we knew, so our newer values
        apply), and read its whole feed again. Returns how many records were re-sent."""
        cursor = int(get_state(self.ws, "cursor", "0") or 0)
        if cursor == 0 or get_state(self.ws, "epoch") is None:
            return 0
        went_back = cursor > head
        if not went_back:
            mark = get_state(self.ws, "cursor_mark")
            if mark:
                page = self.client.get_changes(self.ns, cursor - 1, 1)
                first = page["changes"][0] if page["changes"] else None
                went_back = first is None or int(first["seq"]) != cursor or _mark(first) != mark
        if not went_back:
            return 0
        n = enqueue_snapshot(self.ws, known_revs=True, actor=RESEND_ACTOR)
        with self.ws.db.atomic():
            self.ws.db.execute("DELETE FROM sync_records")
            self.ws.db.execute("DELETE FROM sync_state WHERE key = 'cursor_mark'")
            set_state(self.ws, "cursor", "0")
            message = (f"中心数据回到了较早的状态（中心最新序号 {head}，本席位已同步到 {cursor}），"
                       f"可能是从备份恢复；已从本席位重新发送 {n} 条记录")
            set_state(self.ws, "central_went_back", message)
        log.error("sync: %s", message)
        return n

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
                for (rid,) in self.ws.db.execute(f'SELECT id FROM "{entity}"').fetchall():
                    tx.delete(entity, str(rid))

    # -- push ----------------------------------------------------------------------------------

    def push(self, report: SyncReport | None = None) -> int:
        """Send every due outbox op, oldest first, in batches. Returns how many were answered."""
        report = report if report is not None else SyncReport()
        done = 0
        self._bind_units()
        while not self.cancel.is_set():
            rows = self.ws.db.execute(
                "SELECT op_id, entity, entity_id, op, patch, base_rev, hlc, actor, unit "
                "FROM sync_outbox WHERE next_try_at <= ? ORDER BY seq LIMIT ?",
                [time.time(), self.batch_size],
            ).fetchall()
            if not rows:
                return done
            ops, dropped, refused = self._wire_ops(rows)
            if dropped or refused:
                with self.ws.db.atomic():
                    self.ws.db.conn.executemany(
                        "DELETE FROM sync_outbox WHERE op_id = ?", [(o,) for o in dropped])
                    for op_id, code in refused:
                        self._move_to_rejected(op_id, 422, code)
                report.rejected += len(refused)
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

    def _bind_units(self) -> None:
        """Tie each new bound row (a state-log row, an incident, a claim) to the state change it
        was written with: the nearest earlier op on its parent record that moves the parent's
        state and that the rule recognises. The central then applies or holds them together."""
        children = {r.entity: r for r in SYNC_RULES.values() if r.bound is not None}
        marks = ", ".join("?" for _ in children)
        with self.ws.db.atomic():
            self.ws.db.execute(
                f"UPDATE sync_outbox SET unit = '' WHERE unit IS NULL AND "
                f"(op <> 'insert' OR entity NOT IN ({marks}))", list(children))
            rows = self.ws.db.execute(
                "SELECT op_id, seq, entity, patch FROM sync_outbox WHERE unit IS NULL ORDER BY seq"
            ).fetchall()
            updates: list[tuple[str, str]] = []
            for op_id, seq, entity, patch_text in rows:
                rule = children[entity]
                assert rule.bound is not None
                unit = ""
                child = json.loads(patch_text) if patch_text else {}
                parent_id = child.get(rule.bound.parent_field)
                if parent_id is not None:
                    parent = self.ws.db.execute(
                        "SELECT op_id, patch FROM sync_outbox WHERE entity = ? AND entity_id = ? "
                        "AND seq < ? ORDER BY seq DESC LIMIT 1",
                        [rule.bound.parent, str(parent_id), seq],
                    ).fetchone()
                    state_field = SYNC_RULES[rule.bound.parent].state_field or "state"
                    if parent is not None and parent[1]:
                        ppatch = json.loads(parent[1])
                        if state_field in ppatch and rule.bound.matches(ppatch, child):
                            unit = str(parent[0])
                updates.append((unit, str(op_id)))
            self.ws.db.conn.executemany(
                "UPDATE sync_outbox SET unit = ? WHERE op_id = ?", updates)

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

    def _wire_ops(
        self, rows: list[tuple[Any, ...]]
    ) -> tuple[list[dict[str, Any]], list[str], list[tuple[str, str]]]:
        """The ops to send; the op_ids to drop (not synced, or only local fields changed); and
        ops refused here for their size, with the same reason code the central would give."""
        ops: list[dict[str, Any]] = []
        dropped: list[str] = []
        refused: list[tuple[str, str]] = []
        # Stamps from a clock that ran ahead (before it was set right) are brought back to the
        # central's present: they would be refused, and would win merges they should not.
        max_ms = int((time.time() - (self.clock_skew_s or 0.0) + MAX_CLOCK_AHEAD_S / 2) * 1000)
        for op_id, entity, entity_id, kind, patch_text, base_rev, stamp, actor, unit in rows:
            rule = SYNC_RULES.get(entity)
            patch = None if patch_text is None else json.loads(patch_text)
            if rule is not None and patch is not None:
                patch = {k: v for k, v in patch.items() if k not in rule.local_only}
            if rule is None or (kind == "update" and not patch):
                # Not a synced table, or only local fields (a unit's last fix) changed.
                dropped.append(op_id)
                continue
            too_big = field_problem(patch) if patch else None
            if too_big:
                refused.append((op_id, too_big))
                continue
            hlc = stamp
            with contextlib.suppress(ValueError):
                hlc = clamp_stamp(stamp, max_ms)
            ops.append({"op_id": op_id, "entity": entity, "entity_id": entity_id, "op": kind,
                        "patch": patch, "base_rev": base_rev, "hlc": hlc,
                        "actor": str(actor or "")[:100], "unit": unit or ""})
        return ops, dropped, refused

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
        log.warning("sync: op %s rejected (%s): %s", op_id, code, reason)

    def _add_conflict(  # noqa: PLR0917
        self, op: dict[str, Any], kind: str, fields: dict[str, Any],
        server: dict[str, Any] | None, server_rev: int, now: float, *, resolved: bool = False,
    ) -> None:
        self.ws.db.execute(
            "INSERT INTO sync_conflicts (op_id, entity, entity_id, fields, server, server_rev,"
            " created_at, kind, resolved_at, resolution) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [op["op_id"], op["entity"], op["entity_id"], json.dumps(fields, ensure_ascii=False),
             None if server is None else json.dumps(server, ensure_ascii=False), server_rev,
             now, kind, now if resolved else None, "merged" if resolved else None],
        )

    def _record_results(
        self, ops: list[dict[str, Any]], results: list[dict[str, Any]], report: SyncReport
    ) -> None:
        by_id = {o["op_id"]: o for o in ops}
        now = time.time()
        revs: list[tuple[str, str, int]] = []
        exact: list[tuple[str, str, int]] = []
        done: list[tuple[str]] = []
        with self.ws.db.atomic():
            for res in results:
                op = by_id.get(res["op_id"])
                if op is None:
                    continue
                status = res["status"]
                if res.get("overwritten"):
                    # Descriptive last-writer-wins overwrote a value: kept in the history.
                    report.overwritten += 1
                    self._add_conflict(op, "merged", dict(res["overwritten"]), res.get("record"),
                                       int(res["rev"]), now, resolved=True)
                if status == "applied":
                    report.applied += 1
                    if res["rev"]:
                        target = exact if op.get("actor") == RESEND_ACTOR else revs
                        target.append((op["entity"], op["entity_id"], int(res["rev"])))
                    done.append((op["op_id"],))
                elif status == "merged":
                    # The record now holds others' changes too: the pull brings them.
                    report.merged += 1
                    done.append((op["op_id"],))
                elif status == "conflict":
                    self._record_conflict(op, res, report, now)
                    done.append((op["op_id"],))
                else:
                    report.rejected += 1
                    self._move_to_rejected(op["op_id"], int(res["code"]),
                                           str(res.get("reason") or "rejected"))
            self.ws.db.conn.executemany(
                "INSERT INTO sync_records (entity, entity_id, rev) VALUES (?, ?, ?) "
                "ON CONFLICT (entity, entity_id) DO UPDATE SET rev = max(rev, excluded.rev)", revs)
            self.ws.db.conn.executemany(
                "INSERT INTO sync_records (entity, entity_id, rev) VALUES (?, ?, ?) "
                "ON CONFLICT (entity, entity_id) DO UPDATE SET rev = excluded.rev", exact)
            self.ws.db.conn.executemany("DELETE FROM sync_outbox WHERE op_id = ?", done)

    def _record_conflict(
        self, op: dict[str, Any], res: dict[str, Any], report: SyncReport, now: float
    ) -> None:
        reason = res.get("reason")
        if reason == "held_with_unit":
            # Bound to a state change in the conflict list: it waits there, with it.
            row = self.ws.db.execute(
                "SELECT id, held FROM sync_conflicts WHERE op_id = ? AND resolved_at IS NULL",
                [op["unit"]]).fetchone()
            if row is None:
                self._move_to_rejected(op["op_id"], 409, "所属的状态变更已不在冲突列表中")
                report.rejected += 1
                return
            held = json.loads(row[1]) if row[1] else []
            held.append({"entity": op["entity"], "entity_id": op["entity_id"], "op": op["op"],
                         "patch": op["patch"]})
            self.ws.db.execute("UPDATE sync_conflicts SET held = ? WHERE id = ?",
                               [json.dumps(held, ensure_ascii=False), row[0]])
            report.held += 1
            return
        report.conflicts += 1
        patch = op["patch"] or {}
        if reason == "stale_delete":
            self._add_conflict(op, "delete", {}, res.get("record"), int(res["rev"]), now)
            return
        fields = {f: patch.get(f) for f in res["conflict_fields"]}
        if reason == "deleted":
            self._add_conflict(op, "deleted", fields, None, int(res["rev"]), now)
            return
        rule = SYNC_RULES.get(op["entity"])
        kind = "unit" if rule is not None and rule.atomic else "update"
        self._add_conflict(op, kind, fields, res.get("record"), int(res["rev"]), now)

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
        the person resolving the conflict) decides them, not the pull. A record with unsent ops
        or an open conflict is not deleted or re-created by the pull either. An update carries
        only the fields it changed."""
        ws = self.ws
        applied = 0
        by_entity: dict[str, list[dict[str, Any]]] = {}
        for ch in changes:
            by_entity.setdefault(ch["entity"], []).append(ch)
        top_hlc = ""
        mark = ""
        if changes:
            last = changes[-1]
            mark = _mark(last)
        with ws.write(actor=SYNC_ACTOR, origin=SYNC_ORIGIN) as tx:
            protected, held_records, open_by_record = self._protected()
            for entity, rows in by_entity.items():
                if entity not in SYNC_RULES:
                    # The central syncs an entity this desk does not know (a newer central):
                    # reported, never silently skipped.
                    log.error("sync: %d changes of unknown entity %r from the central",
                              len(rows), entity)
                    self.apply_failures.extend((entity, str(c["entity_id"])) for c in rows)
                    continue
                ids = list({str(c["entity_id"]) for c in rows})
                revs: dict[str, int] = {
                    str(k): int(v) for k, v in _lookup(
                        ws, "SELECT entity_id, rev FROM sync_records WHERE entity = ? AND "
                        "entity_id IN ({})", [entity], ids)
                }
                rev_updates: list[tuple[str, str, int]] = []
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
                    key = (entity, rid)
                    for cid in open_by_record.get(key, ()):
                        self._refresh_conflict(cid, ch)
                    if ch["op"] == "delete":
                        if key in held_records:
                            continue  # our unsent edit or an open conflict decides it
                        inserts.pop(rid, None)
                        if rid in existing:
                            tx.delete(entity, rid)
                            existing.discard(rid)
                        continue
                    data = {k: v for k, v in (ch["data"] or {}).items() if k in columns}
                    keep = protected.get(key, ())
                    if rid in existing:
                        patch = {k: v for k, v in data.items() if k != "id" and k not in keep}
                        if patch and not self._try(partial(tx.update, entity, rid, patch)):
                            failed.add(rid)
                    elif rid in inserts:
                        inserts[rid].update({k: v for k, v in data.items() if k != "id"})
                    elif key in held_records:
                        continue
                    elif ch["op"] == "insert":
                        data["id"] = rid
                        inserts[rid] = data
                    else:
                        # An update for a record this desk does not have (it failed to store
                        # the insert): reported, not guessed from a partial record.
                        failed.add(rid)
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
            if mark:
                ws.db.execute(
                    "INSERT INTO sync_state (key, value) VALUES ('cursor_mark', ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value", [mark])
            floor = _stamp_ms(top_hlc)
            # Our next stamps sort after every stamp seen from the central (the HLC rule), but a
            # stamp from a clock far ahead never lifts our floor past the allowed skew.
            floor = min(floor, int((time.time() + MAX_CLOCK_AHEAD_S) * 1000))
            if floor > 0:
                ws.db.execute(
                    "INSERT INTO sync_state (key, value) VALUES ('hlc_floor', ?) ON CONFLICT (key)"
                    " DO UPDATE SET value = CAST(max(CAST(value AS INTEGER), excluded.value)"
                    " AS TEXT)", [floor],
                )
        return applied

    def _refresh_conflict(self, conflict_id: int, ch: dict[str, Any]) -> None:
        """Keep an open conflict's view of the central current, so "keep the central's" takes
        what the central holds now, not what it held when the conflict arose."""
        row = self.ws.db.execute("SELECT server FROM sync_conflicts WHERE id = ?",
                                 [conflict_id]).fetchone()
        if row is None:
            return
        server = None if ch["op"] == "delete" else {
            **(json.loads(row[0]) if row[0] else {}), **(ch["data"] or {})}
        self.ws.db.execute(
            "UPDATE sync_conflicts SET server = ?, server_rev = max(server_rev, ?) WHERE id = ?",
            [None if server is None else json.dumps(server, ensure_ascii=False), int(ch["rev"]),
             conflict_id])

    def _try(self, write: Callable[[], object]) -> bool:
        """Run one local write in a savepoint; False (and nothing written) when SQLite refuses."""
        try:
            with self.ws.db.atomic():
                write()
        except sqlite3.IntegrityError as exc:
            log.debug("local write refused: %s", exc)
            return False
        return True

    def _protected(self) -> tuple[dict[tuple[str, str], set[str]], set[tuple[str, str]],
                                  dict[tuple[str, str], list[int]]]:
        """Fields the pull must not overwrite, records it must not delete or re-create, and the
        open conflicts of each record."""
        fields: dict[tuple[str, str], set[str]] = {}
        records: set[tuple[str, str]] = set()
        conflicts: dict[tuple[str, str], list[int]] = {}
        for entity, rid, patch in self.ws.db.execute(
            "SELECT entity, entity_id, patch FROM sync_outbox"
        ):
            records.add((entity, rid))
            if patch:
                fields.setdefault((entity, rid), set()).update(json.loads(patch))
        for cid, entity, rid, names, held in self.ws.db.execute(
            "SELECT id, entity, entity_id, fields, held FROM sync_conflicts "
            "WHERE resolved_at IS NULL"
        ):
            records.add((entity, rid))
            conflicts.setdefault((entity, rid), []).append(int(cid))
            fields.setdefault((entity, rid), set()).update(json.loads(names))
            for h in json.loads(held) if held else []:
                records.add((h["entity"], h["entity_id"]))
        return fields, records, conflicts

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
            clock_skew_s=self.clock_skew_s,
            central_went_back=get_state(self.ws, "central_went_back", "") or "",
        )


def _mark(change: dict[str, Any]) -> str:
    """What identifies the change at a sequence number (to notice a central that went back)."""
    return f"{change['entity']}/{change['entity_id']}/{change['rev']}/{change.get('hlc')}"


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
