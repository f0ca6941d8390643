"""Starting the Qt application: environment, fonts, theme, translation, workspace, main window."""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
    create: bool = False  # --create: make --db a workspace even if it holds other data


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
    # pyqtgraph's colours are set by desk.ui.plot when the first chart loads (start-up time).
    old = getattr(app, "_desk_translator", None)
    if old is not None:
        app.removeTranslator(old)
        app._desk_translator = None
    _load_qt_base_translation(app, lang)
    if lang != "zh":
        translator = QTranslator(app)
        qm = resources_dir() / "i18n" / f"desk_{lang}.qm"
        if translator.load(str(qm)):
            app.installTranslator(translator)
            app._desk_translator = translator
            QLocale.setDefault(QLocale(QLocale.Language.English))
        else:
            log.warning("no translation for %r at %s; staying in Chinese", lang, qm)


def _load_qt_base_translation(app, lang: str) -> None:  # type: ignore[no-untyped-def]
    """Qt's own dialogs (OK/Cancel, file dialogs, context menus) in the UI's language: Qt ships
    ``qtbase_zh_CN.qm``; without it a Chinese desk shows English buttons."""
    from PySide6.QtCore import QLibraryInfo, QTranslator

    old = getattr(app, "_desk_qt_translator", None)
    if old is not None:
        app.removeTranslator(old)
        app._desk_qt_translator = None
    name = {"zh": "qtbase_zh_CN", "en": ""}.get(lang, "")
    if not name:
        return
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(name, folder):
        app.installTranslator(translator)
        app._desk_qt_translator = translator
    else:
        log.warning("Qt's own translation %s not found in %s; Qt dialogs stay in English", name, folder)


def run(options: LaunchOptions) -> int:
    """Run the desktop app until the window closes; returns the exit status."""

    from desk.app.logfile import setup_logging
    from desk.paths import default_workspace_path, user_data_dir

    setup_logging(user_data_dir())
    app = create_application(sys.argv[:1], options.lang)
    _install_error_dialog(app)
    if options.drill is not None:
        return _run_drill(app, options)
    if options.replay is not None:
        return _run_replay(app, options)
    # The demo city gets its own file so that demo data never lands in a live workspace.
    path = options.db or (user_data_dir() / "demo.sqlite" if options.demo else default_workspace_path())
    shell = Shell(app, options)
    if not shell.open(path, first=True):
        return 2
    status = _exec(app, shell.window, options)
    shell.close()
    return status


