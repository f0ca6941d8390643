"""Tables of dispatch planning: the pre-planned 快反圈 (quick-response circles) around key places
and the tier of forces each circle counts on for each minute ("1、3、5 分钟快反")."""

from __future__ import annotations

import sqlite_utils
from sqlite_utils import Migrations

dispatch = Migrations("desk.dispatch")


@dispatch()
def m001_quick_response_circles(db: sqlite_utils.Database) -> None:
    # One row per circle: a key place (school, hospital, station, 商圈 …), its radius and the
    # station (派出所/中队) that owns the plan, so a station chief edits only their own circles.
    db.table("qr_circles").create(
        {"id": str, "name": str, "kind": str, "station_id": str, "lat": float, "lon": float,
         "radius_m": float, "note": str, "updated_at": float, "updated_by": str},
        pk="id",
    )
    db.table("qr_circles").create_index(["station_id"])
    # The forces of each minute tier (1, 3 or 5): a named force (警务站, 交警快骑 …), optionally a
    # unit of ours. ``station_id`` repeats the circle's, so the station scope needs no join.
    db.table("qr_forces").create(
        {"id": str, "circle_id": str, "tier_min": int, "force": str, "unit_id": str,
         "station_id": str, "note": str},
        pk="id",
    )
    db.table("qr_forces").create_index(["circle_id", "tier_min"])
