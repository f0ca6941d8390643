"""Every pair of concurrent operations on synced entities, two desks and one real desk-central:
update/update, update/delete, delete/update, state/state and state/field. For each pair the
outcome is either a visible conflict a person resolves, or a documented merge whose overwritten
value stays in the conflict history — never a silent loss. Includes the half-transition case
(accepted on one desk, cancelled on the other) and a desk whose clock runs a day ahead."""

from __future__ import annotations

import itertools
import time
import types
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from desk.domain.accidents import CaseState
from desk.services.accidents import AccidentService
from desk.services.context import AppContext
from desk.store import Workspace
from desk.sync.engine import ClockSkewError, SyncEngine
from desk.sync.hlc import MAX_CLOCK_AHEAD_S
from desk.sync.outbox import (
    conflict_history,
    get_state,
    open_conflicts,
    pending_count,
    rejected_ops,
    resolve_conflict,
    restore_overwritten,
)
from tests.accidents.helpers import OFFICER_SETTINGS, ready_case
from tests.sync.conftest import Rig, synced_rows

_n = itertools.count()


@dataclass
class Pair:
    a: Workspace
    ea: SyncEngine
    b: Workspace
    eb: SyncEngine

    def sync_all(self) -> None:
        for engine in (self.ea, self.eb, self.ea, self.eb):
            engine.sync_once()


def pair(rig: Rig) -> Pair:
    n = next(_n)
    a, b = rig.workspace(f"p{n}-a"), rig.workspace(f"p{n}-b")
    ea, eb = rig.engine(a), rig.engine(b)
    ea.sync_once()
    eb.sync_once()
    return Pair(a, ea, b, eb)


# entity → (a new record, a descriptive field, an operational field or None, value maker)
def _camera(rid: str) -> dict[str, Any]:
    return {"id": rid, "name": "卡口", "road": "金水路", "lat": 34.7, "lon": 113.6, "online": 1}


def _unit(rid: str) -> dict[str, Any]:
    return {"id": rid, "call_sign": f"铁骑{rid}", "kind": "motorcycle", "status": "available",
            "station_id": "S1"}


def _template(rid: str) -> dict[str, Any]:
    return {"id": rid, "name": f"班次{rid}", "start_min": 420, "end_min": 540, "sort": 0}


def _incident(rid: str) -> dict[str, Any]:
    return {"id": rid, "case_id": f"case-{rid}", "lat": 34.7, "lon": 113.6, "place": "花园路",
            "reasons": "有人受伤", "status": "open", "created_at": 1.0, "created_by": "甲",
            "procedure": "general"}


def _leave(rid: str) -> dict[str, Any]:
    return {"id": rid, "officer_id": "off-1", "station_id": "S1", "start": 1_790_000_000,
            "end": 1_790_086_400, "reason": "年休假"}


ENTITIES: dict[str, tuple[Callable[[str], dict[str, Any]], str, str | None]] = {
    "cameras": (_camera, "name", None),
    "units": (_unit, "call_sign", "status"),
    "duty_shift_templates": (_template, "name", None),
    "accident_incidents": (_incident, "place", "status"),
    "duty_unavailability": (_leave, "reason", None),
}
OP_VALUES = {"status": ("dispatched", "on_scene"), "accident_incidents.status": ("closed", "open2")}


def shared_record(p: Pair, entity: str) -> str:
    make, _, _ = ENTITIES[entity]
    rid = f"{entity[:3]}-{next(_n)}"
    with p.a.write("甲") as tx:
        tx.insert(entity, make(rid))
    p.ea.sync_once()
    p.eb.sync_once()
    assert synced_rows(p.b, entity) == synced_rows(p.a, entity)
    return rid


def value(ws: Workspace, entity: str, rid: str, field: str) -> Any:
    return ws.db[entity].get(rid)[field]


def converged(p: Pair, entity: str) -> None:
    assert synced_rows(p.a, entity) == synced_rows(p.b, entity)
    assert pending_count(p.a) == pending_count(p.b) == 0
    assert rejected_ops(p.a) == rejected_ops(p.b) == []


# -- update / update -------------------------------------------------------------------------


