"""The 事故快处 dock: the queue of open cases on the left, the case workspace and today's figures on
the right, wired to the service, the change bus, the live feed and the map's request signals.

Keyboard (within the panel): Alt+A 受理, Alt+N 下一件 (longest waiting), Alt+D 定责,
Alt+S 自行协商, Alt+P 推送理赔, Alt+C 结案, Alt+J 转现场处理（简易程序）, Alt+G 转一般程序,
Alt+X 撤销, Alt+R 发现伤员重新立案, Ctrl+F 筛选, Enter opens the selected queue row.

The panel owns no background work: reports become cases in ``AccidentService.on_report_event``
(the runtime routes ``accident.report`` there), the overdue check runs as the runtime's job
(``AccidentService.check_targets`` every 5 s) and the demo stream is the runtime's job
``demo.accidents``. The one timer here repaints the waiting clocks.
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer
from PySide6.QtGui import QFontMetrics, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desk.domain.accidents import CaseState, Urgency
from desk.domain.accidents.places import INTERSECTIONS
from desk.domain.geo import LatLon, haversine_m
from desk.services.accidents import AccidentService
from desk.store.events import ChangeSet
from desk.ui.accidents.case_view import CaseWorkspace, WheelGuard, guard_wheel
from desk.ui.accidents.kpi_view import KpiView
from desk.ui.accidents.queue_model import AccidentQueueModel
from desk.ui.context import UiContext

log = logging.getLogger(__name__)

WATCHED = ("accident_cases", "accident_parties", "accident_insurance_queue")
DEMO_JOB = "demo.accidents"
"""The runtime's job name of the accident demo stream (``desk.demo.accidents.AccidentDemoFeed``)."""


