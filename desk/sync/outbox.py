"""The client side of sync in the workspace: enabling the outbox, sync state, and the lists a
person sees (未同步 / 被拒绝 / 冲突) with the actions taken on them."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from desk.store.schema_sync import SYNC_ACTOR
from desk.store.workspace import Workspace
from desk.sync.rules import SYNC_RULES

#: ``origin`` of the writes the sync applies, so a panel can tell them from a person's edits.
SYNC_ORIGIN = "desk.sync"


def install_outbox(ws: Workspace) -> None:
    """Start recording local changes for the central. From now on every committed change of a
    synced entity has its outbox op, written by a trigger in the same transaction."""
    set_state(ws, "enabled", "1")


def disable_outbox(ws: Workspace) -> None:
    set_state(ws, "enabled", "0")


def outbox_enabled(ws: Workspace) -> bool:
    return get_state(ws, "enabled") == "1"


def get_state(ws: Workspace, key: str, default: str | None = None) -> str | None:
    row = ws.db.execute("SELECT value FROM sync_state WHERE key = ?", [key]).fetchone()
    return default if row is None or row[0] is None else str(row[0])


def set_state(ws: Workspace, key: str, value: str | None) -> None:
    with ws.db.atomic():
        ws.db.execute(
            "INSERT INTO sync_state (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value", [key, value],
        )


def node_id(ws: Workspace) -> str:
    return get_state(ws, "node") or "unknown"


def table_exists(ws: Workspace, table: str) -> bool:
    return ws.db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [table]
    ).fetchone() is not None


def local_counts(ws: Workspace) -> dict[str, int]:
    """Rows per synced entity that this workspace has a table for."""
    return {e: ws.count(e) for e in SYNC_RULES if table_exists(ws, e)}


@dataclass(frozen=True, slots=True)
class PendingOp:
    op_id: str
    seq: int
    entity: str
    entity_id: str
    op: str
    patch: dict[str, Any] | None
    base_rev: int
    hlc: str
    attempts: int
    last_error: str | None


@dataclass(frozen=True, slots=True)
class RejectedOp:
    op_id: str
    entity: str
    entity_id: str
    op: str
    patch: dict[str, Any] | None
    code: int
    reason: str
    rejected_at: float


@dataclass(frozen=True, slots=True)
class Conflict:
    id: int
    entity: str
    entity_id: str
    local: dict[str, Any]
    server: dict[str, Any] | None
    server_rev: int
    created_at: float


def _patch(text: str | None) -> dict[str, Any] | None:
    return None if text is None else dict(json.loads(text))


def pending_count(ws: Workspace) -> int:
    return int(ws.db.execute("SELECT count(*) FROM sync_outbox").fetchone()[0])


def rejected_count(ws: Workspace) -> int:
    return int(ws.db.execute("SELECT count(*) FROM sync_rejected").fetchone()[0])


def conflict_count(ws: Workspace) -> int:
    return int(ws.db.execute(
        "SELECT count(*) FROM sync_conflicts WHERE resolved_at IS NULL").fetchone()[0])


def pending_ops(ws: Workspace, limit: int = 1000) -> list[PendingOp]:
    rows = ws.db.execute(
        "SELECT op_id, seq, entity, entity_id, op, patch, base_rev, hlc, attempts, last_error "
        "FROM sync_outbox ORDER BY seq LIMIT ?", [limit],
    ).fetchall()
    return [PendingOp(r[0], r[1], r[2], r[3], r[4], _patch(r[5]), r[6], r[7], r[8], r[9])
            for r in rows]


def rejected_ops(ws: Workspace, limit: int = 1000) -> list[RejectedOp]:
    rows = ws.db.execute(
        "SELECT op_id, entity, entity_id, op, patch, code, reason, rejected_at "
        "FROM sync_rejected ORDER BY rejected_at DESC LIMIT ?", [limit],
    ).fetchall()
    return [RejectedOp(r[0], r[1], r[2], r[3], _patch(r[4]), r[5], r[6], r[7]) for r in rows]


def open_conflicts(ws: Workspace) -> list[Conflict]:
    rows = ws.db.execute(
        "SELECT id, entity, entity_id, fields, server, server_rev, created_at FROM sync_conflicts "
        "WHERE resolved_at IS NULL ORDER BY id"
    ).fetchall()
    return [Conflict(r[0], r[1], r[2], json.loads(r[3]), _patch(r[4]), r[5], r[6]) for r in rows]


def resolve_conflict(ws: Workspace, conflict_id: int, keep: str, actor: str = "dispatcher") -> None:
    """A person picked a side. ``keep="server"`` takes the central's values locally;
    ``keep="local"`` sends ours again, now based on the revision that carried theirs, so it
    applies (unless someone changed the field yet again, which is a new conflict)."""
    if keep not in ("server", "local"):
        raise ValueError(f"keep must be 'server' or 'local', not {keep!r}")
    row = ws.db.execute(
        "SELECT entity, entity_id, fields, server, server_rev FROM sync_conflicts "
        "WHERE id = ? AND resolved_at IS NULL", [conflict_id],
    ).fetchone()
    if row is None:
        raise KeyError(f"冲突 {conflict_id} 不存在或已处理")
    entity, entity_id, fields_text, server_text, server_rev = row
    local: dict[str, Any] = json.loads(fields_text)
    server: dict[str, Any] = json.loads(server_text) if server_text else {}
    exists = table_exists(ws, entity) and ws.db.execute(
        f'SELECT 1 FROM "{entity}" WHERE id = ?', [entity_id]).fetchone() is not None
    now = time.time()
    if keep == "server":
        with ws.write(actor=SYNC_ACTOR, origin=SYNC_ORIGIN) as tx:
            values = {k: server.get(k) for k in local}
            if exists and values:
                tx.update(entity, entity_id, values)
            _mark_resolved(ws, conflict_id, "server", now)
        return
    with ws.write(actor=actor) as tx:
        # We have now seen the server's revision: our re-sent values are based on it.
        ws.db.execute(
            "INSERT INTO sync_records (entity, entity_id, rev) VALUES (?, ?, ?) "
            "ON CONFLICT (entity, entity_id) DO UPDATE SET rev = max(rev, excluded.rev)",
            [entity, entity_id, server_rev],
        )
        if exists:
            tx.update(entity, entity_id, local)
        _mark_resolved(ws, conflict_id, "local", now)


def _mark_resolved(ws: Workspace, conflict_id: int, resolution: str, now: float) -> None:
    ws.db.execute(
        "UPDATE sync_conflicts SET resolved_at = ?, resolution = ? WHERE id = ?",
        [now, resolution, conflict_id],
    )


def discard_rejected(ws: Workspace, op_id: str) -> None:
    """Forget a rejected op (a person read the reason and accepted it)."""
    with ws.db.atomic():
        ws.db.execute("DELETE FROM sync_rejected WHERE op_id = ?", [op_id])


def enqueue_snapshot(ws: Workspace) -> int:
    """Queue every local record of every synced entity as an insert (base revision 0), ahead of
    the ops already queued: used when a person chooses to upload the workspace to a central."""
    node = node_id(ws)
    now = time.time()
    with ws.db.atomic():
        low = ws.db.execute("SELECT min(seq) FROM sync_outbox").fetchone()[0]
        # Snapshot ops get sequence numbers below every queued op, so inserts go first.
        rows: list[tuple[Any, ...]] = []
        for entity in SYNC_RULES:
            if not table_exists(ws, entity):
                continue
            cur = ws.db.execute(f'SELECT * FROM "{entity}"')
            names = [d[0] for d in cur.description]
            for rec in cur:
                data = dict(zip(names, rec, strict=True))
                rows.append((entity, str(data["id"]), json.dumps(data, ensure_ascii=False)))
        start = min(0, int(low or 0)) - len(rows) - 1
        ws.db.conn.executemany(
            "INSERT INTO sync_outbox (op_id, seq, entity, entity_id, op, patch, base_rev, hlc,"
            " created_at) VALUES (lower(hex(randomblob(16))), ?, ?, ?, 'insert', ?, 0, ?, ?)",
            [(start + i, e, rid, patch, f"{int(now * 1000):013d}.{0:010d}.{node}", now)
             for i, (e, rid, patch) in enumerate(rows)],
        )
    return len(rows)
