"""Benchmark: 415 water points reporting every 10 s with 24 h of history (8,640 readings each).

Measures, in one run:
- memory of the 24 h history (numpy arrays, desk.ui.water.history.WaterHistory);
- chart refresh time per frame for a single point's chart, a 12-tunnel group chart and an
  "all 415 points" chart, with downsampling + clip-to-view (what the panel uses) against the
  baseline of plain curves, showing the last hour (the typical zoom while it rains) and the
  whole day; each frame = append one new reading per curve, setData, and a synchronous repaint.

Run: python bench/bench_water.py   (offscreen Qt is used when no display is set)
"""

from __future__ import annotations

import os
import statistics
import sys
import time
import tracemalloc

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
from PySide6.QtWidgets import QApplication

POINTS = 415
STEP_S = 10.0
DAY_S = 86_400.0
N = int(DAY_S / STEP_S)
FRAMES = 15


def build_history(now: float):  # type: ignore[no-untyped-def]
    from desk.ui.water.history import WaterHistory

    rng = np.random.default_rng(1)
    tracemalloc.start()
    h = WaterHistory()
    t = now - DAY_S + np.arange(N) * STEP_S
    for i in range(POINTS):
        d = np.clip(np.cumsum(rng.normal(0, 0.2, N)) + 5, 0, None)
        h.add(f"wp-{i:03d}", zip(t.tolist(), d.tolist(), strict=True))
    _cur, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return h, peak


def bench_chart(app: QApplication, history, ids: list[str], *, fast: bool,  # type: ignore[no-untyped-def]
                span_s: float, now: float) -> float:
    from desk.ui.water.charts import DepthChart

    chart = DepthChart(fast=fast, pen_width=2 if len(ids) == 1 else 1)  # as the panel does
    chart.resize(1200, 500)
    chart.show()
    for pid in ids:
        chart.set_series(pid, pid, history.get(pid))
    chart.show_window(now, span_s)
    app.processEvents()
    chart.repaint()
    times = []
    t_now = now
    for _ in range(FRAMES):
        t_now += STEP_S
        t0 = time.perf_counter()
        for pid in ids:
            h = history.get(pid)
            h.extend([(t_now, 5.0)])
            chart.set_series(pid, pid, h)
        chart.show_window(t_now, span_s)
        chart.repaint()  # synchronous paint of the whole scene
        app.processEvents()
        times.append((time.perf_counter() - t0) * 1000)
    chart.close()
    chart.deleteLater()
    app.processEvents()
    return statistics.median(times)


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    now = time.time()
    t0 = time.perf_counter()
    history, peak = build_history(now)
    print(f"history: {POINTS} points x {N} readings = {POINTS * N:,} readings, "
          f"arrays {history.nbytes / 1e6:.1f} MB (peak while building {peak / 1e6:.1f} MB), "
          f"built in {time.perf_counter() - t0:.1f} s")
    ids_all = sorted(history.points)
    cases = [("1 point", ids_all[:1]), ("12-tunnel group", ids_all[:12]),
             ("all 415 points", ids_all)]
    print(f"{'chart':<18}{'view':>8}{'fast ms':>10}{'baseline ms':>13}{'speed-up':>10}")
    for name, ids in cases:
        for span_name, span in (("1 h", 3600.0), ("24 h", DAY_S)):
            fast = bench_chart(app, history, ids, fast=True, span_s=span, now=now)
            base = bench_chart(app, history, ids, fast=False, span_s=span, now=now)
            print(f"{name:<18}{span_name:>8}{fast:>10.1f}{base:>13.1f}{base / fast:>9.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
