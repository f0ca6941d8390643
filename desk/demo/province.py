"""A province-scale data set for benchmarks (省级规模): Hubei's seventeen prefecture-level cities
with 51,000 video cameras, 16,000 checkpoints (卡口), 5,000 units and 3,000 water points, seeded
and deterministic. The demo city of the desk stays Zhengzhou (desk/demo/city.py); this one only
feeds benchmarks of desk-central and of the desk's map at a province's size.

Checkpoints are camera sites on roads (卡口 are bayonet cameras), so they are ``cameras`` records
with ids ``KK…`` and names ending in 卡口; every record fits the synced entity rules
(desk/sync/rules.py), so the set loads into a central with ``bulk_load`` or into a workspace.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

#: (name, lat, lon, weight): where the province's people, roads and therefore devices are.
CITIES: tuple[tuple[str, float, float, float], ...] = (
    ("武汉", 30.593, 114.305, 13.7), ("宜昌", 30.692, 111.287, 4.0), ("襄阳", 32.009, 112.122, 5.3),
    ("荆州", 30.335, 112.240, 5.2), ("黄冈", 30.447, 114.872, 5.9), ("孝感", 30.925, 113.917, 4.3),
    ("十堰", 32.629, 110.798, 3.2), ("荆门", 31.035, 112.199, 2.6), ("咸宁", 29.841, 114.322, 2.7),
    ("黄石", 30.200, 115.039, 2.5), ("恩施", 30.272, 109.488, 3.5), ("随州", 31.690, 113.383, 2.0),
    ("鄂州", 30.391, 114.895, 1.1), ("仙桃", 30.362, 113.454, 1.1), ("天门", 30.663, 113.166, 1.2),
    ("潜江", 30.402, 112.900, 0.9), ("神农架", 31.745, 110.676, 0.1),
)
#: The province's extent (湖北省), for points scattered between cities.
BBOX = (29.03, 108.36, 33.28, 116.13)  # south, west, north, east


@dataclass(frozen=True, slots=True)
class ProvinceSpec:
    cameras: int = 51_000
    checkpoints: int = 16_000
    units: int = 5_000
    water_points: int = 3_000
    stations_per_city: int = 6
    seed: int = 420_000


@dataclass(slots=True)
class Province:
    stations: list[dict[str, Any]] = field(default_factory=list)
    cameras: list[dict[str, Any]] = field(default_factory=list)
    checkpoints: list[dict[str, Any]] = field(default_factory=list)
    units: list[dict[str, Any]] = field(default_factory=list)
    water_points: list[dict[str, Any]] = field(default_factory=list)

    def by_entity(self) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        """(entity, records) in load order; checkpoints go in as cameras."""
        yield "stations", self.stations
        yield "cameras", self.cameras + self.checkpoints
        yield "units", self.units
        yield "water_points", self.water_points

    def counts(self) -> dict[str, int]:
        return {"stations": len(self.stations), "cameras": len(self.cameras),
                "checkpoints": len(self.checkpoints), "units": len(self.units),
                "water_points": len(self.water_points)}


_CUM_WEIGHTS = tuple(sum(c[3] for c in CITIES[:i + 1]) for i in range(len(CITIES)))
_SLUGS = {c[0]: f"city{i:02d}" for i, c in enumerate(CITIES)}


def _place(rng: random.Random, spread_km: float) -> tuple[str, float, float]:
    """A point near a city chosen by weight (Gaussian around its centre), inside the province."""
    name, lat, lon, _ = rng.choices(CITIES, cum_weights=_CUM_WEIGHTS)[0]
    s, w, n, e = BBOX
    while True:
        dlat = rng.gauss(0.0, spread_km / 111.0)
        dlon = rng.gauss(0.0, spread_km / (111.0 * math.cos(math.radians(lat))))
        plat, plon = round(lat + dlat, 6), round(lon + dlon, 6)
        if s <= plat <= n and w <= plon <= e:
            return name, plat, plon


def generate_province(spec: ProvinceSpec | None = None) -> Province:
    """The whole set; the same spec always gives the same records."""
    spec = spec or ProvinceSpec()
    rng = random.Random(spec.seed)
    out = Province()
    station_ids: dict[str, list[str]] = {}
    for ci, (city, lat, lon, _) in enumerate(CITIES):
        ids = station_ids.setdefault(city, [])
        for k in range(spec.stations_per_city):
            sid = f"P{ci:02d}S{k:02d}"
            ids.append(sid)
            out.stations.append({"id": sid, "name": f"{city}交警第{k + 1}大队", "kind": "brigade",
                                 "parent_id": None, "district": city,
                                 "lat": round(lat + rng.uniform(-0.08, 0.08), 6),
                                 "lon": round(lon + rng.uniform(-0.08, 0.08), 6)})
    for i in range(spec.cameras):
        city, lat, lon = _place(rng, 12.0)
        out.cameras.append({"id": f"C{i:06d}", "name": f"{city}视频{i:06d}", "road": f"{city}道路",
                            "district": city, "lat": lat, "lon": lon,
                            "stream_url": f"rtsp://video.{ci_slug(city)}.example/{i}"})
    for i in range(spec.checkpoints):
        city, lat, lon = _place(rng, 30.0)  # on trunk roads between towns: wider spread
        out.checkpoints.append({"id": f"KK{i:06d}", "name": f"{city}{i:05d}卡口",
                                "road": f"G{rng.choice((4, 42, 50, 55, 70, 107, 207, 316))}",
                                "district": city, "lat": lat, "lon": lon, "stream_url": None})
    for i in range(spec.units):
        city, _, _ = _place(rng, 1.0)
        out.units.append({"id": f"U{i:05d}", "call_sign": f"{city}巡{i:05d}",
                          "kind": rng.choice(("patrol", "patrol", "moto", "tow")),
                          "station_id": rng.choice(station_ids[city]),
                          "device_id": f"dev-{i:05d}", "status": "idle"})
    for i in range(spec.water_points):
        city, lat, lon = _place(rng, 8.0)
        out.water_points.append({"id": f"W{i:05d}", "name": f"{city}易涝点{i:05d}",
                                 "kind": rng.choice(("underpass", "tunnel", "low_road")),
                                 "road": f"{city}道路", "district": city, "lat": lat, "lon": lon,
                                 "caution_cm": 15, "warning_cm": 27, "close_cm": 40})
    return out


def ci_slug(city: str) -> str:
    """A stable ASCII host label for a city (its index among the cities)."""
    return _SLUGS[city]


def unit_positions(province: Province, rng: random.Random) -> list[tuple[str, float, float]]:
    """One plausible fix per unit near its station (for ingest benchmarks)."""
    where = {s["id"]: (s["lat"], s["lon"]) for s in province.stations}
    out = []
    for u in province.units:
        lat, lon = where[u["station_id"]]
        out.append((u["id"], lat + rng.gauss(0, 0.03), lon + rng.gauss(0, 0.03)))
    return out
