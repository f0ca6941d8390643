"""Numbered SQL migrations for desk-central on PostgreSQL, recorded in ``schema_version``.

Each ``schema/NNN_name.sql`` runs once, in its own transaction together with its
``schema_version`` row, under an advisory lock so two nodes starting together cannot both apply it.
A database whose recorded version is newer than the files this desk-central knows is refused: an
older node must not write to a schema it does not understand.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass
from importlib import resources
from typing import Any

import psycopg

log = logging.getLogger(__name__)

#: Advisory lock key held while migrating ("desk" in ASCII).
MIGRATION_LOCK = 0x6465736B
_NAME = re.compile(r"^(\d{3})_([a-z0-9_]+)\.sql$")


class SchemaError(RuntimeError):
    """The database's schema cannot be used by this desk-central (with a Chinese explanation)."""


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


def migrations() -> list[Migration]:
    """The packaged migrations, in order; numbers must run 1, 2, 3, … without gaps."""
    found: list[Migration] = []
    for entry in resources.files("desk.central.pg").joinpath("schema").iterdir():
        m = _NAME.match(entry.name)
        if m:
            found.append(Migration(int(m.group(1)), m.group(2), entry.read_text(encoding="utf-8")))
    found.sort(key=lambda x: x.version)
    if [m.version for m in found] != list(range(1, len(found) + 1)):
        raise SchemaError(f"迁移文件编号不连续：{[m.version for m in found]}")
    return found


def latest_version() -> int:
    return len(migrations())


def current_version(conn: psycopg.Connection[Any]) -> int:
    """The recorded schema version (0 for an empty database)."""
    row = conn.execute("SELECT to_regclass('schema_version') IS NOT NULL").fetchone()
    if not row or not row[0]:
        return 0
    got = conn.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()
    return int(got[0]) if got else 0


def check_version(conn: psycopg.Connection[Any]) -> int:
    """The schema version, or ``SchemaError`` when it is not the one this code knows."""
    have, know = current_version(conn), latest_version()
    if have > know:
        raise SchemaError(f"数据库结构版本 {have} 比本程序支持的 {know} 更新：请升级 desk-central")
    if have < know:
        raise SchemaError(f"数据库结构版本 {have} 落后于 {know}：请先运行 desk-central db upgrade --db URL")
    return have


def upgrade(url: str) -> tuple[int, int]:
    """Apply the pending migrations; returns (version before, version after)."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", [MIGRATION_LOCK])
        try:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY, "
                "name text NOT NULL, applied_at double precision NOT NULL)")
            before = current_version(conn)
            known = migrations()
            if before > len(known):
                raise SchemaError(
                    f"数据库结构版本 {before} 比本程序支持的 {len(known)} 更新：拒绝降级")
            for mig in known[before:]:
                with conn.transaction():
                    conn.execute(mig.sql.encode())
                    conn.execute("INSERT INTO schema_version VALUES (%s, %s, %s)",
                                 [mig.version, mig.name, time.time()])
                log.info("central schema: applied %03d_%s", mig.version, mig.name)
            return before, current_version(conn)
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", [MIGRATION_LOCK])
