"""The control-room main window: docks from the panel registry, actions from the action table,
a status bar with workspace, clock and sync state, and the layout remembered between runs."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QByteArray, QCoreApplication, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSizePolicy,
    QToolBar,
    QWidget,
)

import desk
from desk.ui.actions import ACTIONS, ActionSpec
from desk.ui.context import UiContext
from desk.ui.panels.registry import DOCKS, DockSpec

log = logging.getLogger(__name__)

SETTINGS_GEOMETRY = "main_window/geometry"
SETTINGS_STATE = "main_window/state"
#: Bump when the dock set changes so an old saved layout is not applied to a different window.
LAYOUT_VERSION = 1


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
        self.panels: dict[str, QWidget] = {}
        self.actions_by_id: dict[str, QAction] = {}
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
        # The rainstorm banner (and the drill mark) get a full-width row of their own.
        self.addToolBarBreak(Qt.ToolBarArea.TopToolBarArea)
        self.banner_bar = QToolBar(self.tr("预警横幅"), self)
        self.banner_bar.setObjectName("bannerBar")
        self.banner_bar.setMovable(False)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.banner_bar)
        self.banner_bar.hide()

        self._build_docks()
        self._build_actions()
        self._build_status_bar()
        self._default_state = self.saveState(LAYOUT_VERSION)
        self.restore_layout()
        ui.qbus.sig_changed.connect(self._refresh_enabled)
        ui.sig_status_message.connect(self._show_status_message)

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
            panel = self._make_panel(spec)
            dock.setWidget(panel)
            self.addDockWidget(spec.area, dock)
            self.docks[spec.id] = dock
            self.panels[spec.id] = panel
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
        self.resizeDocks(
            [d for d in (self.docks.get("map"), right_first) if d is not None],
            [1100, 480],
            Qt.Orientation.Horizontal,
        )
        if "map" in self.docks and bottom_first is not None:
            self.resizeDocks([self.docks["map"], bottom_first], [640, 280], Qt.Orientation.Vertical)

    def _make_panel(self, spec: DockSpec) -> QWidget:
        try:
            return spec.load()(self.ui, None)  # type: ignore[call-arg]
        except Exception:
            # A broken panel must not take the control room down with it.
            log.exception("panel %s failed to load", spec.id)
            label = QLabel(self.tr("面板加载失败：%1，详情见日志").replace("%1", spec.id))
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            return label

    def _build_actions(self) -> None:
        handlers: dict[str, Callable[[], None]] = {
            "workspace.open": self.open_workspace,
            "workspace.demo": self.generate_demo,
            "app.quit": self.close,
            "view.reset_layout": self.reset_layout,
            "view.fullscreen": self.toggle_fullscreen,
            "help.about": self.show_about,
        }
        menus: dict[str, object] = {}
        for spec in ACTIONS:
            action = self._make_action(spec, handlers[spec.id])
            menu_title = translate("Menus", spec.menu)
            if menu_title not in menus:
                menus[menu_title] = self.menuBar().addMenu(menu_title)
            menus[menu_title].addAction(action)  # type: ignore[attr-defined]
            if spec.id == "view.reset_layout":
                view_menu = menus[menu_title]
                for dock_spec in DOCKS:
                    toggle = self.docks[dock_spec.id].toggleViewAction()
                    toggle.setShortcut(QKeySequence(dock_spec.shortcut))
                    toggle.setObjectName(f"view.dock.{dock_spec.id}")
                    self.actions_by_id[f"view.dock.{dock_spec.id}"] = toggle
                    view_menu.addAction(toggle)  # type: ignore[attr-defined]
                    self.toolbar.addAction(toggle)
                view_menu.addSeparator()  # type: ignore[attr-defined]
        self._refresh_enabled()

    def _make_action(self, spec: ActionSpec, handler: Callable[[], None]) -> QAction:
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
        """Put a full-width widget (rain warning banner, drill mark) under the toolbar."""
        # A toolbar hands spare width to widgets with an expanding policy: the band spans the window.
        widget.setSizePolicy(QSizePolicy.Policy.Expanding, widget.sizePolicy().verticalPolicy())
        self.banner_bar.addWidget(widget)
        self.banner_bar.show()

    def open_workspace(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("打开工作区"), str(self.ui.workspace.path.parent),
            self.tr("desk 工作区 (*.sqlite *.db);;所有文件 (*)"),
        )
        if path:
            QMessageBox.information(
                self, self.tr("打开工作区"),
                self.tr("请以 desk --db 指定的路径重新启动以打开该工作区：") + f"\n{path}",
            )

    def generate_demo(self) -> None:
        from desk.ui.demo_loader import generate_demo_with_progress

        if generate_demo_with_progress(self.ui.workspace.path, self):
            self.ui.workspace.bus.publish(
                _all_tables_changed(self.ui.workspace.db.table_names())
            )

    def reset_layout(self) -> None:
        self.restoreState(self._default_state, LAYOUT_VERSION)
        for dock in self.docks.values():
            dock.show()

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

    def restore_layout(self) -> None:
        geometry = self.settings.value(SETTINGS_GEOMETRY)
        state = self.settings.value(SETTINGS_STATE)
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        if isinstance(state, QByteArray) and not self.restoreState(state, LAYOUT_VERSION):
            log.info("saved window layout ignored (different layout version)")

    def save_layout(self) -> None:
        self.settings.setValue(SETTINGS_GEOMETRY, self.saveGeometry())
        self.settings.setValue(SETTINGS_STATE, self.saveState(LAYOUT_VERSION))
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        self._clock.stop()
        super().closeEvent(event)


def _all_tables_changed(tables: list[str]):  # type: ignore[no-untyped-def]
    from desk.store.events import ChangeSet

    return ChangeSet({t: frozenset() for t in tables}, "demo")
