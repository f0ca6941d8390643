"""desk-central's store on PostgreSQL 15 + PostGIS: the ``CentralStore`` contract for many nodes.

The semantics are the SQLite store's (desk/central/storage.py), checked by one contract suite run
on both (tests/central_scale/test_store_contract.py): ops are idempotent by ``op_id``, every batch
is one transaction writing records, change rows, op results and audit rows together, a stale base
merges descriptive fields by HLC and answers 409 for operational ones.

What differs because several nodes share the database:
- The change feed's ``seq`` is an identity; the writers of a namespace hold a transaction-level
  advisory lock, so seqs are committed in order and a reader's cursor never passes a row that
  commits later (on SQLite the single writer gives this for free).
- The telemetry screen's cache of known units and water points is refreshed when the change feed
  of those entities moves, so a unit created through node A is known at once to node B.
- Positions and readings go to daily partitions (created as fixes arrive, dropped by
  :meth:`PostgresCentralStore.prune`), written with COPY.
"""

from __future__ import annotations

import json
import logging
import math
import secrets
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

from desk.central.pg.migrate import check_version, current_version, upgrade
from desk.central.storage import (
    CHANGES_PAGE_BYTES,
    IDENT,
    ROLES,
    Authorizer,
    CentralStore,
    IngestResult,
    OpIn,
    OpResult,
    Principal,
    SqliteCentralStore,
    op_key,
    token_hash,
)
from desk.central.stores import StoreUnavailable
from desk.domain.telemetry import SensorReading, UnitFix, screen_telemetry
from desk.sync.rules import SYNC_RULES

log = logging.getLogger(__name__)

DAY_S = 86_400
#: Advisory lock namespace for a change feed's writers (one key per namespace, see ``_lock_ns``).
_CHANGES_LOCK = 0x64636867
_PARTITION_LOCK = 0x64707274


@dataclass(frozen=True, slots=True)
class Retention:
    """How long telemetry and op results are kept (days; ``None`` keeps them forever)."""

    telemetry_days: float | None = 90.0
    op_results_days: float | None = 30.0


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def day_of(at: float) -> int:
    """The UTC day number (days since 1970-01-01) a time falls in: its partition."""
    return math.floor(at / DAY_S)


