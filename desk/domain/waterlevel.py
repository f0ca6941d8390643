"""The state of a water point from its readings: level against its thresholds (with hysteresis) and
the rate of rise, robust to sensor noise, gaps and readings that arrive out of order.

This is the one definition of "water level from depth with hysteresis" (``step_point``): the
water service applies it to every accepted reading and persists the result per point, and the
map, panels and dashboards show that persisted state instead of judging depths themselves.

Rivers and reservoirs report a water *level*, judged against 汛限水位, 警戒水位 and 保证水位
(the three thresholds of such a point, in that order); they are never "closed"
(``state_label``)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from desk.domain.water import DepthThresholds, WaterPointKind


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


#: Labels of the states for rivers and reservoirs, judged by water level: above 汛限水位, above
#: 警戒水位, above 保证水位 (《防洪标准》/水文 practice; the three lines are per point).
_LEVEL_KIND_LABELS = {
    WaterState.NORMAL: "正常", WaterState.CAUTION: "超汛限",
    WaterState.WARNING: "超警戒", WaterState.CLOSED: "超保证",
}
#: The threshold names of each family, in order (caution, warning, close).
DEPTH_LINE_NAMES = ("注意", "警告", "封闭")
LEVEL_LINE_NAMES = ("汛限水位", "警戒水位", "保证水位")


def judged_by_level(kind: WaterPointKind) -> bool:
    """Rivers and reservoirs: a water level against 汛限/警戒/保证, not a depth on a road."""
    return kind in (WaterPointKind.RIVER, WaterPointKind.RESERVOIR)


def state_label(state: WaterState, kind: WaterPointKind) -> str:
    """What a dispatcher reads for a point of ``kind`` in ``state`` (a river is 超警戒, not 封闭)."""
    return _LEVEL_KIND_LABELS[state] if judged_by_level(kind) else state.label


def line_names(kind: WaterPointKind) -> tuple[str, str, str]:
    return LEVEL_LINE_NAMES if judged_by_level(kind) else DEPTH_LINE_NAMES


def map_level_code(state: WaterState | None) -> int:
    """The map's code: 0 no data, 1 normal, 2 caution, 3 warning, 4 close (top line)."""
    return 0 if state is None else state.rank + 1


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
    """Median of pairwise slopes (per second); None with fewer than two distinct times.
    Vectorised (numpy): a batch judges hundreds of points, each with dozens of readings."""
    import numpy as np  # here, not at import: the map and panels load this module at start-up

    if len(series) < 2:
        return None
    arr = np.asarray(series, dtype=float)
    t, d = arr[:, 0], arr[:, 1]
    dt = t[None, :] - t[:, None]
    upper = np.triu(np.ones(dt.shape, dtype=bool), 1) & (dt > 0)
    if not upper.any():
        return None
    return float(np.median((d[None, :] - d[:, None])[upper] / dt[upper]))


def rate_of_rise(
    readings: Iterable[tuple[float, float | None]],
    now: float,
    rules: TrendRules = DEFAULT_TREND_RULES,
) -> TrendResult:
    """The trend of a point's depth over the last ``rules.window_s`` before ``now``.

    Readings may be in any order and contain duplicates, gaps and readings after ``now`` (ignored).
    With too few readings, too short a span, or a silent sensor the answer is UNKNOWN.
    """
    return rates_of_rise({"": readings}, now, rules)[""]


#: Points per numpy pass (bounds the temporary arrays to a few MB).
_SLOPE_CHUNK = 128


