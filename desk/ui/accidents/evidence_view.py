"""The evidence viewer of a case: the list of photos and videos, a zoomable photo view, and video
playback where the platform has QtMultimedia and a codec (otherwise it says so plainly)."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QPainter, QPixmap, QWheelEvent
from PySide6.QtWidgets import (
    QGraphicsPixmapItem,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desk.services.accidents import EvidenceRecord

log = logging.getLogger(__name__)


class ZoomableImageView(QGraphicsView):
    """A photo that zooms with the mouse wheel (or +/-) around the cursor and pans by dragging."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._scene = QGraphicsScene(self)
        self.setScene(self._scene)
        self._item: QGraphicsPixmapItem | None = None
        self.zoom = 1.0
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)

    def set_pixmap(self, pixmap: QPixmap) -> None:
        self._scene.clear()
        self._item = self._scene.addPixmap(pixmap)
        self._scene.setSceneRect(self._item.boundingRect())
        self.fit()

    def fit(self) -> None:
        if self._item is None:
            return
        self.resetTransform()
        self.fitInView(self._item, Qt.AspectRatioMode.KeepAspectRatio)
        self.zoom = self.transform().m11()

    def zoom_by(self, factor: float) -> None:
        new = min(16.0, max(0.05, self.zoom * factor))
        self.scale(new / self.zoom, new / self.zoom)
        self.zoom = new

    def wheelEvent(self, event: QWheelEvent) -> None:
        self.zoom_by(1.25 if event.angleDelta().y() > 0 else 0.8)


def _video_widget(parent: QWidget) -> tuple[QWidget | None, str]:
    """A video player if QtMultimedia loads here, else (None, why not)."""
    try:
        from PySide6.QtMultimedia import QMediaPlayer
        from PySide6.QtMultimediaWidgets import QVideoWidget
    except ImportError as exc:  # e.g. libpulse missing on a headless box
        return None, str(exc)
    widget = QVideoWidget(parent)
    player = QMediaPlayer(widget)
    player.setVideoOutput(widget)
    widget.setProperty("player", player)
    return widget, ""


class EvidenceViewer(QWidget):
    """List on the left, the selected item on the right."""

    sig_add_requested = Signal()
    """The dispatcher asked to add evidence files (the case workspace opens the file dialog)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget(self)
        self.list.setMaximumWidth(220)
        self.image = ZoomableImageView(self)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.open_external = QPushButton(self.tr("用外部程序打开"), self)
        self.open_external.clicked.connect(self._open_external)
        msg_box = QWidget(self)
        mb = QVBoxLayout(msg_box)
        mb.addStretch(1)
        mb.addWidget(self.message)
        mb.addWidget(self.open_external, 0, Qt.AlignmentFlag.AlignCenter)
        mb.addStretch(1)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.image)
        self.stack.addWidget(msg_box)
        self._video: QWidget | None = None
        self._video_error: str | None = None
        add = QPushButton(self.tr("添加证据…"), self)
        add.clicked.connect(self.sig_add_requested)
        zin = QPushButton("+", self)
        zout = QPushButton("−", self)
        fit = QPushButton(self.tr("适应窗口"), self)
        zin.clicked.connect(lambda: self.image.zoom_by(1.25))
        zout.clicked.connect(lambda: self.image.zoom_by(0.8))
        fit.clicked.connect(self.image.fit)
        for b in (zin, zout):
            b.setFixedWidth(34)
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        left.addWidget(add)
        tools = QHBoxLayout()
        tools.addWidget(zin)
        tools.addWidget(zout)
        tools.addWidget(fit)
        tools.addStretch(1)
        right = QVBoxLayout()
        right.addLayout(tools)
        right.addWidget(self.stack, 1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(left)
        layout.addLayout(right, 1)
        self._records: list[EvidenceRecord] = []
        self.list.currentRowChanged.connect(self._show)

    def set_records(self, records: list[EvidenceRecord]) -> None:
        current = self.list.currentRow()
        self._records = records
        self.list.blockSignals(True)
        self.list.clear()
        for r in records:
            item = QListWidgetItem(f"{r.kind.label}\n{r.filename}")
            item.setToolTip(f"sha256: {r.sha256}\n{r.size:,} B")
            self.list.addItem(item)
        self.list.blockSignals(False)
        if records:
            row = current if 0 <= current < len(records) else 0
            self.list.setCurrentRow(row)
            self._show(row)
        else:
            self._say(self.tr("尚无证据。需要：车前侧、车后侧、碰撞部位照片。"), external=False)

    def current(self) -> EvidenceRecord | None:
        row = self.list.currentRow()
        return self._records[row] if 0 <= row < len(self._records) else None

    def _say(self, text: str, *, external: bool) -> None:
        self.message.setText(text)
        self.open_external.setVisible(external)
        self.stack.setCurrentIndex(1)

    def _show(self, row: int) -> None:
        if not 0 <= row < len(self._records):
            return
        record = self._records[row]
        if not record.path.exists():
            self._say(self.tr("证据文件缺失：{0}").format(record.filename), external=False)
            log.warning("evidence file missing: %s", record.path)
            return
        if record.is_video:
            self._show_video(record.path, record.filename)
            return
        pixmap = QPixmap(str(record.path))
        if pixmap.isNull():
            self._say(self.tr("无法显示该文件：{0}").format(record.filename), external=True)
            return
        self.stack.setCurrentIndex(0)
        self.image.set_pixmap(pixmap)

    def _show_video(self, path: Path, name: str) -> None:
        if self._video is None and self._video_error is None:
            self._video, self._video_error = _video_widget(self)
            if self._video is not None:
                self.stack.addWidget(self._video)
            else:
                log.info("video playback unavailable: %s", self._video_error)
        if self._video is None:
            self._say(self.tr("本机缺少视频播放组件或解码器，无法在此播放：{0}").format(name),
                      external=True)
            return
        player = self._video.property("player")
        player.setSource(QUrl.fromLocalFile(str(path)))
        self.stack.setCurrentWidget(self._video)
        player.play()

    def _open_external(self) -> None:
        record = self.current()
        if record is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(record.path)))
