"""Plane geometry for city-sized areas: a local metric projection, polylines and polygons.

At the scale of one city (a few tens of kilometres) an equirectangular projection about the
city's centre is accurate to well under a metre per kilometre, which is far finer than the
hand-drawn basemap; it keeps the demo generator dependency-free and fast.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from desk.domain.geo import EARTH_RADIUS_M

XY = tuple[float, float]

_M_PER_DEG = math.pi * EARTH_RADIUS_M / 180.0


@dataclass(frozen=True, slots=True)
class LocalProjection:
    """Equirectangular projection about (lat0, lon0): x east and y north, in metres."""

    lat0: float
    lon0: float

    @property
    def _kx(self) -> float:
        return _M_PER_DEG * math.cos(math.radians(self.lat0))

    def to_xy(self, lat: float, lon: float) -> XY:
        return ((lon - self.lon0) * self._kx, (lat - self.lat0) * _M_PER_DEG)

    def to_latlon(self, x: float, y: float) -> tuple[float, float]:
        return (self.lat0 + y / _M_PER_DEG, self.lon0 + x / self._kx)


def point_in_ring(x: float, y: float, ring: Sequence[XY]) -> bool:
    """Even-odd ray casting; ``ring`` may or may not repeat its first vertex at the end."""
    inside = False
    n = len(ring)
    j = n - 1
    for i in range(n):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def distance_to_segment(px: float, py: float, a: XY, b: XY) -> float:
    ax, ay = a
    dx, dy = b[0] - ax, b[1] - ay
    seg2 = dx * dx + dy * dy
    t = 0.0 if seg2 == 0.0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / seg2))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def segment_intersection(a: XY, b: XY, c: XY, d: XY, eps: float = 1e-9) -> tuple[float, float] | None:
    """Parameters (t along a→b, u along c→d) where two segments cross, or None.

    Touching ends count (a road that ends on another still meets it); parallel segments do not.
    """
    rx, ry = b[0] - a[0], b[1] - a[1]
    sx, sy = d[0] - c[0], d[1] - c[1]
    denom = rx * sy - ry * sx
    if abs(denom) < 1e-12:
        return None
    qx, qy = c[0] - a[0], c[1] - a[1]
    t = (qx * sy - qy * sx) / denom
    u = (qx * ry - qy * rx) / denom
    if -eps <= t <= 1 + eps and -eps <= u <= 1 + eps:
        return (min(1.0, max(0.0, t)), min(1.0, max(0.0, u)))
    return None


class Polyline:
    """A projected polyline with cumulative lengths, for placing things at a distance along it."""

    __slots__ = ("_cum", "points")

    def __init__(self, points: Sequence[XY]) -> None:
        if len(points) < 2:
            raise ValueError("折线至少需要两个点")
        self.points: tuple[XY, ...] = tuple(points)
        cum = [0.0]
        for (x0, y0), (x1, y1) in itertools.pairwise(self.points):
            cum.append(cum[-1] + math.hypot(x1 - x0, y1 - y0))
        self._cum = cum

    @property
    def length(self) -> float:
        return self._cum[-1]

    def chainage_of(self, segment: int, t: float) -> float:
        """Distance along the line of the point at fraction ``t`` of segment ``segment``."""
        return self._cum[segment] + t * (self._cum[segment + 1] - self._cum[segment])

    def at(self, s: float) -> tuple[XY, float]:
        """The point at distance ``s`` along the line (clamped) and the line's bearing there.

        The bearing is in degrees clockwise from north, as a compass (and a GPS heading) reads.
        """
        s = max(0.0, min(self.length, s))
        i = max(0, min(len(self.points) - 2, bisect.bisect_right(self._cum, s) - 1))
        seg_len = self._cum[i + 1] - self._cum[i]
        t = 0.0 if seg_len == 0.0 else (s - self._cum[i]) / seg_len
        (x0, y0), (x1, y1) = self.points[i], self.points[i + 1]
        bearing = math.degrees(math.atan2(x1 - x0, y1 - y0)) % 360.0
        return (x0 + t * (x1 - x0), y0 + t * (y1 - y0)), bearing

    def offset_point(self, s: float, offset_m: float) -> tuple[XY, float]:
        """The point ``offset_m`` to the right of the line (negative: left) at distance ``s``."""
        (x, y), bearing = self.at(s)
        rad = math.radians(bearing + 90.0)
        return (x + offset_m * math.sin(rad), y + offset_m * math.cos(rad)), bearing

    def distance_to(self, px: float, py: float) -> float:
        return min(
            distance_to_segment(px, py, a, b)
            for a, b in itertools.pairwise(self.points)
        )
