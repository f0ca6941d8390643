"""The drill workspace (演练工作区): a private copy of the base, so a drill can never touch live data.

The base file is opened read-only (``mode=ro`` URI) and copied page by page with SQLite's online
backup API, which gives a consistent snapshot even while a live desk has the base open and is
writing (a plain file copy could tear a WAL database). Only the copy is ever opened for writing.
It is marked in ``meta`` (``drill`` = ``1``, ``drill_scenario``, ``drill_run``, ``drill_base``) so
every part of the app — the sync engine above all — can tell it is a drill.
"""

from __future__ import annotations

import importlib
import logging
import sqlite3
from pathlib import Path

from desk.store.errors import WorkspaceError
from desk.store.workspace import Workspace

log = logging.getLogger(__name__)

#: Tables whose rows mean "to be sent to the central". A drill copy starts with them empty: the
#: live workspace still owns those pending operations, and a drill must never push into live data.
OUTBOX_TABLES = ("outbox", "sync_outbox")


def copy_base(base: Path, dest: Path) -> None:
    """Snapshot ``base`` into a new file ``dest`` through the backup API; ``base`` is read-only."""
    base, dest = Path(base), Path(dest)
    if not base.is_file():
        raise WorkspaceError(base, f"演练底图工作区不存在：{base}")
    if dest.exists():
        raise WorkspaceError(dest, f"演练工作区已存在，不会覆盖：{dest}")
    dest.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"{base.resolve().as_uri()}?mode=ro", uri=True)
    try:
        out = sqlite3.connect(str(dest))
        try:
            src.backup(out)
        finally:
            out.close()
    except sqlite3.Error as exc:
        dest.unlink(missing_ok=True)
        raise WorkspaceError(base, f"无法复制演练底图工作区：{base}", str(exc)) from exc
    finally:
        src.close()
    log.info("drill workspace copied: %s -> %s", base, dest)


def mark_drill(ws: Workspace, *, scenario_id: str, run_id: str, base: str) -> None:
    """Write the drill marker into ``meta`` and empty any sync outbox of the copy."""
    marks = {"drill": "1", "drill_scenario": scenario_id, "drill_run": run_id, "drill_base": base}
    with ws.write(actor="drill") as tx:
        for key, value in marks.items():
            if ws.db.execute("SELECT 1 FROM meta WHERE key = ?", [key]).fetchone():
                tx.update("meta", key, {"value": value}, pk="key")
            else:
                tx.insert("meta", {"key": key, "value": value}, pk="key")
        for table in OUTBOX_TABLES:
            if ws.db[table].exists():
                ws.db.execute(f'DELETE FROM "{table}"')


def is_drill_workspace(ws: Workspace) -> bool:
    """True for a drill copy: sync must then use the trainer's drill namespace, never live data."""
    return ws.meta("drill") == "1"


def create_drill_workspace(
    base: Path | None, dest: Path, *, scenario_id: str, run_id: str
) -> Workspace:
    """Make the drill workspace at ``dest``: a copy of ``base``, or — with ``base`` None — a
    freshly generated demo city (nothing live is read at all). Returns it opened and marked."""
    if base is not None:
        copy_base(base, dest)
        ws = Workspace.open(dest)
    else:
        if dest.exists():
            raise WorkspaceError(dest, f"演练工作区已存在，不会覆盖：{dest}")
        # Imported late: the demo generator is only needed for a "base: demo" drill.
        city = importlib.import_module("desk.demo.city")
        ws = Workspace.open(dest)
        city.generate_demo_city(ws)
    mark_drill(ws, scenario_id=scenario_id, run_id=run_id,
               base=str(base) if base is not None else "demo")
    return ws
