"""desk-central's SQLite schema as recorded ``sqlite_utils`` migrations (set ``desk.central``).

The first migration is the schema every central file had before migrations were recorded (each
statement ``IF NOT EXISTS``), so an existing file is adopted as it is; later ones are ordinary
steps. A file that records a ``desk.central`` migration this build does not know was written by a
newer desk-central and is refused. ``desk-central db upgrade --db FILE`` applies them.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

import sqlite_utils
from sqlite_utils import Migrations

if TYPE_CHECKING:
    from desk.central.pg.store import Retention

central = Migrations("desk.central")

DAY_S = 86_400


class SqliteSchemaTooNew(RuntimeError):
    """The file records central migrations this build does not know."""


@central()
def m001_base(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
        CREATE TABLE IF NOT EXISTS records (
            ns TEXT NOT NULL, entity TEXT NOT NULL, id TEXT NOT NULL,
            rev INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0,
            data TEXT, meta TEXT NOT NULL, updated_at REAL NOT NULL,
            PRIMARY KEY (ns, entity, id)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS idx_records_live ON records (ns, entity, deleted);
        CREATE TABLE IF NOT EXISTS changes (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, ns TEXT NOT NULL,
            entity TEXT NOT NULL, entity_id TEXT NOT NULL, op TEXT NOT NULL,
            rev INTEGER NOT NULL, data TEXT, hlc TEXT, at REAL NOT NULL,
            actor TEXT NOT NULL, workstation TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS idx_changes_ns ON changes (ns, seq);
        CREATE TABLE IF NOT EXISTS applied_ops (
            op_id TEXT PRIMARY KEY, result TEXT NOT NULL, at REAL NOT NULL);
        CREATE TABLE IF NOT EXISTS users (
            id INTEGER PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL,
            station_id TEXT, workstation TEXT NOT NULL,
            token_hash TEXT NOT NULL UNIQUE, created_at REAL NOT NULL);
        CREATE TABLE IF NOT EXISTS audit (
            id INTEGER PRIMARY KEY AUTOINCREMENT, at REAL NOT NULL, user TEXT NOT NULL,
            role TEXT NOT NULL, workstation TEXT NOT NULL, action TEXT NOT NULL,
            target TEXT NOT NULL, outcome TEXT NOT NULL, detail TEXT);
        CREATE TABLE IF NOT EXISTS positions (
            id INTEGER PRIMARY KEY, unit_id TEXT NOT NULL, device_id TEXT,
            lat REAL NOT NULL, lon REAL NOT NULL, at REAL NOT NULL, heading REAL,
            speed_kmh REAL, accuracy_m REAL, received_at REAL NOT NULL);
        CREATE INDEX IF NOT EXISTS idx_positions_at ON positions (at);
        CREATE TABLE IF NOT EXISTS last_fix (
            unit_id TEXT PRIMARY KEY, lat REAL, lon REAL, at REAL, heading REAL,
            speed_kmh REAL);
        CREATE TABLE IF NOT EXISTS readings (
            id INTEGER PRIMARY KEY, point_id TEXT NOT NULL, at REAL NOT NULL,
            depth_cm REAL, rain_mm REAL, received_at REAL NOT NULL);
        CREATE TABLE IF NOT EXISTS telemetry_rejects (
            reason TEXT PRIMARY KEY, count INTEGER NOT NULL);
        """
    )


@central()
def m002_token_binding(db: sqlite_utils.Database) -> None:
    # A device token's unit, expiry and revocation (files that already have them are left).
    have = {c.name for c in db["users"].columns}
    for column, kind in (("unit_id", "TEXT"), ("expires_at", "REAL"), ("revoked_at", "REAL")):
        if column not in have:
            db.execute(f"ALTER TABLE users ADD COLUMN {column} {kind}")


@central()
def m003_applied_ops_age(db: sqlite_utils.Database) -> None:
    # Pruning op results by age (desk-central db prune) reads them by time.
    db.execute("CREATE INDEX IF NOT EXISTS idx_applied_ops_at ON applied_ops (at)")


def _known() -> list[str]:
    return [m.name for m in central._migrations]


def _recorded(conn: sqlite3.Connection) -> list[str]:
    has = conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?",
                       [Migrations.migrations_table]).fetchone()
    if not has:
        return []
    return [r[0] for r in conn.execute(
        f"SELECT name FROM {Migrations.migrations_table} WHERE migration_set = ?",
        [central.name])]


def apply_central_migrations(conn: sqlite3.Connection) -> None:
    """Refuse a newer file, then apply what is pending (on the store's own connection)."""
    unknown = sorted(set(_recorded(conn)) - set(_known()))
    if unknown:
        raise SqliteSchemaTooNew(
            f"中心数据库由更新版本的 desk-central 写入（未知迁移：{', '.join(unknown)}），请升级 desk-central")
    central.apply(sqlite_utils.Database(conn))


def sqlite_versions(path: str | Path) -> tuple[int, int]:
    """(migrations recorded in the file, migrations this build knows)."""
    conn = sqlite3.connect(str(path))
    try:
        return len(_recorded(conn)), len(_known())
    finally:
        conn.close()


def upgrade_sqlite(path: str | Path) -> tuple[int, int]:
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        before = len(_recorded(conn))
        apply_central_migrations(conn)
        return before, len(_recorded(conn))
    finally:
        conn.close()


def prune_sqlite(path: str | Path, now: float, keep: Retention) -> dict[str, int]:
    """Delete positions, readings and op results older than their retention (SQLite has no
    partitions: rows go by time, through the time index)."""
    out = {"positions": 0, "readings": 0, "op_results": 0}
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=30.0)
    try:
        conn.execute("BEGIN IMMEDIATE")
        if keep.telemetry_days is not None:
            cutoff = now - keep.telemetry_days * DAY_S
            out["positions"] = conn.execute("DELETE FROM positions WHERE at < ?", [cutoff]).rowcount
            out["readings"] = conn.execute("DELETE FROM readings WHERE at < ?", [cutoff]).rowcount
        if keep.op_results_days is not None:
            out["op_results"] = conn.execute(
                "DELETE FROM applied_ops WHERE at < ?",
                [now - keep.op_results_days * DAY_S]).rowcount
        conn.execute("COMMIT")
    finally:
        conn.close()
    return out
