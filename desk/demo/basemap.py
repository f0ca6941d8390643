"""Loading and checking the offline vector basemap (a GeoJSON FeatureCollection in WGS-84).

The file holds one feature per map object, told apart by ``properties.layer``:

==========  ===================================  ==============================================
layer       geometry                             properties
==========  ===================================  ==============================================
district    Polygon or MultiPolygon              ``name`` (区县名, e.g. 金水区)
road        LineString or MultiLineString        ``name``, ``class`` (``arterial``/``express``)
river       LineString or MultiLineString        ``name`` (河道/渠)
railway     LineString or MultiLineString        ``name``
reservoir   Polygon or Point                     ``name`` (水库)
place       Point                                ``name``, optional ``kind`` and ``aliases``
==========  ===================================  ==============================================

Features of other layers are skipped, so a richer replacement map still loads. Polygon edges are
straight in longitude/latitude, as GeoJSON (RFC 7946) defines them.
"""

from __future__ import annotations

import itertools
import json
import logging
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from desk.demo.geometry import XY, LocalProjection, distance_to_segment, point_in_ring
from desk.domain.geo import LatLon
from desk.paths import maps_dir

log = logging.getLogger(__name__)

DEFAULT_BASEMAP_NAME = "zhengzhou.geojson"
ROAD_CLASSES = ("arterial", "express")

#: Size of a cell of the nearest-road index; a query looks at its own cell and the eight around it,
#: so any road within this distance is always found.
_INDEX_CELL_M = 1000.0


class BasemapError(ValueError):
    """The basemap file is missing or not a usable map. The message is for the user (中文)."""


@dataclass(frozen=True, slots=True)
class BBox:
    """A WGS-84 bounding box."""

    south: float
    west: float
    north: float
    east: float

    @property
    def centre(self) -> LatLon:
        return LatLon((self.south + self.north) / 2, (self.west + self.east) / 2)

    def contains(self, lat: float, lon: float) -> bool:
        return self.south <= lat <= self.north and self.west <= lon <= self.east


def _bbox_of(points: Iterable[LatLon]) -> BBox:
    pts = list(points)
    return BBox(
        min(p.lat for p in pts), min(p.lon for p in pts),
        max(p.lat for p in pts), max(p.lon for p in pts),
    )


@dataclass(frozen=True, slots=True)
class Road:
    """A named road (道路) drawn as one polyline; a road in several pieces appears once per piece."""

    name: str
    road_class: str
    points: tuple[LatLon, ...]

    @property
    def is_express(self) -> bool:
        return self.road_class == "express"


@dataclass(frozen=True, slots=True)
class River:
    """A river or canal (河道/渠) centre line."""

    name: str
    points: tuple[LatLon, ...]


@dataclass(frozen=True, slots=True)
class Railway:
    name: str
    points: tuple[LatLon, ...]


@dataclass(frozen=True, slots=True)
class Reservoir:
    """A reservoir (水库): its shoreline when the map has one, and a centre either way."""

    name: str
    centre: LatLon
    shore: tuple[LatLon, ...] | None = None


@dataclass(frozen=True, slots=True)
class Place:
    """A named place (地标/商圈/路口) that dispatchers use to say where something is."""

    name: str
    kind: str
    position: LatLon
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class District:
    """An administrative district (区/县/功能区). ``polygons`` is a list of (outer ring, holes...)."""

    name: str
    polygons: tuple[tuple[tuple[LatLon, ...], ...], ...]
    bbox: BBox = field(init=False, compare=False)

    def __post_init__(self) -> None:
        outer = (p for poly in self.polygons for p in poly[0])
        object.__setattr__(self, "bbox", _bbox_of(outer))

    @cached_property
    def _rings_xy(self) -> tuple[tuple[tuple[XY, ...], ...], ...]:
        # (lon, lat) pairs: the plane in which GeoJSON draws its straight edges.
        return tuple(
            tuple(tuple((p.lon, p.lat) for p in ring) for ring in poly) for poly in self.polygons
        )

    def contains(self, lat: float, lon: float) -> bool:
        if not self.bbox.contains(lat, lon):
            return False
        for rings in self._rings_xy:
            if point_in_ring(lon, lat, rings[0]) and not any(
                point_in_ring(lon, lat, hole) for hole in rings[1:]
            ):
                return True
        return False


