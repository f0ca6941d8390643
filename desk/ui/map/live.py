"""Keeps the page's layers current: full layers on load, then compact deltas at most ~4×/s.

Fixes and readings arrive through ``FeedHub.sig_batch``; they are coalesced per unit / per point
in dicts (a unit that moved three times since the last push is sent once, at its last position)
and flushed by a timer. A delta is flat number arrays addressed by marker index::

    {"op": "delta", "seq": 7, "u": [i, lat, lon, heading, ...], "us": [i, status, ...],
     "ust": [i, stale, ...], "w": [i, level, depth, ...], "c": [i, online, ...],
     "ps": [i, staffing, ...]}

Duty posts are coloured by how well they are staffed now (DutyService.staffing_now): re-judged
after any write to the duty tables and on a timer, because bands start and end with the clock.

Other writes (a dispatcher changing a unit's status, a new accident case, a camera going offline)
arrive as ChangeSets on the Qt bus: known markers get a delta, anything structural (a new row, a
deleted one) reloads just that layer. The page is never rebuilt.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import time
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from desk.feeds.base import FeedBatch
from desk.services.duty import DutyService
from desk.store.events import ChangeSet
from desk.ui.context import UiContext
from desk.ui.map.data import DUTY_STAFFING_TABLES, LAYERS, STATUS_CODE, MapData
from desk.ui.map.view import MapView

log = logging.getLogger(__name__)

#: Push at most this often (ms): 4 frames a second is smooth enough for 1-2 s GPS reports.
PUSH_INTERVAL_MS = 250
#: Re-check fix freshness this often (ms).
STALE_CHECK_MS = 5000
#: Re-judge duty posts' staffing this often (ms) even without writes: a band starting or ending
#: changes the colours. Half a minute keeps a 07:00 change on the map before 07:01.
STAFFING_CHECK_MS = 30_000

_TABLE_LAYER = {"cameras": "cameras", "water_points": "water", "duty_posts": "posts",
                "police_rooms": "rooms", "accident_cases": "cases"}


class LiveLayers(QObject):
    sig_staffing_sent = Signal()
    """The page was sent new duty-post staffing (a full layer or a delta); see ``data.post_staff``."""

    sig_duty_changed = Signal()
    """A write touched the duty tables (assignments, requirements, shift templates)."""

    def __init__(self, ui: UiContext, view: MapView, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ui = ui
        self.view = view
        settings = ui.app.settings
        self.data = MapData(ui.app.workspace.db.conn,
                            stale_after_s=float(settings.get("map.stale_after_s", 120.0)))
        self.data.to_map = view.to_map
        self.data.staffing = self._staffing_now
        self.data.level_source = self._water_states
        self._staffing_dirty = False
        self._seq = 0
        self._moves: dict[int, tuple[float, float, float | None, float]] = {}
        self._status: dict[int, int] = {}
        self._water: dict[int, tuple[int, float]] = {}
        self._camera: dict[int, int] = {}
        self._reload: set[str] = set()
        self.last_push_ms = 0.0
        self._timer = QTimer(self)
        self._timer.setInterval(int(settings.get("map.push_interval_ms", PUSH_INTERVAL_MS)))
        self._timer.timeout.connect(self.flush)
        self._stale_timer = QTimer(self)
        self._stale_timer.setInterval(STALE_CHECK_MS)
        self._stale_timer.timeout.connect(self._check_stale)
        self._staffing_timer = QTimer(self)
        self._staffing_timer.setInterval(int(settings.get("map.staffing_check_ms", STAFFING_CHECK_MS)))
        self._staffing_timer.timeout.connect(self.refresh_staffing)
        ui.feed.sig_batch.connect(self.on_batch)
        ui.qbus.sig_changed.connect(self.on_changes)
        view.sig_basemap_changed.connect(self.send_all)

    def start(self) -> None:
        self.send_all()
        self._timer.start()
        self._stale_timer.start()
        self._staffing_timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self._stale_timer.stop()
        self._staffing_timer.stop()
        for sig, slot in ((self.ui.feed.sig_batch, self.on_batch),
                          (self.ui.qbus.sig_changed, self.on_changes),
                          (self.view.sig_basemap_changed, self.send_all)):
            with contextlib.suppress(RuntimeError, TypeError):  # already disconnected
                sig.disconnect(slot)

    def now(self) -> float:
        return self.ui.app.clock()

    def _staffing_now(self, now: float) -> dict[str, str]:
        return self.ui.app.service(DutyService).staffing_now(now)

    # -- full layers -------------------------------------------------------------------------------

    def send_all(self) -> None:
        t0 = time.perf_counter()
        layers = self.data.all_layers(self.now())
        self._moves.clear()
        self._status.clear()
        self._water.clear()
        self._camera.clear()
        self._staffing_dirty = False
        self.view.send({"op": "state", "layers": layers})
        log.info("map state sent in %.0f ms", (time.perf_counter() - t0) * 1000)
        self.sig_staffing_sent.emit()

    def reload_layer(self, name: str) -> None:
        # Pending changes are addressed by the old indexes; the reload reads the current rows
        # (FeedHub stores telemetry before announcing it), so they are both stale and redundant.
        pending = {"units": (self._moves, self._status), "water": (self._water,),
                   "cameras": (self._camera,)}.get(name, ())
        for d in pending:
            d.clear()
        self.view.send({"op": "layer", "name": name, "data": self.data.layer(name, self.now())})
        if name == "posts":
            self._staffing_dirty = False
            self.sig_staffing_sent.emit()

    # -- collecting --------------------------------------------------------------------------------

    def on_batch(self, batch: FeedBatch) -> None:
        pos = self.data.index["units"].pos
        moves = self._moves
        for f in batch.fixes:
            i = pos.get(f.unit_id)
            if i is None:
                continue
            prev = moves.get(i)
            if prev is None or f.at >= prev[3]:
                moves[i] = (f.lat, f.lon, f.heading, f.at)
        for r in batch.readings:
            if r.depth_cm is None:
                continue
            change = self.data.water_change(r.point_id, r.depth_cm, r.at)
            if change is not None:
                self._water[change[0]] = (change[1], change[2])
        for ev in batch.events:
            if ev.kind == "unit.status":
                uid = str(ev.data.get("unit_id") or ev.data.get("id") or "")
                i = pos.get(uid)
                code = STATUS_CODE.get(str(ev.data.get("status")))
                if i is not None and code is not None:
                    self._set_status(i, code)
            elif ev.kind == "camera.online":
                cid = str(ev.data.get("camera_id") or ev.data.get("id") or "")
                ci = self.data.index["cameras"].pos.get(cid)
                if ci is not None:
                    self._camera[ci] = int(bool(ev.data.get("online")))

    def _set_status(self, i: int, code: int) -> None:
        if self.data.unit_status[i] != code:
            self.data.unit_status[i] = code
            self._status[i] = code

    def on_changes(self, changes: ChangeSet) -> None:
        if changes.actor == "telemetry":
            return  # fixes and readings come through on_batch, already coalesced
        conn = self.data.conn
        if changes.touches("units"):
            ids = list(changes.ids["units"])
            pos = self.data.index["units"].pos
            if any(i not in pos for i in ids):
                self._reload.add("units")
            else:
                marks = ",".join("?" * len(ids))
                for uid, status, lat, lon, hdg, fix_at in conn.execute(
                    f"SELECT id, status, lat, lon, heading, fix_at FROM units WHERE id IN ({marks})", ids
                ):
                    i = pos[uid]
                    code = STATUS_CODE.get(status)
                    if code is not None:
                        self._set_status(i, code)
                    if lat is not None and lon is not None:
                        self._moves[i] = (lat, lon, hdg, fix_at or 0.0)
                        self.data.unit_fix_at[i] = fix_at
                if len(list(conn.execute(f"SELECT 1 FROM units WHERE id IN ({marks})", ids))) < len(ids):
                    self._reload.add("units")  # some were deleted
        if changes.touches("cameras"):
            ids = list(changes.ids["cameras"])
            pos = self.data.index["cameras"].pos
            marks = ",".join("?" * len(ids))
            rows = conn.execute(f"SELECT id, online FROM cameras WHERE id IN ({marks})", ids).fetchall()
            if len(rows) < len(ids) or any(r[0] not in pos for r in rows):
                self._reload.add("cameras")
            else:
                for cid, online in rows:
                    ci = pos[cid]
                    if self.data.camera_online[ci] != int(bool(online)):
                        self.data.camera_online[ci] = int(bool(online))
                        self._camera[ci] = int(bool(online))
        for table, layer in _TABLE_LAYER.items():
            if table != "cameras" and changes.touches(table):
                self._reload.add(layer)
        if changes.touches("sensor_readings") and "water" not in self._reload:
            self._refresh_water_levels()
        if changes.touches(*DUTY_STAFFING_TABLES):
            # Judged at the next flush: one re-query however many writes arrive in between.
            self._staffing_dirty = True
            self.sig_duty_changed.emit()

    def _water_states(self) -> dict[str, Any]:
        """The water service's judged states: the map colours a point as the water panel does."""
        from desk.services.water import WaterService

        try:
            return self.ui.app.service(WaterService).level_states()
        except Exception:
            log.exception("water states unavailable; the map judges depths itself")
            return {}

    def _refresh_water_levels(self) -> None:
        states = self.data.level_source() if self.data.level_source is not None else {}
        for pid, (depth, at) in self.data.latest_depths().items():
            change = self.data.water_change(pid, depth, at, states.get(pid))
            if change is not None:
                self._water[change[0]] = (change[1], change[2])

    def _check_stale(self) -> None:
        if not self.view.is_ready:
            return  # the state sent on ready carries freshness; flips now would be lost
        flips = self.data.stale_changes(self.now())
        if flips:
            self._push(ust=flips)

    def refresh_staffing(self) -> int:
        """Re-judge every post's staffing now and push the posts whose colour changed (the timer
        calls this; bands start and end with the clock). Returns the number of changed posts."""
        if not self.view.is_ready:
            return 0  # the state sent on ready carries the staffing
        self._staffing_dirty = False
        ps = self.data.staffing_changes(self.now())
        if ps:
            self._push(ps=ps)
            self.sig_staffing_sent.emit()
        return len(ps) // 2

    # -- pushing -----------------------------------------------------------------------------------

    def flush(self) -> None:
        """Push everything collected since the last flush as one delta (called by the timer)."""
        if not self.view.is_ready:
            return  # keep collecting; the queued full state goes first
        for name in LAYERS:
            if name in self._reload:
                self.reload_layer(name)
        self._reload.clear()
        if self._staffing_dirty:
            self.refresh_staffing()
        if not (self._moves or self._status or self._water or self._camera):
            return
        fix_at = self.data.unit_fix_at
        to_map = self.data.to_map
        moves: list[tuple[int, float, float, float]] = []
        for i, (lat, lon, hdg, at) in self._moves.items():
            mlat, mlon = to_map(lat, lon)
            moves.append((i, mlat, mlon, -1.0 if hdg is None else hdg))
            if at:
                fix_at[i] = at
        self._moves.clear()
        us = [x for i, code in self._status.items() for x in (i, code)]
        self._status.clear()
        w = [x for i, (lvl, depth) in self._water.items() for x in (i, lvl, depth)]
        self._water.clear()
        c = [x for i, on in self._camera.items() for x in (i, on)]
        self._camera.clear()
        # Units that just reported are fresh again; tell the page now rather than at the next check.
        ust = self.data.stale_changes(self.now()) if moves else []
        self._push(moves, us=us, w=w, c=c, ust=ust)

    def _push(self, moves: list[tuple[int, float, float, float]] | None = None,
              **parts: list[Any]) -> int:
        t0 = time.perf_counter()
        self._seq += 1
        cmd: dict[str, Any] = {"op": "delta", "seq": self._seq}
        cmd.update({k: v for k, v in parts.items() if v})
        text = json.dumps([cmd], separators=(",", ":"))
        if moves:
            # The hot path: 2,000 moves are formatted by one C-level % instead of building and
            # dumping a list of 8,000 numbers (4x faster, measured in bench_map).
            text = text[:-2] + ',"u":[' + encode_moves(moves) + "]}]"
        self.view.send_raw(text)
        self.last_push_ms = (time.perf_counter() - t0) * 1000
        return self._seq

    def push_moves(self, moves: Sequence[tuple[int, float, float, float | None]]) -> int:
        """Push a ready-made move delta now, map coordinates (the benchmark's "Python call")."""
        return self._push([(i, lat, lon, -1.0 if h is None else h) for i, lat, lon, h in moves])


def encode_moves(moves: list[tuple[int, float, float, float]]) -> str:
    """``i,lat,lon,heading,...`` for the page; heading -1 means unknown."""
    flat = tuple(itertools.chain.from_iterable(moves))
    return ("%d,%.6f,%.6f,%.1f," * len(moves) % flat)[:-1]
