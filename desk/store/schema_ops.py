"""Operational records: dispatches of units to a target, and road/tunnel closures."""

from __future__ import annotations

import sqlite_utils
from sqlite_utils import Migrations

ops = Migrations("desk.ops")


@ops()
def m001_dispatches_and_closures(db: sqlite_utils.Database) -> None:
    # A dispatch names what the unit was sent to (an alert, a water point, an accident case, a
    # map point) so response times can be computed per target afterwards.
    db.table("dispatches").create(
        {"id": str, "unit_id": str, "target_entity": str, "target_id": str, "lat": float,
         "lon": float, "note": str, "at": float, "actor": str, "arrived_at": float,
         "cleared_at": float},
        pk="id",
    )
    db.table("dispatches").create_index(["unit_id", "at"])
    db.table("dispatches").create_index(["target_entity", "target_id"])
    db.table("road_closures").create(
        {"id": str, "point_id": str, "reason": str, "closed_at": float, "closed_by": str,
         "reopened_at": float, "reopened_by": str},
        pk="id",
    )
    db.table("road_closures").create_index(["point_id", "closed_at"])
