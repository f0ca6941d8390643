"""Generates the demo city (演示城市) into an empty workspace: Zhengzhou's traffic brigades, cameras,
water points, digital police rooms, duty posts, units and officers, all placed on the offline
basemap and written in one transaction through the store's single write path.

The same seed always gives the same rows (only the generation time differs), so a demo, a drill
base or a bug report can be rebuilt exactly. Figures come from FACTS.md (9,432 cameras, 415 water
points, 23 police rooms, about 1,000 officers on duty); they are defaults in ``DemoCitySpec``.
"""

from __future__ import annotations

import itertools
import logging
import math
import random
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from desk.demo import names
from desk.demo.basemap import Basemap, District, load_basemap
from desk.demo.geometry import XY, Polyline, segment_intersection
from desk.domain.units import UnitKind, UnitStatus
from desk.domain.water import WaterPointKind, default_thresholds
from desk.store import Workspace

log = logging.getLogger(__name__)

DEFAULT_SEED = 20240721
CITY = "zhengzhou"
ACTOR = "demo"

Progress = Callable[[int, str], None]

#: Tables the generator fills; it refuses a workspace where any of them already has rows.
TABLES = (
    "stations", "cameras", "water_points", "police_rooms", "duty_posts", "units", "officers",
    "unit_status_log", "responsible_people",
)
_TABLE_LABELS = {
    "stations": "大队/中队", "cameras": "摄像机", "water_points": "积水监测点",
    "police_rooms": "数字警务室", "duty_posts": "勤务岗位", "units": "警力单元",
    "officers": "民警", "unit_status_log": "警力状态记录", "responsible_people": "责任人名单",
}

SKILLS = ("motorcycle", "drone_pilot", "accident", "car", "night_check")


@dataclass(frozen=True, slots=True)
class DemoCitySpec:
    """How much of everything to generate. Defaults are Zhengzhou's reported figures."""

    cameras: int = 9_432
    camera_offline_share: float = 0.03
    #: Water points per kind; rivers and reservoirs share ``river_reservoir_points``.
    water_points: tuple[tuple[WaterPointKind, int], ...] = (
        (WaterPointKind.ROAD, 152),
        (WaterPointKind.TUNNEL, 12),
        (WaterPointKind.BRIDGE_CULVERT, 30),
        (WaterPointKind.DITCH, 28),
    )
    river_reservoir_points: int = 193
    points_per_reservoir: int = 8
    police_rooms: int = 23
    officers: int = 1_000
    patrol_cars: int = 90  # two officers each
    # 步巡岗 (officers and 辅警 on foot at junctions) are the bulk of a street force; 铁骑 a large
    # part, not seven in ten.
    foot_posts: int = 420
    drones: int = 8
    peak_posts: int = 10
    intersection_posts: int = 20
    motorcycle_lines: int = 6
    night_checks: int = 5
    police_room_posts: int = 6
    school_posts: int = 6  # 护学岗
    patrol_areas: int = 3  # 巡逻岗（巡区）
    standby_posts: int = 2  # 备勤
    accident_posts: int = 1  # 事故处理
    command_center_posts: int = 1  # 指挥中心值班

    @property
    def motorcycles(self) -> int:
        """Every officer not in a car, on foot or flying a drone rides a motorcycle (铁骑)."""
        return self.officers - 2 * self.patrol_cars - self.foot_posts - self.drones

    @property
    def water_point_total(self) -> int:
        return sum(n for _, n in self.water_points) + self.river_reservoir_points

    def check(self) -> None:
        if self.motorcycles < 0:
            raise ValueError("演示城市参数有误：巡逻车、步巡岗和无人机所需民警超过民警总数")
        if not 0.0 <= self.camera_offline_share <= 1.0:
            raise ValueError("演示城市参数有误：离线摄像机比例须在 0 到 1 之间")


@dataclass(frozen=True)
class DemoCitySummary:
    """What ``generate_demo_city`` wrote, for the status bar and the log."""

    city: str
    seed: int
    generated_at: str
    brigades: int
    squadrons: int
    cameras: int
    cameras_offline: int
    water_points: int
    water_points_by_kind: dict[str, int]
    police_rooms: int
    duty_posts: int
    units: int
    units_by_kind: dict[str, int]
    officers: int
    change_rows: int
    elapsed_s: float = field(compare=False)

    @property
    def stations(self) -> int:
        return self.brigades + self.squadrons



# -- entry point ----------------------------------------------------------------------------------


