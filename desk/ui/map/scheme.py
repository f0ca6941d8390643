"""The ``desk:`` URL scheme that serves the map page, its assets and tiles from local files.

Everything the map page loads comes from ``desk://local/...``: the page itself (never
``setHtml``, which fails silently above 2 MB), Leaflet and MarkerCluster from the XStatic
packages, ``qwebchannel.js`` from Qt's resources, our own script, the vector basemap and MBTiles
tiles. One handler is installed on one off-the-record profile owned by the QApplication, so pages
die before their profile (QtWebEngine warns and may crash otherwise).

Routes are path prefixes mapped to callables returning ``(mime, bytes)`` or ``None`` (404), so
each map view can add its own (a tile source, a page) and remove it when it goes away.
"""

from __future__ import annotations

import logging
import mimetypes
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QFile, QIODevice, QObject
from PySide6.QtWebEngineCore import (
    QWebEngineProfile,
    QWebEngineUrlRequestInfo,
    QWebEngineUrlRequestInterceptor,
    QWebEngineUrlRequestJob,
    QWebEngineUrlScheme,
    QWebEngineUrlSchemeHandler,
)
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

SCHEME = b"desk"
ORIGIN = "desk://local"
ASSETS_DIR = Path(__file__).resolve().parent / "assets"

Route = Callable[[str], tuple[str, bytes] | None]


def register_url_schemes() -> None:
    """Must run before the QApplication exists (Qt's rule for custom schemes)."""
    if QWebEngineUrlScheme.schemeByName(SCHEME).name():
        return
    scheme = QWebEngineUrlScheme(SCHEME)
    scheme.setSyntax(QWebEngineUrlScheme.Syntax.Host)
    scheme.setFlags(
        QWebEngineUrlScheme.Flag.SecureScheme
        | QWebEngineUrlScheme.Flag.LocalAccessAllowed
        | QWebEngineUrlScheme.Flag.CorsEnabled
        | QWebEngineUrlScheme.Flag.FetchApiAllowed
    )
    QWebEngineUrlScheme.registerScheme(scheme)


def _file_route(root: Path) -> Route:
    """Serve files below ``root``; refuses paths that climb out of it."""
    root = root.resolve()

    def serve(rest: str) -> tuple[str, bytes] | None:
        target = (root / rest).resolve()
        if root not in target.parents or not target.is_file():
            return None
        mime = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if target.suffix == ".js":
            mime = "text/javascript"
        return mime, target.read_bytes()

    return serve


def _qwebchannel_js() -> bytes:
    f = QFile(":/qtwebchannel/qwebchannel.js")
    if not f.open(QIODevice.OpenModeFlag.ReadOnly):
        log.error("qwebchannel.js missing from Qt's resources")
        return b""
    data = bytes(f.readAll().data())
    f.close()
    return data


class DeskSchemeHandler(QWebEngineUrlSchemeHandler):
    """Answers ``desk://local/<path>`` from the registered routes (longest prefix wins)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._routes: dict[str, Route] = {}
        self._cache: dict[str, tuple[str, bytes]] = {}
        import xstatic.pkg.leaflet as xs_leaflet
        import xstatic.pkg.leaflet_markercluster as xs_cluster

        self.add_route("/static/leaflet/", _file_route(Path(xs_leaflet.BASE_DIR)))
        self.add_route("/static/markercluster/", _file_route(Path(xs_cluster.BASE_DIR)))
        self.add_route("/static/desk/", _file_route(ASSETS_DIR))
        qwc = _qwebchannel_js()
        self.add_route("/static/qwebchannel.js", lambda _rest: ("text/javascript", qwc))

    def add_route(self, prefix: str, route: Route) -> None:
        self._routes[prefix] = route

    def remove_route(self, prefix: str) -> None:
        self._routes.pop(prefix, None)

    def requestStarted(self, job: QWebEngineUrlRequestJob) -> None:
        url = job.requestUrl()
        path = url.path()
        if url.host() != "local":
            job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)
            return
        for prefix in sorted(self._routes, key=len, reverse=True):
            if path.startswith(prefix):
                try:
                    answer = self._routes[prefix](path[len(prefix):])
                except Exception:
                    log.exception("desk: route %s failed for %s", prefix, path)
                    job.fail(QWebEngineUrlRequestJob.Error.RequestFailed)
                    return
                if answer is None:
                    job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)
                    return
                mime, data = answer
                buf = QBuffer(job)
                buf.setData(QByteArray(data))
                buf.open(QIODevice.OpenModeFlag.ReadOnly)
                job.reply(mime.encode(), buf)
                return
        log.warning("desk: no route for %s", path)
        job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)


LOCAL_SCHEMES = ("desk", "data", "blob", "qrc")


class LocalOnlyGuard(QWebEngineUrlRequestInterceptor):
    """Blocks every request that is not local, except to hosts explicitly allowed (the configured
    intranet tile server). The map must work with no internet, and must never try to reach it:
    a stray CDN link in a future folium or plugin is blocked and logged, not fetched."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.allowed_hosts: set[str] = set()
        self.blocked: list[str] = []

    def interceptRequest(self, info: QWebEngineUrlRequestInfo) -> None:
        url = info.requestUrl()
        if url.scheme() in LOCAL_SCHEMES or url.host() in self.allowed_hosts:
            return
        info.block(True)
        if len(self.blocked) < 1000:
            self.blocked.append(url.toString())
        log.warning("map: blocked a non-local request: %s", url.toString())


_profile: QWebEngineProfile | None = None
_handler: DeskSchemeHandler | None = None
_guard: LocalOnlyGuard | None = None


def map_profile() -> tuple[QWebEngineProfile, DeskSchemeHandler]:
    """The app-wide off-the-record profile with the ``desk:`` handler (created on first use)."""
    global _profile, _handler, _guard
    app = QApplication.instance()
    if app is None:
        raise RuntimeError("map_profile() needs a QApplication")
    if _profile is None or _handler is None:
        _profile = QWebEngineProfile(app)  # no storage name: off the record, nothing on disk
        _handler = DeskSchemeHandler(_profile)
        _profile.installUrlSchemeHandler(SCHEME, _handler)
        _guard = LocalOnlyGuard(_profile)
        _profile.setUrlRequestInterceptor(_guard)
        # Drop the module references when the app (and with it the profile) goes away.
        _profile.destroyed.connect(_forget_profile)
    return _profile, _handler


def request_guard() -> LocalOnlyGuard:
    """The profile's guard (allow an intranet tile host with ``allowed_hosts.add(host)``)."""
    map_profile()
    assert _guard is not None
    return _guard


def _forget_profile() -> None:
    global _profile, _handler, _guard
    _profile = None
    _handler = None
    _guard = None
