"""The watchdog (值守巡检): raises and clears the alerts no single feature owns — units offline or
with a stale fix, cameras offline (one alert per district, not hundreds), and duty posts of a
published roster standing empty now. The runtime runs ``check()`` every 30 s; it is idempotent:
an alert still open is not re-raised (its text follows the condition: a stale fix getting older, a
district losing more cameras), and a condition that cleared resolves its alert.

Staleness is the one definition in ``desk.domain.units.fix_is_stale``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from desk.domain.duty.model import week_key
from desk.domain.units import DEFAULT_STALE_AFTER_S, fix_is_stale
from desk.services.alerts import AlertService
from desk.services.context import AppContext
from desk.services.duty import DutyService

log = logging.getLogger(__name__)

ACTOR = "system"
#: kind, severity, source, place, message, lat, lon of an alert that should be open.
Wanted = tuple[str, str, str, str, str, float | None, float | None]


@dataclass(frozen=True, slots=True)
class WatchResult:
    raised: int
    resolved: int


class Watchdog:
    """``ctx.service(Watchdog).check()``."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.alerts = ctx.service(AlertService)

    #: Above this many units in one condition, raise one summary alert instead of one each.
    max_single = 20

    @property
    def stale_after_s(self) -> float:
        return float(self.ctx.settings.get("map.stale_after_s", DEFAULT_STALE_AFTER_S))

    #: Open alerts whose text follows the condition (age of a fix, counts); the others keep the
    #: words they were raised with (e.g. "失去连接（离线前：到场）" from the unit's own event).
    _LIVE_TEXT = ("unit.stale:", "camera.offline:", "unit.offline:*")

    def check(self) -> WatchResult:
        wanted: dict[str, Wanted] = {}
        # Conditions that hold now, also those folded into a summary: an alert for one of them
        # that is already open stays open (it has not recovered).
        present: set[str] = set()
        self._units(wanted, present)
        self._cameras(wanted)
        self._posts(wanted)
        present |= set(wanted)
        open_keys = self._open_keys()
        raised = 0
        for key, (kind, severity, source, place, message, lat, lon) in wanted.items():
            # A condition that persists is one alert, not a counter ticking every check.
            if key in open_keys:
                if key.startswith(self._LIVE_TEXT) or key.endswith(":*"):
                    self.alerts.refresh_text(key, message, actor=ACTOR)
                continue
            self.alerts.raise_alert(kind, severity, source, place, message, lat=lat, lon=lon,
                                    dedup_key=key, actor=ACTOR)
            raised += 1
        resolved = 0
        for key in open_keys:
            if key not in present:
                resolved += self.alerts.resolve_by_key(key, ACTOR, "已恢复")
        if raised or resolved:
            log.info("watchdog: %d raised, %d resolved", raised, resolved)
        return WatchResult(raised, resolved)

    # -- conditions ----------------------------------------------------------------------------

    def _units(self, wanted: dict[str, Wanted], present: set[str]) -> None:
        now = self.ctx.clock()
        rows = self.ctx.workspace.db.execute(
            "SELECT id, call_sign, status, online, fix_at, lat, lon FROM units").fetchall()
        offline: list[tuple[str, Wanted]] = []
        stale: list[tuple[str, Wanted]] = []
        for unit_id, call_sign, status, online, fix_at, lat, lon in rows:
            # Out of service (status 离线) and lost connection (online = 0, e.g. a dead radio)
            # both mean the unit cannot be reached; the message says which.
            if status == "offline" or online == 0:
                why = "离线（休整）" if status == "offline" else "失去连接"
                offline.append((f"unit.offline:{unit_id}", (
                    "unit.offline", "yellow", "警力", str(call_sign), f"{call_sign} {why}", lat, lon)))
            elif fix_is_stale(None if fix_at is None else float(fix_at), now, self.stale_after_s):
                age = "无定位" if fix_at is None else f"定位已 {int((now - float(fix_at)) // 60)} 分钟未更新"
                stale.append((f"unit.stale:{unit_id}", (
                    "unit.stale", "yellow", "警力", str(call_sign), f"{call_sign} {age}", lat, lon)))
        for kind, label, items in (("unit.offline", "离线", offline),
                                   ("unit.stale", "定位陈旧", stale)):
            present.update(key for key, _ in items)
            if len(items) > self.max_single:
                # A feed outage makes hundreds of units stale at once: one alert says it better.
                names = "、".join(w[3] for _, w in items[:5])
                wanted[f"{kind}:*"] = (kind, "orange", "警力", "全市",
                                       f"{len(items)} 个警力{label}（{names} 等）", None, None)
            else:
                wanted.update(items)

    def _cameras(self, wanted: dict[str, Wanted]) -> None:
        rows = self.ctx.workspace.db.execute(
            "SELECT coalesce(district, '未知区域'), count(*), avg(lat), avg(lon) FROM cameras "
            "WHERE online = 0 GROUP BY 1").fetchall()
        for district, n, lat, lon in rows:
            wanted[f"camera.offline:{district}"] = (
                "camera.offline", "blue", "视频监控", str(district), f"{district} {n} 路视频离线",
                lat, lon)

    def _posts(self, wanted: dict[str, Wanted]) -> None:
        """Only posts of a published roster: a draft plan is not yet anybody's duty."""
        db = self.ctx.workspace.db
        if not db["duty_rosters"].exists():
            return
        now = self.ctx.clock()
        published = {str(r[0]) for r in db.execute(
            "SELECT station_id FROM duty_rosters WHERE state = 'published' AND week = ?",
            [week_key(now)])}
        if not published:
            return
        staffing = self.ctx.service(DutyService).staffing_now(now)
        for post_id, level in staffing.items():
            if level != "empty":
                continue
            row = db.execute("SELECT name, station_id, lat, lon FROM duty_posts WHERE id = ?",
                             [post_id]).fetchone()
            if row is None or str(row[1]) not in published:
                continue
            wanted[f"duty.unstaffed:{post_id}"] = (
                "duty.unstaffed", "orange", "勤务", str(row[0]), f"{row[0]} 当前无人在岗（已发布排班）",
                row[2], row[3])

    # -- helpers -------------------------------------------------------------------------------

    def _open_keys(self) -> set[str]:
        prefixes = ("unit.offline:", "unit.stale:", "camera.offline:", "duty.unstaffed:")
        return {str(r[0]) for r in self.ctx.workspace.db.execute(
            "SELECT DISTINCT dedup_key FROM alerts WHERE state != 'resolved' AND ("
            + " OR ".join("dedup_key LIKE ?" for _ in prefixes) + ")",
            [p + "%" for p in prefixes])}