def generate_demo_city(
    ws: Workspace,
    *,
    seed: int = DEFAULT_SEED,
    progress: Progress | None = None,
    spec: DemoCitySpec | None = None,
    basemap: Basemap | None = None,
    now: datetime | None = None,
) -> DemoCitySummary:
    """Fill an empty workspace with the demo city; deterministic for a given ``seed``.

    ``now`` (default: the current time) stamps unit fixes, status rows and ``demo_generated_at``;
    it is the only input besides ``seed``, ``spec`` and ``basemap`` that the rows depend on.
    Raises ``ValueError`` (中文) when the workspace already holds city data.
    """
    started = time.perf_counter()
    spec = spec or DemoCitySpec()
    spec.check()
    report = progress or _no_progress
    _refuse_non_empty(ws)

    report(0, "读取底图…")
    bm = basemap or load_basemap()
    now = now or datetime.now(UTC)
    report(5, "计算路口与河道交叉点…")
    city = _City(bm)
    gen = _Generator(city, seed, spec, now.timestamp())

    report(15, "划分大队与中队…")
    stations = gen.stations()
    report(25, "布设摄像机…")
    cameras = gen.cameras()
    report(45, "布设积水监测点…")
    water = gen.water_points()
    report(55, "设置数字警务室与勤务岗位…")
    rooms = gen.police_rooms()
    posts = gen.duty_posts(rooms)
    report(65, "编排警力与民警…")
    units, officers = gen.units_and_officers()
    status_log = [
        {"id": i, "unit_id": u["id"], "status": u["status"], "at": u["fix_at"], "actor": ACTOR}
        for i, u in enumerate(units, start=1)
    ]
    generated_at = now.isoformat(timespec="seconds")
    meta = [
        {"key": "demo_city", "value": CITY},
        {"key": "demo_seed", "value": str(seed)},
        {"key": "demo_generated_at", "value": generated_at},
    ]

    # Every point has its call list from the start: an empty one is how the first round's demo
    # showed "no one to call" until a rain demo was started.
    from desk.demo.rain import demo_call_list

    call_lists = [{"id": f"rp-{p['point_id']}-{p['call_order']}", **p}
                  for i, w in enumerate(water) for p in demo_call_list(str(w["id"]), i, str(w["kind"]))]
    report(75, "写入工作区…")
    written = 0
    with ws.write(actor=ACTOR) as tx:
        for table, rows in (
            ("stations", stations), ("cameras", cameras), ("water_points", water),
            ("police_rooms", rooms), ("duty_posts", posts), ("units", units),
            ("officers", officers), ("unit_status_log", status_log),
            ("responsible_people", call_lists),
        ):
            written += tx.insert_many(table, rows)
        written += tx.insert_many("meta", meta, pk="key")
    elapsed = time.perf_counter() - started
    report(100, "演示城市已生成")
    log.info("demo city %s (seed %d): %d rows in %.2f s", CITY, seed, written, elapsed)

    return DemoCitySummary(
        city=CITY,
        seed=seed,
        generated_at=generated_at,
        brigades=sum(1 for s in stations if s["kind"] == "brigade"),
        squadrons=sum(1 for s in stations if s["kind"] == "squadron"),
        cameras=len(cameras),
        cameras_offline=sum(1 for c in cameras if not c["online"]),
        water_points=len(water),
        water_points_by_kind=_count_by(water, "kind"),
        police_rooms=len(rooms),
        duty_posts=len(posts),
        units=len(units),
        units_by_kind=_count_by(units, "kind"),
        officers=len(officers),
        change_rows=written,
        elapsed_s=elapsed,
    )


def _no_progress(_percent: int, _message: str) -> None:
    return None


def _refuse_non_empty(ws: Workspace) -> None:
    cameras = ws.count("cameras")
    if cameras:
        raise ValueError(
            f"工作区已有 {cameras} 台摄像机，不能再生成演示城市。请新建一个空工作区后再试。"
        )
    for table in TABLES:
        n = ws.count(table)
        if n:
            raise ValueError(
                f"工作区已有{_TABLE_LABELS[table]}数据（{n} 条），不能再生成演示城市。"
                "请新建一个空工作区后再试。"
            )


