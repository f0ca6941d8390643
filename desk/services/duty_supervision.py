"""管得住 (supervision): check the officers on duty now — 脱岗 (away from the post or patrol corridor
too long), 未到岗 (never arrived by shift start + grace), 无定位 (on duty with no fix or a stale
one: device off) — and raise, and later resolve, their alerts.

The application runtime calls ``DutySupervisor(ctx).check(now)`` every 60 s (``ctx.service``
keeps one instance, so the away clocks persist between calls). Alerts go through
``AlertService`` as kinds ``duty.off_post``, ``duty.no_show`` and ``duty.no_fix``, one per
officer, assignment and kind (dedup key); an alert is raised when its condition begins and
resolved when it clears (also after a restart: open duty alerts with no current condition are
resolved on the first check). ``last_alerts`` keeps the latest list for the board's 督导 tab.
"""

from __future__ import annotations

import logging
from typing import Any

from desk.domain.duty.supervision import (
    AnomalyKind,
    CheckPoint,
    OffPostAlert,
    PostObservation,
    SupervisionConfig,
    SupervisionTracker,
)
from desk.domain.geo import LatLon
from desk.services.context import AppContext

log = logging.getLogger(__name__)

#: Alert kind per anomaly, and its severity.
ALERT_KINDS: dict[AnomalyKind, tuple[str, str]] = {
    AnomalyKind.OFF_POST: ("duty.off_post", "orange"),
    AnomalyKind.NO_SHOW: ("duty.no_show", "orange"),
    AnomalyKind.NO_FIX: ("duty.no_fix", "yellow"),
}


def dedup_key(a: OffPostAlert) -> str:
    return f"{ALERT_KINDS[a.kind][0]}:{a.officer_id}:{a.assignment_id}"


class DutySupervisor:
    """``ctx.service(DutySupervisor)``. Settings (``ctx.settings["duty_supervision"]``), each
    optional: ``max_distance_m`` (500), ``max_away_s`` (600), ``stale_fix_s`` (300),
    ``corridor_m`` (300), ``patrol_radius_m`` (2000), ``checkin_radius_m`` (100),
    ``arrive_grace_s`` (900)."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        raw = ctx.settings.get("duty_supervision", {}) if isinstance(ctx.settings, dict) else {}
        cfg = SupervisionConfig(**{k: float(v) for k, v in raw.items()
                                   if k in SupervisionConfig.__dataclass_fields__})
        self.tracker = SupervisionTracker(cfg)
        self.last_alerts: list[OffPostAlert] = []
        self.raise_alerts = True
        self._raised: set[str] = set()
        self._swept = False

    @property
    def config(self) -> SupervisionConfig:
        return self.tracker.config

    def _checkpoints(self, post_ids: set[str]) -> dict[str, tuple[CheckPoint, ...]]:
        db = self.ctx.workspace.db
        if not post_ids or not db["duty_checkpoints"].exists():
            return {}
        out: dict[str, list[CheckPoint]] = {}
        for pid, cid, name, lat, lon, radius in db.execute(
                "SELECT post_id, id, name, lat, lon, radius_m FROM duty_checkpoints "
                "WHERE lat IS NOT NULL AND lon IS NOT NULL ORDER BY post_id, seq, id"):
            if pid in post_ids:
                out.setdefault(str(pid), []).append(CheckPoint(
                    str(cid), str(name or cid), LatLon(float(lat), float(lon)),
                    float(radius) if radius is not None else None))
        return {k: tuple(v) for k, v in out.items()}

    def observations(self, now: float) -> list[PostObservation]:
        """The officers assigned to a post at ``now``, with their unit's status and fix."""
        t = int(now)
        rows = self.ctx.workspace.db.execute(
            'SELECT a.id, a.officer_id, o.name, a.post_id, p.name, p.lat, p.lon, p.kind, a.start, '
            'o.unit_id, u.id, u.status, u.lat, u.lon, u.fix_at, u.online FROM duty_assignments a '
            'JOIN officers o ON o.id = a.officer_id '
            'JOIN duty_posts p ON p.id = a.post_id '
            'LEFT JOIN units u ON u.id = o.unit_id '
            'WHERE a.start <= ? AND a."end" > ? AND p.lat IS NOT NULL AND p.lon IS NOT NULL',
            [t, t]).fetchall()
        checkpoints = self._checkpoints({str(r[3]) for r in rows})
        out = []
        for (aid, oid, oname, pid, pname, plat, plon, kind, start, _unit_ref, unit_id, status,
             ulat, ulon, fix_at, online) in rows:
            fix = LatLon(float(ulat), float(ulon)) if ulat is not None and ulon is not None else None
            out.append(PostObservation(
                str(oid), str(oname), str(pid), str(pname), LatLon(float(plat), float(plon)),
                str(aid), fix, float(fix_at) if fix_at is not None else None,
                post_kind=str(kind or ""), shift_start=float(start),
                unit_id=str(unit_id) if unit_id is not None else None,
                unit_status=str(status or ""), checkpoints=checkpoints.get(str(pid), ()),
                unit_online=online is None or bool(online)))
        return out

    def check(self, now: float | None = None) -> list[OffPostAlert]:
        """Observe the on-duty officers now; returns the anomalies (raising the new ones and
        resolving the ones that cleared)."""
        t = self.ctx.clock() if now is None else now
        alerts = self.tracker.observe(t, self.observations(t))
        self.last_alerts = alerts
        if self.raise_alerts:
            self._sync_alerts(alerts)
        return alerts

    def _sync_alerts(self, alerts: list[OffPostAlert]) -> None:
        try:
            from desk.services.alerts import OPEN_STATES, AlertService
        except ImportError:  # the alert inbox is optional; the board still lists last_alerts
            return
        service = self.ctx.service(AlertService)
        db = self.ctx.workspace.db
        current = {dedup_key(a): a for a in alerts}
        if not self._swept:
            # After a restart: open duty alerts from before whose condition is gone.
            self._swept = True
            kinds = [k for k, _ in ALERT_KINDS.values()]
            try:
                rows = db.execute(
                    f"SELECT DISTINCT dedup_key FROM alerts WHERE kind IN "
                    f"({','.join('?' for _ in kinds)}) AND state IN "
                    f"({','.join('?' for _ in OPEN_STATES)})", [*kinds, *OPEN_STATES]).fetchall()
                self._raised |= {str(r[0]) for r in rows if r[0]}
            except Exception:
                log.exception("could not read open duty alerts")
        for key in sorted(self._raised - set(current)):
            try:
                service.resolve_by_key(key, self.ctx.actor or "system", "勤务督导：已恢复正常")
            except Exception:
                log.exception("could not resolve duty alert %s", key)
        self._raised &= set(current)
        posts: dict[str, Any] = {}
        for key, a in current.items():
            if key in self._raised:
                continue
            if a.post_id not in posts:
                posts[a.post_id] = db.execute("SELECT name, lat, lon FROM duty_posts WHERE id = ?",
                                              [a.post_id]).fetchone()
            row = posts[a.post_id]
            kind, severity = ALERT_KINDS[a.kind]
            try:
                service.raise_alert(
                    kind, severity, "勤务督导", str(row[0]) if row else a.post_id, a.message,
                    lat=row[1] if row else None, lon=row[2] if row else None, dedup_key=key)
                self._raised.add(key)
            except Exception:
                log.exception("could not raise %s alert for %s", kind, a.officer_id)
