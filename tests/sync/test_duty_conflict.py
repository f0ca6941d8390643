"""Duty assignments edited in two places offline become a conflict a person resolves: two
workstations on a real desk-central move the same assignment to different times through
DutyService, sync, one side gets the conflict entry, a person picks, and both converge."""

from __future__ import annotations

import time
from typing import Any

import pytest

from desk.domain.duty.edits import AddAssignment, ReplaceAssignment
from desk.domain.duty.model import Assignment, week_start
from desk.services.context import AppContext
from desk.services.duty import DutyService
from desk.store import Workspace
from desk.sync.engine import DecisionNeeded, SyncEngine
from desk.sync.outbox import open_conflicts, pending_count, resolve_conflict
from tests.duty.conftest import MON
from tests.duty.factory import build_city
from tests.sync.conftest import Rig, synced_rows

H = 3600
TUE = MON + 86400


def _assignment_row(ws: Workspace, aid: str) -> tuple[int, int, str, str]:
    r = ws.db["duty_assignments"].get(aid)
    return int(r["start"]), int(r["end"]), str(r["officer_id"]), str(r["post_id"])


def _setup(rig: Rig) -> tuple[Workspace, SyncEngine, DutyService, Workspace, SyncEngine,
                              DutyService, str]:
    a = rig.workspace("ws-a")
    build_city(a, stations=1, officers=6, posts=3, kinds=["intersection"])
    duty_a = AppContext(workspace=a, actor="所长甲", clock=lambda: TUE).service(DutyService)
    duty_a.ensure_defaults()
    plan = duty_a.open_week(TUE, "st-01")
    aid = "da-shared-1"
    plan.apply(AddAssignment(Assignment(aid, "off-0001", "post-001", TUE + 7 * H, TUE + 9 * H)))
    ea = rig.engine(a)
    with pytest.raises(DecisionNeeded) as info:
        ea.sync_once()
    ea.resolve_decision(info.value.decision, "upload")
    ea.sync_once()
    assert pending_count(a) == 0
    b = rig.workspace("ws-b")
    eb = rig.engine(b)
    eb.sync_once()  # an empty workspace downloads the central's roster
    assert _assignment_row(b, aid) == _assignment_row(a, aid)
    duty_b = AppContext(workspace=b, actor="所长乙", clock=lambda: TUE).service(DutyService)
    duty_b.ensure_defaults()  # templates/requirements are local configuration, seeded per desk
    return a, ea, duty_a, b, eb, duty_b, aid


def _move(duty: DutyService, aid: str, start: int, end: int) -> None:
    plan = duty.open_week(week_start(TUE), "st-01")
    cur = plan.roster.get(aid)
    assert cur is not None
    plan.apply(ReplaceAssignment(Assignment(aid, cur.officer_id, cur.post_id, start, end,
                                            cur.locked, cur.note)))


def _both_converged(a: Workspace, b: Workspace) -> list[dict[str, Any]]:
    rows_a = synced_rows(a, "duty_assignments")
    assert rows_a == synced_rows(b, "duty_assignments")
    return rows_a


@pytest.mark.parametrize("keep", ["server", "local"])
def test_assignment_moved_in_two_places_is_a_conflict_a_person_resolves(
        rig: Rig, keep: str) -> None:
    a, ea, duty_a, b, eb, duty_b, aid = _setup(rig)
    # -- offline on both: A moves the shift to the evening peak, B to the day shift --------------
    _move(duty_a, aid, TUE + 17 * H, TUE + 19 * H)
    time.sleep(0.01)
    _move(duty_b, aid, TUE + 9 * H, TUE + 17 * H)
    assert pending_count(a) >= 1 and pending_count(b) >= 1
    # -- reconnect: A first, so B's edit meets a field someone else already changed ------------
    ra = ea.sync_once()
    rb = eb.sync_once()
    assert ra.applied >= 1 and ra.conflicts == 0
    assert rb.conflicts == 1
    [conflict] = open_conflicts(b)
    assert (conflict.entity, conflict.entity_id) == ("duty_assignments", aid)
    assert conflict.local["start"] == TUE + 9 * H and conflict.local["end"] == TUE + 17 * H
    assert conflict.server is not None and conflict.server["start"] == TUE + 17 * H
    assert open_conflicts(a) == []
    # Until a person picks, each desk keeps its own version of the shift (nothing lost silently).
    ea.sync_once()
    assert _assignment_row(a, aid)[:2] == (TUE + 17 * H, TUE + 19 * H)
    assert _assignment_row(b, aid)[:2] == (TUE + 9 * H, TUE + 17 * H)
    # -- a person resolves on B ----------------------------------------------------------------
    resolve_conflict(b, conflict.id, keep, actor="所长乙")
    eb.sync_once()
    ea.sync_once()
    eb.sync_once()
    expected = (TUE + 17 * H, TUE + 19 * H) if keep == "server" else (TUE + 9 * H, TUE + 17 * H)
    assert _assignment_row(a, aid)[:2] == expected
    assert _assignment_row(b, aid)[:2] == expected
    rows = _both_converged(a, b)
    assert [r["id"] for r in rows] == [aid]
    assert open_conflicts(a) == open_conflicts(b) == []
    assert pending_count(a) == pending_count(b) == 0
    # The duty board on each desk sees the resolved shift (a fresh plan reads the workspace).
    for duty in (duty_a, duty_b):
        got = duty.open_week(TUE, "st-01").roster.get(aid)
        assert got is not None and (got.start, got.end) == expected


def test_different_assignments_edited_in_two_places_merge_without_conflict(rig: Rig) -> None:
    a, ea, duty_a, b, eb, duty_b, aid = _setup(rig)
    plan_b = duty_b.open_week(TUE, "st-01")
    other = "da-b-only"
    plan_b.apply(AddAssignment(Assignment(other, "off-0002", "post-002", TUE + 7 * H,
                                          TUE + 9 * H)))
    _move(duty_a, aid, TUE + 17 * H, TUE + 19 * H)
    ea.sync_once()
    assert eb.sync_once().conflicts == 0
    ea.sync_once()
    rows = _both_converged(a, b)
    assert {r["id"] for r in rows} == {aid, other}
    assert _assignment_row(b, aid)[:2] == (TUE + 17 * H, TUE + 19 * H)
