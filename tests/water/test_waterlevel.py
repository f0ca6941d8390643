"""Threshold state and rate-of-rise on series with noise, gaps and out-of-order readings."""

from __future__ import annotations

import random

import pytest

from desk.domain.water import ROAD_DEFAULT, TUNNEL_DEFAULT, DepthThresholds
from desk.domain.waterlevel import (
    Trend,
    TrendRules,
    WaterState,
    latest_depth,
    rate_of_rise,
    water_state,
    water_state_with_hysteresis,
)

NOW = 1_750_000_000.0


@pytest.mark.parametrize(
    ("depth", "expected"),
    [(0, WaterState.NORMAL), (14.99, WaterState.NORMAL), (15, WaterState.CAUTION),
     (24.9, WaterState.CAUTION), (25, WaterState.WARNING), (39.99, WaterState.WARNING),
     (40, WaterState.CLOSED), (120, WaterState.CLOSED), (None, WaterState.NORMAL)],
)
def test_road_state_at_exact_thresholds(depth: float | None, expected: WaterState) -> None:
    assert water_state(depth, ROAD_DEFAULT) is expected


def test_tunnel_thresholds_are_lower() -> None:
    assert water_state(15, TUNNEL_DEFAULT) is WaterState.WARNING
    assert water_state(15, ROAD_DEFAULT) is WaterState.CAUTION


def test_inconsistent_thresholds_refused() -> None:
    with pytest.raises(ValueError, match="阈值"):
        DepthThresholds(30, 25, 40)


def test_hysteresis_holds_state_on_jitter_but_drops_when_clearly_below() -> None:
    st = WaterState.WARNING
    for d in (24.5, 25.3, 23.9, 24.8):  # jitter around 25 within the 2 cm margin
        st = water_state_with_hysteresis(d, ROAD_DEFAULT, st)
        assert st is WaterState.WARNING
    st = water_state_with_hysteresis(22.0, ROAD_DEFAULT, st)
    assert st is WaterState.CAUTION
    # rising is never delayed
    assert water_state_with_hysteresis(40, ROAD_DEFAULT, WaterState.NORMAL) is WaterState.CLOSED


def test_latest_depth_by_timestamp_not_arrival() -> None:
    readings = [(NOW, 20.0), (NOW - 30, 10.0), (NOW + 0.0, 21.0), (NOW - 10, float("nan"))]
    # a resent reading with the same time replaces the earlier one; NaN is ignored
    assert latest_depth(readings) == (NOW, 21.0)


def _series(slope_cm_per_min: float, *, noise: float, n: int = 90, step: float = 10.0,
            seed: int = 1) -> list[tuple[float, float]]:
    rng = random.Random(seed)
    return [(NOW - (n - 1 - i) * step,
             max(0.0, 10 + slope_cm_per_min * (i * step) / 60 + rng.uniform(-noise, noise)))
            for i in range(n)]


def test_flat_noisy_series_is_steady() -> None:
    r = rate_of_rise(_series(0.0, noise=2.0), NOW)
    assert r.trend is Trend.STEADY
    assert r.cm_per_min is not None and abs(r.cm_per_min) < 0.2


def test_rapid_rise_detected_through_noise_and_spikes() -> None:
    s = _series(1.0, noise=1.5)
    s[40] = (s[40][0], 0.0)  # a dropout reading
    s[60] = (s[60][0], 200.0)  # a spike
    r = rate_of_rise(s, NOW)
    assert r.trend is Trend.RISING_FAST
    assert r.cm_per_min == pytest.approx(1.0, abs=0.15)


def test_out_of_order_readings_give_the_same_trend() -> None:
    s = _series(0.3, noise=0.5)
    shuffled = s[:]
    random.Random(7).shuffle(shuffled)
    a, b = rate_of_rise(s, NOW), rate_of_rise(shuffled, NOW)
    assert a == b
    assert a.trend is Trend.RISING


def test_falling() -> None:
    assert rate_of_rise(_series(-0.5, noise=0.5), NOW).trend is Trend.FALLING


def test_gap_in_the_middle_still_gives_a_trend() -> None:
    s = [r for r in _series(1.0, noise=0.5) if not (NOW - 700 < r[0] < NOW - 200)]
    r = rate_of_rise(s, NOW)
    assert r.trend is Trend.RISING_FAST


def test_silent_sensor_and_sparse_data_are_unknown() -> None:
    s = _series(1.0, noise=0.5)
    # the sensor fell silent 11 minutes ago
    assert rate_of_rise(s, NOW + 660).trend is Trend.UNKNOWN
    assert rate_of_rise(s[-3:], NOW).trend is Trend.UNKNOWN  # too few points
    assert rate_of_rise(s[-6:], NOW).trend is Trend.UNKNOWN  # span below two minutes
    assert rate_of_rise([], NOW).cm_per_min is None


def test_readings_after_now_are_ignored() -> None:
    s = [*_series(0.0, noise=0.0), (NOW + 30, 90.0), (NOW + 40, 95.0)]
    assert rate_of_rise(s, NOW).trend is Trend.STEADY


def test_rules_are_configurable() -> None:
    s = _series(0.3, noise=0.0)
    assert rate_of_rise(s, NOW).trend is Trend.RISING
    assert rate_of_rise(s, NOW, TrendRules(rapid_cm_per_min=0.25)).trend is Trend.RISING_FAST


def test_many_points_at_once_give_the_same_trends_as_one_by_one() -> None:
    import random

    from desk.domain.waterlevel import rates_of_rise, theil_sen_slope

    rng = random.Random(4)
    series = {}
    for p in range(40):
        n = rng.randrange(0, 70)
        rate = rng.uniform(-1.0, 1.5) / 60
        series[f"p{p}"] = [(NOW - 900 + i * 13.0 + rng.uniform(0, 3), 5 + rate * i * 13.0
                            + rng.uniform(-1, 1)) for i in range(n)]
    from desk.domain.waterlevel import DEFAULT_TREND_RULES, _thin, clean_series

    together = rates_of_rise(series, NOW)
    for pid, s in series.items():
        alone = rate_of_rise(s, NOW)
        assert together[pid].trend is alone.trend
        if alone.cm_per_min is None:
            continue
        # the plain definition: median of the pairwise slopes of the thinned window
        window = [(t, d) for t, d in clean_series(s) if NOW - 900 <= t <= NOW]
        thin = _thin(window, DEFAULT_TREND_RULES.max_points)
        pair = sorted((d2 - d1) / (t2 - t1) for i, (t1, d1) in enumerate(thin)
                      for t2, d2 in thin[i + 1:] if t2 > t1)
        mid = len(pair) // 2
        ref = pair[mid] if len(pair) % 2 else (pair[mid - 1] + pair[mid]) / 2
        assert together[pid].cm_per_min == pytest.approx(ref * 60)
        assert alone.cm_per_min == pytest.approx(ref * 60)
    # the vectorised slope is the plain median of pairwise slopes
    pts = [(0.0, 0.0), (60.0, 1.0), (120.0, 5.0), (180.0, 3.0)]
    pair = sorted((d2 - d1) / (t2 - t1) for i, (t1, d1) in enumerate(pts) for t2, d2 in pts[i + 1:])
    assert theil_sen_slope(pts) == pytest.approx((pair[2] + pair[3]) / 2)
