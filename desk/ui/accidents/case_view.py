"""The case workspace (案件工作区): facts, parties side by side, the eligibility checklist, liability
pickers with the suggestion and the combination check, evidence, documents and the state log.

Everything typed is saved as a draft shortly after typing stops (and before any state change or
case switch), so nothing is lost; what a decision still needs is listed, not enforced while typing.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import (
    QDate,
    QDateTime,
    QEvent,
    QObject,
    QPoint,
    QRect,
    QSize,
    Qt,
    QTime,
    QTimer,
    QTimeZone,
    Signal,
)
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLayout,
    QLayoutItem,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desk.domain.accidents import (
    COLLISION_POINTS,
    CONDITIONAL,
    CONFIRM_METHODS,
    LICENCE_TYPES,
    REASON_REQUIRED,
    REOPENABLE,
    RULES,
    VEHICLE_TYPES,
    VEHICLE_USES,
    WEATHER,
    AccidentCase,
    AccidentType,
    CaseState,
    CollisionForm,
    EvidenceKind,
    LiabilityLevel,
    LiabilitySuggestion,
    Party,
    can_transition,
    combination_problems,
    default_fault,
    format_wait,
    identity_problem,
    is_motor,
    route_case,
    suggest_liability,
)
from desk.domain.accidents.places import INTERSECTIONS
from desk.domain.accidents.validators import phone_problem, plate_problem
from desk.services.accidents import AccidentError, AccidentService

log = logging.getLogger(__name__)

AUTOSAVE_MS = 600
_ANSWERS = (None, True, False)  # checklist combo order: 未核实, 是, 否
ERROR_STYLE = "color: #ff7070;"
OK_STYLE = "color: #6fd38a;"
HINT_STYLE = "color: #9fb3c8;"
MIN_WIDTH = 300
PARTY_MIN_WIDTH = 330
BLOCKERS_SHOWN = 3
CONFIRM_SHORT = {"paper": "受理席当面签字", "phone": "电话确认", "scene": "现场签字"}
CST = QTimeZone(b"Asia/Shanghai")
_NOT_SET = QDateTime(QDate(2000, 1, 1), QTime(0, 0), CST)  # the 事故时间 editor's "未填写"


class WheelGuard(QObject):
    """Keeps the mouse wheel from changing a combo box or spin box the user has not clicked
    into: scrolling the form over a 是/否 answer must scroll the form, not flip the answer. The
    wheel goes to the enclosing scroll area instead."""

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.Wheel
                and isinstance(obj, (QComboBox, QAbstractSpinBox)) and not obj.hasFocus()):
            area = _scroll_area_of(obj)
            if area is not None:
                QApplication.sendEvent(area.verticalScrollBar(), event)
            event.ignore()
            return True
        return super().eventFilter(obj, event)


def _scroll_area_of(widget: QWidget) -> QScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    return parent


def guard_wheel(root: QWidget, guard: WheelGuard) -> None:
    """Install ``guard`` on every combo and spin box under ``root`` (once each); they take focus
    by click or Tab only, never by the wheel. Combos also stop asking for the width of their
    longest item (a long place name must not widen the dock)."""
    for widget in [*root.findChildren(QComboBox), *root.findChildren(QAbstractSpinBox)]:
        if widget.property("wheelGuarded"):
            continue
        if isinstance(widget, QComboBox):
            widget.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            widget.setMinimumContentsLength(6)
        widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        widget.installEventFilter(guard)
        widget.setProperty("wheelGuarded", True)


class FlowLayout(QLayout):
    """Lays buttons out left to right and wraps to the next row when the width runs out, so a
    narrow dock shows every button whole instead of cutting their text (and never pushes its
    own minimum width onto the dock)."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._place(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._place(rect, apply=True)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def _place(self, rect: QRect, *, apply: bool) -> int:
        x, y, row_h = rect.x(), rect.y(), 0
        for item in self._items:
            if item.isEmpty():
                continue
            hint = item.sizeHint()
            if x + hint.width() > rect.right() + 1 and row_h > 0:
                x = rect.x()
                y += row_h + self._spacing
                row_h = 0
            if apply:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._spacing
            row_h = max(row_h, hint.height())
        return y + row_h - rect.y()


