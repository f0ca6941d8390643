"""The nearest cameras to a place (an alert or a water point) with an "open video" button.

Video itself lives in ``desk.ui.video`` (one player for the whole app); this widget only lists
cameras and asks the app's video owner to open one. ``CameraPlayer``, ``NearbyCamera``,
``nearest_cameras`` and ``playability`` stay importable from here for older callers.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desk.services.video import NearbyCamera, nearest_cameras, playability
from desk.store.workspace import Workspace
from desk.ui.video.player import PlayerWindow

log = logging.getLogger(__name__)

__all__ = ["CameraPlayer", "NearbyCamera", "NearestCamerasWidget", "nearest_cameras", "playability"]


class CameraPlayer(PlayerWindow):
    """A window playing one camera's stream (the app's player, without a service: direct URLs
    only). Errors are shown in the window, never raised."""

    def __init__(self, camera: NearbyCamera, parent: QWidget | None = None) -> None:
        super().__init__(None, camera, parent)
        # Show the reason at once (an empty or unsupported URL), not only when shown.
        if self.tile.player is not None:
            self.tile.play()


class NearestCamerasWidget(QWidget):
    """A list of the nearest cameras with an "open video" button."""

    sig_camera_opened = Signal(str)
    """A player window was opened for this camera id."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.cameras: list[NearbyCamera] = []
        self.place = ""
        self.players: list[QWidget] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.caption = QLabel(self.tr("选择告警或监测点以查看附近摄像机"), self)
        layout.addWidget(self.caption)
        self.table = QTableWidget(0, 4, self)
        self.table.setHorizontalHeaderLabels(
            [self.tr("摄像机"), self.tr("距离"), self.tr("状态"), self.tr("视频流")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.wall_button = QPushButton(self.tr("视频墙"), self)
        self.wall_button.setToolTip(self.tr("在视频墙上同时播放这些摄像机"))
        self.wall_button.clicked.connect(self.open_wall)
        self.open_button = QPushButton(self.tr("打开视频"), self)
        self.open_button.clicked.connect(self.open_selected)
        row.addStretch(1)
        row.addWidget(self.wall_button)
        row.addWidget(self.open_button)
        layout.addLayout(row)

    def show_near(self, lat: float | None, lon: float | None, place: str = "") -> None:
        if lat is None or lon is None:
            self.cameras = []
            self.caption.setText(self.tr("该告警没有位置，无法查找附近摄像机"))
        else:
            self.cameras = nearest_cameras(self.ws, lat, lon)
            self.place = place
            self.caption.setText(self.tr("附近摄像机：") + place if self.cameras
                                 else self.tr("2 公里内没有摄像机：") + place)
        self.table.setRowCount(len(self.cameras))
        for i, c in enumerate(self.cameras):
            items = [c.name, f"{c.distance_m:.0f} m", self.tr("在线") if c.online else
                     self.tr("离线"), c.stream_url or self.tr("未配置")]
            for j, text in enumerate(items):
                self.table.setItem(i, j, QTableWidgetItem(text))
        if self.cameras:
            self.table.selectRow(0)

    def open_wall(self) -> QWidget | None:
        """The listed cameras on a video wall (through the app's video owner)."""
        from desk.ui.video.owner import current_owner

        owner = current_owner()
        if owner is None or not self.cameras:
            return None
        return owner.open_wall(self.cameras, self.place)

    def open_selected(self) -> QWidget | None:
        row = self.table.currentRow()
        if not (0 <= row < len(self.cameras)):
            return None
        from desk.ui.video.owner import current_owner

        camera = self.cameras[row]
        owner = current_owner()
        window = owner.open("cameras", camera.id) if owner is not None else None
        if window is None:
            window = CameraPlayer(camera)
            window.show()
        self.players = [p for p in self.players if p.isVisible()] + [window]
        self.sig_camera_opened.emit(camera.id)
        return window