class PostgresCentralStore(CentralStore):
    """desk-central's store on PostgreSQL (one pool of connections per process)."""

    def __init__(self, url: str, *, pool_size: int = 8, create: bool = True,
                 retention: Retention | None = None, connect_timeout: float = 10.0) -> None:
        self.url = url
        self.retention = retention or Retention()
        try:
            with psycopg.connect(url, autocommit=True, connect_timeout=int(connect_timeout)) as conn:
                empty = current_version(conn) == 0
                if empty and create:
                    upgrade(url)
                check_version(conn)
        except psycopg.OperationalError as exc:
            raise StoreUnavailable(f"无法连接数据库：{_safe(exc)}") from exc
        self._pool: ConnectionPool[psycopg.Connection[Any]] = ConnectionPool(
            url, min_size=1, max_size=pool_size, open=True, timeout=connect_timeout,
            kwargs={"autocommit": False}, name="desk-central", configure=_configure)
        with self._tx() as conn:
            conn.execute("INSERT INTO meta VALUES ('epoch', %s) ON CONFLICT (key) DO NOTHING",
                         [uuid.uuid4().hex])
        self._known_lock = threading.Lock()
        self._known_mark: tuple[int, int] = (-1, -1)
        self._known_units: set[str] = set()
        self._devices: dict[str, str] = {}
        self._known_points: set[str] = set()
        self._partitions: set[tuple[str, int]] = set()

    @contextmanager
    def _tx(self) -> Iterator[psycopg.Connection[Any]]:
        """A pooled connection inside one transaction (committed on success)."""
        try:
            with self._pool.connection() as conn, conn.transaction():
                yield conn
        except psycopg.OperationalError as exc:
            raise StoreUnavailable(f"数据库不可用：{_safe(exc)}") from exc

    def close(self) -> None:
        self._pool.close()

    # -- epoch ---------------------------------------------------------------------------------

    def epoch(self) -> str:
        with self._tx() as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = 'epoch'").fetchone()
        return str(row[0]) if row else ""

    def rotate_epoch(self) -> str:
        new = uuid.uuid4().hex
        with self._tx() as conn:
            conn.execute("UPDATE meta SET value = %s WHERE key = 'epoch'", [new])
        log.warning("central epoch rotated to %s", new)
        return new

    # -- ops -----------------------------------------------------------------------------------

    @staticmethod
    def _lock_ns(conn: psycopg.Connection[Any], ns: str) -> None:
        conn.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", [_CHANGES_LOCK, ns])

    def apply_ops(
        self, ns: str, origin: str, ops: Sequence[OpIn], who: Principal, authorize: Authorizer
    ) -> list[OpResult]:
        now = time.time()
        results: list[OpResult] = []
        with self._tx() as conn:
            self._lock_ns(conn, ns)
            tx = _OpsTx(conn)
            for op in ops:
                key = op_key(ns, op.op_id)
                row = conn.execute("SELECT result FROM applied_ops WHERE op_id = %s",
                                   [key]).fetchone()
                if row is not None:
                    results.append(OpResult.from_json(json.loads(row[0])))
                    continue
                if _has_nul(op):
                    # PostgreSQL text cannot hold NUL: refused here rather than failing the batch.
                    result = OpResult(op.op_id, "rejected", 422, reason="bad_value_type")
                else:
                    result = tx.apply_one(ns, origin, op, who, authorize, now)
                conn.execute("INSERT INTO applied_ops VALUES (%s, %s, %s)",
                             [key, _dumps(result.to_json()), now])
                self._audit_in(
                    conn, who, f"op.{op.op}", f"{ns}/{op.entity}/{op.entity_id}",
                    "denied" if result.code == 403 else result.status,
                    {"op_id": op.op_id, "operator": op.actor, "patch": op.patch,
                     "reason": result.reason, "overwritten": result.overwritten}, now)
                results.append(result)
        return results

    def changes(
        self, ns: str, since: int, limit: int, max_bytes: int = CHANGES_PAGE_BYTES,
    ) -> tuple[list[str], int, int]:
        rows: list[tuple[Any, ...]] = []
        with self._tx() as conn:
            size = 0
            for r in conn.execute(
                "SELECT seq, entity, entity_id, op, rev, data, hlc, at FROM changes "
                "WHERE ns = %s AND seq > %s ORDER BY seq LIMIT %s", [ns, since, limit]):
                size += len(r[5] or "") + 160  # as the SQLite store counts a page
                if rows and size > max_bytes:
                    break
                rows.append(r)
            head_row = conn.execute("SELECT max(seq) FROM changes WHERE ns = %s", [ns]).fetchone()
        head = int(head_row[0] or 0) if head_row else 0
        out = [
            f'{{"seq":{seq},"entity":{json.dumps(entity)},"entity_id":{json.dumps(eid)},'
            f'"op":"{op}","rev":{rev},"hlc":{json.dumps(hlc)},"at":{at!r},'
            f'"data":{data if data is not None else "null"}}}'
            for seq, entity, eid, op, rev, data, hlc, at in rows
        ]
        last = int(rows[-1][0]) if rows else since
        return out, last, head

    def counts(self, ns: str) -> dict[str, int]:
        with self._tx() as conn:
            rows = conn.execute(
                "SELECT entity, count(*) FROM records WHERE ns = %s AND deleted = 0 GROUP BY entity",
                [ns]).fetchall()
        return {str(e): int(n) for e, n in rows}

    def records(self, ns: str, entity: str, ids: Iterable[str]) -> dict[str, tuple[dict[str, Any], int]]:
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return {}
        with self._tx() as conn:
            rows = conn.execute(
                "SELECT id, data, rev FROM records WHERE ns = %s AND entity = %s AND deleted = 0 "
                "AND id = ANY(%s)", [ns, entity, wanted]).fetchall()
        return {str(rid): (json.loads(data), int(rev)) for rid, data, rev in rows}

    def find_records(
        self, ns: str, entity: str, field: str, values: Sequence[str], limit: int, *,
        also: dict[str, str] | None = None,
    ) -> list[tuple[dict[str, Any], int]]:
        also = also or {}
        if not values or not all(IDENT.match(f) for f in (field, *also)):
            return []
        # As json_extract on SQLite: a JSON string compares as its text, a number as its JSON text.
        extra = "".join(" AND (data::json ->> %s) = %s" for _ in also)
        params: list[Any] = [ns, entity, field, [str(v) for v in values]]
        for f, v in also.items():
            params += [f, str(v)]
        with self._tx() as conn:
            rows = conn.execute(
                "SELECT data, rev FROM records WHERE ns = %s AND entity = %s AND deleted = 0 AND "
                f"(data::json ->> %s) = ANY(%s){extra} ORDER BY updated_at LIMIT %s",
                [*params, limit]).fetchall()
        return [(json.loads(d), int(r)) for d, r in rows]

    def bulk_load(self, ns: str, entity: str, records: Iterable[dict[str, Any]]) -> int:
        rule = SYNC_RULES[entity]
        now = time.time()
        hlc = f"{int(now * 1000):013d}.{0:010d}.central"
        n = 0
        with self._tx() as conn:
            self._lock_ns(conn, ns)
            with conn.cursor().copy(
                "COPY records (ns, entity, id, rev, deleted, data, meta, updated_at) FROM STDIN"
            ) as rec_copy:
                pending: list[tuple[str, str]] = []
                for rec in records:
                    data = {k: v for k, v in rec.items() if k not in rule.local_only}
                    rid = str(data[rule.pk])
                    text = _dumps(data)
                    rec_copy.write_row((ns, entity, rid, 1, 0, text,
                                        _dumps({k: [1, hlc, "central"] for k in data}), now))
                    pending.append((rid, text))
                    n += 1
            with conn.cursor().copy(
                "COPY changes (ns, entity, entity_id, op, rev, data, hlc, at, actor, workstation)"
                " FROM STDIN"
            ) as ch_copy:
                for rid, text in pending:
                    ch_copy.write_row((ns, entity, rid, "insert", 1, text, hlc, now, "bulk",
                                       "central"))
        return n

    # -- users and audit -----------------------------------------------------------------------

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
        with self._tx() as conn:
            conn.execute(
                "INSERT INTO users (name, role, station_id, workstation, token_hash, created_at,"
                " unit_id, expires_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                [name, role, station_id, workstation, token_hash(token), time.time(), unit_id,
                 expires_at])
        return token

    def check_token(self, token: str, now: float) -> tuple[Principal | None, str | None]:
        with self._tx() as conn:
            row = conn.execute(
                "SELECT id, name, role, station_id, workstation, unit_id, expires_at, revoked_at"
                " FROM users WHERE token_hash = %s", [token_hash(token)]).fetchone()
        if row is None:
            return None, "bad_token"
        if row[7] is not None:
            return None, "revoked_token"
        if row[6] is not None and float(row[6]) <= now:
            return None, "expired_token"
        return Principal(int(row[0]), row[1], row[2], row[3], row[4], row[5], row[6]), None

    def principal_for_token(self, token: str) -> Principal | None:
        return self.check_token(token, time.time())[0]

    def revoke_user(self, name: str, now: float) -> int:
        with self._tx() as conn:
            cur = conn.execute(
                "UPDATE users SET revoked_at = %s WHERE name = %s AND revoked_at IS NULL",
                [now, name])
            return int(cur.rowcount)

    def rotate_token(self, name: str, now: float, expires_at: float | None) -> str | None:
        token = secrets.token_urlsafe(32)
        with self._tx() as conn:
            ids = [r[0] for r in conn.execute(
                "SELECT id FROM users WHERE name = %s AND revoked_at IS NULL FOR UPDATE",
                [name]).fetchall()]
            if not ids:
                return None
            if len(ids) > 1:
                raise ValueError(f"{len(ids)} live users are named {name!r}")
            conn.execute("UPDATE users SET token_hash = %s, expires_at = %s WHERE id = %s",
                         [token_hash(token), expires_at, ids[0]])
        return token

    def users(self) -> list[dict[str, Any]]:
        keys = ("id", "name", "role", "station_id", "workstation", "created_at", "unit_id",
                "expires_at", "revoked_at")
        with self._tx() as conn:
            rows = conn.execute(f"SELECT {', '.join(keys)} FROM users ORDER BY id").fetchall()
        return [dict(zip(keys, r, strict=True)) for r in rows]

    def audit(
        self, who: Principal | None, action: str, target: str, outcome: str,
        detail: dict[str, Any] | None = None,
    ) -> None:
        with self._tx() as conn:
            self._audit_in(conn, who, action, target, outcome, detail, time.time())

    @staticmethod
    def _audit_in(  # noqa: PLR0917
        conn: psycopg.Connection[Any], who: Principal | None, action: str, target: str,
        outcome: str, detail: dict[str, Any] | None, now: float,
    ) -> None:
        conn.execute(
            "INSERT INTO audit (at, user_name, role, workstation, action, target, outcome, detail)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            [now, who.name if who else "", who.role if who else "",
             who.workstation if who else "", action, target.replace("\x00", "\\u0000"), outcome,
             None if detail is None else _dumps(detail)])

    def audit_rows(self, limit: int, before_id: int | None = None) -> list[dict[str, Any]]:
        sql = ("SELECT id, at, user_name, role, workstation, action, target, outcome, detail "
               "FROM audit" + (" WHERE id < %s" if before_id is not None else "")
               + " ORDER BY id DESC LIMIT %s")
        params: list[Any] = [before_id, limit] if before_id is not None else [limit]
        with self._tx() as conn:
            rows = conn.execute(sql, params).fetchall()
        keys = ("id", "at", "user", "role", "workstation", "action", "target", "outcome", "detail")
        return [dict(zip(keys, r, strict=True)) for r in rows]

    # -- telemetry -----------------------------------------------------------------------------

    def _refresh_known(self, conn: psycopg.Connection[Any]) -> None:
        marks = conn.execute(
            "SELECT (SELECT coalesce(max(seq), 0) FROM changes WHERE ns='live' AND entity='units'),"
            " (SELECT coalesce(max(seq), 0) FROM changes WHERE ns='live' AND entity='water_points')"
        ).fetchone()
        assert marks is not None
        mark = (int(marks[0]), int(marks[1]))
        with self._known_lock:
            if mark == self._known_mark:
                return
        units: set[str] = set()
        devices: dict[str, str] = {}
        for rid, data in conn.execute(
                "SELECT id, data FROM records WHERE ns='live' AND entity='units' AND deleted = 0"):
            units.add(rid)
            device = json.loads(data).get("device_id") if data else None
            if device:
                devices[str(device)] = rid
        points = {r[0] for r in conn.execute(
            "SELECT id FROM records WHERE ns='live' AND entity='water_points' AND deleted = 0")}
        with self._known_lock:
            self._known_units, self._devices, self._known_points = units, devices, points
            self._known_mark = mark

    def unit_for_device(self, device_id: str) -> str | None:
        with self._tx() as conn:
            self._refresh_known(conn)
        with self._known_lock:
            return self._devices.get(device_id)

    def _ensure_partitions(self, table: str, days: set[int]) -> None:
        missing = {d for d in days if (table, d) not in self._partitions}
        if not missing:
            return
        with self._tx() as conn:
            # Two nodes creating the same partition at once would collide in the catalogue.
            conn.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", [_PARTITION_LOCK, table])
            for day in sorted(missing):
                name = partition_name(table, day)
                conn.execute(
                    f"CREATE TABLE IF NOT EXISTS {name} PARTITION OF {table} "
                    f"FOR VALUES FROM ({day * DAY_S}) TO ({(day + 1) * DAY_S})")
        self._partitions.update((table, d) for d in missing)

    def ingest(
        self, fixes: Iterable[UnitFix], readings: Iterable[SensorReading], now: float, *,
        max_age_s: float | None = None,
    ) -> IngestResult:
        result = IngestResult()
        with self._tx() as conn:
            self._refresh_known(conn)
        with self._known_lock:
            units, points = self._known_units, self._known_points
        screened = screen_telemetry(fixes, readings, now, known_units=units, known_points=points,
                                    max_age_s=max_age_s)
        result.accepted_fixes.extend(screened.fixes)
        result.accepted_readings.extend(screened.readings)
        result.rejected.update(screened.rejected)
        fixes_in, readings_in = result.accepted_fixes, result.accepted_readings
        self._ensure_partitions("positions", {day_of(f.at) for f in fixes_in})
        self._ensure_partitions("readings", {day_of(r.at) for r in readings_in})
        with self._tx() as conn:
            if fixes_in:
                # One COPY into this session's staging table; positions and the last fixes are
                # then written from it inside the server (no second pass over the rows in Python).
                with conn.cursor().copy(
                    "COPY fix_stage (unit_id, lat, lon, at, heading, speed_kmh, accuracy_m)"
                    " FROM STDIN"
                ) as copy:
                    for f in fixes_in:
                        copy.write_row((f.unit_id, f.lat, f.lon, f.at, f.heading, f.speed_kmh,
                                        f.accuracy_m))
                conn.execute(
                    "INSERT INTO positions (unit_id, lat, lon, at, heading, speed_kmh, accuracy_m,"
                    " received_at) SELECT unit_id, lat, lon, at, heading, speed_kmh, accuracy_m,"
                    " %s FROM fix_stage ORDER BY n", [now])
                # Sorted by unit: concurrent batches lock last_fix rows in one order (no deadlock);
                # the latest fix of each unit in the batch, the later of equal times.
                conn.execute(
                    "INSERT INTO last_fix (unit_id, lat, lon, at, heading, speed_kmh) "
                    "SELECT DISTINCT ON (unit_id) unit_id, lat, lon, at, heading, speed_kmh "
                    "FROM fix_stage ORDER BY unit_id, at DESC, n DESC "
                    "ON CONFLICT (unit_id) DO UPDATE SET lat=excluded.lat, lon=excluded.lon, "
                    "at=excluded.at, heading=excluded.heading, speed_kmh=excluded.speed_kmh "
                    "WHERE excluded.at >= last_fix.at")
            if readings_in:
                with conn.cursor().copy(
                    "COPY readings (point_id, at, depth_cm, rain_mm, received_at) FROM STDIN"
                ) as copy:
                    for r in readings_in:
                        copy.write_row((r.point_id, r.at, r.depth_cm, r.rain_mm, now))
            if result.rejected:
                self._count_rejects_in(conn, result.rejected)
        result.stored_fixes = len(fixes_in)
        result.stored_readings = len(readings_in)
        return result

    @staticmethod
    def _count_rejects_in(conn: psycopg.Connection[Any], rejected: Counter[str]) -> None:
        items = sorted(rejected.items())
        conn.execute(
            "INSERT INTO telemetry_rejects SELECT * FROM unnest(%s::text[], %s::bigint[]) "
            "ON CONFLICT (reason) DO UPDATE SET count = telemetry_rejects.count + excluded.count",
            [[k for k, _ in items], [v for _, v in items]])

    def count_rejects(self, rejected: Counter[str]) -> None:
        if rejected:
            with self._tx() as conn:
                self._count_rejects_in(conn, rejected)

    def telemetry_stats(self) -> dict[str, Any]:
        with self._tx() as conn:
            positions = conn.execute("SELECT count(*) FROM positions").fetchone()
            readings = conn.execute("SELECT count(*) FROM readings").fetchone()
            rejects = conn.execute("SELECT reason, count FROM telemetry_rejects").fetchall()
        return {"positions": int(positions[0]) if positions else 0,
                "readings": int(readings[0]) if readings else 0,
                "rejected": {str(k): int(v) for k, v in rejects}}

    # -- retention -----------------------------------------------------------------------------

    def partitions(self, table: str) -> list[int]:
        """The days (UTC day numbers) that have a partition of ``table``, oldest first."""
        with self._tx() as conn:
            rows = conn.execute(
                "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = %s", [table]).fetchall()
        prefix = f"{table}_d"
        return sorted(int(r[0][len(prefix):]) for r in rows if r[0].startswith(prefix))

    def prune(self, now: float, retention: Retention | None = None) -> dict[str, int]:
        """Drop telemetry partitions wholly older than the retention and op results older than
        theirs. A replay of a pruned op is applied again as new, so keep op results far longer
        than any workstation stays offline."""
        keep = retention or self.retention
        out = {"positions": 0, "readings": 0, "op_results": 0}
        if keep.telemetry_days is not None:
            cutoff_day = day_of(now - keep.telemetry_days * DAY_S)
            for table in ("positions", "readings"):
                old = [d for d in self.partitions(table) if d < cutoff_day]
                with self._tx() as conn:
                    conn.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))",
                                 [_PARTITION_LOCK, table])
                    for day in old:
                        conn.execute(f"DROP TABLE IF EXISTS {partition_name(table, day)}")
                self._partitions.difference_update((table, d) for d in old)
                out[table] = len(old)
        if keep.op_results_days is not None:
            with self._tx() as conn:
                cur = conn.execute("DELETE FROM applied_ops WHERE at < %s",
                                   [now - keep.op_results_days * DAY_S])
                out["op_results"] = int(cur.rowcount)
        return out

    # -- position history (desk/central/history.py) ------------------------------------------

    def last_fixes(self, after: str | None, limit: int) -> list[dict[str, Any]]:
        with self._tx() as conn:
            rows = conn.execute(
                "SELECT unit_id, lat, lon, at, heading, speed_kmh FROM last_fix "
                "WHERE unit_id > %s ORDER BY unit_id LIMIT %s", [after or "", limit]).fetchall()
        return [_fix_row(r) for r in rows]

    def track(
        self, unit_ids: Sequence[str], start: float, end: float,
        after: tuple[float, int] | None, limit: int,
    ) -> list[dict[str, Any]]:
        at0, id0 = after if after is not None else (start, -1)
        with self._tx() as conn:
            rows = conn.execute(
                "SELECT unit_id, lat, lon, at, heading, speed_kmh, id FROM positions "
                "WHERE unit_id = ANY(%s) AND at >= %s AND at < %s AND (at, id) > (%s, %s) "
                "ORDER BY at, id LIMIT %s",
                [list(unit_ids), start, end, at0, id0, limit]).fetchall()
        return [{**_fix_row(r), "id": int(r[6])} for r in rows]

    def near(  # noqa: PLR0917
        self, lat: float, lon: float, radius_m: float, start: float, end: float,
        after: str | None, limit: int,
    ) -> list[dict[str, Any]]:
        # ST_DWithin on geography is exact on the spheroid; the && on the geometry box (a
        # conservative one in degrees) lets the GiST index of each partition narrow it first.
        dlat = radius_m / 110_000.0
        dlon = radius_m / (110_000.0 * max(math.cos(math.radians(lat)), 0.01))
        with self._tx() as conn:
            rows = conn.execute(
                "WITH c AS (SELECT ST_SetSRID(ST_MakePoint(%s, %s), 4326) AS pt) "
                "SELECT unit_id, count(*), min(at), max(at), "
                "min(ST_Distance(geom::geography, c.pt::geography)) FROM positions, c "
                "WHERE at >= %s AND at < %s AND unit_id > %s "
                "AND geom && ST_MakeEnvelope(%s, %s, %s, %s, 4326) "
                "AND ST_DWithin(geom::geography, c.pt::geography, %s) "
                "GROUP BY unit_id ORDER BY unit_id LIMIT %s",
                [lon, lat, start, end, after or "", lon - dlon, lat - dlat, lon + dlon,
                 lat + dlat, radius_m, limit]).fetchall()
        return [{"unit_id": r[0], "fixes": int(r[1]), "first_at": float(r[2]),
                 "last_at": float(r[3]), "closest_m": round(float(r[4]), 1)} for r in rows]


