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

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desk.domain.accidents import (
    COLLISION_POINTS,
    RULES,
    VEHICLE_TYPES,
    WEATHER,
    AccidentCase,
    AccidentType,
    CaseState,
    EvidenceKind,
    LiabilityLevel,
    Party,
    can_transition,
    check_eligibility,
    combination_problems,
    format_wait,
    suggest_liability,
)
from desk.domain.accidents.places import INTERSECTIONS
from desk.domain.accidents.validators import phone_problem, plate_problem, resident_id_problem
from desk.services.accidents import AccidentError, AccidentService

log = logging.getLogger(__name__)

AUTOSAVE_MS = 600
_ANSWERS = (None, True, False)  # checklist combo order: 未核实, 是, 否
ERROR_STYLE = "color: #ff7070;"
OK_STYLE = "color: #6fd38a;"
HINT_STYLE = "color: #9fb3c8;"


class PartyForm(QGroupBox):
    """One party's fields with inline validation messages."""

    sig_edited = Signal()

    def __init__(self, party: Party, accident_type: AccidentType, parent: QWidget | None = None):
        super().__init__(party.title, parent)
        self.party_id = party.id
        self.seq = party.seq
        form = QFormLayout(self)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.name = QLineEdit(party.name)
        self.id_number = QLineEdit(party.id_number)
        self.id_number.setMaxLength(22)
        self.phone = QLineEdit(party.phone)
        self.vehicle_type = QComboBox()
        self.vehicle_type.setEditable(True)
        self.vehicle_type.addItems(list(VEHICLE_TYPES))
        self.vehicle_type.setCurrentText(party.vehicle_type)
        self.plate = QLineEdit(party.plate)
        self.plate.setPlaceholderText("豫A12345 / 豫AD12345")
        self.insurer = QLineEdit(party.insurer)
        self.policy_no = QLineEdit(party.policy_no)
        self.initiator = QCheckBox()
        self.initiator.setChecked(party.initiator)
        self.set_type(accident_type)
        self.errors = QLabel()
        self.errors.setWordWrap(True)
        self.errors.setStyleSheet(ERROR_STYLE)
        form.addRow(self.tr("姓名"), self.name)
        form.addRow(self.tr("身份证号"), self.id_number)
        form.addRow(self.tr("电话"), self.phone)
        form.addRow(self.tr("车辆类型"), self.vehicle_type)
        form.addRow(self.tr("号牌"), self.plate)
        form.addRow(self.tr("保险公司"), self.insurer)
        form.addRow(self.tr("保单号"), self.policy_no)
        form.addRow("", self.initiator)
        form.addRow(self.errors)
        for edit in (self.name, self.id_number, self.phone, self.plate, self.insurer,
                     self.policy_no):
            edit.textEdited.connect(self._edited)
        self.vehicle_type.currentTextChanged.connect(self._edited)
        self.initiator.toggled.connect(self._edited)
        self.validate()

    def set_type(self, accident_type: AccidentType) -> None:
        self.initiator.setText(self.tr("本方为{0}").format(accident_type.initiator))
        self.initiator.setEnabled(accident_type is not AccidentType.OTHER)

    def _edited(self, *_: object) -> None:
        self.validate()
        self.sig_edited.emit()

    def validate(self) -> None:
        problems = []
        for edit, check in ((self.id_number, resident_id_problem), (self.phone, phone_problem),
                            (self.plate, plate_problem)):
            text = edit.text()
            problem = check(text) if text.strip() else None
            edit.setToolTip(problem or "")
            edit.setStyleSheet("border-color: #ff7070;" if problem else "")
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
        )

    def set_editable(self, editable: bool) -> None:
        for w in (self.name, self.id_number, self.phone, self.plate, self.insurer,
                  self.policy_no):
            w.setReadOnly(not editable)
        self.vehicle_type.setEnabled(editable)
        self.initiator.setEnabled(editable and self.initiator.isEnabled())


