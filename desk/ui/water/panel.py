"""The water panel (积水与气象): every point with latest depth, trend and state; a live 24 h chart
of the selected point with its thresholds; a group chart; call list; nearest cameras; the rain
demo button in ``--demo``, which starts the runtime's ``demo.rain`` job (the panel owns no feed
and does no service work: the runtime hands readings to the water service, and the panel redraws
what changed).

The table never measures its cells: columns are interactive with widths set once from the font,
and the model signals only the rows whose shown values changed."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt, QTimer
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
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

from desk.domain.water import DepthThresholds, WaterPointKind
from desk.domain.waterlevel import WaterState, judged_by_level, line_names
from desk.services.alerts import AlertService
from desk.services.water import OUTCOME_LABELS, WaterService
from desk.store.events import ChangeSet
from desk.ui.context import UiContext
from desk.ui.water.banner import SignalPicker
from desk.ui.water.camera import NearestCamerasWidget
from desk.ui.water.charts import DepthChart
from desk.ui.water.history import DAY_S, PointHistory
from desk.ui.water.model import COLUMNS, SORT_ROLE, WaterPointModel

log = logging.getLogger(__name__)

#: The runtime's job that plays the rain demo.
DEMO_JOB = "demo.rain"
#: Column widths in average character widths (监测点 stretches to fill the rest).
_COLUMN_CHARS = (16, 9, 9, 7, 4, 7, 6, 9)

#: At most this many curves in a group chart (a legend of 40 names helps nobody).
MAX_GROUP_CURVES = 12


class ThresholdDialog(QDialog):
    """Edit a point's three thresholds; an inconsistent set is refused with a Chinese message."""

    def __init__(self, name: str, t: DepthThresholds, parent: QWidget | None = None, *,
                 by_level: bool = False) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("阈值设置 — ") + name)
        form = QFormLayout(self)
        self.spins = []
        # Rivers and reservoirs: water levels against 汛限/警戒/保证水位, never a closure depth.
        labels = ((self.tr("汛限水位 (cm)"), self.tr("警戒水位 (cm)"), self.tr("保证水位 (cm)"))
                  if by_level else (self.tr("注意 (cm)"), self.tr("警告 (cm)"), self.tr("封闭 (cm)")))
        for label, value in zip(labels, (t.caution_cm, t.warning_cm, t.close_cm), strict=True):
            spin = QDoubleSpinBox(self)
            spin.setRange(0.0, 1000.0)
            spin.setDecimals(1)
            spin.setValue(value)
            form.addRow(label, spin)
            self.spins.append(spin)
        self.error = QLabel(self)
        self.error.setStyleSheet("color:#ff7b72;")
        form.addRow(self.error)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel, self)
        box.accepted.connect(self._accept)
        box.rejected.connect(self.reject)
        form.addRow(box)
        self.result_thresholds: DepthThresholds | None = None

    def _accept(self) -> None:
        try:
            self.result_thresholds = DepthThresholds(*(s.value() for s in self.spins))
        except ValueError as exc:
            self.error.setText(str(exc))
            return
        self.accept()


