"""The duty board panel (勤务排班板): toolbar, officer roster, timeline and side panels (rule
explanations, auto-fill results, on-post supervision, changes to tell officers about).

Board actions (toolbar, left to right): 日/周 range, date, 单位 and 技能 filters, 撤销 (Ctrl+Z),
重做 (Ctrl+Y), 自动排班, 复制上周, 发布, 导出PDF, 导出Excel, 导入Excel, 排班设置.
Every edit is an undoable command over a domain edit; publishing clears the undo history; a change
to a published week asks for a reason first. Auto-fill, import and export run on worker threads."""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence, QShowEvent, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desk.domain.duty.edits import AddAssignment, Edit, ReplaceAssignment
from desk.domain.duty.model import (
    DAY_S,
    SKILL_LABELS,
    WEEK_S,
    Assignment,
    date_start,
    day_start,
    fmt_span,
    to_local,
    week_start,
)
from desk.domain.duty.roster import Roster
from desk.domain.duty.supervision import AnomalyKind
from desk.services.context import AppContext
from desk.services.duty import (
    ConfigChange,
    DutyError,
    DutyService,
    PublishRefused,
    ReasonRequired,
)
from desk.services.duty_autofill import AutofillResult, autofill
from desk.services.duty_io import (
    ImportReport,
    Progress,
    export_roster_pdf,
    export_roster_xlsx,
    import_xlsx,
    roster_sheet,
)
from desk.services.duty_supervision import DutySupervisor
from desk.store import Workspace, WorkspaceError
from desk.store.events import ChangeSet
from desk.ui.context import UiContext
from desk.ui.duty.commands import DutyConfigCommand, DutyEditCommand
from desk.ui.duty.flow import FlowLayout
from desk.ui.duty.models import (
    MIME_OFFICER,
    OfficerIdRole,
    OfficerListModel,
    RowsTableModel,
    ViolationTableModel,
)
from desk.ui.duty.settings import DutySettingsDialog
from desk.ui.duty.timeline import DutyTimeline

log = logging.getLogger(__name__)

WATCHED = ("duty_assignments", "duty_post_requirements", "duty_shift_templates", "officers",
           "duty_posts", "duty_unavailability", "duty_officer_profiles", "duty_rosters", "stations")


def copy_roster(r: Roster) -> Roster:
    """A private copy for a worker thread (the board keeps editing its own)."""
    return Roster(officers=r.officers.values(), posts=r.posts.values(),
                  templates=r.templates.values(),
                  requirements=[q for reqs in r.requirements.values() for q in reqs],
                  unavailability=[u for us in r.unavailability.values() for u in us],
                  assignments=r.assignments.values(), days=r.days)


class _JobSignals(QObject):
    finished = Signal(object)
    failed = Signal(str)
    progress = Signal(int, int)


class _AutofillJob(QRunnable):
    def __init__(self, roster: Roster, days: list[int], replace: bool,
                 service: DutyService) -> None:
        super().__init__()
        self.signals = _JobSignals()
        self.roster = roster
        self.days = days
        self.replace = replace
        self.config = service.rules_config
        self.time_limit = float(service.ctx.settings.get("duty_autofill_s", 8.0)) \
            if isinstance(service.ctx.settings, dict) else 8.0

    def run(self) -> None:
        try:
            result = autofill(self.roster, days=self.days, config=self.config,
                              replace_unlocked=self.replace, time_limit_s=self.time_limit,
                              progress=self.signals.progress.emit)
        except Exception as exc:  # report, never crash the worker silently
            log.exception("autofill failed")
            self.signals.failed.emit(str(exc))
            return
        self.signals.finished.emit(result)


class _FileSignals(QObject):
    finished = Signal(object)
    failed = Signal(str)
    progress = Signal(int, int)


class _FileJob(QRunnable):
    """Excel import or PDF/Excel export on a pool thread. A Workspace belongs to the thread that
    opened it, so the job opens its own on the board's file (sharing the board's ChangeBus, so
    every panel hears about an import) and runs ``work(service, progress)`` there."""

    def __init__(self, app: AppContext, label: str,
                 work: Callable[[DutyService, Progress], object]) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.signals = _FileSignals()
        self.app = app
        self.label = label
        self.work = work
        #: ``threading.get_ident()`` of the thread that ran the work (tests check it is not the GUI).
        self.thread_ident: int | None = None

    def run(self) -> None:
        self.thread_ident = threading.get_ident()
        ws: Workspace | None = None
        try:
            ws = Workspace.open(self.app.workspace.path, bus=self.app.workspace.bus)
            ctx = dataclasses.replace(self.app, workspace=ws, _services={})
            result = self.work(ctx.service(DutyService), self.signals.progress.emit)
        except (OSError, DutyError, WorkspaceError) as exc:
            log.warning("duty %s failed: %s", self.label, exc)
            self.signals.failed.emit(str(exc))
            return
        except Exception as exc:  # report on the board, never die silently in the pool
            log.exception("duty %s failed", self.label)
            self.signals.failed.emit(f"{type(exc).__name__}: {exc}")
            return
        finally:
            if ws is not None:
                ws.close()
        self.signals.finished.emit(result)


