"""PostgreSQL-only behaviour: two nodes' stores writing one database at once, schema versions,
daily telemetry partitions, retention and op-result pruning."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import psycopg
import pytest

from desk.central.pg.migrate import SchemaError, latest_version, upgrade
from desk.central.pg.store import DAY_S, PostgresCentralStore, Retention, StoreUnavailable, day_of
from desk.central.pg.testing import PostgresServer
from desk.central.storage import OpIn, Principal
from desk.domain.telemetry import UnitFix

WHO = Principal(user_id=1, name="调度员", role="dispatcher", station_id=None, workstation="ws")


def allow(*_: Any) -> None:
    return None


def test_two_nodes_write_at_once_and_the_feed_misses_nothing(pg_server: PostgresServer) -> None:
    url = pg_server.create_database()
    a, b = PostgresCentralStore(url, pool_size=4), PostgresCentralStore(url, pool_size=4)
    seen: list[int] = []
    stop = threading.Event()

    def reader() -> None:
        # A desk pulling the feed while both nodes commit: its cursor must never pass a row
        # that commits later.
        since = 0
        while True:
            done = stop.is_set()
            rows, since, _ = a.changes("live", since, 50)
            seen.extend(json.loads(r)["seq"] for r in rows)
            if done and not rows:
                return

    def writer(store: PostgresCentralStore, node: str) -> None:
        for i in range(60):
            ops = [OpIn(f"{node}-{i}-{j}", "units", f"{node}{i}-{j}", "insert",
                        {"call_sign": f"{node}{i}", "status": "idle"}, 0, f"{i:013d}.0.{node}")
                   for j in range(2)]
            # Every op is sent twice (a retry after a lost answer), once through each node.
            store.apply_ops("live", node, ops, WHO, allow)
            (b if store is a else a).apply_ops("live", node, ops, WHO, allow)

    r = threading.Thread(target=reader)
    r.start()
    writers = [threading.Thread(target=writer, args=(s, n)) for s, n in ((a, "a"), (b, "b"))]
    for t in writers:
        t.start()
    for t in writers:
        t.join()
    stop.set()
    r.join(timeout=30)
    _, _, head = a.changes("live", 0, 1)
    all_rows, _, _ = a.changes("live", 0, 10_000)
    assert len(all_rows) == 240  # 2 nodes x 60 batches x 2 ops, each applied exactly once
    assert sorted(seen) == seen and len(set(seen)) == len(seen) == 240 and seen[-1] == head
    assert a.counts("live") == {"units": 240}
    a.close()
    b.close()


def test_schema_is_versioned_and_a_newer_one_refused(pg_server: PostgresServer) -> None:
    url = pg_server.create_database()
    assert upgrade(url) == (0, latest_version())
    assert upgrade(url) == (latest_version(), latest_version())  # nothing to do twice
    with psycopg.connect(url, autocommit=True) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM schema_version ORDER BY version")]
        assert names == ["core", "telemetry"][:latest_version()]
        conn.execute("INSERT INTO schema_version VALUES (%s, 'from_the_future', 0)",
                     [latest_version() + 1])
    with pytest.raises(SchemaError, match="更新"):
        PostgresCentralStore(url)
    with pytest.raises(SchemaError, match="拒绝降级"):
        upgrade(url)


def test_an_older_schema_needs_db_upgrade(pg_server: PostgresServer) -> None:
    url = pg_server.create_database()
    upgrade(url)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DELETE FROM schema_version WHERE version = %s", [latest_version()])
    with pytest.raises(SchemaError, match="db upgrade"):
        PostgresCentralStore(url)


def test_unreachable_database_is_a_clear_error(pg_server: PostgresServer) -> None:
    with pytest.raises(StoreUnavailable, match="无法连接数据库"):
        PostgresCentralStore(pg_server.url("no_such_db"), connect_timeout=3)


def test_daily_partitions_retention_and_op_pruning(pg_server: PostgresServer) -> None:
    url = pg_server.create_database()
    store = PostgresCentralStore(url)
    now = time.time()
    store.apply_ops("live", "w", [OpIn("old-op", "units", "U1", "insert", {"status": "idle"}, 0,
                                       "1.0.w")], WHO, allow)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("UPDATE applied_ops SET at = %s", [now - 40 * DAY_S])
    # Fixes of three days (screening allows a week-old buffer).
    fixes = [UnitFix("U1", 34.7, 113.6, now - d * DAY_S, None, None, None) for d in (0, 2, 5)]
    assert store.ingest(fixes, [], now).stored_fixes == 3
    days = store.partitions("positions")
    assert days == sorted({day_of(f.at) for f in fixes})
    with psycopg.connect(url) as conn:
        plan = "\n".join(r[0] for r in conn.execute(
            "EXPLAIN SELECT * FROM positions WHERE at >= %s", [now - 60]))
    assert "_d" + str(day_of(now)) in plan and "_d" + str(day_of(now - 5 * DAY_S)) not in plan
    pruned = store.prune(now, Retention(telemetry_days=3, op_results_days=30))
    assert pruned == {"positions": 1, "readings": 0, "op_results": 1}
    assert store.partitions("positions") == days[1:]
    assert store.telemetry_stats()["positions"] == 2
    # The pruned op's result is gone: a replay is applied again (documented; keep results long).
    [again] = store.apply_ops("live", "w", [OpIn("old-op", "units", "U1", "insert",
                                                 {"status": "idle"}, 0, "1.0.w")], WHO, allow)
    assert not again.replayed
    # Ingest after a partition was dropped elsewhere re-creates it.
    assert store.ingest([UnitFix("U1", 34.7, 113.6, now, None, None, None)], [], now).stored_fixes == 1
    store.close()
