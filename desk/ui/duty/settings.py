"""The board's 排班设置 dialog: officers' leave (请假/不可用), post requirements per time band
(人数与技能), shift templates (班次模板) and 勤务等级 (一级/二级/三级 for 重大安保), edited through
DutyService as undoable board edits.

Every change goes through ``DutyBoardPanel.push_config`` (one write path, one undo stack), after
which the board re-reads its plan and the rules are judged again at once, so leave over an existing
assignment shows its violation on the bar immediately."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QDateTime, QTime, QTimeZone
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from desk.domain.duty.model import (
    SKILL_LABELS,
    WEEKDAY_LABELS,
    DutyLevel,
    PostRequirement,
    ShiftTemplate,
    Unavailability,
    fmt_min,
    fmt_period,
    skill_label,
)
from desk.services.duty import ConfigChange, DutyError
from desk.ui.duty.models import RowsTableModel

if TYPE_CHECKING:
    from desk.ui.duty.panel import DutyBoardPanel

log = logging.getLogger(__name__)

#: China Standard Time for the date-time editors (the whole duty model is in CST).
_CST = QTimeZone(8 * 3600)
LEAVE_REASONS = ("请假", "病假", "年休假", "培训", "出差", "其他")


def _table(model: RowsTableModel, stretch: int) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    view.setAlternatingRowColors(True)
    return view


def _selected_row(view: QTableView) -> int:
    idx = view.currentIndex()
    return idx.row() if idx.isValid() else -1


class DutySettingsDialog(QDialog):
    """``DutySettingsDialog(panel)``: three tabs (请假/不可用, 岗位需求, 班次模板). Non-modal; the
    board stays usable while it is open. Errors show in the dialog's message line."""

    def __init__(self, panel: DutyBoardPanel) -> None:
        super().__init__(panel)
        self.panel = panel
        self.service = panel.service
        self.setWindowTitle(self.tr("排班设置"))
        self.resize(760, 520)
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_leave(), self.tr("请假/不可用"))
        self.tabs.addTab(self._build_requirements(), self.tr("岗位需求"))
        self.tabs.addTab(self._build_templates(), self.tr("班次模板"))
        self.tabs.addTab(self._build_levels(), self.tr("勤务等级"))
        layout.addWidget(self.tabs, 1)
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.refresh()

    # -- building ------------------------------------------------------------------------------

    def _build_leave(self) -> QWidget:
        w = QWidget()
        v = QVBoxLayout(w)
        self.leave_model = RowsTableModel(
            [self.tr("民警"), self.tr("时间"), self.tr("原因")], self)
        self.leave_view = _table(self.leave_model, 1)
        v.addWidget(self.leave_view, 1)
        self._leave_ids: list[str] = []
        form = QFormLayout()
        self.leave_officer = QComboBox()
        self.leave_officer.setEditable(True)  # type to find an officer among hundreds
        self.leave_officer.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        form.addRow(self.tr("民警"), self.leave_officer)
        self.leave_from = QDateTimeEdit()
        self.leave_to = QDateTimeEdit()
        for edit in (self.leave_from, self.leave_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd HH:mm")
            edit.setTimeZone(_CST)
        day = self.panel.day
        self.leave_from.setDateTime(QDateTime.fromSecsSinceEpoch(day, _CST))
        self.leave_to.setDateTime(QDateTime.fromSecsSinceEpoch(day + 86400, _CST))
        span = QHBoxLayout()
        span.addWidget(self.leave_from)
        span.addWidget(QLabel(self.tr("至")))
        span.addWidget(self.leave_to)
        form.addRow(self.tr("起止"), span)
        self.leave_reason = QComboBox()
        self.leave_reason.setEditable(True)
        self.leave_reason.addItems(list(LEAVE_REASONS))  # stored as data, in Chinese like the rules
        form.addRow(self.tr("原因"), self.leave_reason)
        v.addLayout(form)
        buttons = QHBoxLayout()
        self.leave_add = QPushButton(self.tr("添加请假"))
        self.leave_add.clicked.connect(self.add_leave)
        self.leave_remove = QPushButton(self.tr("删除所选"))
        self.leave_remove.clicked.connect(self.remove_leave)
        buttons.addStretch(1)
        buttons.addWidget(self.leave_add)
        buttons.addWidget(self.leave_remove)
        v.addLayout(buttons)
        return w

    def _build_requirements(self) -> QWidget:
        w = QWidget()
        v = QVBoxLayout(w)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("岗位")))
        self.req_post = QComboBox()
        self.req_post.setEditable(True)
        self.req_post.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.req_post.currentIndexChanged.connect(lambda _i: self._refresh_requirements())
        top.addWidget(self.req_post, 1)
        v.addLayout(top)
        self.req_model = RowsTableModel(
            [self.tr("班次"), self.tr("最少人数"), self.tr("所需技能"), self.tr("适用日")], self)
        self.req_view = _table(self.req_model, 3)
        self.req_view.selectionModel().currentRowChanged.connect(
            lambda cur, _prev: self._load_requirement(cur.row()))
        v.addWidget(self.req_view, 1)
        self._reqs: list[PostRequirement] = []
        form = QFormLayout()
        self.req_template = QComboBox()
        form.addRow(self.tr("班次"), self.req_template)
        self.req_staff = QSpinBox()
        self.req_staff.setRange(0, 50)
        self.req_staff.setValue(1)
        form.addRow(self.tr("最少人数"), self.req_staff)
        skills = QHBoxLayout()
        self.req_skills: dict[str, QCheckBox] = {}
        for key, label in SKILL_LABELS.items():
            box = QCheckBox(label)
            self.req_skills[key] = box
            skills.addWidget(box)
        skills.addStretch(1)
        form.addRow(self.tr("所需技能"), skills)
        days = QHBoxLayout()
        self.req_days: dict[int, QCheckBox] = {}
        for d, label in WEEKDAY_LABELS.items():
            box = QCheckBox(label)
            box.setChecked(True)
            self.req_days[d] = box
            days.addWidget(box)
        days.addStretch(1)
        form.addRow(self.tr("适用日"), days)
        v.addLayout(form)
        buttons = QHBoxLayout()
        self.req_save = QPushButton(self.tr("保存需求"))
        self.req_save.setToolTip(self.tr("该岗位已有此班次的需求时修改它，否则新增"))
        self.req_save.clicked.connect(self.save_requirement)
        self.req_remove = QPushButton(self.tr("删除所选"))
        self.req_remove.clicked.connect(self.remove_requirement)
        buttons.addStretch(1)
        buttons.addWidget(self.req_save)
        buttons.addWidget(self.req_remove)
        v.addLayout(buttons)
        return w

    def _build_levels(self) -> QWidget:
        """勤务等级 (一级/二级/三级) for 重大安保: raise the posts' staffing in an area for a period."""
        w = QWidget()
        v = QVBoxLayout(w)
        hint = QLabel(self.tr("重大安保、警卫任务期间，所选单位的岗位所需警力按等级提高"
                              "（一级加倍，二级×1.5，三级×1.25，向上取整）。"))
        hint.setWordWrap(True)
        v.addWidget(hint)
        self.level_model = RowsTableModel(
            [self.tr("任务"), self.tr("等级"), self.tr("时间"), self.tr("范围")], self)
        self.level_view = _table(self.level_model, 2)
        v.addWidget(self.level_view, 1)
        self._level_ids: list[str] = []
        form = QFormLayout()
        self.level_name = QLineEdit()
        self.level_name.setPlaceholderText(self.tr("如：国际马拉松安保"))
        form.addRow(self.tr("任务"), self.level_name)
        self.level_grade = QComboBox()
        self.level_grade.addItem(self.tr("一级（最高）"), 1)
        self.level_grade.addItem(self.tr("二级"), 2)
        self.level_grade.addItem(self.tr("三级"), 3)
        form.addRow(self.tr("等级"), self.level_grade)
        self.level_from = QDateTimeEdit()
        self.level_to = QDateTimeEdit()
        for edit in (self.level_from, self.level_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd HH:mm")
            edit.setTimeZone(_CST)
        day = self.panel.day
        self.level_from.setDateTime(QDateTime.fromSecsSinceEpoch(day + 6 * 3600, _CST))
        self.level_to.setDateTime(QDateTime.fromSecsSinceEpoch(day + 22 * 3600, _CST))
        span = QHBoxLayout()
        span.addWidget(self.level_from)
        span.addWidget(QLabel(self.tr("至")))
        span.addWidget(self.level_to)
        form.addRow(self.tr("起止"), span)
        self.level_scope = QComboBox()
        form.addRow(self.tr("范围"), self.level_scope)
        v.addLayout(form)
        buttons = QHBoxLayout()
        self.level_add = QPushButton(self.tr("设置勤务等级"))
        self.level_add.clicked.connect(self.add_level)
        self.level_remove = QPushButton(self.tr("取消所选等级"))
        self.level_remove.clicked.connect(self.remove_level)
        buttons.addStretch(1)
        buttons.addWidget(self.level_add)
        buttons.addWidget(self.level_remove)
        v.addLayout(buttons)
        return w

    def _build_templates(self) -> QWidget:
        w = QWidget()
        v = QVBoxLayout(w)
        self.tpl_model = RowsTableModel([self.tr("名称"), self.tr("开始"), self.tr("结束")], self)
        self.tpl_view = _table(self.tpl_model, 0)
        self.tpl_view.selectionModel().currentRowChanged.connect(
            lambda cur, _prev: self._load_template(cur.row()))
        v.addWidget(self.tpl_view, 1)
        self._templates: list[ShiftTemplate] = []
        form = QFormLayout()
        self.tpl_name = QLineEdit()
        self.tpl_name.setPlaceholderText(self.tr("例如：午高峰"))
        form.addRow(self.tr("名称"), self.tpl_name)
        self.tpl_start = QTimeEdit(QTime(7, 0))
        self.tpl_end = QTimeEdit(QTime(9, 0))
        for edit in (self.tpl_start, self.tpl_end):
            edit.setDisplayFormat("HH:mm")
        span = QHBoxLayout()
        span.addWidget(self.tpl_start)
        span.addWidget(QLabel(self.tr("至")))
        span.addWidget(self.tpl_end)
        span.addWidget(QLabel(self.tr("（结束早于开始即跨到次日）")))
        span.addStretch(1)
        form.addRow(self.tr("时段"), span)
        v.addLayout(form)
        buttons = QHBoxLayout()
        self.tpl_new = QPushButton(self.tr("新增班次"))
        self.tpl_new.clicked.connect(lambda: self.save_template(new=True))
        self.tpl_save = QPushButton(self.tr("修改所选"))
        self.tpl_save.clicked.connect(lambda: self.save_template(new=False))
        self.tpl_remove = QPushButton(self.tr("删除所选"))
        self.tpl_remove.clicked.connect(self.remove_template)
        buttons.addStretch(1)
        buttons.addWidget(self.tpl_new)
        buttons.addWidget(self.tpl_save)
        buttons.addWidget(self.tpl_remove)
        v.addLayout(buttons)
        return w

    # -- refreshing ----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read officers, posts, templates and the lists (after any change, ours or not)."""
        self._fill_combo(self.leave_officer, [
            (o.id, f"{o.name}（{o.badge}）" if o.badge else o.name)
            for o in self.service.officers(self.panel.station_id)])
        self._fill_combo(self.req_post, [(p.id, p.name)
                                         for p in self.service.posts(self.panel.station_id)])
        self._templates = self.service.templates()
        self._fill_combo(self.req_template, [
            (t.id, f"{t.name} {fmt_min(t.start_min)}–{fmt_min(t.end_min)}")
            for t in self._templates])
        self.tpl_model.set_rows([(t.name, fmt_min(t.start_min), fmt_min(t.end_min))
                                 for t in self._templates])
        self._refresh_leave()
        self._refresh_requirements()
        self._refresh_levels()

    def _refresh_levels(self) -> None:
        stations = dict(self.service.stations())
        self._fill_combo(self.level_scope, [("", self.tr("全部单位")), *sorted(stations.items())])
        levels = self.service.levels()
        self._level_ids = [lv.id for lv in levels]
        self.level_model.set_rows([
            (lv.name, lv.grade_label, fmt_period(lv.start, lv.end),
             "、".join(stations.get(s, s) for s in sorted(lv.station_ids)) or self.tr("全部单位"))
            for lv in levels])

    @staticmethod
    def _fill_combo(combo: QComboBox, items: list[tuple[str, str]]) -> None:
        keep = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        for key, text in items:
            combo.addItem(text, key)
        idx = combo.findData(keep)
        combo.setCurrentIndex(idx if idx >= 0 else (0 if items else -1))
        combo.blockSignals(False)

    def _refresh_leave(self) -> None:
        names = {o.id: o.name for o in self.service.officers()}
        station_officers = {o.id for o in self.service.officers(self.panel.station_id)}
        rows = [u for u in self.service.unavailability_of() if u.officer_id in station_officers]
        self._leave_ids = [u.id for u in rows]
        self.leave_model.set_rows([(names.get(u.officer_id, u.officer_id),
                                    fmt_period(u.start, u.end), u.reason) for u in rows])

    def _refresh_requirements(self) -> None:
        post_id = self.req_post.currentData()
        tpl_names = {t.id: t.name for t in self._templates}
        self._reqs = sorted(self.service.requirements([post_id]) if post_id else [],
                            key=lambda r: [t.id for t in self._templates].index(r.template_id)
                            if r.template_id in tpl_names else 99)
        self.req_model.set_rows([
            (tpl_names.get(r.template_id, r.template_id), r.min_staff,
             "、".join(skill_label(s) for s in sorted(r.skills)) or self.tr("无"),
             self.tr("每天") if len(r.weekdays) == 7 else "、".join(
                 WEEKDAY_LABELS[d] for d in sorted(r.weekdays)))
            for r in self._reqs])

    def _load_requirement(self, row: int) -> None:
        if not 0 <= row < len(self._reqs):
            return
        r = self._reqs[row]
        self.req_template.setCurrentIndex(max(0, self.req_template.findData(r.template_id)))
        self.req_staff.setValue(r.min_staff)
        for key, box in self.req_skills.items():
            box.setChecked(key in r.skills)
        for d, box in self.req_days.items():
            box.setChecked(d in r.weekdays)

    def _load_template(self, row: int) -> None:
        if not 0 <= row < len(self._templates):
            return
        t = self._templates[row]
        self.tpl_name.setText(t.name)
        self.tpl_start.setTime(QTime(t.start_min // 60, t.start_min % 60))
        end = t.end_min % 1440
        self.tpl_end.setTime(QTime(end // 60, end % 60))

    # -- applying ------------------------------------------------------------------------------

    def _apply(self, make: object) -> bool:
        """Build the change (``make()``, may raise DutyError) and push it on the board."""
        try:
            change: ConfigChange = make()  # type: ignore[operator]
        except DutyError as exc:
            self.show_message(str(exc), error=True)
            return False
        ok = self.panel.push_config(change)
        if ok:
            self.show_message(self.tr("已保存：{0}").format(change.label))
        else:
            self.show_message(self.panel.banner.text(), error=True)
        self.refresh()
        return ok

    def show_message(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet(f"color: {'#ff6b6b' if error else '#9fd3ff'};")
        self.message.setText(text)
        if error:
            log.warning("duty settings: %s", text)

    def add_leave(self) -> bool:
        officer_id = self.leave_officer.currentData()
        if not officer_id or self.leave_officer.currentText() != self.leave_officer.itemText(
                self.leave_officer.currentIndex()):
            self.show_message(self.tr("请从列表中选择民警"), error=True)
            return False
        start = int(self.leave_from.dateTime().toSecsSinceEpoch())
        end = int(self.leave_to.dateTime().toSecsSinceEpoch())
        reason = self.leave_reason.currentText().strip()
        u = Unavailability(self.service.new_config_id("ua"), str(officer_id), start, end, reason)
        return self._apply(lambda: self.service.unavailability_change(u))

    def add_level(self) -> bool:
        scope = str(self.level_scope.currentData() or "")
        level = DutyLevel(self.service.new_config_id("lv"), self.level_name.text(),
                          int(self.level_grade.currentData()),
                          int(self.level_from.dateTime().toSecsSinceEpoch()),
                          int(self.level_to.dateTime().toSecsSinceEpoch()),
                          frozenset({scope}) if scope else frozenset())
        return self._apply(lambda: self.service.level_change(level))

    def remove_level(self) -> bool:
        row = _selected_row(self.level_view)
        if not 0 <= row < len(self._level_ids):
            self.show_message(self.tr("请先在列表中选择一个勤务等级"), error=True)
            return False
        lid = self._level_ids[row]
        return self._apply(lambda: self.service.remove_level_change(lid))

    def remove_leave(self) -> bool:
        row = _selected_row(self.leave_view)
        if not 0 <= row < len(self._leave_ids):
            self.show_message(self.tr("请先在列表中选择一条请假记录"), error=True)
            return False
        uid = self._leave_ids[row]
        return self._apply(lambda: self.service.remove_unavailability_change(uid))

    def save_requirement(self) -> bool:
        post_id = self.req_post.currentData()
        tpl_id = self.req_template.currentData()
        if not post_id or not tpl_id:
            self.show_message(self.tr("请选择岗位和班次"), error=True)
            return False
        existing = next((r for r in self._reqs if r.template_id == tpl_id), None)
        req = PostRequirement(
            existing.id if existing else self.service.new_config_id("req"), str(post_id),
            str(tpl_id), self.req_staff.value(),
            frozenset(k for k, b in self.req_skills.items() if b.isChecked()),
            frozenset(d for d, b in self.req_days.items() if b.isChecked()))
        return self._apply(lambda: self.service.requirement_change(req))

    def remove_requirement(self) -> bool:
        row = _selected_row(self.req_view)
        if not 0 <= row < len(self._reqs):
            self.show_message(self.tr("请先在列表中选择一条需求"), error=True)
            return False
        rid = self._reqs[row].id
        return self._apply(lambda: self.service.remove_requirement_change(rid))

    def save_template(self, new: bool) -> bool:
        row = _selected_row(self.tpl_view)
        if not new and not 0 <= row < len(self._templates):
            self.show_message(self.tr("请先在列表中选择要修改的班次"), error=True)
            return False
        s, e = self.tpl_start.time(), self.tpl_end.time()
        start = s.hour() * 60 + s.minute()
        end = e.hour() * 60 + e.minute()
        if end <= start:
            end += 1440  # ends the next day (夜查 21:00–02:00)
        tid = self.service.new_config_id("tpl") if new else self._templates[row].id
        tpl = ShiftTemplate(tid, self.tpl_name.text(), start, end)
        return self._apply(lambda: self.service.template_change(tpl))

    def remove_template(self) -> bool:
        row = _selected_row(self.tpl_view)
        if not 0 <= row < len(self._templates):
            self.show_message(self.tr("请先在列表中选择要删除的班次"), error=True)
            return False
        tid = self._templates[row].id
        return self._apply(lambda: self.service.remove_template_change(tid))
