"""The one video player of the app: a camera's stream through QMediaPlayer (FFmpeg backend:
RTSP, HLS, HTTP-FLV) into a QVideoSink, with the camera's name, state and time of the last frame,
and the Chinese message of :class:`desk.services.video.StreamSession` when it cannot start,
stalls or is refused.

The GUI thread never waits on the network: QMediaPlayer opens streams in its own threads, and a
platform request (start/stop a channel) runs on a worker thread that posts its answer back.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMimeData, QObject, QPoint, QRect, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QColor, QDrag, QImage, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desk.services.video import (
    NearbyCamera,
    ResolvedStream,
    StreamSession,
    StreamState,
    VideoError,
    VideoService,
    platform_channel,
    playability,
    redact_url,
    stream_kind,
    with_rtsp_transport,
)

log = logging.getLogger(__name__)

#: MIME type of a camera dragged from a list or another tile (payload: the camera id, UTF-8).
CAMERA_MIME = "application/x-desk-camera"


def multimedia_missing() -> str | None:
    try:
        from PySide6.QtMultimedia import QMediaPlayer  # noqa: F401
    except ImportError:
        return "本机缺少多媒体组件（QtMultimedia），无法播放视频"
    return None


class _Poster(QObject):
    """Carries a worker thread's answer back to the GUI thread (a queued signal)."""

    done = Signal(object)


_POSTER: _Poster | None = None


def run_off_gui(work: Callable[[], Any], then: Callable[[Any], None]) -> threading.Thread:
    """Run ``work`` on a worker thread and ``then(result_or_exception)`` on the GUI thread."""
    global _POSTER
    if _POSTER is None:
        _POSTER = _Poster()
    poster = _POSTER

    def relay(payload: tuple[Callable[[Any], None], Any]) -> None:
        payload[0](payload[1])

    if not getattr(poster, "_wired", False):
        poster.done.connect(relay)
        poster._wired = True  # type: ignore[attr-defined]

    def body() -> None:
        try:
            result: Any = work()
        except Exception as exc:  # handed to the GUI thread to show
            result = exc
        poster.done.emit((then, result))

    thread = threading.Thread(target=body, name="desk-video", daemon=True)
    thread.start()
    return thread


class _SourceReaper(QObject):
    """Clears stopped players' sources one at a time from the event loop."""

    def __init__(self) -> None:
        super().__init__()
        self.queue: list[Any] = []
        self.timer = QTimer(self)
        self.timer.setInterval(15)
        self.timer.timeout.connect(self._one)

    def add(self, player: StreamPlayer) -> None:
        import weakref

        self.queue.append(weakref.ref(player))
        if not self.timer.isActive():
            self.timer.start()

    def _one(self) -> None:
        while self.queue:
            player = self.queue.pop(0)()
            if player is not None:
                try:
                    player._clear_if_stopped()
                except RuntimeError:  # the C++ object is already gone
                    continue
                break
        if not self.queue:
            self.timer.stop()


_REAPER: _SourceReaper | None = None


def _release_later(player: StreamPlayer) -> None:
    global _REAPER
    if _REAPER is None:
        _REAPER = _SourceReaper()
    _REAPER.add(player)


