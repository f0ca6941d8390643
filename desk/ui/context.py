"""What every panel receives: the app context, the Qt change bus, the live feed, and the request
signals panels use to ask each other for things (the main window routes nothing itself)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from desk.app.runtime import Runtime
from desk.services.context import AppContext
from desk.store.workspace import Workspace
from desk.ui.bus import QtChangeBus
from desk.ui.feed import FeedHub


class UiContext(QObject):
    """Passed to every panel's constructor. Panels emit ``sig_*_requested``; the panel that owns
    the thing asked for connects to it. That keeps panels ignorant of each other's classes."""

    sig_locate_requested = Signal(float, float, int)
    """Fly the map to (lat, lon) at a zoom level (0 keeps the current zoom)."""

    sig_focus_requested = Signal(str, str)
    """Show entity (table name) with id in whatever panel owns it, and select it on the map."""

    sig_new_case_requested = Signal(float, float)
    """Start a new incident/accident case at (lat, lon) — from the map's context menu."""

    sig_nearest_units_requested = Signal(float, float)
    """Show the nearest available units to (lat, lon)."""

    sig_dispatch_requested = Signal(str, str, float, float, str)
    """Send a unit to (entity, id, lat, lon, label): the main window opens the 派警 dialog."""

    sig_settings_changed = Signal(list)
    """These keys of ``app.settings`` changed (the settings dialog); panels re-read them."""

    sig_status_message = Signal(str, int)
    """Show a message (中文) in the status bar for a number of milliseconds (0 = until replaced)."""

    sig_video_requested = Signal(str, str)
    """Show video for (entity, id): a camera ("cameras", id) plays it; any other entity with a
    place ("accident_cases", "water_points", "alerts", …) opens its nearest online cameras."""

    def __init__(
        self, app: AppContext, qbus: QtChangeBus, feed: FeedHub, parent: QObject | None = None,
        *, runtime: Runtime | None = None,
    ) -> None:
        super().__init__(parent)
        self.app = app
        self.qbus = qbus
        self.feed = feed
        # The runtime owns every job of this workspace; a hub made before the context (tests)
        # gets the context's runtime here, so events route to this context's services.
        if runtime is None:
            runtime = feed.runtime if feed.runtime.ctx is app else Runtime(app)
        self.runtime = runtime
        feed.attach(runtime)

    @property
    def workspace(self) -> Workspace:
        return self.app.workspace