class Shell:
    """Owns the open workspace and everything built on it (context, runtime, window), so
    "打开工作区" can switch workspaces in place: the old runtime's jobs stop, the old window
    closes, and the new workspace gets its own runtime and window, in the same process."""

    def __init__(self, app, options: LaunchOptions) -> None:  # type: ignore[no-untyped-def]
        self.app = app
        self.options = options
        self.ws: Any = None
        self.ui: Any = None
        self.window: Any = None

    def open(self, path: Path, *, first: bool = False) -> bool:
        import socket

        from PySide6.QtCore import QSettings
        from PySide6.QtWidgets import QMessageBox

        from desk.app.runtime import Runtime
        from desk.services.context import AppContext
        from desk.store import Workspace, WorkspaceError
        from desk.ui.bus import QtChangeBus
        from desk.ui.context import UiContext
        from desk.ui.feed import FeedHub
        from desk.ui.main_window import MainWindow
        from desk.ui.settings_dialog import load_persisted

        options = self.options
        try:
            ws = Workspace.open(path, create=options.create)
        except WorkspaceError as exc:
            log.error("cannot open workspace: %s", exc)
            QMessageBox.critical(self.window, "desk", exc.user_message)
            return False
        if not _fill_empty(self.app, ws, options, self.window):
            ws.close()
            return False
        demo = options.demo or ws.meta("demo_city") is not None
        settings = dict(options.settings)
        load_persisted(QSettings(), settings)
        if options.central_url:
            settings["central_url"] = options.central_url
            settings["central_token"] = options.central_token or ""
        settings["offline"] = options.offline
        ctx = AppContext(workspace=ws, demo=demo, settings=settings,
                         workstation=options.workstation or socket.gethostname())
        runtime = Runtime(ctx)
        current = self.ui.runtime.operator if self.ui is not None else None
        if current is not None:
            # Switching workspaces: the operator on duty stays on duty in the other one.
            runtime.sign_on(current, source="switch")
        elif not self._sign_on(runtime, interactive=_interactive(options)):
            ws.close()
            return False
        qbus = QtChangeBus(ws.bus)
        hub = FeedHub(runtime)
        ui = UiContext(ctx, qbus, hub, runtime=runtime)
        window = MainWindow(ui)
        window.workspace_switcher = lambda p: self.open(Path(p))
        if options.quit_after_s is not None or options.screenshot is not None:
            window.force_close = True
        window.show()
        # Jobs start once the window is up: the first minutes of a shift are spent looking at
        # the map, not waiting for the demo roster or the first watchdog pass.
        runtime.start()
        if demo:
            _plan_demo_roster_later(ws, window)
        old = (self.window, self.ui, self.ws)
        self.window, self.ui, self.ws = window, ui, ws
        if old[0] is not None:
            self._close(*old)
            log.info("switched workspace to %s", ws.path)
        return True

    def _sign_on(self, runtime, *, interactive: bool) -> bool:  # type: ignore[no-untyped-def]
        """Put an operator at the desk: the central's user for the token when there is one, the
        demo operator in the demo, else whoever the dialog names (the last one is suggested)."""
        from PySide6.QtCore import QSettings

        from desk.app.operators import DEMO_OPERATOR, Operator, OperatorError

        store = QSettings()
        suggested: Operator | None = None
        try:
            suggested = Operator.parse(str(store.value("operator/badge", "")),
                                       str(store.value("operator/name", "")),
                                       str(store.value("operator/role", "dispatcher")))
        except OperatorError:
            suggested = None
        central = _central_operator(runtime.ctx.settings)
        if central is not None:
            suggested = central
        if runtime.ctx.demo and suggested is None:
            suggested = DEMO_OPERATOR
        if not interactive:
            runtime.sign_on(suggested or DEMO_OPERATOR, source="auto")
            return True
        from desk.ui.operator_dialog import OperatorDialog

        dialog = OperatorDialog(self.window, suggested=suggested,
                                previous_note=runtime.operators.last_handover_note())
        if dialog.exec() != OperatorDialog.DialogCode.Accepted or dialog.operator is None:
            log.info("no operator signed on; not opening %s", runtime.ctx.workspace.path)
            return False
        operator = dialog.operator
        store.setValue("operator/badge", operator.badge)
        store.setValue("operator/name", operator.name)
        store.setValue("operator/role", operator.role.value)
        runtime.sign_on(operator, source="central" if central is not None else "manual")
        return True

    def _close(self, window, ui, ws) -> None:  # type: ignore[no-untyped-def]
        if window is not None:
            window.force_close = True
            window.close()
            window.deleteLater()  # its pages must go before their profile does
        if ui is not None:
            ui.runtime.sign_off()
            ui.feed.shutdown()
            ui.qbus.detach()
        if ws is not None:
            ws.close()

    def close(self) -> None:
        from PySide6.QtCore import QCoreApplication, QEvent

        self._close(self.window, self.ui, self.ws)
        self.window, self.ui, self.ws = None, None, None
        # Pages must die before their profile, and both before the QApplication.
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _interactive(options: LaunchOptions) -> bool:
    """Whether a person is there to answer dialogs (not a screenshot run or a timed run)."""
    return options.screenshot is None and options.quit_after_s is None


def _central_operator(settings: dict[str, object]):  # type: ignore[no-untyped-def]
    """The token's user from desk-central's /whoami, when a central is configured and reachable."""
    url = str(settings.get("central_url") or "").strip()
    token = str(settings.get("central_token") or "").strip()
    if not url or not token or settings.get("offline"):
        return None
    from desk.app.operators import Operator, OperatorError

    try:
        import httpx

        response = httpx.get(url.rstrip("/") + "/whoami", headers={"Authorization": f"Bearer {token}"},
                             timeout=3.0, verify=str(settings.get("central_ca") or "") or True)
        response.raise_for_status()
        who = response.json()
        name = str(who.get("user") or who.get("name") or "")
        badge = str(who.get("badge") or who.get("user_id") or name)
        role = str(who.get("role") or "dispatcher")
        return Operator.parse(badge if badge else name, name, role if role in (
            "dispatcher", "station_chief", "trainer") else "dispatcher")
    except (OperatorError, Exception) as exc:  # any failure (network, JSON) only means "ask"
        log.info("central user unknown (%s); asking the operator", exc)
        return None


