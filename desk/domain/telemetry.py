"""Live telemetry values (unit fixes, sensor readings) and the checks that keep bad ones out."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

#: A fix stamped further in the future than this is rejected (clock skew on trackers is common,
#: but minutes ahead means a broken clock, and such a fix would pin a unit as "fresh" forever).
MAX_FUTURE_S = 300.0
#: Fixes worse than this are dropped, as CAD systems do (FACTS: drop poor-accuracy fixes).
MAX_ACCURACY_M = 200.0


@dataclass(frozen=True, slots=True)
class UnitFix:
    """One position report of a unit. ``at`` is POSIX seconds; heading in degrees from north."""

    unit_id: str
    lat: float
    lon: float
    at: float
    heading: float | None = None
    speed_kmh: float | None = None
    accuracy_m: float | None = None


@dataclass(frozen=True, slots=True)
class SensorReading:
    """One report of a water point's sensor: depth in cm and/or rain in mm since the last report."""

    point_id: str
    at: float
    depth_cm: float | None = None
    rain_mm: float | None = None


def _bad_number(x: float | None) -> bool:
    return x is not None and not math.isfinite(x)


def fix_rejection(fix: UnitFix, now: float) -> str | None:
    """Why ``fix`` must not be stored, as a short reason code, or ``None`` when it is good."""
    if _bad_number(fix.lat) or _bad_number(fix.lon) or _bad_number(fix.at):
        return "not_finite"
    if not (-90.0 <= fix.lat <= 90.0 and -180.0 <= fix.lon <= 180.0):
        return "out_of_range"
    if fix.at > now + MAX_FUTURE_S:
        return "future_time"
    if fix.at <= 0:
        return "bad_time"
    if _bad_number(fix.heading) or _bad_number(fix.speed_kmh) or _bad_number(fix.accuracy_m):
        return "not_finite"
    if fix.speed_kmh is not None and fix.speed_kmh < 0:
        return "negative_speed"
    if fix.accuracy_m is not None and fix.accuracy_m > MAX_ACCURACY_M:
        return "poor_accuracy"
    return None


def reading_rejection(reading: SensorReading, now: float) -> str | None:
    """Why ``reading`` must not be stored, as a short reason code, or ``None`` when it is good."""
    if reading.depth_cm is None and reading.rain_mm is None:
        return "empty"
    if _bad_number(reading.depth_cm) or _bad_number(reading.rain_mm) or _bad_number(reading.at):
        return "not_finite"
    if reading.depth_cm is not None and reading.depth_cm < 0:
        return "negative_depth"
    if reading.rain_mm is not None and reading.rain_mm < 0:
        return "negative_rain"
    if reading.at > now + MAX_FUTURE_S:
        return "future_time"
    if reading.at <= 0:
        return "bad_time"
    return None


@dataclass(slots=True)
class Screened:
    """Telemetry split into what may be stored and the count of what may not, by reason."""

    fixes: list[UnitFix] = field(default_factory=list)
    readings: list[SensorReading] = field(default_factory=list)
    rejected: Counter[str] = field(default_factory=Counter)


def screen_telemetry(
    fixes: Iterable[UnitFix],
    readings: Iterable[SensorReading],
    now: float,
    *,
    known_units: Collection[str] | None = None,
    known_points: Collection[str] | None = None,
) -> Screened:
    """Apply the checks above to a batch; with ``known_units``/``known_points`` also reject
    fixes of unknown devices and readings of unknown points. Used by the app's store and by
    desk-central, so both refuse exactly the same values for the same reasons."""
    out = Screened()
    for fix in fixes:
        reason = fix_rejection(fix, now)
        if reason is None and known_units is not None and fix.unit_id not in known_units:
            reason = "unknown_device"
        if reason:
            out.rejected[reason] += 1
        else:
            out.fixes.append(fix)
    for reading in readings:
        reason = reading_rejection(reading, now)
        if reason is None and known_points is not None and reading.point_id not in known_points:
            reason = "unknown_point"
        if reason:
            out.rejected[reason] += 1
        else:
            out.readings.append(reading)
    return out


REJECTION_LABELS = {
    "not_finite": "数值无效（NaN/无穷）",
    "out_of_range": "坐标超出范围",
    "future_time": "时间在未来",
    "bad_time": "时间无效",
    "negative_speed": "速度为负",
    "poor_accuracy": "定位精度太差",
    "empty": "读数为空",
    "negative_depth": "水深为负",
    "negative_rain": "雨量为负",
    "unknown_device": "未知设备",
    "unknown_point": "未知监测点",
}