class WaterPanel(QWidget):
    """``Panel(ui, parent)`` for the "water" dock."""

    def __init__(self, ui: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = ui
        self.service = ui.app.service(WaterService)
        ui.app.service(AlertService)
        self.selected_id: str | None = None
        self.point_history = PointHistory()
        self.group_histories: dict[str, PointHistory] = {}

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        bar = QHBoxLayout()
        self.counts = QLabel(self)
        bar.addWidget(self.counts, 1)
        self.kind_filter = QComboBox(self)
        self.kind_filter.addItem(self.tr("全部类型"), "")
        for kind in WaterPointKind:
            self.kind_filter.addItem(kind.label, kind.label)
        self.kind_filter.currentIndexChanged.connect(self._apply_filter)
        bar.addWidget(self.kind_filter)
        self.threshold_button = QPushButton(self.tr("阈值…"), self)
        self.threshold_button.clicked.connect(self.edit_thresholds)
        bar.addWidget(self.threshold_button)
        bar.addWidget(SignalPicker(ui, self))
        self.demo_button = QPushButton(self.tr("开始降雨演示"), self)
        self.demo_button.setObjectName("rainDemoButton")
        self.demo_button.clicked.connect(self.toggle_demo)
        self.demo_button.setVisible(ui.app.demo)
        bar.addWidget(self.demo_button)
        layout.addLayout(bar)

        split = QSplitter(Qt.Orientation.Vertical, self)
        self.model = WaterPointModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(1)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setDynamicSortFilter(True)
        self.table = QTableView(split)
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.setWordWrap(False)
        hh = self.table.horizontalHeader()
        # Never ResizeToContents: it re-measures every cell after each update (a 318 ms p99
        # stall while streaming). Widths come from the font once; the user may drag them.
        hh.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        hh.setStretchLastSection(False)
        char_w = QFontMetrics(self.table.font()).averageCharWidth()
        head_w = QFontMetrics(hh.font())
        for col, chars in enumerate(_COLUMN_CHARS):
            title = self.model.headerData(col, Qt.Orientation.Horizontal)
            hh.resizeSection(col, max(chars * char_w, head_w.horizontalAdvance(str(title)) + 18))
        hh.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        assert len(_COLUMN_CHARS) == len(COLUMNS)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._on_selected())

        self.tabs = QTabWidget(split)
        self.chart = DepthChart(self.tabs)
        self.tabs.addTab(self.chart, self.tr("单点曲线（24 小时）"))
        group = QWidget()
        gl = QVBoxLayout(group)
        gl.setContentsMargins(0, 0, 0, 0)
        self.group_combo = QComboBox(group)
        self.group_combo.currentIndexChanged.connect(lambda _i: self.show_group())
        gl.addWidget(self.group_combo)
        self.group_chart = DepthChart(group, pen_width=1)
        gl.addWidget(self.group_chart, 1)
        self.tabs.addTab(group, self.tr("分组曲线"))
        self.cameras = NearestCamerasWidget(ui.workspace, self.tabs)
        self.tabs.addTab(self.cameras, self.tr("附近摄像机"))
        calls = QWidget()
        cl = QVBoxLayout(calls)
        self.call_list = QListWidget(calls)
        cl.addWidget(QLabel(self.tr("责任人（按呼叫顺序）"), calls))
        cl.addWidget(self.call_list, 1)
        row = QHBoxLayout()
        self.outcome = QComboBox(calls)
        for key, label in OUTCOME_LABELS.items():
            self.outcome.addItem(self.tr(label), key)
        row.addWidget(self.outcome)
        self.notify_button = QPushButton(self.tr("记录呼叫"), calls)
        self.notify_button.clicked.connect(self.mark_notified)
        row.addWidget(self.notify_button)
        row.addStretch(1)
        cl.addLayout(row)
        cl.addWidget(QLabel(self.tr("呼叫记录"), calls))
        self.notification_list = QListWidget(calls)
        cl.addWidget(self.notification_list, 1)
        self.tabs.addTab(calls, self.tr("责任人"))
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout.addWidget(split, 1)

        # Coalesce bursts of batches into at most two chart/table refreshes a second.
        self._pending: set[str] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(500)
        self._timer.timeout.connect(self._flush)
        ui.qbus.sig_changed.connect(self._on_changes)
        health = getattr(ui.feed, "sig_health", None)
        if health is not None:
            health.connect(self._show_demo_state)
        self._fill_groups()
        self.refresh_all()

    # -- data ----------------------------------------------------------------------------------

    def refresh_all(self) -> None:
        current = self.selected_id
        self.model.set_statuses(self.service.statuses())
        self._show_counts()
        if current is not None:
            self.select(current)
        elif self.model.rows:
            self.table.selectRow(0)

    def _show_counts(self) -> None:
        counts = dict.fromkeys(WaterState, 0)
        silent = 0
        for st in self.model.rows:
            if st.depth_cm is None:
                silent += 1
            else:
                counts[st.state] += 1
        parts = [f"<span style='color:{s.color}'>■</span> {s.label} {counts[s]}"
                 for s in WaterState]
        self.counts.setText(self.tr("监测点 {0}　").format(len(self.model.rows)) + "　".join(parts)
                            + (self.tr("　无数据 {0}").format(silent) if silent else ""))

    def _on_changes(self, changes: ChangeSet) -> None:
        if changes.touches("water_points"):
            self.service.points()  # cache was dropped by the service
            self._fill_groups()
            self.refresh_all()
            return
        touched = set(changes.ids.get("sensor_readings", ())) | set(
            changes.ids.get("water_point_state", ()))
        if touched:
            # Only redraws are coalesced here; the service already judged the readings.
            self._pending |= touched
            if not self._timer.isActive():
                self._timer.start()
        if changes.touches("responsible_people", "water_notifications") and self.selected_id:
            self._show_calls()

    def flush_now(self) -> None:
        """Apply pending readings at once (tests, and the timer)."""
        self._timer.stop()
        self._flush()

    def _flush(self) -> None:
        ids, self._pending = self._pending, set()
        if not ids:
            return
        statuses = self.service.statuses(ids)
        if not self.model.update_statuses(statuses):
            self.refresh_all()
        self._show_counts()
        now = self.ui.app.clock()
        if self.selected_id in ids:
            self._extend(self.point_history, self.selected_id, now)
            self.chart.set_series(self.selected_id, self._name(self.selected_id),
                                  self.point_history)
            self.chart.show_window(now)
        touched_group = [pid for pid in self.group_histories if pid in ids]
        for pid in touched_group:
            self._extend(self.group_histories[pid], pid, now)
            self.group_chart.set_series(pid, self._name(pid), self.group_histories[pid])
        if touched_group:
            self.group_chart.show_window(now)

    def _extend(self, history: PointHistory, pid: str, now: float) -> None:
        t, _ = history.arrays()
        since = float(t[-1]) + 1e-6 if len(t) else now - DAY_S
        history.extend(self.service.history(pid, since, now))
        history.trim_before(now - DAY_S)

    def _name(self, pid: str) -> str:
        p = self.service.points().get(pid)
        return p.name if p else pid

    # -- selection -----------------------------------------------------------------------------

    def select(self, point_id: str) -> bool:
        row = self.model.row_of(point_id)
        if row < 0:
            return False
        idx = self.proxy.mapFromSource(self.model.index(row, 0))
        if idx.isValid():
            self.table.selectRow(idx.row())
        return True

    def _on_selected(self) -> None:
        idx = self.table.selectionModel().currentIndex()
        if not idx.isValid():
            return
        pid = self.proxy.data(idx, Qt.ItemDataRole.UserRole)
        if pid == self.selected_id:
            return
        self.selected_id = pid
        p = self.service.points()[pid]
        now = self.ui.app.clock()
        self.point_history = PointHistory()
        self.point_history.extend(self.service.history(pid, now - DAY_S, now))
        self.chart.clear_all()
        self.chart.set_thresholds(p.thresholds, line_names(p.kind))
        self.chart.plotItem.setLabel("left", self.tr("水位") if judged_by_level(p.kind)
                                     else self.tr("水深"), units="cm")
        self.chart.set_series(pid, p.name, self.point_history)
        self.chart.plotItem.setTitle(f"{p.name}（{p.kind.label}）", color="#c9d1d9")
        self.chart.show_window(now)
        self.cameras.show_near(p.lat, p.lon, p.name)
        self._show_calls()

    def _show_calls(self) -> None:
        self.call_list.clear()
        self.notification_list.clear()
        if self.selected_id is None:
            return
        for person in self.service.responsible_people(self.selected_id):
            self.call_list.addItem(f"{person.call_order}. {person.name}（{person.role}）"
                                   f"  {person.phone}")
            self.call_list.item(self.call_list.count() - 1).setData(
                Qt.ItemDataRole.UserRole, person.id)
        if self.call_list.count():
            self.call_list.setCurrentRow(0)
        import time as _time

        for n in self.service.notifications(self.selected_id):
            stamp = _time.strftime("%H:%M:%S", _time.localtime(n.at))
            self.notification_list.addItem(
                f"{stamp}  {n.actor} → {n.person_name}：{OUTCOME_LABELS.get(n.outcome, n.outcome)}")

    def mark_notified(self) -> None:
        item = self.call_list.currentItem()
        if self.selected_id is None or item is None:
            self.ui.sig_status_message.emit(self.tr("请先选择监测点和责任人"), 4000)
            return
        self.service.mark_notified(self.selected_id, item.data(Qt.ItemDataRole.UserRole),
                                   self.ui.app.actor, outcome=self.outcome.currentData())

    def edit_thresholds(self) -> ThresholdDialog | None:
        if self.selected_id is None:
            return None
        p = self.service.points()[self.selected_id]
        dlg = ThresholdDialog(p.name, p.thresholds, self, by_level=judged_by_level(p.kind))
        dlg.accepted.connect(lambda: self._save_thresholds(p.id, dlg.result_thresholds))
        dlg.open()
        return dlg

    def _save_thresholds(self, pid: str, t: DepthThresholds | None) -> None:
        if t is None:
            return
        self.service.set_thresholds(pid, t, self.ui.app.actor)
        p = self.service.points().get(pid)
        self.chart.set_thresholds(t, line_names(p.kind) if p else None)
        self.ui.sig_status_message.emit(self.tr("阈值已更新"), 3000)

    # -- groups --------------------------------------------------------------------------------

    def _fill_groups(self) -> None:
        self.group_combo.blockSignals(True)
        self.group_combo.clear()
        points = self.service.points().values()
        self.group_combo.addItem(self.tr("全部隧道"), ("kind", WaterPointKind.TUNNEL.value))
        self.group_combo.addItem(self.tr("全部桥涵"), ("kind", WaterPointKind.BRIDGE_CULVERT.value))
        for district in sorted({p.district for p in points if p.district}):
            self.group_combo.addItem(self.tr("区域：") + district, ("district", district))
        self.group_combo.blockSignals(False)

    def group_members(self) -> list[str]:
        data = self.group_combo.currentData()
        if not data:
            return []
        field, value = data
        pts = [p for p in self.service.points().values()
               if (p.kind.value if field == "kind" else p.district) == value]
        if len(pts) > MAX_GROUP_CURVES:
            # Show the deepest ones: those are the ones a dispatcher compares.
            depth = {s.point.id: s.depth_cm or 0.0 for s in self.model.rows}
            pts = sorted(pts, key=lambda p: -depth.get(p.id, 0.0))[:MAX_GROUP_CURVES]
        return [p.id for p in pts]

    def show_group(self) -> None:
        now = self.ui.app.clock()
        self.group_chart.clear_all()
        self.group_histories = {}
        for pid in self.group_members():
            h = PointHistory()
            h.extend(self.service.history(pid, now - DAY_S, now))
            self.group_histories[pid] = h
            self.group_chart.set_series(pid, self._name(pid), h)
        self.group_chart.plotItem.setTitle(self.group_combo.currentText(), color="#c9d1d9")
        self.group_chart.show_window(now)

    def _apply_filter(self) -> None:
        self.proxy.setFilterFixedString(self.kind_filter.currentData() or "")

    # -- demo ----------------------------------------------------------------------------------

    def _runtime(self) -> Any:
        return getattr(self.ui, "runtime", None)

    def demo_running(self) -> bool:
        runtime = self._runtime()
        state = getattr(runtime, "job_state", None)
        if state is None:
            return False
        return str(getattr(state(DEMO_JOB), "value", state(DEMO_JOB))) == "running"

    def toggle_demo(self) -> None:
        """开始/停止降雨演示: starts or stops the runtime's ``demo.rain`` job."""
        runtime = self._runtime()
        if runtime is None or not hasattr(runtime, "start_job"):
            self.ui.sig_status_message.emit(self.tr("降雨演示不可用：应用运行时未就绪"), 5000)
            log.warning("rain demo requested but the UI has no runtime")
            return
        if self.demo_running():
            runtime.stop_job(DEMO_JOB)
        else:
            if not self.service.points():
                self.ui.sig_status_message.emit(self.tr("工作区没有积水监测点，无法演示"), 5000)
                return
            try:
                runtime.start_job(DEMO_JOB)
            except Exception:
                log.exception("starting %s failed", DEMO_JOB)
                self.ui.sig_status_message.emit(self.tr("降雨演示无法启动，详情见日志"), 5000)
                return
            self.ui.sig_status_message.emit(
                self.tr("降雨演示开始：雨量站读数上升，隧道最先积水"), 5000)
        self._show_demo_state()

    def stop_demo(self) -> None:
        runtime = self._runtime()
        if runtime is not None and self.demo_running():
            runtime.stop_job(DEMO_JOB)
        self._show_demo_state()

    def _show_demo_state(self, *_: object) -> None:
        self.demo_button.setText(self.tr("停止降雨演示") if self.demo_running()
                                 else self.tr("开始降雨演示"))
