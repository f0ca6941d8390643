"""The outbox is written in the same transaction as the change, only when sync is enabled, never
for changes the sync itself applied; HLC stamps order edits."""

from __future__ import annotations

import pytest

from desk.store import Workspace
from desk.store.schema_sync import SYNC_ACTOR
from desk.sync.hlc import parse_stamp
from desk.sync.outbox import install_outbox, pending_count, pending_ops


def test_outbox_follows_the_transaction(workspace: Workspace) -> None:
    with workspace.write("x") as tx:
        tx.insert("stations", {"id": "S0", "name": "未启用同步"})
    assert pending_count(workspace) == 0  # sync not enabled: desk is fully local
    install_outbox(workspace)
    with pytest.raises(RuntimeError), workspace.write("x") as tx:
        tx.insert("stations", {"id": "S1", "name": "回滚"})
        raise RuntimeError("abort")
    assert pending_count(workspace) == 0 and workspace.count("stations") == 1
    with workspace.write("x") as tx:
        tx.insert("stations", {"id": "S2", "name": "二中队"})
        tx.update("stations", "S2", {"name": "二中队(改)"})
        tx.delete("stations", "S0")
    ops = pending_ops(workspace)
    assert [(o.entity_id, o.op, o.patch) for o in ops] == [
        ("S2", "insert", {"id": "S2", "name": "二中队"}),
        ("S2", "update", {"name": "二中队(改)"}),
        ("S0", "delete", None),
    ]
    stamps = [parse_stamp(o.hlc) for o in ops]
    assert stamps == sorted(stamps) and len({s.node for s in stamps}) == 1
    with workspace.write(SYNC_ACTOR) as tx:
        tx.insert("stations", {"id": "S3", "name": "来自中心"})
    assert pending_count(workspace) == 3


def test_outbox_trigger_sees_writes_from_other_connections(workspace: Workspace) -> None:
    install_outbox(workspace)
    other = Workspace.open(workspace.path)  # e.g. a worker thread's own connection
    try:
        with other.write("worker") as tx:
            tx.insert("cameras", {"id": "C1", "name": "卡口"})
    finally:
        other.close()
    assert [o.entity_id for o in pending_ops(workspace)] == ["C1"]