class DutyBoardPanel(QWidget):
    """The board. ``DutyBoardPanel(ui, parent)``; reads and writes through ``DutyService``."""

    sig_autofill_finished = Signal(object)
    """Auto-fill finished and its result (AutofillResult) was applied (or refused)."""

    sig_file_job_finished = Signal(object)
    """An import (ImportReport) or export ((count, path)) finished; None when it failed."""

    def __init__(self, ui: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = ui
        self.service = ui.app.service(DutyService)
        self.supervisor = ui.app.service(DutySupervisor)
        try:
            self.service.ensure_defaults()
        except Exception:  # a read-only or odd workspace must not stop the panel from opening
            log.exception("could not seed duty defaults")
        now = ui.app.clock()
        self.day = day_start(now)
        self.station_id: str | None = None
        self.skill = ""
        self.plan = self.service.open_week(self.day, None)
        self.undo_stack = QUndoStack(self)
        #: Asks for the reason of a change to a published week; returns None when cancelled.
        self.reason_provider: Callable[[str], str | None] = self._ask_reason
        #: Asks the user to confirm publishing (the question names the stations and the count).
        self.confirm_provider: Callable[[str], bool] = self._ask_confirm
        #: Asks for a file path: (title, filter, save) → path or None.
        self.path_provider: Callable[[str, str, bool], str | None] = self._ask_path
        self._job: _AutofillJob | None = None
        self._settings: DutySettingsDialog | None = None
        self._file_job: _FileJob | None = None
        #: The last import/export job started (tests read its ``thread_ident``).
        self.last_file_job: _FileJob | None = None
        self._buttons: dict[QAction, QToolButton] = {}
        self._build()
        self._load_filters()
        self._refresh_all()
        ui.qbus.sig_changed.connect(self._on_changed)
        ui.sig_focus_requested.connect(self._on_focus_requested)
        # Supervision runs in the application runtime (DutySupervisor.check every 60 s); the
        # board only shows its latest findings, refreshed when its alerts change.
        self._refresh_supervision()

    # -- building ------------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        # The tools wrap onto as many rows as the dock's width needs (a QToolBar would hide
        # 发布 and 导出 behind an overflow arrow that the dark theme makes invisible).
        bar = QWidget(self)
        bar.setObjectName("dutyTools")
        flow = FlowLayout(bar, spacing=4)
        self.toolbar = bar
        self.tools_layout = flow
        self.range_combo = QComboBox()
        self.range_combo.addItem(self.tr("周视图"), "week")
        self.range_combo.addItem(self.tr("日视图"), "day")
        self.range_combo.currentIndexChanged.connect(self._on_range_changed)
        flow.addWidget(self.range_combo)
        self.prev_btn = QToolButton()
        self.prev_btn.setText("◀")
        self.prev_btn.setToolTip(self.tr("上一日/上一周"))
        self.prev_btn.clicked.connect(lambda: self._step(-1))
        flow.addWidget(self.prev_btn)
        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        d = to_local(self.day)
        self.date_edit.setDate(QDate(d.year, d.month, d.day))
        self.date_edit.dateChanged.connect(self._on_date_changed)
        flow.addWidget(self.date_edit)
        self.next_btn = QToolButton()
        self.next_btn.setText("▶")
        self.next_btn.setToolTip(self.tr("下一日/下一周"))
        self.next_btn.clicked.connect(lambda: self._step(1))
        flow.addWidget(self.next_btn)
        for b in (self.prev_btn, self.next_btn):
            b.setStyleSheet("QToolButton { padding: 3px 6px; }")
        self.station_combo = QComboBox()
        self.station_combo.setToolTip(self.tr("按单位筛选"))
        self.station_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.station_combo.currentIndexChanged.connect(self._on_station_changed)
        flow.addWidget(self.station_combo)
        self.skill_combo = QComboBox()
        self.skill_combo.setToolTip(self.tr("按技能筛选民警和岗位"))
        self.skill_combo.addItem(self.tr("全部技能"), "")
        for key, label in SKILL_LABELS.items():
            self.skill_combo.addItem(label, key)
        self.skill_combo.currentIndexChanged.connect(self._on_skill_changed)
        flow.addWidget(self.skill_combo)
        # Fixed texts: QUndoStack's own actions rename themselves on every edit, which re-lays
        # out the tools and repaints the whole board per drop.
        self.undo_action = QAction(self.tr("撤销", "undo"), self)
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.triggered.connect(lambda _c=False: self.undo_stack.undo())
        self.redo_action = QAction(self.tr("重做", "redo"), self)
        self.redo_action.setShortcut(QKeySequence.StandardKey.Redo)
        self.redo_action.triggered.connect(lambda _c=False: self.undo_stack.redo())
        self.undo_stack.canUndoChanged.connect(self.undo_action.setEnabled)
        self.undo_stack.canRedoChanged.connect(self.redo_action.setEnabled)
        self.undo_action.setToolTip(self.tr("撤销上一步排班修改（Ctrl+Z）"))
        self.redo_action.setToolTip(self.tr("重做撤销的修改（Ctrl+Y）"))
        self.undo_action.setEnabled(False)
        self.redo_action.setEnabled(False)
        for action in (self.undo_action, self.redo_action):
            self.addAction(action)  # the shortcuts work while the board has focus
            self._tool(flow, action)
        self.autofill_action = self._action(flow, self.tr("自动排班"), self.start_autofill)
        self.replace_check = QCheckBox(self.tr("重排未锁定"))
        self.replace_check.setToolTip(self.tr("勾选后重新安排未锁定的排班，只保留锁定的"))
        flow.addWidget(self.replace_check)
        self.copy_action = self._action(flow, self.tr("复制上周"), self.copy_last_week)
        self.publish_action = self._action(flow, self.tr("发布"), self.publish)
        self.publish_action.setToolTip(self.tr("发布本周排班（先确认单位数与排班条数）"))
        publish_button = self._buttons[self.publish_action]
        publish_button.setObjectName("dutyPublish")
        publish_button.setStyleSheet(
            "QToolButton#dutyPublish { background: #1f5f99; color: #ffffff; "
            "border: 1px solid #3aa0ff; border-radius: 3px; padding: 3px 12px; }")
        self.file_actions = [
            self._action(flow, self.tr("导出PDF"), lambda: self.export("pdf")),
            self._action(flow, self.tr("导出Excel"), lambda: self.export("xlsx")),
            self._action(flow, self.tr("导入Excel"), self.import_excel),
        ]
        self.settings_action = self._action(flow, self.tr("排班设置"), self.open_settings)
        self.settings_action.setToolTip(self.tr("请假/不可用、岗位需求、班次模板"))
        self.progress = QProgressBar()
        self.progress.setFixedWidth(120)
        self.progress.setVisible(False)
        flow.addWidget(self.progress)
        layout.addWidget(bar)

        # The state and message line has a fixed height and the message is elided, so new text
        # never moves the board below it (the layout holds still; the full text is the tooltip).
        self.banner = QLabel()
        self.banner.setObjectName("dutyBanner")
        self.banner.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.state_label = QLabel()
        self.state_label.setObjectName("dutyState")
        top_row = QWidget()
        top_row.setFixedHeight(self.fontMetrics().height() + 10)
        top = QHBoxLayout(top_row)
        top.setContentsMargins(2, 0, 2, 0)
        top.addWidget(self.state_label, 0)
        top.addWidget(self.banner, 1)
        layout.addWidget(top_row)

        split = QSplitter(Qt.Orientation.Horizontal, self)
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        self.officer_filter = QLineEdit()
        self.officer_filter.setPlaceholderText(self.tr("搜索民警姓名或警号"))
        self.officer_filter.textChanged.connect(lambda _t: self._refresh_officers())
        lv.addWidget(QLabel(self.tr("警力（拖到岗位上排班）")))
        lv.addWidget(self.officer_filter)
        self.officer_model = OfficerListModel(self)
        self.officer_view = QListView()
        self.officer_view.setModel(self.officer_model)
        self.officer_view.setDragEnabled(True)
        self.officer_view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.officer_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.officer_view.setAlternatingRowColors(True)
        # Every row is two lines: with uniform sizes a changed row repaints alone, without a
        # re-layout (and re-measure) of the whole list.
        self.officer_view.setUniformItemSizes(True)
        self.officer_view.selectionModel().currentChanged.connect(self._on_officer_selected)
        lv.addWidget(self.officer_view)
        split.addWidget(left)

        self.timeline = DutyTimeline(self.plan)
        self.timeline.sig_drop_requested.connect(self.drop_officer)
        self.timeline.sig_change_requested.connect(self.change_assignment)
        self.timeline.sig_remove_requested.connect(
            lambda a: self.push(self.service.remove_edit(a)))
        self.timeline.sig_lock_requested.connect(
            lambda a, locked: self.push(self.service.lock_edit(a, locked)))
        self.timeline.sig_selection_changed.connect(lambda _aid: self._refresh_violations())
        self.timeline_scroll = QScrollArea()
        self.timeline_scroll.setWidget(self.timeline)
        self.timeline_scroll.setWidgetResizable(False)
        # The header and post names are painted at the visible edge: repaint fully on scroll.
        self.timeline_scroll.horizontalScrollBar().valueChanged.connect(lambda _v: self.timeline.update())
        self.timeline_scroll.verticalScrollBar().valueChanged.connect(lambda _v: self.timeline.update())
        split.addWidget(self.timeline_scroll)

        self.tabs = QTabWidget()
        self.violation_model = ViolationTableModel(self)
        self.violation_view = self._table(self.violation_model, stretch=1)
        # Fixed columns and one-line rows: no re-measuring of every cell after each drop (the
        # full sentence of the current row is in the detail line below the table).
        self.violation_view.setWordWrap(False)
        self.violation_view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.violation_view.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.violation_view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(0, 64)
        header.resizeSection(2, 48)
        rows = self.violation_view.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(24)
        self.violation_view.doubleClicked.connect(self._on_violation_activated)
        self.violation_view.selectionModel().currentRowChanged.connect(
            lambda cur, _prev: self._show_violation_detail(cur.row()))
        explain = QWidget()
        ev = QVBoxLayout(explain)
        ev.setContentsMargins(0, 0, 0, 0)
        ev.addWidget(self.violation_view, 1)
        self.violation_detail = QLabel()
        self.violation_detail.setWordWrap(True)
        # A fixed height: a longer sentence must not re-lay out the board after every drop.
        self.violation_detail.setFixedHeight(72)
        self.violation_detail.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.violation_detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        ev.addWidget(self.violation_detail)
        self.tabs.addTab(explain, self.tr("冲突说明"))
        self.result_model = RowsTableModel([self.tr("无法排满的岗位与原因")], self)
        self.tabs.addTab(self._table(self.result_model, stretch=0), self.tr("排班结果"))
        self.supervision_model = RowsTableModel(
            [self.tr("民警"), self.tr("岗位"), self.tr("类型"), self.tr("说明")], self)
        sup = QWidget()
        sv = QVBoxLayout(sup)
        sv.setContentsMargins(0, 0, 0, 0)
        sv.addWidget(self._table(self.supervision_model, stretch=3))
        self.supervision_label = QLabel()
        self.supervision_label.setWordWrap(True)
        sv.addWidget(self.supervision_label)
        self.supervision_button = QPushButton(self.tr("立即核查"))
        self.supervision_button.setToolTip(self.tr("按当前定位核查在岗民警（系统每分钟自动核查一次）"))
        self.supervision_button.clicked.connect(self.check_supervision)
        sv.addWidget(self.supervision_button)
        self.tabs.addTab(sup, self.tr("督导"))
        notify = QWidget()
        nv = QVBoxLayout(notify)
        nv.setContentsMargins(0, 0, 0, 0)
        self.notify_model = RowsTableModel(
            [self.tr("民警"), self.tr("变更"), self.tr("原因")], self)
        nv.addWidget(self._table(self.notify_model, stretch=1))
        done = QPushButton(self.tr("全部标记为已通知"))
        done.clicked.connect(self._mark_all_notified)
        nv.addWidget(done)
        self.tabs.addTab(notify, self.tr("待通知"))
        self.import_model = RowsTableModel([self.tr("导入错误")], self)
        self.tabs.addTab(self._table(self.import_model, stretch=0), self.tr("导入结果"))
        split.addWidget(self.tabs)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        split.setStretchFactor(2, 0)
        split.setSizes([250, 800, 450])
        self.splitter = split
        self._split_fitted = False
        left.setMinimumWidth(110)
        self.tabs.setMinimumWidth(140)
        layout.addWidget(split, 1)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._split_fitted and self.splitter.width() > 0:
            # First shown: share the width by proportion, so a narrow dock still gives the
            # timeline (the board itself) half of it. Later the user's own splitter drags rule.
            self._split_fitted = True
            w = self.splitter.width()
            self.splitter.setSizes([int(w * 0.17), int(w * 0.53), int(w * 0.30)])

    def _action(self, flow: FlowLayout, text: str, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self)
        action.triggered.connect(lambda _checked=False: slot())
        self._tool(flow, action)
        return action

    def _tool(self, flow: FlowLayout, action: QAction) -> QToolButton:
        """A button for ``action`` in the tools (the action stays the one definition: text,
        shortcut, enabled state)."""
        button = QToolButton()
        button.setDefaultAction(action)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        flow.addWidget(button)
        self._buttons[action] = button
        return button

    def _table(self, model: object, stretch: int) -> QTableView:
        view = QTableView()
        view.setModel(model)  # type: ignore[arg-type]
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setWordWrap(True)
        view.verticalHeader().setVisible(False)
        view.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        view.setAlternatingRowColors(True)
        return view

    def _load_filters(self) -> None:
        self.station_combo.blockSignals(True)
        self.station_combo.clear()
        self.station_combo.addItem(self.tr("全部单位"), "")
        for sid, name in self.service.stations():
            self.station_combo.addItem(name, sid)
        idx = self.station_combo.findData(self.station_id or "")
        self.station_combo.setCurrentIndex(max(0, idx))
        self.station_combo.blockSignals(False)

    # -- refreshing ----------------------------------------------------------------------------

    def _visible_posts(self) -> list:  # type: ignore[type-arg]
        posts = sorted(self.plan.roster.posts.values(), key=lambda p: (p.station_id, p.kind, p.id))
        if self.skill:
            posts = [p for p in posts if any(self.skill in r.skills
                                             for r in self.plan.roster.requirements_of(p.id))]
        return posts

    def _refresh_all(self) -> None:
        self.timeline.set_plan(self.plan)
        self.timeline.set_posts(self._visible_posts())
        self._refresh_officers()
        self._refresh_after_edit()
        self._refresh_notify()

    def _refresh_after_edit(self, touched_posts: set[str] | None = None) -> None:
        """After an edit: repaint the timeline rows it touched (``touched_posts`` plus the posts of
        the bars whose verdict changed) — or all of it when ``None`` — and the side panels."""
        if touched_posts is None:
            self.timeline.refresh()
        else:
            roster, checker = self.plan.roster, self.plan.checker
            posts = set(touched_posts) | {pid for pid, _ in checker.changed_post_days}
            for aid in checker.changed_assignments:
                a = roster.get(aid)
                if a is not None:
                    posts.add(a.post_id)
            self.timeline.refresh_rows(posts)
        self._refresh_violations()
        if touched_posts is None:
            self.officer_model.set_hours(self._week_hours())
        else:  # only the officers the edit touched can have new hours
            officers = self.plan.checker.changed_officers
            self.officer_model.set_hours(self._week_hours(officers), only=officers)
        self._refresh_state()

    def _week_hours(self, officer_ids: set[str] | None = None) -> dict[str, float]:
        w0, w1 = self.plan.week, self.plan.week + WEEK_S
        roster = self.plan.roster
        items = (roster.assignments.values() if officer_ids is None else
                 [a for oid in officer_ids for a in roster.by_officer.get(oid, {}).values()])
        hours: dict[str, float] = dict.fromkeys(officer_ids or (), 0.0)
        for a in items:
            if w0 <= a.start < w1:
                hours[a.officer_id] = hours.get(a.officer_id, 0.0) + a.hours
        return hours

    def _refresh_officers(self) -> None:
        text = self.officer_filter.text().strip()
        officers = sorted(self.plan.roster.officers.values(), key=lambda o: (o.station_id, o.id))
        if self.skill:
            officers = [o for o in officers if self.skill in o.skills]
        if text:
            officers = [o for o in officers if text in o.name or text in o.badge]
        self.officer_model.set_officers(officers, self._week_hours())

    def _refresh_violations(self) -> None:
        sel = self.timeline.selected
        vs = self.plan.checker.for_assignment(sel) if sel else []
        if not vs:  # nothing selected, or a clean bar: explain the whole plan
            vs = self.plan.checker.violations()
        self.violation_model.set_violations(vs)
        self._show_violation_detail(0)

    def _show_violation_detail(self, row: int) -> None:
        """The full sentence of the current (or first) violation under the table."""
        if 0 <= row < self.violation_model.rowCount():
            v = self.violation_model.violation_at(row)
            self.violation_detail.setText(f"【{v.severity.label}·扣 {v.penalty} 分】{v.message}")
        else:
            self.violation_detail.setText(self.tr("没有冲突"))

    def _refresh_state(self) -> None:
        counts = self.plan.checker.counts()
        stations = [self.station_id] if self.station_id else sorted(
            {p.station_id for p in self.plan.roster.posts.values()})
        published = sum(1 for s in stations
                        if self.service.roster_state(s, self.plan.week).value == "published")
        state = (self.tr("已发布") if stations and published == len(stations)
                 else self.tr("部分已发布") if published else self.tr("草稿"))
        d = to_local(self.plan.week)
        drill = self.tr("【演练】") if self.ui.app.drill else ""
        self.state_label.setText(
            f"{drill}{d.month}月{d.day}日起一周 · {state} · "
            + self.tr("硬约束 {0} · 缺岗 {1} · 软约束 {2} · 扣分 {3}").format(
                *(c for c in counts.values()), self.plan.checker.penalty()))

    def _refresh_notify(self) -> None:
        names = {o.id: o.name for o in self.plan.roster.officers.values()}
        self.notify_model.set_rows([(names.get(r["officer_id"], r["officer_id"]), r["change"],
                                     r["reason"]) for r in self.service.to_notify()])

    def show_message(self, text: str, error: bool = False) -> None:
        """The board's message line (and the status bar); never a modal box."""
        color = "#ff6b6b" if error else "#9fd3ff"
        style = f"color: {color};"
        if self.banner.styleSheet() != style:  # re-polishing on every message costs a relayout
            self.banner.setStyleSheet(style)
        self.banner.setText(text)
        self.banner.setToolTip(text)
        self.ui.sig_status_message.emit(text, 8000)
        (log.warning if error else log.info)("duty board: %s", text)

    # -- editing -------------------------------------------------------------------------------

    def apply_edit(self, edit: Edit) -> Edit | None:
        """Apply through the service; asks for a reason on a published week. Returns the inverse,
        or None when refused or cancelled (the user has been told)."""
        roster = self.plan.roster
        posts = {a.post_id for a in edit.assignments()}
        for a in edit.assignments():
            current = roster.get(a.id)
            if current is not None:
                posts.add(current.post_id)  # a move: the row it leaves too
        touched: set[str] | None = posts
        try:
            try:
                return self.plan.apply(edit, origin=self)
            except ReasonRequired:
                reason = self.reason_provider(edit.label)
                if not reason or not reason.strip():
                    self.show_message(self.tr("已发布的排班未修改：需要填写变更原因"), error=True)
                    return None
                inverse = self.plan.apply(edit, reason=reason, origin=self)
                self._refresh_notify()
                self.show_message(self.tr("已记录变更原因，相关民警待通知"))
                return inverse
        except DutyError as exc:
            self.show_message(str(exc), error=True)
            touched = None  # the plan was re-read: repaint all of it
            return None
        finally:
            self._refresh_after_edit(touched if self.plan.roster is roster else None)

    def push(self, edit: Edit, merge_key: str | None = None) -> bool:
        inverse = self.apply_edit(edit)
        if inverse is None:
            return False
        self.undo_stack.push(DutyEditCommand(self.apply_edit, edit, inverse, merge_key=merge_key))
        return True

    def apply_config(self, change: ConfigChange) -> ConfigChange | None:
        """Apply a configuration change (leave, requirement, template) through the service, then
        re-read the plan so the rules judge it at once. Returns the inverse, or None when refused
        (the user has been told)."""
        try:
            inverse = self.service.apply_config(change, origin=self)
        except DutyError as exc:
            self.show_message(str(exc), error=True)
            return None
        # Leave, requirements and bands are part of the roster the checker judges: re-read it.
        # Assignment edits on the undo stack stay valid (they name assignments, not config).
        self.plan.reload()
        self._refresh_all()
        if self._settings is not None:
            self._settings.refresh()
        return inverse

    def push_config(self, change: ConfigChange) -> bool:
        """Apply a configuration change as one undoable board edit."""
        inverse = self.apply_config(change)
        if inverse is None:
            return False
        self.undo_stack.push(DutyConfigCommand(self.apply_config, change, inverse))
        return True

    def open_settings(self) -> DutySettingsDialog:
        """Show the 排班设置 dialog (non-modal; one per board)."""
        if self._settings is None:
            self._settings = DutySettingsDialog(self)
        self._settings.refresh()
        self._settings.show()
        self._settings.raise_()
        return self._settings

    @Slot(str, str, int, int)
    def drop_officer(self, officer_id: str, post_id: str, start: int, end: int) -> None:
        if officer_id not in self.plan.roster.officers:
            self.show_message(self.tr("该民警不在当前筛选的单位内，无法排到此岗位"), error=True)
            return
        a = Assignment(self.service.new_id(), officer_id, post_id, start, end)
        if self.push(AddAssignment(a)):
            self.timeline.selected = a.id
            self._refresh_violations()
            self.show_message(self.tr("已排班：{0} {1} {2}").format(
                self.plan.roster.officer_name(officer_id), self.plan.roster.post_name(post_id),
                fmt_span(start, end)))

    @Slot(object)
    def change_assignment(self, after: Assignment) -> None:
        self.push(ReplaceAssignment(after, label="移动排班"), merge_key=f"move:{after.id}")

    def copy_last_week(self) -> None:
        edit = self.service.copy_week_edit(self.plan)
        if not edit.edits:
            self.show_message(self.tr("上周没有可复制的排班"))
            return
        if self.push(edit):
            self.show_message(self.tr("已复制上周排班 {0} 条").format(len(edit.edits)))

    # -- auto-fill -----------------------------------------------------------------------------

    def start_autofill(self) -> None:
        if self._job is not None:
            return
        days = [self.day] if self.timeline.mode == "day" else list(self.plan.roster.days)
        job = _AutofillJob(copy_roster(self.plan.roster), days, self.replace_check.isChecked(),
                           self.service)
        job.setAutoDelete(False)
        job.signals.finished.connect(self._on_autofill_done)
        job.signals.failed.connect(self._on_autofill_failed)
        job.signals.progress.connect(self._on_autofill_progress)
        self._job = job
        self.autofill_action.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.show_message(self.tr("自动排班计算中…"))
        QThreadPool.globalInstance().start(job)

    @Slot(int, int)
    def _on_autofill_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _autofill_over(self) -> None:
        self._job = None
        self.autofill_action.setEnabled(True)
        self.progress.setVisible(False)

    @Slot(str)
    def _on_autofill_failed(self, message: str) -> None:
        self._autofill_over()
        self.show_message(self.tr("自动排班失败：{0}").format(message), error=True)
        self.sig_autofill_finished.emit(None)

    @Slot(object)
    def _on_autofill_done(self, result: AutofillResult) -> None:
        self._autofill_over()
        self.result_model.set_rows([(s.reason,) for s in result.shortfalls])
        if result.edit.edits and not self.push(result.edit):
            self.sig_autofill_finished.emit(result)
            return
        text = self.tr("自动排班：新增 {0} 条").format(result.added)
        if result.removed:
            text += self.tr("，重排 {0} 条").format(result.removed)
        if result.shortfalls:
            text += self.tr("；{0} 个时段无法排满，原因见“排班结果”").format(len(result.shortfalls))
            self.tabs.setCurrentIndex(1)
        else:
            text += self.tr("；全部岗位已排满，无硬约束冲突")
        self.show_message(text, error=bool(result.shortfalls))
        self.sig_autofill_finished.emit(result)

    # -- publishing ----------------------------------------------------------------------------

    def publish_summary(self) -> tuple[list[str], int, str]:
        """What 发布 would publish: (station ids, assignments in the week, the question asked)."""
        stations = [self.station_id] if self.station_id else sorted(
            {p.station_id for p in self.plan.roster.posts.values()})
        w0, w1 = self.plan.week, self.plan.week + WEEK_S
        count = sum(1 for a in self.plan.roster.assignments.values() if w0 <= a.start < w1)
        names = dict(self.service.stations())
        d = to_local(self.plan.week)
        which = (names.get(stations[0], stations[0]) if len(stations) == 1
                 else self.tr("全部 {0} 个单位").format(len(stations)))
        text = (self.tr("发布{0} {1}月{2}日起一周的排班，共 {3} 条？").format(
            which, d.month, d.day, count) + "\n"
            + self.tr("发布后，民警按此上岗；再修改须填写原因并通知相关民警。"))
        return stations, count, text

    def _ask_confirm(self, text: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("确认发布"), text,
                          QMessageBox.StandardButton.NoButton, self)
        ok = box.addButton(self.tr("发布"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("取消"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return box.clickedButton() is ok

    def publish(self) -> bool:
        """发布: after the user confirms the count (all squads at once is a big step), publish
        each station's week; a station with hard violations is refused and explained."""
        stations, _count, question = self.publish_summary()
        if not stations:
            self.show_message(self.tr("没有可发布的单位"), error=True)
            return False
        if not self.confirm_provider(question):
            self.show_message(self.tr("未发布（已取消）"))
            return False
        names = dict(self.service.stations())
        done, refused = [], []
        for sid in stations:
            try:
                result = self.service.publish(sid, self.plan.week)
                done.append(f"{names.get(sid, sid)} v{result.version}")
            except PublishRefused as exc:
                refused.append(f"{names.get(sid, sid)}：{exc}")
                self.violation_model.set_violations(exc.violations)
                self.tabs.setCurrentIndex(0)
        if done:
            # Undo and redo reach back only to the publication.
            self.undo_stack.clear()
        self._refresh_state()
        if refused:
            self.show_message(self.tr("未发布 — ") + "；".join(refused), error=True)
            return False
        self.show_message(self.tr("已发布：") + "、".join(done))
        return True

    # -- files ---------------------------------------------------------------------------------

    def _ask_path(self, title: str, filt: str, save: bool) -> str | None:
        if save:
            path, _ = QFileDialog.getSaveFileName(self, title, "", filt)
        else:
            path, _ = QFileDialog.getOpenFileName(self, title, "", filt)
        return path or None

    def _ask_reason(self, label: str) -> str | None:
        text, ok = QInputDialog.getText(self, self.tr("变更原因"),
                                        self.tr("该周排班已发布。请填写“{0}”的原因：").format(label))
        return text if ok else None

    def _start_file_job(self, label: str, work: Callable[[DutyService, Progress], object],
                        done: Callable[[object], None]) -> _FileJob | None:
        if self._file_job is not None:
            self.show_message(self.tr("上一个文件任务仍在进行，请稍候"), error=True)
            return None
        job = _FileJob(self.ui.app, label, work)
        job.signals.progress.connect(self._on_file_progress)
        job.signals.finished.connect(lambda result: self._file_job_over(job, result, done))
        job.signals.failed.connect(lambda msg: self._file_job_failed(job, msg))
        self._file_job = job
        self.last_file_job = job
        for action in self.file_actions:
            action.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.show_message(self.tr("{0}进行中…").format(label))
        QThreadPool.globalInstance().start(job)
        return job

    @Slot(int, int)
    def _on_file_progress(self, done: int, total: int) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(done)

    def _file_job_end(self, job: _FileJob) -> None:
        if self._file_job is job:
            self._file_job = None
        for action in self.file_actions:
            action.setEnabled(True)
        self.progress.setVisible(False)

    def _file_job_over(self, job: _FileJob, result: object,
                       done: Callable[[object], None]) -> None:
        self._file_job_end(job)
        done(result)
        self.sig_file_job_finished.emit(result)

    def _file_job_failed(self, job: _FileJob, message: str) -> None:
        self._file_job_end(job)
        self.show_message(self.tr("{0}失败：{1}").format(job.label, message), error=True)
        self.sig_file_job_finished.emit(None)

    def export(self, kind: str) -> _FileJob | None:
        """Export the station's day on a worker thread; the board shows progress and the result.
        Returns the running job (None when nothing was started)."""
        station = self.station_id
        if not station:
            stations = sorted({p.station_id for p in self.plan.roster.posts.values()})
            if len(stations) != 1:
                self.show_message(self.tr("请先在“单位”中选择一个单位再导出"), error=True)
                return None
            station = stations[0]
        filt = "PDF (*.pdf)" if kind == "pdf" else "Excel (*.xlsx)"
        path = self.path_provider(self.tr("导出排班表"), filt, True)
        if not path:
            return None
        day = self.day

        def work(service: DutyService, progress: Progress) -> tuple[int, str]:
            progress(0, 2)
            sheet = roster_sheet(service, station, day)
            progress(1, 2)
            if kind == "pdf":
                export_roster_pdf(sheet, path)
            else:
                export_roster_xlsx(sheet, path)
            progress(2, 2)
            return len(sheet.lines), path

        def done(result: object) -> None:
            assert isinstance(result, tuple)
            n, out = result
            self.show_message(self.tr("已导出 {0} 条排班到 {1}").format(n, out))

        return self._start_file_job(self.tr("导出"), work, done)

    def import_excel(self) -> _FileJob | None:
        """Import officers and posts from Excel on a worker thread; bad rows are listed in the
        导入结果 tab. Returns the running job (None when nothing was started)."""
        path = self.path_provider(self.tr("导入民警与岗位"), "Excel (*.xlsx)", False)
        if not path:
            return None

        def work(service: DutyService, progress: Progress) -> ImportReport:
            report = import_xlsx(service, path, progress=progress)
            try:
                service.ensure_defaults()  # requirements for the imported posts
            except Exception:
                log.exception("could not seed requirements for imported posts")
            return report

        def done(result: object) -> None:
            assert isinstance(result, ImportReport)
            report = result
            self.import_model.set_rows([(str(e),) for e in report.errors])
            self.reload()
            self._load_filters()
            if report.errors:
                self.tabs.setCurrentIndex(4)
            self.show_message(report.summary(), error=bool(report.errors))

        return self._start_file_job(self.tr("导入"), work, done)

    # -- supervision ---------------------------------------------------------------------------

    def check_supervision(self) -> None:
        """立即核查: the user asks for a check now (the runtime checks every minute anyway)."""
        try:
            self.supervisor.check()
        except Exception:
            log.exception("supervision check failed")
            self.show_message(self.tr("督导核查失败，详情见日志"), error=True)
            return
        self._refresh_supervision()

    def _refresh_supervision(self) -> None:
        """The 督导 tab: the supervisor's latest findings (脱岗 / 未到岗 / 无定位)."""
        roster = self.plan.roster
        alerts = self.supervisor.last_alerts
        labels = {AnomalyKind.OFF_POST: self.tr("脱岗"), AnomalyKind.NO_SHOW: self.tr("未到岗"),
                  AnomalyKind.NO_FIX: self.tr("无定位")}
        self.supervision_model.set_rows([
            (roster.officer_name(a.officer_id), roster.post_name(a.post_id),
             labels.get(a.kind, a.kind.label), a.message) for a in alerts])
        self.supervision_label.setText(
            self.tr("在岗民警均正常") if not alerts else
            self.tr("需核查 {0} 人").format(len({a.officer_id for a in alerts})))

    def _mark_all_notified(self) -> None:
        self.service.mark_notified([r["id"] for r in self.service.to_notify()])
        self._refresh_notify()

    # -- navigation and filters ----------------------------------------------------------------

    def reload(self) -> None:
        self.plan = self.service.open_week(self.day, self.station_id)
        self._refresh_all()
        if self._settings is not None and self._settings.isVisible():
            self._settings.refresh()
        if self.timeline.mode == "day":
            self.timeline.set_range("day", self.day)

    def set_day(self, day: int) -> None:
        new_week = week_start(day) != self.plan.week
        self.day = day_start(day)
        d = to_local(self.day)
        self.date_edit.blockSignals(True)
        self.date_edit.setDate(QDate(d.year, d.month, d.day))
        self.date_edit.blockSignals(False)
        if new_week:
            # Another week is another undo history.
            self.undo_stack.clear()
            self.reload()
        elif self.timeline.mode == "day":
            self.timeline.set_range("day", self.day)

    def _step(self, n: int) -> None:
        self.set_day(self.day + n * (DAY_S if self.timeline.mode == "day" else WEEK_S))

    def _on_date_changed(self, qd: QDate) -> None:
        self.set_day(date_start(date(qd.year(), qd.month(), qd.day())))

    def _on_range_changed(self) -> None:
        self.timeline.set_range(str(self.range_combo.currentData()), self.day)

    def _on_station_changed(self) -> None:
        self.station_id = str(self.station_combo.currentData() or "") or None
        self.undo_stack.clear()
        self.reload()

    def _on_skill_changed(self) -> None:
        self.skill = str(self.skill_combo.currentData() or "")
        self.timeline.set_posts(self._visible_posts())
        self._refresh_officers()

    def _on_officer_selected(self) -> None:
        idx = self.officer_view.currentIndex()
        oid = str(idx.data(OfficerIdRole) or "") if idx.isValid() else ""
        self.timeline.highlight_officer = oid
        self.timeline.update()
        if oid:
            # 一张图: the map shows where the officer is assigned.
            self.ui.sig_focus_requested.emit("officers", oid)

    def _on_violation_activated(self) -> None:
        idx = self.violation_view.currentIndex()
        if not idx.isValid():
            return
        v = self.violation_model.violation_at(idx.row())
        if v.post_id:
            self.focus_post(v.post_id, v.start)

    def focus_post(self, post_id: str, at: int | None = None) -> None:
        """Scroll the timeline to a post (and time): the map's "open on the board"."""
        if post_id not in self.plan.roster.posts and self.station_id:
            self.station_combo.setCurrentIndex(0)  # show all stations
        row = {p.id: i for i, p in enumerate(self.timeline.posts)}.get(post_id)
        if row is None:
            return
        x = int(self.timeline.x_of(at)) if at is not None else 0
        self.timeline_scroll.ensureVisible(max(0, x), 40 + row * 30 + 15, 200, 40)

    @Slot(str, str)
    def _on_focus_requested(self, entity: str, entity_id: str) -> None:
        if entity == "duty_posts":
            # 一张图: a post clicked on the map opens on the board, so bring the board forward.
            self.focus_post(entity_id, int(self.ui.app.clock()))
            self._raise_dock()
        elif entity == "officers" and entity_id != self.timeline.highlight_officer:
            self.timeline.highlight_officer = entity_id
            self.timeline.update()

    def _raise_dock(self) -> None:
        """Show and raise the dock holding the board (its tab, when tabbed with others)."""
        w = self.parentWidget()
        while w is not None and not isinstance(w, QDockWidget):
            w = w.parentWidget()
        if w is not None:
            w.show()
            w.raise_()

    @Slot(object)
    def _on_changed(self, changes: ChangeSet) -> None:
        if changes.touches("alerts"):
            self._refresh_supervision()
        if changes.origin is self or changes.origin is self.service:
            return
        if changes.touches(*WATCHED):
            # Someone else (sync, import, another panel) changed the plan: re-read it. Their
            # change invalidates our inverses, so the undo history goes too.
            self.undo_stack.clear()
            self.reload()
        elif changes.touches("duty_change_reasons"):
            self._refresh_notify()


__all__ = ["MIME_OFFICER", "DutyBoardPanel", "copy_roster"]