@pytest.mark.parametrize("entity", sorted(ENTITIES))
@pytest.mark.parametrize("later_pushes_first", [False, True])
def test_update_update_of_a_descriptive_field_merges_and_keeps_the_loser(
        module_rig: Rig, entity: str, later_pushes_first: bool) -> None:
    p = pair(module_rig)
    rid = shared_record(p, entity)
    _, field, _ = ENTITIES[entity]
    with p.a.write("甲") as tx:
        tx.update(entity, rid, {field: f"甲的值{rid}"})
    time.sleep(0.005)
    with p.b.write("乙") as tx:
        tx.update(entity, rid, {field: f"乙的值{rid}"})  # later on the clock: wins by design
    first, second = (p.eb, p.ea) if later_pushes_first else (p.ea, p.eb)
    first.sync_once()
    report = second.sync_once()
    p.sync_all()
    assert value(p.a, entity, rid, field) == value(p.b, entity, rid, field) == f"乙的值{rid}"
    converged(p, entity)
    # The value that lost is in the conflict history of the desk whose push met the other edit.
    loser_ws = p.a if later_pushes_first else p.b
    assert report.overwritten == 1
    [entry] = [c for c in conflict_history(loser_ws) if c.entity_id == rid]
    assert entry.kind == "merged" and entry.local == {field: f"甲的值{rid}"}
    assert open_conflicts(p.a) == open_conflicts(p.b) == []
    # ...so a person can restore it, and the restore syncs like any edit.
    restore_overwritten(loser_ws, entry.id, actor="丙")
    p.sync_all()
    assert value(p.a, entity, rid, field) == value(p.b, entity, rid, field) == f"甲的值{rid}"


@pytest.mark.parametrize("entity", [e for e, (_, _, op) in ENTITIES.items() if op])
@pytest.mark.parametrize("keep", ["server", "local"])
def test_update_update_of_an_operational_field_is_a_conflict(
        module_rig: Rig, entity: str, keep: str) -> None:
    p = pair(module_rig)
    rid = shared_record(p, entity)
    _, _, field = ENTITIES[entity]
    assert field is not None
    va, vb = OP_VALUES.get(f"{entity}.{field}", OP_VALUES["status"])
    with p.a.write("甲") as tx:
        tx.update(entity, rid, {field: va})
    with p.b.write("乙") as tx:
        tx.update(entity, rid, {field: vb})
    p.ea.sync_once()
    assert p.eb.sync_once().conflicts == 1
    [c] = open_conflicts(p.b)
    assert (c.entity_id, c.local, c.server and c.server[field]) == (rid, {field: vb}, va)
    p.ea.sync_once()
    assert value(p.a, entity, rid, field) == va and value(p.b, entity, rid, field) == vb
    resolve_conflict(p.b, c.id, keep, actor="乙")
    p.sync_all()
    want = va if keep == "server" else vb
    assert value(p.a, entity, rid, field) == value(p.b, entity, rid, field) == want
    converged(p, entity)


def test_update_update_of_different_fields_merges_both(module_rig: Rig) -> None:
    p = pair(module_rig)
    rid = shared_record(p, "units")
    with p.a.write("甲") as tx:
        tx.update("units", rid, {"status": "dispatched"})
    with p.b.write("乙") as tx:
        tx.update("units", rid, {"call_sign": f"新呼号{rid}"})
    p.sync_all()
    for ws in (p.a, p.b):
        row = ws.db["units"].get(rid)
        assert (row["status"], row["call_sign"]) == ("dispatched", f"新呼号{rid}")
    assert conflict_history(p.a) == conflict_history(p.b) == []  # nothing was overwritten
    converged(p, "units")


# -- update / delete and delete / update -----------------------------------------------------


