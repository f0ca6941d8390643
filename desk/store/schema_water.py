"""Tables of the water and alerting feature: alerts and their history, rainstorm signals with their
checklists, responsible people per water point and the record of who was notified when."""

from __future__ import annotations

import sqlite_utils
from sqlite_utils import Migrations

water = Migrations("desk.water")


@water()
def m001_alerts(db: sqlite_utils.Database) -> None:
    # One row per alert; repeats of a still-open alert bump ``count`` and ``last_at`` instead of
    # adding rows, so a flooded sensor cannot flood the inbox.
    db.table("alerts").create(
        {"id": str, "kind": str, "severity": str, "source": str, "place": str, "message": str,
         "lat": float, "lon": float, "dedup_key": str, "state": str, "count": int,
         "raised_at": float, "last_at": float,
         "acked_by": str, "acked_at": float, "assigned_to": str, "assigned_at": float,
         "resolved_by": str, "resolved_at": float, "note": str},
        pk="id",
    )
    db.table("alerts").create_index(["dedup_key", "state"])
    db.table("alerts").create_index(["state", "severity"])
    db.table("alerts").create_index(["raised_at"])
    # Who did what when: every raise, fold, acknowledge, assign and resolve is its own row.
    db.table("alert_events").create(
        {"id": str, "alert_id": str, "at": float, "actor": str, "action": str, "note": str},
        pk="id",
    )
    db.table("alert_events").create_index(["alert_id", "at"])


@water()
def m002_rain_signals(db: sqlite_utils.Database) -> None:
    # A signal is in force from raised_at until lifted_at; a higher level supersedes (lifts) the
    # lower one so at most one is in force.
    db.table("rain_signals").create(
        {"id": str, "level": str, "source": str, "reason": str, "raised_at": float,
         "raised_by": str, "lifted_at": float, "lifted_by": str},
        pk="id",
    )
    db.table("rain_signals").create_index(["lifted_at"])
    db.table("rain_checklist_items").create(
        {"id": str, "signal_id": str, "idx": int, "text": str, "done_at": float, "done_by": str},
        pk="id",
    )
    db.table("rain_checklist_items").create_index(["signal_id", "idx"])


@water()
def m003_responsible_people(db: sqlite_utils.Database) -> None:
    # The call list of a water point: people are called in ``call_order`` until one answers.
    db.table("responsible_people").create(
        {"id": str, "point_id": str, "name": str, "role": str, "phone": str, "call_order": int},
        pk="id",
    )
    db.table("responsible_people").create_index(["point_id", "call_order"])
    # "Woken within N minutes" = notifications.at - alerts.raised_at for the first reached call.
    db.table("water_notifications").create(
        {"id": str, "point_id": str, "alert_id": str, "person_id": str, "person_name": str,
         "at": float, "actor": str, "outcome": str, "note": str},
        pk="id",
    )
    db.table("water_notifications").create_index(["point_id", "at"])
    db.table("water_notifications").create_index(["alert_id"])


@water()
def m004_water_state_and_official_signals(db: sqlite_utils.Database) -> None:
    # Latest reading and judged state per point (hysteresis, trend, rise episode): read instead of
    # scanning sensor_readings, and kept across restarts. Derived from telemetry, local-only.
    db.table("water_point_state").create(
        {"point_id": str, "state": str, "trend": str, "rise_since": float, "rise_alerted": int,
         "depth_cm": float, "depth_at": float, "rain_mm": float, "rain_at": float,
         "updated_at": float},
        pk="point_id",
    )
    # Rain totals over a time window: the (point_id, at) index cannot serve "at > ?" for all
    # gauges; this partial covering index holds only rain readings, ordered by time.
    db.execute(
        "CREATE INDEX IF NOT EXISTS idx_sensor_readings_rain_at "
        "ON sensor_readings (at, point_id, rain_mm) WHERE rain_mm IS NOT NULL"
    )
    # Backfill the state table with one index seek per point (an old workspace keeps its levels).
    from desk.domain.water import DepthThresholds, WaterPointKind, default_thresholds
    from desk.domain.waterlevel import water_state

    rows = []
    points = db.execute(
        "SELECT id, kind, caution_cm, warning_cm, close_cm FROM water_points").fetchall()
    for pid, kind, c, w, cl in points:
        depth = db.execute(
            "SELECT depth_cm, at FROM sensor_readings WHERE point_id = ? AND depth_cm IS NOT NULL "
            "ORDER BY at DESC LIMIT 1", [pid]).fetchone()
        rain = db.execute(
            "SELECT rain_mm, at FROM sensor_readings WHERE point_id = ? AND rain_mm IS NOT NULL "
            "ORDER BY at DESC LIMIT 1", [pid]).fetchone()
        if depth is None and rain is None:
            continue
        try:
            th = DepthThresholds(c, w, cl)
        except (TypeError, ValueError):
            try:
                th = default_thresholds(WaterPointKind(kind))
            except ValueError:
                th = default_thresholds(WaterPointKind.ROAD)
        rows.append({
            "point_id": pid, "state": water_state(depth[0] if depth else None, th).value,
            "trend": "unknown", "rise_since": None, "rise_alerted": 0,
            "depth_cm": depth[0] if depth else None, "depth_at": depth[1] if depth else None,
            "rain_mm": rain[0] if rain else None, "rain_at": rain[1] if rain else None,
            "updated_at": max(x[1] for x in (depth, rain) if x is not None),
        })
    if rows:
        db.table("water_point_state").insert_all(rows)
    # Hourly aggregates kept when raw readings are pruned (retention): deepest depth, rain total.
    db.table("sensor_readings_hourly").create(
        {"point_id": str, "hour": float, "max_depth_cm": float, "rain_mm": float, "n": int},
        pk=("point_id", "hour"),
    )
    # Official signals as received (level, issuing office, time, areas), from a person, a CAP
    # file or a feed event; several may be in force for different districts.
    for name, typ in (("office", str), ("districts", str), ("issued_at", float),
                      ("identifier", str), ("cap_status", str), ("expires_at", float),
                      ("superseded_by", str)):
        db.table("rain_signals").add_column(name, typ)
    db.table("rain_signals").create_index(["identifier"])
    for name, typ in (("key", str), ("level", str)):
        db.table("rain_checklist_items").add_column(name, typ)
    # 内部研判 per district: the level its gauges meet, kept so a restart does not re-alert.
    db.table("rain_district_assessment").create(
        {"district": str, "level": str, "point_id": str, "totals": str, "judged_at": float,
         "since": float},
        pk="district",
    )
