"""What the map draws, read from the workspace into columnar arrays, plus the id → index maps
that let live deltas address markers by position (no Qt here; the view sends these as JSON).

Columnar arrays (``ids[]``, ``lat[]``, ``lon[]`` ...) keep the JSON small and let the page build
10,000 markers in one loop. Coordinates pass through ``to_map`` so a GCJ-02 basemap gets shifted
positions while the workspace stays WGS-84.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from desk.domain.accidents.states import CaseState
from desk.domain.duty.staffing import STAFFING_TABLES
from desk.domain.units import DEFAULT_STALE_AFTER_S, UnitStatus
from desk.domain.water import DepthThresholds, WaterPointKind, default_thresholds
from desk.domain.waterlevel import WaterState, map_level_code, water_state

log = logging.getLogger(__name__)

#: Order of status codes shared with map.js (STATUS_COLORS).
UNIT_STATUSES: tuple[UnitStatus, ...] = (
    UnitStatus.AVAILABLE, UnitStatus.DISPATCHED, UnitStatus.EN_ROUTE, UnitStatus.ON_SCENE,
    UnitStatus.RETURNING, UnitStatus.OFFLINE,
)
STATUS_CODE = {s.value: i for i, s in enumerate(UNIT_STATUSES)}
UNIT_STATUS_COLORS = ("#2ecc71", "#f5a623", "#3498db", "#ff4d4f", "#b37feb", "#7f8c8d")

WATER_KINDS: tuple[WaterPointKind, ...] = tuple(WaterPointKind)
WATER_KIND_CODE = {k.value: i for i, k in enumerate(WATER_KINDS)}
#: Marker outline per kind, shared with map.js (WATER_KIND_STROKE).
WATER_KIND_COLORS = ("#ffffff", "#ff79c6", "#8be9fd", "#50fa7b", "#6d8bd8", "#c39bff")
#: Water level codes shared with map.js (WATER_LEVEL_COLORS).
WATER_LEVELS = ("无数据", "正常", "注意", "警告", "封闭")
WATER_LEVEL_COLORS = ("#6c7a89", "#3fa9f5", "#f1c40f", "#e67e22", "#ff3b30")

#: Accident case states not drawn: the case is over (the accident domain's terminal states;
#: a self-settled case may still go to the insurer, so it stays on the map).
FINISHED_CASE_STATES = tuple(s.value for s in CaseState if s.is_terminal)

LAYERS = ("units", "cameras", "water", "posts", "rooms", "cases")

#: Duty-post staffing codes shared with map.js (POST_STAFF_COLORS): 0 not needed now (neutral),
#: then DutyService.staffing_now's "full", "short", "empty" (side panel: 当前无需, 满岗, 缺员, 空岗).
POST_STAFFING = ("none", "full", "short", "empty")
POST_STAFFING_CODE = {s: i for i, s in enumerate(POST_STAFFING)}
POST_STAFFING_COLORS = ("#8a96a3", "#2ecc71", "#f5a623", "#ff4d4f")
#: The duty tables whose changes can change a post's staffing (desk/store/schema_duty.py).
#: Tables whose change can change a post's staffing now: the duty domain's one definition.
DUTY_STAFFING_TABLES = STAFFING_TABLES

Transform = Callable[[float, float], tuple[float, float]]
#: now → {post_id: "full" | "short" | "empty"} (DutyService.staffing_now); absent = not needed.
StaffingSource = Callable[[float], dict[str, str]]


def identity(lat: float, lon: float) -> tuple[float, float]:
    return lat, lon


def water_level(depth_cm: float | None, t: DepthThresholds, state: WaterState | None = None) -> int:
    """0 no data, 1 normal, 2 caution (注意), 3 warning (警告), 4 close the road (封闭).

    ``state`` is the water service's judged state (with hysteresis, the one the panels show);
    without it the depth is judged by the domain's own rule, never by a copy of it here."""
    if depth_cm is None:
        return 0
    return map_level_code(state if state is not None else water_state(depth_cm, t))


def _r6(x: float) -> float:
    return round(x, 6)


def table_exists(conn: sqlite3.Connection, name: str) -> bool:
    row = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = ?", [name]
    ).fetchone()
    return row is not None


@dataclass
class LayerIndex:
    """id ↔ position of one layer's markers, and the rows' details for the side panel."""

    ids: list[str] = field(default_factory=list)
    pos: dict[str, int] = field(default_factory=dict)

    def reset(self, ids: list[str]) -> None:
        self.ids = ids
        self.pos = {v: i for i, v in enumerate(ids)}


