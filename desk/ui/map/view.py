"""The map web view: the page on the ``desk:`` scheme, the QWebChannel bridge, and the basemap.

Python talks to the page only through ``MapBridge.command`` (a JSON array of ``{op: ...}``
objects); the page answers through the bridge's slots. Commands sent before the page's channel is
up are queued and flushed when the page calls ``ready()`` (Anki's pattern), so callers never
need to know whether the page has loaded. Late answers after the view is gone are ignored.
"""

from __future__ import annotations

import itertools
import json
import logging
import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QPoint, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QColor
from PySide6.QtWebChannel import QWebChannel
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineSettings
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QLabel, QWidget

from desk.domain.crs import gcj02_to_wgs84, wgs84_to_gcj02
from desk.paths import maps_dir
from desk.services.map_settings import BasemapError, BasemapSource, MBTiles, sniff_image_mime
from desk.ui.map.page import page_html
from desk.ui.map.scheme import ORIGIN, map_profile, request_guard

log = logging.getLogger(__name__)

_tokens = itertools.count(1)
_TILE_PATH = re.compile(r"^(\d+)/(\d+)/(\d+)(?:\.\w+)?$")


class MapBridge(QObject):
    """The object the page sees as ``channel.objects.bridge``."""

    command = Signal(str)
    """Python → page: a JSON array of commands."""

    sig_ready = Signal()
    sig_loaded = Signal(str)
    sig_ack = Signal(int)
    sig_painted = Signal(int)
    sig_clicked = Signal(str, str)
    sig_context_menu = Signal(float, float, int, int)
    sig_basemap_failed = Signal(str)
    sig_basemap_loaded = Signal(str)
    sig_follow_stopped = Signal()

    @Slot()
    def ready(self) -> None:
        self.sig_ready.emit()

    @Slot(str)
    def loaded(self, info: str) -> None:
        self.sig_loaded.emit(info)

    @Slot(int)
    def ack(self, seq: int) -> None:
        self.sig_ack.emit(seq)

    @Slot(int)
    def painted(self, seq: int) -> None:
        self.sig_painted.emit(seq)

    @Slot(str, str)
    def clicked(self, layer: str, entity_id: str) -> None:
        self.sig_clicked.emit(layer, entity_id)

    @Slot(float, float, int, int)
    def contextMenu(self, lat: float, lon: float, x: int, y: int) -> None:
        self.sig_context_menu.emit(lat, lon, x, y)

    @Slot(str)
    def basemapFailed(self, why: str) -> None:
        self.sig_basemap_failed.emit(why)

    @Slot(str)
    def basemapLoaded(self, kind: str) -> None:
        self.sig_basemap_loaded.emit(kind)

    @Slot()
    def followStopped(self) -> None:
        self.sig_follow_stopped.emit()

    @Slot(str)
    def jsError(self, message: str) -> None:
        log.warning("map page error: %s", message)


class _MapPage(QWebEnginePage):
    def javaScriptConsoleMessage(self, level: Any, message: str, line: int, source: str) -> None:
        log.debug("map console [%s] %s:%s %s", level, source, line, message)


def vector_basemap_bytes() -> bytes | None:
    path = maps_dir() / "zhengzhou.geojson"
    try:
        return path.read_bytes()
    except OSError:
        log.warning("vector basemap missing: %s", path)
        return None


