"""``screen_telemetry`` (shared by the app's store and desk-central): every bad value is a
counted reject, never an exception; "unknown" −1 values and headings are normalised."""

from __future__ import annotations

import math
from typing import Any

from desk.domain.telemetry import DEFAULT_MAX_AGE_S, SensorReading, UnitFix, screen_telemetry

NOW = 1_800_000_000.0


def fix(**changes: Any) -> UnitFix:
    base: dict[str, Any] = {"unit_id": "U1", "lat": 34.7, "lon": 113.6, "at": NOW - 10}
    return UnitFix(**{**base, **changes})


def test_values_of_any_wrong_type_are_counted_not_raised() -> None:
    bad_fixes = [fix(lat=None), fix(lat="34.7"), fix(lon=False), fix(at=True), fix(at="now"),
                 fix(heading="north"), fix(speed_kmh=True), fix(accuracy_m=[1]),
                 fix(unit_id=None), fix(unit_id=""), fix(lat=math.nan), fix(lon=math.inf)]
    bad_readings = [SensorReading("W1", None, 3.0), SensorReading("W1", NOW, "3"),  # type: ignore[arg-type]
                    SensorReading("W1", NOW, False), SensorReading(None, NOW, 1.0),  # type: ignore[arg-type]
                    SensorReading("W1", NOW, math.nan)]
    garbage: list[Any] = [None, "fix", 5]
    out = screen_telemetry([*bad_fixes, *garbage], [*bad_readings, *garbage], NOW)
    assert not out.fixes and not out.readings
    assert out.rejected == {"bad_type": 10 + 3 + 4 + 3, "not_finite": 2 + 1}


def test_unknown_speed_and_heading_and_heading_folding() -> None:
    out = screen_telemetry([fix(speed_kmh=-1.0, heading=-1.0), fix(heading=720.0),
                            fix(heading=-90.0), fix(heading=359.5, speed_kmh=0)], [], NOW)
    assert [(f.heading, f.speed_kmh) for f in out.fixes] == [
        (None, None), (0.0, None), (270.0, None), (359.5, 0)]
    assert not out.rejected
    # Other negative speeds stay refused: they are wrong, not unknown.
    assert screen_telemetry([fix(speed_kmh=-5.0)], [], NOW).rejected == {"negative_speed": 1}


def test_old_fixes_and_readings_are_refused_when_an_age_limit_is_given() -> None:
    old = NOW - DEFAULT_MAX_AGE_S - 1
    fixes = [fix(at=1.0), fix(at=old), fix(at=NOW - 3600)]
    readings = [SensorReading("W1", old, 3.0), SensorReading("W1", NOW - 60, 3.0)]
    out = screen_telemetry(fixes, readings, NOW, max_age_s=DEFAULT_MAX_AGE_S)
    assert len(out.fixes) == 1 and len(out.readings) == 1
    assert out.rejected == {"too_old": 3}
    # Without a limit (the app's own store replaying its history) old is fine.
    assert len(screen_telemetry(fixes, readings, NOW).fixes) == 3