def _count_by(rows: Iterable[dict[str, Any]], key: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for row in rows:
        out[row[key]] = out.get(row[key], 0) + 1
    return dict(sorted(out.items()))


# -- the city's geometry, computed once from the basemap -------------------------------------------


@dataclass(frozen=True, slots=True)
class _Crossing:
    """Where two lines of the basemap cross: ``a`` is a road, ``b`` a road, river or railway."""

    a: int
    b: int
    name_a: str
    name_b: str
    xy: XY
    s_a: float
    s_b: float
    district: str


@dataclass(frozen=True, slots=True)
class _Sample:
    """A point every ``_SAMPLE_STEP_M`` along a line that lies inside a district."""

    line: int
    s: float
    xy: XY
    district: str


_SAMPLE_STEP_M = 50.0
_MERGE_CROSSINGS_M = 40.0


class _City:
    def __init__(self, bm: Basemap) -> None:
        self.bm = bm
        self.proj = bm.projection
        self.districts: tuple[District, ...] = bm.districts
        self.roads = bm.roads
        self.road_lines = [self._polyline(r.points) for r in bm.roads]
        self.river_lines = [self._polyline(r.points) for r in bm.rivers]
        self.rail_lines = [self._polyline(r.points) for r in bm.railways]

        road_names = [r.name for r in bm.roads]
        self.crossings = self._crossings(self.road_lines, road_names, None, None)
        self.river_crossings = self._crossings(
            self.road_lines, road_names, self.river_lines, [r.name for r in bm.rivers]
        )
        self.rail_crossings = self._crossings(
            self.road_lines, road_names, self.rail_lines, [r.name for r in bm.railways]
        )
        # Crossings along each road and each river, by distance along it, for section names.
        self.along_road: list[list[tuple[float, str]]] = [[] for _ in self.roads]
        for c in self.crossings:
            self.along_road[c.a].append((c.s_a, c.name_b))
            self.along_road[c.b].append((c.s_b, c.name_a))
        self.along_river: list[list[tuple[float, str]]] = [[] for _ in bm.rivers]
        for c in self.river_crossings:
            self.along_river[c.b].append((c.s_b, c.name_a))
        for lst in (*self.along_road, *self.along_river):
            lst.sort()

        self.road_samples = [self._samples(i, line) for i, line in enumerate(self.road_lines)]
        self.river_samples = [self._samples(i, line) for i, line in enumerate(self.river_lines)]
        self.samples_by_district: dict[str, list[_Sample]] = {d.name: [] for d in self.districts}
        for samples in self.road_samples:
            for sample in samples:
                self.samples_by_district[sample.district].append(sample)
        centre = bm.bbox.centre
        self.centre_xy = self.proj.to_xy(centre.lat, centre.lon)

    def _polyline(self, points: Sequence[Any]) -> Polyline:
        return Polyline([self.proj.to_xy(p.lat, p.lon) for p in points])

    def district_of(self, xy: XY) -> str | None:
        lat, lon = self.proj.to_latlon(*xy)
        district = self.bm.district_at(lat, lon)
        return None if district is None else district.name

    def latlon(self, xy: XY) -> tuple[float, float]:
        lat, lon = self.proj.to_latlon(*xy)
        # 1e-6 degrees is about 0.1 m: finer would only add noise to the rows.
        return round(lat, 6), round(lon, 6)

    def _crossings(
        self,
        lines_a: Sequence[Polyline],
        names_a: Sequence[str],
        lines_b: Sequence[Polyline] | None,
        names_b: Sequence[str] | None,
    ) -> list[_Crossing]:
        """Crossings of every line in ``lines_a`` with every line in ``lines_b`` (or with each
        other when ``lines_b`` is None), inside a district, in a stable order."""
        same = lines_b is None
        others = lines_a if lines_b is None else lines_b
        other_names = names_a if names_b is None else names_b
        found: list[_Crossing] = []
        boxes_a = [_box(line) for line in lines_a]
        boxes_b = boxes_a if same else [_box(line) for line in others]
        for i, la in enumerate(lines_a):
            for j, lb in enumerate(others):
                if same and (j <= i or names_a[i] == other_names[j]):
                    continue
                if not _boxes_overlap(boxes_a[i], boxes_b[j]):
                    continue
                pair: list[_Crossing] = []
                for si, (p0, p1) in enumerate(itertools.pairwise(la.points)):
                    for sj, (q0, q1) in enumerate(itertools.pairwise(lb.points)):
                        hit = segment_intersection(p0, p1, q0, q1)
                        if hit is None:
                            continue
                        t, u = hit
                        xy = (p0[0] + t * (p1[0] - p0[0]), p0[1] + t * (p1[1] - p0[1]))
                        if any(math.dist(xy, c.xy) < _MERGE_CROSSINGS_M for c in pair):
                            continue  # a crossing exactly at a shared vertex is found twice
                        district = self.district_of(xy)
                        if district is None:
                            continue
                        pair.append(
                            _Crossing(i, j, names_a[i], other_names[j], xy,
                                      la.chainage_of(si, t), lb.chainage_of(sj, u), district)
                        )
                found.extend(pair)
        return found

    def _samples(self, index: int, line: Polyline) -> list[_Sample]:
        out: list[_Sample] = []
        n = max(1, int(line.length // _SAMPLE_STEP_M))
        for k in range(n):
            s = (k + 0.5) * line.length / n
            xy, _ = line.at(s)
            district = self.district_of(xy)
            if district is not None:
                out.append(_Sample(index, s, xy, district))
        return out

    def section_name(self, crossings: Sequence[tuple[float, str]], s: float) -> str | None:
        """"甲路至乙路" for the stretch of a line holding distance ``s``, from the crossings
        on either side; None when there is not a crossing on both sides."""
        before = [name for cs, name in crossings if cs <= s]
        after = [name for cs, name in crossings if cs > s]
        if not before or not after or before[-1] == after[0]:
            return None
        return f"{before[-1]}至{after[0]}"


def _box(line: Polyline) -> tuple[float, float, float, float]:
    xs = [p[0] for p in line.points]
    ys = [p[1] for p in line.points]
    return min(xs), min(ys), max(xs), max(ys)


def _boxes_overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    pad = 1.0
    return a[0] - pad <= b[2] and b[0] - pad <= a[2] and a[1] - pad <= b[3] and b[1] - pad <= a[3]


def _apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder; ties go to
    the earlier entry, so the split is deterministic)."""
    wsum = float(sum(weights))
    if total <= 0 or wsum <= 0:
        return [0] * len(weights)
    exact = [total * w / wsum for w in weights]
    counts = [math.floor(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - counts[i]), i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


class _UniqueNames:
    """Hands out names, adding "（2）", "（3）"… to repeats so every record reads differently."""

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}

    def take(self, name: str) -> str:
        if name not in self._seen:
            self._seen[name] = 1
            return name
        n = self._seen[name]
        while True:
            n += 1
            candidate = f"{name}（{n}）"
            if candidate not in self._seen:
                break
        self._seen[name] = n
        self._seen[candidate] = 1
        return candidate


# -- the generator ---------------------------------------------------------------------------------

_CORNERS = (("东北角", 1, 1), ("西北角", -1, 1), ("东南角", 1, -1), ("西南角", -1, -1))
_APPROACHES = (("北", 0, 1), ("南", 0, -1), ("东", 1, 0), ("西", -1, 0))
_ROAD_CAMERA_KINDS = (("枪机", 40), ("球机", 25), ("卡口", 15), ("测速", 8), ("违停抓拍", 7),
                      ("全景", 5))
#: Cameras stand at most this far from the road's centre line (the basemap draws centre lines).
_CAMERA_MAX_OFFSET_M = 28.0

_RESERVOIR_SPOTS = ("坝前", "溢洪道", "泄洪闸", "入库口", "北岸", "东岸", "南岸", "西岸",
                    "库心浮标", "取水口")

#: Places that get a digital police room first (商圈, 车站, 医院 and the pilot intersections
#: named in the reports); others on the map follow in file order.
_POLICE_ROOM_PLACES = (
    "二七商圈", "郑州站", "郑州东站", "郑大一附院", "紫荆山", "如意湖", "千玺广场",
    "郑州国际会展中心", "花园路/三全路", "花园路/宏康路", "国贸360广场", "德化步行街", "人民公园",
    "绿城广场", "碧沙岗公园", "西流湖公园", "商城遗址", "航海体育场", "郑州大学（主校区）",
    "龙子湖高校园区", "龙湖金融岛", "郑州北站", "中原福塔",
)
_PEAK_PLACES = (
    "二七商圈", "郑大一附院", "郑州东站", "郑州站", "如意湖", "紫荆山", "千玺广场", "国贸360广场",
    "德化步行街", "郑州国际会展中心", "航海体育场", "龙子湖高校园区",
)
#: What dispatchers call a place when it differs from the map's name.
_SPOKEN_NAMES = {"郑州东站": "火车东站"}
#: Intersections named in the reports (signal pilots) come first among the intersection posts.
_KEY_INTERSECTIONS = (
    ("花园路", "三全路"), ("花园路", "宏康路"), ("花园路", "农业路"), ("未来路", "金水路"),
    ("中州大道", "金水路"), ("紫荆山路", "金水路"), ("花园路", "金水路"), ("中州大道", "农业路"),
)

_STATUS_WEIGHTS = (
    (UnitStatus.AVAILABLE, 80), (UnitStatus.DISPATCHED, 4), (UnitStatus.EN_ROUTE, 5),
    (UnitStatus.ON_SCENE, 5), (UnitStatus.RETURNING, 2), (UnitStatus.OFFLINE, 4),
)
_CALL_SIGN_LABELS = {
    UnitKind.MOTORCYCLE: "铁骑", UnitKind.PATROL_CAR: "巡逻", UnitKind.FOOT_POST: "步巡",
    UnitKind.DRONE: "无人机",
}


class _Generator:
    def __init__(self, city: _City, seed: int, spec: DemoCitySpec, now: float) -> None:
        self.city = city
        self.seed = seed
        self.spec = spec
        self.now = now
        # brigade district → [(squadron id, xy)], filled by stations()
        self.squadrons: dict[str, list[tuple[str, XY]]] = {}
        self.brigade_of: dict[str, tuple[str, str]] = {}  # district → (brigade id, short name)

    def rng(self, part: str) -> random.Random:
        """An independent stream per kind of record, so changing how cameras are placed does not
        move every officer too. String seeds hash with SHA-512: stable across runs and platforms."""
        return random.Random(f"desk-demo:{self.seed}:{part}")

    # -- placing helpers ---------------------------------------------------------------------------

    def nudge(self, base: XY, dx: float, dy: float) -> XY:
        """``base`` moved by (dx, dy) metres, unless that leaves the city: then ``base`` itself."""
        moved = (base[0] + dx, base[1] + dy)
        return moved if self.city.district_of(moved) is not None else base

    def spread_along(
        self, samples: Sequence[_Sample], lines: Sequence[Polyline], n: int, rng: random.Random
    ) -> list[tuple[_Sample, float]]:
        """``n`` positions spread evenly (with jitter) over the in-district parts of a line, as
        (sample, distance along the line)."""
        if not samples or n <= 0:
            return []
        out = []
        for k in range(n):
            q = (k + rng.uniform(0.1, 0.9)) * len(samples) / n
            idx = min(len(samples) - 1, int(q))
            sample = samples[idx]
            s = sample.s + (q - idx - 0.5) * _SAMPLE_STEP_M
            out.append((sample, max(0.0, min(lines[sample.line].length, s))))
        return out

    def nearest_squadron(self, district: str, xy: XY) -> str:
        squads = self.squadrons.get(district)
        if not squads:
            # A district without a brigade (no roads in it): the nearest squadron anywhere.
            squads = [sq for lst in self.squadrons.values() for sq in lst]
        return min(squads, key=lambda sq: (math.dist(sq[1], xy), sq[0]))[0]

    # -- stations ----------------------------------------------------------------------------------

    def stations(self) -> list[dict[str, Any]]:
        rng = self.rng("stations")
        city = self.city
        active = [d.name for d in city.districts if city.samples_by_district[d.name]]
        weights = [len(city.samples_by_district[d]) for d in active]
        biggest = max(weights)
        rows: list[dict[str, Any]] = []
        for bi, district in enumerate(active, start=1):
            brigade_id = f"ST-{bi:02d}"
            brigade = names.brigade_name(district)
            self.brigade_of[district] = (brigade_id, names.district_short_name(district))
            n_squads = 3 + round(2 * weights[bi - 1] / biggest)
            sites = self._station_sites(district, n_squads + 1, rng)
            hq = sites[0]
            lat, lon = city.latlon(hq)
            rows.append({"id": brigade_id, "name": brigade, "kind": "brigade", "parent_id": None,
                         "district": district, "lat": lat, "lon": lon})
            squads: list[tuple[str, XY]] = []
            for si, site in enumerate(sites[1:], start=1):
                sq_id = f"{brigade_id}-{si}"
                lat, lon = city.latlon(site)
                rows.append({"id": sq_id, "name": f"{brigade}{names.chinese_ordinal(si)}中队",
                             "kind": "squadron", "parent_id": brigade_id, "district": district,
                             "lat": lat, "lon": lon})
                squads.append((sq_id, site))
            self.squadrons[district] = squads
        return rows

    def _station_sites(self, district: str, n: int, rng: random.Random) -> list[XY]:
        """``n`` well-spread spots in a district, a short way off an intersection (or a road)."""
        city = self.city
        candidates = [c.xy for c in city.crossings if c.district == district]
        if len(candidates) < n:
            candidates += [s.xy for s in city.samples_by_district[district]]
        chosen = [rng.choice(candidates)]
        while len(chosen) < n:
            # Farthest-point choice spreads squadrons over their district, as real ones are.
            chosen.append(max(candidates, key=lambda p: min(math.dist(p, c) for c in chosen)))
        sites = []
        for xy in chosen:
            angle = rng.uniform(0, 2 * math.pi)
            dist = rng.uniform(60, 150)
            site = (xy[0] + dist * math.cos(angle), xy[1] + dist * math.sin(angle))
            sites.append(site if city.district_of(site) == district else xy)
        return sites

    # -- cameras -----------------------------------------------------------------------------------

    def cameras(self) -> list[dict[str, Any]]:
        rng = self.rng("cameras")
        city = self.city
        target = self.spec.cameras
        unique = _UniqueNames()
        placed: list[tuple[str, str, XY]] = []  # (name, road, xy)

        # Intersections get corner cameras and an enforcement camera (电子警察) per approach.
        for c in city.crossings:
            if len(placed) >= target:
                break
            base = f"{c.name_a}与{c.name_b}交叉口"
            for label, sx, sy in _CORNERS:
                d = rng.uniform(8.0, 18.0)
                xy = (c.xy[0] + sx * d, c.xy[1] + sy * d)
                if city.district_of(xy) is not None:
                    placed.append((unique.take(base + label), c.name_a, xy))
            for label, sx, sy in _APPROACHES:
                d = rng.uniform(18.0, 26.0)
                xy = (c.xy[0] + sx * d, c.xy[1] + sy * d)
                if city.district_of(xy) is not None:
                    on_road = c.name_a if rng.random() < 0.5 else c.name_b
                    placed.append((unique.take(f"{base}{label}进口电子警察"), on_road, xy))
        placed = placed[:target]

        # The rest line the roads, shared by the length of each road inside the city.
        remaining = target - len(placed)
        kinds, kind_weights = zip(*_ROAD_CAMERA_KINDS, strict=True)
        weights = [len(s) * (1.3 if city.roads[i].is_express else 1.0)
                   for i, s in enumerate(city.road_samples)]
        for ri, n in enumerate(_apportion(remaining, weights)):
            road = city.roads[ri]
            line = city.road_lines[ri]
            for sample, s in self.spread_along(city.road_samples[ri], city.road_lines, n, rng):
                side = 1 if rng.random() < 0.5 else -1
                offset = side * rng.uniform(5.0, _CAMERA_MAX_OFFSET_M)
                xy, _ = line.offset_point(s, offset)
                if city.district_of(xy) is None:
                    xy, _ = line.offset_point(s, -offset)
                    if city.district_of(xy) is None:
                        xy = sample.xy
                kind = rng.choices(kinds, weights=kind_weights)[0]
                name = f"{road.name}-K{int(s // 1000)}+{int(s % 1000):03d} {kind}"
                placed.append((unique.take(name), road.name, xy))

        offline = set(rng.sample(range(len(placed)), round(len(placed) * self.spec.camera_offline_share)))
        rows = []
        for i, (name, road_name, xy) in enumerate(placed):
            cam_id = f"CAM-{i + 1:05d}"
            lat, lon = city.latlon(xy)
            rows.append({
                "id": cam_id, "name": name, "road": road_name,
                "district": city.district_of(xy), "lat": lat, "lon": lon,
                "online": 0 if i in offline else 1,
                # Streams come from the intranet video platform; never a public host.
                "stream_url": f"rtsp://video.intranet/cam/{cam_id}",
            })
        return rows

    # -- water points ------------------------------------------------------------------------------

    def water_points(self) -> list[dict[str, Any]]:
        rng = self.rng("water")
        city = self.city
        unique = _UniqueNames()
        wanted = dict(self.spec.water_points)
        points: list[tuple[WaterPointKind, str, str, XY]] = []  # kind, name, road, xy
        used_crossings: set[int] = set()

        # Tunnels (下穿隧道): an express road dipping under a crossing road; the low point is
        # inside the tunnel, a little way from the junction.
        n = wanted.get(WaterPointKind.TUNNEL, 0)
        candidates = [k for k, c in enumerate(city.crossings)
                      if city.roads[c.a].is_express != city.roads[c.b].is_express]
        for k in sorted(rng.sample(candidates, min(n, len(candidates)))):
            c = city.crossings[k]
            used_crossings.add(k)
            ex, other = (c.a, c.name_b) if city.roads[c.a].is_express else (c.b, c.name_a)
            s = (c.s_a if ex == c.a else c.s_b) + rng.choice((-1, 1)) * rng.uniform(40, 120)
            xy, _ = city.road_lines[ex].at(s)
            xy = xy if city.district_of(xy) else c.xy
            road = city.roads[ex].name
            points.append((WaterPointKind.TUNNEL, unique.take(f"{road}{other}下穿隧道"), road, xy))
        points += self._fallback(WaterPointKind.TUNNEL, n - len(points), "下穿通道", unique, rng)

        # Bridges and culverts (桥涵): where a road passes under a railway or over a river.
        n = wanted.get(WaterPointKind.BRIDGE_CULVERT, 0)
        bridge_cands: list[tuple[str, str, XY]] = [
            (f"{c.name_a}下穿{c.name_b}桥涵", c.name_a, c.xy) for c in city.rail_crossings
        ] + [(f"{c.name_a}{c.name_b}桥", c.name_a, c.xy) for c in city.river_crossings]
        picked = sorted(rng.sample(range(len(bridge_cands)), min(n, len(bridge_cands))))
        for k in picked:
            name, road, xy = bridge_cands[k]
            points.append((WaterPointKind.BRIDGE_CULVERT, unique.take(name), road, xy))
        points += self._fallback(WaterPointKind.BRIDGE_CULVERT, n - len(picked), "桥涵", unique, rng)

        # Road waterlogging points (道路积水点): low junctions first, then low stretches.
        n = wanted.get(WaterPointKind.ROAD, 0)
        free = [k for k in range(len(city.crossings)) if k not in used_crossings]
        at_junctions = min(len(free), round(n * 2 / 3))
        for k in sorted(rng.sample(free, at_junctions)):
            c = city.crossings[k]
            xy = self.nudge(c.xy, rng.uniform(-25, 25), rng.uniform(-25, 25))
            name = unique.take(f"{c.name_a}与{c.name_b}交叉口")
            points.append((WaterPointKind.ROAD, name, c.name_a, xy))
        points += self._stretches(WaterPointKind.ROAD, n - at_junctions, suffix="",
                                  offset_range=(0.0, 15.0), unique=unique, rng=rng)

        # Open ditches (明沟) run beside a road, a little off the carriageway.
        n = wanted.get(WaterPointKind.DITCH, 0)
        points += self._stretches(WaterPointKind.DITCH, n, suffix="明沟",
                                  offset_range=(15.0, 28.0), unique=unique, rng=rng)

        points += self._rivers_and_reservoirs(unique, rng)

        rows = []
        for i, (kind, name, road, xy) in enumerate(points, start=1):
            t = default_thresholds(kind)
            lat, lon = city.latlon(xy)
            rows.append({
                "id": f"WP-{i:03d}", "name": name, "kind": kind.value, "road": road,
                "district": city.district_of(xy), "lat": lat, "lon": lon,
                "caution_cm": t.caution_cm, "warning_cm": t.warning_cm, "close_cm": t.close_cm,
            })
        return rows

    def _stretches(
        self,
        kind: WaterPointKind,
        n: int,
        *,
        suffix: str,
        offset_range: tuple[float, float],
        unique: _UniqueNames,
        rng: random.Random,
    ) -> list[tuple[WaterPointKind, str, str, XY]]:
        """``n`` points on stretches of road, named "某路（甲路至乙路段）" after the crossings on
        either side (or by kilometre mark where a road has none)."""
        city = self.city
        all_samples = [s for samples in city.road_samples for s in samples]
        out = []
        for sample in sorted(rng.sample(all_samples, min(n, len(all_samples))),
                             key=lambda s: (s.line, s.s)):
            road = city.roads[sample.line].name
            section = city.section_name(city.along_road[sample.line], sample.s)
            where = f"（{section}段）" if section else f"-K{int(sample.s // 1000)}+{int(sample.s % 1000):03d}"
            side = rng.choice((-1, 1))
            xy, _ = city.road_lines[sample.line].offset_point(sample.s, side * rng.uniform(*offset_range))
            xy = xy if city.district_of(xy) else sample.xy
            out.append((kind, unique.take(f"{road}{suffix}{where}"), road, xy))
        return out

    def _fallback(
        self, kind: WaterPointKind, n: int, label: str, unique: _UniqueNames, rng: random.Random
    ) -> list[tuple[WaterPointKind, str, str, XY]]:
        """Points along roads when a map has too few crossings of the right sort."""
        if n <= 0:
            return []
        return self._stretches(kind, n, suffix=label, offset_range=(0.0, 10.0), unique=unique,
                               rng=rng)

    def _rivers_and_reservoirs(
        self, unique: _UniqueNames, rng: random.Random
    ) -> list[tuple[WaterPointKind, str, str, XY]]:
        city = self.city
        out: list[tuple[WaterPointKind, str, str, XY]] = []
        budget = self.spec.river_reservoir_points
        # Reservoir gauges: named spots around the shore (or around the centre for a point).
        per = min(self.spec.points_per_reservoir, len(_RESERVOIR_SPOTS))
        reservoir_points: list[tuple[WaterPointKind, str, str, XY]] = []
        for res in city.bm.reservoirs:
            centre = city.proj.to_xy(res.centre.lat, res.centre.lon)
            if res.shore:
                shore = [city.proj.to_xy(p.lat, p.lon) for p in res.shore[:-1]]
            else:
                shore = [(centre[0] + 300 * math.cos(a), centre[1] + 300 * math.sin(a))
                         for a in (k * math.pi / 4 for k in range(8))]
            for k, spot in enumerate(_RESERVOIR_SPOTS[:per]):
                edge = shore[(k * len(shore)) // per]
                # A gauge stands just inside the water line.
                xy = (edge[0] * 0.85 + centre[0] * 0.15, edge[1] * 0.85 + centre[1] * 0.15)
                if spot.startswith("库心"):
                    xy = centre
                if city.district_of(xy) is None:
                    continue
                reservoir_points.append(
                    (WaterPointKind.RESERVOIR, unique.take(f"{res.name}-{spot}"), res.name, xy)
                )
        reservoir_points = reservoir_points[:budget]

        # River gauges along every river, shared by length, named after the nearest crossing.
        n_river = budget - len(reservoir_points)
        weights = [len(s) for s in city.river_samples]
        if sum(weights) == 0:
            fill = self._fallback(WaterPointKind.RIVER, n_river, "排水渠", unique, rng)
            return reservoir_points + fill
        for ri, n in enumerate(_apportion(n_river, weights)):
            river = city.bm.rivers[ri]
            line = city.river_lines[ri]
            crossings = city.along_river[ri]
            for sample, s in self.spread_along(city.river_samples[ri], city.river_lines, n, rng):
                near = min(crossings, key=lambda c: abs(c[0] - s), default=None)
                if near is not None and abs(near[0] - s) <= 1500:
                    section = f"{near[1]}段"
                else:
                    section = f"K{int(s // 1000)}+{int(s % 1000):03d}"
                xy, _ = line.offset_point(s, rng.uniform(-10, 10))
                xy = xy if city.district_of(xy) else sample.xy
                out.append((WaterPointKind.RIVER, unique.take(f"{river.name}-{section}"),
                            river.name, xy))
        return out + reservoir_points

    # -- police rooms and duty posts ---------------------------------------------------------------

    def police_rooms(self) -> list[dict[str, Any]]:
        rng = self.rng("police_rooms")
        city = self.city
        places = list(city.bm.places)
        ordered = [p for name in _POLICE_ROOM_PLACES for p in places if p.name == name]
        ordered += [p for p in places if p not in ordered]
        sites: list[tuple[str, XY]] = []
        for place in ordered:
            xy = city.proj.to_xy(place.position.lat, place.position.lon)
            if city.district_of(xy) is not None:
                sites.append((place.name.replace("/", ""), xy))
        for c in city.crossings:  # a map with few places: busy junctions instead
            sites.append((f"{c.name_a}{c.name_b}", c.xy))
        rows = []
        for i, (label, xy) in enumerate(sites[: self.spec.police_rooms], start=1):
            angle = rng.uniform(0, 2 * math.pi)
            d = rng.uniform(30, 120)
            room_xy = self.nudge(xy, d * math.cos(angle), d * math.sin(angle))
            lat, lon = city.latlon(room_xy)
            rows.append({"id": f"PR-{i:02d}", "name": f"{label}数字警务室",
                         "district": city.district_of(room_xy), "lat": lat, "lon": lon})
        return rows

    def duty_posts(self, rooms: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        rng = self.rng("duty_posts")
        city = self.city
        spec = self.spec
        unique = _UniqueNames()
        posts: list[tuple[str, str, str, XY]] = []  # name, kind, road, xy

        def nearest_road_name(xy: XY) -> str:
            lat, lon = city.proj.to_latlon(*xy)
            hit = city.bm.nearest_road(lat, lon)
            return hit[0].name if hit else ""

        # 高峰岗 at the crowded places named in the reports.
        peak = [p for name in _PEAK_PLACES for p in city.bm.places if p.name == name]
        for place in peak[: spec.peak_posts]:
            xy = city.proj.to_xy(place.position.lat, place.position.lon)
            if city.district_of(xy) is None:
                continue
            label = _SPOKEN_NAMES.get(place.name, place.name).replace("/", "")
            posts.append((unique.take(f"{label}高峰岗"), "peak", nearest_road_name(xy), xy))

        # 路口岗: the pilot intersections first, then the junctions of the biggest roads nearest
        # the centre (where congestion starts).
        def score(k: int) -> tuple[int, float, int]:
            c = city.crossings[k]
            express = city.roads[c.a].is_express + city.roads[c.b].is_express
            return (-express, math.dist(c.xy, city.centre_xy), k)

        key_pairs = {frozenset(p) for p in _KEY_INTERSECTIONS}
        first = [k for pair in _KEY_INTERSECTIONS for k, c in enumerate(city.crossings)
                 if frozenset((c.name_a, c.name_b)) == frozenset(pair)]
        rest = sorted((k for k, c in enumerate(city.crossings)
                       if frozenset((c.name_a, c.name_b)) not in key_pairs), key=score)
        junctions = (first + rest)[: spec.intersection_posts]
        for k in junctions:
            c = city.crossings[k]
            posts.append((unique.take(f"{c.name_a}与{c.name_b}交叉口岗"), "intersection",
                          c.name_a, c.xy))
        # 护学岗: school gates are on ordinary streets (never an express road), near the centre.
        schools = [k for k in rest if k not in junctions
                   and not (city.roads[city.crossings[k].a].is_express
                            or city.roads[city.crossings[k].b].is_express)][: spec.school_posts]
        for k in schools:
            c = city.crossings[k]
            xy = self.nudge(c.xy, rng.uniform(-60, 60), rng.uniform(-60, 60))
            posts.append((unique.take(f"{c.name_a}与{c.name_b}护学岗"), "school", c.name_a, xy))

        # 铁骑巡线: a stretch between two crossings in the middle of the longest roads.
        longest = sorted(range(len(city.roads)),
                         key=lambda i: (-len(city.road_samples[i]), i))
        lines_made = 0
        for ri in longest:
            if lines_made >= spec.motorcycle_lines:
                break
            crossings = city.along_road[ri]
            if len(crossings) < 2:
                continue
            mid = len(crossings) // 2
            (s0, n0), (s1, n1) = crossings[mid - 1], crossings[mid]
            if n0 == n1:
                continue
            xy, _ = city.road_lines[ri].at((s0 + s1) / 2)
            if city.district_of(xy) is None:
                continue
            road = city.roads[ri].name
            posts.append((unique.take(f"{road}铁骑巡线（{n0}—{n1}）"), "motorcycle_line", road, xy))
            lines_made += 1

        # 夜查点 on express roads at the edge of the city, where drink-driving checks stop traffic
        # coming in.
        outer = sorted(
            (k for k, c in enumerate(city.crossings)
             if city.roads[c.a].is_express or city.roads[c.b].is_express),
            key=lambda k: (-math.dist(city.crossings[k].xy, city.centre_xy), k),
        )
        taken = set(junctions) | set(schools)
        for k in [k for k in outer if k not in taken][: spec.night_checks]:
            c = city.crossings[k]
            xy = self.nudge(c.xy, rng.uniform(-40, 40), rng.uniform(-40, 40))
            posts.append((unique.take(f"{c.name_a}与{c.name_b}夜查点"), "night_check", c.name_a, xy))

        # 警务室驻点: officers posted at a digital police room.
        for room in rooms[: spec.police_room_posts]:
            xy = city.proj.to_xy(room["lat"], room["lon"])
            posts.append((unique.take(f"{room['name']}驻点"), "police_room",
                          nearest_road_name(xy), xy))

        # 巡逻岗 (a patrol area, 巡区), 备勤, 事故处理 and 指挥中心值班 at squadron bases: the biggest
        # districts first.
        districts = sorted(self.squadrons, key=lambda d: (-len(city.samples_by_district[d]), d))
        for district in districts[: spec.patrol_areas]:
            xy = self.squadrons[district][-1][1]
            road = nearest_road_name(xy)
            short = names.district_short_name(district)
            posts.append((unique.take(f"{short}{road}巡逻岗（巡区）"), "patrol_area", road, xy))
        for district in districts[: spec.standby_posts]:
            xy = self.squadrons[district][0][1]
            short = names.district_short_name(district)
            posts.append((unique.take(f"{short}大队备勤组"), "standby", nearest_road_name(xy), xy))
        for district in districts[: spec.accident_posts]:
            xy = self.squadrons[district][1 % len(self.squadrons[district])][1]
            short = names.district_short_name(district)
            posts.append((unique.take(f"{short}大队事故处理组"), "accident",
                          nearest_road_name(xy), xy))
        if spec.command_center_posts and districts:
            central = min((sq for d in districts for sq in self.squadrons[d]),
                          key=lambda sq: (math.dist(sq[1], city.centre_xy), sq[0]))
            for n in range(spec.command_center_posts):
                label = "支队指挥中心值班" + (f"（{n + 1}席）" if spec.command_center_posts > 1 else "")
                posts.append((unique.take(label), "command_center",
                              nearest_road_name(central[1]), central[1]))

        rows = []
        for i, (name, kind, road, xy) in enumerate(posts, start=1):
            district = city.district_of(xy) or ""
            lat, lon = city.latlon(xy)
            rows.append({"id": f"POST-{i:03d}", "name": name, "kind": kind,
                         "station_id": self.nearest_squadron(district, xy), "road": road,
                         "lat": lat, "lon": lon})
        return rows

    # -- units and officers ------------------------------------------------------------------------

    def units_and_officers(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        rng = self.rng("units")
        people = self.rng("officers")
        city = self.city
        spec = self.spec
        districts = list(self.squadrons)
        weights = [len(city.samples_by_district[d]) for d in districts]
        plan = (
            (UnitKind.MOTORCYCLE, spec.motorcycles, 1),
            (UnitKind.PATROL_CAR, spec.patrol_cars, 2),
            (UnitKind.FOOT_POST, spec.foot_posts, 1),
            (UnitKind.DRONE, spec.drones, 1),
        )
        statuses, status_weights = zip(*_STATUS_WEIGHTS, strict=True)
        units: list[dict[str, Any]] = []
        crew: list[tuple[str, UnitKind, str]] = []  # (unit id, kind, station id) per officer
        for kind, total, crew_size in plan:
            for district, count in zip(districts, _apportion(total, weights), strict=True):
                _, short = self.brigade_of[district]
                for n in range(1, count + 1):
                    xy, heading = self._unit_position(kind, district, rng)
                    status = rng.choices(statuses, weights=status_weights)[0]
                    if kind is UnitKind.DRONE and status in (UnitStatus.DISPATCHED,
                                                             UnitStatus.EN_ROUTE):
                        status = UnitStatus.ON_SCENE  # a launched drone is over its scene
                    online = status is not UnitStatus.OFFLINE
                    station = self.nearest_squadron(district, xy)
                    unit_id = f"U-{len(units) + 1:04d}"
                    lat, lon = city.latlon(xy)
                    units.append({
                        "id": unit_id,
                        "call_sign": f"{short}{_CALL_SIGN_LABELS[kind]}-{n:02d}",
                        "kind": kind.value,
                        "status": status.value,
                        "station_id": station,
                        "device_id": f"DEV-{10001 + len(units)}",
                        "lat": lat,
                        "lon": lon,
                        "heading": round(heading, 1) % 360.0,  # 359.96 rounds to 360
                        "speed_kmh": round(_speed(kind, status, rng), 1),
                        # An offline unit's last fix is old: connection and freshness go together
                        # here, though the map must still treat them separately.
                        "fix_at": self.now if online else self.now - round(rng.uniform(900, 7200)),
                        "online": int(online),
                    })
                    crew += [(unit_id, kind, station)] * crew_size
        officers = self._officers(crew, people)
        return units, officers

    def _unit_position(self, kind: UnitKind, district: str, rng: random.Random) -> tuple[XY, float]:
        city = self.city
        if kind is UnitKind.DRONE:
            squads = self.squadrons[district]
            base = rng.choice(squads)[1]
            return self.nudge(base, rng.uniform(-30, 30), rng.uniform(-30, 30)), rng.uniform(0, 360)
        if kind is UnitKind.FOOT_POST:
            junctions = [c.xy for c in city.crossings if c.district == district]
            if junctions:
                base = rng.choice(junctions)
                return (self.nudge(base, rng.uniform(-20, 20), rng.uniform(-20, 20)),
                        rng.uniform(0, 360))
        sample = rng.choice(city.samples_by_district[district])
        line = city.road_lines[sample.line]
        s = sample.s + rng.uniform(-_SAMPLE_STEP_M / 2, _SAMPLE_STEP_M / 2)
        xy, bearing = line.offset_point(s, rng.uniform(-8, 8))
        if city.district_of(xy) is None:
            xy = sample.xy
        if rng.random() < 0.5:
            bearing = (bearing + 180.0) % 360.0  # the other carriageway
        return xy, bearing

    def _officers(
        self, crew: Sequence[tuple[str, UnitKind, str]], rng: random.Random
    ) -> list[dict[str, Any]]:
        badges = rng.sample(range(100_000, 1_000_000), len(crew))
        # 警务通 short numbers (集群短号), not mobile numbers: nobody real is ever dialled.
        phones = rng.sample(range(600_000, 700_000), len(crew))
        pilots_extra = 0
        rows = []
        for i, (unit_id, kind, station) in enumerate(crew):
            skills: set[str] = set()
            if kind is UnitKind.MOTORCYCLE:
                skills.add("motorcycle")
            if kind is UnitKind.PATROL_CAR:
                skills.add("car")
            if kind is UnitKind.DRONE:
                skills.update(("drone_pilot", "car"))
            elif rng.random() < 0.1 and pilots_extra < 100:
                # About a hundred more trained pilots work other posts (FACTS: 108 pilots).
                skills.add("drone_pilot")
                pilots_extra += 1
            if rng.random() < (0.6 if kind is UnitKind.PATROL_CAR else 0.35):
                skills.add("accident")
            if rng.random() < (0.4 if kind is UnitKind.PATROL_CAR else 0.2):
                skills.add("night_check")
            if kind is not UnitKind.PATROL_CAR and rng.random() < 0.3:
                skills.add("car")
            rows.append({
                "id": f"OFF-{i + 1:04d}",
                "name": names.person_name(rng),
                "badge": f"{badges[i]:06d}",
                "station_id": station,
                "rank": names.rank(rng, kind.value),
                "skills": [s for s in SKILLS if s in skills],
                "phone": str(phones[i]),
                "unit_id": unit_id,
                "on_duty": 1,
            })
        return rows


def _speed(kind: UnitKind, status: UnitStatus, rng: random.Random) -> float:
    if status in (UnitStatus.OFFLINE, UnitStatus.ON_SCENE, UnitStatus.DISPATCHED):
        return 0.0
    if kind is UnitKind.FOOT_POST:
        return rng.choice((0.0, 0.0, rng.uniform(2, 5)))
    if kind is UnitKind.DRONE:
        return 0.0 if rng.random() < 0.7 else rng.uniform(20, 45)
    if status is UnitStatus.EN_ROUTE:
        return rng.uniform(30, 60)
    return 0.0 if rng.random() < 0.4 else rng.uniform(8, 40)
