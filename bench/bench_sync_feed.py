"""Change-feed size against a real desk-central on 127.0.0.1: what the feed stores and sends for
repeated small edits of a large record, and the memory-bounded paging of a large initial pull.

    python bench/bench_sync_feed.py [--records 60] [--edits 30]

The same-run baseline is the feed as it was before: every update row carrying the whole record
(its size times the number of edits), printed as a ratio.
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import time
from pathlib import Path

import httpx

from desk.central.testing import CentralProcess
from desk.domain.limits import MAX_TEXT_CHARS
from desk.store import Workspace
from desk.sync.engine import SyncEngine
from desk.sync.outbox import install_outbox
from desk.sync.transport import CentralClient


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=60)
    parser.add_argument("--edits", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        proc = CentralProcess(tmp / "central.sqlite")
        token = proc.add_user("bench", "dispatcher", workstation="bench")
        proc.start(timeout=90)
        try:
            a = Workspace.open(tmp / "a.sqlite")
            install_outbox(a)
            ea = SyncEngine(a, CentralClient(proc.url, token))
            ea.sync_once()
            big = "路" * MAX_TEXT_CHARS
            with a.write("bench") as tx:
                tx.insert_many("cameras", [
                    {"id": f"BIG{i:04d}", "name": big, "road": big, "district": big,
                     "stream_url": big, "lat": 34.7, "lon": 113.6, "online": 1}
                    for i in range(args.records)])
            ea.sync_once()
            for n in range(1, args.edits + 1):
                with a.write("bench") as tx:
                    tx.update("cameras", "BIG0000", {"lat": 34.7 + n / 1000})
            ea.sync_once()
            conn = sqlite3.connect(proc.db)
            rows = conn.execute("SELECT op, length(CAST(data AS BLOB)) FROM changes "
                                "WHERE entity_id = 'BIG0000' ORDER BY seq").fetchall()
            conn.close()
            record = rows[0][1]
            patch_bytes = sum(n for op, n in rows if op == "update")
            whole = record * args.edits
            print(f"{args.edits} edits of one {record / 1024:.0f} KB record: feed stores "
                  f"{patch_bytes:,} B; whole-record rows would be {whole:,} B; ratio "
                  f"{patch_bytes / whole:.5f}")
            with httpx.Client(base_url=proc.url, headers={"Authorization": f"Bearer {token}"},
                              timeout=60.0) as c:
                page = c.get("/changes", params={"since": 0, "limit": 10_000})
            total = sum(n for (n,) in sqlite3.connect(proc.db).execute(
                "SELECT length(CAST(data AS BLOB)) FROM changes WHERE data IS NOT NULL"))
            print(f"first /changes page: {len(page.content) / 1e6:.2f} MB of {total / 1e6:.2f} MB "
                  f"in the feed (more={page.json()['more']}); ratio "
                  f"{len(page.content) / total:.2f}")
            b = Workspace.open(tmp / "b.sqlite")
            install_outbox(b)
            eb = SyncEngine(b, CentralClient(proc.url, token))
            t0 = time.perf_counter()
            eb.sync_once()
            dt = time.perf_counter() - t0
            print(f"initial pull of {b.count('cameras')} records of ~{record / 1024:.0f} KB: "
                  f"{dt:.2f} s")
            a.close()
            b.close()
        finally:
            proc.stop()


if __name__ == "__main__":
    main()
