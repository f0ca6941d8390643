"""管得住 (supervision): decide which on-duty officers need checking — away from their post too long
(脱岗), never arrived (未到岗), or on duty with no usable position (无定位: device off or stale).

Pure logic over observations (assignment, post and its geometry, the officer's unit: status and
latest fix, time); the service feeds it from the workspace and raises alerts. The practice it
encodes (勤务督察):

- an officer who is dispatched, en route, on scene or returning (已派/在途/到场/返回) is working a
  task, not away from the post: exempt, and the away clock restarts;
- a fixed post (路口岗, 高峰岗, 护学岗 …) is judged by the distance to its point; a patrol line
  (铁骑巡线) by the distance to its corridor — the line through its check-in points (打卡点),
  widened by ``corridor_m``; a patrol area (巡逻岗/巡区, or a line without check-in points) by an
  area of ``patrol_radius_m`` around the post and its check-in points; passing a check-in point
  is recorded (打卡);
- an officer on duty whose fix is missing or stale (``desk.domain.units.fix_is_stale``, the one
  definition) is an anomaly to check — the device may be off;
- an officer never seen at the post by the shift's start plus ``arrive_grace_s`` is 未到岗.

An officer who comes back within the distance resets the away clock.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from enum import StrEnum

from desk.domain.duty.model import PATROL_POST_KINDS, fmt_time
from desk.domain.geo import LatLon, haversine_m
from desk.domain.units import fix_is_stale

#: Unit states in which an officer is on a task, so away from the post on purpose.
EXEMPT_STATUSES: frozenset[str] = frozenset({"dispatched", "en_route", "on_scene", "returning"})


class AnomalyKind(StrEnum):
    OFF_POST = "off_post"  # 脱岗
    NO_SHOW = "no_show"  # 未到岗
    NO_FIX = "no_fix"  # 在岗无定位（终端关机/信号中断/未绑定终端）

    @property
    def label(self) -> str:
        return {"off_post": "脱岗", "no_show": "未到岗", "no_fix": "无定位"}[self.value]


@dataclass(frozen=True, slots=True)
class SupervisionConfig:
    max_distance_m: float = 500.0  # from a fixed post's point
    max_away_s: float = 600.0  # how long away before an alert (default 10 min)
    stale_fix_s: float = 300.0  # a fix older than this says nothing about where the officer is
    corridor_m: float = 300.0  # half-width of a patrol corridor around its check-in line
    patrol_radius_m: float = 2000.0  # a patrol post with no check-in points: its area's radius
    checkin_radius_m: float = 100.0  # within this of a check-in point counts as 打卡 (default)
    arrive_grace_s: float = 900.0  # 未到岗 after shift start + this (default 15 min)


@dataclass(frozen=True, slots=True)
class CheckPoint:
    """A patrol post's check-in point (打卡点), in route order."""

    id: str
    name: str
    pos: LatLon
    radius_m: float | None = None


@dataclass(frozen=True, slots=True)
class PostObservation:
    """One officer on duty at a post, with the post's geometry and the officer's unit now."""

    officer_id: str
    officer_name: str
    post_id: str
    post_name: str
    post_pos: LatLon
    assignment_id: str
    fix_pos: LatLon | None
    fix_at: float | None
    post_kind: str = ""
    shift_start: float | None = None
    unit_id: str | None = None
    unit_status: str = ""
    checkpoints: tuple[CheckPoint, ...] = ()
    unit_online: bool = True

    @property
    def is_patrol(self) -> bool:
        return self.post_kind in PATROL_POST_KINDS


@dataclass(frozen=True, slots=True)
class OffPostAlert:
    """One anomaly to check. ``kind`` says which; ``distance_m`` is from the post or corridor
    (0 when unknown); ``away_since`` is when the condition began."""

    officer_id: str
    post_id: str
    assignment_id: str
    distance_m: float
    away_since: float
    message: str
    kind: AnomalyKind = AnomalyKind.OFF_POST


def _xy(p: LatLon, lat0: float) -> tuple[float, float]:
    """Local equirectangular metres (accurate to well under 1 % over a patrol's few km)."""
    k = math.pi / 180.0 * 6_371_000.0
    return p.lon * k * math.cos(math.radians(lat0)), p.lat * k


def distance_to_line_m(p: LatLon, line: tuple[LatLon, ...]) -> float:
    """Shortest distance from ``p`` to the polyline ``line`` (one point: to that point)."""
    if not line:
        raise ValueError("empty line")
    if len(line) == 1:
        return haversine_m(p, line[0])
    lat0 = p.lat
    px, py = _xy(p, lat0)
    best = math.inf
    for a, b in itertools.pairwise(line):
        ax, ay = _xy(a, lat0)
        bx, by = _xy(b, lat0)
        dx, dy = bx - ax, by - ay
        seg = dx * dx + dy * dy
        t = 0.0 if seg == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / seg))
        best = min(best, math.hypot(px - (ax + t * dx), py - (ay + t * dy)))
    return best


def distance_outside_m(ob: PostObservation, cfg: SupervisionConfig) -> tuple[float, float]:
    """(distance from the post's point, line or area, the limit it is judged against)."""
    assert ob.fix_pos is not None
    if ob.is_patrol:
        if ob.checkpoints and ob.post_kind != "patrol_area":
            # A patrol line (铁骑巡线): the corridor along its check-in points.
            return (distance_to_line_m(ob.fix_pos, tuple(c.pos for c in ob.checkpoints)),
                    cfg.corridor_m)
        # A patrol area (巡区): within the radius of its centre or of any check-in point.
        centres = (ob.post_pos, *(c.pos for c in ob.checkpoints))
        return min(haversine_m(ob.fix_pos, c) for c in centres), cfg.patrol_radius_m
    return haversine_m(ob.fix_pos, ob.post_pos), cfg.max_distance_m