class _PgSql:
    """The few statements of the op algorithm, as PostgreSQL runs them: ``?`` placeholders become
    ``%s`` and SQLite's ``INSERT OR REPLACE`` of a record an upsert on its key."""

    _UPSERT = ("INSERT INTO records VALUES (%s, %s, %s, %s, 0, %s, %s, %s) "
               "ON CONFLICT (ns, entity, id) DO UPDATE SET rev = excluded.rev, deleted = 0, "
               "data = excluded.data, meta = excluded.meta, updated_at = excluded.updated_at")
    _cache: dict[str, str] = {}  # noqa: RUF012 - shared translation cache, text to text

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self.conn = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> psycopg.Cursor[Any]:
        pg = self._cache.get(sql)
        if pg is None:
            if sql.startswith("INSERT OR REPLACE INTO records VALUES"):
                pg = self._UPSERT
            elif "INSERT OR" in sql or "json_extract" in sql or "PRAGMA" in sql:
                raise NotImplementedError(f"SQLite-only statement in the op algorithm: {sql}")
            else:
                pg = sql.replace("?", "%s")
            self._cache[sql] = pg
        return self.conn.execute(pg.encode(), list(params))


class _OpsTx:
    """One batch of ops inside one PostgreSQL transaction, decided by the SQLite store's own op
    algorithm (``SqliteCentralStore._apply_one``: validation, HLC checks, station scope, merge,
    conflicts, atomic entities, stale deletes). Borrowing it, rather than keeping a copy, is what
    keeps the two backends' semantics one: any change to it applies to both, and the contract
    suite runs it on both. What it needs from ``self`` is provided here on the transaction."""

    _apply_one: Any = SqliteCentralStore._apply_one
    _scope_view: Any = SqliteCentralStore._scope_view
    _stored_status: Any = SqliteCentralStore._stored_status

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self._pg = conn
        self._conn = _PgSql(conn)

    def apply_one(  # noqa: PLR0917
        self, ns: str, origin: str, op: OpIn, who: Principal, authorize: Authorizer, now: float,
    ) -> OpResult:
        result: OpResult = self._apply_one(ns, origin, op, who, authorize, now)
        return result

    def _change(  # noqa: PLR0917
        self, ns: str, op: OpIn, kind: str, rev: int, data: dict[str, Any] | None, now: float,
        actor: tuple[str, str],
    ) -> int:
        row = self._pg.execute(
            "INSERT INTO changes (ns, entity, entity_id, op, rev, data, hlc, at, actor, workstation)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING seq",
            [ns, op.entity, op.entity_id, kind, rev, None if data is None else _dumps(data),
             op.hlc, now, actor[0], actor[1]]).fetchone()
        assert row is not None
        return int(row[0])

    def _touch(self, entity: str) -> None:
        """Known units are refreshed from the change feed (see ``_refresh_known``)."""

    def records(self, ns: str, entity: str, ids: Iterable[str]) -> dict[str, tuple[dict[str, Any], int]]:
        rows = self._pg.execute(
            "SELECT id, data, rev FROM records WHERE ns = %s AND entity = %s AND deleted = 0 "
            "AND id = ANY(%s)", [ns, entity, list(dict.fromkeys(ids))]).fetchall()
        return {str(rid): (json.loads(data), int(rev)) for rid, data, rev in rows}