def _median_slopes(series_list: list[list[tuple[float, float]]]) -> list[float | None]:
    """Theil–Sen slope (per second) of each series, padded into one array."""
    import numpy as np

    m = max(len(s) for s in series_list)
    t = np.full((len(series_list), m), np.nan)
    d = np.full((len(series_list), m), np.nan)
    for i, series in enumerate(series_list):
        arr = np.asarray(series, dtype=float)
        t[i, : len(series)] = arr[:, 0]
        d[i, : len(series)] = arr[:, 1]
    dt = t[:, None, :] - t[:, :, None]
    dd = d[:, None, :] - d[:, :, None]
    upper = np.triu(np.ones((m, m), dtype=bool), 1)[None, :, :] & (dt > 0)
    n = len(series_list)
    with np.errstate(invalid="ignore", divide="ignore"):
        slopes = np.where(upper, dd / np.where(upper, dt, 1.0), np.inf).reshape(n, -1)
    # Median of each row's valid slopes: invalid ones are +inf and sort last.
    slopes.sort(axis=1)
    count = upper.reshape(n, -1).sum(axis=1)
    hi = np.clip(count // 2, 0, slopes.shape[1] - 1)
    lo = np.clip((count - 1) // 2, 0, slopes.shape[1] - 1)
    rows = np.arange(n)
    medians = (slopes[rows, lo] + slopes[rows, hi]) / 2.0
    return [float(v) if c else None for v, c in zip(medians, count, strict=True)]


def rates_of_rise(
    readings_by_point: Mapping[str, Iterable[tuple[float, float | None]]],
    now: float,
    rules: TrendRules = DEFAULT_TREND_RULES,
) -> dict[str, TrendResult]:
    """``rate_of_rise`` for many points at once: the Theil–Sen slopes of every point are taken
    in one numpy pass (a batch judges hundreds of points; one call per point cost ~2 ms each)."""
    out: dict[str, TrendResult] = {}
    eligible: list[tuple[str, list[tuple[float, float]], int]] = []
    for pid, readings in readings_by_point.items():
        series = [(t, d) for t, d in clean_series(readings) if now - rules.window_s <= t <= now]
        if (
            len(series) < rules.min_points
            or series[-1][0] - series[0][0] < rules.min_span_s
            or now - series[-1][0] > rules.stale_after_s
        ):
            out[pid] = TrendResult(Trend.UNKNOWN, None, len(series))
        else:
            eligible.append((pid, _thin(series, rules.max_points), len(series)))
    if not eligible:
        return out
    medians: list[float | None] = []
    for k in range(0, len(eligible), _SLOPE_CHUNK):
        medians.extend(_median_slopes([s for _, s, _ in eligible[k:k + _SLOPE_CHUNK]]))
    for (pid, _, n), slope in zip(eligible, medians, strict=True):
        if slope is None:
            out[pid] = TrendResult(Trend.UNKNOWN, None, n)
            continue
        per_min = slope * 60.0
        if per_min >= rules.rapid_cm_per_min:
            trend = Trend.RISING_FAST
        elif per_min >= rules.rising_cm_per_min:
            trend = Trend.RISING
        elif per_min <= -rules.rising_cm_per_min:
            trend = Trend.FALLING
        else:
            trend = Trend.STEADY
        out[pid] = TrendResult(trend, per_min, n)
    return out


# -- rise alerts and the persisted per-point state --------------------------------------------

@dataclass(frozen=True, slots=True)
class RiseAlertRules:
    """When a fast rise is worth an alert (defaults; configurable per deployment).

    A rise of 0.7 cm/min at 5 cm on a road is rain running off, not news: the point must already
    hold at least ``min_depth_fraction`` of its caution depth (and ``min_depth_cm``), and the
    rate must have stayed at RISING_FAST for ``sustained_s``. One alert per rise episode; the
    episode ends when the trend drops below RISING.
    """

    min_depth_cm: float = 5.0
    min_depth_fraction: float = 0.6
    sustained_s: float = 180.0

    def min_depth(self, thresholds: DepthThresholds) -> float:
        return max(self.min_depth_cm, self.min_depth_fraction * thresholds.caution_cm)


DEFAULT_RISE_RULES = RiseAlertRules()


@dataclass(frozen=True, slots=True)
class PointLevelState:
    """What is kept per point between readings (and across restarts): the state with its
    hysteresis, the trend, and the current rise episode."""

    state: WaterState = WaterState.NORMAL
    trend: Trend = Trend.UNKNOWN
    rise_since: float | None = None
    rise_alerted: bool = False


@dataclass(frozen=True, slots=True)
class LevelStep:
    """The result of one evaluation: the new state and what to tell people."""

    new: PointLevelState
    entered: WaterState | None  # a higher state was entered (alert)
    rise_alert: bool  # a sustained fast rise at a depth that matters (alert)


def step_point(
    previous: PointLevelState,
    depth_cm: float | None,
    trend: TrendResult,
    thresholds: DepthThresholds,
    now: float,
    *,
    margin_cm: float = DEFAULT_HYSTERESIS_CM,
    rise: RiseAlertRules = DEFAULT_RISE_RULES,
) -> LevelStep:
    """One step of a point's state machine, the same everywhere it is needed."""
    state = (water_state_with_hysteresis(depth_cm, thresholds, previous.state, margin_cm)
             if depth_cm is not None else previous.state)
    entered = state if state.rank > previous.state.rank and state is not WaterState.NORMAL \
        else None
    rise_since, alerted = previous.rise_since, previous.rise_alerted
    if trend.trend is Trend.RISING_FAST:
        if rise_since is None:
            rise_since, alerted = now, False
    elif trend.trend is not Trend.RISING:
        rise_since, alerted = None, False
    rise_alert = (
        rise_since is not None and not alerted and trend.trend is Trend.RISING_FAST
        and now - rise_since >= rise.sustained_s
        and depth_cm is not None and depth_cm >= rise.min_depth(thresholds)
    )
    if rise_alert:
        alerted = True
    return LevelStep(PointLevelState(state, trend.trend, rise_since, alerted), entered, rise_alert)