class PartyForm(QGroupBox):
    """One party's fields with inline validation messages. ``load`` refills the same widgets
    for another party (opening a case re-uses forms instead of rebuilding them)."""

    sig_edited = Signal()
    sig_confirm_requested = Signal(str, str, bool)
    """The dispatcher recorded how this party confirmed: (party id, method key, refused)."""

    def __init__(self, party: Party, accident_type: AccidentType, parent: QWidget | None = None):
        super().__init__(party.title, parent)
        self._loading = True
        form = QFormLayout(self)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.name = QLineEdit()
        self.licence_type = QComboBox()
        for key, label in LICENCE_TYPES.items():
            self.licence_type.addItem(label.split("（")[0], key)
            self.licence_type.setItemData(self.licence_type.count() - 1, label,
                                          Qt.ItemDataRole.ToolTipRole)
        self.id_number = QLineEdit()
        self.id_number.setMaxLength(22)
        self.licence_no = QLineEdit()
        self.licence_no.setPlaceholderText(self.tr("居民身份证号即驾驶证号"))
        self.permitted_class = QLineEdit()
        self.permitted_class.setPlaceholderText("C1")
        self.permitted_class.setMaxLength(12)
        self.phone = QLineEdit()
        self.vehicle_type = QComboBox()
        self.vehicle_type.setEditable(True)
        self.vehicle_type.addItems(["", *VEHICLE_TYPES])
        self.vehicle_use = QComboBox()
        self.vehicle_use.addItems(["", *VEHICLE_USES])
        self.plate = QLineEdit()
        self.plate.setPlaceholderText("豫A12345 / 豫AD12345")
        self.insurer = QLineEdit()
        self.policy_no = QLineEdit()
        self.initiator = QCheckBox()
        self.fault = QLineEdit()
        self.fault.setPlaceholderText(self.tr("过错/违法行为（定责时写入认定书）"))
        self.legal_basis = QLineEdit()
        self.legal_basis.setPlaceholderText(self.tr("法律依据"))
        self.confirm = QComboBox()
        self.confirm.addItem(self.tr("未确认"), "")
        for key, label in CONFIRM_METHODS.items():
            self.confirm.addItem(CONFIRM_SHORT.get(key, label), key)
            self.confirm.setItemData(self.confirm.count() - 1, label, Qt.ItemDataRole.ToolTipRole)
        self.refused = QCheckBox(self.tr("拒绝签名"))
        self.confirm_note = QLabel()
        self.confirm_note.setStyleSheet(HINT_STYLE)
        self.confirm_note.setWordWrap(True)
        self.errors = QLabel()
        self.errors.setWordWrap(True)
        self.errors.setStyleSheet(ERROR_STYLE)
        form.addRow(self.tr("姓名"), self.name)
        form.addRow(self.tr("证件类型"), self.licence_type)
        form.addRow(self.tr("证件号码"), self.id_number)
        form.addRow(self.tr("驾驶证号"), self.licence_no)
        form.addRow(self.tr("准驾车型"), self.permitted_class)
        form.addRow(self.tr("电话"), self.phone)
        form.addRow(self.tr("车辆类型"), self.vehicle_type)
        form.addRow(self.tr("使用性质"), self.vehicle_use)
        form.addRow(self.tr("号牌"), self.plate)
        form.addRow(self.tr("保险公司"), self.insurer)
        form.addRow(self.tr("保单号"), self.policy_no)
        form.addRow("", self.initiator)
        form.addRow(self.tr("过错"), self.fault)
        form.addRow(self.tr("依据"), self.legal_basis)
        form.addRow(self.tr("确认"), self.confirm)
        form.addRow("", self.refused)
        form.addRow(self.confirm_note)
        form.addRow(self.errors)
        for edit in self._edits():
            edit.textEdited.connect(self._edited)
        self.vehicle_type.currentTextChanged.connect(self._edited)
        self.vehicle_use.currentIndexChanged.connect(self._edited)
        self.licence_type.currentIndexChanged.connect(self._edited)
        self.initiator.toggled.connect(self._edited)
        self.confirm.activated.connect(self._confirm_changed)
        self.refused.clicked.connect(self._confirm_changed)
        self.load(party, accident_type)

    def _edits(self) -> tuple[QLineEdit, ...]:
        return (self.name, self.id_number, self.licence_no, self.permitted_class, self.phone,
                self.plate, self.insurer, self.policy_no, self.fault, self.legal_basis)

    def load(self, party: Party, accident_type: AccidentType) -> None:
        """Show ``party`` in these widgets (no edit signals while loading)."""
        self._loading = True
        try:
            self.party_id = party.id
            self.seq = party.seq
            self.setTitle(party.title)
            for edit, value in ((self.name, party.name), (self.id_number, party.id_number),
                                (self.licence_no, party.licence_no),
                                (self.permitted_class, party.permitted_class),
                                (self.phone, party.phone), (self.plate, party.plate),
                                (self.insurer, party.insurer), (self.policy_no, party.policy_no),
                                (self.fault, party.fault),
                                (self.legal_basis, party.legal_basis)):
                if edit.text() != value:
                    edit.setText(value)
            self.licence_type.setCurrentIndex(max(0, self.licence_type.findData(
                party.licence_type or "resident")))
            self.vehicle_type.setCurrentText(party.vehicle_type)
            self.vehicle_use.setCurrentText(party.vehicle_use)
            self.initiator.setChecked(party.initiator)
            self.confirm.setCurrentIndex(max(0, self.confirm.findData(party.confirm_method)))
            self.refused.setChecked(party.signature_refused)
            if party.confirm_method or party.signature_refused:
                when = format_cst(party.confirmed_at, "%m-%d %H:%M") if party.confirmed_at else ""
                self.confirm_note.setText(self.tr("{0} 记录于 {1}（北京时间）").format(
                    party.confirmed_by, when))
            else:
                self.confirm_note.setText("")
            self.set_type(accident_type)
        finally:
            self._loading = False
        self.validate()

    def set_type(self, accident_type: AccidentType) -> None:
        self.initiator.setText(self.tr("本方为{0}").format(accident_type.initiator))
        self.initiator.setEnabled(accident_type is not AccidentType.OTHER)

    def _edited(self, *_: object) -> None:
        if self._loading:
            return
        self.validate()
        self.sig_edited.emit()

    def _confirm_changed(self, *_: object) -> None:
        if self._loading:
            return
        self.sig_confirm_requested.emit(self.party_id, str(self.confirm.currentData() or ""),
                                        self.refused.isChecked())

    def validate(self) -> None:
        """Inline messages for what is typed (empty fields are not complained about here)."""
        licence_type = str(self.licence_type.currentData() or "resident")
        self.licence_no.setEnabled(licence_type != "resident" and not self.name.isReadOnly())
        motor = is_motor(self.vehicle_type.currentText().strip())
        for w in (self.plate, self.insurer, self.policy_no, self.permitted_class):
            w.setPlaceholderText("" if motor else self.tr("非机动车可不填"))
        problems = []
        for edit, found in (
            (self.id_number, identity_problem(licence_type, self.id_number.text())),
            (self.phone, phone_problem(self.phone.text())),
            (self.plate, plate_problem(self.plate.text())),
        ):
            problem = found if edit.text().strip() else None
            edit.setToolTip(problem or "")
            _style(edit, "border-color: #ff7070;" if problem else "")
            if problem:
                problems.append(problem)
        self.errors.setText("\n".join(problems))
        self.errors.setVisible(bool(problems))

    def apply_to(self, party: Party) -> Party:
        return replace(
            party, name=self.name.text().strip(), id_number=self.id_number.text().strip().upper(),
            phone=self.phone.text().strip(), vehicle_type=self.vehicle_type.currentText().strip(),
            plate=self.plate.text().strip().upper(), insurer=self.insurer.text().strip(),
            policy_no=self.policy_no.text().strip(), initiator=self.initiator.isChecked(),
            licence_type=str(self.licence_type.currentData() or "resident"),
            licence_no=self.licence_no.text().strip().upper(),
            permitted_class=self.permitted_class.text().strip().upper(),
            vehicle_use=self.vehicle_use.currentText().strip(),
            fault=self.fault.text().strip(), legal_basis=self.legal_basis.text().strip(),
        )

    def set_editable(self, editable: bool) -> None:
        for w in self._edits():
            w.setReadOnly(not editable)
        for combo in (self.vehicle_type, self.vehicle_use, self.licence_type, self.confirm):
            combo.setEnabled(editable)
        self.refused.setEnabled(editable)
        self.initiator.setEnabled(editable and self.initiator.isEnabled())
        self.validate()


