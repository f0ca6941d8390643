"""Starting the Qt application: environment, fonts, theme, translation, workspace, main window."""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from desk.paths import resources_dir

log = logging.getLogger(__name__)

ORG_NAME = "desk"
APP_NAME = "desk"
#: Families tried in order for Chinese text; the first installed one becomes the UI font.
CJK_FAMILIES = (
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei", "微软雅黑",
    "PingFang SC", "WenQuanYi Micro Hei", "SimHei", "Noto Serif CJK SC",
)


@dataclass
class LaunchOptions:
    db: Path | None = None
    demo: bool = False
    lang: str = "zh"
    central_url: str | None = None
    central_token: str | None = None
    offline: bool = False
    screenshot: Path | None = None
    quit_after_s: float | None = None
    drill: Path | None = None
    replay: Path | None = None
    workstation: str | None = None
    settings: dict[str, object] = field(default_factory=dict)


def prepare_environment() -> None:
    """Process-wide settings that must exist before Qt starts."""
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # Chromium refuses its sandbox as root (kiosk images often run as root).
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    # Offline first: Chromium must not phone home (updates, safe browsing, variations).
    flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
    for flag in ("--disable-background-networking", "--disable-component-update"):
        if flag not in flags:
            flags = f"{flags} {flag}".strip()
    os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = flags


def create_application(argv: list[str], lang: str = "zh"):  # type: ignore[no-untyped-def]
    """Create the QApplication with schemes registered, theme applied and translation loaded."""
    prepare_environment()
    # Both must happen before the QApplication exists (Qt's rules for WebEngine and schemes).
    import PySide6.QtWebEngineWidgets  # noqa: F401
    from PySide6.QtWidgets import QApplication

    from desk.ui.map.scheme import register_url_schemes

    register_url_schemes()
    app = QApplication.instance() or QApplication(argv)
    app.setOrganizationName(ORG_NAME)
    app.setApplicationName(APP_NAME)
    from PySide6.QtGui import QIcon

    app.setWindowIcon(QIcon(str(resources_dir() / "icons" / "desk.png")))  # type: ignore[attr-defined]
    apply_look(app, lang)
    return app


def apply_look(app, lang: str = "zh") -> None:  # type: ignore[no-untyped-def]
    """Font, theme and translation; safe to call on an existing QApplication (tests)."""
    from PySide6.QtCore import QLocale, QTranslator
    from PySide6.QtGui import QFont, QFontDatabase

    families = set(QFontDatabase.families())
    cjk = next((f for f in CJK_FAMILIES if f in families), None)
    if cjk is None:
        log.warning(
            "no CJK font found: Chinese text will render as boxes "
            "(Debian: apt install fonts-noto-cjk)"
        )
    else:
        font = QFont(cjk)
        font.setPointSizeF(max(app.font().pointSizeF(), 10.5))
        app.setFont(font)
    qss = resources_dir() / "theme" / "dark.qss"
    try:
        app.setStyleSheet(qss.read_text(encoding="utf-8"))
    except OSError:
        log.warning("theme not found at %s; using the platform style", qss)
    try:
        import pyqtgraph as pg

        pg.setConfigOptions(background="#121b26", foreground="#dce6f0", antialias=True)
    except ImportError:  # pragma: no cover - pyqtgraph is a declared dependency
        pass
    old = getattr(app, "_desk_translator", None)
    if old is not None:
        app.removeTranslator(old)
        app._desk_translator = None
    if lang != "zh":
        translator = QTranslator(app)
        qm = resources_dir() / "i18n" / f"desk_{lang}.qm"
        if translator.load(str(qm)):
            app.installTranslator(translator)
            app._desk_translator = translator
            QLocale.setDefault(QLocale(QLocale.Language.English))
        else:
            log.warning("no translation for %r at %s; staying in Chinese", lang, qm)


def run(options: LaunchOptions) -> int:
    """Run the desktop app until the window closes; returns the exit status."""
    from PySide6.QtWidgets import QMessageBox

    from desk.paths import default_workspace_path, user_data_dir
    from desk.services.context import AppContext
    from desk.store import Workspace, WorkspaceError
    from desk.ui.bus import QtChangeBus
    from desk.ui.context import UiContext
    from desk.ui.feed import FeedHub
    from desk.ui.main_window import MainWindow

    app = create_application(sys.argv[:1], options.lang)
    if options.drill is not None:
        return _run_drill(app, options)
    if options.replay is not None:
        return _run_replay(app, options)
    # The demo city gets its own file so that demo data never lands in a live workspace.
    path = options.db or (user_data_dir() / "demo.sqlite" if options.demo else default_workspace_path())
    try:
        ws = Workspace.open(path)
    except WorkspaceError as exc:
        log.error("cannot open workspace: %s", exc)
        QMessageBox.critical(None, "desk", exc.user_message)
        return 2

    empty = ws.count("cameras") == 0 and ws.count("units") == 0
    if empty and options.demo:
        from desk.ui.demo_loader import generate_demo_with_progress

        if not generate_demo_with_progress(ws.path):
            return 2
    elif empty and options.screenshot is None and options.quit_after_s is None:
        answer = QMessageBox.question(
            None, "desk",
            app.translate(
                "App",
                "工作区为空。是否生成郑州演示城市（9,432 个视频点位、415 个积水监测点、约 1,000 名警力）？",
            ),
        )
        if answer == QMessageBox.StandardButton.Yes:
            from desk.ui.demo_loader import generate_demo_with_progress

            generate_demo_with_progress(ws.path)

    if options.demo or ws.meta("demo_city") is not None:
        try:
            from desk.demo.roster import plan_demo_roster

            plan_demo_roster(ws)  # about a second, once a day: today's posts get staffed
        except Exception:
            log.exception("demo roster could not be planned")
    settings = dict(options.settings)
    from PySide6.QtCore import QSettings

    from desk.ui.settings_dialog import load_persisted

    load_persisted(QSettings(), settings)
    if options.central_url:
        settings["central_url"] = options.central_url
        settings["central_token"] = options.central_token or ""
    settings["offline"] = options.offline
    import socket

    ctx = AppContext(workspace=ws, demo=options.demo or ws.meta("demo_city") is not None,
                     settings=settings, workstation=options.workstation or socket.gethostname())
    qbus = QtChangeBus(ws.bus)
    hub = FeedHub(ws)
    ui = UiContext(ctx, qbus, hub)
    window = MainWindow(ui)
    window.show()
    _start_feed(ui, options)
    status = _exec(app, window, options)
    hub.shutdown()
    qbus.detach()
    ws.close()
    return status


