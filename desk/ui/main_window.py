"""The control-room main window: docks from the panel registry, actions from the action table,
a status bar with workspace, clock and sync state, and the layout remembered between runs."""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QByteArray, QCoreApplication, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMenuBar,
    QMessageBox,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

import desk
from desk.ui.actions import ACTIONS, ActionSpec
from desk.ui.context import UiContext
from desk.ui.panels.registry import BANNERS, DOCKS, DockSpec, load_factory
from desk.ui.video.owner import install_video

log = logging.getLogger(__name__)

SETTINGS_GEOMETRY = "main_window/geometry"
SETTINGS_STATE = "main_window/state"
#: Bump when the dock set changes so an old saved layout is not applied to a different window.
LAYOUT_VERSION = 2
#: Panels built with the window; the others are built just after it shows.
EAGER_PANELS = frozenset({"map"})
#: Build the other panels this long after showing even when the map page has not said it loaded.
PANEL_FALLBACK_MS = 8000


def translate(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)


class MainWindow(QMainWindow):
    """Built from data (``DOCKS``, ``ACTIONS``); panels get the UiContext and nothing else."""

    def __init__(self, ui: UiContext, settings: QSettings | None = None) -> None:
        super().__init__()
        self.ui = ui
        self.settings = settings or QSettings()
        self.setObjectName("deskMainWindow")
        self.docks: dict[str, QDockWidget] = {}
        self.panels = _Panels(self)
        self._closing = False
        self._panels_scheduled = False
        self._panels_started = False
        self.actions_by_id: dict[str, QAction] = {}
        #: Set by the application shell: opens another workspace in place (``open_workspace``).
        self.workspace_switcher: Callable[[str], bool] | None = None
        #: Asks a yes/no question; tests replace it (a modal box would block them).
        self.confirm: Callable[[str, str], bool] = self._confirm
        #: Close without asking (the shell switching workspaces, --quit-after, tests).
        self.force_close = False
        self._update_title()
        self.resize(1600, 960)

        # Docks fill the window; the central widget is only a placeholder Qt requires.
        placeholder = QWidget(self)
        placeholder.hide()
        self.setCentralWidget(placeholder)
        self.setDockNestingEnabled(True)
        self.setDockOptions(
            QMainWindow.DockOption.AllowNestedDocks
            | QMainWindow.DockOption.AllowTabbedDocks
            | QMainWindow.DockOption.AnimatedDocks
        )

        self.toolbar = QToolBar(self.tr("主工具栏"), self)
        self.toolbar.setObjectName("mainToolbar")
        self.toolbar.setMovable(False)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)
        # The menu bar and, under it, full-width bands (rain warning, drill mark) share the menu
        # widget slot, so a band spans the whole window above everything else. Bands hide
        # themselves when they have nothing to say and the column closes up around them.
        top = QWidget(self)
        column = QVBoxLayout(top)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        self.menu_bar = QMenuBar(top)
        column.addWidget(self.menu_bar)
        self.banner_host = QWidget(top)
        self.banner_host.setObjectName("bannerHost")
        self._banner_column = QVBoxLayout(self.banner_host)
        self._banner_column.setContentsMargins(0, 0, 0, 0)
        self._banner_column.setSpacing(0)
        column.addWidget(self.banner_host)
        self.setMenuWidget(top)

        self._build_docks()
        self._build_banners()
        self._build_actions()
        self._build_status_bar()
        self._default_state = self.saveState(LAYOUT_VERSION)
        self._layout_restored = self.restore_layout()
        ui.qbus.sig_changed.connect(self._refresh_enabled)
        self.video = install_video(ui, self)  # opens video for every panel's sig_video_requested
        ui.sig_status_message.connect(self._show_status_message)
        ui.sig_dispatch_requested.connect(self.open_dispatch)

    # -- construction --------------------------------------------------------------------------

    def _build_docks(self) -> None:
        right_first: QDockWidget | None = None
        bottom_first: QDockWidget | None = None
        for spec in DOCKS:
            dock = QDockWidget(translate("Docks", spec.title), self)
            dock.setObjectName(f"dock_{spec.id}")
            dock.setFeatures(
                QDockWidget.DockWidgetFeature.DockWidgetMovable
                | QDockWidget.DockWidgetFeature.DockWidgetFloatable
                | QDockWidget.DockWidgetFeature.DockWidgetClosable
            )
            self.docks[spec.id] = dock
            if spec.id in EAGER_PANELS:
                self._install_panel(spec)
            else:
                # Built after the window shows (or at once when its tab is opened): the map must
                # not wait for every panel (issue 17 measured 10 s to a usable map).
                waiting = QLabel(self.tr("加载中…"))
                waiting.setAlignment(Qt.AlignmentFlag.AlignCenter)
                dock.setWidget(waiting)
                self.panels.pending[spec.id] = spec
                dock.visibilityChanged.connect(
                    lambda visible, pid=spec.id: self._panel_shown(pid) if visible else None)
            self.addDockWidget(spec.area, dock)
            if spec.area == Qt.DockWidgetArea.RightDockWidgetArea:
                if right_first is None:
                    right_first = dock
                else:
                    self.tabifyDockWidget(right_first, dock)
            elif spec.area == Qt.DockWidgetArea.BottomDockWidgetArea:
                if bottom_first is None:
                    bottom_first = dock
                else:
                    self.tabifyDockWidget(bottom_first, dock)
        if right_first is not None:
            right_first.raise_()
        if bottom_first is not None:
            bottom_first.raise_()
        self._right_first = right_first
        self._bottom_first = bottom_first

    def _install_panel(self, spec: DockSpec) -> QWidget:
        panel = self._make_panel(spec)
        self.docks[spec.id].setWidget(panel)
        dict.__setitem__(self.panels, spec.id, panel)
        return panel

    def build_pending_panels(self) -> None:
        """Build every panel not built yet (the self-test and tests that look at all of them)."""
        for panel_id in list(self.panels.pending):
            self.panels.build(panel_id)

    def _panel_shown(self, panel_id: str) -> None:
        # While the window first shows, the map goes first and the chain builds the rest; after
        # that, a tab the dispatcher opens is built at once.
        if self._panels_started:
            self.panels.build(panel_id)

    def _start_panel_chain(self, *_: object) -> None:
        if self._panels_started:
            return
        self._panels_started = True
        QTimer.singleShot(0, self._build_next_panel)

    def _build_next_panel(self) -> None:
        """One pending panel per event-loop turn after the window shows, so input and the map's
        first paint get their turn in between."""
        if self._closing or not self.panels.pending:
            return
        self.panels.build(next(iter(self.panels.pending)))
        if self.panels.pending:
            QTimer.singleShot(0, self._build_next_panel)

    def apply_default_proportions(self) -> None:
        """The map gets about two thirds of the width where the side panels' minimum widths allow;
        needs the window's real size, so it runs once it is shown."""
        width, height = max(self.width(), 800), max(self.height(), 600)
        map_dock = self.docks.get("map")
        if map_dock is None:
            return
        # Sizing the side areas alone lets the map (left area) take all the rest.
        if self._right_first is not None:
            self.resizeDocks([self._right_first], [int(width * 0.34)], Qt.Orientation.Horizontal)
        if self._bottom_first is not None:
            self.resizeDocks([self._bottom_first], [int(height * 0.30)], Qt.Orientation.Vertical)

    def _build_banners(self) -> None:
        self.banners: list[QWidget] = []
        for factory in BANNERS:
            try:
                banner = load_factory(factory)(self.ui, self)
            except Exception:
                log.exception("banner %s failed to load", factory)
                continue
            self.banners.append(banner)
            self.set_banner(banner)

    def _make_panel(self, spec: DockSpec) -> QWidget:
        try:
            return spec.load()(self.ui, None)
        except Exception:
            # A broken panel must not take the control room down with it.
            log.exception("panel %s failed to load", spec.id)
            label = QLabel(self.tr("面板加载失败：%1，详情见日志").replace("%1", spec.id))
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            return label

    def _build_actions(self) -> None:
        handlers: dict[str, Callable[[], object]] = {
            "workspace.open": self.open_workspace,
            "workspace.demo": self.generate_demo,
            "app.settings": self.edit_settings,
            "app.quit": self.request_quit,
            "app.handover": self.handover,
            "help.log": self.open_log,
            "view.reset_layout": self.reset_layout,
            "view.fullscreen": self.toggle_fullscreen,
            "help.about": self.show_about,
        }
        menus: dict[str, object] = {}
        for spec in ACTIONS:
            action = self._make_action(spec, handlers[spec.id])
            menu_title = translate("Menus", spec.menu)
            if menu_title not in menus:
                menus[menu_title] = self.menu_bar.addMenu(menu_title)
            menus[menu_title].addAction(action)  # type: ignore[attr-defined]
            if spec.id == "view.reset_layout":
                view_menu = menus[menu_title]
                for dock_spec in DOCKS:
                    # A toolbar button brings its panel forward; it never hides it (one click
                    # used to remove the map). A panel is closed with its own close button.
                    show = QAction(translate("Docks", dock_spec.title), self)
                    show.setShortcut(QKeySequence(dock_spec.shortcut))
                    show.setToolTip(f"{show.text()} ({dock_spec.shortcut})")
                    show.setObjectName(f"view.dock.{dock_spec.id}")
                    show.triggered.connect(lambda *_, d=dock_spec.id: self.show_panel(d))
                    self.actions_by_id[f"view.dock.{dock_spec.id}"] = show
                    view_menu.addAction(show)  # type: ignore[attr-defined]
                    self.toolbar.addAction(show)
                view_menu.addSeparator()  # type: ignore[attr-defined]
        self._refresh_enabled()

    def _make_action(self, spec: ActionSpec, handler: Callable[[], object]) -> QAction:
        action = QAction(translate("Actions", spec.title), self)
        action.setObjectName(spec.id)
        if spec.shortcut:
            action.setShortcut(QKeySequence(spec.shortcut))
            action.setToolTip(f"{action.text()} ({spec.shortcut})")
        action.setCheckable(spec.checkable)
        action.triggered.connect(lambda *_: handler())
        self.actions_by_id[spec.id] = action
        if spec.toolbar:
            self.toolbar.addAction(action)
        return action

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.workspace_label = QLabel(self)
        self.workspace_label.setObjectName("workspaceLabel")
        self.workspace_label.setText(self.tr("工作区：") + self.ui.workspace.path.name)
        self.workspace_label.setToolTip(str(self.ui.workspace.path))
        bar.addPermanentWidget(self.workspace_label)
        self.sync_widget = self._make_sync_widget()
        bar.addPermanentWidget(self.sync_widget)
        from desk.ui.runtime_status import JobHealthWidget, OperatorLabel

        self.jobs_widget = JobHealthWidget(self.ui, self)
        bar.addPermanentWidget(self.jobs_widget)
        self.operator_label = OperatorLabel(self.ui, self)
        bar.addPermanentWidget(self.operator_label)
        self.clock_label = QLabel(self)
        self.clock_label.setObjectName("clockLabel")
        bar.addPermanentWidget(self.clock_label)
        self._clock = QTimer(self)
        self._clock.timeout.connect(self._tick)
        self._clock.start(1000)
        self._tick()

    def _make_sync_widget(self) -> QWidget:
        try:
            from desk.ui.sync.status import SyncStatusWidget
        except ImportError:
            label = QLabel(self.tr("本地模式"), self)
            label.setObjectName("syncLabel")
            return label
        try:
            return SyncStatusWidget(self.ui, self)
        except Exception:
            log.exception("sync status widget failed")
            label = QLabel(self.tr("同步不可用"), self)
            label.setObjectName("syncLabel")
            return label

    # -- behaviour -----------------------------------------------------------------------------

    def _tick(self) -> None:
        now = self.ui.app.clock()
        self.clock_label.setText(time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(now)))

    def _update_title(self) -> None:
        title = self.tr("交管指挥桌面") + f" — {self.ui.workspace.path.name}"
        if self.ui.app.drill:
            title = "【演练 DRILL】" + title
        self.setWindowTitle(title)

    def workspace_is_empty(self) -> bool:
        return self.ui.workspace.count("cameras") == 0 and self.ui.workspace.count("units") == 0

    def _refresh_enabled(self, *_: object) -> None:
        for spec in ACTIONS:
            if spec.enabled_when:
                predicate = getattr(self, spec.enabled_when)
                self.actions_by_id[spec.id].setEnabled(bool(predicate()))

    def _show_status_message(self, text: str, ms: int) -> None:
        self.statusBar().showMessage(text, ms)

    def set_banner(self, widget: QWidget) -> None:
        """Put a full-width band (rain warning banner, drill mark) under the menu bar."""
        widget.setParent(self.banner_host)
        self._banner_column.addWidget(widget)

    def show_panel(self, panel_id: str) -> None:
        """Show, raise and focus a panel (toolbar buttons F2…F7)."""
        dock = self.docks.get(panel_id)
        if dock is None:
            return
        dock.show()
        dock.raise_()
        widget = dock.widget()
        if widget is not None:
            widget.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def open_workspace(self, path: str | None = None) -> bool:
        """Switch to another workspace file in place: the shell stops this workspace's jobs,
        closes it and opens the other one in a new window. True when it switched."""
        if path is None:
            path, _ = QFileDialog.getOpenFileName(
                self, self.tr("打开工作区"), str(self.ui.workspace.path.parent),
                self.tr("desk 工作区 (*.sqlite *.db);;所有文件 (*)"),
            )
        if not path:
            return False
        if self.workspace_switcher is None:
            QMessageBox.information(
                self, self.tr("打开工作区"),
                self.tr("请以 desk --db 指定的路径重新启动以打开该工作区：") + f"\n{path}",
            )
            return False
        return bool(self.workspace_switcher(path))

    def handover(self) -> bool:
        """交接班: the next operator signs on with the outgoing one's handover note."""
        from desk.ui.operator_dialog import OperatorDialog

        runtime = self.ui.runtime
        dialog = OperatorDialog(self, current=runtime.operator, handover=True)
        self.handover_dialog = dialog
        if dialog.exec() != OperatorDialog.DialogCode.Accepted or dialog.operator is None:
            return False
        runtime.handover(dialog.operator, dialog.handover_note)
        self.ui.sig_status_message.emit(
            self.tr("交接班完成，当前值班员：%1").replace("%1", dialog.operator.name), 8000)
        return True

    def open_log(self) -> None:
        """帮助 → 日志: open the log file with the desktop's viewer (its path is shown too)."""
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        from desk.app.logfile import current_log_path

        path = current_log_path()
        if path is None:
            QMessageBox.information(self, self.tr("日志"), self.tr("本次运行未写日志文件（日志输出到终端）"))
            return
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            QMessageBox.information(self, self.tr("日志"), self.tr("日志文件：") + str(path))

    def generate_demo(self) -> None:
        from desk.ui.demo_loader import generate_demo_with_progress

        if generate_demo_with_progress(self.ui.workspace.path, self):
            self.ui.workspace.bus.publish(
                _all_tables_changed(self.ui.workspace.db.table_names())
            )

    def open_dispatch(self, entity: str, entity_id: str, lat: float, lon: float, label: str) -> None:
        """派警 to whatever a panel asked for; non-modal so the map stays usable beside it."""
        from desk.services.dispatch import Target
        from desk.ui.dispatch.dialog import DispatchDialog

        self.dispatch_dialog = DispatchDialog(self.ui, Target(entity, entity_id, lat, lon, label), self)
        self.dispatch_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dispatch_dialog.show()
        self.dispatch_dialog.raise_()

    def edit_settings(self) -> dict[str, object]:
        """Open 设置; apply, save and announce what changed. Returns the changes (tests)."""
        from desk.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.ui.app.settings, self)
        if dialog.exec() != SettingsDialog.DialogCode.Accepted:
            return {}
        changes = dialog.changes()
        self.apply_settings(changes)
        return changes

    def apply_settings(self, changes: dict[str, object]) -> None:
        from desk.ui.settings_dialog import persist

        if not changes:
            return
        self.ui.app.settings.update(changes)
        persist(self.settings, self.ui.app.settings)
        log.info("settings changed: %s", changes)
        self.ui.sig_settings_changed.emit(sorted(changes))

    def reset_layout(self) -> None:
        self.restoreState(self._default_state, LAYOUT_VERSION)
        for dock in self.docks.values():
            dock.show()
        self.apply_default_proportions()

    def toggle_fullscreen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()

    def show_about(self) -> None:
        versions = self.ui.workspace.schema_versions()
        schema = "; ".join(f"{k}: {len(v)}" for k, v in sorted(versions.items()))
        QMessageBox.about(
            self, self.tr("关于 desk"),
            self.tr("交管指挥桌面 desk") + f" {desk.__version__}\n"
            + self.tr("工作区：") + f"{self.ui.workspace.path}\n"
            + self.tr("数据结构版本：") + schema,
        )

    # -- layout persistence --------------------------------------------------------------------

    def restore_layout(self) -> bool:
        """Apply the saved geometry and dock layout; False when there was none to apply."""
        geometry = self.settings.value(SETTINGS_GEOMETRY)
        state = self.settings.value(SETTINGS_STATE)
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        if not isinstance(state, QByteArray):
            return False
        if not self.restoreState(state, LAYOUT_VERSION):
            log.info("saved window layout ignored (different layout version)")
            return False
        return True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._layout_restored:
            self._layout_restored = True
            QTimer.singleShot(0, self.apply_default_proportions)
        if self.panels.pending and not self._panels_scheduled:
            self._panels_scheduled = True
            # The other panels are built once the map has drawn (or after a while if the page is
            # slow): building them is GUI-thread work that would delay the map's first paint.
            map_panel = self.panels.get("map")
            loaded = getattr(map_panel, "sig_loaded", None)
            if loaded is not None and getattr(map_panel, "loaded_info", None) is None:
                loaded.connect(self._start_panel_chain)
                QTimer.singleShot(PANEL_FALLBACK_MS, self._start_panel_chain)
            else:
                QTimer.singleShot(0, self._start_panel_chain)

    def save_layout(self) -> None:
        self.settings.setValue(SETTINGS_GEOMETRY, self.saveGeometry())
        self.settings.setValue(SETTINGS_STATE, self.saveState(LAYOUT_VERSION))
        self.settings.sync()

    def _confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text)
        return answer == QMessageBox.StandardButton.Yes

    def open_red_alerts(self) -> int:
        from desk.services.alerts import AlertService

        try:
            alerts = self.ui.app.service(AlertService).open_alerts()
        except Exception:  # closing must work even when the alert store does not
            log.exception("could not count open alerts before closing")
            return 0
        return sum(1 for a in alerts if str(getattr(a.severity, "value", a.severity)) == "red")

    def request_quit(self) -> bool:
        """退出 (Ctrl+Q): asks first while red alerts are open. True when the window closes."""
        if not self._may_quit():
            return False
        self.force_close = True
        return bool(self.close())

    def _may_quit(self) -> bool:
        red = self.open_red_alerts()
        return not red or self.confirm(
            self.tr("退出"),
            self.tr("还有 %1 条红色告警未处置。确定退出 desk 吗？").replace("%1", str(red)))

    def closeEvent(self, event: QCloseEvent) -> None:
        # The window's own close button asks like 退出 does; a close from code (the shell
        # switching workspaces, --quit-after, tests) does not.
        if not self.force_close and event.spontaneous() and not self._may_quit():
            event.ignore()
            return
        self.save_layout()
        self.shutdown_panels()
        super().closeEvent(event)

    def shutdown_panels(self) -> None:
        """Stop every panel's timers and subscriptions before the workspace goes away.

        Panels opt in with a ``shutdown()`` (or ``teardown()``) method; Qt would drop signal
        connections on destruction anyway, but timers can fire between close and destruction."""
        first = not self._closing
        self._closing = True
        self._clock.stop()
        # Queued change sets may still arrive after the workspace closes (a workspace switch).
        for signal, slot in ((self.ui.qbus.sig_changed, self._refresh_enabled),
                             (self.ui.sig_status_message, self._show_status_message),
                             (self.ui.sig_dispatch_requested, self.open_dispatch)) if first else ():
            with contextlib.suppress(RuntimeError, TypeError):
                signal.disconnect(slot)
        stop_sync = getattr(self.sync_widget, "shutdown", None)
        if callable(stop_sync):
            stop_sync()
        self.video.shutdown()
        for panel_id, panel in self.panels.items():
            stop = getattr(panel, "shutdown", None) or getattr(panel, "teardown", None)
            if callable(stop):
                try:
                    stop()
                except Exception:
                    log.exception("panel %s failed to shut down", panel_id)


class _Panels(dict[str, QWidget]):
    """The built panels by id. Asking for one that is still pending builds it there and then,
    so code that needs a panel never sees the placeholder."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.window = window
        self.pending: dict[str, DockSpec] = {}

    def build(self, panel_id: str) -> QWidget | None:
        spec = self.pending.pop(panel_id, None)
        if spec is None:
            return self.get(panel_id)
        return self.window._install_panel(spec)

    def __missing__(self, panel_id: str) -> QWidget:
        panel = self.build(panel_id)
        if panel is None:
            raise KeyError(panel_id)
        return panel


def _all_tables_changed(tables: list[str]):  # type: ignore[no-untyped-def]
    from desk.store.events import ChangeSet

    return ChangeSet({t: frozenset() for t in tables}, "demo")