@dataclass(slots=True)
class SupervisionTracker:
    """Remembers, per (officer, assignment), since when the officer has been away, whether they
    have arrived, and which check-in points they passed; call ``observe`` regularly."""

    config: SupervisionConfig = field(default_factory=SupervisionConfig)
    away_since: dict[tuple[str, str], float] = field(default_factory=dict)
    arrived: dict[tuple[str, str], float] = field(default_factory=dict)
    no_fix_since: dict[tuple[str, str], float] = field(default_factory=dict)
    #: (officer, assignment) → {check-in point id: first time passed}
    checkins: dict[tuple[str, str], dict[str, float]] = field(default_factory=dict)

    def observe(self, now: float, observations: list[PostObservation]) -> list[OffPostAlert]:
        alerts: list[OffPostAlert] = []
        seen: set[tuple[str, str]] = set()
        cfg = self.config
        for ob in observations:
            key = (ob.officer_id, ob.assignment_id)
            seen.add(key)
            if ob.unit_status in EXEMPT_STATUSES:
                # On a task (已派/在途/到场/返回): not away; the clock restarts when it is over.
                self.away_since.pop(key, None)
                self.no_fix_since.pop(key, None)
                self.arrived.setdefault(key, now)
                continue
            offline = not ob.unit_online or ob.unit_status == "offline"
            if offline or ob.fix_pos is None or fix_is_stale(ob.fix_at, now, cfg.stale_fix_s):
                since = self.no_fix_since.setdefault(key, now)
                alerts.append(self._no_fix(ob, now, since))
                continue
            self.no_fix_since.pop(key, None)
            dist, limit = distance_outside_m(ob, cfg)
            self._check_in(key, ob, now)
            if dist <= limit:
                self.arrived.setdefault(key, ob.fix_at or now)
                self.away_since.pop(key, None)
                continue
            if key not in self.arrived:
                start = ob.shift_start if ob.shift_start is not None else now
                if now >= start + cfg.arrive_grace_s:
                    alerts.append(OffPostAlert(
                        ob.officer_id, ob.post_id, ob.assignment_id, dist, start,
                        f"{ob.officer_name} 应于 {fmt_time(start)} 到 {ob.post_name} 上岗，"
                        f"开班 {(now - start) / 60:.0f} 分钟仍未到岗（距岗位约 {dist:.0f} 米）",
                        AnomalyKind.NO_SHOW))
                continue
            since = self.away_since.setdefault(key, ob.fix_at or now)
            if now - since >= cfg.max_away_s:
                where = "巡逻路线" if ob.is_patrol and ob.checkpoints else \
                    "巡区" if ob.is_patrol else "岗位"
                alerts.append(OffPostAlert(
                    ob.officer_id, ob.post_id, ob.assignment_id, dist, since,
                    f"{ob.officer_name} 应在 {ob.post_name} 执勤，已脱岗：离开{where}约 {dist:.0f} 米、"
                    f"持续 {(now - since) / 60:.0f} 分钟（限 {limit:.0f} 米 / "
                    f"{cfg.max_away_s / 60:.0f} 分钟）"))
        for table in (self.away_since, self.arrived, self.no_fix_since, self.checkins):
            for key in [k for k in table if k not in seen]:
                del table[key]  # shift over: forget
        return alerts

    def _no_fix(self, ob: PostObservation, now: float, since: float) -> OffPostAlert:
        if ob.unit_id is None:
            text = f"{ob.officer_name} 在 {ob.post_name} 执勤，但未关联警力终端，无法核查位置"
        elif not ob.unit_online or ob.unit_status == "offline":
            text = (f"{ob.officer_name} 在 {ob.post_name} 执勤，但终端已离线，无法核查位置，"
                    f"请核实（可能关机或信号中断）")
        elif ob.fix_at is None:
            text = f"{ob.officer_name} 在 {ob.post_name} 执勤，终端没有定位，请核实（可能未开机）"
        else:
            text = (f"{ob.officer_name} 在 {ob.post_name} 执勤，终端最后定位于 "
                    f"{fmt_time(ob.fix_at)}（{(now - ob.fix_at) / 60:.0f} 分钟前），"
                    f"请核实（可能关机或信号中断）")
        return OffPostAlert(ob.officer_id, ob.post_id, ob.assignment_id, 0.0, since, text,
                            AnomalyKind.NO_FIX)

    def _check_in(self, key: tuple[str, str], ob: PostObservation, now: float) -> None:
        if not ob.checkpoints or ob.fix_pos is None:
            return
        done = self.checkins.setdefault(key, {})
        for cp in ob.checkpoints:
            radius = cp.radius_m if cp.radius_m is not None else self.config.checkin_radius_m
            if cp.id not in done and haversine_m(ob.fix_pos, cp.pos) <= radius:
                done[cp.id] = ob.fix_at or now

    def checked_in(self, officer_id: str, assignment_id: str) -> dict[str, float]:
        """Check-in points passed on this assignment so far (id → first time)."""
        return dict(self.checkins.get((officer_id, assignment_id), {}))