class CaseWorkspace(QWidget):
    """Shows and edits one case; the panel hands it case ids and it talks to the service."""

    sig_case_changed = Signal(str)
    """A case was saved or moved to another state (the queue refreshes that row)."""

    sig_general_procedure = Signal(str)
    """The case left quick handling (to the scene or to 一般程序); carries its id."""

    sig_message = Signal(str)
    """A short message for the status bar."""

    sig_video_requested = Signal(str, str)
    """视频: the wall of the cameras nearest to this case ("accident_cases", case id)."""

    def __init__(
        self,
        service: AccidentService,
        clock: Callable[[], float] = time.time,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.clock = clock
        self.case: AccidentCase | None = None
        self._loading = False
        self._stale_tabs: set[int] = set()
        self._wheel_guard = WheelGuard(self)
        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(AUTOSAVE_MS)
        self._autosave.timeout.connect(self.save_now)
        self._party_forms: list[PartyForm] = []
        self._liability_boxes: list[QComboBox] = []
        self._liability_labels: list[QLabel] = []
        self._suggestion: LiabilitySuggestion | None = None
        self._build()
        guard_wheel(self, self._wheel_guard)
        self.show_case(None)

    # -- building ------------------------------------------------------------------------------

    def _build(self) -> None:
        # The theme draws no box around an unchecked indicator; collision points and the
        # initiator flag must look clickable.
        self.setStyleSheet(
            "QCheckBox::indicator { border: 1px solid #5d7a96; border-radius: 2px;"
            " background: #121b26; }"
            "QCheckBox::indicator:checked { background: #3aa0ff; border-color: #3aa0ff; }"
            "QCheckBox::indicator:disabled { border-color: #31445a; }")
        self.title = QLabel()
        self.title.setObjectName("caseTitle")
        self.title.setStyleSheet("font-size: 18px; font-weight: bold;")
        self.title.setMinimumWidth(40)
        self.state_badge = QLabel()
        self.state_badge.setStyleSheet(
            "padding: 2px 10px; border-radius: 9px; background: #1f5f99; font-weight: bold;")
        self.timer_label = QLabel()
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.state_badge)
        header.addWidget(self.timer_label)

        self.buttons: dict[CaseState, QPushButton] = {}
        button_box = QWidget()
        actions = FlowLayout(button_box)
        for state, text, key in (
            (CaseState.ACCEPTED, self.tr("受理"), "Alt+A"),
            (CaseState.DECIDED, self.tr("定责"), "Alt+D"),
            (CaseState.SELF_SETTLED, self.tr("自行协商"), "Alt+S"),
            (CaseState.CLAIM_PUSHED, self.tr("推送理赔"), "Alt+P"),
            (CaseState.CLOSED, self.tr("结案"), "Alt+C"),
            (CaseState.ON_SCENE, self.tr("转现场处理"), "Alt+J"),
            (CaseState.GENERAL_PROCEDURE, self.tr("转一般程序"), "Alt+G"),
            (CaseState.CANCELLED, self.tr("撤销"), "Alt+X"),
        ):
            button = QPushButton(f"{text} ({key})")
            button.setObjectName(f"btn_{state.value}")
            button.setToolTip(state.label)
            button.clicked.connect(lambda _=False, s=state: self.request_transition(s))
            actions.addWidget(button)
            self.buttons[state] = button
        self.reopen_btn = QPushButton(self.tr("发现伤员，重新立案 (Alt+R)"))
        self.reopen_btn.setObjectName("btn_reopen")
        self.reopen_btn.clicked.connect(lambda _=False: self.request_reopen())
        actions.addWidget(self.reopen_btn)
        self.video_btn = QPushButton(self.tr("视频 (Alt+V)"))
        self.video_btn.setShortcut("Alt+V")
        self.video_btn.clicked.connect(lambda _=False: self.request_video())
        actions.addWidget(self.video_btn)

        self.blockers = QLabel()
        self.blockers.setWordWrap(True)
        _style(self.blockers, "color: #ffc94a;")
        self.blockers.setMinimumWidth(40)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_main_tab(), self.tr("案情与认定"))
        self.evidence_tab = self._build_evidence_tab()
        self.tabs.addTab(self.evidence_tab, self.tr("证据"))
        self.tabs.addTab(self._build_documents_tab(), self.tr("文书与理赔"))
        self.log_list = QListWidget()
        self.tabs.addTab(self.log_list, self.tr("流转记录"))
        self.tabs.currentChanged.connect(self._tab_shown)

        self.empty = QLabel(self.tr("从左侧队列选择案件（回车打开，Alt+N 下一件）"))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet(HINT_STYLE)
        self.empty.setWordWrap(True)

        self.body = QWidget()
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.addLayout(header)
        body.addWidget(button_box)
        body.addWidget(self.blockers)
        body.addWidget(self.tabs, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addWidget(self.body)
        # The case view never asks the dock for more width than this: wider content scrolls
        # inside the tabs, so opening a case cannot squeeze the map.
        self.setMinimumWidth(MIN_WIDTH)
        self.body.setMinimumWidth(0)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def minimumSizeHint(self) -> QSize:
        return QSize(MIN_WIDTH, super().minimumSizeHint().height())

    def _build_main_tab(self) -> QWidget:
        page = QWidget()
        v = QVBoxLayout(page)
        # Facts
        facts = QGroupBox(self.tr("案情"))
        self.place = QComboBox()
        self.place.setEditable(True)
        self.place.addItems([i.name for i in INTERSECTIONS])
        self.position = QLabel()
        self.position.setStyleSheet(HINT_STYLE)
        self.occurred = QDateTimeEdit()
        self.occurred.setTimeZone(CST)
        self.occurred.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.occurred.setMinimumDateTime(_NOT_SET)
        self.occurred.setSpecialValueText(self.tr("未填写"))
        self.occurred.setToolTip(self.tr("事故发生时间（北京时间），不是报警时间"))
        self.weather = QComboBox()
        self.weather.addItems(["", *WEATHER])
        self.accident_type = QComboBox()
        for kind in AccidentType:
            self.accident_type.addItem(kind.label, kind)
        self.collision_form = QComboBox()
        self.collision_form.addItem("", None)
        for form in CollisionForm:
            self.collision_form.addItem(form.label, form)
        self.points: dict[str, QCheckBox] = {}
        points_box = QWidget()
        points_row = FlowLayout(points_box)
        for name in COLLISION_POINTS:
            box = QCheckBox(name)
            box.toggled.connect(self._edited)
            self.points[name] = box
            points_row.addWidget(box)
        self.narrative = QPlainTextEdit()
        self.narrative.setPlaceholderText(self.tr("事故经过（当事人陈述、视频核实情况）"))
        self.narrative.setMaximumHeight(64)
        self.mediation = QCheckBox(self.tr("当事人共同申请当场调解"))
        self.mediation_result = QLineEdit()
        self.mediation_result.setPlaceholderText(self.tr("调解结果（第25条，写入认定书）"))
        # One label–field pair per row: the form fits a narrow dock without a sideways scroll.
        grid = QFormLayout(facts)
        grid.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        grid.addRow(self.tr("地点"), self.place)
        grid.addRow("", self.position)
        grid.addRow(self.tr("事故时间"), self.occurred)
        grid.addRow(self.tr("天气"), self.weather)
        grid.addRow(self.tr("事故情形"), self.accident_type)
        grid.addRow(self.tr("事故形态"), self.collision_form)
        grid.addRow(self.tr("碰撞部位"), points_box)
        grid.addRow(self.tr("经过"), self.narrative)
        grid.addRow(self.mediation)
        grid.addRow(self.tr("调解结果"), self.mediation_result)
        self.place.currentTextChanged.connect(self._edited)
        self.occurred.dateTimeChanged.connect(self._edited)
        self.weather.currentIndexChanged.connect(self._edited)
        self.accident_type.currentIndexChanged.connect(self._type_changed)
        self.collision_form.currentIndexChanged.connect(self._edited)
        self.narrative.textChanged.connect(self._edited)
        self.mediation.toggled.connect(self._edited)
        self.mediation_result.textEdited.connect(self._edited)
        v.addWidget(facts)

        # Parties side by side; the add button lives in the box's title row so the forms keep
        # their places when a party is added.
        self.parties_box = QGroupBox(self.tr("当事人"))
        parties_v = QVBoxLayout(self.parties_box)
        self.add_party_btn = QPushButton(self.tr("＋ 当事人"))
        self.add_party_btn.clicked.connect(self._add_party)
        top = QHBoxLayout()
        top.addStretch(1)
        top.addWidget(self.add_party_btn)
        parties_v.addLayout(top)
        self.parties_row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        parties_v.addLayout(self.parties_row)
        v.addWidget(self.parties_box)

        # Liability
        liability = QGroupBox(self.tr("责任认定"))
        self.liability_layout = QVBoxLayout(liability)
        self.liability_rows = QGridLayout()
        self.suggestion_label = QLabel()
        self.suggestion_label.setWordWrap(True)
        self.suggestion_label.setStyleSheet(HINT_STYLE)
        self.apply_suggestion = QPushButton(self.tr("采用建议"))
        self.apply_suggestion.clicked.connect(self._apply_suggestion)
        self.override_reason = QLineEdit()
        self.override_reason.setPlaceholderText(self.tr("与建议不一致时填写理由"))
        self.override_reason.textEdited.connect(self._edited)
        self.combination_label = QLabel()
        self.combination_label.setWordWrap(True)
        self.liability_layout.addLayout(self.liability_rows)
        sug = QHBoxLayout()
        sug.addWidget(self.suggestion_label, 1)
        sug.addWidget(self.apply_suggestion)
        self.liability_layout.addLayout(sug)
        self.liability_layout.addWidget(self.override_reason)
        self.liability_layout.addWidget(self.combination_label)
        v.addWidget(liability)

        # Eligibility checklist, two columns; the injury questions only after an injury.
        checklist = QGroupBox(self.tr("快处条件核查（公安部令第146号）"))
        cl = QGridLayout(checklist)
        self.checks: dict[str, QComboBox] = {}
        for i, rule in enumerate(RULES):
            combo = QComboBox()
            combo.addItems([self.tr("未核实"), self.tr("是"), self.tr("否")])
            combo.currentIndexChanged.connect(self._edited)
            combo.setObjectName(f"check_{rule.key}")
            self.checks[rule.key] = combo
            label = QLabel(rule.question)
            label.setToolTip(f"{rule.article}：{rule.refusal} → {rule.route.label}")
            label.setWordWrap(True)
            cl.addWidget(label, i // 2, (i % 2) * 2)
            cl.addWidget(combo, i // 2, (i % 2) * 2 + 1)
        cl.setColumnStretch(0, 1)
        cl.setColumnStretch(2, 1)
        self.eligibility_label = QLabel()
        self.eligibility_label.setWordWrap(True)
        cl.addWidget(self.eligibility_label, (len(RULES) + 1) // 2, 0, 1, 4)
        v.addWidget(checklist)
        v.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(page)
        self.main_scroll = scroll
        scroll.viewport().installEventFilter(self)
        return scroll

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and obj is self.main_scroll.viewport():
            # Parties side by side when there is room for two forms, else one under the other.
            wide = self.main_scroll.viewport().width() >= 2 * PARTY_MIN_WIDTH
            direction = (QBoxLayout.Direction.LeftToRight if wide
                         else QBoxLayout.Direction.TopToBottom)
            if self.parties_row.direction() != direction:
                self.parties_row.setDirection(direction)
        return super().eventFilter(obj, event)

    def _build_evidence_tab(self) -> QWidget:
        from desk.ui.accidents.evidence_view import EvidenceViewer

        self.evidence = EvidenceViewer()
        self.evidence.sig_add_requested.connect(self._choose_evidence)
        return self.evidence

    def _build_documents_tab(self) -> QWidget:
        page = QWidget()
        v = QVBoxLayout(page)
        row = QHBoxLayout()
        self.doc_label = QLabel()
        self.doc_label.setWordWrap(True)
        self.save_doc_btn = QPushButton(self.tr("另存/打印文书…"))
        self.save_doc_btn.clicked.connect(self._save_document_copy)
        row.addWidget(self.doc_label, 1)
        row.addWidget(self.save_doc_btn)
        v.addLayout(row)
        self.pdf_doc = QPdfDocument(self)
        self.pdf_view = QPdfView(page)
        self.pdf_view.setDocument(self.pdf_doc)
        self.pdf_view.setPageMode(QPdfView.PageMode.MultiPage)
        self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        v.addWidget(self.pdf_view, 3)
        v.addWidget(QLabel(self.tr("理赔推送")))
        self.insurance = QTableWidget(0, 4)
        self.insurance.setHorizontalHeaderLabels(
            [self.tr("当事人"), self.tr("号牌"), self.tr("保险公司"), self.tr("状态")])
        self.insurance.horizontalHeader().setStretchLastSection(True)
        self.insurance.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.insurance.setMaximumHeight(130)
        v.addWidget(self.insurance, 1)
        return page

    # -- showing -------------------------------------------------------------------------------

    def current_id(self) -> str | None:
        return self.case.id if self.case else None

    def request_video(self) -> None:
        if self.case is not None:
            self.sig_video_requested.emit("accident_cases", self.case.id)

    def show_case(self, case_id: str | None) -> None:
        """Open a case (saving the one being edited first)."""
        self.save_now()
        if case_id is None:
            self.case = None
            self.body.hide()
            self.empty.show()
            return
        try:
            self.case = self.service.get(case_id)
        except AccidentError as exc:
            self.sig_message.emit(str(exc))
            log.warning("cannot open case %s: %s", case_id, exc)
            return
        self.empty.hide()
        self.body.show()
        self._fill()

    def reload(self) -> None:
        """Re-read the case after an outside change; keeps unsaved typing untouched (it is
        saved field by field over the stored state)."""
        if self.case is None:
            return
        if self._autosave.isActive():
            return  # our own edits are pending; they will be saved field by field
        try:
            stored = self.service.get(self.case.id)
        except AccidentError:
            self.show_case(None)
            return
        if stored == self.case:
            return
        self.case = stored
        self._fill()

    def _fill(self) -> None:
        case = self.case
        assert case is not None
        self._loading = True
        try:
            # The day's sequence is what people say aloud; the full number is the tooltip.
            parts = case.case_no.split("-")
            self.title.setText(parts[1] if len(parts) >= 3 else case.case_no)
            self.title.setToolTip(f"{case.case_no}  {case.place}")
            self.place.setCurrentText(case.place)
            self.position.setText(
                f"{case.lat:.5f}, {case.lon:.5f}" if case.lat is not None and case.lon is not None
                else self.tr("未定位"))
            self.occurred.setDateTime(
                QDateTime.fromSecsSinceEpoch(int(case.occurred_at), CST)
                if case.occurred_at is not None else _NOT_SET)
            self.weather.setCurrentText(case.weather)
            self.accident_type.setCurrentIndex(list(AccidentType).index(case.accident_type))
            self.collision_form.setCurrentIndex(
                0 if case.collision_form is None
                else list(CollisionForm).index(case.collision_form) + 1)
            for name, box in self.points.items():
                box.setChecked(name in case.collision_points)
            if self.narrative.toPlainText() != case.narrative:
                self.narrative.setPlainText(case.narrative)
            self.mediation.setChecked(case.mediation_requested)
            self.mediation_result.setText(case.mediation_result)
            for key, combo in self.checks.items():
                combo.setCurrentIndex(_ANSWERS.index(case.eligibility.get(key)))
            self.override_reason.setText(case.liability_override_reason)
            self._sync_parties(case)
        finally:
            self._loading = False
        self._refresh_state()
        # Evidence and documents load when their tab is shown: opening a case stays cheap.
        self._stale_tabs = {1, 2}
        self._tab_shown(self.tabs.currentIndex())
        self._refresh_checks()

    def _tab_shown(self, index: int) -> None:
        if index not in self._stale_tabs or self.case is None:
            return
        self._stale_tabs.discard(index)
        if index == 1:
            self._refresh_evidence()
        elif index == 2:
            self._refresh_documents()

    def _sync_parties(self, case: AccidentCase) -> None:
        """Re-use the party forms and liability pickers; only a change in the number of
        parties adds or removes widgets (rebuilding them made opening a case slow and the
        forms overlap while the new ones were laid out)."""
        while len(self._party_forms) > len(case.parties):
            form = self._party_forms.pop()
            self.parties_row.removeWidget(form)
            form.hide()
            form.deleteLater()
            combo = self._liability_boxes.pop()
            label = self._liability_labels.pop()
            for w in (combo, label):
                self.liability_rows.removeWidget(w)
                w.hide()
                w.deleteLater()
        for i, party in enumerate(case.parties):
            if i < len(self._party_forms):
                self._party_forms[i].load(party, case.accident_type)
                combo = self._liability_boxes[i]
                label = self._liability_labels[i]
            else:
                form = PartyForm(party, case.accident_type, self.parties_box)
                form.sig_edited.connect(self._edited)
                form.sig_confirm_requested.connect(self._confirm_party)
                self.parties_row.addWidget(form, 1)
                form.show()
                self._party_forms.append(form)
                combo = QComboBox(self)
                combo.addItem(self.tr("未认定"), None)
                for level in LiabilityLevel:
                    combo.addItem(level.label, level)
                combo.currentIndexChanged.connect(self._liability_changed)
                label = QLabel(self)
                row = self.liability_rows.rowCount()
                self.liability_rows.addWidget(label, row, 0)
                self.liability_rows.addWidget(combo, row, 1)
                self._liability_boxes.append(combo)
                self._liability_labels.append(label)
                guard_wheel(form, self._wheel_guard)
                guard_wheel(combo.parentWidget() or self, self._wheel_guard)
            combo.setObjectName(f"liability_{party.seq}")
            combo.setCurrentIndex(0 if party.liability is None
                                  else list(LiabilityLevel).index(party.liability) + 1)
            label.setText(f"{party.title} {party.plate or ''}")

    def _refresh_state(self) -> None:
        case = self.case
        if case is None:
            return
        self.state_badge.setText(case.state.label)
        for state, button in self.buttons.items():
            button.setEnabled(can_transition(case.state, state))
        self.reopen_btn.setVisible(case.state in REOPENABLE)
        editable = case.state in (CaseState.REPORTED, CaseState.ACCEPTED)
        for form in self._party_forms:
            form.set_editable(editable)
        for w in (self.place, self.weather, self.accident_type, self.collision_form,
                  self.occurred, self.add_party_btn, self.apply_suggestion, self.mediation,
                  *self.checks.values(), *self.points.values(), *self._liability_boxes):
            w.setEnabled(editable)
        self.narrative.setReadOnly(not editable)
        self.override_reason.setReadOnly(not editable)
        self.mediation_result.setReadOnly(not editable)
        self.log_list.clear()
        for row in self.service.state_log(case.id):
            when = format_cst(row.at, "%m-%d %H:%M:%S")
            self.log_list.addItem(f"{when}  {row.state.label}  {row.actor}"
                                  + (f"  （{row.reason}）" if row.reason else ""))
        self.tick()

    def tick(self) -> None:
        case = self.case
        if case is None:
            return
        targets = self.service.targets
        now = self.clock()
        waited = now - case.reported_at
        if case.state is CaseState.REPORTED:
            target, what = targets.accept_s, self.tr("受理")
        elif case.state is CaseState.ACCEPTED:
            target, what = targets.decide_s, self.tr("定责")
        else:
            end = case.decided_at or case.closed_at or now
            self.timer_label.setText(self.tr("用时 {0}").format(format_wait(end - case.reported_at)))
            _style(self.timer_label, HINT_STYLE)
            return
        color = ("#ff7070" if waited > target * targets.red_factor
                 else "#ffc94a" if waited > target else "#6fd38a")
        self.timer_label.setText(self.tr("已等待 {0} / {1}目标 {2}").format(
            format_wait(waited), what, format_wait(target)))
        _style(self.timer_label, f"color: {color}; font-size: 16px; font-weight: bold;")

    def _refresh_evidence(self) -> None:
        if self.case is not None:
            self.evidence.set_records(self.service.evidence(self.case.id))

    def _refresh_documents(self) -> None:
        case = self.case
        if case is None:
            return
        docs = self.service.documents(case.id)
        self.save_doc_btn.setEnabled(bool(docs))
        if docs:
            latest = docs[-1]
            self.doc_label.setText(f"{latest.title}  {latest.filename}")
            if self.pdf_doc.status() != QPdfDocument.Status.Null:
                self.pdf_doc.close()
            self.pdf_doc.load(str(latest.path))
        else:
            self.pdf_doc.close()
            self.doc_label.setText(self.tr("定责或自行协商后生成文书"))
        rows = self.service.insurance_status(case.id)
        self.insurance.setRowCount(len(rows))
        for i, r in enumerate(rows):
            for j, text in enumerate((f"{r['seq'] and _title(r['seq'])}", r["plate"] or "",
                                      r["insurer"], r["status_label"])):
                self.insurance.setItem(i, j, QTableWidgetItem(str(text)))

    def _refresh_checks(self) -> None:
        """Routing verdict, suggestion, combination check and the decision blockers."""
        case = self.case
        if case is None:
            return
        draft = self._collect()
        injured = draft.eligibility.get("property_damage_only") is False
        editable = draft.state in (CaseState.REPORTED, CaseState.ACCEPTED)
        for key in CONDITIONAL:
            self.checks[key].setEnabled(editable and injured)
        result = route_case(draft)
        self.eligibility_label.setText(result.summary)
        _style(self.eligibility_label,
            ERROR_STYLE if result.eligible is False else OK_STYLE if result.eligible else HINT_STYLE)
        suggestion = suggest_liability(draft.accident_type, draft.parties)
        self._suggestion = suggestion
        self.suggestion_label.setText(
            self.tr("建议：") + suggestion.basis if suggestion
            else self.tr("无建议：请勾选肇事方或由民警判断主次/同等"))
        self.apply_suggestion.setEnabled(suggestion is not None and self.place.isEnabled())
        levels = draft.levels()
        problems = combination_problems(levels) if any(lv is not None for lv in levels) else []
        if problems:
            self.combination_label.setText("；".join(problems))
            _style(self.combination_label, ERROR_STYLE)
        elif all(lv is not None for lv in levels):
            self.combination_label.setText(self.tr("责任组合合法"))
            _style(self.combination_label, OK_STYLE)
        else:
            self.combination_label.setText(self.tr("请为每一方选择责任"))
            _style(self.combination_label, HINT_STYLE)
        if editable:
            blockers = self.service.blockers(draft)
            if result.eligible is False:
                text = self.tr("本案应{0}（Alt+J 现场 / Alt+G 一般程序）").format(result.route.label)
            elif blockers:
                # The first few in the label (it must not push the tabs away), all in the tooltip.
                shown = "；".join(blockers[:BLOCKERS_SHOWN])
                more = len(blockers) - BLOCKERS_SHOWN
                text = self.tr("定责前还需：") + shown + (
                    self.tr("……等{0}项（悬停查看全部）").format(len(blockers)) if more > 0 else "")
            else:
                text = self.tr("材料齐全，可以定责（Alt+D）")
            self.blockers.setText(text)
            self.blockers.setToolTip("\n".join(blockers))
            _style(self.blockers, "color: #ffc94a;" if blockers else OK_STYLE)
        else:
            self.blockers.setText("")

    # -- editing -------------------------------------------------------------------------------

    def _collect(self) -> AccidentCase:
        """The case as the widgets show it now."""
        case = self.case
        assert case is not None
        parties = []
        for party, form, combo in zip(case.parties, self._party_forms, self._liability_boxes,
                                      strict=True):
            p = form.apply_to(party)
            p.liability = combo.currentData()
            parties.append(p)
        eligibility = {key: _ANSWERS[combo.currentIndex()] for key, combo in self.checks.items()}
        for key in CONDITIONAL:
            if eligibility.get("property_damage_only") is not False:
                eligibility[key] = case.eligibility.get(key)
        occurred = self.occurred.dateTime()
        return replace(
            case,
            place=self.place.currentText().strip(),
            weather=self.weather.currentText(),
            accident_type=self.accident_type.currentData(),
            collision_form=self.collision_form.currentData(),
            occurred_at=(None if occurred == _NOT_SET
                         else float(occurred.toSecsSinceEpoch())),
            collision_points=tuple(n for n, b in self.points.items() if b.isChecked()),
            narrative=self.narrative.toPlainText(),
            parties=parties,
            eligibility=eligibility,
            liability_override_reason=self.override_reason.text().strip(),
            mediation_requested=self.mediation.isChecked(),
            mediation_result=self.mediation_result.text().strip(),
        )

    def _edited(self, *_: object) -> None:
        if self._loading or self.case is None:
            return
        self._refresh_checks()
        self._autosave.start()

    def _type_changed(self, *_: object) -> None:
        kind = self.accident_type.currentData()
        for form in self._party_forms:
            form.set_type(kind)
        if not self._loading and self.collision_form.currentData() is None and kind.default_form:
            self.collision_form.setCurrentIndex(list(CollisionForm).index(kind.default_form) + 1)
        self._edited()

    def _liability_changed(self, *_: object) -> None:
        """Pre-fill each party's 过错 and 依据 from the situation when still empty (the officer
        confirms or rewrites them)."""
        if self._loading or self.case is None:
            return
        kind = self.accident_type.currentData()
        for party, form, combo in zip(self.case.parties, self._party_forms,
                                      self._liability_boxes, strict=True):
            level = combo.currentData()
            if level is None or form.fault.text().strip():
                continue
            probe = replace(party, liability=level, initiator=form.initiator.isChecked())
            fault, basis = default_fault(kind, probe)
            form.fault.setText(fault)
            if not form.legal_basis.text().strip():
                form.legal_basis.setText(basis)
        self._edited()

    def save_now(self) -> bool:
        """Save pending edits at once (before switching cases or changing state). Only the
        fields changed since the case was loaded are written; a clash with another desk's
        change goes to the conflict list and is reported."""
        self._autosave.stop()
        if self.case is None or self.case.state not in (CaseState.REPORTED, CaseState.ACCEPTED):
            return True
        draft = self._collect()
        if draft == self.case:
            return True
        try:
            saved = self.service.save_draft(draft, base=self.case)
        except AccidentError as exc:
            log.warning("draft not saved: %s", exc)
            self.sig_message.emit(self.tr("草稿未保存：") + str(exc))
            return False
        self.case = saved
        conflicts = getattr(self.service, "last_draft_conflicts", [])
        if conflicts:
            self.sig_message.emit(self.tr("{0} 项内容已被其他席位修改，您的修改已列入冲突列表待处理")
                                  .format(len(conflicts)))
        if saved != draft:
            # Another desk's changes (or a clash) came back: show the stored state.
            self._fill()
        self.sig_case_changed.emit(saved.id)
        return True

    def _confirm_party(self, party_id: str, method: str, refused: bool) -> None:
        if self.case is None or not self.save_now():
            return
        try:
            self.case = self.service.confirm_party(self.case.id, party_id, method,
                                                   refused=refused)
        except AccidentError as exc:
            self.sig_message.emit(str(exc))
            return
        self._fill()
        self.sig_case_changed.emit(self.case.id)

    def _add_party(self) -> None:
        if self.case is None or not self.save_now():
            return
        self.case = self.service.add_party(self.case.id)
        self._fill()

    def _apply_suggestion(self) -> None:
        suggestion = self._suggestion
        if suggestion is None:
            return
        self.set_liabilities(list(suggestion.levels))

    def set_liabilities(self, levels: list[LiabilityLevel]) -> None:
        """Pick liabilities (keyboard users and tests)."""
        for combo, level in zip(self._liability_boxes, levels, strict=False):
            combo.setCurrentIndex(list(LiabilityLevel).index(level) + 1)

    def set_all_checks(self, answer: bool | None) -> None:
        for key, combo in self.checks.items():
            if key not in CONDITIONAL:
                combo.setCurrentIndex(_ANSWERS.index(answer))

    def add_evidence_files(self, paths: list[Path], kind: EvidenceKind) -> int:
        """Store files as evidence of the current case; returns how many were added."""
        if self.case is None:
            return 0
        added = 0
        for path in paths:
            try:
                self.service.add_evidence(self.case.id, path, kind)
                added += 1
            except AccidentError as exc:
                log.warning("evidence refused: %s", exc)
                QMessageBox.warning(self, self.tr("证据"), str(exc))
        self._refresh_evidence()
        self._refresh_checks()
        return added

    def _choose_evidence(self) -> None:
        if self.case is None:
            return
        files, _ = QFileDialog.getOpenFileNames(
            self, self.tr("选择证据文件"), "",
            self.tr("照片和视频 (*.jpg *.jpeg *.png *.mp4 *.mov *.avi);;所有文件 (*)"))
        if not files:
            return
        labels = [k.label for k in EvidenceKind]
        label, ok = QInputDialog.getItem(self, self.tr("证据类别"), self.tr("这些文件是："),
                                         labels, 0, False)
        if ok:
            kind = list(EvidenceKind)[labels.index(label)]
            self.add_evidence_files([Path(f) for f in files], kind)

    def _save_document_copy(self) -> None:
        if self.case is None:
            return
        try:
            source = self.service.reprint(self.case.id)
        except AccidentError as exc:
            QMessageBox.warning(self, self.tr("文书"), str(exc))
            return
        target, _ = QFileDialog.getSaveFileName(
            self, self.tr("另存文书"), f"{self.case.case_no}.pdf", "PDF (*.pdf)")
        if target:
            Path(target).write_bytes(source.read_bytes())
            self.sig_message.emit(self.tr("文书已保存：") + target)

    # -- transitions ---------------------------------------------------------------------------

    def request_transition(self, target: CaseState, reason: str | None = None) -> bool:
        """Run a state change from a button or shortcut; asks for a reason when one is needed.
        Returns True when the case moved."""
        case = self.case
        if case is None or not self.save_now():
            return False
        case = self.case
        assert case is not None
        if not can_transition(case.state, target):
            self.sig_message.emit(
                self.tr("案件当前为“{0}”，不能{1}").format(case.state.label, target.label))
            return False
        if target in REASON_REQUIRED and reason is None:
            default = self.service.ineligibility_reason(case) if target in (
                CaseState.GENERAL_PROCEDURE, CaseState.ON_SCENE) else ""
            text, ok = QInputDialog.getText(
                self, target.label, self.tr("请填写{0}原因：").format(target.label),
                QLineEdit.EchoMode.Normal, default)
            if not ok:
                return False
            reason = text
        try:
            moved = self.service.transition(case.id, target, reason=reason or "")
        except ValueError as exc:  # IllegalTransitionError, AccidentError, DecisionBlockedError
            log.info("transition refused for %s: %s", case.case_no, exc)
            self.sig_message.emit(str(exc))
            self.blockers.setText(str(exc))
            _style(self.blockers, ERROR_STYLE)
            return False
        self._moved(moved, target)
        return True

    def request_reopen(self, reason: str | None = None, *, minor: bool | None = None,
                       all_agree: bool | None = None) -> bool:
        """发现伤员，重新立案: a decided, settled or closed case turns out to have an injury.
        Asks for the reason and the injury's facts unless given."""
        case = self.case
        if case is None or case.state not in REOPENABLE:
            return False
        if reason is None:
            text, ok = QInputDialog.getText(self, self.tr("重新立案"),
                                            self.tr("受伤情况（谁、何处受伤、何时发现）："))
            if not ok or not text.strip():
                return False
            reason = text
        yes = QMessageBox.StandardButton.Yes
        if minor is None:
            minor = QMessageBox.question(self, self.tr("重新立案"), self.tr(
                "伤情是否轻微？")) == yes
        if all_agree is None:
            all_agree = minor and QMessageBox.question(self, self.tr("重新立案"), self.tr(
                "各方当事人是否同意适用简易程序？")) == yes
        try:
            moved = self.service.reopen_injury(case.id, reason, minor=minor, all_agree=all_agree)
        except ValueError as exc:
            self.sig_message.emit(str(exc))
            return False
        self._moved(moved, moved.state)
        return True

    def _moved(self, moved: AccidentCase, target: CaseState) -> None:
        self.case = moved
        self._fill()
        if target in (CaseState.DECIDED, CaseState.SELF_SETTLED):
            self.tabs.setCurrentIndex(2)  # show the generated document
        self.sig_case_changed.emit(moved.id)
        self.sig_message.emit(self.tr("{0}：已{1}").format(moved.case_no, target.label))
        if target in (CaseState.GENERAL_PROCEDURE, CaseState.ON_SCENE):
            self.sig_general_procedure.emit(moved.id)

    def suggest_general_procedure(self) -> bool:
        """When the answers refuse quick handling, say so (the dispatcher decides)."""
        return bool(self.case and self.service.ineligibility_reason(self._collect()))


def _style(widget: QWidget, css: str) -> None:
    """Set a style sheet only when it changes: each call re-polishes the widget, and re-filling
    a case set the same sheets dozens of times (a third of the time to open a case)."""
    if widget.styleSheet() != css:
        widget.setStyleSheet(css)


def format_cst(at: float, fmt: str) -> str:
    """``at`` in China Standard Time (UTC+8, no daylight saving), whatever the host's zone."""
    return time.strftime(fmt, time.gmtime(at + 8 * 3600))


def _title(seq: int) -> str:
    from desk.domain.accidents import party_title

    return party_title(int(seq))


__all__ = ["CaseWorkspace", "FlowLayout", "PartyForm", "WheelGuard", "guard_wheel"]