class StreamPlayer(QObject):
    """Plays one camera: resolve its URL, open it, count frames, watch for stalls, reconnect
    with backoff. ``frames`` and ``session.first_frame_s`` are what the tests and bench read."""

    sig_state_changed = Signal(str, str)
    """(state value, Chinese message) whenever the session's state or message changes."""

    def __init__(self, service: VideoService | None, camera: NearbyCamera,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.camera = camera
        policy = service.policy if service is not None else None
        self.session = StreamSession(camera.id) if policy is None else StreamSession(camera.id, policy)
        self.session.listeners.append(self._announce)
        self.stream: ResolvedStream | None = None
        self.last_frame_wall: float | None = None
        self.player: Any = None
        self.sink: Any = None
        self._generation = 0
        self._clock = time.monotonic
        self.timer = QTimer(self)
        self.timer.setInterval(250)
        self.timer.timeout.connect(self._tick)

    @property
    def frames(self) -> int:
        return self.session.frames

    @property
    def active(self) -> bool:
        return self.session.state not in (StreamState.IDLE, StreamState.STOPPED,
                                          StreamState.REFUSED)

    def _announce(self, session: StreamSession) -> None:
        self.sig_state_changed.emit(session.state.value, session.message)

    # -- start --

    def open(self) -> None:
        if self.active:
            return
        reason = multimedia_missing() or playability(self.camera.stream_url)
        drill = self.service.drill_stream(self.camera.id) if self.service is not None else None
        if reason is not None and not drill:
            log.info("camera %s not playable: %s", self.camera.id, reason)
            self.session.error(self._clock(), reason, refused=True)
            return
        self.session.attempts = 0
        self.timer.start()
        self._resolve()

    def _resolve(self) -> None:
        self._generation += 1
        gen = self._generation
        needs_network = platform_channel(self.camera.stream_url) is not None
        if self.service is None:
            self._resolved(gen, ResolvedStream(self.camera.id, self.camera.stream_url, "direct"))
            return
        if not needs_network:
            try:
                stream = self.service.resolve(self.camera)
            except VideoError as exc:
                self.session.error(self._clock(), str(exc), refused=True)
                return
            self._resolved(gen, stream)
            return
        self.session.resolving(self._clock())
        service, camera = self.service, self.camera
        run_off_gui(lambda: service.resolve(camera), lambda r: self._resolved(gen, r))

    def _resolved(self, gen: int, result: object) -> None:
        if gen != self._generation or self.session.state is StreamState.STOPPED:
            if isinstance(result, ResolvedStream) and self.service is not None:
                self._release(result)  # the tile closed while the platform was answering
            return
        if isinstance(result, Exception):
            refused = isinstance(result, VideoError) and not result.retryable
            if not isinstance(result, VideoError):
                log.exception("camera %s: resolving failed", self.camera.id, exc_info=result)
            self.session.error(self._clock(), str(result) or "无法获取视频地址", refused=refused)
            return
        assert isinstance(result, ResolvedStream)
        self.stream = result
        self._play(result.url)

    def _ensure_player(self) -> None:
        if self.player is not None:
            return
        from PySide6.QtMultimedia import QMediaPlayer, QVideoSink

        self.sink = QVideoSink(self)
        self.sink.videoFrameChanged.connect(self._on_frame)
        self.player = QMediaPlayer(self)
        self.player.setVideoSink(self.sink)
        self.player.errorOccurred.connect(self._on_error)
        self.player.mediaStatusChanged.connect(self._on_status)

    def _play(self, url: str) -> None:
        self._ensure_player()
        self.session.connecting(self._clock(), url)
        log.info("camera %s: opening %s stream", self.camera.id, stream_kind(url))
        transport = str(self.service.ctx.settings.get("video.rtsp_transport", "tcp")
                        if self.service is not None else "tcp")
        self.player.setSource(QUrl(with_rtsp_transport(url, transport)))
        self.player.play()

    # -- what the backend reports --

    def _on_frame(self, frame: object) -> None:
        if self.session.state is StreamState.STOPPED:
            return
        if frame is not None and not frame.isValid():  # type: ignore[attr-defined]
            return
        self.last_frame_wall = time.time()
        self.session.frame(self._clock())

    def _on_error(self, _error: object, text: str) -> None:
        if self.session.state is StreamState.STOPPED:
            return
        log.warning("camera %s stream error: %s", self.camera.id, redact_url(text))
        self._halt_media()
        self.session.error(self._clock(), "无法播放该视频流：" + (redact_url(text) or "未知错误"))

    def _on_status(self, status: object) -> None:
        from PySide6.QtMultimedia import QMediaPlayer

        if self.session.state is StreamState.STOPPED:
            return
        if status == QMediaPlayer.MediaStatus.InvalidMedia:
            self._on_error(None, "无效的媒体")
        elif status == QMediaPlayer.MediaStatus.EndOfMedia and self.session.state is StreamState.PLAYING:
            # A live stream has no end: the server went away.
            self._halt_media()
            self.session.error(self._clock(), "视频流已断开")

    def _tick(self) -> None:
        if self.session.tick(self._clock()):
            self._halt_media()
            if self.stream is not None and self.stream.source == "platform" and self.service is not None:
                self._release(self.stream)
                self.stream = None
                self._resolve()
            elif self.stream is not None:
                self._play(self.stream.url)
            else:
                self._resolve()

    def _halt_media(self) -> None:
        if self.player is not None:
            self.player.stop()
            self.player.setSource(QUrl())

    # -- stop --

    def stop(self) -> None:
        """Stop playing and hand a platform stream back. Cheap on the GUI thread: releasing the
        source (which joins the demuxer, ~35 ms) is queued, one player per event-loop turn, so
        closing a 3×3 wall does not freeze the GUI for a third of a second."""
        self._generation += 1
        self.timer.stop()
        if self.player is not None:
            self.player.stop()
            _release_later(self)
        if self.stream is not None:
            self._release(self.stream)
            self.stream = None
        if self.session.state is not StreamState.IDLE:
            self.session.stop()

    def _clear_if_stopped(self) -> None:
        if self.player is not None and self.session.state in (StreamState.STOPPED, StreamState.IDLE):
            self.player.setSource(QUrl())

    def _release(self, stream: ResolvedStream) -> None:
        if stream.platform is None or self.service is None:
            return
        service = self.service
        run_off_gui(lambda: service.release(stream), lambda _r: None)

    def reconnect(self) -> None:
        self.stop()
        self.session.state = StreamState.IDLE
        self.open()

    # -- snapshot --

    def snapshot(self) -> QImage | None:
        """The latest frame as an image, tagged with the camera id and the time it arrived."""
        if self.sink is None:
            return None
        frame = self.sink.videoFrame()
        if not frame.isValid():
            return None
        image: QImage = frame.toImage()
        if image.isNull():
            return None
        at = self.last_frame_wall or time.time()
        image.setText("camera_id", self.camera.id)
        image.setText("taken_at", time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(at)))
        return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buf, "PNG")  # type: ignore[call-overload]  # PySide6 takes the format as str
    buf.close()
    return bytes(data.data())


