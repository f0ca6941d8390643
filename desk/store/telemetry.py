"""The telemetry write path: append-only, high-rate, outside the change log.

Positions and readings never conflict (ARCHITECTURE: telemetry is append-only), so they skip the
change log and the sync outbox; they update the unit's last fix and append readings in one
transaction per batch with raw ``executemany`` (sqlite-utils' per-batch commits are 3x slower).
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from desk.domain.telemetry import SensorReading, UnitFix, screen_telemetry
from desk.store.events import ChangeSet
from desk.store.workspace import Workspace

log = logging.getLogger(__name__)


@dataclass(slots=True)
class TelemetryResult:
    stored_fixes: int = 0
    stored_readings: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    #: The fixes that became a unit's position (the newest per unit, newer than the stored one):
    #: the map draws exactly these, so it never shows a fix the store refused or an older one.
    accepted_fixes: tuple[UnitFix, ...] = ()
    accepted_readings: tuple[SensorReading, ...] = ()


def record_telemetry(
    ws: Workspace,
    fixes: Iterable[UnitFix] = (),
    readings: Iterable[SensorReading] = (),
    *,
    now: float | None = None,
    publish: bool = True,
) -> TelemetryResult:
    """Store good fixes and readings, count bad ones by reason, never store a bad one.

    A fix older than the unit's current one is ignored for the unit's position (out-of-order
    delivery after a reconnect must not move a unit backwards in time).
    """
    now = time.time() if now is None else now
    result = TelemetryResult()
    conn = ws.db.conn
    known_points = {r[0] for r in conn.execute("SELECT id FROM water_points")} if readings else None
    screened = screen_telemetry(fixes, readings, now, known_points=known_points)
    good_fixes, good_readings = screened.fixes, screened.readings
    result.rejected.update(screened.rejected)

    unit_ids: set[str] = set()
    point_ids: set[str] = set()
    with ws.db.atomic():
        if good_fixes:
            newest = _newer_than_stored(conn, good_fixes)
            if newest:
                cur = conn.executemany(
                    "UPDATE units SET lat = ?, lon = ?, heading = coalesce(?, heading), "
                    "speed_kmh = coalesce(?, speed_kmh), fix_at = ? "
                    "WHERE id = ? AND (fix_at IS NULL OR fix_at <= ?)",
                    [(f.lat, f.lon, f.heading, f.speed_kmh, f.at, f.unit_id, f.at) for f in newest],
                )
                result.stored_fixes = cur.rowcount
            result.accepted_fixes = tuple(newest)
            unit_ids = {f.unit_id for f in newest}
        if good_readings:
            conn.executemany(
                "INSERT INTO sensor_readings (point_id, at, depth_cm, rain_mm) VALUES (?, ?, ?, ?)",
                [(r.point_id, r.at, r.depth_cm, r.rain_mm) for r in good_readings],
            )
            result.stored_readings = len(good_readings)
            result.accepted_readings = tuple(good_readings)
            point_ids = {r.point_id for r in good_readings}
    if result.rejected:
        log.warning("telemetry rejected: %s", dict(result.rejected))
    if publish and (unit_ids or point_ids):
        ids = {}
        if unit_ids:
            ids["units"] = frozenset(unit_ids)
        if point_ids:
            ids["sensor_readings"] = frozenset(point_ids)
        ws.bus.publish(ChangeSet(ids, "telemetry"))
    return result


def _newer_than_stored(conn: sqlite3.Connection, fixes: Iterable[UnitFix]) -> list[UnitFix]:
    """The newest fix per known unit, kept only when it is not older than the unit's stored fix
    (out-of-order delivery after a reconnect must not move a unit backwards in time)."""
    latest: dict[str, UnitFix] = {}
    for f in fixes:
        cur = latest.get(f.unit_id)
        if cur is None or f.at >= cur.at:
            latest[f.unit_id] = f
    if not latest:
        return []
    stored: dict[str, float | None] = {}
    ids = list(latest)
    for start in range(0, len(ids), 900):  # SQLite's bound-parameter limit
        chunk = ids[start:start + 900]
        marks = ",".join("?" * len(chunk))
        for uid, fix_at in conn.execute(f"SELECT id, fix_at FROM units WHERE id IN ({marks})", chunk):
            stored[uid] = fix_at
    out = []
    for uid, f in latest.items():
        if uid not in stored:
            continue  # an unknown unit has no marker to move
        at = stored[uid]
        if at is None or f.at >= at:
            out.append(f)
    return out
