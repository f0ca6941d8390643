"""快反圈 (quick-response circles) and 快反 compliance.

"1、3、5 分钟快反" is, in practice, a set of pre-planned circles around key places (schools,
hospitals, stations, 商圈), each with a tier of forces for each minute: within 1 minute the
nearest police respond on the spot (派出所/警务站/特警驻巡/交警快骑), within 3 minutes support
arrives (分局, 交通大队/中队), within 5 minutes reinforcement (市局直属). Wuhan runs hundreds of
such circles; they are checked in timed 拉动演练 from order to arrival. A station chief keeps
their station's circles here (data, synced with the station scope).

Compliance is measured from real records, never estimated: a dispatch's response time is its
arrival (the unit's 到场, ``dispatches.arrived_at``) minus the order (``dispatches.at``). The
report gives, per circle (dispatches to a target inside it) and per station (the sent unit's),
the share of dispatches that arrived within 1, 3 and 5 minutes. A dispatch that never arrived
counts against the share; one still under way and younger than the longest tier is left out (it
may yet arrive in time).
"""

from __future__ import annotations

import statistics
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from desk.domain.geo import LatLon, haversine_m
from desk.services.context import AppContext

#: The minute tiers of "1、3、5 分钟快反".
TIERS = (1, 3, 5)
#: Kinds of key place a circle is drawn around; values are stored, labels shown.
CIRCLE_KINDS = {
    "school": "学校", "hospital": "医院", "station": "车站", "business": "商圈",
    "venue": "场馆", "other": "其他",
}
DEFAULT_RADIUS_M = 1000.0


class QuickResponseError(ValueError):
    """A refused edit; ``str(err)`` is a Chinese message for the user."""


@dataclass(frozen=True, slots=True)
class QuickForce:
    id: str
    circle_id: str
    tier_min: int
    force: str
    unit_id: str | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class QuickCircle:
    id: str
    name: str
    kind: str
    station_id: str | None
    lat: float
    lon: float
    radius_m: float
    note: str = ""
    forces: tuple[QuickForce, ...] = ()

    @property
    def kind_label(self) -> str:
        return CIRCLE_KINDS.get(self.kind, self.kind)

    def contains(self, lat: float, lon: float) -> bool:
        return haversine_m(LatLon(self.lat, self.lon), LatLon(lat, lon)) <= self.radius_m

    def tier(self, minutes: int) -> tuple[QuickForce, ...]:
        return tuple(f for f in self.forces if f.tier_min == minutes)


@dataclass(frozen=True, slots=True)
class ComplianceRow:
    """快反 compliance of one group (a circle, a station, or everything)."""

    group: str  # "circle", "station", "all"
    id: str
    name: str
    dispatches: int  # counted: arrived + never arrived
    arrived: int
    within: dict[int, int] = field(default_factory=dict)  # tier minutes → dispatches within
    median_s: float | None = None  # median response time of those that arrived

    def share(self, minutes: int) -> float | None:
        """Share (0–1) of counted dispatches that arrived within ``minutes``; None without any."""
        return None if not self.dispatches else self.within.get(minutes, 0) / self.dispatches


@dataclass(frozen=True, slots=True)
class ComplianceReport:
    since: float
    until: float
    overall: ComplianceRow
    circles: tuple[ComplianceRow, ...]
    stations: tuple[ComplianceRow, ...]
    pending: int  # dispatches still under way and younger than the longest tier (left out)


