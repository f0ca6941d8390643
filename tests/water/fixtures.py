"""Small water-point fixtures for tests that do not need the whole demo city."""

from __future__ import annotations

from desk.domain.water import WaterPointKind, default_thresholds
from desk.store import Workspace

POINTS = [
    ("wp-t1", "金水路下穿隧道", WaterPointKind.TUNNEL, "金水路", "金水区", 34.771, 113.684),
    ("wp-t2", "未来路下穿隧道", WaterPointKind.TUNNEL, "未来路", "金水区", 34.768, 113.705),
    ("wp-r1", "花园路与三全路口", WaterPointKind.ROAD, "花园路", "金水区", 34.790, 113.676),
    ("wp-r2", "二七广场东", WaterPointKind.ROAD, "人民路", "二七区", 34.755, 113.667),
    ("wp-g1", "郑东新区雨量站", WaterPointKind.ROAD, "如意湖", "郑东新区", 34.777, 113.727),
]


def add_points(ws: Workspace) -> None:
    rows = []
    for pid, name, kind, road, district, lat, lon in POINTS:
        t = default_thresholds(kind)
        rows.append({"id": pid, "name": name, "kind": kind.value, "road": road,
                     "district": district, "lat": lat, "lon": lon, "caution_cm": t.caution_cm,
                     "warning_cm": t.warning_cm, "close_cm": t.close_cm})
    with ws.write("test") as tx:
        tx.insert_many("water_points", rows)
    cams = [{"id": f"cam-{i}", "name": f"摄像机{i}", "road": "金水路", "district": "金水区",
             "lat": 34.771 + i * 0.001, "lon": 113.684, "online": 1,
             "stream_url": "rtsp://10.0.0.1/stream" if i % 2 else ""} for i in range(6)]
    with ws.write("test") as tx:
        tx.insert_many("cameras", cams)
