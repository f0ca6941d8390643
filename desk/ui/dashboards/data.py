"""The numbers behind the 态势 dashboards, computed from a workspace without Qt (so a worker
thread can run it on its own connection): units online, alerts per hour by kind, and water
points in each state, over the last day."""

from __future__ import annotations

from dataclasses import dataclass, field

from desk.domain.water import DepthThresholds, WaterPointKind, default_thresholds
from desk.domain.waterlevel import WaterState, water_state
from desk.store.workspace import Workspace

DAY_S = 86_400.0


@dataclass
class SituationSeries:
    """Bucket start times and the series drawn on the three charts."""

    bucket_s: float
    times: list[float] = field(default_factory=list)
    units_online: list[int] = field(default_factory=list)
    alerts_per_hour: dict[str, list[tuple[float, int]]] = field(default_factory=dict)
    water_states: dict[WaterState, list[int]] = field(default_factory=dict)
    units_total: int = 0


def situation_series(ws: Workspace, now: float, bucket_s: float = 900.0,
                     span_s: float = DAY_S) -> SituationSeries:
    start = (now - span_s) // bucket_s * bucket_s
    times = [start + i * bucket_s for i in range(int((now - start) // bucket_s) + 1)]
    out = SituationSeries(bucket_s, times)
    out.units_total = ws.count("units")
    out.units_online = _units_online(ws, times, now)
    rows = ws.db.execute(
        "SELECT CAST(raised_at / 3600 AS INTEGER) * 3600.0 AS h, kind, count(*) FROM alerts "
        "WHERE raised_at >= ? GROUP BY h, kind ORDER BY h", [now - span_s],
    ).fetchall()
    for h, kind, n in rows:
        out.alerts_per_hour.setdefault(str(kind), []).append((float(h), int(n)))
    out.water_states = _water_states(ws, times, bucket_s)
    return out


def _units_online(ws: Workspace, times: list[float], now: float) -> list[int]:
    """Units whose latest status at each time is not offline (every status change is logged,
    FACTS: dispatch conventions). Units never logged count by their current ``online`` flag."""
    logged = ws.db.execute(
        "SELECT unit_id, at, status FROM unit_status_log WHERE at <= ? ORDER BY at", [now]
    ).fetchall()
    if not logged:
        n = ws.count("units", "online = 1")
        return [n] * len(times)
    unlogged_online = int(ws.db.execute(
        "SELECT count(*) FROM units WHERE online = 1 AND id NOT IN "
        "(SELECT DISTINCT unit_id FROM unit_status_log)").fetchone()[0])
    state: dict[str, bool] = {}
    out = []
    i = 0
    for t in times:
        while i < len(logged) and logged[i][1] <= t:
            state[logged[i][0]] = logged[i][2] != "offline"
            i += 1
        out.append(sum(state.values()) + unlogged_online)
    return out


def _water_states(ws: Workspace, times: list[float], bucket_s: float
                  ) -> dict[WaterState, list[int]]:
    """Points in each state per bucket, judged on the bucket's deepest reading (a point that hit
    40 cm for five minutes in a quarter hour was closed in that quarter). Points with no reading
    in a bucket keep their previous state."""
    thresholds: dict[str, DepthThresholds] = {}
    for pid, kind, c, w, cl in ws.db.execute(
            "SELECT id, kind, caution_cm, warning_cm, close_cm FROM water_points"):
        try:
            thresholds[pid] = DepthThresholds(c, w, cl)
        except (TypeError, ValueError):
            try:
                thresholds[pid] = default_thresholds(WaterPointKind(kind))
            except ValueError:
                thresholds[pid] = default_thresholds(WaterPointKind.ROAD)
    rows = ws.db.execute(
        "SELECT CAST((at - ?) / ? AS INTEGER) AS b, point_id, max(depth_cm) FROM sensor_readings "
        "WHERE at >= ? AND depth_cm IS NOT NULL GROUP BY b, point_id ORDER BY b",
        [times[0], bucket_s, times[0]],
    ).fetchall()
    per_bucket: dict[int, list[tuple[str, float]]] = {}
    for b, pid, d in rows:
        per_bucket.setdefault(int(b), []).append((pid, d))
    current = dict.fromkeys(thresholds, WaterState.NORMAL)
    out: dict[WaterState, list[int]] = {s: [] for s in WaterState}
    for b in range(len(times)):
        for pid, d in per_bucket.get(b, ()):
            if pid in thresholds:
                current[pid] = water_state(d, thresholds[pid])
        counts = dict.fromkeys(WaterState, 0)
        for s in current.values():
            counts[s] += 1
        for s in WaterState:
            out[s].append(counts[s])
    return out
