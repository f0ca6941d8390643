"""A central restored from an older backup under the same epoch, and the change feed's limits:
the desk notices the central went back, says so and re-sends what it lost from its own records;
the feed stores patches, pages by bytes, and both sides refuse the same sizes."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import httpx
import pytest

from desk.domain.limits import MAX_TEXT_CHARS
from desk.store import Workspace
from desk.sync.outbox import pending_count
from tests.sync.conftest import Rig, synced_rows


def cameras(ws: Workspace, start: int, n: int, prefix: str = "K") -> None:
    with ws.write("录入员") as tx:
        tx.insert_many("cameras", [
            {"id": f"{prefix}{i:05d}", "name": f"卡口{i}", "road": "中州大道", "lat": 34.7,
             "lon": 113.6, "online": 1} for i in range(start, start + n)])


def backup(db: str, to: Path) -> None:
    src, dst = sqlite3.connect(db), sqlite3.connect(to)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def restore(rig: Rig, copy: Path) -> None:
    rig.proc.stop()
    for suffix in ("-wal", "-shm"):
        Path(rig.proc.db + suffix).unlink(missing_ok=True)
    shutil.copyfile(copy, rig.proc.db)
    rig.proc.start(timeout=90)


@pytest.mark.parametrize("others_wrote_since", [False, True])
def test_a_central_restored_from_an_older_backup_gets_back_what_it_lost(
        rig: Rig, others_wrote_since: bool) -> None:
    a = rig.workspace("ws-a")
    ea = rig.engine(a)
    ea.sync_once()
    cameras(a, 0, 200)
    ea.sync_once()
    copy = rig.tmp / "central-backup.sqlite"
    backup(rig.proc.db, copy)
    cameras(a, 200, 100)
    with a.write("录入员") as tx:
        for i in range(0, 200, 4):
            tx.update("cameras", f"K{i:05d}", {"name": f"卡口{i}-备份后改"})
    ea.sync_once()
    assert ea.client.get_counts("live")["counts"]["cameras"] == 300
    restore(rig, copy)  # same epoch: the backup's
    assert ea.client.get_counts("live")["counts"]["cameras"] == 200
    if others_wrote_since:
        # Another desk writes enough after the restore that the central's head passes A's
        # cursor again: A must still notice (the change at its cursor is not the one it saw).
        c = rig.workspace("ws-c")
        ec = rig.engine(c)
        ec.sync_once()
        cameras(c, 0, 400, prefix="C")
        ec.sync_once()
    report = ea.sync_once()
    assert report.resent >= 300
    notice = ea.status().central_went_back
    assert "中心数据回到了较早的状态" in notice and "重新发送" in notice
    assert report.count_mismatches == {}
    counts = ea.client.get_counts("live")["counts"]
    assert counts["cameras"] == 300 + (400 if others_wrote_since else 0)
    assert pending_count(a) == 0
    # A fresh desk gets everything, with the edits made after the backup.
    b = rig.workspace("ws-b")
    rig.engine(b).sync_once()
    assert synced_rows(b, "cameras") == synced_rows(a, "cameras")
    assert b.db["cameras"].get("K00004")["name"] == "卡口4-备份后改"
    # Nothing more to do on the next round: detection does not fire again.
    assert ea.sync_once().resent == 0


def test_the_feed_carries_what_changed_and_pages_by_bytes(rig: Rig) -> None:
    a = rig.workspace("ws-a")
    ea = rig.engine(a)
    ea.sync_once()
    big = "路" * MAX_TEXT_CHARS  # 30 KB of UTF-8 per field: four fields make a 120 KB record
    with a.write("录入员") as tx:
        tx.insert_many("cameras", [
            {"id": f"BIG{i:03d}", "name": big, "road": big, "district": big, "stream_url": big,
             "lat": 34.7, "lon": 113.6, "online": 1} for i in range(60)])
    ea.sync_once()
    with a.write("录入员") as tx:
        for n in range(1, 31):
            tx.update("cameras", "BIG000", {"lat": 34.7 + n / 1000})
    ea.sync_once()
    conn = sqlite3.connect(rig.proc.db)
    try:
        sizes = conn.execute("SELECT op, length(CAST(data AS BLOB)) FROM changes "
                             "WHERE entity_id = 'BIG000' ORDER BY seq").fetchall()
    finally:
        conn.close()
    assert sizes[0][0] == "insert" and sizes[0][1] > 100_000
    updates = [n for op, n in sizes if op == "update"]
    assert len(updates) == 30 and max(updates) < 100  # the patch, not the 120 KB record again
    with httpx.Client(base_url=rig.url, headers={"Authorization": f"Bearer {rig.admin}"}) as c:
        page = c.get("/changes", params={"since": 0, "limit": 10_000})
    assert page.json()["more"] is True and len(page.content) < 5 * 1024 * 1024
    b = rig.workspace("ws-b")
    eb = rig.engine(b)
    eb.sync_once()  # pages until done
    assert b.count("cameras") == 60
    assert b.db["cameras"].get("BIG000")["lat"] == pytest.approx(34.73)


def test_both_sides_refuse_the_same_sizes(rig: Rig) -> None:
    a = rig.workspace("ws-a")
    ea = rig.engine(a)
    ea.sync_once()
    fits = "字" * MAX_TEXT_CHARS
    with a.write("录入员") as tx:
        tx.insert("cameras", {"id": "C-fit", "name": fits, "road": "x", "online": 1})
    too_long = "字" * (MAX_TEXT_CHARS + 1)
    with pytest.raises(sqlite3.IntegrityError, match="value_too_long") as info, \
            a.write("录入员") as tx:
        tx.update("cameras", "C-fit", {"road": too_long})
    assert "文字过长" in str(info.value)
    big = "字" * MAX_TEXT_CHARS  # five such fields: 150 KB, over the 128 KB record cap
    case = {"case_no": "X-1", "case_key": "k-big", "place": big, "weather": big,
            "narrative": big, "eligibility": big, "collision_points": big}
    with pytest.raises(sqlite3.IntegrityError, match="record_too_large"), \
            a.write("录入员") as tx:
        tx.insert("accident_cases", {"id": "case-big", **case})
    assert a.count("accident_cases") == 0
    assert ea.sync_once().applied == 1 and pending_count(a) == 0  # the one that fits synced
    # The central refuses exactly those, with the same codes.
    ops = [
        {"op_id": "lim-1", "entity": "cameras", "entity_id": "C-fit", "op": "update",
         "patch": {"road": too_long}, "base_rev": 1, "hlc": "0001700000000001.0000000001.x"},
        {"op_id": "lim-2", "entity": "accident_cases", "entity_id": "case-big", "op": "insert",
         "patch": case, "base_rev": 0, "hlc": "0001700000000001.0000000002.x"},
    ]
    r = httpx.post(rig.url + "/ops", headers={"Authorization": f"Bearer {rig.admin}",
                                              "Content-Type": "application/json"},
                   content=json.dumps({"ns": "live", "origin": "x", "ops": ops}),
                   timeout=30.0)
    assert r.status_code == 200, r.text
    assert [x["reason"] for x in r.json()["results"]] == ["value_too_long", "record_too_large"]
