"""管得住 (supervision): raise an alert when an on-duty officer's unit stays farther than a set
distance from the assigned post for longer than a set time.

Call ``DutySupervisor.check()`` periodically (the duty panel does on each feed batch, at most every
few seconds). Alerts go through ``AlertService`` as kind ``duty.off_post``, folded per officer and
assignment by a dedup key; ``last_alerts`` keeps the latest list for the panel."""

from __future__ import annotations

import logging

from desk.domain.duty.supervision import (
    OffPostAlert,
    PostObservation,
    SupervisionConfig,
    SupervisionTracker,
)
from desk.domain.geo import LatLon
from desk.services.context import AppContext

log = logging.getLogger(__name__)


class DutySupervisor:
    """``ctx.service(DutySupervisor)``. Settings (``ctx.settings["duty_supervision"]``):
    ``max_distance_m`` (default 500), ``max_away_s`` (600), ``stale_fix_s`` (300)."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        raw = ctx.settings.get("duty_supervision", {}) if isinstance(ctx.settings, dict) else {}
        cfg = SupervisionConfig(**{k: float(v) for k, v in raw.items()
                                   if k in SupervisionConfig.__dataclass_fields__})
        self.tracker = SupervisionTracker(cfg)
        self.last_alerts: list[OffPostAlert] = []
        self.raise_alerts = True

    @property
    def config(self) -> SupervisionConfig:
        return self.tracker.config

    def observations(self, now: float) -> list[PostObservation]:
        t = int(now)
        rows = self.ctx.workspace.db.execute(
            'SELECT a.id, a.officer_id, o.name, a.post_id, p.name, p.lat, p.lon, '
            'u.lat, u.lon, u.fix_at FROM duty_assignments a '
            'JOIN officers o ON o.id = a.officer_id '
            'JOIN duty_posts p ON p.id = a.post_id '
            'LEFT JOIN units u ON u.id = o.unit_id '
            'WHERE a.start <= ? AND a."end" > ? AND p.lat IS NOT NULL AND p.lon IS NOT NULL',
            [t, t]).fetchall()
        out = []
        for aid, oid, oname, pid, pname, plat, plon, ulat, ulon, fix_at in rows:
            fix = LatLon(float(ulat), float(ulon)) if ulat is not None and ulon is not None else None
            out.append(PostObservation(str(oid), str(oname), str(pid), str(pname),
                                       LatLon(float(plat), float(plon)), str(aid), fix,
                                       float(fix_at) if fix_at is not None else None))
        return out

    def check(self, now: float | None = None) -> list[OffPostAlert]:
        """Observe the on-duty officers now; returns (and raises) the off-post alerts."""
        t = self.ctx.clock() if now is None else now
        alerts = self.tracker.observe(t, self.observations(t))
        self.last_alerts = alerts
        if alerts and self.raise_alerts:
            self._raise(alerts)
        return alerts

    def _raise(self, alerts: list[OffPostAlert]) -> None:
        try:
            from desk.services.alerts import AlertService
        except ImportError:  # the alert inbox is optional; the panel still lists last_alerts
            return
        service = self.ctx.service(AlertService)
        db = self.ctx.workspace.db
        for a in alerts:
            row = db.execute("SELECT name, lat, lon FROM duty_posts WHERE id = ?",
                             [a.post_id]).fetchone()
            try:
                service.raise_alert(
                    "duty.off_post", "orange", "勤务督导", str(row[0]) if row else a.post_id,
                    a.message, lat=row[1] if row else None, lon=row[2] if row else None,
                    dedup_key=f"duty.off_post:{a.officer_id}:{a.assignment_id}")
            except Exception:
                log.exception("could not raise off-post alert for %s", a.officer_id)
