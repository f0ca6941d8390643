"""Two workstations edit offline, reconnect and converge: descriptive fields merge by HLC,
operational fields go to the conflict list, deletes travel as tombstones, and desk asks before
anything could wipe a workspace."""

from __future__ import annotations

import time

import pytest

from desk.sync.engine import DecisionNeeded
from desk.sync.outbox import (
    disable_outbox,
    open_conflicts,
    pending_count,
    rejected_ops,
    resolve_conflict,
)
from tests.sync.conftest import Rig, seed_city, synced_rows


def test_first_contact_with_data_asks_and_upload_seeds_the_central(rig: Rig) -> None:
    a = rig.workspace("ws-a", enable=False)
    seed_city(a)  # written before sync was enabled: no outbox ops for these
    from desk.sync.outbox import install_outbox

    install_outbox(a)
    ea = rig.engine(a)
    with pytest.raises(DecisionNeeded) as info:
        ea.sync_once()
    decision = info.value.decision
    assert decision.kind == "first_contact" and decision.server_empty
    assert decision.local_counts["cameras"] == 20
    assert a.count("cameras") == 20  # nothing wiped while asking
    ea.resolve_decision(decision, "upload")
    report = ea.sync_once()
    assert report.count_mismatches == {}
    assert pending_count(a) == 0
    counts = ea.client.get_counts("live")["counts"]
    assert counts == {"stations": 2, "units": 4, "cameras": 20}


def converge_setup(rig: Rig):  # type: ignore[no-untyped-def]
    a = rig.workspace("ws-a")
    seed_city(a)
    ea = rig.engine(a)
    with pytest.raises(DecisionNeeded) as info:
        ea.sync_once()
    ea.resolve_decision(info.value.decision, "upload")
    ea.sync_once()
    b = rig.workspace("ws-b")
    eb = rig.engine(b)
    eb.sync_once()  # an empty workspace takes the central's data without asking
    assert b.count("cameras") == 20 and b.count("units") == 4
    return a, ea, b, eb


def test_two_workstations_edit_offline_and_converge(rig: Rig) -> None:
    a, ea, b, eb = converge_setup(rig)
    # -- offline on both -----------------------------------------------------------------------
    with a.write("调度员甲") as tx:
        tx.update("units", "U1", {"call_sign": "铁骑一号(A)", "status": "dispatched"})
        tx.update("stations", "S1", {"name": "金水一中队(A)"})
        tx.insert("cameras", {"id": "C-A", "name": "A新增卡口", "road": "花园路", "lat": 34.8,
                              "lon": 113.7, "online": 1})
        tx.delete("cameras", "C1")
    time.sleep(0.01)  # B's edits are later on the clock
    with b.write("调度员乙") as tx:
        tx.update("units", "U1", {"call_sign": "铁骑一号(B)", "status": "on_scene"})
        tx.update("units", "U3", {"status": "en_route"})
        tx.update("cameras", "C2", {"name": "卡口2(B改)"})
        tx.insert("cameras", {"id": "C-B", "name": "B新增卡口", "road": "农业路", "lat": 34.8,
                              "lon": 113.71, "online": 0})
    # -- reconnect -----------------------------------------------------------------------------
    ra = ea.sync_once()
    rb = eb.sync_once()
    ra2 = ea.sync_once()
    assert ra.applied == 4 and rb.conflicts == 1 and ra2.pulled >= 3
    # B's conflict: the unit's status (operational) changed on both sides.
    conflicts = open_conflicts(b)
    assert [(c.entity, c.entity_id, c.local) for c in conflicts] == [
        ("units", "U1", {"status": "on_scene"})]
    assert conflicts[0].server is not None and conflicts[0].server["status"] == "dispatched"
    # Descriptive fields merged by HLC: B's later call sign wins on both.
    for ws in (a, b):
        u1 = ws.db["units"].get("U1")
        assert u1["call_sign"] == "铁骑一号(B)"
        assert ws.db["units"].get("U3")["status"] == "en_route"
        assert ws.db["stations"].get("S1")["name"] == "金水一中队(A)"
        assert ws.db["cameras"].get("C2")["name"] == "卡口2(B改)"
        ids = {r["id"] for r in ws.db["cameras"].rows}
        assert "C1" not in ids and {"C-A", "C-B"} <= ids  # the delete travelled as a tombstone
    # Until a person picks, each side keeps its own status for U1.
    assert a.db["units"].get("U1")["status"] == "dispatched"
    assert b.db["units"].get("U1")["status"] == "on_scene"
    resolve_conflict(b, conflicts[0].id, "server")
    eb.sync_once()
    ea.sync_once()
    for table in ("stations", "units", "cameras"):
        assert synced_rows(a, table, ("online",)) == synced_rows(b, table, ("online",)), table
    assert open_conflicts(b) == [] and pending_count(a) == pending_count(b) == 0