@dataclass(frozen=True)
class Basemap:
    """The city's vector basemap, validated. Immutable; lookups build small indexes on first use."""

    source: str
    roads: tuple[Road, ...]
    districts: tuple[District, ...]
    places: tuple[Place, ...] = ()
    rivers: tuple[River, ...] = ()
    reservoirs: tuple[Reservoir, ...] = ()
    railways: tuple[Railway, ...] = ()

    @cached_property
    def bbox(self) -> BBox:
        """The box around every district, road, river and place."""
        pts: list[LatLon] = [p for d in self.districts for poly in d.polygons for p in poly[0]]
        for road in self.roads:
            pts.extend(road.points)
        for river in self.rivers:
            pts.extend(river.points)
        for railway in self.railways:
            pts.extend(railway.points)
        pts.extend(p.position for p in self.places)
        return _bbox_of(pts)

    @cached_property
    def projection(self) -> LocalProjection:
        """A metric projection about the map's centre, for distances and offsets."""
        c = self.bbox.centre
        return LocalProjection(c.lat, c.lon)

    def district_at(self, lat: float, lon: float) -> District | None:
        """The district holding a position, or None outside every district."""
        for district in self.districts:
            if district.contains(lat, lon):
                return district
        return None

    def road(self, name: str) -> Road:
        """The first piece of the road called ``name``; ``KeyError`` when there is none."""
        for road in self.roads:
            if road.name == name:
                return road
        raise KeyError(f"底图中没有道路：{name}")

    def district(self, name: str) -> District:
        for district in self.districts:
            if district.name == name:
                return district
        raise KeyError(f"底图中没有区县：{name}")

    def place(self, name: str) -> Place:
        """A place by its name or one of its aliases; ``KeyError`` when there is none."""
        for place in self.places:
            if place.name == name or name in place.aliases:
                return place
        raise KeyError(f"底图中没有地点：{name}")

    @cached_property
    def _road_index(self) -> dict[tuple[int, int], list[tuple[int, XY, XY]]]:
        proj = self.projection
        index: dict[tuple[int, int], list[tuple[int, XY, XY]]] = {}
        for ri, road in enumerate(self.roads):
            xy = [proj.to_xy(p.lat, p.lon) for p in road.points]
            for a, b in itertools.pairwise(xy):
                # Register the segment in every cell its bounding box touches.
                i0, i1 = sorted((_cell(a[0]), _cell(b[0])))
                j0, j1 = sorted((_cell(a[1]), _cell(b[1])))
                for i in range(i0, i1 + 1):
                    for j in range(j0, j1 + 1):
                        index.setdefault((i, j), []).append((ri, a, b))
        return index

    def nearest_road(self, lat: float, lon: float) -> tuple[Road, float] | None:
        """The road closest to a position and its distance in metres, looking up to about 1 km
        away; None when no road is that close."""
        x, y = self.projection.to_xy(lat, lon)
        ci, cj = _cell(x), _cell(y)
        best: tuple[int, float] | None = None
        for i in (ci - 1, ci, ci + 1):
            for j in (cj - 1, cj, cj + 1):
                for ri, a, b in self._road_index.get((i, j), ()):
                    d = distance_to_segment(x, y, a, b)
                    if best is None or d < best[1]:
                        best = (ri, d)
        if best is None or best[1] > _INDEX_CELL_M:
            return None
        return self.roads[best[0]], best[1]


def _cell(v: float) -> int:
    return math.floor(v / _INDEX_CELL_M)


# -- loading --------------------------------------------------------------------------------------


def default_basemap_path() -> Path:
    return maps_dir() / DEFAULT_BASEMAP_NAME


