"""Sync and telemetry benchmarks against a real desk-central on 127.0.0.1.

    python bench/bench_sync.py [--records 100000] [--ops 10000] [--incremental 1000]

Each figure is printed with the ratio to raw SQLite ``executemany`` of the same rows, measured in
the same run on the same machine. Targets (issue 4): initial pull of 100,000 records <= 10 s,
incremental sync of 1,000 changes <= 0.5 s, ingest >= 20,000 positions/s at the central.
"""

from __future__ import annotations

import argparse
import json
import logging
import sqlite3
import tempfile
import threading
import time
from pathlib import Path

import httpx

from desk.central.storage import SqliteCentralStore
from desk.central.testing import CentralProcess
from desk.domain.telemetry import UnitFix
from desk.store import Workspace
from desk.store.telemetry import record_telemetry
from desk.sync.engine import SyncEngine
from desk.sync.outbox import install_outbox
from desk.sync.transport import CentralClient


def camera(i: int, suffix: str = "") -> dict[str, object]:
    return {"id": f"K{i:06d}", "name": f"卡口{i}{suffix}", "road": "中州大道", "district": "金水区",
            "lat": 34.7 + i * 1e-6, "lon": 113.6 + i * 1e-6, "stream_url": f"rtsp://cam/{i}"}


