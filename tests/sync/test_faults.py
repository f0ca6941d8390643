"""The push under trouble: the central stops and restarts, answers slowly, answers 500 or 429,
or refuses an op — every op still reaches it exactly once, refused ops wait in the rejected list
and never block the queue."""

from __future__ import annotations

import json
import random
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from desk.store import Workspace
from desk.sync.backoff import Backoff
from desk.sync.engine import SyncEngine
from desk.sync.outbox import pending_count, rejected_ops
from desk.sync.transport import TransportError, parse_retry_after
from tests.sync.conftest import Rig


def queue_cameras(ws: Workspace, n: int, prefix: str = "K") -> None:
    with ws.write("录入员") as tx:
        tx.insert_many("cameras", [
            {"id": f"{prefix}{i:05d}", "name": f"卡口{i}", "road": "中州大道", "lat": 34.7,
             "lon": 113.6, "online": 1} for i in range(n)
        ])
    with ws.write("录入员") as tx:
        for i in range(0, n, 3):
            tx.update("cameras", f"{prefix}{i:05d}", {"name": f"卡口{i}-改"})


def central_changes(db: Path) -> list[tuple[str, str, str]]:
    conn = sqlite3.connect(db)
    try:
        return [tuple(r) for r in conn.execute(  # type: ignore[misc]
            "SELECT entity_id, op, data FROM changes WHERE entity = 'cameras' ORDER BY seq")]
    finally:
        conn.close()


def applied_op_ids(db: Path) -> set[str]:
    conn = sqlite3.connect(db)
    try:
        return {r[0] for r in conn.execute("SELECT op_id FROM applied_ops")}
    finally:
        conn.close()


def outbox_ids(ws: Workspace) -> set[str]:
    return {r[0] for r in ws.db.execute("SELECT op_id FROM sync_outbox")}


def sync_until_done(engine: SyncEngine, deadline_s: float = 60.0) -> int:
    """What the worker does: sync, and on a transport error wait (shortened here) and retry."""
    failures = 0
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        try:
            engine.sync_once()
        except TransportError:
            failures += 1
            time.sleep(0.05)
            continue
        if pending_count(engine.ws) == 0:
            return failures
    raise AssertionError("sync did not finish")


def assert_exactly_once(rig: Rig, ws: Workspace, expected_ops: set[str], n: int) -> None:
    changes = central_changes(Path(rig.proc.db))
    inserts = [c[0] for c in changes if c[1] == "insert"]
    updates = [c[0] for c in changes if c[1] == "update"]
    assert len(inserts) == n and len(set(inserts)) == n
    assert len(updates) == len(range(0, n, 3)) and len(set(updates)) == len(updates)
    assert expected_ops <= applied_op_ids(Path(rig.proc.db))
    assert ws.count("cameras") == n


def test_central_stops_and_restarts_during_push(rig: Rig) -> None:
    ws = rig.workspace("ws-a")
    engine = rig.engine(ws, batch_size=40)
    engine.sync_once()
    queue_cameras(ws, 1500)
    ops = outbox_ids(ws)
    errors: list[BaseException] = []
    token = engine.client.token

    def push() -> None:
        # A worker thread has its own workspace connection, as the app's sync worker does.
        own = Workspace.open(ws.path)
        try:
            rig.engine(own, token, batch_size=40).push()
        except TransportError as exc:
            errors.append(exc)
        finally:
            own.close()

    rig.proc.faults(delay_s=0.02)
    t = threading.Thread(target=push)
    t.start()
    deadline = time.monotonic() + 30
    while pending_count(ws) > 1200 and time.monotonic() < deadline:
        time.sleep(0.02)
    rig.proc.stop()  # mid-push
    t.join(30)
    assert errors, "the push should have lost the central"
    left = pending_count(ws)
    assert 0 < left < len(ops)
    rig.proc.start()
    sync_until_done(engine)
    assert_exactly_once(rig, ws, ops, 1500)


def test_slow_central_and_500s_before_and_after_the_work(rig: Rig) -> None:
    ws = rig.workspace("ws-a")
    engine = rig.engine(ws, batch_size=25)
    engine.sync_once()
    queue_cameras(ws, 400)
    ops = outbox_ids(ws)
    # Half the answers fail: some before the central did anything, some after it committed.
    rig.proc.faults(delay_s=0.05, fail_before=0.25, fail_after=0.25, seed=7)
    failures = sync_until_done(engine, 120)
    rig.proc.faults()
    assert failures > 0
    assert_exactly_once(rig, ws, ops, 400)


