"""The owner of the app's video windows: every panel's 视频 button emits
``UiContext.sig_video_requested(entity, id)`` and this object opens the player (for a camera) or
the incident video wall (nearest cameras to a case, alert, water point…). The main window
creates it once with :func:`install_video`."""

from __future__ import annotations

import contextlib
import logging

from PySide6.QtCore import QObject, QSettings
from PySide6.QtWidgets import QWidget

from desk.services.video import NearbyCamera, Place, VideoService
from desk.ui.context import UiContext
from desk.ui.video.player import PlayerWindow
from desk.ui.video.wall import VideoWall

log = logging.getLogger(__name__)

_OWNER: VideoOwner | None = None


def current_owner() -> VideoOwner | None:
    """The installed owner, for older widgets that open video without a UiContext."""
    return _OWNER


class VideoOwner(QObject):
    def __init__(self, ui: UiContext, parent: QObject | None = None,
                 settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self.ui = ui
        self.service = ui.app.service(VideoService)
        self.settings = settings
        self.windows: list[QWidget] = []
        self._signal = getattr(ui, "sig_video_requested", None)
        if self._signal is not None:
            self._signal.connect(self.open)
        global _OWNER
        _OWNER = self

    def open(self, entity: str, entity_id: str) -> QWidget | None:
        """A camera's player for ``cameras``; otherwise the wall of the nearest online cameras."""
        self.windows = [w for w in self.windows if w.isVisible()]
        if entity == "cameras":
            camera = self.service.camera(entity_id)
            if camera is None:
                self._say(self.tr("找不到摄像机 ") + entity_id)
                return None
            window: QWidget = PlayerWindow(self.service, camera)
        else:
            place = self.service.place(entity, entity_id)
            if place is None:
                self._say(self.tr("该对象没有位置，无法查找附近摄像机"))
                return None
            cameras = self.service.cameras_for(entity, entity_id, 9)
            if not cameras:
                self._say(self.tr("2 公里内没有在线摄像机：") + place.label)
                return None
            window = VideoWall(self.service, cameras, place=place,
                               workstation=self.ui.app.workstation, settings=self.settings)
        self.windows.append(window)
        window.show()
        window.raise_()
        return window

    def open_wall(self, cameras: list[NearbyCamera], label: str = "") -> VideoWall | None:
        """A wall of these cameras (a panel's own nearest-camera list), online ones first."""
        cams = sorted(cameras, key=lambda c: (not c.online, c.distance_m))[:9]
        if not cams:
            self._say(self.tr("没有可显示的摄像机"))
            return None
        place = Place("", "", 0.0, 0.0, label) if label else None
        wall = VideoWall(self.service, cams, place=place, workstation=self.ui.app.workstation,
                         settings=self.settings)
        self.windows = [w for w in self.windows if w.isVisible()] + [wall]
        wall.show()
        return wall

    def _say(self, text: str) -> None:
        log.info("video: %s", text)
        self.ui.sig_status_message.emit(text, 6000)

    def shutdown(self) -> None:
        """Close every video window (their streams stop) and let go of the request signal."""
        for window in self.windows:
            window.close()
        self.windows = []
        if self._signal is not None:
            with contextlib.suppress(RuntimeError, TypeError):
                self._signal.disconnect(self.open)
            self._signal = None
        global _OWNER
        if _OWNER is self:
            _OWNER = None


def install_video(ui: UiContext, parent: QObject | None = None) -> VideoOwner:
    """Create the app's video owner (one per main window)."""
    return VideoOwner(ui, parent)
