"""The telemetry write path: append-only, high-rate, outside the change log.

Positions and readings never conflict (ARCHITECTURE: telemetry is append-only), so they skip the
change log and the sync outbox; they update the unit's last fix and append readings in one
transaction per batch with raw ``executemany`` (sqlite-utils' per-batch commits are 3x slower).
"""

from __future__ import annotations

import logging
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
            cur = conn.executemany(
                "UPDATE units SET lat = ?, lon = ?, heading = coalesce(?, heading), "
                "speed_kmh = coalesce(?, speed_kmh), fix_at = ? "
                "WHERE id = ? AND (fix_at IS NULL OR fix_at <= ?)",
                [(f.lat, f.lon, f.heading, f.speed_kmh, f.at, f.unit_id, f.at) for f in good_fixes],
            )
            result.stored_fixes = cur.rowcount
            unit_ids = {f.unit_id for f in good_fixes}
        if good_readings:
            conn.executemany(
                "INSERT INTO sensor_readings (point_id, at, depth_cm, rain_mm) VALUES (?, ?, ?, ?)",
                [(r.point_id, r.at, r.depth_cm, r.rain_mm) for r in good_readings],
            )
            result.stored_readings = len(good_readings)
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
