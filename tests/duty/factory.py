"""Builds small synthetic cities for duty tests and the benchmark (the demo city is generated
elsewhere; these are deterministic and sized to the test)."""

from __future__ import annotations

import json
import random

from desk.store import Workspace

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"
ROADS = ["花园路", "金水路", "未来路", "中州大道", "农业路", "东风路", "紫荆山路", "经三路",
         "商都路", "嵩山路", "建设路", "陇海路"]
KINDS = ["intersection", "intersection", "peak", "motorcycle_line", "night_check", "police_room"]


def build_city(ws: Workspace, *, stations: int = 1, officers: int = 12, posts: int = 3,
               seed: int = 7, kinds: list[str] | None = None) -> dict[str, list[str]]:
    """Stations, officers (with skills) and posts, written through the write path."""
    rng = random.Random(seed)
    st_ids = [f"st-{i + 1:02d}" for i in range(stations)]
    off_rows, post_rows = [], []
    for i in range(officers):
        skills = ["car"]
        k = i // stations  # skills spread evenly over the stations
        if k % 3 == 0:
            skills.append("motorcycle")
        if k % 2 == 0:
            skills.append("night_check")
        if k % 5 == 0:
            skills.append("accident")
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
        off_rows.append({"id": f"off-{i + 1:04d}", "name": name, "badge": f"{100000 + i}",
                         "station_id": st_ids[i % stations], "rank": "警员",
                         "skills": json.dumps(skills), "phone": "", "unit_id": None,
                         "on_duty": 1})
    use_kinds = kinds or KINDS
    for j in range(posts):
        road = ROADS[j % len(ROADS)]
        kind = use_kinds[j % len(use_kinds)]
        post_rows.append({"id": f"post-{j + 1:03d}", "name": f"{road}{j + 1}号岗", "kind": kind,
                          "station_id": st_ids[j * stations // posts], "road": road,
                          "lat": 34.75 + 0.01 * (j % 10), "lon": 113.62 + 0.01 * (j // 10)})
    with ws.write("test") as tx:
        tx.insert_many("stations", [{"id": s, "name": f"第{k + 1}中队", "kind": "squadron",
                                     "parent_id": None, "district": "金水区", "lat": 34.76,
                                     "lon": 113.65} for k, s in enumerate(st_ids)])
        tx.insert_many("officers", off_rows)
        tx.insert_many("duty_posts", post_rows)
    return {"stations": st_ids, "officers": [r["id"] for r in off_rows],
            "posts": [r["id"] for r in post_rows]}
