"""Benchmark: generate the Zhengzhou demo city into a temporary workspace and compare the write
with a bare sqlite3 ``executemany`` of the same rows, measured in the same run.

Run: ``python bench/bench_demo_city.py [--repeat N]``. Prints wall time, rows per second, the
share spent computing versus writing, and the ratios against two baselines:

* ``raw rows``: the same entity rows inserted into bare copies of the tables (same schema,
  WAL, synchronous=NORMAL, one transaction) with ``executemany``;
* ``raw rows + log``: the same plus one change-log row per record, also with ``executemany`` —
  the least work a write path that logs every change could do.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from desk.demo.city import generate_demo_city
from desk.store import Workspace

TABLES = ("stations", "cameras", "water_points", "police_rooms", "duty_posts", "units", "officers",
          "unit_status_log", "meta")


def generate(folder: Path, run: int) -> tuple[float, float, Path, int]:
    """Generate once; returns (total seconds, seconds spent in the write step, path, rows)."""
    path = folder / f"city-{run}.sqlite"
    marks: dict[int, float] = {}
    with Workspace.open(path) as ws:
        start = time.perf_counter()
        summary = generate_demo_city(ws, progress=lambda pct, _msg: marks.setdefault(pct, time.perf_counter()))
        total = time.perf_counter() - start
    write = marks[100] - marks[75]  # 75 % is reported just before the transaction opens
    return total, write, path, summary.change_rows


def read_rows(path: Path) -> tuple[dict[str, tuple[str, list[str], list[tuple[Any, ...]]]], int]:
    """Schema and rows of every entity table of a generated workspace."""
    con = sqlite3.connect(path)
    out = {}
    n = 0
    for table in TABLES:
        sql = con.execute("SELECT sql FROM sqlite_master WHERE type='table' AND name=?", [table]).fetchone()[0]
        cur = con.execute(f'SELECT * FROM "{table}"')
        cols = [d[0] for d in cur.description]
        data = cur.fetchall()
        out[table] = (sql, cols, data)
        n += len(data)
    con.close()
    return out, n


def baseline(folder: Path, run: int, tables: dict[str, tuple[str, list[str], list[tuple[Any, ...]]]],
             *, with_log: bool) -> float:
    path = folder / f"raw-{run}-{int(with_log)}.sqlite"
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    for sql, _, _ in tables.values():
        con.execute(sql)
    con.execute(
        "CREATE TABLE change_log (seq INTEGER PRIMARY KEY AUTOINCREMENT, entity TEXT NOT NULL, "
        "entity_id TEXT NOT NULL, op TEXT NOT NULL, at REAL NOT NULL, actor TEXT NOT NULL, patch TEXT)"
    )
    start = time.perf_counter()
    con.execute("BEGIN")
    for table, (_, cols, data) in tables.items():
        quoted = ", ".join(f'"{c}"' for c in cols)
        marks = ", ".join("?" for _ in cols)
        con.executemany(f'INSERT INTO "{table}" ({quoted}) VALUES ({marks})', data)
        if with_log:
            now = time.time()
            con.executemany(
                "INSERT INTO change_log (entity, entity_id, op, at, actor, patch) VALUES (?, ?, ?, ?, ?, ?)",
                [(table, str(r[0]), "insert", now, "bench", json.dumps(dict(zip(cols, r, strict=True)),
                                                                      ensure_ascii=False)) for r in data],
            )
    con.execute("COMMIT")
    elapsed = time.perf_counter() - start
    con.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement (median is shown)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="desk-bench-") as tmp:
        folder = Path(tmp)
        totals, writes, raws, raws_log = [], [], [], []
        rows = 0
        for run in range(args.repeat):
            total, write, path, rows = generate(folder, run)
            tables, entity_rows = read_rows(path)
            totals.append(total)
            writes.append(write)
            raws.append(baseline(folder, run, tables, with_log=False))
            raws_log.append(baseline(folder, run, tables, with_log=True))

    total, write = statistics.median(totals), statistics.median(writes)
    raw, raw_log = statistics.median(raws), statistics.median(raws_log)
    print(f"demo city: {entity_rows:,} entity rows (+ {rows:,} change-log rows), median of {args.repeat} runs")
    print(f"  generate_demo_city   {total * 1000:8.1f} ms   {entity_rows / total:>10,.0f} rows/s")
    print(f"    computing          {(total - write) * 1000:8.1f} ms")
    print(f"    writing (1 tx)     {write * 1000:8.1f} ms   {entity_rows / write:>10,.0f} rows/s")
    print(f"  raw rows             {raw * 1000:8.1f} ms   {entity_rows / raw:>10,.0f} rows/s")
    print(f"  raw rows + log       {raw_log * 1000:8.1f} ms   {entity_rows / raw_log:>10,.0f} rows/s")
    print(f"  ratio total / raw rows        {total / raw:6.1f}x")
    print(f"  ratio writing / raw rows      {write / raw:6.1f}x")
    print(f"  ratio writing / raw rows+log  {write / raw_log:6.1f}x")


if __name__ == "__main__":
    main()
