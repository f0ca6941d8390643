"""指派 (assign an alert) with a picker of units, responsible people, officers and stations, and the
responsible people (责任人) of a water alert's point: the call list, a "未配置责任人" hint when it
is empty, and a way to add people."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk.domain.alerts import Alert
from desk.services.alerts import Assignee
from desk.services.water import WaterService
from desk.ui.context import UiContext
from desk.ui.i18n import QT_TRANSLATE_NOOP

log = logging.getLogger(__name__)

KIND_TITLES = {
    "person": QT_TRANSLATE_NOOP("AssignDialog", "责任人"),
    "unit": QT_TRANSLATE_NOOP("AssignDialog", "警力"),
    "officer": QT_TRANSLATE_NOOP("AssignDialog", "民警"),
    "station": QT_TRANSLATE_NOOP("AssignDialog", "单位"),
}


class AssignDialog(QDialog):
    """Pick whom to assign an alert to; type to filter. Free text is still accepted (a team
    the list does not know), so nothing a dispatcher needs is refused."""

    def __init__(self, choices: list[Assignee], alert: Alert, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choices = choices
        self.setWindowTitle(self.tr("指派告警"))
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        head = QLabel(f"<b>{alert.severity.label} · {alert.place}</b><br>{alert.message}", self)
        head.setWordWrap(True)
        layout.addWidget(head)
        form = QFormLayout()
        self.combo = QComboBox(self)
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.combo.setMaxVisibleItems(20)
        for c in choices:
            text = f"{self.tr(KIND_TITLES.get(c.kind, c.kind))} · {c.label}"
            if c.detail:
                text += f"　{c.detail}"
            self.combo.addItem(text, c.label)
        completer = self.combo.completer()
        if completer is not None:
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        form.addRow(self.tr("指派给："), self.combo)
        self.hint = QLabel(self.tr("可选警力、责任人、民警或单位，也可直接输入班组名称"), self)
        self.hint.setWordWrap(True)
        form.addRow("", self.hint)
        layout.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("指派"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def assignee(self) -> str:
        """The chosen assignee's label (what the history records), or the typed text."""
        text = self.combo.currentText().strip()
        i = self.combo.findText(text)
        if i >= 0:
            return str(self.combo.itemData(i))
        return text

    def choose(self, label: str) -> bool:
        """Select the entry whose assignee label is ``label`` (keyboard users type; tests too)."""
        for i in range(self.combo.count()):
            if self.combo.itemData(i) == label:
                self.combo.setCurrentIndex(i)
                return True
        return False


class PersonDialog(QDialog):
    """Name, role and phone of a new responsible person."""

    def __init__(self, point_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("添加责任人") + f" — {point_name}")
        form = QFormLayout(self)
        self.name = QLineEdit(self)
        self.role = QLineEdit(self)
        self.role.setPlaceholderText(self.tr("如：排水所值班员、社区网格员"))
        self.phone = QLineEdit(self)
        form.addRow(self.tr("姓名："), self.name)
        form.addRow(self.tr("职责："), self.role)
        form.addRow(self.tr("电话："), self.phone)
        self.error = QLabel(self)
        self.error.setStyleSheet("color:#ff7b72;")
        form.addRow("", self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("添加"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _check(self) -> None:
        if not self.name.text().strip():
            self.error.setText(self.tr("请填写姓名"))
            return
        self.accept()


class ResponsiblePeopleBox(QWidget):
    """The call list of the selected water alert's point, with 通知 and 添加责任人…; hidden for
    alerts that are not about a water point."""

    def __init__(self, ui: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = ui
        self.water = ui.app.service(WaterService)
        self.point_id: str | None = None
        self.alert_id: str | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.caption = QLabel(self)
        self.caption.setWordWrap(True)
        layout.addWidget(self.caption)
        self.list = QListWidget(self)
        self.list.setMaximumHeight(96)
        layout.addWidget(self.list)
        row = QHBoxLayout()
        self.notify_button = QPushButton(self.tr("已通知所选责任人"), self)
        self.notify_button.clicked.connect(lambda _checked=False: self.notify_selected())
        row.addWidget(self.notify_button)
        self.add_button = QPushButton(self.tr("添加责任人…"), self)
        self.add_button.clicked.connect(lambda _checked=False: self.add_person())
        row.addWidget(self.add_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.setVisible(False)

    def show_point(self, point_id: str | None, alert_id: str | None) -> None:
        self.point_id, self.alert_id = point_id, alert_id
        self.list.clear()
        if not point_id:
            self.setVisible(False)
            return
        self.setVisible(True)
        try:
            people = self.water.responsible_people(point_id)
            notified = {n.person_id for n in self.water.notifications(point_id)
                        if n.alert_id == alert_id}
        except Exception:  # a workspace without the water tables
            log.exception("responsible people of %s unavailable", point_id)
            people, notified = [], set()
        for p in people:
            text = f"{p.call_order}. {p.name}（{p.role}）　{p.phone}"
            if p.id in notified:
                text += "　" + self.tr("✓ 已通知")
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, p.id)
            self.list.addItem(item)
        if people:
            self.caption.setText(self.tr("责任人（按呼叫顺序）："))
            self.caption.setStyleSheet("")
            self.list.setCurrentRow(0)
        else:
            self.caption.setText(self.tr("⚠ 未配置责任人：该点位没有呼叫名单，请添加责任人"))
            self.caption.setStyleSheet("color:#f0a020;font-weight:bold;")
        self.list.setVisible(bool(people))
        self.notify_button.setEnabled(bool(people))

    def _point_name(self) -> str:
        row = self.ui.workspace.db.execute(
            "SELECT name FROM water_points WHERE id = ?", [self.point_id]).fetchone()
        return str(row[0]) if row else str(self.point_id)

    def add_person(self, name: str | None = None, role: str = "", phone: str = "") -> bool:
        """Add a responsible person to the point (asks when ``name`` is not given)."""
        if not self.point_id:
            return False
        if name is None:
            dialog = PersonDialog(self._point_name(), self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
            name, role, phone = (dialog.name.text(), dialog.role.text(), dialog.phone.text())
        try:
            self.water.add_responsible(self.point_id, name, phone.strip(), self.ui.app.actor,
                                       role=role.strip() or "责任人")
        except (KeyError, ValueError) as exc:
            msg = str(exc).strip("'\"")
            log.info("responsible person refused: %s", msg)
            self.ui.sig_status_message.emit(self.tr("无法添加责任人：") + msg, 5000)
            return False
        self.show_point(self.point_id, self.alert_id)
        return True

    def notify_selected(self) -> bool:
        item = self.list.currentItem()
        if item is None or not self.point_id:
            return False
        try:
            self.water.mark_notified(self.point_id, str(item.data(Qt.ItemDataRole.UserRole)),
                                     self.ui.app.actor, alert_id=self.alert_id)
        except (KeyError, ValueError) as exc:
            self.ui.sig_status_message.emit(self.tr("无法记录通知：") + str(exc).strip("'\""), 5000)
            return False
        self.show_point(self.point_id, self.alert_id)
        return True
