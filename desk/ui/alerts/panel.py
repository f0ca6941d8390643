"""The alert inbox (告警): every open alert, most severe and newest first, with keyboard actions,
its history, nearest cameras, and a looping sound for unacknowledged red alerts."""

from __future__ import annotations

import logging

from PySide6.QtCore import QItemSelectionModel, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desk.domain.alerts import Alert, AlertState, AlertTransitionError
from desk.services.alerts import AlertService
from desk.services.watchdog import Watchdog
from desk.store.events import ChangeSet
from desk.ui.alerts.model import AlertTableModel, clock_text
from desk.ui.alerts.prompt import TextPrompt, ask_text
from desk.ui.alerts.sound import AlertSound
from desk.ui.context import UiContext
from desk.ui.i18n import QT_TRANSLATE_NOOP
from desk.ui.water.camera import NearestCamerasWidget

log = logging.getLogger(__name__)

#: Keyboard actions (id, title, shortcut). Documented in resources/docs/water.md.
ACTIONS = (
    ("alerts.acknowledge", QT_TRANSLATE_NOOP("AlertInboxPanel", "确认"), "Return"),
    ("alerts.dispatch", QT_TRANSLATE_NOOP("AlertInboxPanel", "派警…"), "D"),
    ("alerts.assign", QT_TRANSLATE_NOOP("AlertInboxPanel", "指派…"), "S"),
    ("alerts.resolve", QT_TRANSLATE_NOOP("AlertInboxPanel", "处置完毕…"), "R"),
    ("alerts.locate", QT_TRANSLATE_NOOP("AlertInboxPanel", "在地图上定位"), "L"),
    ("alerts.cameras", QT_TRANSLATE_NOOP("AlertInboxPanel", "附近摄像机"), "C"),
    ("alerts.video", QT_TRANSLATE_NOOP("AlertInboxPanel", "视频"), "V"),
    ("alerts.mute", QT_TRANSLATE_NOOP("AlertInboxPanel", "静音本工作站"), "M"),
)