class MapData:
    """Reads layers from a workspace connection (GUI thread) and remembers what the page shows."""

    def __init__(self, conn: sqlite3.Connection, *, stale_after_s: float = DEFAULT_STALE_AFTER_S) -> None:
        self.conn = conn
        self.stale_after_s = stale_after_s
        self.to_map: Transform = identity
        self.index: dict[str, LayerIndex] = {name: LayerIndex() for name in LAYERS}
        self.last: dict[str, dict[str, Any]] = {}  # the arrays last sent, per layer (search uses them)
        # Per unit, what the page currently shows, so deltas only carry real changes.
        self.unit_fix_at: list[float | None] = []
        self.unit_status: list[int] = []
        self.unit_stale: list[int] = []
        self.water_thresholds: list[DepthThresholds] = []
        self.water_level: list[int] = []
        #: The water service's judged states (``WaterService.level_states``), set by the live layer.
        self.level_source: Callable[[], dict[str, WaterState]] | None = None
        self.water_at: list[float] = []
        self.camera_online: list[int] = []
        #: Where posts' staffing comes from; None draws every post neutral (no duty planning).
        self.staffing: StaffingSource | None = None
        self.post_staff: list[int] = []

    # -- whole layers ------------------------------------------------------------------------------

    def layer(self, name: str, now: float) -> dict[str, Any]:
        loader = getattr(self, f"_load_{name}")
        data: dict[str, Any] = loader(now)
        self.index[name].reset(data["ids"])
        self.last[name] = data
        return data

    def all_layers(self, now: float) -> dict[str, dict[str, Any]]:
        return {name: self.layer(name, now) for name in LAYERS}

    def _points(self, rows: list[tuple[Any, ...]]) -> tuple[list[float], list[float]]:
        lats: list[float] = []
        lons: list[float] = []
        tx = self.to_map
        for r in rows:
            lat, lon = tx(float(r[1]), float(r[2]))
            lats.append(_r6(lat))
            lons.append(_r6(lon))
        return lats, lons

    def _load_units(self, now: float) -> dict[str, Any]:
        rows = self.conn.execute(
            "SELECT id, lat, lon, call_sign, kind, status, heading, fix_at FROM units ORDER BY call_sign"
        ).fetchall()
        lats: list[float | None] = []
        lons: list[float | None] = []
        tx = self.to_map
        for r in rows:
            if r[1] is None or r[2] is None:
                lats.append(None)
                lons.append(None)
            else:
                lat, lon = tx(float(r[1]), float(r[2]))
                lats.append(_r6(lat))
                lons.append(_r6(lon))
        self.unit_fix_at = [r[7] for r in rows]
        self.unit_status = [STATUS_CODE.get(r[5], STATUS_CODE["offline"]) for r in rows]
        self.unit_stale = [self._stale(r[7], now) for r in rows]
        return {
            "ids": [r[0] for r in rows], "cs": [r[3] or r[0] for r in rows],
            "kind": [r[4] or "" for r in rows], "lat": lats, "lon": lons,
            "hdg": [None if r[6] is None else round(float(r[6]), 1) for r in rows],
            "st": list(self.unit_status), "stale": list(self.unit_stale),
        }

    def _stale(self, fix_at: float | None, now: float) -> int:
        return int(fix_at is None or now - float(fix_at) > self.stale_after_s)

    def _load_cameras(self, now: float) -> dict[str, Any]:
        rows = self.conn.execute(
            "SELECT id, lat, lon, name, online FROM cameras WHERE lat IS NOT NULL AND lon IS NOT NULL "
            "ORDER BY id"
        ).fetchall()
        lats, lons = self._points(rows)
        self.camera_online = [int(bool(r[4])) for r in rows]
        return {"ids": [r[0] for r in rows], "name": [r[3] or r[0] for r in rows],
                "lat": lats, "lon": lons, "on": list(self.camera_online)}

    def latest_depths(self, point_ids: list[str] | None = None) -> dict[str, tuple[float, float]]:
        """point id → (depth_cm, at) of its latest reading with a depth.

        One index seek per point (sensor_readings is indexed on point_id, at): a GROUP BY over the
        whole table would scan millions of rows after a few days of 10-second readings.
        """
        if point_ids is None:
            point_ids = [r[0] for r in self.conn.execute("SELECT id FROM water_points")]
        out: dict[str, tuple[float, float]] = {}
        sql = ("SELECT depth_cm, at FROM sensor_readings WHERE point_id = ? AND depth_cm IS NOT NULL "
               "ORDER BY at DESC LIMIT 1")
        for pid in point_ids:
            row = self.conn.execute(sql, [pid]).fetchone()
            if row is not None:
                out[pid] = (float(row[0]), float(row[1]))
        return out

    def _load_water(self, now: float) -> dict[str, Any]:
        rows = self.conn.execute(
            "SELECT id, lat, lon, name, kind, caution_cm, warning_cm, close_cm FROM water_points "
            "WHERE lat IS NOT NULL AND lon IS NOT NULL ORDER BY id"
        ).fetchall()
        lats, lons = self._points(rows)
        latest = self.latest_depths()
        kinds: list[int] = []
        self.water_thresholds = []
        for r in rows:
            code = WATER_KIND_CODE.get(r[4], 0)
            kinds.append(code)
            try:
                t = DepthThresholds(float(r[5]), float(r[6]), float(r[7]))
            except (TypeError, ValueError):
                t = default_thresholds(WATER_KINDS[code])
            self.water_thresholds.append(t)
        depths = [latest.get(r[0], (None, 0.0))[0] for r in rows]
        self.water_at = [latest.get(r[0], (None, 0.0))[1] for r in rows]
        states = self.level_source() if self.level_source is not None else {}
        self.water_level = [water_level(d, t, states.get(r[0]))
                            for d, t, r in zip(depths, self.water_thresholds, rows, strict=True)]
        return {"ids": [r[0] for r in rows], "name": [r[3] or r[0] for r in rows], "kind": kinds,
                "lat": lats, "lon": lons, "lvl": list(self.water_level),
                "depth": [None if d is None else round(d, 1) for d in depths]}

    def _simple(self, sql: str) -> dict[str, Any]:
        rows = self.conn.execute(sql).fetchall()
        lats, lons = self._points(rows)
        return {"ids": [r[0] for r in rows], "name": [r[3] or r[0] for r in rows],
                "lat": lats, "lon": lons}

    def _load_posts(self, now: float) -> dict[str, Any]:
        data = self._simple("SELECT id, lat, lon, name FROM duty_posts "
                            "WHERE lat IS NOT NULL AND lon IS NOT NULL ORDER BY id")
        codes = self.staffing_codes(data["ids"], now)
        self.post_staff = codes
        data["staff"] = list(codes)
        return data

    def staffing_codes(self, post_ids: list[str], now: float) -> list[int]:
        """Per post, its POST_STAFFING code at ``now`` (0 when no source or the source fails)."""
        if self.staffing is None:
            return [0] * len(post_ids)
        try:
            staffing = self.staffing(now)
        except Exception:  # the map must keep drawing even when duty data is odd
            log.exception("duty staffing unavailable; posts drawn neutral")
            staffing = {}
        return [POST_STAFFING_CODE.get(staffing.get(pid, "none"), 0) for pid in post_ids]

    def staffing_changes(self, now: float) -> list[int]:
        """Flat [i, code, ...] for posts whose staffing differs from what the page shows."""
        codes = self.staffing_codes(self.index["posts"].ids, now)
        out: list[int] = []
        for i, code in enumerate(codes):
            if i < len(self.post_staff) and code != self.post_staff[i]:
                self.post_staff[i] = code
                out += [i, code]
        return out

    def _load_rooms(self, now: float) -> dict[str, Any]:
        return self._simple("SELECT id, lat, lon, name FROM police_rooms "
                            "WHERE lat IS NOT NULL AND lon IS NOT NULL ORDER BY id")

    def _load_cases(self, now: float) -> dict[str, Any]:
        if not table_exists(self.conn, "accident_cases"):
            return {"ids": [], "name": [], "lat": [], "lon": [], "state": []}
        marks = ",".join("?" * len(FINISHED_CASE_STATES))
        rows = self.conn.execute(
            f"SELECT id, lat, lon, case_no, state FROM accident_cases WHERE lat IS NOT NULL "
            f"AND lon IS NOT NULL AND coalesce(state, '') NOT IN ({marks}) ORDER BY id",
            list(FINISHED_CASE_STATES),
        ).fetchall()
        lats, lons = self._points(rows)
        return {"ids": [r[0] for r in rows], "name": [r[3] or r[0] for r in rows],
                "lat": lats, "lon": lons, "state": [r[4] or "" for r in rows]}

    # -- changes -------------------------------------------------------------------------------------

    def stale_changes(self, now: float) -> list[int]:
        """Flat [i, stale, ...] for units whose freshness flipped since last sent."""
        out: list[int] = []
        for i, fix_at in enumerate(self.unit_fix_at):
            s = self._stale(fix_at, now)
            if s != self.unit_stale[i]:
                self.unit_stale[i] = s
                out += [i, s]
        return out

    def water_change(self, point_id: str, depth: float, at: float,
                     state: WaterState | None = None) -> tuple[int, int, float] | None:
        """(i, level, depth) when a reading is newer than what the page shows, else None."""
        i = self.index["water"].pos.get(point_id)
        if i is None or at < self.water_at[i]:
            return None
        self.water_at[i] = at
        lvl = water_level(depth, self.water_thresholds[i], state)
        self.water_level[i] = lvl
        return i, lvl, round(depth, 1)

    def details(self, layer: str, entity_id: str) -> dict[str, Any] | None:
        """One feature's row for the side panel (None when it no longer exists)."""
        table = {"units": "units", "cameras": "cameras", "water": "water_points",
                 "posts": "duty_posts", "rooms": "police_rooms", "cases": "accident_cases"}.get(layer)
        if table is None or not table_exists(self.conn, table):
            return None
        cur = self.conn.execute(f'SELECT * FROM "{table}" WHERE id = ?', [entity_id])
        row = cur.fetchone()
        if row is None:
            return None
        out = {d[0]: v for d, v in zip(cur.description, row, strict=True)}
        if layer == "water":
            latest = self.latest_depths([entity_id]).get(entity_id)
            out["latest_depth_cm"] = None if latest is None else latest[0]
            out["latest_at"] = None if latest is None else latest[1]
        return out
