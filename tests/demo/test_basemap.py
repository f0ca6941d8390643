"""The bundled Zhengzhou basemap loads, is geographically sane, and bad files are refused."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from desk.demo.basemap import Basemap, BasemapError, load_basemap, parse_basemap
from desk.demo.geometry import LocalProjection, Polyline, segment_intersection
from desk.paths import maps_dir

MAP = maps_dir() / "zhengzhou.geojson"

REQUIRED_DISTRICTS = {"金水区", "中原区", "二七区", "管城回族区", "惠济区", "郑东新区"}
REQUIRED_ROADS = {
    "花园路", "未来路", "金水路", "中州大道", "农业路", "东风路", "北三环", "南三环", "西三环",
    "东三环", "京广快速路", "陇海快速路", "嵩山路", "大学路", "文化路", "经三路", "紫荆山路",
    "航海路", "建设路", "商都路", "郑汴路", "三全路", "宏康路", "黄河路", "东明路", "中原路",
    "二七路", "人民路", "商务内环", "商务外环",
}


@pytest.fixture(scope="module")
def basemap() -> Basemap:
    return load_basemap()


def test_file_is_small_and_plain_geojson() -> None:
    assert MAP.stat().st_size < 1_000_000
    doc = json.loads(MAP.read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection"
    # RFC 7946: WGS-84 longitude/latitude, no "crs" member.
    assert "crs" not in doc
    for feature in doc["features"]:
        assert feature["properties"]["layer"] in {
            "district", "road", "river", "railway", "reservoir", "place"
        }


def test_default_path_is_the_bundled_map(basemap: Basemap) -> None:
    assert Path(basemap.source) == MAP


def test_layers_hold_what_the_city_needs(basemap: Basemap) -> None:
    assert {d.name for d in basemap.districts} >= REQUIRED_DISTRICTS
    road_names = {r.name for r in basemap.roads}
    assert road_names >= REQUIRED_ROADS
    assert len(road_names) >= 30
    assert all(len(r.points) >= 3 for r in basemap.roads)
    assert {r.road_class for r in basemap.roads} == {"arterial", "express"}
    assert {"贾鲁河", "索须河", "金水河", "熊耳河"} <= {r.name for r in basemap.rivers}
    assert {"尖岗水库", "常庄水库"} <= {r.name for r in basemap.reservoirs}
    for name in ("二七商圈", "郑大一附院", "火车东站", "郑州站", "如意湖", "花园路/三全路",
                 "花园路/宏康路", "紫荆山"):
        basemap.place(name)  # by name or alias; KeyError fails the test


def test_city_sits_where_zhengzhou_is(basemap: Basemap) -> None:
    box = basemap.bbox
    assert box.contains(34.7466, 113.6253)  # city centre
    assert 34.55 < box.south < box.north < 35.0
    assert 113.4 < box.west < box.east < 113.95


@pytest.mark.parametrize(
    ("place", "district"),
    [
        ("二七纪念塔", "二七区"),
        ("郑州站", "二七区"),
        ("郑州东站", "郑东新区"),
        ("如意湖", "郑东新区"),
        ("国贸360广场", "金水区"),
        ("花园路/三全路", "金水区"),
        ("商城遗址", "管城回族区"),
        ("郑州市人民政府", "中原区"),
        ("花园口", "惠济区"),
    ],
)
def test_places_fall_in_their_districts(basemap: Basemap, place: str, district: str) -> None:
    pos = basemap.place(place).position
    found = basemap.district_at(pos.lat, pos.lon)
    assert found is not None and found.name == district


def test_reservoirs_and_places_are_inside_the_city(basemap: Basemap) -> None:
    for res in basemap.reservoirs:
        assert basemap.district_at(res.centre.lat, res.centre.lon) is not None, res.name
    for place in basemap.places:
        assert basemap.district_at(place.position.lat, place.position.lon) is not None, place.name


def test_districts_do_not_overlap(basemap: Basemap) -> None:
    box = basemap.bbox
    inside = 0
    # An irrational-ish offset keeps grid points off the shared district edges.
    for i in range(60):
        for j in range(60):
            lat = box.south + (i + 0.37) * (box.north - box.south) / 60
            lon = box.west + (j + 0.61) * (box.east - box.west) / 60
            hits = [d.name for d in basemap.districts if d.contains(lat, lon)]
            assert len(hits) <= 1, (lat, lon, hits)
            inside += len(hits)
    assert inside > 60 * 60 * 0.6  # the districts fill most of their bounding box


def test_main_roads_cross_where_they_should(basemap: Basemap) -> None:
    proj = basemap.projection

    def crossing(a: str, b: str) -> tuple[float, float]:
        la = Polyline([proj.to_xy(p.lat, p.lon) for p in basemap.road(a).points])
        lb = Polyline([proj.to_xy(p.lat, p.lon) for p in basemap.road(b).points])
        for p0, p1 in zip(la.points, la.points[1:], strict=False):
            for q0, q1 in zip(lb.points, lb.points[1:], strict=False):
                hit = segment_intersection(p0, p1, q0, q1)
                if hit:
                    t = hit[0]
                    x, y = p0[0] + t * (p1[0] - p0[0]), p0[1] + t * (p1[1] - p0[1])
                    return proj.to_latlon(x, y)
        raise AssertionError(f"{a} 与 {b} 不相交")

    lat, lon = crossing("花园路", "三全路")
    pilot = basemap.place("花园路/三全路").position
    assert math.hypot((lat - pilot.lat) * 111_000, (lon - pilot.lon) * 91_000) < 100
    crossing("中州大道", "金水路")
    crossing("京广快速路", "陇海快速路")


def test_nearest_road(basemap: Basemap) -> None:
    pos = basemap.place("花园路/宏康路").position
    hit = basemap.nearest_road(pos.lat, pos.lon)
    assert hit is not None
    road, dist = hit
    assert road.name in {"花园路", "宏康路"}
    assert dist < 5
    assert basemap.nearest_road(34.60, 113.45) is None  # open country, far from any road


def test_projection_round_trip() -> None:
    proj = LocalProjection(34.75, 113.65)
    x, y = proj.to_xy(34.76, 113.66)
    assert 900 < x < 930 and 1100 < y < 1125  # 0.01° ≈ 914 m east, 1112 m north here
    lat, lon = proj.to_latlon(x, y)
    assert abs(lat - 34.76) < 1e-9 and abs(lon - 113.66) < 1e-9


def test_polyline_offsets_to_the_right() -> None:
    line = Polyline([(0.0, 0.0), (0.0, 100.0), (100.0, 100.0)])
    assert line.length == pytest.approx(200.0)
    (x, y), bearing = line.at(50)
    assert (x, y) == pytest.approx((0.0, 50.0)) and bearing == pytest.approx(0.0)
    (x, y), _ = line.offset_point(50, 10)  # heading north, right is east
    assert (x, y) == pytest.approx((10.0, 50.0))
    (_, _), bearing = line.at(150)
    assert bearing == pytest.approx(90.0)
    assert line.distance_to(50, 120) == pytest.approx(20.0)


# -- refusing bad files ---------------------------------------------------------------------------


def _doc(*features: dict[str, Any]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": list(features)}


DISTRICT: dict[str, Any] = {
    "type": "Feature",
    "properties": {"layer": "district", "name": "甲区"},
    "geometry": {"type": "Polygon", "coordinates": [[[113.6, 34.7], [113.7, 34.7], [113.7, 34.8],
                                                     [113.6, 34.8], [113.6, 34.7]]]},
}
ROAD: dict[str, Any] = {
    "type": "Feature",
    "properties": {"layer": "road", "name": "甲路", "class": "arterial"},
    "geometry": {"type": "LineString", "coordinates": [[113.61, 34.75], [113.69, 34.75]]},
}


def _with(feature: dict[str, Any], **changes: Any) -> dict[str, Any]:
    out = json.loads(json.dumps(feature))
    for key, value in changes.items():
        section, field = key.split("__")
        out[section][field] = value
    return out


def test_a_minimal_map_loads() -> None:
    bm = parse_basemap(_doc(DISTRICT, ROAD))
    assert bm.district_at(34.75, 113.65) is not None
    assert bm.district_at(34.75, 113.75) is None


def test_unknown_layers_are_skipped() -> None:
    extra = _with(ROAD, properties__layer="building")
    bm = parse_basemap(_doc(DISTRICT, ROAD, extra))
    assert len(bm.roads) == 1


def test_multipolygon_with_hole() -> None:
    outer = [[113.6, 34.7], [113.7, 34.7], [113.7, 34.8], [113.6, 34.8], [113.6, 34.7]]
    hole = [[113.64, 34.74], [113.66, 34.74], [113.66, 34.76], [113.64, 34.76], [113.64, 34.74]]
    far = [[114.0, 34.7], [114.1, 34.7], [114.1, 34.8], [114.0, 34.7]]
    district = _with(DISTRICT, geometry__type="MultiPolygon")
    district["geometry"]["coordinates"] = [[outer, hole], [far]]
    bm = parse_basemap(_doc(district, ROAD))
    assert bm.district_at(34.72, 113.62) is not None
    assert bm.district_at(34.75, 113.65) is None  # in the hole
    assert bm.district_at(34.72, 114.05) is not None


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({"type": "Feature"}, "FeatureCollection"),
        (_doc(ROAD), "区县"),
        (_doc(DISTRICT), "道路"),
        (_doc(DISTRICT, _with(ROAD, properties__name="")), "名称"),
        (_doc(DISTRICT, _with(ROAD, properties__class="lane")), "道路等级"),
        (_doc(DISTRICT, _with(ROAD, geometry__coordinates=[[34.75, 213.6], [34.75, 213.7]])),
         "经纬度范围"),
        (_doc(DISTRICT, _with(ROAD, geometry__coordinates=[[113.6, 34.75]])), "两个点"),
        (_doc(DISTRICT, _with(ROAD, geometry__type="Point")), "几何类型"),
        (_doc(_with(DISTRICT, geometry__coordinates=[[[113.6, 34.7], [113.7, 34.7],
                                                     [113.7, 34.8], [113.6, 34.8]]]), ROAD),
         "闭合"),
        (_doc(DISTRICT, DISTRICT, ROAD), "重复"),
        (_doc(DISTRICT, ROAD, {"type": "Feature", "properties": {"name": "x"}, "geometry": None}),
         "layer"),
    ],
)
def test_bad_maps_are_refused_with_a_readable_message(doc: Any, message: str) -> None:
    with pytest.raises(BasemapError, match=message):
        parse_basemap(doc)


def test_missing_and_broken_files(tmp_path: Path) -> None:
    with pytest.raises(BasemapError, match="找不到底图文件"):
        load_basemap(tmp_path / "none.geojson")
    broken = tmp_path / "broken.geojson"
    broken.write_text('{"type": "FeatureCollection", ', encoding="utf-8")
    with pytest.raises(BasemapError, match="不是有效的 JSON"):
        load_basemap(broken)
    good = tmp_path / "good.geojson"
    good.write_text(json.dumps(_doc(DISTRICT, ROAD), ensure_ascii=False), encoding="utf-8")
    assert load_basemap(good).roads[0].name == "甲路"
