"""The ``CentralStore`` contract, run on SQLite and on PostgreSQL alike so neither can drift.

Every test gets a fresh store of each backend (a new SQLite file; a new PostgreSQL database
from a PostGIS template on the session's server) and drives it through the interface only.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from typing import Any

import pytest

from desk.central.auth import authorize_op
from desk.central.storage import CentralStore, OpIn, Principal
from desk.domain.telemetry import SensorReading, UnitFix

ADMIN = Principal(user_id=1, name="管理员", role="admin", station_id=None, workstation="ws-admin")
DISPATCHER = Principal(user_id=2, name="调度员甲", role="dispatcher", station_id=None,
                       workstation="ws-01")
CHIEF_S1 = Principal(user_id=3, name="一中队长", role="station_chief", station_id="S1",
                     workstation="ws-s1")
TRAINER = Principal(user_id=4, name="培训员", role="trainer", station_id=None, workstation="ws-t")

_n = 0


def hlc(ms: int, node: str = "a") -> str:
    return f"{ms:013d}.{0:010d}.{node}"


def op(entity: str, eid: str, kind: str = "insert", patch: dict[str, Any] | None = None,
       base_rev: int = 0, stamp: int = 1, op_id: str | None = None) -> OpIn:
    global _n
    _n += 1
    return OpIn(op_id or f"op-{_n}-{time.monotonic_ns()}", entity, eid, kind, patch, base_rev,
                hlc(stamp))


def allow(*_: Any) -> None:
    return None


def unit(eid: str, station: str = "S1", **extra: Any) -> dict[str, Any]:
    return {"call_sign": f"巡逻{eid}", "kind": "patrol", "station_id": station, "status": "idle",
            **extra}


def feed(store: CentralStore, ns: str = "live", since: int = 0) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    while True:
        rows, last, head = store.changes(ns, since, 2)
        out += [json.loads(r) for r in rows]
        if last >= head or not rows:
            return out
        since = last


# -- ops, idempotency, revisions -------------------------------------------------------------


def test_insert_then_replay_is_idempotent(store: CentralStore) -> None:
    first = op("units", "U1", patch=unit("U1"))
    [res] = store.apply_ops("live", "ws-a", [first], DISPATCHER, authorize_op)
    assert (res.status, res.code, res.rev) == ("applied", 200, 1)
    assert res.seq is not None and res.seq > 0
    [again] = store.apply_ops("live", "ws-a", [first], DISPATCHER, authorize_op)
    assert again.replayed and again.status == "applied" and again.seq == res.seq
    assert [c["entity_id"] for c in feed(store)] == ["U1"]
    assert store.records("live", "units", ["U1", "nope"]) == {
        "U1": ({**unit("U1"), "id": "U1"}, 1)}
    assert store.counts("live") == {"units": 1}


def test_stale_base_merges_descriptive_and_conflicts_on_operational(store: CentralStore) -> None:
    store.apply_ops("live", "ws-a", [op("units", "U1", patch=unit("U1"), stamp=1)], DISPATCHER, allow)
    # Workstation B changes both kinds of field on rev 1.
    [b] = store.apply_ops("live", "ws-b", [op("units", "U1", "update",
                                               {"status": "busy", "call_sign": "B"}, 1, 5)],
                          DISPATCHER, allow)
    assert (b.status, b.rev) == ("applied", 2)
    # A, still on rev 1, changes the same fields with a later stamp: descriptive wins by HLC,
    # the operational status is a conflict for a person (409) with the server's record.
    [a] = store.apply_ops("live", "ws-a", [op("units", "U1", "update",
                                               {"status": "off", "call_sign": "A"}, 1, 9)],
                          DISPATCHER, allow)
    assert (a.status, a.code, a.conflict_fields, a.reason) == ("conflict", 409, ["status"],
                                                               "conflict")
    assert a.record is not None and a.record["status"] == "busy" and a.record["call_sign"] == "A"
    assert a.rev == 3
    # An older stamp on a stale base loses the descriptive field another node set since: merged,
    # nothing changes; a field nobody touched since the base is taken (kind).
    [old] = store.apply_ops("live", "ws-c", [op("units", "U1", "update",
                                                 {"call_sign": "C", "kind": "moto"}, 1, 0)],
                            DISPATCHER, allow)
    assert (old.status, old.code, old.rev) == ("merged", 200, 4)
    assert old.record is not None and old.record["call_sign"] == "A"
    data, rev = store.records("live", "units", ["U1"])["U1"]
    assert (data["status"], data["call_sign"], data["kind"], rev) == ("busy", "A", "moto", 4)


def test_delete_404_deleted_conflict_and_reinsert(store: CentralStore) -> None:
    [missing] = store.apply_ops("live", "w", [op("units", "X", "update", {"status": "busy"})],
                                DISPATCHER, allow)
    assert (missing.code, missing.reason) == (404, "not_found")
    store.apply_ops("live", "w", [op("units", "U1", patch=unit("U1"))], DISPATCHER, allow)
    [gone] = store.apply_ops("live", "w", [op("units", "U1", "delete", base_rev=1)], DISPATCHER, allow)
    assert (gone.status, gone.rev) == ("applied", 2)
    [late] = store.apply_ops("live", "w", [op("units", "U1", "update", {"status": "busy"}, 2)],
                             DISPATCHER, allow)
    # Deleted elsewhere while edited: a conflict for a person, with the fields the edit carried.
    assert (late.status, late.code, late.reason, late.conflict_fields) == (
        "conflict", 409, "deleted", ["status"])
    [back] = store.apply_ops("live", "w", [op("units", "U1", patch=unit("U1"))], DISPATCHER, allow)
    assert (back.status, back.rev) == ("applied", 3)
    assert [(c["op"], c["rev"]) for c in feed(store)] == [("insert", 1), ("delete", 2),
                                                           ("insert", 3)]
    assert store.counts("live") == {"units": 1}


def test_bad_ops_are_rejected_one_by_one(store: CentralStore) -> None:
    ops = [op("nonsense", "1", patch={"a": 1}), op("units", "U1", patch={"Bad-Name": 1}),
           op("units", "U2", patch={"id": "other"}), op("units", "U3", patch=unit("U3"))]
    res = store.apply_ops("live", "w", ops, DISPATCHER, allow)
    assert [(r.code, r.reason) for r in res] == [(422, "unknown_entity"), (422, "bad_field_name"),
                                                 (422, "id_mismatch"), (200, None)]
    assert store.counts("live") == {"units": 1}


def test_station_scope_and_namespaces(store: CentralStore) -> None:
    res = store.apply_ops("live", "w", [op("units", "A", patch=unit("A", "S1")),
                                        op("units", "B", patch=unit("B", "S2"))],
                          CHIEF_S1, authorize_op)
    assert [(r.code, r.reason) for r in res] == [(200, None), (403, "other_station")]
    [moved] = store.apply_ops("live", "w", [op("units", "A", "update", {"station_id": "S2"}, 1)],
                              CHIEF_S1, authorize_op)
    assert (moved.code, moved.reason) == (403, "other_station")
    [trainer] = store.apply_ops("live", "w", [op("units", "C", patch=unit("C"))], TRAINER,
                                authorize_op)
    assert (trainer.code, trainer.reason) == (403, "trainer_live_write")
    [drill] = store.apply_ops("drill", "w", [op("units", "C", patch=unit("C"))], TRAINER,
                              authorize_op)
    assert drill.code == 200
    assert store.counts("live") == {"units": 1} and store.counts("drill") == {"units": 1}
    assert [c["entity_id"] for c in feed(store, "drill")] == ["C"]
    denied = [r for r in store.audit_rows(50) if r["outcome"] == "denied"]
    assert {r["target"] for r in denied} == {"live/units/B", "live/units/A", "live/units/C"}


def test_audit_is_written_with_the_batch_and_rolled_back_with_it(store: CentralStore) -> None:
    store.apply_ops("live", "w", [op("units", "U1", patch=unit("U1"))], DISPATCHER, allow)
    rows = store.audit_rows(10)
    assert [(r["user"], r["workstation"], r["action"], r["target"], r["outcome"]) for r in rows] == [
        ("调度员甲", "ws-01", "op.insert", "live/units/U1", "applied")]
    assert json.loads(rows[0]["detail"])["patch"]["call_sign"] == "巡逻U1"

    calls = 0

    def explode(*_: Any) -> None:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise RuntimeError("storage failed mid-batch")

    batch = [op("units", "U2", patch=unit("U2")), op("units", "U3", patch=unit("U3"))]
    with pytest.raises(RuntimeError):
        store.apply_ops("live", "w", batch, DISPATCHER, explode)
    # Nothing of the failed batch is left: no record, no change row, no audit, no op result.
    assert store.counts("live") == {"units": 1}
    assert len(feed(store)) == 1
    assert len(store.audit_rows(10)) == 1
    [retried] = store.apply_ops("live", "w", batch[:1], DISPATCHER, allow)
    assert not retried.replayed and retried.status == "applied"
    store.audit(ADMIN, "epoch.rotate", "x", "applied", {"why": "测试"})
    newest = store.audit_rows(1)[0]
    assert (newest["action"], newest["user"]) == ("epoch.rotate", "管理员")
    older = store.audit_rows(10, before_id=int(newest["id"]))
    assert all(int(r["id"]) < int(newest["id"]) for r in older) and len(older) == 2


def test_change_feed_pages_and_epoch(store: CentralStore) -> None:
    epoch = store.epoch()
    assert epoch and store.epoch() == epoch
    store.apply_ops("live", "w", [op("units", f"U{i}", patch=unit(f"U{i}")) for i in range(5)],
                    DISPATCHER, allow)
    rows, last, head = store.changes("live", 0, 3)
    seqs = [json.loads(r)["seq"] for r in rows]
    assert len(seqs) == 3 and seqs == sorted(seqs) and last == seqs[-1] and head > last
    rest, last2, head2 = store.changes("live", last, 100)
    assert len(rest) == 2 and last2 == head2 == head
    assert store.changes("live", head, 10) == ([], head, head)
    change = json.loads(rest[-1])
    assert set(change) == {"seq", "entity", "entity_id", "op", "rev", "hlc", "at", "data"}
    assert change["data"]["call_sign"] == "巡逻U4"
    new = store.rotate_epoch()
    assert new != epoch and store.epoch() == new


def test_find_records_and_bulk_load(store: CentralStore) -> None:
    n = store.bulk_load("live", "units", [{"id": f"B{i}", **unit(f"B{i}", f"S{i % 2}")}
                                          for i in range(10)])
    assert n == 10 and store.counts("live") == {"units": 10}
    found = store.find_records("live", "units", "station_id", ["S1"], 100, also={"kind": "patrol"})
    assert sorted(d["id"] for d, _ in found) == [f"B{i}" for i in (1, 3, 5, 7, 9)]
    assert store.find_records("live", "units", "station_id", ["S1"], 2) != []
    assert len(store.find_records("live", "units", "station_id", ["S1"], 2)) == 2
    assert store.find_records("live", "units", "bad-field", ["S1"], 2) == []
    assert len(feed(store)) == 10


def test_users_tokens(store: CentralStore) -> None:
    token = store.add_user("张三", "dispatcher", None, "ws-01")
    who = store.principal_for_token(token)
    assert who is not None and (who.name, who.role, who.workstation) == ("张三", "dispatcher", "ws-01")
    assert store.principal_for_token("nope") is None
    with pytest.raises(ValueError):
        store.add_user("x", "station_chief", None, "")
    with pytest.raises(ValueError):
        store.add_user("x", "pope", None, "")
    assert [u["name"] for u in store.users()] == ["张三"]


# -- telemetry ---------------------------------------------------------------------------------


def test_telemetry_ingest(store: CentralStore) -> None:
    now = time.time()
    store.apply_ops("live", "w", [op("units", "U1", patch=unit("U1", device_id="dev-1")),
                                  op("water_points", "W1", patch={"name": "京广路隧道"})],
                    DISPATCHER, allow)
    assert store.unit_for_device("dev-1") == "U1"
    assert store.unit_for_device("dev-2") is None
    fixes = [UnitFix("U1", 34.75, 113.62, now - 20, 90.0, 30.0, 5.0),
             UnitFix("U1", 34.76, 113.63, now - 10, 90.0, 30.0, 5.0),
             UnitFix("U1", 34.70, 113.60, now - 30, None, None, None),  # late, older than last
             UnitFix("ghost", 34.7, 113.6, now, None, None, None),
             UnitFix("U1", 95.0, 113.6, now, None, None, None)]
    readings = [SensorReading("W1", now - 5, 12.0, 3.5), SensorReading("W9", now, 1.0, None)]
    result = store.ingest(fixes, readings, now)
    assert (result.stored_fixes, result.stored_readings) == (3, 1)
    assert result.rejected == Counter({"unknown_device": 1, "unknown_point": 1,
                                       "out_of_range": 1})
    assert [f.at for f in result.accepted_fixes] == [now - 20, now - 10, now - 30]
    store.count_rejects(Counter({"missing_id": 2}))
    stats = store.telemetry_stats()
    assert (stats["positions"], stats["readings"]) == (3, 1)
    assert stats["rejected"]["missing_id"] == 2 and stats["rejected"]["unknown_device"] == 1
    # A unit created after the first batch is known to the next one.
    store.apply_ops("live", "w", [op("units", "U2", patch=unit("U2"))], DISPATCHER, allow)
    assert store.ingest([UnitFix("U2", 34.7, 113.6, now, None, None, None)], [], now).stored_fixes == 1
