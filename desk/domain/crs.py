"""WGS-84 ⇄ GCJ-02 conversion, so WGS-84 data can be drawn on GCJ-02 (高德/腾讯) tiles.

GCJ-02 is the obfuscated system mandated for published maps of mainland China. The forward
transform (WGS-84 → GCJ-02) is the well-known published polynomial; it has no closed-form inverse,
so ``gcj02_to_wgs84`` iterates a fixed point: guess w, move it by the error of ``forward(w)``;
each step shrinks the error about a thousandfold, so a few steps reach millimetres.

Only mainland China is shifted. Hong Kong, Macau and Taiwan publish WGS-84 maps and stay
unshifted, as does everything outside China. The region test uses coarse rectangles and
polygons: within a couple of kilometres of a land border it can misjudge (documented in
resources/docs/map.md); that is good enough for a city control room, which is never there.
"""

from __future__ import annotations

import math

_A = 6378245.0  # Krasovsky 1940 semi-major axis, as the GCJ-02 algorithm defines it
_EE = 0.00669342162296594323  # and its first eccentricity squared

# (north, west, south, east) rectangles that together cover mainland China...
_MAINLAND = (
    (49.220400, 79.446200, 42.889900, 96.330000),
    (54.141500, 109.687200, 39.374200, 135.000200),
    (42.889900, 73.124600, 29.529700, 124.143255),
    (29.529700, 82.968400, 26.718600, 97.035200),
    (29.529700, 97.025300, 20.414096, 124.367395),
    (20.414096, 107.975793, 17.871542, 111.744104),
)
# ... minus these, which the rectangles overreach into (Taiwan, Vietnam/Laos, Russia, Korea).
_EXCLUDED = (
    (25.398623, 119.921265, 21.785006, 122.497559),  # Taiwan
    (22.284000, 101.865200, 20.098800, 106.665000),
    (21.542200, 106.452500, 20.487800, 108.051000),
    (55.817500, 109.032300, 50.325700, 119.127000),
    (55.817500, 127.456800, 49.557400, 137.022700),
    (44.892200, 131.266200, 42.569200, 137.022700),
)
# Hong Kong (land and waters, border along the Shenzhen River and Deep Bay) as (lat, lon).
_HONG_KONG = (
    (22.13, 113.82), (22.35, 113.83), (22.44, 113.89), (22.49, 113.98), (22.51, 114.03),
    (22.535, 114.10), (22.56, 114.23), (22.57, 114.45), (22.15, 114.50),
)
# Macau peninsula, Taipa and Coloane.
_MACAU = ((22.105, 113.528), (22.2135, 113.528), (22.2135, 113.600), (22.105, 113.600))


def _in_rect(lat: float, lon: float, rect: tuple[float, float, float, float]) -> bool:
    north, west, south, east = rect
    return south <= lat <= north and west <= lon <= east


def _in_polygon(lat: float, lon: float, poly: tuple[tuple[float, float], ...]) -> bool:
    inside = False
    n = len(poly)
    for i in range(n):
        y1, x1 = poly[i]
        y2, x2 = poly[(i + 1) % n]
        if (y1 > lat) != (y2 > lat):
            x_cross = x1 + (lat - y1) * (x2 - x1) / (y2 - y1)
            if lon < x_cross:
                inside = not inside
    return inside


def in_mainland_china(lat: float, lon: float) -> bool:
    """True where GCJ-02 applies: mainland China, not Hong Kong, Macau or Taiwan."""
    if not (17.0 <= lat <= 55.9 and 73.0 <= lon <= 135.1):
        return False
    if not any(_in_rect(lat, lon, r) for r in _MAINLAND):
        return False
    if any(_in_rect(lat, lon, r) for r in _EXCLUDED):
        return False
    return not (_in_polygon(lat, lon, _HONG_KONG) or _in_polygon(lat, lon, _MACAU))


def _offset(lat: float, lon: float) -> tuple[float, float]:
    """The GCJ-02 shift (dlat, dlon) in degrees at a WGS-84 position."""
    x = lon - 105.0
    y = lat - 35.0
    sqrt_abs_x = math.sqrt(abs(x))
    s6 = 20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)
    d_lat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt_abs_x
    d_lat += s6 * 2.0 / 3.0
    d_lat += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    d_lat += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    d_lon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt_abs_x
    d_lon += s6 * 2.0 / 3.0
    d_lon += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    d_lon += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    rad_lat = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad_lat) ** 2
    sqrt_magic = math.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * math.pi)
    d_lon = (d_lon * 180.0) / (_A / sqrt_magic * math.cos(rad_lat) * math.pi)
    return d_lat, d_lon


def wgs84_to_gcj02(lat: float, lon: float) -> tuple[float, float]:
    """WGS-84 (and CGCS2000) → GCJ-02; unchanged outside mainland China."""
    if not in_mainland_china(lat, lon):
        return lat, lon
    d_lat, d_lon = _offset(lat, lon)
    return lat + d_lat, lon + d_lon


def gcj02_to_wgs84(lat: float, lon: float, *, tol_deg: float = 1e-10, max_iter: int = 30) -> tuple[float, float]:
    """GCJ-02 → WGS-84 by fixed-point iteration; unchanged outside mainland China.

    The region is judged on the GCJ-02 input (the shift is at most ~700 m, so this only matters
    right on a border) and the iteration then ignores the region, so it cannot oscillate there.
    """
    if not in_mainland_china(lat, lon):
        return lat, lon
    w_lat, w_lon = lat, lon
    for _ in range(max_iter):
        d_lat, d_lon = _offset(w_lat, w_lon)
        err_lat = (w_lat + d_lat) - lat
        err_lon = (w_lon + d_lon) - lon
        w_lat -= err_lat
        w_lon -= err_lon
        if abs(err_lat) < tol_deg and abs(err_lon) < tol_deg:
            break
    return w_lat, w_lon
