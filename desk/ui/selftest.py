"""``desk --self-test``: proves on the machine it lands on that a build works offline.

Starts headless, generates the demo city into a temporary workspace, loads the real map page,
checks that Leaflet is present and that every request the page made was local, and exits 0.
Any failure prints one line saying what failed and exits 1.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)

LOCAL_SCHEMES = {"desk", "data", "blob", "qrc", "about"}
TIMEOUT_MS = 60_000


def run_self_test() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from desk.ui.app import create_application

    app = create_application(["desk"], "zh")
    from PySide6.QtCore import QEvent, QSettings
    from PySide6.QtWebEngineCore import QWebEngineUrlRequestInfo, QWebEngineUrlRequestInterceptor
    from PySide6.QtWidgets import QLabel

    from desk.demo.city import generate_demo_city
    from desk.services.context import AppContext
    from desk.store import Workspace
    from desk.ui.bus import QtChangeBus
    from desk.ui.context import UiContext
    from desk.ui.feed import FeedHub
    from desk.ui.main_window import MainWindow
    from desk.ui.map.panel import MapPanel
    from desk.ui.map.scheme import map_profile

    class Recorder(QWebEngineUrlRequestInterceptor):
        def __init__(self) -> None:
            super().__init__()
            self.urls: list[str] = []

        def interceptRequest(self, info: QWebEngineUrlRequestInfo) -> None:
            self.urls.append(info.requestUrl().toString())

    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="desk-selftest-") as tmp:
        ws = Workspace.open(Path(tmp) / "selftest.sqlite")
        summary = generate_demo_city(ws)
        recorder = Recorder()
        profile, _handler = map_profile()
        profile.setUrlRequestInterceptor(recorder)
        ctx = AppContext(workspace=ws, demo=True)
        qbus = QtChangeBus(ws.bus)
        from desk.app.runtime import Runtime

        runtime = Runtime(ctx)
        hub = FeedHub(runtime)
        ui = UiContext(ctx, qbus, hub, runtime=runtime)
        # The whole window, so a bundle missing a module any panel needs fails here.
        window = MainWindow(ui, QSettings(str(Path(tmp) / "desk.ini"), QSettings.Format.IniFormat))
        window.show()
        window.build_pending_panels()
        broken = [pid for pid, panel in window.panels.items() if isinstance(panel, QLabel)]
        if broken:
            failures.append(f"panels failed to load: {broken} (see the log above)")
        panel = window.panels.get("map")
        if not isinstance(panel, MapPanel):
            failures.append("the map panel is missing")
        else:
            failures += _check_map(app, panel)
        remote = [u for u in recorder.urls if u.split(":", 1)[0].lower() not in LOCAL_SCHEMES]
        if remote:
            failures.append(f"network requests made: {remote[:5]}")
        if not recorder.urls:
            failures.append("request interceptor saw no requests at all")
        profile.setUrlRequestInterceptor(None)  # type: ignore[arg-type]
        window.close()
        window.deleteLater()
        # Pages must die before their profile, and both before the QApplication: flush the
        # deferred deletes now instead of leaving them to interpreter shutdown.
        app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        app.processEvents()
        hub.shutdown()
        qbus.detach()
        ws.close()

    if failures:
        for failure in failures:
            log.error("self-test FAILED: %s", failure)
        return 1
    log.info(
        "self-test passed: %d cameras, %d units, %d local requests, no network",
        summary.cameras, summary.units, len(recorder.urls),
    )
    return 0


def _check_map(app, panel) -> list[str]:  # type: ignore[no-untyped-def]
    """Wait for the map's first full draw, then ask the page whether Leaflet is there."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    panel.sig_loaded.connect(lambda _info: loop.quit())
    QTimer.singleShot(TIMEOUT_MS, loop.quit)
    if panel.loaded_info is None:
        loop.exec()
    if panel.loaded_info is None:
        return ["map page did not finish loading within 60 s"]
    answer: list[str] = []

    def on_answer(result: object) -> None:
        answer.append(str(result or ""))
        loop.quit()

    panel.view.page().runJavaScript(
        "JSON.stringify({leaflet: typeof L, version: (window.L && L.version) || ''})", 0, on_answer
    )
    QTimer.singleShot(10_000, loop.quit)
    loop.exec()
    result = json.loads(answer[0]) if answer and answer[0] else {}
    if result.get("leaflet") != "object":
        return [f"Leaflet missing on the map page: {result}"]
    log.info("self-test: Leaflet %s loaded; map drew %s", result.get("version"), panel.loaded_info)
    return []