class QuickResponseService:
    """``ctx.service(QuickResponseService)``: edit circles and their forces, find the circles
    around a point, and report compliance. Every write goes through ``ws.write(ctx.actor)``."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    @property
    def ws(self) -> Any:
        return self.ctx.workspace

    # -- editing -------------------------------------------------------------------------------

    def add_circle(self, name: str, lat: float, lon: float, *, kind: str = "other",
                   radius_m: float = DEFAULT_RADIUS_M, station_id: str | None = None,
                   note: str = "") -> str:
        fields = self._checked(name=name, kind=kind, lat=lat, lon=lon, radius_m=radius_m,
                               station_id=station_id, note=note)
        circle_id = f"qr-{uuid.uuid4().hex[:12]}"
        with self.ws.write(self.ctx.actor, origin=self) as tx:
            tx.insert("qr_circles", {"id": circle_id, **fields, "updated_at": self.ctx.clock(),
                                     "updated_by": self.ctx.actor})
        return circle_id

    def update_circle(self, circle_id: str, **changes: Any) -> None:
        """Change a circle's name, kind, lat, lon, radius_m, station_id or note."""
        current = self.circle(circle_id)
        if current is None:
            raise QuickResponseError(f"快反圈 {circle_id} 不存在")
        allowed = {"name", "kind", "lat", "lon", "radius_m", "station_id", "note"}
        unknown = set(changes) - allowed
        if unknown:
            raise QuickResponseError(f"不能修改快反圈的字段：{'、'.join(sorted(unknown))}")
        merged = {k: getattr(current, k) for k in allowed} | changes
        fields = self._checked(**merged)
        patch = {k: fields[k] for k in changes}
        with self.ws.write(self.ctx.actor, origin=self) as tx:
            tx.update("qr_circles", circle_id, patch | {"updated_at": self.ctx.clock(),
                                                        "updated_by": self.ctx.actor})
            if "station_id" in patch:
                for f in current.forces:
                    tx.update("qr_forces", f.id, {"station_id": patch["station_id"]})

    def delete_circle(self, circle_id: str) -> None:
        current = self.circle(circle_id)
        if current is None:
            raise QuickResponseError(f"快反圈 {circle_id} 不存在")
        with self.ws.write(self.ctx.actor, origin=self) as tx:
            for f in current.forces:
                tx.delete("qr_forces", f.id)
            tx.delete("qr_circles", circle_id)

    def add_force(self, circle_id: str, tier_min: int, force: str, *, unit_id: str | None = None,
                  note: str = "") -> str:
        """A force of the circle's ``tier_min`` (1, 3 or 5) minute tier."""
        circle = self.circle(circle_id)
        if circle is None:
            raise QuickResponseError(f"快反圈 {circle_id} 不存在")
        if tier_min not in TIERS:
            raise QuickResponseError("快反梯次只能是 1、3 或 5 分钟")
        if not force.strip():
            raise QuickResponseError("请填写力量名称（如：警务站、交警快骑）")
        if unit_id and self.ws.db.execute("SELECT 1 FROM units WHERE id = ?",
                                          [unit_id]).fetchone() is None:
            raise QuickResponseError(f"警力单元 {unit_id} 不存在")
        force_id = f"qf-{uuid.uuid4().hex[:12]}"
        with self.ws.write(self.ctx.actor, origin=self) as tx:
            tx.insert("qr_forces", {"id": force_id, "circle_id": circle_id, "tier_min": tier_min,
                                    "force": force.strip(), "unit_id": unit_id or None,
                                    "station_id": circle.station_id, "note": note.strip()})
        return force_id

    def remove_force(self, force_id: str) -> None:
        if self.ws.db.execute("SELECT 1 FROM qr_forces WHERE id = ?", [force_id]).fetchone() is None:
            raise QuickResponseError(f"快反力量 {force_id} 不存在")
        with self.ws.write(self.ctx.actor, origin=self) as tx:
            tx.delete("qr_forces", force_id)

    def _checked(self, *, name: str, kind: str, lat: float, lon: float, radius_m: float,
                 station_id: str | None, note: str) -> dict[str, Any]:
        if not str(name).strip():
            raise QuickResponseError("请填写快反圈名称")
        if kind not in CIRCLE_KINDS:
            raise QuickResponseError(f"未知的重点部位类型：{kind}")
        try:
            la, lo, r = float(lat), float(lon), float(radius_m)
        except (TypeError, ValueError):
            raise QuickResponseError("位置和半径必须是数字") from None
        if not (-90 <= la <= 90 and -180 <= lo <= 180):
            raise QuickResponseError("位置超出经纬度范围")
        if not 50 <= r <= 20_000:
            raise QuickResponseError("快反圈半径应在 50 米到 20 公里之间")
        if station_id and self.ws.db.execute("SELECT 1 FROM stations WHERE id = ?",
                                             [station_id]).fetchone() is None:
            raise QuickResponseError(f"单位 {station_id} 不存在")
        return {"name": str(name).strip(), "kind": kind, "lat": la, "lon": lo, "radius_m": r,
                "station_id": station_id or None, "note": str(note or "").strip()}

    # -- reading -------------------------------------------------------------------------------

    def circles(self, station_id: str | None = None) -> list[QuickCircle]:
        where, params = ("WHERE station_id = ?", [station_id]) if station_id else ("", [])
        rows = self.ws.db.execute(
            "SELECT id, name, kind, station_id, lat, lon, radius_m, note FROM qr_circles "
            f"{where} ORDER BY name", params).fetchall()
        forces: dict[str, list[QuickForce]] = {}
        for fid, cid, tier, force, unit, note in self.ws.db.execute(
                "SELECT id, circle_id, tier_min, force, unit_id, note FROM qr_forces "
                "ORDER BY tier_min, force"):
            forces.setdefault(str(cid), []).append(
                QuickForce(str(fid), str(cid), int(tier), str(force), unit, str(note or "")))
        return [QuickCircle(str(r[0]), str(r[1]), str(r[2]), r[3], float(r[4]), float(r[5]),
                            float(r[6]), str(r[7] or ""), tuple(forces.get(str(r[0]), ())))
                for r in rows]

    def circle(self, circle_id: str) -> QuickCircle | None:
        return next((c for c in self.circles() if c.id == circle_id), None)

    def circles_at(self, lat: float, lon: float) -> list[QuickCircle]:
        """The circles a point lies in, nearest centre first (the 派警 dialog shows their tiers)."""
        here = LatLon(lat, lon)
        inside = [c for c in self.circles() if c.contains(lat, lon)]
        return sorted(inside, key=lambda c: haversine_m(here, LatLon(c.lat, c.lon)))

    # -- compliance ----------------------------------------------------------------------------

    def compliance(self, since: float, until: float | None = None) -> ComplianceReport:
        """快反 compliance of the dispatches ordered in [since, until]."""
        until = self.ctx.clock() if until is None else until
        rows = self.ws.db.execute(
            "SELECT d.at, d.arrived_at, d.cleared_at, d.lat, d.lon, u.station_id, "
            "coalesce(s.name, u.station_id, '未知单位') FROM dispatches d "
            "JOIN units u ON u.id = d.unit_id LEFT JOIN stations s ON s.id = u.station_id "
            "WHERE d.at >= ? AND d.at <= ? ORDER BY d.at", [since, until]).fetchall()
        circles = self.circles()
        longest = max(TIERS) * 60.0
        now = self.ctx.clock()
        counted: list[tuple[float | None, float | None, float | None, str, str]] = []
        pending = 0
        for at, arrived, cleared, lat, lon, station, station_name in rows:
            if arrived is None and cleared is None and now - float(at) < longest:
                pending += 1  # still under way and may arrive in time
                continue
            response = None if arrived is None else max(0.0, float(arrived) - float(at))
            counted.append((response, lat, lon, str(station or ""), str(station_name)))
        overall = _row("all", "", "全部", [c[0] for c in counted])
        by_circle = []
        for c in circles:
            times = [r for r, lat, lon, _s, _n in counted
                     if lat is not None and lon is not None and c.contains(float(lat), float(lon))]
            by_circle.append(_row("circle", c.id, c.name, times))
        stations: dict[str, tuple[str, list[float | None]]] = {}
        for r, _lat, _lon, sid, sname in counted:
            stations.setdefault(sid, (sname, []))[1].append(r)
        by_station = [_row("station", sid, name, times)
                      for sid, (name, times) in sorted(stations.items(), key=lambda kv: kv[1][0])]
        return ComplianceReport(since, until, overall, tuple(by_circle), tuple(by_station), pending)


def _row(group: str, gid: str, name: str, times: Iterable[float | None]) -> ComplianceRow:
    times = list(times)
    arrived = [t for t in times if t is not None]
    within = {m: sum(1 for t in arrived if t <= m * 60.0) for m in TIERS}
    return ComplianceRow(group, gid, name, len(times), len(arrived), within,
                         statistics.median(arrived) if arrived else None)
