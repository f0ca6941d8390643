"""The one write path: every insert, update and delete records a change-log row in the same transaction.

Features never call ``db[table].insert`` directly for entity data; they open ``workspace.write(actor)``
and use the ``WriteTx`` methods, so the change log (and the sync outbox hooked onto it) can never
disagree with the data. High-rate telemetry (unit fixes, sensor readings) is append-only and goes
through ``desk.store.telemetry`` instead: it never conflicts and must not flood the change log.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from desk.store.events import ChangeSet


@dataclass(frozen=True, slots=True)
class ChangeRow:
    """One row of ``change_log``. ``patch`` is the full record for inserts, the changed fields for
    updates, and ``None`` for deletes (a tombstone)."""

    seq: int
    entity: str
    entity_id: str
    op: str  # "insert" | "update" | "delete"
    at: float
    actor: str
    patch: dict[str, Any] | None


WriteHook = Callable[["WriteTx", ChangeRow], None]


class WriteTx:
    """A write transaction on a workspace. Obtain one from ``Workspace.write(actor)``."""

    def __init__(self, db: sqlite_utils.Database, actor: str, hooks: Iterable[WriteHook]) -> None:
        self.db = db
        self.actor = actor
        self._hooks = tuple(hooks)
        self._touched: dict[str, set[str]] = {}
        self.origin: object | None = None

    # -- entity writes -------------------------------------------------------------------------

    def insert(self, entity: str, record: Mapping[str, Any], *, pk: str = "id") -> str:
        """Insert one record; returns its id. Raises ``sqlite3.IntegrityError`` on a duplicate id."""
        row = dict(record)
        # Raw SQL rather than sqlite-utils' insert(), which introspects the table on every call
        # (measured: most of the 15–40 ms it took to store one accident report with photos).
        columns = ", ".join(f'"{c}"' for c in row)
        self.db.conn.execute(
            f'INSERT INTO "{entity}" ({columns}) VALUES ({", ".join("?" for _ in row)})',
            [_sql_value(v) for v in row.values()],
        )
        entity_id = str(row[pk])
        self._log(entity, entity_id, "insert", row)
        return entity_id

    def insert_many(self, entity: str, records: Iterable[Mapping[str, Any]], *, pk: str = "id") -> int:
        """Insert many records with one ``executemany`` (much faster than sqlite-utils' batches),
        logging one change row per record. All records must share the same keys."""
        rows = [dict(r) for r in records]
        if not rows:
            return 0
        columns = list(rows[0])
        placeholders = ", ".join("?" for _ in columns)
        quoted = ", ".join(f'"{c}"' for c in columns)
        self.db.conn.executemany(
            f'INSERT INTO "{entity}" ({quoted}) VALUES ({placeholders})',
            [tuple(_sql_value(r[c]) for c in columns) for r in rows],
        )
        self._log_many(entity, [(str(row[pk]), row) for row in rows])
        return len(rows)

    def update(self, entity: str, entity_id: str, patch: Mapping[str, Any], *, pk: str = "id") -> None:
        """Change some fields of one record. Raises ``KeyError`` when the record does not exist."""
        changes = dict(patch)
        if not changes:
            return
        assignments = ", ".join(f'"{c}" = ?' for c in changes)
        cur = self.db.conn.execute(
            f'UPDATE "{entity}" SET {assignments} WHERE "{pk}" = ?',
            [*(_sql_value(v) for v in changes.values()), entity_id],
        )
        if cur.rowcount == 0:
            raise KeyError(f"{entity} {entity_id} 不存在")
        self._log(entity, entity_id, "update", changes)

    def delete(self, entity: str, entity_id: str, *, pk: str = "id") -> None:
        """Delete one record; the change log keeps a tombstone so sync can carry the delete."""
        cur = self.db.conn.execute(f'DELETE FROM "{entity}" WHERE "{pk}" = ?', [entity_id])
        if cur.rowcount == 0:
            raise KeyError(f"{entity} {entity_id} 不存在")
        self._log(entity, entity_id, "delete", None)

    def touch(self, entity: str, entity_id: str) -> None:
        """Announce a change to a row written outside the change log (e.g. an append-only table)."""
        self._touched.setdefault(entity, set()).add(entity_id)

    # -- internals -----------------------------------------------------------------------------

    def _log(self, entity: str, entity_id: str, op: str, patch: dict[str, Any] | None) -> None:
        at = time.time()
        payload = None if patch is None else json.dumps(patch, ensure_ascii=False, default=str)
        cur = self.db.conn.execute(
            "INSERT INTO change_log (entity, entity_id, op, at, actor, patch) VALUES (?, ?, ?, ?, ?, ?)",
            [entity, entity_id, op, at, self.actor, payload],
        )
        change = ChangeRow(int(cur.lastrowid or 0), entity, entity_id, op, at, self.actor, patch)
        self._touched.setdefault(entity, set()).add(entity_id)
        for hook in self._hooks:
            hook(self, change)

    def _log_many(self, entity: str, items: list[tuple[str, dict[str, Any]]]) -> None:
        """Log many inserts with one executemany. We hold SQLite's write lock for the whole
        transaction, so the AUTOINCREMENT values of the batch are consecutive after the current
        sequence; hooks get the same ChangeRows as one-by-one logging would give them."""
        at = time.time()
        row = self.db.conn.execute(
            "SELECT seq FROM sqlite_sequence WHERE name = 'change_log'"
        ).fetchone()
        first = (int(row[0]) if row else 0) + 1
        self.db.conn.executemany(
            "INSERT INTO change_log (seq, entity, entity_id, op, at, actor, patch) "
            "VALUES (?, ?, ?, 'insert', ?, ?, ?)",
            [(first + i, entity, eid, at, self.actor, json.dumps(patch, ensure_ascii=False, default=str))
             for i, (eid, patch) in enumerate(items)],
        )
        touched = self._touched.setdefault(entity, set())
        for i, (eid, patch) in enumerate(items):
            touched.add(eid)
            if self._hooks:
                change = ChangeRow(first + i, entity, eid, "insert", at, self.actor, patch)
                for hook in self._hooks:
                    hook(self, change)

    def changeset(self) -> ChangeSet:
        return ChangeSet(
            {e: frozenset(ids) for e, ids in self._touched.items()}, self.actor, self.origin
        )


def _sql_value(value: Any) -> Any:
    """Store lists and dicts as JSON text, as sqlite-utils does."""
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, ensure_ascii=False)
    return value
