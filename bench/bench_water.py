"""Benchmark: 415 water points reporting every 10 s with 24 h of history (8,640 readings each).

Measures, in one run:
- memory of the 24 h history (numpy arrays, desk.ui.water.history.WaterHistory);
- chart refresh time per frame for a single point's chart and a 12-tunnel group chart, with the
  charts as the panel uses them (clip to view + min/max decimation per pixel column, cached per
  zoom level) against the baseline of plain curves of every reading, at the last hour (the
  typical zoom while it rains) and the whole day;
- the all-points view: the overview chart (percentile band + max + worst 5 points) against the
  baseline of 415 plain curves.

A frame = one new reading per point appended to the history, the chart told about it, and a
synchronous repaint of the real widget (``repaint()`` then ``processEvents()``), as the panel's
live update does. Both variants run in the same process, interleaved, on the same data.

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
FRAMES = 30
WORST = 5


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


def make_chart(history, ids: list[str], kind: str):  # type: ignore[no-untyped-def]
    from desk.ui.water.charts import DepthChart, OverviewChart
    from desk.ui.water.history import worst_points

    if kind == "overview":
        chart = OverviewChart()
        worst = worst_points(history, {}, WORST)
        chart.set_overview(history, [(pid, pid) for pid in worst])
        return chart, worst
    chart = DepthChart(fast=kind == "fast", pen_width=2 if len(ids) == 1 else 1)  # as the panel
    for pid in ids:
        chart.set_series(pid, pid, history.get(pid))
    return chart, ids


def bench_chart(app: QApplication, history, ids: list[str], *, kind: str,  # type: ignore[no-untyped-def]
                span_s: float, now: float, frames: int) -> list[float]:
    chart, drawn = make_chart(history, ids, kind)
    chart.resize(1200, 500)
    chart.show()
    chart.show_window(now, span_s)
    app.processEvents()
    chart.repaint()
    rng = np.random.default_rng(2)
    times = []
    t_now = now
    for _ in range(frames):
        t_now += STEP_S
        t0 = time.perf_counter()
        for pid in ids:  # every point of the view reports
            history.get(pid).extend([(t_now, float(rng.uniform(0, 30)))])
        if kind == "overview":
            for pid in drawn:
                chart.set_series(pid, pid, history.get(pid))
        else:
            for pid in ids:
                chart.set_series(pid, pid, history.get(pid))
        chart.show_window(t_now, span_s)
        chart.repaint()  # synchronous paint of the whole scene
        app.processEvents()
        times.append((time.perf_counter() - t0) * 1000)
    chart.close()
    chart.deleteLater()
    app.processEvents()
    return times


def p90(xs: list[float]) -> float:
    return float(np.percentile(xs, 90))


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    now = time.time()
    t0 = time.perf_counter()
    history, peak = build_history(now)
    print(f"history: {POINTS} points x {N} readings = {POINTS * N:,} readings, "
          f"arrays {history.nbytes / 1e6:.1f} MB (peak while building {peak / 1e6:.1f} MB), "
          f"built in {time.perf_counter() - t0:.1f} s")
    ids_all = sorted(history.points)
    cases = [("1 point", ids_all[:1], "fast", FRAMES), ("12-tunnel group", ids_all[:12], "fast",
                                                          FRAMES),
             ("all 415 points", ids_all, "overview", 8)]
    print("median (p90) ms per frame; target <= 16 ms")
    print(f"{'chart':<18}{'view':>6}{'chart ms':>16}{'baseline ms':>18}{'speed-up':>10}")
    stamp = now
    for name, ids, kind, frames in cases:
        for span_name, span in (("1 h", 3600.0), ("24 h", DAY_S)):
            # Interleave so machine noise hits both variants alike.
            fast: list[float] = []
            base: list[float] = []
            for _rep in range(2):
                fast += bench_chart(app, history, ids, kind=kind, span_s=span, now=stamp,
                                    frames=frames)
                stamp += frames * STEP_S
                base += bench_chart(app, history, ids, kind="plain", span_s=span, now=stamp,
                                    frames=frames)
                stamp += frames * STEP_S
            f, b = statistics.median(fast), statistics.median(base)
            print(f"{name:<18}{span_name:>6}{f:>9.1f} ({p90(fast):5.1f}){b:>11.1f} "
                  f"({p90(base):5.1f}){b / f:>9.1f}x")
    print(f"all-points chart = band (median-90%) + max + worst {WORST} curves; "
          f"baseline = {POINTS} plain curves")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
