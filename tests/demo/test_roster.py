"""The demo city gets a draft roster for today, so its posts are staffed on the map."""

from __future__ import annotations

import time
from collections import Counter

from desk.demo.roster import plan_demo_roster
from desk.services.context import AppContext
from desk.services.duty import DutyService
from desk.store import Workspace


def test_today_is_planned_once_and_mostly_staffed(demo_workspace: Workspace) -> None:
    tuesday_8 = time.mktime((2026, 11, 17, 8, 0, 0, 0, 0, -1))
    added = plan_demo_roster(demo_workspace, now=tuesday_8, time_limit_s=3.0)
    assert added > 50
    duty = AppContext(workspace=demo_workspace, clock=lambda: tuesday_8).service(DutyService)
    levels = Counter(duty.staffing_now(tuesday_8).values())
    assert levels["full"] > levels["empty"] + levels["short"]
    assert plan_demo_roster(demo_workspace, now=tuesday_8 + 3600) == 0  # same day: kept as is
    rosters = {r[0] for r in demo_workspace.db.execute("SELECT state FROM duty_rosters")}
    assert "published" not in rosters  # a draft: the chief decides