def raw_insert(path: Path, rows: list[dict[str, object]]) -> float:
    """Baseline: one transaction, one executemany, into a fresh table of the same shape."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    cols = list(rows[0])
    conn.execute(f"CREATE TABLE t ({', '.join(cols)}, PRIMARY KEY (id))")
    t0 = time.perf_counter()
    with conn:
        conn.executemany(f"INSERT INTO t VALUES ({', '.join('?' for _ in cols)})",
                         [tuple(r.values()) for r in rows])
    dt = time.perf_counter() - t0
    conn.close()
    return dt


def report(name: str, seconds: float, baseline: float, target: str = "") -> None:
    print(f"{name:<46} {seconds:8.3f} s   raw executemany {baseline:7.3f} s   "
          f"ratio {seconds / baseline:6.1f}x  {target}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--ops", type=int, default=10_000)
    parser.add_argument("--incremental", type=int, default=1_000)
    parser.add_argument("--positions", type=int, default=200_000)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    tmp = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    central = CentralProcess(tmp / "central.sqlite", test_mode=False)
    token = central.add_user("bench", "dispatcher", workstation="bench")
    store = SqliteCentralStore(central.db)
    rows = [camera(i) for i in range(args.records)]
    store.bulk_load("live", "cameras", rows)
    units = [{"id": f"U{i:04d}", "call_sign": f"铁骑{i}", "kind": "motorcycle",
              "status": "available", "station_id": "S1", "device_id": f"D{i}"} for i in range(1000)]
    store.bulk_load("live", "units", units)
    store.close()
    central.start()
    try:
        # -- initial pull ----------------------------------------------------------------------
        ws = Workspace.open(tmp / "a.sqlite")
        install_outbox(ws)
        engine = SyncEngine(ws, CentralClient(central.url, token, timeout=120), page_size=5000)
        t0 = time.perf_counter()
        engine.sync_once()
        pull = time.perf_counter() - t0
        assert ws.count("cameras") == args.records
        report(f"initial pull of {args.records + len(units):,} records", pull,
               raw_insert(tmp / "raw1.sqlite", rows) + raw_insert(tmp / "raw1u.sqlite", units),
               "(target <= 10 s)")

        # -- push ------------------------------------------------------------------------------
        other = Workspace.open(tmp / "b.sqlite")
        install_outbox(other)
        push_rows = [camera(args.records + i) for i in range(args.ops)]
        with other.write("bench") as tx:
            tx.insert_many("cameras", push_rows)
        other_engine = SyncEngine(other, CentralClient(central.url, token, timeout=120),
                                  batch_size=500)
        other.db.execute("INSERT OR REPLACE INTO sync_state VALUES ('epoch', ?)",
                         [engine.client.get_counts("live")["epoch"]])
        t0 = time.perf_counter()
        pushed = other_engine.push()
        push = time.perf_counter() - t0
        assert pushed == args.ops
        report(f"push of {args.ops:,} ops", push, raw_insert(tmp / "raw2.sqlite", push_rows),
               f"({args.ops / push:,.0f} ops/s)")

        # -- incremental -----------------------------------------------------------------------
        engine.sync_once()  # take the pushed records first
        with other.write("bench") as tx:
            for i in range(args.incremental):
                tx.update("cameras", f"K{args.records + i:06d}", {"name": f"卡口{i}-改"})
        other_engine.push()
        t0 = time.perf_counter()
        report_inc = engine.sync_once()
        inc = time.perf_counter() - t0
        assert report_inc.pulled == args.incremental, report_inc
        assert ws.db["cameras"].get(f"K{args.records:06d}")["name"] == "卡口0-改"
        raw = tmp / "raw3.sqlite"
        raw_insert(raw, [camera(i) for i in range(args.incremental)])
        conn = sqlite3.connect(raw)
        t0 = time.perf_counter()
        with conn:
            conn.executemany("UPDATE t SET name = ? WHERE id = ?",
                             [(f"x{i}", f"K{i:06d}") for i in range(args.incremental)])
        base = time.perf_counter() - t0
        conn.close()
        report(f"incremental sync of {args.incremental:,} changes", inc, base, "(target <= 0.5 s)")

        # -- telemetry ingest at the central ---------------------------------------------------
        now = time.time()
        per_request = 1000
        n_requests = args.positions // per_request
        bodies = [json.dumps({"fixes": [
            {"unit_id": f"U{(r * per_request + k) % 1000:04d}", "lat": 34.7 + k * 1e-5,
             "lon": 113.6 + k * 1e-5, "at": now - 300 + (r * per_request + k) * 1e-3,
             "speed_kmh": 30.0,
             "heading": 90.0} for k in range(per_request)]}).encode() for r in range(n_requests)]
        stored = [0]
        lock = threading.Lock()

        def client_loop(chunk: list[bytes]) -> None:
            with httpx.Client(base_url=central.url, timeout=60,
                              headers={"Authorization": f"Bearer {token}",
                                       "Content-Type": "application/json"}) as c:
                for body in chunk:
                    r = c.post("/telemetry", content=body)
                    r.raise_for_status()
                    with lock:
                        stored[0] += r.json()["stored_fixes"]

        threads = [threading.Thread(target=client_loop, args=(bodies[i::2],)) for i in range(2)]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        ingest = time.perf_counter() - t0
        assert stored[0] == n_requests * per_request, stored
        raw = tmp / "raw4.sqlite"
        conn = sqlite3.connect(raw)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE positions (id INTEGER PRIMARY KEY, unit_id, lat, lon, at,"
                     " heading, speed_kmh, accuracy_m, received_at)")
        fixes = [json.loads(b)["fixes"] for b in bodies]
        t0 = time.perf_counter()
        for batch in fixes:
            with conn:
                conn.executemany(
                    "INSERT INTO positions (unit_id, lat, lon, at, heading, speed_kmh, accuracy_m,"
                    " received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [(f["unit_id"], f["lat"], f["lon"], f["at"], f["heading"], f["speed_kmh"],
                      None, now) for f in batch])
        base = time.perf_counter() - t0
        conn.close()
        rate = stored[0] / ingest
        print(f"{'central ingest, ' + format(stored[0], ',') + ' positions (2 clients)':<46} "
              f"{rate:10,.0f} positions/s   raw executemany {stored[0] / base:10,.0f}/s   "
              f"ratio {ingest / base:5.1f}x  (target >= 20,000/s)")

        # -- telemetry in the app's store ------------------------------------------------------
        app_fixes = [UnitFix(f["unit_id"], f["lat"], f["lon"], f["at"], f["heading"],
                             f["speed_kmh"]) for batch in fixes for f in batch]
        assert ws.count("units") == len(units)  # pulled with the initial sync
        t0 = time.perf_counter()
        for i in range(0, len(app_fixes), per_request):
            record_telemetry(ws, app_fixes[i:i + per_request], now=now, publish=False)
        app = time.perf_counter() - t0
        conn = ws.db.conn
        t0 = time.perf_counter()
        for i in range(0, len(app_fixes), per_request):
            with ws.db.atomic():
                conn.executemany("UPDATE units SET lat = ?, lon = ?, fix_at = ? WHERE id = ?",
                                 [(f.lat, f.lon, f.at, f.unit_id)
                                  for f in app_fixes[i:i + per_request]])
        base = time.perf_counter() - t0
        print(f"{'app store record_telemetry, ' + format(len(app_fixes), ',') + ' fixes':<46} "
              f"{len(app_fixes) / app:10,.0f} positions/s   raw executemany "
              f"{len(app_fixes) / base:10,.0f}/s   ratio {app / base:5.1f}x")
        ws.close()
        other.close()
    finally:
        central.stop()


if __name__ == "__main__":
    main()
