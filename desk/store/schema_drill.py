"""Drill tables (演练): runs, fired injects, trainee actions and lessons; their own migration set.

They exist in every workspace (migrations are global) but only a drill workspace (``meta`` key
``drill`` = ``1``) ever holds rows. Drill seconds (``*_s``) count from T+0 of the run.
"""

from __future__ import annotations

import sqlite_utils
from sqlite_utils import Migrations

drill = Migrations("desk.drill")


@drill()
def m001_drill_tables(db: sqlite_utils.Database) -> None:
    db.table("drill_runs").create(
        # scenario_text keeps the scenario file as run, so the report and a replay need nothing
        # but this workspace even if the file is later edited or lost.
        {"id": str, "scenario_id": str, "title": str, "base": str, "source": str,
         "scenario_text": str, "epoch": float, "started_at": float, "finished_at": float,
         "end_s": float},
        pk="id",
    )
    db.table("drill_injects_fired").create(
        # lateness_ms: real milliseconds between the due drill time and the firing, at the speed
        # then in force (the scheduling quality the benchmark measures).
        {"id": str, "run_id": str, "inject_id": str, "kind": str, "label": str,
         "due_s": float, "fired_s": float, "lateness_ms": float, "data": str},
        pk="id",
    )
    db.table("drill_injects_fired").create_index(["run_id", "due_s"])
    db.table("drill_actions").create(
        {"id": str, "run_id": str, "kind": str, "target": str, "at_s": float, "actor": str,
         "data": str, "recorded_at": float},
        pk="id",
    )
    db.table("drill_actions").create_index(["run_id", "at_s"])
    db.table("drill_lessons").create(
        {"id": str, "run_id": str, "text": str, "author": str, "updated_at": float}, pk="id"
    )
