"""The state of a water point from its depth readings: level against its thresholds and the rate of
rise, robust to sensor noise, gaps and readings that arrive out of order."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from desk.domain.water import DepthThresholds


class WaterState(StrEnum):
    """Level of a point against its thresholds (FACTS: 15/25/40 cm by default, per point)."""

    NORMAL = "normal"  # 正常
    CAUTION = "caution"  # 注意
    WARNING = "warning"  # 警告
    CLOSED = "closed"  # 封闭 (deep enough to close the road)

    @property
    def label(self) -> str:
        return _STATE_LABELS[self]

    @property
    def rank(self) -> int:
        return _STATE_RANK[self]

    @property
    def color(self) -> str:
        """Display colour (hex) shared by the map, the water panel and the dashboards."""
        return _STATE_COLORS[self]


_STATE_LABELS = {
    WaterState.NORMAL: "正常", WaterState.CAUTION: "注意",
    WaterState.WARNING: "警告", WaterState.CLOSED: "封闭",
}
_STATE_RANK = {WaterState.NORMAL: 0, WaterState.CAUTION: 1, WaterState.WARNING: 2,
               WaterState.CLOSED: 3}
_STATE_COLORS = {
    WaterState.NORMAL: "#3fb950", WaterState.CAUTION: "#e3b341",
    WaterState.WARNING: "#f0883e", WaterState.CLOSED: "#f85149",
}


def water_state(depth_cm: float | None, thresholds: DepthThresholds) -> WaterState:
    """The state for a depth; a depth exactly at a threshold is already in the higher state.
    ``None`` (no reading) is NORMAL here: callers that must show "no data" check for it first."""
    if depth_cm is None or not math.isfinite(depth_cm):
        return WaterState.NORMAL
    if depth_cm >= thresholds.close_cm:
        return WaterState.CLOSED
    if depth_cm >= thresholds.warning_cm:
        return WaterState.WARNING
    if depth_cm >= thresholds.caution_cm:
        return WaterState.CAUTION
    return WaterState.NORMAL


#: A state steps down only once the depth is this far below the threshold it crossed, so a sensor
#: jittering ±1 cm around 25 cm does not flip warning/caution every ten seconds (default).
DEFAULT_HYSTERESIS_CM = 2.0


def water_state_with_hysteresis(
    depth_cm: float | None,
    thresholds: DepthThresholds,
    previous: WaterState,
    margin_cm: float = DEFAULT_HYSTERESIS_CM,
) -> WaterState:
    """Like ``water_state`` but holds ``previous`` while a falling depth is within the margin."""
    raw = water_state(depth_cm, thresholds)
    if raw.rank >= previous.rank or depth_cm is None:
        return raw
    lowered = DepthThresholds(
        max(thresholds.caution_cm - margin_cm, 1e-6),
        max(thresholds.warning_cm - margin_cm, 2e-6),
        max(thresholds.close_cm - margin_cm, 3e-6),
    )
    held = water_state(depth_cm, lowered)
    return held if held.rank <= previous.rank else previous


class Trend(StrEnum):
    RISING_FAST = "rising_fast"  # 快速上涨
    RISING = "rising"  # 上涨
    STEADY = "steady"  # 平稳
    FALLING = "falling"  # 回落
    UNKNOWN = "unknown"  # 数据不足

    @property
    def arrow(self) -> str:
        return _TREND_ARROWS[self]

    @property
    def label(self) -> str:
        return _TREND_LABELS[self]


_TREND_ARROWS = {Trend.RISING_FAST: "⇈", Trend.RISING: "↑", Trend.STEADY: "→",
                 Trend.FALLING: "↓", Trend.UNKNOWN: "·"}
_TREND_LABELS = {Trend.RISING_FAST: "快速上涨", Trend.RISING: "上涨", Trend.STEADY: "平稳",
                 Trend.FALLING: "回落", Trend.UNKNOWN: "数据不足"}


@dataclass(frozen=True, slots=True)
class TrendRules:
    """How the rate of rise is judged (defaults; configurable per deployment).

    The slope is the Theil–Sen estimator (median of pairwise slopes) over the last ``window_s``:
    a single spike or a ±2 cm jitter barely moves a median, unlike a least-squares fit or a
    last-minus-first difference.
    """

    window_s: float = 900.0
    min_points: int = 4
    min_span_s: float = 120.0
    #: No reading this recent means the sensor is silent: the trend is unknown, not steady.
    stale_after_s: float = 600.0
    rising_cm_per_min: float = 0.2
    rapid_cm_per_min: float = 0.5
    #: Pairwise slopes are O(n²); thin the window to this many readings, evenly in time.
    max_points: int = 48


DEFAULT_TREND_RULES = TrendRules()


@dataclass(frozen=True, slots=True)
class TrendResult:
    trend: Trend
    cm_per_min: float | None
    points: int


def clean_series(readings: Iterable[tuple[float, float | None]]) -> list[tuple[float, float]]:
    """Sort by time, drop missing/non-finite depths, and keep the last value for a repeated time
    (a resent reading after a reconnect)."""
    by_time: dict[float, float] = {}
    for at, depth in readings:
        if depth is None or not math.isfinite(depth) or not math.isfinite(at):
            continue
        by_time[at] = depth
    return sorted(by_time.items())


def latest_depth(readings: Iterable[tuple[float, float | None]]) -> tuple[float, float] | None:
    """(at, depth) of the newest reading by its time stamp, not by arrival order."""
    series = clean_series(readings)
    return series[-1] if series else None


def _thin(series: Sequence[tuple[float, float]], n: int) -> list[tuple[float, float]]:
    if len(series) <= n:
        return list(series)
    step = (len(series) - 1) / (n - 1)
    return [series[round(i * step)] for i in range(n)]


def theil_sen_slope(series: Sequence[tuple[float, float]]) -> float | None:
    """Median of pairwise slopes (per second); None with fewer than two distinct times."""
    slopes: list[float] = []
    for i in range(len(series)):
        t_i, d_i = series[i]
        for j in range(i + 1, len(series)):
            t_j, d_j = series[j]
            if t_j > t_i:
                slopes.append((d_j - d_i) / (t_j - t_i))
    if not slopes:
        return None
    slopes.sort()
    mid = len(slopes) // 2
    return slopes[mid] if len(slopes) % 2 else (slopes[mid - 1] + slopes[mid]) / 2


def rate_of_rise(
    readings: Iterable[tuple[float, float | None]],
    now: float,
    rules: TrendRules = DEFAULT_TREND_RULES,
) -> TrendResult:
    """The trend of a point's depth over the last ``rules.window_s`` before ``now``.

    Readings may be in any order and contain duplicates, gaps and readings after ``now`` (ignored).
    With too few readings, too short a span, or a silent sensor the answer is UNKNOWN.
    """
    series = [(t, d) for t, d in clean_series(readings) if now - rules.window_s <= t <= now]
    if (
        len(series) < rules.min_points
        or series[-1][0] - series[0][0] < rules.min_span_s
        or now - series[-1][0] > rules.stale_after_s
    ):
        return TrendResult(Trend.UNKNOWN, None, len(series))
    slope = theil_sen_slope(_thin(series, rules.max_points))
    if slope is None:
        return TrendResult(Trend.UNKNOWN, None, len(series))
    per_min = slope * 60.0
    if per_min >= rules.rapid_cm_per_min:
        trend = Trend.RISING_FAST
    elif per_min >= rules.rising_cm_per_min:
        trend = Trend.RISING
    elif per_min <= -rules.rising_cm_per_min:
        trend = Trend.FALLING
    else:
        trend = Trend.STEADY
    return TrendResult(trend, per_min, len(series))
