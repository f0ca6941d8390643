"""The alert inbox (告警): every open alert, most severe and newest first, with keyboard actions,
its history, the water point's responsible people, nearest cameras, and a looping sound for
unacknowledged red alerts.

The inbox only shows and acts: the watchdog is a job of the app runtime (``Watchdog.check()``
every 30 s), and feed events become alerts in ``AlertService.on_feed_event``. Rows update
incrementally from each ChangeSet (see ``desk.ui.alerts.model``)."""

from __future__ import annotations

import contextlib
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

from desk.domain.alerts import Alert, AlertState, AlertTransitionError, Severity
from desk.services.alerts import AlertService
from desk.store.events import ChangeSet
from desk.ui.alerts.assign import AssignDialog, ResponsiblePeopleBox
from desk.ui.alerts.delegate import FastTextDelegate
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


def _set_text(widget: QLabel | QPushButton, text: str) -> None:
    if widget.text() != text:
        widget.setText(text)


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
        self.table.setItemDelegate(FastTextDelegate(self.table))
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        hh = self.table.horizontalHeader()
        # Fixed widths, not ResizeToContents: measuring every cell after each change is what made
        # a storm of alerts freeze the window.
        hh.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        fm = self.table.fontMetrics()
        for col, sample in enumerate(("橙色", "00:00:00", "水位快速上涨", "西三环中原路下穿隧道",
                                      "", "×999", "已指派", "调度员王某某")):
            if sample:
                self.table.setColumnWidth(col, fm.horizontalAdvance(sample) + 18)
        hh.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(fm.height() + 8)
        self.table.setWordWrap(False)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._on_selected())

        self.tabs = QTabWidget(split)
        detail = QWidget()
        dl = QVBoxLayout(detail)
        self.detail_label = QLabel(detail)
        self.detail_label.setWordWrap(True)
        dl.addWidget(self.detail_label)
        self.history = QListWidget(detail)
        dl.addWidget(self.history, 1)
        self.people = ResponsiblePeopleBox(ui, detail)
        dl.addWidget(self.people)
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
        self._shown_id = ""
        self._pending_ids: set[str] = set()
        # Display coalescing only (a UI concern): the alerts themselves are already stored.
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(self.coalesce_ms)
        self._flush_timer.timeout.connect(self.flush)
        self.refresh()

    def shutdown(self) -> None:
        """Nothing runs in the background here (the runtime owns the watchdog); the window's
        teardown hook stops the repaint batcher and stops listening, so a change set still
        queued when the workspace closes never reaches it."""
        self._closed = True
        self._flush_timer.stop()
        self.sound.set_wanted(False)
        with contextlib.suppress(RuntimeError, TypeError):
            self.ui.qbus.sig_changed.disconnect(self._on_changes)

    # -- refreshing ----------------------------------------------------------------------------

    #: Above this many alerts in one ChangeSet (an import, a sync pull), reload instead.
    bulk_threshold = 200

    #: Changes arriving closer together than this are shown together: one repaint of the table
    #: for a burst, not one per alert (a storm of 1,000 alerts a minute is 17 a second).
    coalesce_ms = 150

    def _on_changes(self, changes: ChangeSet) -> None:
        if getattr(self, "_closed", False):
            return
        if not changes.touches("alerts"):
            if changes.touches("alert_events", "responsible_people", "water_notifications"):
                self._on_selected(force=True)
            return
        self._pending_ids |= changes.ids["alerts"]
        if not self._flush_timer.isActive():
            self._flush_timer.start()

    def flush(self) -> None:
        """Show the alerts changed since the last flush (rows inserted, changed, removed)."""
        self._flush_timer.stop()
        if getattr(self, "_closed", False):
            return
        ids, self._pending_ids = self._pending_ids, set()
        if not ids:
            return
        if len(ids) > self.bulk_threshold:
            self.refresh()
            return
        found = self.service.get_many(sorted(ids))
        self.model.apply({i: found.get(i) for i in ids})
        self._after_update()

    def refresh(self) -> None:
        """Reload every open alert (start, bulk changes)."""
        self._pending_ids.clear()
        self.model.set_alerts(self.service.open_alerts())
        self._after_update()

    def _after_update(self) -> None:
        current_id = self._shown_id
        row = self.model.row_of(current_id) if current_id else -1
        if row < 0 and self.model.alerts:
            row = 0
        sel = self.table.selectionModel()
        if row >= 0 and (not sel.currentIndex().isValid() or sel.currentIndex().row() != row
                         or not sel.isRowSelected(row)):
            sel.setCurrentIndex(self.model.index(row, 0),
                                QItemSelectionModel.SelectionFlag.ClearAndSelect
                                | QItemSelectionModel.SelectionFlag.Rows)
        alerts = self.model.alerts
        reds = [a for a in alerts if a.severity is Severity.RED]
        unacked = [a for a in reds if a.state is AlertState.NEW]
        _set_text(self.summary, self.tr("未处置告警 {0} 条，红色 {1} 条，待确认红色 {2} 条")
                  .format(len(alerts), len(reds), len(unacked)))
        self.sound.set_wanted(bool(unacked))
        self._on_selected()
        self._show_sound_state()

    def _show_sound_state(self) -> None:
        self.mute_button.blockSignals(True)
        self.mute_button.setChecked(self.sound.muted)
        self.mute_button.blockSignals(False)
        _set_text(self.mute_button, self.tr("已静音 (M)") if self.sound.muted else self.tr("静音 (M)"))
        if not self.sound.wanted:
            text, style = "", ""
        elif self.sound.muted:
            text, style = self.tr("🔇 红色告警待确认（本工作站已静音）"), "color:#ff7b72;"
        elif self.sound.audible:
            text, style = self.tr("🔊 红色告警声音提示中"), "color:#ff7b72;font-weight:bold;"
        else:
            text, style = (self.tr("⚠ 红色告警待确认（本机无可用音频设备，无法播放提示音）"),
                           "color:#ff7b72;font-weight:bold;")
        # Only on a change: a style sheet re-polishes the widget and relayouts the panel, which
        # for every alert of a storm was a stall of its own.
        _set_text(self.sound_label, text)
        if self.sound_label.styleSheet() != style:
            self.sound_label.setStyleSheet(style)

    def selected_alert(self) -> Alert | None:
        idx = self.table.selectionModel().currentIndex() if self.table.selectionModel() else None
        if idx is None or not idx.isValid() or idx.row() >= len(self.model.alerts):
            return None
        return self.model.alerts[idx.row()]

    _shown_alert: Alert | None = None

    def select(self, alert_id: str) -> bool:
        row = self.model.row_of(alert_id)
        if row < 0:
            return False
        self.table.selectRow(row)
        return True

    def _on_selected(self, force: bool = False) -> None:
        """Show the selected alert's details. Only when the selection or that alert changed:
        re-reading history and cameras for every alert elsewhere in the inbox is wasted work."""
        a = self.selected_alert()
        shown = self._shown_alert if self._shown_id else None
        if not force and a is not None and shown is a:
            return
        if not force and a is None and not self._shown_id and self.detail_label.text():
            return
        moved = a is None or a.id != self._shown_id
        self._shown_id = a.id if a is not None else ""
        self._shown_alert = a
        for b in self.buttons.values():
            b.setEnabled(a is not None)
        if a is None:
            self.history.clear()
            self.detail_label.setText(self.tr("没有选中的告警"))
            self.people.show_point(None, None)
            self.sig_selection_changed.emit("")
            return
        self.buttons["alerts.acknowledge"].setEnabled(a.state is AlertState.NEW)
        self.detail_label.setText(
            f"<b>{a.severity.label} · {a.place}</b><br>{a.message}<br>"
            + self.tr("来源：") + a.source + "　" + self.tr("首次：") + clock_text(a.raised_at)
            + "　" + self.tr("最近：") + clock_text(a.last_at)
            + "　" + self.tr("重复：") + str(a.count))
        self.history.clear()
        for e in self.service.events(a.id):
            self.history.addItem(f"{clock_text(e.at)}  {e.actor}  {e.action.label}"
                                 + (f"：{e.note}" if e.note else ""))
        self.people.show_point(self.service.point_of(a), a.id)
        if moved:
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
            try:
                choices = self.service.assignee_choices(a.id)
            except KeyError:
                return
            dialog = AssignDialog(choices, a, self)
            if dialog.exec() != AssignDialog.DialogCode.Accepted:
                return
            assignee = dialog.assignee()
            if not assignee:
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
