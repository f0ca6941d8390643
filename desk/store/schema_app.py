"""The runtime's own tables: who is on duty at this workstation (operators and handovers)."""

from __future__ import annotations

import sqlite_utils
from sqlite_utils import Migrations

app = Migrations("desk.app")


@app()
def m001_operator_shifts(db: sqlite_utils.Database) -> None:
    # One row per operator sign-on at this workstation; off_at/handover_note are filled at 交接班.
    db.table("operator_shifts").create(
        {"id": str, "badge": str, "name": str, "role": str, "workstation": str,
         "on_at": float, "off_at": float, "handover_note": str, "source": str},
        pk="id",
    )
    db.table("operator_shifts").create_index(["workstation", "on_at"])
