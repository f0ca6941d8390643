"""A draft roster for today in the demo city, so its duty posts show real staffing on the map.

The demo city has posts and officers but nobody rostered; a dispatcher opening the demo would see
every post red. This plans today (and tonight's night checks) with the duty board's own auto-fill,
writes it through the duty service, and leaves it a draft: a chief can still edit or publish it.
It also gives each patrol line (铁骑巡线) its check-in points (打卡点: the cameras along its road,
in route order), and puts the units of the officers on duty now at their posts, so supervision
(管得住) starts from officers who have arrived.
"""

from __future__ import annotations

import logging
import math
import time

from desk.domain.duty.model import PATROL_POST_KINDS, day_start
from desk.services.context import AppContext
from desk.services.duty import DutyService
from desk.services.duty_autofill import autofill
from desk.store.workspace import Workspace

log = logging.getLogger(__name__)

#: Check-in points of a patrol line: cameras on its road within this distance of the post.
CHECKPOINT_REACH_M = 1500.0
CHECKPOINTS_PER_LINE = 4


def _metres(lat0: float, lat: float, lon: float) -> tuple[float, float]:
    k = math.pi / 180.0 * 6_371_000.0
    return lon * k * math.cos(math.radians(lat0)), lat * k


def plan_checkpoints(ws: Workspace) -> int:
    """Check-in points for patrol lines that have none, from the cameras on the same road near
    the post, ordered along the road. Returns how many were written; idempotent."""
    db = ws.db
    if not db["duty_checkpoints"].exists():
        return 0
    have = {str(r[0]) for r in db.execute("SELECT DISTINCT post_id FROM duty_checkpoints")}
    kinds = sorted(PATROL_POST_KINDS)
    posts = db.execute(
        f"SELECT id, station_id, road, lat, lon FROM duty_posts WHERE kind IN "
        f"({','.join('?' for _ in kinds)}) AND lat IS NOT NULL ORDER BY id", kinds).fetchall()
    rows = []
    for pid, station, road, plat, plon in posts:
        if pid in have or not road:
            continue
        px, py = _metres(plat, plat, plon)
        near = []
        for cid, name, clat, clon in db.execute(
                "SELECT id, name, lat, lon FROM cameras WHERE road = ? AND lat IS NOT NULL "
                "ORDER BY id", [road]):
            x, y = _metres(plat, clat, clon)
            d = math.hypot(x - px, y - py)
            if d <= CHECKPOINT_REACH_M:
                near.append((d, str(cid), str(name), float(clat), float(clon), x, y))
        near.sort()
        near = near[:CHECKPOINTS_PER_LINE]
        if len(near) < 2:
            continue
        # Route order: along the direction the points spread furthest.
        xs = [n[5] for n in near]
        ys = [n[6] for n in near]
        along = 5 if max(xs) - min(xs) >= max(ys) - min(ys) else 6
        near.sort(key=lambda n: n[along])
        for seq, (_d, _cid, name, clat, clon, _x, _y) in enumerate(near, start=1):
            rows.append({"id": f"CP-{pid}-{seq}", "post_id": pid, "station_id": station,
                         "seq": seq, "name": f"打卡点{seq}（{name}）", "lat": clat, "lon": clon,
                         "radius_m": None})
    if rows:
        with ws.write("demo") as tx:
            tx.insert_many("duty_checkpoints", rows)
    return len(rows)


def place_on_duty_units(ws: Workspace, at: float) -> int:
    """Put the available units of officers on duty at ``at`` at (or near) their post, with a
    fresh fix: in the demo they have arrived. Returns how many units moved."""
    rows = ws.db.execute(
        'SELECT u.id, p.lat, p.lon FROM duty_assignments a '
        'JOIN officers o ON o.id = a.officer_id JOIN units u ON u.id = o.unit_id '
        'JOIN duty_posts p ON p.id = a.post_id '
        'WHERE a.start <= ? AND a."end" > ? AND u.status = \'available\' AND u.online = 1 '
        'AND p.lat IS NOT NULL ORDER BY u.id, a.start', [int(at), int(at)]).fetchall()
    moved: dict[str, tuple[float, float]] = {}
    for uid, lat, lon in rows:
        if uid not in moved:
            # A few metres apart, so the markers of one post do not sit on each other.
            n = len(moved) % 8
            moved[str(uid)] = (float(lat) + 0.00008 * math.sin(n), float(lon) + 0.0001 * math.cos(n))
    if moved:
        with ws.write("demo") as tx:
            for uid, (lat, lon) in moved.items():
                tx.update("units", uid, {"lat": lat, "lon": lon, "fix_at": at})
    return len(moved)


def plan_demo_roster(ws: Workspace, *, now: float | None = None, time_limit_s: float = 4.0) -> int:
    """Plan today's open slots unless today already has assignments; returns how many were
    added. Runs at every demo start, so a demo workspace reopened on a later day is staffed too."""
    at = time.time() if now is None else now
    start = day_start(at)
    try:
        plan_checkpoints(ws)
    except Exception:  # check-in points are a nicety of the demo; never block its start
        log.exception("demo check-in points not planned")
    if ws.db["duty_assignments"].exists() and ws.db.execute(
        'SELECT 1 FROM duty_assignments WHERE start < ? AND "end" > ? LIMIT 1',
        [start + 86_400, start],
    ).fetchone():
        return 0
    ctx = AppContext(workspace=ws, actor="demo", clock=lambda: at)
    duty = ctx.service(DutyService)
    duty.ensure_defaults()
    plan = duty.open_week(int(at))
    result = autofill(plan.roster, days=[day_start(at)], config=duty.rules_config,
                      time_limit_s=time_limit_s, new_id=duty.new_id)
    if result.added:
        plan.apply(result.edit, origin="demo")
        place_on_duty_units(ws, at)
    log.info("demo roster: %d assignments for today, %d shortfalls", result.added,
             len(result.shortfalls))
    return result.added