class FrameView(QWidget):
    """Paints the sink's latest frame, letterboxed. Painting only happens while visible, so a
    hidden tile costs no conversion."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sink: Any = None
        self.last_image: QImage | None = None
        #: Repaint at most this often: a 3×3 wall paints each tile at 12.5 fps, so converting
        #: frames for painting does not take the GUI thread (bench/bench_video.py).
        self.min_interval_s = 0.0
        self._painted_at = 0.0
        self.setMinimumSize(160, 90)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    def attach(self, sink: Any) -> None:
        if sink is self.sink:
            return
        self.sink = sink
        self.last_image = None
        if sink is not None:
            sink.videoFrameChanged.connect(self._frame)

    def _frame(self, _frame: object) -> None:
        if not self.isVisible():
            return
        now = time.monotonic()
        if now - self._painted_at >= self.min_interval_s:
            self._painted_at = now
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#0d1117"))
        frame = self.sink.videoFrame() if self.sink is not None else None
        image = frame.toImage() if frame is not None and frame.isValid() else None
        live = image is not None and not image.isNull()
        if live:
            self.last_image = image
        else:
            image = self.last_image  # a stalled stream keeps its last picture, dimmed
        if image is not None and not image.isNull():
            size = image.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
            x = (self.width() - size.width()) // 2
            y = (self.height() - size.height()) // 2
            if not live:
                painter.setOpacity(0.35)
            painter.drawImage(QRect(QPoint(x, y), size), image)
        painter.end()


_STATE_COLOURS = {
    StreamState.PLAYING: "#3fb950", StreamState.CONNECTING: "#d29922",
    StreamState.RESOLVING: "#d29922", StreamState.RECONNECTING: "#d29922",
    StreamState.STALLED: "#ff7b72", StreamState.FAILED: "#ff7b72",
    StreamState.REFUSED: "#ff7b72", StreamState.STOPPED: "#8b949e", StreamState.IDLE: "#8b949e",
}


class VideoTile(QFrame):
    """One camera's picture with its name, state and last-frame time. A tile plays only while it
    is shown: hiding it (another layout, a minimised wall) stops the stream."""

    sig_camera_dropped = Signal(str)
    """A camera id was dropped on this tile (from the camera list or another tile)."""

    sig_popout_requested = Signal()
    """The user wants this tile's camera in its own window."""

    def __init__(self, service: VideoService | None, camera: NearbyCamera | None = None,
                 parent: QWidget | None = None, *, autoplay: bool = True) -> None:
        super().__init__(parent)
        self.service = service
        self.camera: NearbyCamera | None = None
        self.player: StreamPlayer | None = None
        self.autoplay = autoplay
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumSize(240, 180)
        self.setAcceptDrops(True)
        self.setStyleSheet("VideoTile{background:#0d1117;border:1px solid #30363d;}"
                           "QLabel{color:#e6edf3;} QPushButton{color:#58a6ff;}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.setSpacing(2)
        head = QHBoxLayout()
        self.title = QLabel(self)
        self.title.setStyleSheet("font-weight:bold;")
        head.addWidget(self.title, 1)
        self.popout_button = QPushButton(self.tr("弹出"), self)
        self.popout_button.setFlat(True)
        self.popout_button.clicked.connect(self.sig_popout_requested.emit)
        self.popout_button.setVisible(False)
        head.addWidget(self.popout_button)
        layout.addLayout(head)
        self.view = FrameView(self)
        layout.addWidget(self.view, 1)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.last_frame = QLabel(self)
        self.last_frame.setStyleSheet("color:#8b949e;")
        layout.addWidget(self.last_frame)
        self._clock_timer = QTimer(self)
        self._clock_timer.setInterval(1000)
        self._clock_timer.timeout.connect(self._show_last_frame)
        self.set_camera(camera)

    # -- camera --

    def set_camera(self, camera: NearbyCamera | None) -> None:
        if self.player is not None:
            self.player.stop()
            self.player.deleteLater()
            self.player = None
        self.camera = camera
        if camera is None:
            self.title.setText(self.tr("（空）将摄像机拖到这里"))
            self.status.setText("")
            self.last_frame.setText("")
            self.view.attach(None)
            self.view.update()
            return
        kind = stream_kind(camera.stream_url) if camera.stream_url else ""
        self.title.setText(f"{camera.name}  {kind}".strip())
        self.setToolTip(f"{camera.id} {camera.road}")
        self.player = StreamPlayer(self.service, camera, self)
        self.player.sig_state_changed.connect(self._on_state)
        self._on_state(StreamState.IDLE.value, "")
        if self.autoplay and self.isVisible():
            self.play()

    def play(self) -> None:
        if self.player is None:
            return
        self.player.open()
        if self.player.sink is not None:
            self.view.attach(self.player.sink)
        self._clock_timer.start()

    def stop(self) -> None:
        if self.player is not None:
            self.player.stop()
        self._clock_timer.stop()

    @property
    def playing(self) -> bool:
        return self.player is not None and self.player.active

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self.autoplay and self.player is not None and not self.player.active:
            self.play()

    def hideEvent(self, event: Any) -> None:
        super().hideEvent(event)
        self.stop()

    # -- what the user sees --

    def _on_state(self, state: str, message: str) -> None:
        st = StreamState(state)
        if self.player is not None and self.player.sink is not None:
            self.view.attach(self.player.sink)
        text = self.tr(st.label) + (f"：{message}" if message else "")
        self.status.setText(text)
        self.status.setStyleSheet(f"color:{_STATE_COLOURS[st]};")
        self._show_last_frame()

    def _show_last_frame(self) -> None:
        at = self.player.last_frame_wall if self.player is not None else None
        if at is None:
            self.last_frame.setText(self.tr("尚未收到画面"))
        else:
            self.last_frame.setText(self.tr("最后画面 ") + time.strftime("%H:%M:%S", time.localtime(at)))

    # -- drag and drop --

    def dragEnterEvent(self, event: Any) -> None:
        if event.mimeData().hasFormat(CAMERA_MIME):
            event.acceptProposedAction()

    def dropEvent(self, event: Any) -> None:
        data = event.mimeData()
        if data.hasFormat(CAMERA_MIME):
            camera_id = bytes(data.data(CAMERA_MIME).data()).decode("utf-8")
            event.acceptProposedAction()
            self.sig_camera_dropped.emit(camera_id)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton and self.camera is not None:
            mime = QMimeData()
            mime.setData(CAMERA_MIME, QByteArray(self.camera.id.encode("utf-8")))
            drag = QDrag(self)
            drag.setMimeData(mime)
            drag.exec(Qt.DropAction.MoveAction)
        super().mouseMoveEvent(event)


class PlayerWindow(QWidget):
    """A window playing one camera, with 截图存证 (a frame into a case's evidence) and, for a
    platform camera, PTZ buttons. Opened by the video owner for any 视频 button in the app."""

    sig_snapshot_saved = Signal(str, str)
    """(case id, evidence id) after a frame was stored as evidence."""

    def __init__(self, service: VideoService | None, camera: NearbyCamera,
                 parent: QWidget | None = None, *, context: tuple[str, str] | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.service = service
        self.camera = camera
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self.setWindowTitle(self.tr("视频 — ") + camera.name)
        self.resize(760, 520)
        layout = QVBoxLayout(self)
        self.tile = VideoTile(service, camera, self)
        layout.addWidget(self.tile, 1)
        self.status = self.tile.status
        row = QHBoxLayout()
        self.target = QComboBox(self)
        self.target.setMinimumWidth(220)
        self.snapshot_button = QPushButton(self.tr("截图存证"), self)
        self.snapshot_button.clicked.connect(self.save_snapshot)
        self.reconnect_button = QPushButton(self.tr("重新连接"), self)
        self.reconnect_button.clicked.connect(self.reconnect)
        row.addWidget(QLabel(self.tr("附加到："), self))
        row.addWidget(self.target, 1)
        row.addWidget(self.snapshot_button)
        row.addWidget(self.reconnect_button)
        layout.addLayout(row)
        self.ptz_row = QHBoxLayout()
        if service is not None and platform_channel(camera.stream_url) is not None:
            for label, cmd in ((self.tr("左"), "left"), (self.tr("右"), "right"), (self.tr("上"), "up"),
                               (self.tr("下"), "down"), (self.tr("放大"), "zoomin"),
                               (self.tr("缩小"), "zoomout"), (self.tr("停"), "stop")):
                b = QPushButton(label, self)
                b.clicked.connect(lambda *_a, c=cmd: self.ptz(c))
                self.ptz_row.addWidget(b)
            self.ptz_row.addStretch(1)
            layout.addLayout(self.ptz_row)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self._fill_targets(context)

    @property
    def player(self) -> Any:
        """The QMediaPlayer (None until a playable stream was opened)."""
        return self.tile.player.player if self.tile.player is not None else None

    def _fill_targets(self, context: tuple[str, str] | None) -> None:
        self.target.clear()
        if self.service is None:
            self.target.setEnabled(False)
            self.snapshot_button.setEnabled(False)
            return
        targets = self.service.snapshot_targets()
        if context is not None and context[0] == "accident_cases":
            targets.sort(key=lambda t: t[1] != context[1])
        for entity, eid, label in targets:
            self.target.addItem(self.tr("案件 ") + label, (entity, eid))
        if not targets:
            self.target.addItem(self.tr("（没有进行中的案件）"), None)

    def save_snapshot(self) -> str | None:
        """Store the current frame in the chosen case; returns the evidence id."""
        target = self.target.currentData()
        player = self.tile.player
        image = player.snapshot() if player is not None else None
        if self.service is None or target is None:
            self._say(self.tr("请选择要附加截图的案件"), error=True)
            return None
        if image is None:
            self._say(self.tr("没有可保存的画面（尚未收到视频帧）"), error=True)
            return None
        assert player is not None
        try:
            record = self.service.attach_snapshot(target[0], target[1], self.camera.id,
                                                  png_bytes(image), player.last_frame_wall)
        except VideoError as exc:
            log.warning("snapshot of %s not saved: %s", self.camera.id, exc)
            self._say(str(exc), error=True)
            return None
        self._say(self.tr("截图已存入案件证据：") + record.filename)
        self.sig_snapshot_saved.emit(target[1], record.id)
        return str(record.id)

    def reconnect(self) -> None:
        if self.tile.player is not None:
            self.tile.player.reconnect()

    def ptz(self, command: str) -> None:
        if self.service is None:
            return
        service, cam = self.service, self.camera

        def done(result: object) -> None:
            if isinstance(result, Exception):
                self._say(str(result), error=True)

        run_off_gui(lambda: service.ptz(cam, command), done)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color:#ff7b72;" if error else "color:#3fb950;")

    def closeEvent(self, event: Any) -> None:
        self.tile.stop()
        super().closeEvent(event)