@pytest.mark.parametrize("entity", ["cameras", "units", "duty_unavailability"])
@pytest.mark.parametrize("keep", ["server", "local"])
def test_a_stale_delete_is_a_conflict(module_rig: Rig, entity: str, keep: str) -> None:
    p = pair(module_rig)
    rid = shared_record(p, entity)
    _, field, op_field = ENTITIES[entity]
    change = {op_field: "dispatched"} if op_field == "status" else {field: f"甲改过{rid}"}
    with p.a.write("甲") as tx:
        tx.update(entity, rid, change)
    with p.b.write("乙") as tx:
        tx.delete(entity, rid)
    p.ea.sync_once()
    assert p.eb.sync_once().conflicts == 1
    [c] = open_conflicts(p.b)
    assert c.kind == "delete" and c.server is not None
    assert {k: c.server[k] for k in change} == change
    p.sync_all()  # until resolved: A keeps the newer record, the delete waits on B
    assert p.a.db[entity].get(rid)[next(iter(change))] == next(iter(change.values()))
    resolve_conflict(p.b, c.id, keep, actor="乙")
    p.sync_all()
    if keep == "server":
        assert p.b.db[entity].get(rid)[next(iter(change))] == next(iter(change.values()))
    else:
        assert p.a.db[entity].count_where("id = ?", [rid]) == 0
        assert p.b.db[entity].count_where("id = ?", [rid]) == 0
    converged(p, entity)


@pytest.mark.parametrize("entity", ["cameras", "units", "duty_unavailability"])
@pytest.mark.parametrize("keep", ["server", "local"])
def test_an_edit_of_a_record_deleted_elsewhere_is_a_conflict(
        module_rig: Rig, entity: str, keep: str) -> None:
    p = pair(module_rig)
    rid = shared_record(p, entity)
    _, field, _ = ENTITIES[entity]
    with p.a.write("甲") as tx:
        tx.delete(entity, rid)
    with p.b.write("乙") as tx:
        tx.update(entity, rid, {field: f"乙的修改{rid}"})
    p.ea.sync_once()
    assert p.eb.sync_once().conflicts == 1
    [c] = open_conflicts(p.b)
    assert c.kind == "deleted" and c.local == {field: f"乙的修改{rid}"} and c.server is None
    p.eb.sync_once()
    assert value(p.b, entity, rid, field) == f"乙的修改{rid}"  # the pull does not delete it
    resolve_conflict(p.b, c.id, keep, actor="乙")
    p.sync_all()
    if keep == "local":
        assert value(p.a, entity, rid, field) == value(p.b, entity, rid, field) == f"乙的修改{rid}"
    else:
        assert p.b.db[entity].count_where("id = ?", [rid]) == 0
    converged(p, entity)


# -- state / state and state / field ---------------------------------------------------------


def _accidents(ws: Workspace, actor: str) -> AccidentService:
    return AppContext(workspace=ws, actor=actor, settings=dict(OFFICER_SETTINGS)).service(
        AccidentService)


def _shared_case(p: Pair) -> tuple[str, AccidentService, AccidentService]:
    svc_a, svc_b = _accidents(p.a, "甲"), _accidents(p.b, "乙")
    cid = ready_case(svc_a, key=f"case-{next(_n)}")
    p.ea.sync_once()
    p.eb.sync_once()
    assert svc_b.get(cid).state is CaseState.REPORTED
    return cid, svc_a, svc_b


def _log(svc: AccidentService, cid: str) -> list[str]:
    return [r.state.value for r in svc.state_log(cid)]


@pytest.mark.parametrize("keep", ["server", "local"])
def test_state_state_is_one_conflict_and_never_half_transitions(module_rig: Rig, keep: str) -> None:
    p = pair(module_rig)
    cid, svc_a, svc_b = _shared_case(p)
    svc_a.accept(cid)
    svc_b.cancel(cid, "重复报警")
    p.ea.sync_once()
    report = p.eb.sync_once()
    assert report.conflicts == 1 and report.held == 1  # the state-log row waits with it
    [c] = open_conflicts(p.b)
    assert c.kind == "unit" and c.local["state"] == "cancelled" and c.local["closed_at"]
    assert [(h["entity"], h["patch"]["state"]) for h in c.held] == [
        ("accident_state_log", "cancelled")]
    p.ea.sync_once()
    # Nothing of B's move reached the central or A: accepted, not closed, no 'cancelled' row.
    case_a = svc_a.get(cid)
    assert case_a.state is CaseState.ACCEPTED and case_a.closed_at is None
    assert _log(svc_a, cid) == ["reported", "accepted"]
    resolve_conflict(p.b, c.id, keep, actor="乙")
    p.sync_all()
    for svc in (svc_a, svc_b):
        case = svc.get(cid)
        if keep == "server":
            assert case.state is CaseState.ACCEPTED and case.closed_at is None
            assert _log(svc, cid) == ["reported", "accepted"]
        else:
            assert case.state is CaseState.CANCELLED and case.closed_at is not None
            assert _log(svc, cid) == ["reported", "accepted", "cancelled"]
        assert _log(svc, cid)[-1] == case.state.value  # the log ends where the case is
    for table in ("accident_cases", "accident_state_log"):
        converged(p, table)


