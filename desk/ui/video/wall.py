"""The video wall for an incident (事件视频墙): 1, 2×2 or 3×3 tiles filled with the nearest online
cameras, swappable by dragging a camera from the list (or a tile onto another tile), a tile can
pop out to its own window, and the grid size and tile cameras are remembered per workstation
(QSettings). Only tiles on screen play; a tile that is hidden or removed stops its stream."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QByteArray, QMimeData, QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desk.services.video import NearbyCamera, Place, VideoService
from desk.ui.video.player import CAMERA_MIME, PlayerWindow, VideoTile

log = logging.getLogger(__name__)

GRID_SIZES = (1, 2, 3)


def paint_interval_s(n: int) -> float:
    """Seconds between repaints of a tile in an n×n grid (every frame up to 2×2)."""
    return 0.08 if n >= 3 else 0.0


class CameraList(QListWidget):
    """Cameras near the incident; drag one onto a tile to show it there."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDragEnabled(True)
        self.setSelectionMode(QListWidget.SelectionMode.SingleSelection)

    def mimeTypes(self) -> list[str]:
        return [CAMERA_MIME]

    def mimeData(self, items: Any) -> QMimeData:
        mime = QMimeData()
        if items:
            cam_id = str(items[0].data(Qt.ItemDataRole.UserRole))
            mime.setData(CAMERA_MIME, QByteArray(cam_id.encode("utf-8")))
        return mime


