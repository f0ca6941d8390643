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