@pytest.mark.parametrize("state_first", [True, False])
def test_state_and_a_field_edit_merge(module_rig: Rig, state_first: bool) -> None:
    p = pair(module_rig)
    cid, svc_a, svc_b = _shared_case(p)
    svc_a.accept(cid)
    case_b = svc_b.get(cid)
    case_b.narrative = "乙补充：前车急刹。"
    svc_b.save_draft(case_b)
    first, second = (p.ea, p.eb) if state_first else (p.eb, p.ea)
    first.sync_once()
    assert second.sync_once().conflicts == 0
    p.sync_all()
    for svc in (svc_a, svc_b):
        case = svc.get(cid)
        assert case.state is CaseState.ACCEPTED and case.narrative == "乙补充：前车急刹。"
        assert _log(svc, cid) == ["reported", "accepted"]
    assert open_conflicts(p.a) == open_conflicts(p.b) == []
    converged(p, "accident_cases")


# -- a clock a day ahead ---------------------------------------------------------------------


def test_a_desk_a_day_ahead_is_refused_and_cannot_win_or_lift_the_floor(
        module_rig: Rig, monkeypatch: pytest.MonkeyPatch) -> None:
    p = pair(module_rig)
    rid = shared_record(p, "cameras")
    day = 86_400.0
    fast = types.SimpleNamespace(time=lambda: time.time() + day)
    monkeypatch.setattr("desk.store.writes.time", fast)
    monkeypatch.setattr("desk.sync.transport.time", fast)
    with p.a.write("甲") as tx:  # made now, stamped tomorrow
        tx.update("cameras", rid, {"name": "快钟的早修改"})
    with pytest.raises(ClockSkewError) as info:
        p.ea.sync_once()
    assert "本机时钟比中心快" in str(info.value)
    status = p.ea.status()
    assert status.clock_skew_s is not None and status.clock_skew_s > day - 60
    assert pending_count(p.a) == 1  # kept, not sent
    # The central itself refuses a stamp that far ahead, with its reason.
    stamp = f"{int((time.time() + day) * 1000):013d}.0000000001.fast"
    r = httpx.post(module_rig.url + "/ops", headers={"Authorization": f"Bearer {module_rig.admin}"},
                   json={"ns": "live", "origin": "fast", "ops": [{
                       "op_id": f"fast-{rid}", "entity": "cameras", "entity_id": rid,
                       "op": "update", "patch": {"name": "x"}, "base_rev": 99, "hlc": stamp}]})
    assert r.json()["results"][0]["reason"] == "clock_ahead"
    monkeypatch.undo()  # A's clock is set right
    time.sleep(0.005)
    with p.b.write("乙") as tx:  # a later edit on a correct clock
        tx.update("cameras", rid, {"name": "正确时钟的后修改"})
    p.eb.sync_once()
    p.ea.sync_once()
    p.sync_all()
    # The later edit wins; the early one is in A's history, not silently gone.
    assert value(p.a, "cameras", rid, "name") == value(p.b, "cameras", rid, "name") == "正确时钟的后修改"
    assert [c.local for c in conflict_history(p.a) if c.entity_id == rid] == [{"name": "快钟的早修改"}]
    assert abs(p.ea.status().clock_skew_s or 0.0) < 5
    for ws in (p.a, p.b):
        floor = int(get_state(ws, "hlc_floor", "0") or 0)
        assert floor <= (time.time() + MAX_CLOCK_AHEAD_S) * 1000
