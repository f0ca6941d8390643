"""Cameras (视频点位): their online state as the video platform or a drill reports it."""

from __future__ import annotations

import logging

from desk.feeds.base import FeedEvent
from desk.services.context import AppContext

log = logging.getLogger(__name__)


class CameraService:
    """Owns the ``cameras`` table's live state. ``camera.online`` events land here, so the store,
    not just the map page, knows a camera went dark (the watchdog counts offline cameras from it)."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def set_online(self, camera_id: str, online: bool, actor: str | None = None) -> bool:
        """Record a camera's state; True when it changed. Unknown cameras are logged and ignored."""
        ws = self.ctx.workspace
        row = ws.db.execute("SELECT online FROM cameras WHERE id = ?", [camera_id]).fetchone()
        if row is None:
            log.warning("camera.online for unknown camera %r ignored", camera_id)
            return False
        value = 1 if online else 0
        if row[0] == value:
            return False
        with ws.write(actor or self.ctx.actor) as tx:
            tx.update("cameras", camera_id, {"online": value})
        return True

    def on_online_event(self, event: FeedEvent) -> None:
        camera = event.data.get("camera_id")
        if not isinstance(camera, str) or not camera:
            log.warning("camera.online event without a camera id: %s", event.data)
            return
        # A state reported by a feed is the feed's, not the operator's: the audit says so.
        self.set_online(camera, bool(event.data.get("online")), actor="feed")
