"""WGS-84 ⇄ GCJ-02: round trips under 0.5 m across China, no shift outside mainland China."""

from __future__ import annotations

import pytest

from desk.domain.crs import gcj02_to_wgs84, in_mainland_china, wgs84_to_gcj02
from desk.domain.geo import LatLon, haversine_m

CHINA = {
    "郑州": (34.7466, 113.6253), "北京": (39.9042, 116.4074), "上海": (31.2304, 121.4737),
    "广州": (23.1291, 113.2644), "深圳福田": (22.5431, 114.0579), "乌鲁木齐": (43.8256, 87.6168),
    "拉萨": (29.6520, 91.1721), "哈尔滨": (45.8038, 126.5350), "三亚": (18.2528, 109.5119),
    "昆明": (25.0389, 102.7183), "喀什": (39.4704, 75.9898), "漠河": (52.9720, 122.5380),
    "珠海拱北": (22.2220, 113.5480),
}
OUTSIDE = {
    "香港中环": (22.2820, 114.1588), "香港元朗": (22.4450, 114.0220), "澳门": (22.1987, 113.5439),
    "台北": (25.0330, 121.5654), "高雄": (22.6273, 120.3014), "东京": (35.6762, 139.6503),
    "首尔": (37.5665, 126.9780), "河内": (21.0278, 105.8342), "伦敦": (51.5074, -0.1278),
    "乌兰巴托": (47.8864, 106.9057), "新加坡": (1.3521, 103.8198), "海参崴": (43.1155, 131.8855),
}


def _grid() -> list[tuple[float, float]]:
    pts = []
    for lat10 in range(200, 520, 15):
        for lon10 in range(800, 1330, 20):
            lat, lon = lat10 / 10, lon10 / 10
            if in_mainland_china(lat, lon):
                pts.append((lat, lon))
    return pts


@pytest.mark.parametrize("name", sorted(CHINA))
def test_city_round_trip_under_half_a_metre(name: str) -> None:
    lat, lon = CHINA[name]
    assert in_mainland_china(lat, lon)
    g = wgs84_to_gcj02(lat, lon)
    shift = haversine_m(LatLon(lat, lon), LatLon(*g))
    assert 50 < shift < 1000, "GCJ-02 shifts mainland positions by tens to hundreds of metres"
    back = gcj02_to_wgs84(*g)
    assert haversine_m(LatLon(lat, lon), LatLon(*back)) < 0.5


def test_round_trip_over_a_grid_across_china() -> None:
    pts = _grid()
    assert len(pts) > 200
    worst = max(haversine_m(LatLon(*p), LatLon(*gcj02_to_wgs84(*wgs84_to_gcj02(*p)))) for p in pts)
    assert worst < 0.5


def test_zhengzhou_offset_matches_published_direction() -> None:
    # GCJ-02 moves Zhengzhou roughly 0.0012° south and 0.006° east (known from AMap overlays).
    lat, lon = wgs84_to_gcj02(34.7466, 113.6253)
    assert -0.003 < lat - 34.7466 < 0
    assert 0.004 < lon - 113.6253 < 0.008


@pytest.mark.parametrize("name", sorted(OUTSIDE))
def test_no_shift_outside_mainland(name: str) -> None:
    lat, lon = OUTSIDE[name]
    assert not in_mainland_china(lat, lon)
    assert wgs84_to_gcj02(lat, lon) == (lat, lon)
    assert gcj02_to_wgs84(lat, lon) == (lat, lon)