def test_429_retry_after_is_honoured(rig: Rig) -> None:
    ws = rig.workspace("ws-a")
    engine = rig.engine(ws)
    engine.sync_once()
    queue_cameras(ws, 5)
    rig.proc.faults(fail_before=1.0, status=429, retry_after=7, paths=["/ops"])
    with pytest.raises(TransportError) as info:
        engine.sync_once()
    assert info.value.status == 429 and info.value.retry_after == 7
    assert engine.backoff.next_delay(info.value.retry_after) >= 7
    assert pending_count(ws) == 5 + 2  # nothing lost, nothing rejected
    row = ws.db.execute("SELECT min(attempts), max(last_error) FROM sync_outbox").fetchone()
    assert row[0] == 1 and "429" in row[1]
    rig.proc.faults()
    engine.sync_once()
    assert pending_count(ws) == 0 and rejected_ops(ws) == []


def test_rejected_ops_are_kept_with_reason_and_do_not_block(rig: Rig) -> None:
    seed = rig.workspace("seed")
    from tests.sync.conftest import seed_city

    seed_city(seed)
    es = rig.engine(seed)
    from desk.sync.engine import DecisionNeeded

    with pytest.raises(DecisionNeeded) as info:
        es.sync_once()
    es.resolve_decision(info.value.decision, "upload")
    es.sync_once()
    chief = rig.workspace("chief-s1")
    ec = rig.engine(chief, rig.token("一中队长", "station_chief", "S1"), batch_size=3)
    ec.sync_once()
    # Too long for the central is too long here: refused at write time, with the same reason,
    # instead of being stored and never syncing.
    with pytest.raises(sqlite3.IntegrityError, match="value_too_long"), chief.write("一中队长") as tx:
        tx.update("units", "U2", {"call_sign": "x" * 20_000})
    assert chief.db["units"].get("U2")["call_sign"] == "铁骑2"
    with chief.write("一中队长") as tx:
        tx.update("units", "U1", {"status": "dispatched"})       # own station: fine
        tx.update("units", "U3", {"status": "dispatched"})       # S2's unit: refused
        tx.update("cameras", "C1", {"name": "改卡口"})           # no station owns it: refused
        tx.update("units", "U2", {"status": "en_route"})         # after the refusals: fine
    # An op already queued over the cap (written before the check existed) is refused before
    # sending, with the central's reason code, and does not block the queue.
    with chief.write("一中队长") as tx:
        tx.update("units", "U2", {"call_sign": "铁骑二"})
    chief.db.execute("UPDATE sync_outbox SET patch = ? WHERE seq = (SELECT max(seq) FROM"
                     " sync_outbox)", [json.dumps({"call_sign": "x" * 20_000})])
    report = ec.sync_once()
    assert report.applied == 2 and report.rejected == 3
    assert pending_count(chief) == 0
    reasons = {(r.entity_id, r.code, r.reason) for r in rejected_ops(chief)}
    assert reasons == {("U3", 403, "other_station"), ("U2", 422, "value_too_long"),
                       ("C1", 403, "no_station_scope")}
    es.sync_once()
    assert seed.db["units"].get("U1")["status"] == "dispatched"
    assert seed.db["units"].get("U2")["status"] == "en_route"
    assert seed.db["units"].get("U3")["status"] == "available"


def test_backoff_grows_with_jitter_and_caps() -> None:
    b = Backoff(base=1.0, cap=8.0, rng=random.Random(1))
    delays = [b.next_delay() for _ in range(8)]
    ceilings = [1, 2, 4, 8, 8, 8, 8, 8]
    for d, c in zip(delays, ceilings, strict=True):
        assert c / 2 <= d <= c
    assert len(set(delays)) == len(delays)  # jittered
    assert b.next_delay(retry_after=30) == 30
    b.reset()
    assert b.next_delay() <= 1.0
    assert parse_retry_after("12") == 12
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0
    assert parse_retry_after("soon") is None


def test_a_batch_refused_whole_is_narrowed_to_the_bad_op(rig: Rig) -> None:
    ws = rig.workspace("ws-a")
    engine = rig.engine(ws, batch_size=50)
    engine.sync_once()
    queue_cameras(ws, 30)
    # An op the central's schema refuses outright (a nested value) makes the whole request 422.
    with ws.write("录入员") as tx:
        tx.update("cameras", "K00004", {"name": "正常修改"})
    ws.db.execute(
        "UPDATE sync_outbox SET patch = ? WHERE seq = (SELECT max(seq) FROM sync_outbox)",
        [json.dumps({"name": {"nested": [1, 2]}})],
    )
    with ws.write("录入员") as tx:
        tx.update("cameras", "K00005", {"name": "后面的修改"})
    report = engine.sync_once()
    assert pending_count(ws) == 0
    [bad] = rejected_ops(ws)
    assert bad.entity_id == "K00004" and bad.code == 422
    assert report.rejected == 1 and report.applied + report.merged == 30 + 10 + 1
