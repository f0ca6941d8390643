"""The core schema: the city's entities and the change log. Positions are WGS-84 degrees."""

from __future__ import annotations

import sqlite_utils
from sqlite_utils import Migrations

core = Migrations("desk.core")


@core()
def m001_city_entities(db: sqlite_utils.Database) -> None:
    db.table("meta").create({"key": str, "value": str}, pk="key")
    db.table("stations").create(
        # kind: brigade (大队) or squadron (中队); a squadron's parent_id is its brigade.
        {"id": str, "name": str, "kind": str, "parent_id": str, "district": str,
         "lat": float, "lon": float},
        pk="id",
    )
    db.table("officers").create(
        {"id": str, "name": str, "badge": str, "station_id": str, "rank": str,
         "skills": str, "phone": str, "unit_id": str, "on_duty": int},
        pk="id",
    )
    db.table("units").create(
        {"id": str, "call_sign": str, "kind": str, "status": str, "station_id": str,
         "device_id": str, "lat": float, "lon": float, "heading": float, "speed_kmh": float,
         "fix_at": float, "online": int},
        pk="id",
    )
    db.table("units").create_index(["call_sign"], unique=True)
    db.table("units").create_index(["device_id"])
    db.table("cameras").create(
        {"id": str, "name": str, "road": str, "district": str, "lat": float, "lon": float,
         "online": int, "stream_url": str},
        pk="id",
    )
    db.table("water_points").create(
        {"id": str, "name": str, "kind": str, "road": str, "district": str,
         "lat": float, "lon": float, "caution_cm": float, "warning_cm": float,
         "close_cm": float},
        pk="id",
    )
    db.table("sensor_readings").create(
        {"id": int, "point_id": str, "at": float, "depth_cm": float, "rain_mm": float},
        pk="id",
    )
    db.table("sensor_readings").create_index(["point_id", "at"])
    db.table("duty_posts").create(
        {"id": str, "name": str, "kind": str, "station_id": str, "road": str,
         "lat": float, "lon": float},
        pk="id",
    )
    db.table("police_rooms").create(
        {"id": str, "name": str, "district": str, "lat": float, "lon": float}, pk="id"
    )


@core()
def m002_change_log(db: sqlite_utils.Database) -> None:
    # seq is AUTOINCREMENT so a sequence number is never reused, even after rows are pruned:
    # the sync outbox and the change feed cursor rely on it growing monotonically.
    db.execute(
        """CREATE TABLE change_log (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            entity TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            op TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
            at REAL NOT NULL,
            actor TEXT NOT NULL,
            patch TEXT
        )"""
    )
    db.execute("CREATE INDEX idx_change_log_entity ON change_log (entity, entity_id)")


@core()
def m003_unit_status_log(db: sqlite_utils.Database) -> None:
    # Every unit status change is its own timestamped row, so response times can be computed later.
    db.table("unit_status_log").create(
        {"id": int, "unit_id": str, "status": str, "at": float, "actor": str}, pk="id"
    )
    db.table("unit_status_log").create_index(["unit_id", "at"])