def _fill_empty(app, ws, options: LaunchOptions, parent) -> bool:  # type: ignore[no-untyped-def]
    """An empty workspace: the demo city in --demo, else the offer to generate it."""
    from PySide6.QtWidgets import QMessageBox

    empty = ws.count("cameras") == 0 and ws.count("units") == 0
    if empty and options.demo:
        from desk.ui.demo_loader import generate_demo_with_progress

        return bool(generate_demo_with_progress(ws.path))
    if empty and options.screenshot is None and options.quit_after_s is None:
        answer = QMessageBox.question(
            parent, "desk",
            app.translate(
                "App",
                "工作区为空。是否生成郑州演示城市（9,432 个视频点位、415 个积水监测点、约 1,000 名警力）？",
            ),
        )
        if answer == QMessageBox.StandardButton.Yes:
            from desk.ui.demo_loader import generate_demo_with_progress

            generate_demo_with_progress(ws.path)
    return True


def _plan_demo_roster_later(ws, window) -> None:  # type: ignore[no-untyped-def]
    """Today's demo roster, planned after the window shows (about a second, once a day). The
    window is the timer's context: a workspace switched away before it fires is left alone."""
    from PySide6.QtCore import QTimer

    def plan() -> None:
        try:
            from desk.demo.roster import plan_demo_roster

            plan_demo_roster(ws)
        except Exception:
            log.exception("demo roster could not be planned")

    QTimer.singleShot(1500, window, plan)


class _ErrorRelay:
    """Shows unhandled exceptions in a dialog on the GUI thread (they are logged already)."""

    def __init__(self, app) -> None:  # type: ignore[no-untyped-def]
        from PySide6.QtCore import QObject, Qt, Signal

        class Relay(QObject):
            sig = Signal(str)

        self.relay = Relay(app)
        self.relay.sig.connect(self.show, Qt.ConnectionType.QueuedConnection)
        self.shown = 0
        self.last = ""

    def show(self, summary: str) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QApplication, QMessageBox

        from desk.app.logfile import current_log_path

        self.shown += 1
        self.last = summary
        if self.shown > 3:  # a loop of errors must not bury the desk in dialogs
            return
        where = current_log_path()
        box = QMessageBox(QMessageBox.Icon.Critical, "desk",
                          QApplication.translate("App", "程序出现错误，已记录到日志：") + f"\n{summary}"
                          + (f"\n\n{where}" if where else ""),
                          parent=QApplication.activeWindow())
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()


def _install_error_dialog(app) -> _ErrorRelay:  # type: ignore[no-untyped-def]
    from desk.app.logfile import on_unhandled

    relay = _ErrorRelay(app)
    on_unhandled(relay.relay.sig.emit)
    app._desk_error_relay = relay
    return relay


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
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QMessageBox

    from desk.drill.scenario import ScenarioError
    from desk.drill.session import DrillSession
    from desk.store import WorkspaceError
    from desk.ui.bus import QtChangeBus
    from desk.ui.context import UiContext
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
    from desk.app.operators import Operator, OperatorRole
    from desk.app.runtime import Runtime

    ctx = session.app_context(actor="trainee")
    runtime = Runtime(ctx)
    session.attach_runtime(runtime)
    runtime.sign_on(Operator("trainee", "学员", OperatorRole.TRAINEE), source="drill")
    qbus = QtChangeBus(session.workspace.bus)
    hub = FeedHub(runtime)
    ui = UiContext(ctx, qbus, hub, runtime=runtime)
    window = MainWindow(ui)
    window.force_close = options.quit_after_s is not None or options.screenshot is not None
    add_drill_controls(window, ui, session)
    window.show()
    runtime.start()
    status = _exec(app, window, options)
    hub.shutdown()
    qbus.detach()
    session.close()
    return status


def add_drill_controls(window: Any, ui: Any, session: Any) -> Any:
    """The drill mark across the window and the trainer's controls in their own dock."""
    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtWidgets import QDockWidget

    from desk.ui.drill.controls import DrillBanner, DrillControls

    window.set_banner(DrillBanner(session.scenario.title, window))
    dock = QDockWidget(QCoreApplication.translate("Docks", "演练控制"), window)
    dock.setObjectName("dock_drill")
    controls = DrillControls(ui, session, dock)
    dock.setWidget(controls)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    dock.raise_()
    return controls


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
