"""The demo city generator: exact figures, places on the map, one change row per record,
determinism for a seed, and refusing a workspace that already has a city."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from desk.demo.basemap import Basemap, load_basemap
from desk.demo.city import (
    DEFAULT_SEED,
    DemoCitySpec,
    DemoCitySummary,
    generate_demo_city,
)
from desk.demo.geometry import Polyline
from desk.domain.units import UnitKind, UnitStatus
from desk.domain.water import WaterPointKind, default_thresholds
from desk.store import Workspace

ENTITY_TABLES = ("stations", "cameras", "water_points", "police_rooms", "duty_posts", "units",
                 "officers", "unit_status_log", "responsible_people", "meta")
#: Columns that hold the generation time; everything else must repeat exactly for a seed.
TIME_COLUMNS = {"units": {"fix_at"}, "unit_status_log": {"at"}}


@pytest.fixture(scope="module")
def basemap() -> Basemap:
    return load_basemap()


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DemoCitySummary, list[int]]:
    """One generated city shared by the read-only checks below, with its progress reports."""
    path = tmp_path_factory.mktemp("city") / "city.sqlite"
    steps: list[int] = []
    with Workspace.open(path) as ws:
        summary = generate_demo_city(ws, progress=lambda pct, _msg: steps.append(pct))
    return path, summary, steps


@pytest.fixture
def ws(city: tuple[Path, DemoCitySummary, list[int]]) -> Any:
    workspace = Workspace.open(city[0])
    yield workspace
    workspace.close()


def rows(ws: Workspace, table: str) -> list[dict[str, Any]]:
    cur = ws.db.execute(f'SELECT * FROM "{table}" ORDER BY 1')
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


# -- figures --------------------------------------------------------------------------------------


def test_reported_figures_exactly(ws: Workspace) -> None:
    assert ws.count("cameras") == 9_432
    assert ws.count("water_points") == 415
    kinds = dict(ws.db.execute("SELECT kind, count(*) FROM water_points GROUP BY kind").fetchall())
    assert kinds["road"] == 152
    assert kinds["tunnel"] == 12
    assert kinds["bridge_culvert"] == 30
    assert kinds["ditch"] == 28
    assert kinds["river"] + kinds["reservoir"] == 193
    assert kinds["reservoir"] > 0 and kinds["river"] > 0
    assert ws.count("police_rooms") == 23
    assert ws.count("officers") == 1_000
    assert ws.count("officers", "on_duty = 1") == 1_000


def test_summary_matches_the_rows(
    ws: Workspace, city: tuple[Path, DemoCitySummary, list[int]]
) -> None:
    summary = city[1]
    assert summary.cameras == ws.count("cameras")
    assert summary.cameras_offline == ws.count("cameras", "online = 0")
    assert summary.water_points_by_kind == dict(
        ws.db.execute("SELECT kind, count(*) FROM water_points GROUP BY kind").fetchall()
    )
    assert summary.units == ws.count("units")
    assert summary.officers == ws.count("officers")
    assert summary.stations == ws.count("stations")
    assert summary.duty_posts == ws.count("duty_posts")
    assert summary.seed == DEFAULT_SEED
    assert summary.elapsed_s < 10  # the target is under 3 s; this only catches a disaster


def test_progress_runs_up_to_100(city: tuple[Path, DemoCitySummary, list[int]]) -> None:
    steps = city[2]
    assert steps == sorted(steps)
    assert steps[0] == 0 and steps[-1] == 100


def test_about_three_percent_of_cameras_are_offline(ws: Workspace) -> None:
    offline = ws.count("cameras", "online = 0")
    assert offline == round(9_432 * 0.03)


def test_camera_rows_look_real(ws: Workspace) -> None:
    cams = rows(ws, "cameras")
    assert len({c["name"] for c in cams}) == len(cams)
    for cam in cams:
        assert re.fullmatch(r"CAM-\d{5}", cam["id"])
        assert cam["stream_url"] == f"rtsp://video.intranet/cam/{cam['id']}"
        assert cam["road"] and cam["district"]
    names = [c["name"] for c in cams]
    assert any(re.fullmatch(r"花园路与农业路交叉口(东北|西北|东南|西南)角", n) for n in names)
    assert any(re.fullmatch(r"金水路-K\d+\+\d{3} \S+", n) for n in names)


def test_stations_are_brigades_with_three_to_five_squadrons(ws: Workspace) -> None:
    stations = rows(ws, "stations")
    brigades = [s for s in stations if s["kind"] == "brigade"]
    assert {"金水大队", "中原大队", "二七大队", "管城大队", "惠济大队", "郑东新区大队"} <= {
        b["name"] for b in brigades
    }
    for brigade in brigades:
        assert brigade["parent_id"] is None
        squads = [s for s in stations if s["parent_id"] == brigade["id"]]
        assert 3 <= len(squads) <= 5
        assert all(s["kind"] == "squadron" and s["district"] == brigade["district"] for s in squads)
    assert {s["kind"] for s in stations} == {"brigade", "squadron"}


def test_units_and_their_crews(ws: Workspace) -> None:
    units = rows(ws, "units")
    officers = rows(ws, "officers")
    by_kind: dict[str, int] = {}
    for unit in units:
        by_kind[unit["kind"]] = by_kind.get(unit["kind"], 0) + 1
    assert set(by_kind) <= {k.value for k in UnitKind}
    # A street force is mostly on foot and on 铁骑, with cars and a few drones (not 70 % 铁骑).
    assert by_kind["foot_post"] > by_kind["patrol_car"] and by_kind["motorcycle"] < 0.5 * len(units)
    assert 6 <= by_kind["drone"] <= 10

    crew: dict[str, int] = {}
    for officer in officers:
        crew[officer["unit_id"]] = crew.get(officer["unit_id"], 0) + 1
    for unit in units:
        expected = 2 if unit["kind"] == "patrol_car" else 1
        assert crew[unit["id"]] == expected, unit["call_sign"]
    assert set(crew) == {u["id"] for u in units}

    statuses = {u["status"] for u in units}
    assert statuses <= {s.value for s in UnitStatus}
    available = sum(1 for u in units if u["status"] == "available")
    assert available > len(units) * 0.6
    assert {"dispatched", "en_route", "on_scene", "offline"} <= statuses
    for unit in units:
        assert re.fullmatch(r"\S+(铁骑|巡逻|步巡|无人机)-\d{2,3}", unit["call_sign"])
        assert re.fullmatch(r"DEV-\d{5}", unit["device_id"])
        assert unit["online"] == (0 if unit["status"] == "offline" else 1)
        assert 0 <= unit["heading"] < 360
    assert len({u["device_id"] for u in units}) == len(units)
    assert ws.count("unit_status_log") == len(units)

    squadrons = {r[0] for r in ws.db.execute("SELECT id FROM stations WHERE kind = 'squadron'")}
    assert {u["station_id"] for u in units} <= squadrons


def test_officers_look_real(ws: Workspace) -> None:
    officers = rows(ws, "officers")
    assert len({o["badge"] for o in officers}) == len(officers)
    assert all(re.fullmatch(r"\d{6}", o["badge"]) for o in officers)
    assert all(re.fullmatch(r"[\u4e00-\u9fff]{2,3}", o["name"]) for o in officers)
    allowed = {"motorcycle", "drone_pilot", "accident", "car", "night_check"}
    kinds = dict(ws.db.execute("SELECT id, kind FROM units").fetchall())
    for officer in officers:
        skills = json.loads(officer["skills"])
        assert isinstance(skills, list) and set(skills) <= allowed
        if kinds[officer["unit_id"]] == "drone":
            assert "drone_pilot" in skills
        if kinds[officer["unit_id"]] == "motorcycle":
            assert "motorcycle" in skills


def test_water_points(ws: Workspace) -> None:
    points = rows(ws, "water_points")
    assert [p["id"] for p in points] == [f"WP-{i:03d}" for i in range(1, 416)]
    assert len({p["name"] for p in points}) == len(points)
    for point in points:
        t = default_thresholds(WaterPointKind(point["kind"]))
        assert (point["caution_cm"], point["warning_cm"], point["close_cm"]) == (
            t.caution_cm, t.warning_cm, t.close_cm)
    reservoirs = {p["road"] for p in points if p["kind"] == "reservoir"}
    assert reservoirs == {"尖岗水库", "常庄水库"}
    rivers = {p["road"] for p in points if p["kind"] == "river"}
    assert {"贾鲁河", "索须河"} <= rivers
    tunnels = [p["name"] for p in points if p["kind"] == "tunnel"]
    assert all(n.endswith("下穿隧道") for n in tunnels)


def test_duty_posts(ws: Workspace) -> None:
    posts = rows(ws, "duty_posts")
    assert len(posts) >= 40
    assert {p["kind"] for p in posts} == {
        "intersection", "motorcycle_line", "peak", "night_check", "police_room", "school",
        "patrol_area", "standby", "accident", "command_center"
    }
    names = " ".join(p["name"] for p in posts)
    for place in ("花园路与三全路", "花园路与宏康路", "二七商圈", "郑大一附院", "火车东站",
                  "如意湖", "紫荆山"):
        assert place in names
    squadrons = {r[0] for r in ws.db.execute("SELECT id FROM stations WHERE kind = 'squadron'")}
    assert {p["station_id"] for p in posts} <= squadrons
    assert all(p["road"] for p in posts)


def test_meta(ws: Workspace, city: tuple[Path, DemoCitySummary, list[int]]) -> None:
    assert ws.meta("demo_city") == "zhengzhou"
    assert ws.meta("demo_seed") == str(DEFAULT_SEED)
    stamp = ws.meta("demo_generated_at")
    assert stamp == city[1].generated_at
    assert datetime.fromisoformat(stamp or "").tzinfo is not None


# -- on the map -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "table", ["cameras", "water_points", "duty_posts", "police_rooms", "units", "stations"]
)
def test_everything_is_inside_a_district(ws: Workspace, basemap: Basemap, table: str) -> None:
    for row in rows(ws, table):
        district = basemap.district_at(row["lat"], row["lon"])
        assert district is not None, (table, row["id"], row.get("name", ""))
        if "district" in row:
            assert row["district"] == district.name, row["id"]


def test_cameras_stand_by_roads(ws: Workspace, basemap: Basemap) -> None:
    worst = 0.0
    for lat, lon in ws.db.execute("SELECT lat, lon FROM cameras"):
        hit = basemap.nearest_road(lat, lon)
        assert hit is not None
        worst = max(worst, hit[1])
    assert worst <= 30.5


def test_camera_road_is_a_road_near_it(ws: Workspace, basemap: Basemap) -> None:
    # The road column names a road within a few tens of metres (at a junction either road).
    for name, road, lat, lon in ws.db.execute(
        "SELECT name, road, lat, lon FROM cameras WHERE id LIKE 'CAM-%5'"
    ):
        line = basemap.road(road)
        proj = basemap.projection
        poly = Polyline([proj.to_xy(p.lat, p.lon) for p in line.points])
        assert poly.distance_to(*proj.to_xy(lat, lon)) <= 40, name


# -- the write path -------------------------------------------------------------------------------


def test_change_log_has_a_row_per_record(ws: Workspace) -> None:
    total = sum(ws.count(t) for t in ENTITY_TABLES)
    assert ws.count("change_log") == total
    assert ws.count("change_log", "actor = 'demo' AND op = 'insert'") == total
    for table in ENTITY_TABLES:
        logged = ws.count("change_log", "entity = ?", [table])
        assert logged == ws.count(table), table
    missing = ws.db.execute(
        "SELECT count(*) FROM cameras c LEFT JOIN change_log l "
        "ON l.entity = 'cameras' AND l.entity_id = c.id WHERE l.seq IS NULL"
    ).fetchone()[0]
    assert missing == 0


def test_refuses_a_workspace_that_has_cameras(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "ws.sqlite") as ws:
        with ws.write(actor="test") as tx:
            tx.insert("cameras", {"id": "CAM-X", "name": "已有", "road": "花园路",
                                  "district": "金水区", "lat": 34.78, "lon": 113.676,
                                  "online": 1, "stream_url": "rtsp://video.intranet/cam/CAM-X"})
        with pytest.raises(ValueError, match="摄像机"):
            generate_demo_city(ws)
        assert ws.count("stations") == 0
        assert ws.count("change_log") == 1


def test_refuses_a_second_run(ws: Workspace) -> None:
    before = ws.count("change_log")
    with pytest.raises(ValueError, match="空工作区"):
        generate_demo_city(ws)
    assert ws.count("change_log") == before


def test_refuses_other_city_data_too(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "ws.sqlite") as ws:
        with ws.write(actor="test") as tx:
            tx.insert("stations", {"id": "ST-X", "name": "测试大队", "kind": "brigade",
                                   "parent_id": None, "district": "金水区", "lat": 34.78,
                                   "lon": 113.676})
        with pytest.raises(ValueError, match="大队"):
            generate_demo_city(ws)


def test_an_impossible_spec_is_refused(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "ws.sqlite") as ws, pytest.raises(ValueError, match="民警"):
        generate_demo_city(ws, spec=DemoCitySpec(officers=100))


# -- determinism ----------------------------------------------------------------------------------


def snapshot(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    out: dict[str, list[tuple[Any, ...]]] = {}
    with Workspace.open(path) as ws:
        for table in ENTITY_TABLES:
            cur = ws.db.execute(f'SELECT * FROM "{table}" ORDER BY 1')
            cols = [d[0] for d in cur.description]
            skip = TIME_COLUMNS.get(table, set())
            keep = [i for i, c in enumerate(cols) if c not in skip]
            out[table] = [
                tuple(r[i] for i in keep) for r in cur.fetchall()
                if not (table == "meta" and r[0] == "demo_generated_at")
            ]
        cur = ws.db.execute("SELECT entity, entity_id, op, actor, patch FROM change_log ORDER BY seq")
        out["change_log"] = [
            r for r in cur.fetchall() if r[0] not in ("units", "unit_status_log", "meta")
        ]
    return out


def test_same_seed_same_city_other_seed_other_city(
    tmp_path: Path, city: tuple[Path, DemoCitySummary, list[int]]
) -> None:
    again = tmp_path / "again.sqlite"
    with Workspace.open(again) as ws:
        generate_demo_city(ws, seed=DEFAULT_SEED)
    first, second = snapshot(city[0]), snapshot(again)
    for table in first:
        assert first[table] == second[table], table

    other = tmp_path / "other.sqlite"
    with Workspace.open(other) as ws:
        generate_demo_city(ws, seed=DEFAULT_SEED + 1)
    third = snapshot(other)
    assert third["cameras"] != first["cameras"]
    assert third["officers"] != first["officers"]
    assert len(third["cameras"]) == len(first["cameras"])


def test_a_fixed_clock_repeats_every_byte(tmp_path: Path) -> None:
    now = datetime(2024, 7, 21, 8, 0, tzinfo=UTC)
    spec = DemoCitySpec(cameras=500, officers=200, patrol_cars=20, foot_posts=20, drones=6)
    dumps = []
    for name in ("a.sqlite", "b.sqlite"):
        with Workspace.open(tmp_path / name) as ws:
            summary = generate_demo_city(ws, seed=5, spec=spec, now=now)
            dumps.append([rows(ws, t) for t in ENTITY_TABLES])
    assert dumps[0] == dumps[1]
    assert summary.cameras == 500 and summary.officers == 200
    assert summary.generated_at == "2024-07-21T08:00:00+00:00"
