"""Chart decimation keeps what a dispatcher reads (peak depth, threshold crossings, the latest
reading), stays equal to a full recomputation across appends, trims and late readings, and the
point, group and all-points charts render (screenshots)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from desk.domain.water import DepthThresholds
from desk.ui.water.history import (
    DAY_S,
    DepthEnvelope,
    PointHistory,
    WaterHistory,
    decimate_minmax,
    level_for,
    worst_points,
)

THRESHOLDS = (10.0, 15.0, 25.0)


def _storm(seed: int, n: int = 8640, t0: float = 1.7e9, wave_cm: float = 28.0,
           spikes: int = 6) -> tuple[np.ndarray, np.ndarray]:
    """24 h of 10-s readings: noisy dry weather, a flood wave, and single-reading spikes."""
    rng = np.random.default_rng(seed)
    t = t0 + np.arange(n) * 10.0 + rng.uniform(0, 2, n)
    d = np.clip(2 + rng.normal(0, 0.6, n), 0, None)
    wave = wave_cm * np.exp(-((np.arange(n) - n * 0.6) / (n * 0.05)) ** 2)
    d = d + wave
    at = rng.choice(n, spikes, replace=False)
    d[at] += rng.uniform(10, 30, spikes)  # a splash over a threshold for one reading
    return t, d.astype(np.float32)


def _above_per_bucket(t: np.ndarray, d: np.ndarray, w: float, thr: float) -> dict[int, bool]:
    out: dict[int, bool] = {}
    for b, v in zip(np.floor(t / w).astype(int).tolist(), (d >= thr).tolist(), strict=True):
        out[b] = out.get(b, False) or v
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("pixels", [300, 1100])
def test_decimated_view_keeps_peak_and_threshold_crossings(seed: int, pixels: int) -> None:
    t, d = _storm(seed)
    h = PointHistory()
    h.extend(zip(t.tolist(), d.tolist(), strict=True))
    rt, rd = h.arrays()
    t0, t1 = float(rt[0]) - 60, float(rt[-1]) + 60
    vt, vd = h.view(t0, t1, pixels)
    w = level_for(t1 - t0, pixels)
    assert w is not None
    assert len(vt) <= 2 * (int((t1 - t0) / w) + 2) + 1 < len(rt)  # really decimated
    # Every vertex is a real reading, in time order.
    k = np.searchsorted(rt, vt)
    assert np.array_equal(rt[k], vt) and np.array_equal(rd[k], vd)
    assert np.all(np.diff(vt) > 0)
    # The peak depth and its time survive exactly.
    assert vd.max() == rd.max()
    assert vt[np.argmax(vd)] == rt[np.argmax(rd)]
    # For each threshold, the pixel columns (buckets) with a reading at or over it are the same,
    # so every crossing (and every one-reading splash) is still drawn at its column.
    for thr in THRESHOLDS:
        raw = _above_per_bucket(rt, rd, w, thr)
        dec = _above_per_bucket(vt, vd, w, thr)
        assert raw == dec
        assert any(raw.values())
    # The live right edge shows the latest reading.
    assert vt[-1] == rt[-1] and vd[-1] == rd[-1]


def test_decimation_cache_matches_full_recomputation() -> None:
    t, d = _storm(7, n=20_000)
    h = PointHistory()
    pos = 0
    for step in (5000, 1, 1, 9, 700, 1, 3000, 11_288):
        h.extend(zip(t[pos:pos + step].tolist(), d[pos:pos + step].tolist(), strict=True))
        pos += step
        for w in (60.0, 120.0, 600.0):
            h.decimated(w)  # warm the cache, so the next step goes the incremental way
        h.trim_before(float(t[pos - 1]) - DAY_S)
        for w in (60.0, 120.0, 600.0):
            got = h.decimated(w)
            want = decimate_minmax(*h.arrays(), w)
            assert np.array_equal(got[0], want[0]) and np.array_equal(got[1], want[1])
    # A late reading (out of order) lands in the right place.
    h.extend([(float(t[-500]) + 0.5, 99.0)])
    got = h.decimated(120.0)
    assert got[1].max() == np.float32(99.0)
    assert np.array_equal(got[0], decimate_minmax(*h.arrays(), 120.0)[0])


def test_envelope_band_is_quantiles_of_bucket_maxima() -> None:
    hist = WaterHistory()
    rng = np.random.default_rng(5)
    t = 1.7e9 + np.arange(720) * 10.0
    depths = {}
    for i in range(40):
        d = np.abs(rng.normal(3 + i * 0.2, 1.0, 720)).astype(np.float32)
        depths[f"p{i}"] = d
        hist.add(f"p{i}", zip(t.tolist(), d.tolist(), strict=True))
    env = DepthEnvelope(hist, bucket_s=120.0, quantiles=(0.5, 0.9))
    bt, stats = env.band(float(t[0]), float(t[-1]))
    ids = np.floor(t / 120.0).astype(int)
    cols = np.unique(ids)
    assert len(bt) == len(cols)
    m = np.array([[d[ids == c].max() for c in cols] for d in depths.values()])
    assert np.allclose(stats[0], np.quantile(m, 0.5, axis=0), atol=1e-4)
    assert np.allclose(stats[1], np.quantile(m, 0.9, axis=0), atol=1e-4)
    assert np.array_equal(stats[2], m.max(axis=0))
    # An append updates only what changed and shows at once.
    hist.get("p0").extend([(float(t[-1]) + 10.0, 500.0)])
    _bt, stats2 = env.band(float(t[0]), float(t[-1]) + 10.0)
    assert stats2[2].max() == 500.0
    # A late reading in an old bucket is counted where it belongs.
    hist.get("p3").extend([(float(t[100]) + 1.0, 300.0)])
    bt3, stats3 = env.band(float(t[0]), float(t[-1]) + 10.0)
    col = int(np.flatnonzero(np.floor(bt3 / 120.0) == np.floor((float(t[100]) + 1.0) / 120.0))[0])
    assert stats3[2][col] == 300.0 and stats2[2][col] < 300.0
    # One reading is a splash to the worst-points ranking; three in a row are a real rise.
    assert worst_points(hist, {}, 1) != ["p0"]
    hist.get("p0").extend([(float(t[-1]) + 20.0, 500.0), (float(t[-1]) + 30.0, 500.0)])
    assert worst_points(hist, {"p0": 1000.0}, 2)[0] != "p0"  # 500 of 1000 cm is not the worst
    assert worst_points(hist, {}, 1) == ["p0"]
    assert worst_points(hist, {}, 1, since=float(t[-1]) + 5.0) == ["p0"]  # only p0 reported
    assert worst_points(hist, {"p0": 1000.0}, 1, since=float(t[-1]) + 5.0) == ["p0"]


def _history(seed: int, now: float, wave_cm: float = 28.0, spikes: int = 6) -> PointHistory:
    t, d = _storm(seed, t0=now - DAY_S, wave_cm=wave_cm, spikes=spikes)
    h = PointHistory()
    h.extend(zip(t.tolist(), d.tolist(), strict=True))
    return h


def test_point_group_and_overview_charts_render(qtbot, artifacts_dir: Path) -> None:  # type: ignore[no-untyped-def]
    from desk.ui.water.charts import DepthChart, OverviewChart

    now = 1.7e9 + DAY_S
    point = DepthChart()
    qtbot.addWidget(point)
    point.resize(1100, 420)
    point.show()
    qtbot.waitExposed(point)
    h = _history(1, now)
    point.set_thresholds(DepthThresholds(*THRESHOLDS))
    point.plotItem.setTitle("金水路下穿隧道（隧道）", color="#c9d1d9")
    curve = point.set_series("wp-t1", "金水路下穿隧道", h)
    point.show_window(float(h.arrays()[0][-1]))
    x, y = curve.getData()
    assert len(x) < len(h) / 2  # decimated for the whole-day view
    assert y.max() == pytest.approx(float(h.arrays()[1].max()))
    qtbot.wait(20)  # let the layout place the title
    point.grab().save(str(artifacts_dir / "water_chart_point.png"))
    # Zooming in to the last hour re-picks the readings: all of them, no decimation.
    point.follow = False
    t_last = float(h.arrays()[0][-1])
    point.plotItem.setXRange(t_last - 3600, t_last, padding=0)
    x, _y = point.curves["wp-t1"].getData()
    assert 360 <= len(x) <= 363

    group = DepthChart(pen_width=1)
    qtbot.addWidget(group)
    group.resize(1100, 420)
    group.show()
    for i in range(12):
        group.set_series(f"wp-{i}", f"隧道{i + 1}", _history(10 + i, now))
    group.plotItem.setTitle("全部隧道", color="#c9d1d9")
    group.show_window(now)
    assert len(group.curves) == 12
    qtbot.wait(20)
    group.grab().save(str(artifacts_dir / "water_chart_group.png"))

    hist = WaterHistory()
    for i in range(60):
        # Most points stay shallow, a few low-lying ones flood deeply.
        hist.points[f"wp-{i}"] = _history(100 + i, now, wave_cm=40.0 * (i / 59) ** 3, spikes=1)
    overview = OverviewChart()
    qtbot.addWidget(overview)
    overview.resize(1100, 420)
    overview.show()
    worst = worst_points(hist, {}, 5)
    overview.set_overview(hist, [(pid, f"监测点{pid[3:]}") for pid in worst])
    overview.plotItem.setTitle("全部监测点", color="#c9d1d9")
    overview.show_window(now)
    assert len(overview.curves) == 5
    assert set(worst) == {f"wp-{i}" for i in range(55, 60)}  # the deep-flooding ones
    bx, bmax = overview.band_max.getData()
    assert len(bx) > 100 and bmax.max() == pytest.approx(
        max(float(h.arrays()[1].max()) for h in hist.points.values()))
    qtbot.wait(20)
    overview.grab().save(str(artifacts_dir / "water_chart_overview.png"))


def test_live_view_moves_in_pixel_steps_and_always_shows_now(qtbot) -> None:  # type: ignore[no-untyped-def]
    """A 10 s reading on a 24 h view is a tenth of a pixel: the view (and its time axis) moves
    only every few pixel columns, and the latest reading is always inside it."""
    from desk.ui.water.charts import DepthChart

    chart = DepthChart()
    qtbot.addWidget(chart)
    chart.resize(1200, 400)
    chart.show()
    qtbot.waitExposed(chart)
    moves: list[object] = []
    chart.plotItem.vb.sigXRangeChanged.connect(lambda *a: moves.append(a))
    now = 1_750_000_000.0
    chart.show_window(now)
    first = len(moves)
    assert first >= 1
    for k in range(1, 60):
        chart.show_window(now + 10.0 * k)
        x0, x1 = chart.plotItem.vb.viewRange()[0]
        assert x0 < now + 10.0 * k - 86_400.0 * 0.99 and now + 10.0 * k < x1
    # 590 s at 72 s per pixel column: about 8 columns, one or two moves, not 59
    assert len(moves) - first <= 3
    chart.show_window(now, 3600.0)  # another span is applied at once
    x0, x1 = chart.plotItem.vb.viewRange()[0]
    assert x1 - x0 == pytest.approx(3600.0 * 1.02, rel=0.01)