class AlertInboxPanel(QWidget):
    """``Panel(ui, parent)``. Reads through ``AlertService``; refreshes on ChangeSets touching
    ``alerts``."""

    sig_selection_changed = Signal(str)
    """The selected alert id ("" for none)."""

    def __init__(self, ui: UiContext, parent: QWidget | None = None,
                 settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self.ui = ui
        self.service = ui.app.service(AlertService)
        self.sound = AlertSound(settings, self)
        self.model = AlertTableModel(self)
        self.ask_text: TextPrompt = ask_text

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        head = QHBoxLayout()
        self.summary = QLabel(self)
        self.summary.setObjectName("alertSummary")
        head.addWidget(self.summary, 1)
        self.sound_label = QLabel(self)
        head.addWidget(self.sound_label)
        self.mute_button = QPushButton(self)
        self.mute_button.setCheckable(True)
        self.mute_button.toggled.connect(self.sound.set_muted)
        head.addWidget(self.mute_button)
        layout.addLayout(head)

        split = QSplitter(Qt.Orientation.Vertical, self)
        self.table = QTableView(split)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        hh.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._on_selected())

        self.tabs = QTabWidget(split)
        detail = QWidget()
        dl = QVBoxLayout(detail)
        self.detail_label = QLabel(detail)
        self.detail_label.setWordWrap(True)
        dl.addWidget(self.detail_label)
        self.history = QListWidget(detail)
        dl.addWidget(self.history, 1)
        buttons = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        self.actions_by_id: dict[str, QAction] = {}
        for action_id, title, shortcut in ACTIONS:
            act = QAction(self.tr(title), self)
            act.setShortcut(QKeySequence(shortcut))
            act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            act.setObjectName(action_id)
            # triggered(bool) must not reach the handlers: their optional argument is the note.
            handler = getattr(self, "_do_" + action_id.split(".")[1])
            act.triggered.connect(lambda _checked=False, h=handler: h())
            self.addAction(act)
            self.actions_by_id[action_id] = act
            if action_id != "alerts.mute":
                b = QPushButton(f"{self.tr(title)} ({shortcut.replace('Return', 'Enter')})", detail)
                b.clicked.connect(act.trigger)
                buttons.addWidget(b)
                self.buttons[action_id] = b
        dl.addLayout(buttons)
        self.tabs.addTab(detail, self.tr("详情与记录"))
        self.cameras = NearestCamerasWidget(ui.workspace, self.tabs)
        self.tabs.addTab(self.cameras, self.tr("附近摄像机"))
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout.addWidget(split, 1)

        self.sound.sig_state_changed.connect(self._show_sound_state)
        ui.qbus.sig_changed.connect(self._on_changes)
        self.refresh()
        # The watchdog raises what no feature owns (units offline/stale, cameras offline, empty
        # published posts). First run after the feed has had time to deliver fresh positions.
        self._watchdog_timer = QTimer(self)
        self._watchdog_timer.setInterval(int(ui.app.settings.get("alerts.watchdog_ms", 30_000)))
        self._watchdog_timer.timeout.connect(self.run_watchdog)
        self._watchdog_timer.start()
        QTimer.singleShot(int(ui.app.settings.get("alerts.watchdog_first_ms", 15_000)),
                          self.run_watchdog)

    def run_watchdog(self) -> None:
        if not self._watchdog_timer.isActive():
            return  # shut down
        try:
            self.ui.app.service(Watchdog).check()
        except Exception:
            log.exception("watchdog check failed")

    def shutdown(self) -> None:
        self._watchdog_timer.stop()

    # -- refreshing ----------------------------------------------------------------------------

    def _on_changes(self, changes: ChangeSet) -> None:
        if changes.touches("alerts"):
            self.refresh()

    def refresh(self) -> None:
        current = self.selected_alert()
        alerts = self.service.open_alerts()
        self.model.set_alerts(alerts)
        keep = self.model.row_of(current.id) if current else -1
        if keep < 0 and alerts:
            keep = 0
        if keep >= 0:
            self.table.selectionModel().setCurrentIndex(
                self.model.index(keep, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)
        reds = [a for a in alerts if a.severity.value == "red"]
        unacked = [a for a in reds if a.state is AlertState.NEW]
        self.summary.setText(self.tr("未处置告警 {0} 条，红色 {1} 条，待确认红色 {2} 条")
                             .format(len(alerts), len(reds), len(unacked)))
        self.sound.set_wanted(bool(unacked))
        self._on_selected()
        self._show_sound_state()

    def _show_sound_state(self) -> None:
        self.mute_button.blockSignals(True)
        self.mute_button.setChecked(self.sound.muted)
        self.mute_button.blockSignals(False)
        self.mute_button.setText(self.tr("已静音 (M)") if self.sound.muted else self.tr("静音 (M)"))
        if not self.sound.wanted:
            text, style = "", ""
        elif self.sound.muted:
            text, style = self.tr("🔇 红色告警待确认（本工作站已静音）"), "color:#ff7b72;"
        elif self.sound.audible:
            text, style = self.tr("🔊 红色告警声音提示中"), "color:#ff7b72;font-weight:bold;"
        else:
            text, style = (self.tr("⚠ 红色告警待确认（本机无可用音频设备，无法播放提示音）"),
                           "color:#ff7b72;font-weight:bold;")
        self.sound_label.setText(text)
        self.sound_label.setStyleSheet(style)

    def selected_alert(self) -> Alert | None:
        idx = self.table.selectionModel().currentIndex() if self.table.selectionModel() else None
        if idx is None or not idx.isValid() or idx.row() >= len(self.model.alerts):
            return None
        return self.model.alerts[idx.row()]

    def select(self, alert_id: str) -> bool:
        row = self.model.row_of(alert_id)
        if row < 0:
            return False
        self.table.selectRow(row)
        return True

    def _on_selected(self) -> None:
        a = self.selected_alert()
        self.history.clear()
        for b in self.buttons.values():
            b.setEnabled(a is not None)
        if a is None:
            self.detail_label.setText(self.tr("没有选中的告警"))
            self.sig_selection_changed.emit("")
            return
        self.buttons["alerts.acknowledge"].setEnabled(a.state is AlertState.NEW)
        self.detail_label.setText(
            f"<b>{a.severity.label} · {a.place}</b><br>{a.message}<br>"
            + self.tr("来源：") + a.source + "　" + self.tr("首次：") + clock_text(a.raised_at)
            + "　" + self.tr("重复：") + str(a.count))
        for e in self.service.events(a.id):
            self.history.addItem(f"{clock_text(e.at)}  {e.actor}  {e.action.label}"
                                 + (f"：{e.note}" if e.note else ""))
        self.cameras.show_near(a.lat, a.lon, a.place)
        self.sig_selection_changed.emit(a.id)

    # -- actions -------------------------------------------------------------------------------

    def _run(self, what: str, fn, *args, **kwargs) -> bool:  # type: ignore[no-untyped-def]
        try:
            fn(*args, **kwargs)
        except (AlertTransitionError, KeyError, ValueError) as exc:
            msg = str(exc).strip("'\"")
            self.ui.sig_status_message.emit(self.tr("无法") + what + "：" + msg, 5000)
            log.info("alert action %s refused: %s", what, msg)
            return False
        return True

    def _do_acknowledge(self) -> None:
        a = self.selected_alert()
        if a is not None and a.state is AlertState.NEW:
            self._run(self.tr("确认"), self.service.acknowledge, a.id, self.ui.app.actor)

    def _do_assign(self, assignee: str | None = None) -> None:
        a = self.selected_alert()
        if a is None:
            return
        if not isinstance(assignee, str) or not assignee.strip():
            assignee = self.ask_text(self, self.tr("指派告警"),
                                     self.tr("指派给（警力/责任人/班组）："), "")
            if assignee is None or not assignee.strip():
                return
        self._run(self.tr("指派"), self.service.assign, a.id, self.ui.app.actor,
                  assignee=assignee.strip())

    def _do_resolve(self, note: str | None = None) -> None:
        a = self.selected_alert()
        if a is None:
            return
        if not isinstance(note, str):
            note = self.ask_text(self, self.tr("处置完毕"), self.tr("处置说明："), "")
            if note is None:
                return
        self._run(self.tr("处置"), self.service.resolve, a.id, self.ui.app.actor, note.strip())

    def _do_dispatch(self) -> None:
        a = self.selected_alert()
        if a is None:
            return
        if a.lat is None or a.lon is None:
            self.ui.sig_status_message.emit(self.tr("该告警没有位置，无法就近派警"), 5000)
            return
        self.ui.sig_dispatch_requested.emit("alerts", a.id, a.lat, a.lon, a.place)

    def _do_locate(self) -> None:
        a = self.selected_alert()
        if a is not None and a.lat is not None and a.lon is not None:
            self.ui.sig_locate_requested.emit(a.lat, a.lon, 16)

    def _do_cameras(self) -> None:
        a = self.selected_alert()
        if a is not None:
            self.cameras.show_near(a.lat, a.lon, a.place)
            self.tabs.setCurrentWidget(self.cameras)

    def _do_video(self) -> None:
        a = self.selected_alert()
        if a is not None:  # the video wall of the cameras nearest to the alert
            self.ui.sig_video_requested.emit("alerts", a.id)

    def _do_mute(self) -> None:
        self.sound.set_muted(not self.sound.muted)