class MapView(QWebEngineView):
    """The web view. ``send`` queues commands until the page is ready."""

    sig_message = Signal(str)
    """A message for the dispatcher (中文), e.g. a basemap that failed and was replaced."""

    sig_basemap_changed = Signal()
    """The basemap (and with it the coordinate system of the page) changed: resend layers."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        profile, self._handler = map_profile()
        self._token = f"v{next(_tokens)}"
        self.bridge = MapBridge(self)
        page = _MapPage(profile, self)
        self.setPage(page)
        settings = page.settings()
        settings.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls, False)
        page.setBackgroundColor(QColor("#0e1621"))
        self._channel = QWebChannel(page)
        self._channel.registerObject("bridge", self.bridge)
        page.setWebChannel(self._channel)
        self.is_ready = False
        self._queue: list[dict[str, Any]] = []
        self._mbtiles: MBTiles | None = None
        self.basemap = BasemapSource()
        self.bridge.sig_ready.connect(self._on_ready)
        self.bridge.sig_basemap_failed.connect(self._on_basemap_failed)
        self._handler.add_route("/map/", self._serve_map)
        # Until the page says it is ready the view is an empty dark rectangle; on a busy machine
        # that lasted a minute with nothing to tell the dispatcher it was coming.
        self.loading = QLabel(self.tr("地图加载中…"), self)
        self.loading.setObjectName("mapLoading")
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.loading.setStyleSheet("color: #9fb3c8; font-size: 18px; background: #0e1621;")
        self.loading.raise_()

    # -- page and routes -----------------------------------------------------------------------

    def load_page(self) -> None:
        self.load(QUrl(f"{ORIGIN}/map/index.html"))

    @staticmethod
    def _serve_map(rest: str) -> tuple[str, bytes] | None:
        if rest == "index.html":
            return "text/html; charset=utf-8", page_html()
        if rest == "basemap.geojson":
            data = vector_basemap_bytes()
            return None if data is None else ("application/geo+json", data)
        return None

    def _serve_tile(self, rest: str) -> tuple[str, bytes] | None:
        m = _TILE_PATH.match(rest)
        if m is None or self._mbtiles is None:
            return None
        data = self._mbtiles.tile(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return None if data is None else (sniff_image_mime(data), data)

    def shutdown(self) -> None:
        self._handler.remove_route(f"/tiles/{self._token}/")
        if self._mbtiles is not None:
            self._mbtiles.close()
            self._mbtiles = None

    # -- commands ----------------------------------------------------------------------------------

    def send(self, *cmds: dict[str, Any]) -> None:
        if not self.is_ready:
            self._queue.extend(cmds)
            return
        self.bridge.command.emit(json.dumps(cmds, ensure_ascii=False, separators=(",", ":")))

    def send_raw(self, payload: str) -> None:
        """Send an already-encoded JSON array (the delta path encodes once, itself)."""
        if self.is_ready:
            self.bridge.command.emit(payload)

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self.loading.setGeometry(self.rect())

    def _on_ready(self) -> None:
        self.is_ready = True
        self.loading.hide()
        queued, self._queue = self._queue, []
        if queued:
            self.send(*queued)

    def eval_json(self, expr: str, callback: Any) -> None:
        """Evaluate ``expr`` in the page and pass the parsed JSON value to ``callback``
        (runJavaScript returns '' for arrays and objects, so the page stringifies)."""

        def done(text: Any) -> None:
            callback(json.loads(text) if isinstance(text, str) and text else None)

        self.page().runJavaScript(f"JSON.stringify({expr})", 0, done)

    # -- basemap -----------------------------------------------------------------------------------

    def set_basemap(self, source: BasemapSource) -> None:
        """Switch basemap; a source that cannot work falls back to the vector basemap."""
        try:
            source.check()
            if source.kind == "mbtiles":
                reader = MBTiles(Path(source.path))
                if self._mbtiles is not None:
                    self._mbtiles.close()
                self._mbtiles = reader
        except BasemapError as exc:
            log.warning("basemap %s unusable: %s", source, exc)
            self.sig_message.emit(f"{exc}。已改用离线矢量底图。")
            source = BasemapSource()
        old_gcj = self.basemap.is_gcj02
        self.basemap = source
        cmd: dict[str, Any]
        if source.kind == "vector":
            cmd = {"op": "basemap", "kind": "vector", "url": f"{ORIGIN}/map/basemap.geojson"}
        else:
            if source.kind == "mbtiles":
                self._handler.add_route(f"/tiles/{self._token}/", self._serve_tile)
                url = f"{ORIGIN}/tiles/{self._token}/{{z}}/{{x}}/{{y}}"
            else:
                url = source.url
                # The configured intranet tile server is the one remote host the page may reach.
                host = QUrl(url.replace("{z}", "0").replace("{x}", "0").replace("{y}", "0")).host()
                if host:
                    request_guard().allowed_hosts.add(host)
            cmd = {"op": "basemap", "kind": "tiles", "url": url, "minZoom": source.min_zoom,
                   "maxZoom": source.max_zoom, "attribution": source.attribution,
                   "failover": source.kind == "xyz"}
        self.send(cmd)
        if old_gcj != source.is_gcj02:
            self.sig_basemap_changed.emit()

    def _on_basemap_failed(self, why: str) -> None:
        log.warning("basemap failed in the page: %s (source %s)", why, self.basemap)
        if self.basemap.kind == "vector":
            self.sig_message.emit("离线矢量底图无法加载，地图仅显示图层。")
            return
        what = "MBTiles 底图" if self.basemap.kind == "mbtiles" else "瓦片服务"
        self.sig_message.emit(f"{what}无法加载瓦片（{self.basemap.url or self.basemap.path}），"
                              "已改用离线矢量底图。")
        self.set_basemap(BasemapSource())

    # -- coordinates ----------------------------------------------------------------------------------

    def to_map(self, lat: float, lon: float) -> tuple[float, float]:
        return wgs84_to_gcj02(lat, lon) if self.basemap.is_gcj02 else (lat, lon)

    def from_map(self, lat: float, lon: float) -> tuple[float, float]:
        return gcj02_to_wgs84(lat, lon) if self.basemap.is_gcj02 else (lat, lon)

    def global_point(self, x: int, y: int) -> QPoint:
        return self.mapToGlobal(QPoint(x, y))
