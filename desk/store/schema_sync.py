"""Tables of offline-first sync: the outbox, the pull cursor and state, per-record server
revisions, the conflict list and rejected ops.

The outbox is filled by a trigger on ``change_log``, so it is written in the same transaction as the
change itself, by every connection that writes the workspace (a worker thread's own ``Workspace``
included) — not only by the objects that remembered to install a Python hook. The trigger is inert
until sync is enabled (``desk.sync.install_outbox``) and ignores changes applied by the sync itself
(actor ``sync:central``), so pulled changes are never pushed back.
"""

from __future__ import annotations

import sqlite_utils
from sqlite_utils import Migrations

sync = Migrations("desk.sync")

#: Actor of the writes the sync applies from the central; the outbox trigger skips them.
SYNC_ACTOR = "sync:central"


@sync()
def m001_sync_tables(db: sqlite_utils.Database) -> None:
    db.execute("CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT)")
    # A random node id names this workspace's writes in HLC stamps ("same writer" on the central).
    db.execute("INSERT INTO sync_state (key, value) VALUES ('node', lower(hex(randomblob(6))))")
    db.execute(
        """CREATE TABLE sync_outbox (
            op_id TEXT PRIMARY KEY,
            seq INTEGER NOT NULL UNIQUE,
            entity TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            op TEXT NOT NULL,
            patch TEXT,
            base_rev INTEGER NOT NULL DEFAULT 0,
            hlc TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_try_at REAL NOT NULL DEFAULT 0,
            last_error TEXT,
            created_at REAL NOT NULL
        )"""
    )
    db.execute("CREATE INDEX idx_sync_outbox_record ON sync_outbox (entity, entity_id)")
    db.execute(
        """CREATE TABLE sync_records (
            entity TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            rev INTEGER NOT NULL,
            PRIMARY KEY (entity, entity_id)
        ) WITHOUT ROWID"""
    )
    db.execute(
        """CREATE TABLE sync_rejected (
            op_id TEXT PRIMARY KEY,
            seq INTEGER NOT NULL,
            entity TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            op TEXT NOT NULL,
            patch TEXT,
            base_rev INTEGER NOT NULL,
            hlc TEXT NOT NULL,
            code INTEGER NOT NULL,
            reason TEXT NOT NULL,
            rejected_at REAL NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE sync_conflicts (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            op_id TEXT NOT NULL,
            entity TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            fields TEXT NOT NULL,
            server TEXT,
            server_rev INTEGER NOT NULL,
            created_at REAL NOT NULL,
            resolved_at REAL,
            resolution TEXT
        )"""
    )
    db.execute("CREATE INDEX idx_sync_conflicts_open ON sync_conflicts (resolved_at)")
    db.execute(
        f"""CREATE TRIGGER sync_outbox_capture AFTER INSERT ON change_log
        WHEN NEW.actor <> '{SYNC_ACTOR}'
         AND EXISTS (SELECT 1 FROM sync_state WHERE key = 'enabled' AND value = '1')
        BEGIN
            INSERT INTO sync_outbox
                (op_id, seq, entity, entity_id, op, patch, base_rev, hlc, created_at)
            VALUES (
                lower(hex(randomblob(16))), NEW.seq, NEW.entity, NEW.entity_id, NEW.op, NEW.patch,
                coalesce((SELECT rev FROM sync_records
                          WHERE entity = NEW.entity AND entity_id = NEW.entity_id), 0),
                printf('%013d.%010d.%s',
                       max(CAST(NEW.at * 1000 AS INTEGER),
                           coalesce((SELECT CAST(value AS INTEGER) FROM sync_state
                                     WHERE key = 'hlc_floor'), 0)),
                       NEW.seq,
                       (SELECT value FROM sync_state WHERE key = 'node')),
                NEW.at);
        END"""
    )


@sync()
def m002_actor_units_and_history(db: sqlite_utils.Database) -> None:
    # Every op names the operator who made it (the change-log actor), for the central's audit.
    db.execute("ALTER TABLE sync_outbox ADD COLUMN actor TEXT")
    # The op_id of the state change this op was written with ('' when none): a bound row (the
    # state-log row of a transition, the incident it creates) is applied or held with it.
    db.execute("ALTER TABLE sync_outbox ADD COLUMN unit TEXT")
    # kind: update (operational fields), delete (a stale delete), deleted (an edit of a record
    # deleted elsewhere), unit (a state change held whole), merged (history: a descriptive value
    # overwritten by last-writer-wins, resolved at once but kept so a person can restore it).
    db.execute("ALTER TABLE sync_conflicts ADD COLUMN kind TEXT NOT NULL DEFAULT 'update'")
    # Bound rows held with a conflicting state change: JSON list of {entity, entity_id, op, patch}.
    db.execute("ALTER TABLE sync_conflicts ADD COLUMN held TEXT")
    db.execute("DROP TRIGGER sync_outbox_capture")
    db.execute(
        f"""CREATE TRIGGER sync_outbox_capture AFTER INSERT ON change_log
        WHEN NEW.actor <> '{SYNC_ACTOR}'
         AND EXISTS (SELECT 1 FROM sync_state WHERE key = 'enabled' AND value = '1')
        BEGIN
            INSERT INTO sync_outbox
                (op_id, seq, entity, entity_id, op, patch, base_rev, hlc, created_at, actor)
            VALUES (
                lower(hex(randomblob(16))), NEW.seq, NEW.entity, NEW.entity_id, NEW.op, NEW.patch,
                coalesce((SELECT rev FROM sync_records
                          WHERE entity = NEW.entity AND entity_id = NEW.entity_id), 0),
                printf('%013d.%010d.%s',
                       max(CAST(NEW.at * 1000 AS INTEGER),
                           coalesce((SELECT CAST(value AS INTEGER) FROM sync_state
                                     WHERE key = 'hlc_floor'), 0)),
                       NEW.seq,
                       (SELECT value FROM sync_state WHERE key = 'node')),
                NEW.at, NEW.actor);
        END"""
    )
