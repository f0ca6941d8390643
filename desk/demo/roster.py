"""A draft roster for today in the demo city, so its duty posts show real staffing on the map.

The demo city has posts and officers but nobody rostered; a dispatcher opening the demo would see
every post red. This plans today (and tonight's night checks) with the duty board's own auto-fill,
writes it through the duty service, and leaves it a draft: a chief can still edit or publish it.
"""

from __future__ import annotations

import logging
import time

from desk.domain.duty.model import day_start
from desk.services.context import AppContext
from desk.services.duty import DutyService
from desk.services.duty_autofill import autofill
from desk.store.workspace import Workspace

log = logging.getLogger(__name__)


def plan_demo_roster(ws: Workspace, *, now: float | None = None, time_limit_s: float = 4.0) -> int:
    """Plan today's open slots unless today already has assignments; returns how many were
    added. Runs at every demo start, so a demo workspace reopened on a later day is staffed too."""
    at = time.time() if now is None else now
    start = day_start(at)
    if ws.db["duty_assignments"].exists() and ws.db.execute(
        'SELECT 1 FROM duty_assignments WHERE start < ? AND "end" > ? LIMIT 1',
        [start + 86_400, start],
    ).fetchone():
        return 0
    ctx = AppContext(workspace=ws, actor="demo", clock=lambda: at)
    duty = ctx.service(DutyService)
    duty.ensure_defaults()
    plan = duty.open_week(int(at))
    result = autofill(plan.roster, days=[day_start(at)], config=duty.rules_config,
                      time_limit_s=time_limit_s, new_id=duty.new_id)
    if result.added:
        plan.apply(result.edit, origin="demo")
    log.info("demo roster: %d assignments for today, %d shortfalls", result.added,
             len(result.shortfalls))
    return result.added