class AccidentPanel(QWidget):
    """Constructed by the main window as ``AccidentPanel(ui, parent)``."""

    def __init__(self, ui: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = ui
        self.service = ui.app.service(AccidentService)
        clock = ui.app.clock
        self.model = AccidentQueueModel(self.service.targets, clock, self)

        # Queue side
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(self.tr("筛选：编号、地点、号牌、形态（Ctrl+F）"))
        self.filter.setClearButtonEnabled(True)
        self.state_filter = QComboBox()
        self._state_choices: list[frozenset[CaseState] | None] = [
            None,
            frozenset({CaseState.REPORTED}),
            frozenset({CaseState.ACCEPTED}),
            frozenset({CaseState.DECIDED, CaseState.SELF_SETTLED, CaseState.CLAIM_PUSHED}),
        ]
        self._wheel_guard = WheelGuard(self)
        self.state_filter.addItems([self.tr("全部未结"), self.tr("待受理"), self.tr("待定责"),
                                    self.tr("待理赔/结案")])
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        # Fixed widths measured once from the font: auto-sizing to contents re-measured every
        # cell after each update (a filter keystroke over 500 cases cost ~140 ms).
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        metrics = QFontMetrics(self.table.font())
        for column, sample in ((AccidentQueueModel.WAIT, "0:00:00"),
                               (AccidentQueueModel.CASE_NO, "00000"),
                               (AccidentQueueModel.STATE, "理赔推送"),
                               (AccidentQueueModel.TYPE, "转弯未让直行"),
                               (AccidentQueueModel.PLATES, "豫AD12345 豫A12345")):
            header.resizeSection(column, metrics.horizontalAdvance(sample) + 24)
        header.setSectionResizeMode(AccidentQueueModel.PLACE, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(metrics.height() + 10)
        self.summary = QLabel()
        # One line that never changes height: a wrapping label re-laid the panel per keystroke.
        self.summary.setMinimumWidth(10)
        self.new_btn = QPushButton(self.tr("新建案件"))
        self.new_btn.clicked.connect(lambda: self.new_case_at(None, None))
        self.demo_btn = QPushButton(self.tr("演示报警流"))
        self.demo_btn.setCheckable(True)
        self.demo_btn.setVisible(bool(ui.app.demo))
        self.demo_btn.clicked.connect(self._toggle_demo)
        filters = QHBoxLayout()
        filters.addWidget(self.filter, 1)
        filters.addWidget(self.state_filter)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.demo_btn)
        bottom.addWidget(self.new_btn)
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addLayout(filters)
        lv.addWidget(self.table, 1)
        lv.addWidget(self.summary)
        lv.addLayout(bottom)

        # Case side
        self.workspace = CaseWorkspace(self.service, clock)
        self.kpi = KpiView(self.service)
        self.right_tabs = QTabWidget()
        self.right_tabs.addTab(self.workspace, self.tr("案件"))
        self.right_tabs.addTab(self.kpi, self.tr("统计"))

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.right_tabs)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 5)
        splitter.setSizes([480, 1100])
        splitter.setChildrenCollapsible(False)
        left.setMinimumWidth(150)
        guard_wheel(left, self._wheel_guard)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)

        # Wiring
        self.filter.textChanged.connect(self._apply_filter)
        self.state_filter.currentIndexChanged.connect(self._apply_filter)
        self.table.activated.connect(self._open_index)
        self.table.clicked.connect(self._open_index)
        self.workspace.sig_case_changed.connect(self._case_changed)
        self.workspace.sig_message.connect(lambda text: ui.sig_status_message.emit(text, 6000))
        self.workspace.sig_general_procedure.connect(self._offer_units)
        self.workspace.sig_video_requested.connect(ui.sig_video_requested)
        self._connections = [
            (ui.qbus.sig_changed, self._on_changes),
            (ui.sig_new_case_requested, self.new_case_at),
            (ui.sig_focus_requested, self._on_focus),
        ]
        for signal, slot in self._connections:
            signal.connect(slot)
        self._shortcuts()

        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._on_tick)
        self._tick.start()
        self._update_demo_button()
        self.reload_queue()

    # -- wiring helpers ------------------------------------------------------------------------

    def _shortcuts(self) -> None:
        def add(key: str, slot: object) -> None:
            sc = QShortcut(QKeySequence(key), self)
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(slot)

        for key, state in (("Alt+A", CaseState.ACCEPTED), ("Alt+D", CaseState.DECIDED),
                           ("Alt+S", CaseState.SELF_SETTLED), ("Alt+P", CaseState.CLAIM_PUSHED),
                           ("Alt+C", CaseState.CLOSED), ("Alt+G", CaseState.GENERAL_PROCEDURE),
                           ("Alt+J", CaseState.ON_SCENE), ("Alt+X", CaseState.CANCELLED)):
            add(key, lambda s=state: self.workspace.request_transition(s))
        add("Alt+R", lambda: self.workspace.request_reopen(None))
        add("Alt+N", self.next_case)
        add("Ctrl+F", self.filter.setFocus)

    def teardown(self) -> None:
        """Undo the connections to the long-lived UiContext (Qt also drops them when the panel
        is destroyed, since every slot is a method of this QObject)."""
        _disconnect_all(self._connections)
        self._tick.stop()
        self.kpi.stop()
        self.workspace.save_now()

    # -- queue ---------------------------------------------------------------------------------

    def reload_queue(self) -> None:
        current = self.workspace.current_id()
        self.model.set_entries(self.service.open_entries())
        self._reselect(current)
        self._update_summary()

    def _apply_filter(self) -> None:
        current = self.workspace.current_id()
        self.model.set_filter(self.filter.text(),
                              self._state_choices[self.state_filter.currentIndex()])
        self._reselect(current)
        self._update_summary()

    def _reselect(self, case_id: str | None) -> None:
        if case_id is None:
            return
        row = self.model.row_of(case_id)
        if row >= 0:
            self.table.selectionModel().select(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)

    def _open_index(self, index: QModelIndex) -> None:
        case_id = self.model.data(index, AccidentQueueModel.ID_ROLE)
        if case_id:
            self.open_case(str(case_id))

    def open_case(self, case_id: str) -> None:
        if case_id != self.workspace.current_id():
            self.workspace.show_case(case_id)
        self.right_tabs.setCurrentWidget(self.workspace)
        self._reselect(case_id)
        case = self.workspace.case
        if case is not None and case.lat is not None and case.lon is not None:
            self.ui.sig_locate_requested.emit(case.lat, case.lon, 0)

    def next_case(self) -> None:
        """Open the longest-waiting case that still needs the desk (报警 or 受理)."""
        current = self.workspace.current_id()
        for row in range(self.model.rowCount()):
            entry = self.model.entry(row)
            if entry and entry.id != current and entry.state in (CaseState.REPORTED,
                                                                  CaseState.ACCEPTED):
                self.open_case(entry.id)
                return
        self.ui.sig_status_message.emit(self.tr("没有等待处理的案件"), 3000)

    def _update_summary(self) -> None:
        counts = self.model.counts()
        text = self.tr("未结 {0}（显示 {1}）  超时 {2}  严重超时 {3}").format(
            self.model.total(), self.model.rowCount(), counts[Urgency.AMBER],
            counts[Urgency.RED])
        if text != self.summary.text():
            self.summary.setText(text)
            self.summary.setToolTip(text)

    def _on_tick(self) -> None:
        self.model.tick()
        self.workspace.tick()
        self._update_summary()
        self._update_demo_button()

    # -- changes -------------------------------------------------------------------------------

    def _on_changes(self, changes: ChangeSet) -> None:
        if not changes.touches(*WATCHED):
            return
        ids = set(changes.ids.get("accident_cases", frozenset()))
        if "accident_parties" in changes.ids:
            ids |= self.service.case_ids_of_parties(changes.ids["accident_parties"])
        if "accident_insurance_queue" in changes.ids:
            ids |= self.service.case_ids_of_claims(changes.ids["accident_insurance_queue"])
        if len(ids) > 50:
            self.reload_queue()
        else:
            current = self.workspace.current_id()
            entries = []
            removed = []
            for case_id in ids:
                entry = self.service.queue_entry(case_id)
                if entry is None:
                    removed.append(case_id)
                else:
                    entries.append(entry)
            self.model.upsert(entries, removed)
            self._reselect(current)
            self._update_summary()
        if self.workspace.current_id() in ids:
            self.workspace.reload()
        self.kpi.refresh_soon()

    def _case_changed(self, case_id: str) -> None:
        entry = self.service.queue_entry(case_id)
        self.model.upsert([entry] if entry else [], [] if entry else [case_id])
        self._reselect(case_id)
        self._update_summary()

    def _on_focus(self, entity: str, entity_id: str) -> None:
        if entity == "accident_cases" and entity_id != self.workspace.current_id():
            self.open_case(entity_id)

    # -- new cases and the ordinary procedure --------------------------------------------------

    def new_case_at(self, lat: float | None, lon: float | None) -> str:
        """Start a case (from the map's context menu, or the button without a position)."""
        place = ""
        if lat is not None and lon is not None:
            here = LatLon(lat, lon)
            nearest = min(INTERSECTIONS, key=lambda i: haversine_m(here, LatLon(i.lat, i.lon)))
            if haversine_m(here, LatLon(nearest.lat, nearest.lon)) < 400:
                place = nearest.name
        case = self.service.create_case(lat=lat, lon=lon, place=place, source="desk")
        self.reload_queue()
        self.open_case(case.id)
        self.ui.sig_status_message.emit(self.tr("已新建案件 {0}").format(case.case_no), 4000)
        return case.id

    def _offer_units(self, case_id: str) -> None:
        case = self.service.get(case_id)
        if case.lat is None or case.lon is None:
            self.ui.sig_status_message.emit(
                self.tr("案件已转出快处，但未定位，无法推荐附近警力"), 6000)
            return
        self.ui.sig_locate_requested.emit(case.lat, case.lon, 16)
        self.ui.sig_nearest_units_requested.emit(case.lat, case.lon)
        self.ui.sig_status_message.emit(
            self.tr("{0} 已{1}，地图上显示最近可派警力").format(case.case_no, case.state.label),
            6000)

    # -- demo ----------------------------------------------------------------------------------

    def _runtime(self) -> Any:
        return getattr(self.ui, "runtime", None)

    def _toggle_demo(self, on: bool) -> None:
        """Start or stop the runtime's accident demo stream (the panel runs nothing itself)."""
        runtime = self._runtime()
        if runtime is None:
            self.ui.sig_status_message.emit(self.tr("演示报警流由应用运行时提供，当前不可用"), 4000)
            self.demo_btn.setChecked(False)
            return
        try:
            if on:
                runtime.start_job(DEMO_JOB)
            else:
                runtime.stop_job(DEMO_JOB)
        except Exception as exc:
            log.exception("demo stream %s failed", "start" if on else "stop")
            self.ui.sig_status_message.emit(self.tr("演示报警流操作失败：{0}").format(exc), 6000)
        self._update_demo_button()

    def _update_demo_button(self) -> None:
        runtime = self._runtime()
        if runtime is None or not self.ui.app.demo:
            self.demo_btn.setEnabled(runtime is not None)
            return
        try:
            state = str(runtime.job_state(DEMO_JOB))
        except Exception:
            state = ""
        running = "running" in state.lower()
        self.demo_btn.setChecked(running)
        self.demo_btn.setText(self.tr("停止演示报警") if running else self.tr("演示报警流"))


def _disconnect_all(connections: list[tuple[Any, Any]]) -> None:
    """Undo the panel's connections to long-lived objects (the UiContext outlives panels)."""
    for signal, slot in connections:
        with contextlib.suppress(RuntimeError, TypeError, SystemError):
            signal.disconnect(slot)
    connections.clear()