class CaseWorkspace(QWidget):
    """Shows and edits one case; the panel hands it case ids and it talks to the service."""

    sig_case_changed = Signal(str)
    """A case was saved or moved to another state (the queue refreshes that row)."""

    sig_general_procedure = Signal(str)
    """The case was handed to the ordinary procedure; carries its id."""

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
        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(AUTOSAVE_MS)
        self._autosave.timeout.connect(self.save_now)
        self._party_forms: list[PartyForm] = []
        self._liability_boxes: list[QComboBox] = []
        self._build()
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
        self.state_badge = QLabel()
        self.state_badge.setStyleSheet(
            "padding: 2px 10px; border-radius: 9px; background: #1f5f99; font-weight: bold;")
        self.timer_label = QLabel()
        header = QHBoxLayout()
        header.addWidget(self.title)
        header.addWidget(self.state_badge)
        header.addStretch(1)
        header.addWidget(self.timer_label)

        self.buttons: dict[CaseState, QPushButton] = {}
        actions = QHBoxLayout()
        for state, text, key in (
            (CaseState.ACCEPTED, self.tr("受理"), "Alt+A"),
            (CaseState.DECIDED, self.tr("定责"), "Alt+D"),
            (CaseState.SELF_SETTLED, self.tr("自行协商"), "Alt+S"),
            (CaseState.CLAIM_PUSHED, self.tr("推送理赔"), "Alt+P"),
            (CaseState.CLOSED, self.tr("结案"), "Alt+C"),
            (CaseState.GENERAL_PROCEDURE, self.tr("转一般程序"), "Alt+G"),
            (CaseState.CANCELLED, self.tr("撤销"), "Alt+X"),
        ):
            button = QPushButton(f"{text} ({key})")
            button.setObjectName(f"btn_{state.value}")
            button.clicked.connect(lambda _=False, s=state: self.request_transition(s))
            actions.addWidget(button)
            self.buttons[state] = button
        self.video_btn = QPushButton(self.tr("视频 (Alt+V)"))
        self.video_btn.setShortcut("Alt+V")
        self.video_btn.clicked.connect(lambda _=False: self.request_video())
        actions.addWidget(self.video_btn)
        actions.addStretch(1)

        self.blockers = QLabel()
        self.blockers.setWordWrap(True)
        self.blockers.setStyleSheet("color: #ffc94a;")

        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_main_tab(), self.tr("案情与认定"))
        self.evidence_tab = self._build_evidence_tab()
        self.tabs.addTab(self.evidence_tab, self.tr("证据"))
        self.tabs.addTab(self._build_documents_tab(), self.tr("文书与理赔"))
        self.log_list = QListWidget()
        self.tabs.addTab(self.log_list, self.tr("流转记录"))

        self.empty = QLabel(self.tr("从左侧队列选择案件（回车打开，Alt+N 下一件）"))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet(HINT_STYLE)

        self.body = QWidget()
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.addLayout(header)
        body.addLayout(actions)
        body.addWidget(self.blockers)
        body.addWidget(self.tabs, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addWidget(self.body)

    def _build_main_tab(self) -> QWidget:
        page = QWidget()
        v = QVBoxLayout(page)
        # Facts
        facts = QGroupBox(self.tr("案情"))
        grid = QGridLayout(facts)
        self.place = QComboBox()
        self.place.setEditable(True)
        self.place.addItems([i.name for i in INTERSECTIONS])
        self.place.setMinimumWidth(240)
        self.position = QLabel()
        self.position.setStyleSheet(HINT_STYLE)
        self.weather = QComboBox()
        self.weather.addItems(["", *WEATHER])
        self.accident_type = QComboBox()
        for kind in AccidentType:
            self.accident_type.addItem(kind.label, kind)
        self.points: dict[str, QCheckBox] = {}
        points_row = QHBoxLayout()
        for name in COLLISION_POINTS:
            box = QCheckBox(name)
            box.toggled.connect(self._edited)
            self.points[name] = box
            points_row.addWidget(box)
        points_row.addStretch(1)
        self.narrative = QPlainTextEdit()
        self.narrative.setPlaceholderText(self.tr("事故经过（当事人陈述、视频核实情况）"))
        self.narrative.setMaximumHeight(64)
        grid.addWidget(QLabel(self.tr("地点")), 0, 0)
        grid.addWidget(self.place, 0, 1)
        grid.addWidget(self.position, 0, 2)
        grid.addWidget(QLabel(self.tr("天气")), 0, 3)
        grid.addWidget(self.weather, 0, 4)
        grid.addWidget(QLabel(self.tr("事故形态")), 0, 5)
        grid.addWidget(self.accident_type, 0, 6)
        grid.addWidget(QLabel(self.tr("碰撞部位")), 1, 0)
        grid.addLayout(points_row, 1, 1, 1, 6)
        grid.addWidget(QLabel(self.tr("经过")), 2, 0)
        grid.addWidget(self.narrative, 2, 1, 1, 6)
        grid.setColumnStretch(1, 1)
        self.place.currentTextChanged.connect(self._edited)
        self.weather.currentIndexChanged.connect(self._edited)
        self.accident_type.currentIndexChanged.connect(self._type_changed)
        self.narrative.textChanged.connect(self._edited)
        v.addWidget(facts)

        # Parties side by side
        self.parties_box = QGroupBox(self.tr("当事人"))
        self.parties_row = QHBoxLayout(self.parties_box)
        self.add_party_btn = QPushButton(self.tr("＋ 当事人"))
        self.add_party_btn.clicked.connect(self._add_party)
        middle = QHBoxLayout()
        middle.addWidget(self.parties_box, 1)

        # Eligibility checklist
        checklist = QGroupBox(self.tr("快处条件核查"))
        cl = QGridLayout(checklist)
        self.checks: dict[str, QComboBox] = {}
        for i, rule in enumerate(RULES):
            combo = QComboBox()
            combo.addItems([self.tr("未核实"), self.tr("是"), self.tr("否")])
            combo.currentIndexChanged.connect(self._edited)
            self.checks[rule.key] = combo
            cl.addWidget(QLabel(rule.question), i // 3, (i % 3) * 2)
            cl.addWidget(combo, i // 3, (i % 3) * 2 + 1)
        self.eligibility_label = QLabel()
        self.eligibility_label.setWordWrap(True)
        cl.addWidget(self.eligibility_label, (len(RULES) + 2) // 3, 0, 1, 6)

        # Liability
        liability = QGroupBox(self.tr("责任认定"))
        self.liability_layout = QVBoxLayout(liability)
        self.liability_rows = QFormLayout()
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
        self.liability_layout.addStretch(1)
        liability.setFixedWidth(330)
        middle.addWidget(liability)
        v.addLayout(middle)
        v.addWidget(checklist)
        v.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(page)
        return scroll

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
        """Re-read the case after an outside change; keeps unsaved typing untouched."""
        if self.case is None:
            return
        if self._autosave.isActive():
            return  # our own edits are pending; they will be saved over the stored state
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
            self.title.setText(f"{case.case_no}  {case.place}")
            self.place.setCurrentText(case.place)
            self.position.setText(
                f"{case.lat:.5f}, {case.lon:.5f}" if case.lat is not None and case.lon is not None
                else self.tr("未定位"))
            self.weather.setCurrentText(case.weather)
            self.accident_type.setCurrentIndex(list(AccidentType).index(case.accident_type))
            for name, box in self.points.items():
                box.setChecked(name in case.collision_points)
            if self.narrative.toPlainText() != case.narrative:
                self.narrative.setPlainText(case.narrative)
            for key, combo in self.checks.items():
                combo.setCurrentIndex(_ANSWERS.index(case.eligibility.get(key)))
            self.override_reason.setText(case.liability_override_reason)
            self._rebuild_parties(case)
        finally:
            self._loading = False
        self._refresh_state()
        self._refresh_evidence()
        self._refresh_documents()
        self._refresh_checks()

    def _rebuild_parties(self, case: AccidentCase) -> None:
        for form in self._party_forms:
            form.setParent(None)
            form.deleteLater()
        while self.liability_rows.rowCount():
            self.liability_rows.removeRow(0)
        self.parties_row.removeWidget(self.add_party_btn)
        self._party_forms = []
        self._liability_boxes = []
        for party in case.parties:
            form = PartyForm(party, case.accident_type)
            form.sig_edited.connect(self._edited)
            self.parties_row.addWidget(form, 1)
            self._party_forms.append(form)
            combo = QComboBox()
            combo.addItem(self.tr("未认定"), None)
            for level in LiabilityLevel:
                combo.addItem(level.label, level)
            combo.setCurrentIndex(0 if party.liability is None
                                  else list(LiabilityLevel).index(party.liability) + 1)
            combo.currentIndexChanged.connect(self._edited)
            combo.setObjectName(f"liability_{party.seq}")
            self._liability_boxes.append(combo)
            self.liability_rows.addRow(f"{party.title} {party.plate or ''}", combo)
        self.parties_row.addWidget(self.add_party_btn, 0, Qt.AlignmentFlag.AlignTop)

    def _refresh_state(self) -> None:
        case = self.case
        if case is None:
            return
        self.state_badge.setText(case.state.label)
        for state, button in self.buttons.items():
            button.setEnabled(can_transition(case.state, state))
        editable = case.state in (CaseState.REPORTED, CaseState.ACCEPTED)
        for form in self._party_forms:
            form.set_editable(editable)
        for w in (self.place, self.weather, self.accident_type, self.add_party_btn,
                  self.apply_suggestion, *self.checks.values(), *self.points.values(),
                  *self._liability_boxes):
            w.setEnabled(editable)
        self.narrative.setReadOnly(not editable)
        self.override_reason.setReadOnly(not editable)
        self.log_list.clear()
        for row in self.service.state_log(case.id):
            when = time.strftime("%m-%d %H:%M:%S", time.localtime(row.at))
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
            self.timer_label.setStyleSheet(HINT_STYLE)
            return
        color = ("#ff7070" if waited > target * targets.red_factor
                 else "#ffc94a" if waited > target else "#6fd38a")
        self.timer_label.setText(self.tr("已等待 {0} / {1}目标 {2}").format(
            format_wait(waited), what, format_wait(target)))
        self.timer_label.setStyleSheet(f"color: {color}; font-size: 16px; font-weight: bold;")

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
        """Eligibility verdict, suggestion, combination check and the decision blockers."""
        case = self.case
        if case is None:
            return
        draft = self._collect()
        result = check_eligibility(draft.eligibility)
        self.eligibility_label.setText(result.summary)
        self.eligibility_label.setStyleSheet(
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
            self.combination_label.setStyleSheet(ERROR_STYLE)
        elif all(lv is not None for lv in levels):
            self.combination_label.setText(self.tr("责任组合合法"))
            self.combination_label.setStyleSheet(OK_STYLE)
        else:
            self.combination_label.setText(self.tr("请为每一方选择责任"))
            self.combination_label.setStyleSheet(HINT_STYLE)
        if draft.state in (CaseState.REPORTED, CaseState.ACCEPTED):
            blockers = self.service.blockers(draft)
            self.blockers.setText(
                self.tr("定责前还需：") + "；".join(blockers) if blockers
                else self.tr("材料齐全，可以定责（Alt+D）"))
            self.blockers.setStyleSheet("color: #ffc94a;" if blockers else OK_STYLE)
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
        return replace(
            case,
            place=self.place.currentText().strip(),
            weather=self.weather.currentText(),
            accident_type=self.accident_type.currentData(),
            collision_points=tuple(n for n, b in self.points.items() if b.isChecked()),
            narrative=self.narrative.toPlainText(),
            parties=parties,
            eligibility=eligibility,
            liability_override_reason=self.override_reason.text().strip(),
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
        self._edited()

    def save_now(self) -> bool:
        """Save pending edits at once (before switching cases or changing state)."""
        self._autosave.stop()
        if self.case is None or self.case.state not in (CaseState.REPORTED, CaseState.ACCEPTED):
            return True
        draft = self._collect()
        if draft == self.case:
            return True
        try:
            self.case = self.service.save_draft(draft)
        except AccidentError as exc:
            log.warning("draft not saved: %s", exc)
            self.sig_message.emit(self.tr("草稿未保存：") + str(exc))
            return False
        self.sig_case_changed.emit(self.case.id)
        return True

    def _add_party(self) -> None:
        if self.case is None or not self.save_now():
            return
        self.case = self.service.add_party(self.case.id)
        self._fill()

    def _apply_suggestion(self) -> None:
        suggestion = getattr(self, "_suggestion", None)
        if suggestion is None:
            return
        for combo, level in zip(self._liability_boxes, suggestion.levels, strict=False):
            combo.setCurrentIndex(list(LiabilityLevel).index(level) + 1)

    def set_liabilities(self, levels: list[LiabilityLevel]) -> None:
        """Pick liabilities (keyboard users and tests)."""
        for combo, level in zip(self._liability_boxes, levels, strict=False):
            combo.setCurrentIndex(list(LiabilityLevel).index(level) + 1)

    def set_all_checks(self, answer: bool | None) -> None:
        for combo in self.checks.values():
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
        if target in (CaseState.CANCELLED, CaseState.GENERAL_PROCEDURE) and reason is None:
            default = self.service.ineligibility_reason(case) if (
                target is CaseState.GENERAL_PROCEDURE) else ""
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
            self.blockers.setStyleSheet(ERROR_STYLE)
            return False
        self.case = moved
        self._fill()
        if target in (CaseState.DECIDED, CaseState.SELF_SETTLED):
            self.tabs.setCurrentIndex(2)  # show the generated document
        self.sig_case_changed.emit(moved.id)
        self.sig_message.emit(self.tr("{0}：已{1}").format(moved.case_no, target.label))
        if target is CaseState.GENERAL_PROCEDURE:
            self.sig_general_procedure.emit(moved.id)
        return True

    def suggest_general_procedure(self) -> bool:
        """When the checklist refuses quick handling, say so (the dispatcher decides)."""
        return bool(self.case and self.service.ineligibility_reason(self._collect()))


def _title(seq: int) -> str:
    from desk.domain.accidents import party_title

    return party_title(int(seq))


__all__ = ["CaseWorkspace", "PartyForm"]
