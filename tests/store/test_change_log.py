"""Every write through the workspace records a change-log row in the same transaction."""

from __future__ import annotations

import json

import pytest

from desk.store import ChangeSet, Workspace


def test_insert_update_delete_each_log_one_row(workspace: Workspace) -> None:
    with workspace.write("调度员张三") as tx:
        tx.insert("stations", {"id": "S1", "name": "金水大队", "kind": "brigade"})
    with workspace.write("调度员张三") as tx:
        tx.update("stations", "S1", {"name": "金水交警大队"})
    with workspace.write("调度员李四") as tx:
        tx.delete("stations", "S1")
    rows = list(workspace.db.query("SELECT * FROM change_log ORDER BY seq"))
    assert [(r["entity"], r["entity_id"], r["op"]) for r in rows] == [
        ("stations", "S1", "insert"), ("stations", "S1", "update"), ("stations", "S1", "delete")]
    assert json.loads(rows[1]["patch"]) == {"name": "金水交警大队"}
    assert rows[2]["patch"] is None  # a tombstone
    assert [r["actor"] for r in rows] == ["调度员张三", "调度员张三", "调度员李四"]
    assert rows[0]["seq"] < rows[1]["seq"] < rows[2]["seq"]


def test_failed_transaction_leaves_neither_data_nor_log(workspace: Workspace) -> None:
    with pytest.raises(RuntimeError), workspace.write("x") as tx:
        tx.insert("stations", {"id": "S1", "name": "金水大队", "kind": "brigade"})
        raise RuntimeError("power cut")
    assert workspace.count("stations") == 0
    assert workspace.count("change_log") == 0


def test_update_of_missing_record_is_refused(workspace: Workspace) -> None:
    with pytest.raises(KeyError), workspace.write("x") as tx:
        tx.update("stations", "nope", {"name": "x"})
    assert workspace.count("change_log") == 0


def test_bus_announces_after_commit_only(workspace: Workspace) -> None:
    seen: list[ChangeSet] = []
    workspace.bus.subscribe(seen.append)
    with workspace.write("x") as tx:
        tx.insert_many("cameras", [
            {"id": "C1", "name": "a", "lat": 34.7, "lon": 113.6, "online": 1},
            {"id": "C2", "name": "b", "lat": 34.7, "lon": 113.6, "online": 0},
        ])
        assert seen == []
    assert len(seen) == 1
    assert seen[0].ids == {"cameras": frozenset({"C1", "C2"})}
    with pytest.raises(ValueError), workspace.write("x") as tx:
        tx.insert("cameras", {"id": "C3", "name": "c", "lat": 1, "lon": 1, "online": 1})
        raise ValueError
    assert len(seen) == 1


def test_write_hook_runs_inside_the_transaction(workspace: Workspace) -> None:
    workspace.db.execute("CREATE TABLE hook_seen (seq INTEGER, entity TEXT)")

    def hook(tx, change) -> None:  # type: ignore[no-untyped-def]
        tx.db.execute("INSERT INTO hook_seen VALUES (?, ?)", [change.seq, change.entity])
        if change.entity_id == "boom":
            raise RuntimeError("hook refused")

    workspace.add_write_hook(hook)
    with workspace.write("x") as tx:
        tx.insert("stations", {"id": "S1", "name": "a", "kind": "brigade"})
    assert workspace.count("hook_seen") == 1
    with pytest.raises(RuntimeError), workspace.write("x") as tx:
        tx.insert("stations", {"id": "boom", "name": "b", "kind": "brigade"})
    assert workspace.count("hook_seen") == 1
    assert workspace.count("stations") == 1


def test_insert_many_logs_consecutive_rows_that_hooks_see(workspace: Workspace) -> None:
    seen: list[int] = []
    workspace.add_write_hook(lambda tx, change: seen.append(change.seq))
    with workspace.write("x") as tx:
        tx.insert("stations", {"id": "S1", "name": "a", "kind": "brigade"})
        tx.insert_many("cameras", [
            {"id": f"C{i}", "name": f"视频{i}", "lat": 34.7, "lon": 113.6, "online": 1}
            for i in range(5)
        ])
        tx.update("cameras", "C3", {"online": 0})
    rows = list(workspace.db.query("SELECT seq, entity_id, op FROM change_log ORDER BY seq"))
    assert [r["seq"] for r in rows] == seen
    assert [r["entity_id"] for r in rows] == ["S1", "C0", "C1", "C2", "C3", "C4", "C3"]
    assert [r["op"] for r in rows][-1] == "update"
