"""The demo city's duty as a 交警 would check it: real 警衔 and 辅警, a realistic mix of posts and
units, patrol lines with check-in points, and a planned today that breaks no hard rule and does
not flood 管得住 with officers who have not arrived."""

from __future__ import annotations

import time
from collections import Counter

from desk.demo.names import AUXILIARY, RANKS
from desk.demo.roster import plan_demo_roster
from desk.domain.duty.supervision import AnomalyKind
from desk.services.context import AppContext
from desk.services.duty import DutyService
from desk.services.duty_supervision import DutySupervisor
from desk.store import Workspace

#: 人民警察警衔 a street force holds (警员、警司、警督); 辅警 have none.
REAL_RANKS = {"二级警员", "一级警员", "三级警司", "二级警司", "一级警司", "三级警督", "二级警督",
              "一级警督"}


def test_ranks_are_real_and_auxiliaries_are_a_large_share(demo_workspace: Workspace) -> None:
    assert {r for r, _ in RANKS} == REAL_RANKS
    ranks = Counter(r[0] for r in demo_workspace.db.execute("SELECT rank FROM officers"))
    assert set(ranks) == REAL_RANKS | {AUXILIARY}
    assert 0.3 < ranks[AUXILIARY] / sum(ranks.values()) < 0.6
    # Drones are flown by 民警 pilots.
    pilots = demo_workspace.db.execute(
        "SELECT o.rank FROM officers o JOIN units u ON u.id = o.unit_id WHERE u.kind = 'drone'")
    assert AUXILIARY not in {r[0] for r in pilots}
    duty = AppContext(workspace=demo_workspace).service(DutyService)
    aux = [o for o in duty.officers() if o.auxiliary]
    assert len(aux) == ranks[AUXILIARY]


def test_demo_today_keeps_every_hard_rule_and_officers_are_at_their_posts(
        demo_workspace: Workspace) -> None:
    tuesday_8 = time.mktime((2026, 11, 17, 8, 0, 0, 0, 0, -1))
    assert plan_demo_roster(demo_workspace, now=tuesday_8, time_limit_s=3.0) > 50
    ctx = AppContext(workspace=demo_workspace, clock=lambda: tuesday_8)
    plan = ctx.service(DutyService).open_week(int(tuesday_8))
    assert plan.checker.hard() == []  # incl. 辅警 never alone on a night check or patrol line
    lines = demo_workspace.db.execute(
        "SELECT p.id, count(c.id) FROM duty_posts p LEFT JOIN duty_checkpoints c "
        "ON c.post_id = p.id WHERE p.kind = 'motorcycle_line' GROUP BY p.id").fetchall()
    assert lines and all(n >= 2 for _, n in lines)
    found = ctx.service(DutySupervisor).check(tuesday_8)
    kinds = Counter(a.kind for a in found)
    on_duty = len(ctx.service(DutyService).active_assignments(tuesday_8))
    assert kinds[AnomalyKind.OFF_POST] == 0
    # A patrol car's two crew rostered at two different posts: the car can be at one of them
    # only, so the other is rightly 未到岗. Nobody else is.
    unit_of = dict(demo_workspace.db.execute("SELECT id, unit_id FROM officers").fetchall())
    posts_of_unit: dict[str, set[str]] = {}
    for a in ctx.service(DutyService).active_assignments(tuesday_8):
        posts_of_unit.setdefault(unit_of[a.officer_id], set()).add(a.post_id)
    for a in found:
        if a.kind is AnomalyKind.NO_SHOW:
            assert len(posts_of_unit[unit_of[a.officer_id]]) > 1, a.message
    assert kinds[AnomalyKind.NO_FIX] < 0.1 * on_duty  # only units that really are offline