def test_conflict_resolved_keeping_local_value_reaches_everyone(rig: Rig) -> None:
    a, ea, b, eb = converge_setup(rig)
    with a.write("甲") as tx:
        tx.update("units", "U2", {"status": "dispatched"})
    with b.write("乙") as tx:
        tx.update("units", "U2", {"status": "offline"})
    ea.sync_once()
    assert eb.sync_once().conflicts == 1
    [c] = open_conflicts(b)
    resolve_conflict(b, c.id, "local")
    assert eb.sync_once().applied == 1
    ea.sync_once()
    assert a.db["units"].get("U2")["status"] == b.db["units"].get("U2")["status"] == "offline"


def test_epoch_change_asks_and_never_wipes(rig: Rig) -> None:
    _a, ea, b, eb = converge_setup(rig)
    with b.write("乙") as tx:
        tx.update("cameras", "C5", {"name": "新纪元前的修改"})
    import httpx

    httpx.post(rig.url + "/admin/epoch", headers={"Authorization": f"Bearer {rig.admin}"})
    with pytest.raises(DecisionNeeded) as info:
        eb.sync_once()
    assert info.value.decision.kind == "epoch_changed"
    assert b.count("cameras") == 20 and pending_count(b) == 1  # nothing wiped, nothing sent
    eb.resolve_decision(info.value.decision, "upload")
    assert eb.sync_once().count_mismatches == {}
    with pytest.raises(DecisionNeeded):
        ea.sync_once()  # A is asked too


def test_download_choice_keeps_unsent_ops_visible(rig: Rig) -> None:
    _a, _ea, b, eb = converge_setup(rig)
    with b.write("乙") as tx:
        tx.insert("cameras", {"id": "C-lost", "name": "未发送", "road": "x", "lat": 34.0,
                              "lon": 113.0, "online": 1})
    import httpx

    httpx.post(rig.url + "/admin/epoch", headers={"Authorization": f"Bearer {rig.admin}"})
    with pytest.raises(DecisionNeeded) as info:
        eb.sync_once()
    eb.resolve_decision(info.value.decision, "download")
    assert [r.entity_id for r in rejected_ops(b)] == ["C-lost"]
    eb.sync_once()
    assert b.count("cameras") == 20 and b.db["cameras"].get("C5")["name"] == "卡口5"


def test_count_mismatch_is_reported(rig: Rig) -> None:
    _a, _ea, b, eb = converge_setup(rig)
    disable_outbox(b)
    with b.write("离线导入") as tx:
        tx.insert("cameras", {"id": "C-local", "name": "仅本地", "road": "x", "lat": 34.0,
                              "lon": 113.0, "online": 1})
    report = eb.sync_once()
    assert report.count_mismatches == {"cameras": (21, 20)}


def test_record_breaking_a_local_rule_is_reported_not_retried_forever(rig: Rig) -> None:
    a, ea, b, eb = converge_setup(rig)
    # Both create a unit with the same call sign (unique locally) but different ids.
    with a.write("甲") as tx:
        tx.insert("units", {"id": "U-a", "call_sign": "铁骑99", "kind": "motorcycle",
                            "status": "available", "station_id": "S1"})
    with b.write("乙") as tx:
        tx.insert("units", {"id": "U-b", "call_sign": "铁骑99", "kind": "motorcycle",
                            "status": "available", "station_id": "S1"})
        tx.update("cameras", "C7", {"name": "同一页里的其他修改"})
    ea.sync_once()
    eb.sync_once()
    report = ea.sync_once()
    assert ea.apply_failures == [("units", "U-b")]
    assert a.db["cameras"].get("C7")["name"] == "同一页里的其他修改"  # the rest went in
    assert report.count_mismatches == {"units": (5, 6)}
    assert ea.sync_once().pulled == 0  # the cursor moved on: no endless retry


def test_drill_copy_starts_over_in_the_drill_namespace(rig: Rig) -> None:
    import shutil

    from desk.store import Workspace
    from desk.sync.outbox import node_id

    a, ea, _b, _eb = converge_setup(rig)
    with a.write("甲") as tx:
        tx.update("cameras", "C9", {"name": "尚未发送"})
    a.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copyfile(a.path, rig.tmp / "drill.sqlite")
    drill = Workspace.open(rig.tmp / "drill.sqlite")
    try:
        ed = rig.engine(drill, rig.token("培训员", "trainer"), ns="drill")
        assert pending_count(drill) == 0 and node_id(drill) != node_id(a)
        with pytest.raises(DecisionNeeded) as info:
            ed.sync_once()  # the drill namespace is empty; the copy has data: ask
        ed.resolve_decision(info.value.decision, "upload")
        ed.sync_once()
        assert ed.client.get_counts("drill")["counts"]["cameras"] == 20
    finally:
        drill.close()
    assert pending_count(a) == 1  # the live workspace still sends its own edit
    ea.sync_once()
    assert ea.client.get_counts("live")["counts"]["cameras"] == 20
