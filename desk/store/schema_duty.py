"""The duty-planning tables (migration set "desk.duty"): shift templates, post requirements,
officer planning profiles and unavailability, assignments, roster state with its publish log, and
the reasons given for changes after publishing. Times are POSIX seconds."""

from __future__ import annotations

import sqlite_utils
from sqlite_utils import Migrations

duty = Migrations("desk.duty")


@duty()
def m001_duty_tables(db: sqlite_utils.Database) -> None:
    db.table("duty_shift_templates").create(
        # end_min may exceed 1440: the band runs past midnight (夜查 21:00–02:00 = 1260–1560).
        {"id": str, "name": str, "start_min": int, "end_min": int, "sort": int},
        pk="id",
    )
    db.table("duty_post_requirements").create(
        # skills: JSON list; weekdays: JSON list of 1 (Monday) … 7 (Sunday).
        {"id": str, "post_id": str, "template_id": str, "min_staff": int, "skills": str,
         "weekdays": str},
        pk="id",
    )
    db.table("duty_post_requirements").create_index(["post_id"])
    db.table("duty_officer_profiles").create(
        # avoid_weekdays: JSON list of 1 … 7.
        {"id": str, "max_week_hours": float, "avoid_night": int, "avoid_weekdays": str},
        pk="id",
    )
    db.table("duty_unavailability").create(
        {"id": str, "officer_id": str, "start": int, "end": int, "reason": str}, pk="id"
    )
    db.table("duty_unavailability").create_index(["officer_id", "start"])
    db.table("duty_assignments").create(
        # station_id and week are denormalised from the post and start so a station's week loads
        # and publishes with one indexed query.
        {"id": str, "officer_id": str, "post_id": str, "station_id": str, "week": str,
         "start": int, "end": int, "locked": int, "note": str},
        pk="id",
    )
    db.table("duty_assignments").create_index(["start"])
    db.table("duty_assignments").create_index(["officer_id", "start"])
    db.table("duty_assignments").create_index(["station_id", "week"])
    db.table("duty_rosters").create(
        # id = "<station_id>:<week Monday ISO date>"; state draft | published.
        {"id": str, "station_id": str, "week": str, "state": str, "published_at": float,
         "published_by": str, "version": int},
        pk="id",
    )
    db.table("duty_publish_log").create(
        {"id": str, "roster_id": str, "at": float, "actor": str, "version": int,
         "assignments": int, "soft_penalty": int, "snapshot": str},
        pk="id",
    )
    db.table("duty_change_reasons").create(
        # A change to a published roster: who, why, what, and whether the officer has been told.
        {"id": str, "roster_id": str, "assignment_id": str, "officer_id": str, "change": str,
         "reason": str, "at": float, "actor": str, "to_notify": int, "notified_at": float},
        pk="id",
    )
    db.table("duty_change_reasons").create_index(["officer_id"])


@duty()
def m002_levels_and_station_scope(db: sqlite_utils.Database) -> None:
    """勤务等级 (一级/二级/三级 for 重大安保, raising staffing for a period and area), and a station
    column on requirements and leave so sync can scope them to the station chief who edits them."""
    db.table("duty_levels").create(
        # grade 1 (一级, highest) … 3; station_ids: JSON list (empty: every station).
        {"id": str, "name": str, "grade": int, "start": int, "end": int, "station_ids": str,
         "note": str},
        pk="id",
    )
    db.table("duty_levels").create_index(["start"])
    db.table("duty_post_requirements").add_column("station_id", str)
    db.execute("UPDATE duty_post_requirements SET station_id = "
               "(SELECT station_id FROM duty_posts p WHERE p.id = duty_post_requirements.post_id)")
    db.table("duty_unavailability").add_column("station_id", str)
    db.execute("UPDATE duty_unavailability SET station_id = "
               "(SELECT station_id FROM officers o WHERE o.id = duty_unavailability.officer_id)")


@duty()
def m003_patrol_checkpoints(db: sqlite_utils.Database) -> None:
    """Check-in points (打卡点) of patrol posts (铁骑巡线, 巡逻岗), in route order: supervision
    judges a patrol against the corridor through them, not against the post's one point."""
    db.table("duty_checkpoints").create(
        # radius_m: within this counts as checked in (NULL: the supervision default).
        {"id": str, "post_id": str, "station_id": str, "seq": int, "name": str, "lat": float,
         "lon": float, "radius_m": float},
        pk="id",
    )
    db.table("duty_checkpoints").create_index(["post_id", "seq"])
