"""Nearest cameras to a place (from an alert or a water point) and a player window for a camera's
stream URL (RTSP/HTTP), with a clear message when this computer cannot play it."""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desk.domain.geo import LatLon, haversine_m
from desk.store.workspace import Workspace

log = logging.getLogger(__name__)

#: Schemes the FFmpeg backend of QtMultimedia opens; anything else is refused up front.
PLAYABLE_SCHEMES = frozenset({"rtsp", "rtsps", "http", "https", "file", "rtmp", "udp"})


@dataclass(frozen=True, slots=True)
class NearbyCamera:
    id: str
    name: str
    road: str
    distance_m: float
    online: bool
    stream_url: str


def nearest_cameras(ws: Workspace, lat: float, lon: float, n: int = 8,
                    radius_m: float = 2000.0) -> list[NearbyCamera]:
    """The ``n`` cameras closest to (lat, lon) within ``radius_m`` (a bounding box first, so
    10,000 cameras cost one indexed-ish scan, then exact distances)."""
    dlat = radius_m / 111_000.0
    dlon = radius_m / (111_000.0 * max(math.cos(math.radians(lat)), 0.1))
    rows = ws.db.execute(
        "SELECT id, name, road, lat, lon, online, stream_url FROM cameras "
        "WHERE lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?",
        [lat - dlat, lat + dlat, lon - dlon, lon + dlon],
    ).fetchall()
    here = LatLon(lat, lon)
    cams = [NearbyCamera(str(r[0]), str(r[1] or r[0]), str(r[2] or ""),
                         haversine_m(here, LatLon(r[3], r[4])), bool(r[5]), str(r[6] or ""))
            for r in rows if r[3] is not None and r[4] is not None]
    cams = [c for c in cams if c.distance_m <= radius_m]
    return sorted(cams, key=lambda c: c.distance_m)[:n]


def playability(url: str) -> str | None:
    """Why ``url`` cannot be played here (Chinese, for the user), or None when worth trying."""
    if not url.strip():
        return "该摄像机未配置视频流地址"
    scheme = QUrl(url).scheme().lower()
    if scheme not in PLAYABLE_SCHEMES:
        return f"不支持的视频流协议：{scheme or '无'}（支持 RTSP/HTTP）"
    try:
        from PySide6.QtMultimedia import QMediaPlayer  # noqa: F401
    except ImportError:
        return "本机缺少多媒体组件（QtMultimedia），无法播放视频"
    return None


class CameraPlayer(QWidget):
    """A window playing one camera's stream; errors are shown in the window, never raised."""

    def __init__(self, camera: NearbyCamera, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.camera = camera
        self.setWindowTitle(self.tr("视频 — ") + camera.name)
        self.resize(720, 460)
        layout = QVBoxLayout(self)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.player = None
        reason = playability(camera.stream_url)
        if reason is None:
            from PySide6.QtMultimedia import QMediaPlayer
            from PySide6.QtMultimediaWidgets import QVideoWidget

            self.video = QVideoWidget(self)
            layout.addWidget(self.video, 1)
            self.player = QMediaPlayer(self)
            self.player.setVideoOutput(self.video)
            self.player.errorOccurred.connect(self._on_error)
            self.player.mediaStatusChanged.connect(self._on_status)
            self.status.setText(self.tr("正在连接 ") + camera.stream_url)
            self.player.setSource(QUrl(camera.stream_url))
            self.player.play()
        else:
            self.status.setText(self.tr("无法播放：") + reason)
            self.status.setStyleSheet("color:#ff7b72;font-size:15px;padding:20px;")
            log.info("camera %s not playable: %s", camera.id, reason)
        layout.addWidget(self.status)

    def _on_error(self, _error: object, text: str) -> None:
        msg = self.tr("无法播放该视频流：") + (text or self.tr("未知错误"))
        self.status.setText(msg)
        self.status.setStyleSheet("color:#ff7b72;")
        log.warning("camera %s stream failed: %s", self.camera.id, text)

    def _on_status(self, status: object) -> None:
        from PySide6.QtMultimedia import QMediaPlayer

        if status == QMediaPlayer.MediaStatus.BufferedMedia:
            self.status.setText(self.tr("播放中：") + self.camera.stream_url)
        elif status == QMediaPlayer.MediaStatus.InvalidMedia:
            self._on_error(None, self.tr("无效的媒体"))

    def closeEvent(self, event: object) -> None:
        if self.player is not None:
            self.player.stop()
        super().closeEvent(event)  # type: ignore[arg-type]


class NearestCamerasWidget(QWidget):
    """A list of the nearest cameras with an "open video" button."""

    sig_camera_opened = Signal(str)
    """A player window was opened for this camera id."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.cameras: list[NearbyCamera] = []
        self.players: list[CameraPlayer] = []
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
        self.open_button = QPushButton(self.tr("打开视频"), self)
        self.open_button.clicked.connect(self.open_selected)
        row.addStretch(1)
        row.addWidget(self.open_button)
        layout.addLayout(row)

    def show_near(self, lat: float | None, lon: float | None, place: str = "") -> None:
        if lat is None or lon is None:
            self.cameras = []
            self.caption.setText(self.tr("该告警没有位置，无法查找附近摄像机"))
        else:
            self.cameras = nearest_cameras(self.ws, lat, lon)
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

    def open_selected(self) -> CameraPlayer | None:
        row = self.table.currentRow()
        if not (0 <= row < len(self.cameras)):
            return None
        player = CameraPlayer(self.cameras[row])
        self.players = [p for p in self.players if p.isVisible()] + [player]
        player.show()
        self.sig_camera_opened.emit(self.cameras[row].id)
        return player