def _exec(app, window, options: LaunchOptions) -> int:  # type: ignore[no-untyped-def]
    """Show the window until it closes; with --screenshot, grab it after a pause and quit."""
    from PySide6.QtCore import QTimer

    if options.screenshot is not None:
        shot = options.screenshot
        window.resize(1920, 1080)  # a control-room screen, whatever the virtual display is

        def grab() -> None:
            window.grab().save(str(shot))
            log.info("screenshot saved to %s", shot)
            window.close()

        QTimer.singleShot(int((options.quit_after_s or 6) * 1000), grab)
    elif options.quit_after_s is not None:
        QTimer.singleShot(int(options.quit_after_s * 1000), window.close)

    return int(app.exec())


def _run_drill(app, options: LaunchOptions) -> int:  # type: ignore[no-untyped-def]
    """A drill runs in a copy of the base workspace; the live file is only ever read."""
    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtWidgets import QDockWidget, QMessageBox

    from desk.drill.scenario import ScenarioError
    from desk.drill.session import DrillSession
    from desk.store import WorkspaceError
    from desk.ui.bus import QtChangeBus
    from desk.ui.context import UiContext
    from desk.ui.drill.controls import DrillBanner, DrillControls
    from desk.ui.feed import FeedHub
    from desk.ui.main_window import MainWindow

    assert options.drill is not None
    try:
        session = DrillSession.create(options.drill, base=options.db)
    except (ScenarioError, WorkspaceError) as exc:
        message = getattr(exc, "user_message", str(exc))
        log.error("cannot start drill: %s", exc)
        QMessageBox.critical(None, "desk", QCoreApplication.translate("App", "无法开始演练：") + message)
        return 2
    ctx = session.app_context(actor="trainee")
    qbus = QtChangeBus(session.workspace.bus)
    hub = FeedHub(session.workspace)
    ui = UiContext(ctx, qbus, hub)
    window = MainWindow(ui)
    window.set_banner(DrillBanner(session.scenario.title, window))
    dock = QDockWidget(QCoreApplication.translate("Docks", "演练控制"), window)
    dock.setObjectName("dock_drill")
    dock.setWidget(DrillControls(ui, session, dock))
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    dock.raise_()
    window.show()
    status = _exec(app, window, options)
    hub.shutdown()
    qbus.detach()
    session.close()
    return status


def _run_replay(app, options: LaunchOptions) -> int:  # type: ignore[no-untyped-def]
    """Replay a recorded drill file for the debrief (read-only: nothing fires, nothing syncs)."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QMessageBox

    from desk.drill.scenario import ScenarioError
    from desk.store import WorkspaceError
    from desk.ui.drill.replay import DrillReplayWindow

    assert options.replay is not None
    try:
        window = DrillReplayWindow.open(options.replay)
    except (ScenarioError, WorkspaceError, ValueError, OSError) as exc:
        message = getattr(exc, "user_message", str(exc))
        log.error("cannot open drill replay %s: %s", options.replay, exc)
        QMessageBox.critical(None, "desk", QCoreApplication.translate("App", "无法打开演练回放：") + message)
        return 2
    window.resize(900, 760)
    window.show()
    status = _exec(app, window, options)
    window.close()
    return status


def _start_feed(ui, options: LaunchOptions) -> None:  # type: ignore[no-untyped-def]
    """The central's live stream when one is configured, else the demo simulator in demo mode."""
    if options.central_url and not options.offline:
        try:
            from desk.feeds.central_stream import CentralStreamFeed

            ui.feed.set_feed(CentralStreamFeed(options.central_url, options.central_token or ""))
            return
        except Exception:
            log.exception("central stream feed unavailable")
    if ui.app.demo:
        try:
            from desk.feeds.simulator import DemoSimulator

            ui.feed.set_feed(DemoSimulator(ui.workspace.path))
        except Exception:
            log.exception("demo simulator unavailable")