def _has_nul(op: OpIn) -> bool:
    texts = [op.entity_id, op.entity, op.hlc, op.actor, op.unit]
    if op.patch:
        texts += [k for k in op.patch] + [v for v in op.patch.values() if isinstance(v, str)]
    return any("\x00" in t for t in texts)


def _configure(conn: psycopg.Connection[Any]) -> None:
    """Per session: the staging table a telemetry batch is copied into (emptied at commit)."""
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS fix_stage (n bigint GENERATED ALWAYS AS IDENTITY,"
        " unit_id text NOT NULL, lat float8 NOT NULL, lon float8 NOT NULL, at float8 NOT NULL,"
        " heading float8, speed_kmh float8, accuracy_m float8) ON COMMIT DELETE ROWS")
    conn.commit()


def partition_name(table: str, day: int) -> str:
    return f"{table}_d{day}"


def _fix_row(r: Sequence[Any]) -> dict[str, Any]:
    return {"unit_id": r[0], "lat": r[1], "lon": r[2], "at": r[3], "heading": r[4],
            "speed_kmh": r[5]}


def _safe(exc: BaseException) -> str:
    """An error's text without a password that a connection string might carry."""
    import re

    return re.sub(r"password=\S+", "password=***", str(exc).strip().splitlines()[0] if str(exc)
                  else type(exc).__name__)