class VideoWall(QWidget):
    """A window: the camera list on the left, the grid of tiles on the right."""

    sig_closed = Signal()
    """The wall was closed (its streams are stopped by then)."""

    def __init__(self, service: VideoService, cameras: list[NearbyCamera], *,
                 place: Place | None = None, workstation: str = "ws-local",
                 settings: QSettings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.service = service
        self.cameras = {c.id: c for c in cameras}
        self.order = [c.id for c in cameras]
        self.place = place
        self.settings = settings if settings is not None else QSettings()
        self.key = f"video/wall/{workstation}"
        self.popouts: list[PlayerWindow] = []
        self.tiles: list[VideoTile] = []
        title = self.tr("视频墙")
        if place is not None:
            title += " — " + place.label
        self.setWindowTitle(title)
        self.resize(1280, 760)
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.caption = QLabel(self)
        bar.addWidget(self.caption, 1)
        bar.addWidget(QLabel(self.tr("布局："), self))
        self.layout_box = QComboBox(self)
        for n in GRID_SIZES:
            self.layout_box.addItem(self.tr("1 画面") if n == 1 else f"{n}×{n}", n)
        bar.addWidget(self.layout_box)
        layout.addLayout(bar)
        split = QSplitter(self)
        self.list = CameraList(split)
        for cam in cameras:
            text = f"{cam.name}  {cam.distance_m:.0f} m" + ("" if cam.online else self.tr("（离线）"))
            item = QListWidgetItem(text, self.list)
            item.setData(Qt.ItemDataRole.UserRole, cam.id)
        self.list.itemDoubleClicked.connect(self._double_clicked)
        self.grid_host = QWidget(split)
        self.grid = QGridLayout(self.grid_host)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(4)
        split.setStretchFactor(1, 4)
        split.setSizes([240, 1000])
        layout.addWidget(split, 1)
        saved = self._saved_assignment()
        n = int(str(self.settings.value(f"{self.key}/grid", 2) or 2))
        self.assignment: list[str | None] = saved
        self.set_grid(n if n in GRID_SIZES else 2)
        self.layout_box.setCurrentIndex(GRID_SIZES.index(self.n))
        self.layout_box.currentIndexChanged.connect(
            lambda i: self.set_grid(int(self.layout_box.itemData(i))))
        self.caption.setText(self.tr("附近在线摄像机 %n 个", "", len(cameras)))

    # -- layout --

    def _saved_assignment(self) -> list[str | None]:
        """The cameras last shown for this place, kept only if they are still near it."""
        place_key = self._place_key()
        raw = self.settings.value(f"{self.key}/tiles/{place_key}") if place_key else None
        ids = [str(x) for x in raw] if isinstance(raw, list) else []
        ids = [i for i in ids if i in self.cameras]
        rest = [i for i in self.order if i not in ids]
        return list(ids + rest)

    def _place_key(self) -> str:
        if self.place is None or not self.place.entity:
            return ""
        return f"{self.place.entity}:{self.place.entity_id}"

    def set_grid(self, n: int) -> None:
        """Show n×n tiles. Tiles beyond the new size are removed, which stops their streams."""
        self.n = n
        wanted = n * n
        while len(self.tiles) > wanted:
            tile = self.tiles.pop()
            tile.stop()
            self.grid.removeWidget(tile)
            tile.hide()
            tile.set_camera(None)
            tile.deleteLater()
        while len(self.tiles) < wanted:
            i = len(self.tiles)
            cam_id = self.assignment[i] if i < len(self.assignment) else None
            tile = VideoTile(self.service, self.cameras.get(cam_id) if cam_id else None,
                             self.grid_host)
            tile.popout_button.setVisible(True)
            tile.sig_camera_dropped.connect(lambda cid, t=tile: self.drop(t, cid))
            tile.sig_popout_requested.connect(lambda t=tile: self.pop_out(t))
            self.tiles.append(tile)
        for i, tile in enumerate(self.tiles):
            tile.view.min_interval_s = paint_interval_s(n)
            self.grid.addWidget(tile, i // n, i % n)
        self.save()

    def drop(self, tile: VideoTile, camera_id: str) -> None:
        """Put ``camera_id`` on ``tile``; if another tile shows it, the two swap."""
        camera = self.cameras.get(camera_id) or self.service.camera(camera_id)
        if camera is None or tile not in self.tiles:
            return
        self.cameras.setdefault(camera.id, camera)
        other = next((t for t in self.tiles if t is not tile and t.camera is not None
                      and t.camera.id == camera_id), None)
        previous = tile.camera
        if tile.camera is not None and tile.camera.id == camera_id:
            return
        tile.set_camera(camera)
        if other is not None:
            other.set_camera(previous)
        self._sync_assignment()

    def _sync_assignment(self) -> None:
        shown = [t.camera.id if t.camera is not None else None for t in self.tiles]
        rest = [a for a in self.assignment[len(shown):] if a not in shown]
        self.assignment = shown + rest
        self.save()

    def _double_clicked(self, item: QListWidgetItem) -> None:
        empty = next((t for t in self.tiles if t.camera is None), self.tiles[0] if self.tiles else None)
        if empty is not None:
            self.drop(empty, str(item.data(Qt.ItemDataRole.UserRole)))

    def pop_out(self, tile: VideoTile) -> PlayerWindow | None:
        """The tile's camera in its own window (e.g. on a second screen); the tile is freed."""
        if tile.camera is None:
            return None
        context = ((self.place.entity, self.place.entity_id)
                   if self.place is not None and self.place.entity else None)
        window = PlayerWindow(self.service, tile.camera, context=context)
        tile.set_camera(None)
        self._sync_assignment()
        self.popouts = [w for w in self.popouts if w.isVisible()] + [window]
        window.show()
        return window

    def save(self) -> None:
        self.settings.setValue(f"{self.key}/grid", self.n)
        key = self._place_key()
        if key:
            self.settings.setValue(f"{self.key}/tiles/{key}",
                                   [a for a in self.assignment if a is not None][:9])

    # -- reading --

    def playing_tiles(self) -> list[VideoTile]:
        return [t for t in self.tiles if t.playing]

    def stop_all(self) -> None:
        for tile in self.tiles:
            tile.stop()
        for window in self.popouts:
            window.close()

    def closeEvent(self, event: Any) -> None:
        self.save()
        self.stop_all()
        self.sig_closed.emit()
        super().closeEvent(event)
