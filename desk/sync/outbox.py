"""The client side of sync in the workspace: enabling the outbox, sync state, and the lists a
person sees (未同步 / 被拒绝 / 冲突) with the actions taken on them."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

from desk.domain.limits import MAX_FIELDS, MAX_RECORD_BYTES, MAX_TEXT_CHARS, limit_message
from desk.store.schema_sync import SYNC_ACTOR
from desk.store.workspace import Workspace
from desk.sync.rules import SYNC_RULES

#: ``origin`` of the writes the sync applies, so a panel can tell them from a person's edits.
SYNC_ORIGIN = "desk.sync"


def install_outbox(ws: Workspace) -> None:
    """Start recording local changes for the central. From now on every committed change of a
    synced entity has its outbox op, written by a trigger in the same transaction, and a change
    the central would refuse for its size is refused here, at write time, with the same reason."""
    install_limits_check(ws)
    set_state(ws, "enabled", "1")


def limits_error(code: str) -> str:
    """The message a write refused for its size carries (the same reason code as the central)."""
    return f"{limit_message(code)}，修改未保存（无法同步到中心：{code}）"


def install_limits_check(ws: Workspace) -> None:
    """(Re)create the trigger that refuses, for synced entities, the sizes desk-central refuses
    (``desk.domain.limits``): a text field over the cap, too many fields, or a record too large.

    It runs on every connection that writes the workspace, in the writing transaction, so an
    over-long narrative fails to save with a clear message instead of sitting unsynced. Built
    from the current rules (the entity list changes with them), so it is not a migration."""
    entities = ", ".join("'" + e.replace("'", "''") + "'" for e in sorted(SYNC_RULES))

    def msg(code: str) -> str:
        return limits_error(code).replace("'", "''")

    with ws.db.atomic():
        ws.db.execute("DROP TRIGGER IF EXISTS sync_limits_check")
        ws.db.execute(
            f"""CREATE TRIGGER sync_limits_check BEFORE INSERT ON change_log
            WHEN NEW.actor <> '{SYNC_ACTOR}' AND NEW.patch IS NOT NULL
             AND NEW.entity IN ({entities})
             AND EXISTS (SELECT 1 FROM sync_state WHERE key = 'enabled' AND value = '1')
            BEGIN
                SELECT RAISE(ABORT, '{msg("value_too_long")}') WHERE EXISTS (
                    SELECT 1 FROM json_each(NEW.patch)
                    WHERE type = 'text' AND length(value) > {MAX_TEXT_CHARS});
                SELECT RAISE(ABORT, '{msg("too_many_fields")}')
                    WHERE (SELECT count(*) FROM json_each(NEW.patch)) > {MAX_FIELDS};
                SELECT RAISE(ABORT, '{msg("record_too_large")}')
                    WHERE length(CAST(json(NEW.patch) AS BLOB)) > {MAX_RECORD_BYTES};
            END"""
        )


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
    """Rows per synced entity (every synced entity has its table: ``check_rules``)."""
    return {e: ws.count(e) for e in SYNC_RULES}


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
    """One entry of the conflict list (or, ``kind == "merged"``, of the conflict history).

    ``local``: this desk's values of the fields in question; ``server``: the central's record
    (``None`` when the central deleted it); ``held``: rows written with a conflicting state change
    (its state-log row, its incident) that wait with it: ``{entity, entity_id, op, patch}``.
    """

    id: int
    entity: str
    entity_id: str
    local: dict[str, Any]
    server: dict[str, Any] | None
    server_rev: int
    created_at: float
    kind: str = "update"
    held: list[dict[str, Any]] = field(default_factory=list)
    resolution: str | None = None


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


_CONFLICT_COLUMNS = ("id, entity, entity_id, fields, server, server_rev, created_at, kind, held, "
                     "resolution")


def _conflict(r: tuple[Any, ...]) -> Conflict:
    return Conflict(r[0], r[1], r[2], json.loads(r[3]), _patch(r[4]), r[5], r[6], r[7],
                    list(json.loads(r[8])) if r[8] else [], r[9])


def open_conflicts(ws: Workspace) -> list[Conflict]:
    rows = ws.db.execute(
        f"SELECT {_CONFLICT_COLUMNS} FROM sync_conflicts WHERE resolved_at IS NULL ORDER BY id"
    ).fetchall()
    return [_conflict(r) for r in rows]


def conflict_history(ws: Workspace, limit: int = 500) -> list[Conflict]:
    """Resolved conflicts and descriptive merges, newest first: ``kind == "merged"`` rows keep
    the value last-writer-wins overwrote (``local``), so a person can restore it."""
    rows = ws.db.execute(
        f"SELECT {_CONFLICT_COLUMNS} FROM sync_conflicts WHERE resolved_at IS NOT NULL "
        "ORDER BY id DESC LIMIT ?", [limit],
    ).fetchall()
    return [_conflict(r) for r in rows]


def _row(ws: Workspace, entity: str, entity_id: str) -> dict[str, Any] | None:
    cur = ws.db.execute(f'SELECT * FROM "{entity}" WHERE id = ?', [entity_id])
    row = cur.fetchone()
    if row is None:
        return None
    return {d[0]: v for d, v in zip(cur.description, row, strict=True)}


def _columns(ws: Workspace, entity: str) -> set[str]:
    return {r[1] for r in ws.db.execute(f'PRAGMA table_info("{entity}")')}


def _log_again(ws: Workspace, entity: str, entity_id: str, op: str,
               patch: dict[str, Any] | None, *, actor: str) -> None:
    """Queue an op for a record as it stands locally, through the change log (so the outbox
    trigger stamps it, bases it on the known revision and names the operator)."""
    ws.db.execute(
        "INSERT INTO change_log (entity, entity_id, op, at, actor, patch) VALUES (?, ?, ?, ?, ?, ?)",
        [entity, entity_id, op, time.time(), actor,
         None if patch is None else json.dumps(patch, ensure_ascii=False, default=str)],
    )


def _set_rev(ws: Workspace, entity: str, entity_id: str, rev: int) -> None:
    ws.db.execute(
        "INSERT INTO sync_records (entity, entity_id, rev) VALUES (?, ?, ?) "
        "ON CONFLICT (entity, entity_id) DO UPDATE SET rev = max(rev, excluded.rev)",
        [entity, entity_id, rev],
    )


def resolve_conflict(ws: Workspace, conflict_id: int, keep: str, actor: str = "dispatcher") -> None:
    """A person picked a side, for the whole entry (a held state change with its bound rows).

    ``keep="server"`` takes the central's values locally (a held state change is dropped with
    its state-log row and incident; a stale local delete is undone; a record the central deleted
    is deleted here). ``keep="local"`` sends ours again, based on the revision that carried
    theirs, so it applies (unless someone changed it yet again, which is a new conflict)."""
    if keep not in ("server", "local"):
        raise ValueError(f"keep must be 'server' or 'local', not {keep!r}")
    row = ws.db.execute(
        f"SELECT {_CONFLICT_COLUMNS} FROM sync_conflicts WHERE id = ? AND resolved_at IS NULL",
        [conflict_id],
    ).fetchone()
    if row is None:
        raise KeyError(f"冲突 {conflict_id} 不存在或已处理")
    c = _conflict(row)
    server = c.server or {}
    current = _row(ws, c.entity, c.entity_id)
    now = time.time()
    if keep == "server":
        with ws.write(actor=SYNC_ACTOR, origin=SYNC_ORIGIN) as tx:
            if c.kind == "deleted":
                if current is not None:
                    tx.delete(c.entity, c.entity_id)
            elif c.kind == "delete":
                if current is None and server:
                    cols = _columns(ws, c.entity)
                    tx.insert(c.entity, {k: v for k, v in server.items() if k in cols})
                _set_rev(ws, c.entity, c.entity_id, c.server_rev)
            else:
                values = {k: server.get(k) for k in c.local}
                if current is not None and values:
                    tx.update(c.entity, c.entity_id, values)
                for h in c.held:
                    if h["op"] == "insert" and _row(ws, h["entity"], h["entity_id"]) is not None:
                        tx.delete(h["entity"], h["entity_id"])
            _mark_resolved(ws, c.id, "server", now)
        return
    with ws.write(actor=actor) as tx:
        # We have now seen the server's revision: our re-sent values are based on it.
        _set_rev(ws, c.entity, c.entity_id, c.server_rev)
        if c.kind == "delete":
            _log_again(ws, c.entity, c.entity_id, "delete", None, actor=actor)
        elif c.kind == "deleted":
            if current is not None:
                _log_again(ws, c.entity, c.entity_id, "insert", current, actor=actor)
        elif current is not None:
            tx.update(c.entity, c.entity_id, c.local)
        for h in c.held:
            # The bound rows go again after the state change, so they bind to it again.
            held_row = _row(ws, h["entity"], h["entity_id"])
            if h["op"] == "insert" and held_row is not None:
                _log_again(ws, h["entity"], h["entity_id"], "insert", held_row, actor=actor)
        _mark_resolved(ws, c.id, "local", now)


def restore_overwritten(ws: Workspace, conflict_id: int, actor: str = "dispatcher") -> None:
    """Write back the value a descriptive merge overwrote (a ``merged`` history entry), as a new
    edit by ``actor`` that syncs like any other."""
    row = ws.db.execute(
        "SELECT entity, entity_id, fields, kind FROM sync_conflicts WHERE id = ?", [conflict_id]
    ).fetchone()
    if row is None or row[3] != "merged":
        raise KeyError(f"冲突记录 {conflict_id} 不存在或不是被覆盖的修改")
    entity, entity_id, fields_text, _kind = row
    with ws.write(actor=actor) as tx:
        tx.update(entity, entity_id, json.loads(fields_text))
        ws.db.execute("UPDATE sync_conflicts SET resolution = 'restored' WHERE id = ?",
                      [conflict_id])


def _mark_resolved(ws: Workspace, conflict_id: int, resolution: str, now: float) -> None:
    ws.db.execute(
        "UPDATE sync_conflicts SET resolved_at = ?, resolution = ? WHERE id = ?",
        [now, resolution, conflict_id],
    )


def discard_rejected(ws: Workspace, op_id: str) -> None:
    """Forget a rejected op (a person read the reason and accepted it)."""
    with ws.db.atomic():
        ws.db.execute("DELETE FROM sync_rejected WHERE op_id = ?", [op_id])


def enqueue_snapshot(ws: Workspace, *, known_revs: bool = False, actor: str | None = None) -> int:
    """Queue every local record of every synced entity as an insert, ahead of the ops already
    queued: used when a person chooses to upload the workspace to a central (base revision 0),
    and to re-send what a central restored from an older backup lost (``known_revs``: based on
    the revision this desk last knew, which is at least the one the central went back to, so
    this desk's newer values apply instead of conflicting)."""
    node = node_id(ws)
    now = time.time()
    with ws.db.atomic():
        low = ws.db.execute("SELECT min(seq) FROM sync_outbox").fetchone()[0]
        revs: dict[tuple[str, str], int] = {}
        if known_revs:
            revs = {(str(e), str(i)): int(r) for e, i, r in ws.db.execute(
                "SELECT entity, entity_id, rev FROM sync_records")}
        # Snapshot ops get sequence numbers below every queued op, so inserts go first.
        rows: list[tuple[Any, ...]] = []
        for entity, rule in SYNC_RULES.items():
            cur = ws.db.execute(f'SELECT * FROM "{entity}"')
            names = [d[0] for d in cur.description]
            for rec in cur:
                data = {k: v for k, v in zip(names, rec, strict=True) if k not in rule.local_only}
                rid = str(data["id"])
                rows.append((entity, rid, json.dumps(data, ensure_ascii=False),
                             revs.get((entity, rid), 0)))
        start = min(0, int(low or 0)) - len(rows) - 1
        ws.db.conn.executemany(
            "INSERT INTO sync_outbox (op_id, seq, entity, entity_id, op, patch, base_rev, hlc,"
            " created_at, actor, unit) VALUES (lower(hex(randomblob(16))), ?, ?, ?, 'insert', ?,"
            " ?, ?, ?, ?, '')",
            [(start + i, e, rid, patch, base, f"{int(now * 1000):013d}.{0:010d}.{node}", now,
              actor) for i, (e, rid, patch, base) in enumerate(rows)],
        )
    return len(rows)
