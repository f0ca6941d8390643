"""管得住: decide when an on-duty officer has stayed too far from the assigned post for too long.

Pure logic over observations (officer, post position, live position, time); the service feeds it
from the units table and raises alerts. An officer who comes back within the distance resets."""

from __future__ import annotations

from dataclasses import dataclass, field

from desk.domain.geo import LatLon, haversine_m


@dataclass(frozen=True, slots=True)
class SupervisionConfig:
    max_distance_m: float = 500.0  # default; configurable per deployment
    max_away_s: float = 600.0  # how long away before an alert (default 10 min)
    stale_fix_s: float = 300.0  # a fix older than this says nothing about where the officer is


@dataclass(frozen=True, slots=True)
class PostObservation:
    """One officer on duty at a post, with the officer's unit's latest fix (if any)."""

    officer_id: str
    officer_name: str
    post_id: str
    post_name: str
    post_pos: LatLon
    assignment_id: str
    fix_pos: LatLon | None
    fix_at: float | None


@dataclass(frozen=True, slots=True)
class OffPostAlert:
    officer_id: str
    post_id: str
    assignment_id: str
    distance_m: float
    away_since: float
    message: str


@dataclass(slots=True)
class SupervisionTracker:
    """Remembers since when each (officer, assignment) has been away; call ``observe`` regularly."""

    config: SupervisionConfig = field(default_factory=SupervisionConfig)
    away_since: dict[tuple[str, str], float] = field(default_factory=dict)

    def observe(self, now: float, observations: list[PostObservation]) -> list[OffPostAlert]:
        alerts: list[OffPostAlert] = []
        seen: set[tuple[str, str]] = set()
        cfg = self.config
        for ob in observations:
            key = (ob.officer_id, ob.assignment_id)
            seen.add(key)
            if ob.fix_pos is None or ob.fix_at is None or now - ob.fix_at > cfg.stale_fix_s:
                # No fresh position: neither reset nor advance; the map already flags stale units.
                continue
            dist = haversine_m(ob.fix_pos, ob.post_pos)
            if dist <= cfg.max_distance_m:
                self.away_since.pop(key, None)
                continue
            since = self.away_since.setdefault(key, ob.fix_at)
            if now - since >= cfg.max_away_s:
                minutes = (now - since) / 60
                alerts.append(OffPostAlert(
                    ob.officer_id, ob.post_id, ob.assignment_id, dist, since,
                    f"{ob.officer_name} 应在 {ob.post_name} 执勤，已离岗约 {dist:.0f} 米、"
                    f"持续 {minutes:.0f} 分钟（限 {cfg.max_distance_m:.0f} 米 / "
                    f"{cfg.max_away_s / 60:.0f} 分钟）"))
        for key in list(self.away_since):
            if key not in seen:
                del self.away_since[key]  # shift over: forget
        return alerts