def load_basemap(path: Path | str | None = None) -> Basemap:
    """Read and validate a basemap file (default: the bundled Zhengzhou map).

    Raises ``BasemapError`` with a message naming the file and the faulty feature.
    """
    path = Path(path) if path is not None else default_basemap_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise BasemapError(f"找不到底图文件：{path}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise BasemapError(f"无法读取底图文件：{path}（{exc}）") from exc
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BasemapError(f"底图文件不是有效的 JSON：{path}（第 {exc.lineno} 行）") from exc
    return parse_basemap(doc, source=str(path))


def parse_basemap(doc: Any, *, source: str = "<memory>") -> Basemap:
    """Validate a GeoJSON FeatureCollection already parsed from JSON and build a ``Basemap``."""
    if not isinstance(doc, Mapping) or doc.get("type") != "FeatureCollection":
        raise BasemapError(f"底图必须是 GeoJSON FeatureCollection：{source}")
    features = doc.get("features")
    if not isinstance(features, list):
        raise BasemapError(f"底图缺少 features 列表：{source}")

    roads: list[Road] = []
    districts: list[District] = []
    places: list[Place] = []
    rivers: list[River] = []
    reservoirs: list[Reservoir] = []
    railways: list[Railway] = []
    for index, feature in enumerate(features):
        where = f"{source} 第 {index + 1} 个要素"
        if not isinstance(feature, Mapping) or feature.get("type") != "Feature":
            raise BasemapError(f"{where}不是 GeoJSON Feature")
        props = feature.get("properties")
        geometry = feature.get("geometry")
        if not isinstance(props, Mapping):
            raise BasemapError(f"{where}缺少 properties")
        layer = props.get("layer")
        name = props.get("name")
        if not isinstance(layer, str) or not layer:
            raise BasemapError(f"{where}缺少 layer 属性")
        if layer not in _LAYERS:
            log.debug("basemap %s: skipping feature %d of unknown layer %r", source, index, layer)
            continue
        if not isinstance(name, str) or not name.strip():
            raise BasemapError(f"{where}（{layer}）缺少名称 name")
        where = f"{where}（{name}）"
        if not isinstance(geometry, Mapping):
            raise BasemapError(f"{where}缺少几何 geometry")
        gtype = geometry.get("type")
        coords = geometry.get("coordinates")
        if gtype not in _LAYERS[layer]:
            allowed = "、".join(_LAYERS[layer])
            raise BasemapError(f"{where}的几何类型为 {gtype}，图层 {layer} 只接受 {allowed}")

        if layer == "district":
            polys = [coords] if gtype == "Polygon" else _as_list(coords, where)
            districts.append(District(name, tuple(_polygon(p, where) for p in polys)))
        elif layer in ("road", "river", "railway"):
            parts = [coords] if gtype == "LineString" else _as_list(coords, where)
            for part in parts:
                line = _line(part, where)
                if layer == "road":
                    road_class = props.get("class", "arterial")
                    if road_class not in ROAD_CLASSES:
                        raise BasemapError(
                            f"{where}的道路等级 class={road_class!r} 无效，应为 arterial 或 express"
                        )
                    roads.append(Road(name, str(road_class), line))
                elif layer == "river":
                    rivers.append(River(name, line))
                else:
                    railways.append(Railway(name, line))
        elif layer == "reservoir":
            if gtype == "Point":
                reservoirs.append(Reservoir(name, _position(coords, where)))
            else:
                shore = _polygon(coords, where)[0]
                reservoirs.append(Reservoir(name, _ring_centre(shore), shore))
        else:  # place
            aliases = props.get("aliases", [])
            if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
                raise BasemapError(f"{where}的 aliases 必须是字符串列表")
            kind = props.get("kind", "place")
            places.append(Place(name, str(kind), _position(coords, where), tuple(aliases)))

    if not districts:
        raise BasemapError(f"底图没有区县（district）图层：{source}")
    if not roads:
        raise BasemapError(f"底图没有道路（road）图层：{source}")
    seen: set[str] = set()
    for district in districts:
        if district.name in seen:
            raise BasemapError(f"底图中区县名称重复：{district.name}")
        seen.add(district.name)
    return Basemap(
        source, tuple(roads), tuple(districts), tuple(places), tuple(rivers),
        tuple(reservoirs), tuple(railways),
    )


_LAYERS: dict[str, tuple[str, ...]] = {
    "district": ("Polygon", "MultiPolygon"),
    "road": ("LineString", "MultiLineString"),
    "river": ("LineString", "MultiLineString"),
    "railway": ("LineString", "MultiLineString"),
    "reservoir": ("Polygon", "Point"),
    "place": ("Point",),
}


def _as_list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list) or not value:
        raise BasemapError(f"{where}的坐标 coordinates 格式不正确")
    return value


def _position(value: Any, where: str) -> LatLon:
    # GeoJSON positions are [longitude, latitude(, altitude)].
    if (
        not isinstance(value, list | tuple)
        or len(value) < 2
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value[:2])
    ):
        raise BasemapError(f"{where}含有无效坐标：{value!r}")
    pos = LatLon(float(value[1]), float(value[0]))
    if not pos.is_valid():
        raise BasemapError(f"{where}的坐标超出经纬度范围：{value!r}（应为 [经度, 纬度]）")
    return pos


def _line(value: Any, where: str) -> tuple[LatLon, ...]:
    points = tuple(_position(v, where) for v in _as_list(value, where))
    if len(points) < 2:
        raise BasemapError(f"{where}的线至少需要两个点")
    return points


def _polygon(value: Any, where: str) -> tuple[tuple[LatLon, ...], ...]:
    rings = []
    for ring_value in _as_list(value, where):
        ring = tuple(_position(v, where) for v in _as_list(ring_value, where))
        if len(ring) < 4 or ring[0] != ring[-1]:
            raise BasemapError(f"{where}的多边形环必须闭合且至少有四个点")
        rings.append(ring)
    return tuple(rings)


def _ring_centre(ring: Sequence[LatLon]) -> LatLon:
    """The area centroid of a small ring (flat-earth, fine at reservoir scale)."""
    area2 = cx = cy = 0.0
    for a, b in itertools.pairwise(ring):
        cross = a.lon * b.lat - b.lon * a.lat
        area2 += cross
        cx += (a.lon + b.lon) * cross
        cy += (a.lat + b.lat) * cross
    if area2 == 0.0:
        return LatLon(sum(p.lat for p in ring) / len(ring), sum(p.lon for p in ring) / len(ring))
    return LatLon(cy / (3 * area2), cx / (3 * area2))
