"""Benchmark: does stored history slow the water desk? (issue 17: "History does not slow the desk")

Builds two real workspaces in a temporary folder, with the same 415 water points (152 roads,
12 tunnels, 30 bridges/culverts, 28 ditches, the rest roads; one rain gauge per district):
- fresh: the last 12 hours of readings only (the longest window any rule reads: the blue
  signal's 12 h rain total, so a fresh desk in a storm holds at least this much);
- history: ``--days`` (default 7) of readings every ``--step`` seconds for every point.

Then measures, on each, in the same run (median of ``--runs``):
- start: open the workspace (as the store opens it) + the water service's first status of every
  point + the rain service's signals in force; the same with the integrity check skipped; and, on
  its own, the full ``PRAGMA quick_check`` (the store runs it at open only for small files);
- status: water status for all points (a new service, so nothing is cached in memory);
- batch: one feed batch of 415 readings stored (``record_telemetry``) and judged
  (``WaterService.on_readings``), as the runtime does per batch;
- gauges: ``RainstormService.evaluate_gauges`` (the runtime's 60 s job);
and prints both figures and the ratio history / fresh (goal: ≤ 1.5).

Run: python bench/bench_water_history.py [--days 7] [--step 10] [--runs 5]
(7 days at 10 s is 25 M rows and about 1.6 GB on disk; --step 30 builds in a third of the time.)
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from desk.domain.telemetry import SensorReading  # noqa: E402
from desk.domain.water import WaterPointKind, default_thresholds  # noqa: E402
from desk.services.context import AppContext  # noqa: E402
from desk.services.rainstorm import RainstormService  # noqa: E402
from desk.services.water import WaterService  # noqa: E402
from desk.store import Workspace  # noqa: E402
from desk.store.telemetry import record_telemetry  # noqa: E402

DISTRICTS = ("中原区", "二七区", "管城回族区", "金水区", "惠济区", "郑东新区", "经开区", "高新区")
KINDS = ([WaterPointKind.ROAD] * 152 + [WaterPointKind.TUNNEL] * 12
         + [WaterPointKind.BRIDGE_CULVERT] * 30 + [WaterPointKind.DITCH] * 28)
POINTS = 415
DAY_S = 86_400.0


def _points() -> list[dict[str, object]]:
    rows = []
    for i in range(POINTS):
        kind = KINDS[i] if i < len(KINDS) else WaterPointKind.ROAD
        t = default_thresholds(kind)
        rows.append({"id": f"wp-{i:03d}", "name": f"监测点{i:03d}", "kind": kind.value,
                     "road": "", "district": DISTRICTS[i % len(DISTRICTS)],
                     "lat": 34.75 + i * 1e-4, "lon": 113.65, "caution_cm": t.caution_cm,
                     "warning_cm": t.warning_cm, "close_cm": t.close_cm})
    return rows


def build(path: Path, seconds: float, step: float, now: float) -> int:
    """A workspace with ``seconds`` of readings before ``now`` for every point."""
    ws = Workspace.open(path)
    pts = _points()
    with ws.write("bench") as tx:
        tx.insert_many("water_points", pts)
    gauges = {str(p["id"]) for p in pts[: len(DISTRICTS)]}
    ids = [str(p["id"]) for p in pts]
    n = int(seconds / step)
    conn = ws.db.conn
    # Bulk load as an import would: drop the readings' indexes, insert, build them again (the
    # same definitions, read back from the schema), so a week of readings builds in minutes.
    indexes = [r[0] for r in conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'sensor_readings' "
        "AND sql IS NOT NULL")]
    names = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'sensor_readings' "
        "AND sql IS NOT NULL")]
    for name in names:
        conn.execute(f'DROP INDEX "{name}"')
    total = 0
    chunk: list[tuple[str, float, float, float | None]] = []
    for k in range(n):
        at = now - seconds + k * step
        depth = 2.0 + (k % 50) * 0.05
        for j, pid in enumerate(ids):
            chunk.append((pid, at, depth + j % 7, 0.2 if pid in gauges else None))
        if len(chunk) >= 200_000:
            with ws.db.atomic():
                conn.executemany("INSERT INTO sensor_readings (point_id, at, depth_cm, rain_mm) "
                                 "VALUES (?, ?, ?, ?)", chunk)
            total += len(chunk)
            chunk = []
    if chunk:
        with ws.db.atomic():
            conn.executemany("INSERT INTO sensor_readings (point_id, at, depth_cm, rain_mm) "
                             "VALUES (?, ?, ?, ?)", chunk)
        total += len(chunk)
    with ws.db.atomic():
        for sql in indexes:
            conn.execute(sql)
    # The desk ran while the readings came in: the kept state is current.
    ctx = AppContext(workspace=ws, clock=lambda: now, settings={"water.auto_evaluate": False})
    ctx.service(WaterService).evaluate(now=now)
    ws.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    ws.close()
    return total


def median_ms(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000.0)
    return statistics.median(times)


def measure(path: Path, now: float, runs: int) -> dict[str, float]:
    clock = [now]
    settings = {"water.auto_evaluate": False}

    def start() -> None:
        ws = Workspace.open(path)
        ctx = AppContext(workspace=ws, clock=lambda: clock[0], settings=dict(settings))
        ctx.service(WaterService).statuses()
        ctx.service(RainstormService).in_force()
        ws.close()

    def quick_check() -> None:
        import sqlite3

        conn = sqlite3.connect(str(path))
        conn.execute("PRAGMA quick_check").fetchone()
        conn.close()

    import desk.store.workspace as store_workspace

    real_check = store_workspace._check_integrity
    store_workspace._check_integrity = lambda path, conn: None  # type: ignore[assignment]
    try:
        no_check = median_ms(start, runs)
    finally:
        store_workspace._check_integrity = real_check
    out = {"start": median_ms(start, runs), "start_no_check": no_check,
           "quick_check": median_ms(quick_check, runs)}
    ws = Workspace.open(path)
    try:
        def status() -> None:
            ctx = AppContext(workspace=ws, clock=lambda: clock[0], settings=dict(settings))
            assert len(ctx.service(WaterService).statuses()) == POINTS

        out["status"] = median_ms(status, runs)
        ctx = AppContext(workspace=ws, clock=lambda: clock[0], settings=dict(settings))
        water = ctx.service(WaterService)
        rain = ctx.service(RainstormService)
        ids = sorted(water.points())
        # warm the trend windows and the running rain totals, as a running desk has them
        water.on_readings([SensorReading(p, now, depth_cm=3.0,
                                         rain_mm=0.0 if i < len(DISTRICTS) else None)
                           for i, p in enumerate(ids)], now)
        rain.evaluate_gauges(now)
        k = [0]

        def batch() -> None:
            k[0] += 1
            clock[0] = now + 10.0 * k[0]
            readings = [SensorReading(p, clock[0], depth_cm=3.0 + (k[0] % 5) * 0.1,
                                      rain_mm=0.2 if i < len(DISTRICTS) else None)
                        for i, p in enumerate(ids)]
            res = record_telemetry(ws, readings=readings, now=clock[0], publish=False)
            water.on_readings(res.accepted_readings, clock[0])

        out["batch"] = median_ms(batch, runs * 4)
        out["gauges"] = median_ms(lambda: rain.evaluate_gauges(clock[0]), runs)
    finally:
        ws.close()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--days", type=float, default=7.0)
    ap.add_argument("--step", type=float, default=10.0, help="seconds between readings")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)
    now = time.time() - 600
    with tempfile.TemporaryDirectory(prefix="bench-water-history-") as tmp:
        fresh, hist = Path(tmp) / "fresh.sqlite", Path(tmp) / "history.sqlite"
        t0 = time.perf_counter()
        n_fresh = build(fresh, 12 * 3600.0, args.step, now)
        n_hist = build(hist, args.days * DAY_S, args.step, now)
        print(f"built: fresh {n_fresh:,} rows ({fresh.stat().st_size / 1e6:.0f} MB), "
              f"history {n_hist:,} rows over {args.days:g} days every {args.step:g} s "
              f"({hist.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t0:.0f} s")
        a = measure(fresh, now, args.runs)
        b = measure(hist, now, args.runs)
    print(f"{'figure (median ms)':<34}{'fresh':>10}{'history':>10}{'ratio':>8}")
    labels = {"start": "start (open + status + signals)",
              "start_no_check": "start, integrity check skipped",
              "quick_check": "full PRAGMA quick_check (on demand)",
              "status": "water status, all points", "batch": "per batch (415 readings)",
              "gauges": "gauge assessment (60 s job)"}
    worst = 0.0
    for key, label in labels.items():
        ratio = b[key] / a[key] if a[key] > 0 else float("inf")
        if key != "quick_check":
            worst = max(worst, ratio)
        print(f"{label:<34}{a[key]:>10.1f}{b[key]:>10.1f}{ratio:>8.2f}")
    print(f"worst ratio (goal ≤ 1.5; the full quick_check is the store's, run at open only for "
          f"small files, reported apart): {worst:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
