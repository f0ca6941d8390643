"""Live telemetry values (unit fixes, sensor readings) and the checks that keep bad ones out."""

from __future__ import annotations

import dataclasses
import math
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

#: A fix stamped further in the future than this is rejected (clock skew on trackers is common,
#: but minutes ahead means a broken clock, and such a fix would pin a unit as "fresh" forever).
MAX_FUTURE_S = 300.0
#: Fixes worse than this are dropped, as CAD systems do (FACTS: drop poor-accuracy fixes).
MAX_ACCURACY_M = 200.0
#: The default oldest fix or reading desk-central stores (``desk-central serve --max-fix-age``):
#: a tracker replaying a week-old buffer, or stamping 1970 after a flat battery, must not move
#: a unit on the map.
DEFAULT_MAX_AGE_S = 7 * 24 * 3600.0
#: What trackers send for "not known" (iOS Core Location, Traccar Client 9): −1 speed or course.
UNKNOWN = -1.0


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


def _is_number(x: Any) -> bool:
    # bool is an int in Python, but ``"lon": false`` is not longitude 0.
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _bad_type(*values: Any, optional: tuple[Any, ...] = ()) -> bool:
    return not all(_is_number(v) for v in values) or not all(
        v is None or _is_number(v) for v in optional)


def _bad_number(x: float | None) -> bool:
    return x is not None and not math.isfinite(x)


def normalise_fix(fix: UnitFix) -> UnitFix:
    """``fix`` with "unknown" spelled as ``None``: a speed or heading of −1 (iOS, Traccar Client)
    is not known, not negative; a heading is folded into [0, 360) (720° → 0°, −90° → 270°),
    as a compass course is. Values of a wrong type are left for :func:`fix_rejection`."""
    heading, speed = fix.heading, fix.speed_kmh
    if _is_number(heading) and heading is not None and math.isfinite(heading):
        heading = None if heading == UNKNOWN else float(heading) % 360.0
    if _is_number(speed) and speed == UNKNOWN:
        speed = None
    if heading is fix.heading and speed is fix.speed_kmh:
        return fix
    return dataclasses.replace(fix, heading=heading, speed_kmh=speed)


def fix_rejection(fix: UnitFix, now: float, max_age_s: float | None = None) -> str | None:
    """Why ``fix`` must not be stored, as a short reason code, or ``None`` when it is good.
    Any value of a wrong type (``None`` position, a raw string, a boolean) is ``bad_type``."""
    if not isinstance(fix.unit_id, str) or not fix.unit_id:
        return "bad_type"
    if _bad_type(fix.lat, fix.lon, fix.at, optional=(fix.heading, fix.speed_kmh, fix.accuracy_m)):
        return "bad_type"
    if _bad_number(fix.lat) or _bad_number(fix.lon) or _bad_number(fix.at):
        return "not_finite"
    if not (-90.0 <= fix.lat <= 90.0 and -180.0 <= fix.lon <= 180.0):
        return "out_of_range"
    if fix.at > now + MAX_FUTURE_S:
        return "future_time"
    if fix.at <= 0:
        return "bad_time"
    if max_age_s is not None and fix.at < now - max_age_s:
        return "too_old"
    if _bad_number(fix.heading) or _bad_number(fix.speed_kmh) or _bad_number(fix.accuracy_m):
        return "not_finite"
    if fix.speed_kmh is not None and fix.speed_kmh < 0:
        return "negative_speed"
    if fix.accuracy_m is not None and fix.accuracy_m > MAX_ACCURACY_M:
        return "poor_accuracy"
    return None


def reading_rejection(reading: SensorReading, now: float,
                      max_age_s: float | None = None) -> str | None:
    """Why ``reading`` must not be stored, as a short reason code, or ``None`` when it is good."""
    if not isinstance(reading.point_id, str) or not reading.point_id:
        return "bad_type"
    if _bad_type(reading.at, optional=(reading.depth_cm, reading.rain_mm)):
        return "bad_type"
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
    if max_age_s is not None and reading.at < now - max_age_s:
        return "too_old"
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
    max_age_s: float | None = None,
) -> Screened:
    """Apply the checks above to a batch; with ``known_units``/``known_points`` also reject
    fixes of unknown devices and readings of unknown points, with ``max_age_s`` ones older than
    that. Used by the app's store and by desk-central, so both refuse exactly the same values
    for the same reasons. Every bad value is a counted reject, never an exception; accepted
    fixes come back normalised (:func:`normalise_fix`)."""
    out = Screened()
    for raw in fixes:
        fix = normalise_fix(raw) if isinstance(raw, UnitFix) else raw
        reason = fix_rejection(fix, now, max_age_s) if isinstance(fix, UnitFix) else "bad_type"
        if reason is None and known_units is not None and fix.unit_id not in known_units:
            reason = "unknown_device"
        if reason:
            out.rejected[reason] += 1
        else:
            out.fixes.append(fix)
    for reading in readings:
        reason = (reading_rejection(reading, now, max_age_s)
                  if isinstance(reading, SensorReading) else "bad_type")
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
    "bad_type": "数值类型无效（缺失、文字或布尔值）",
    "too_old": "时间过旧（超过允许的最长时限）",
}
