"""Who is on duty: the sign-on dialog at start and the 交接班 (shift handover) dialog."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desk.app.operators import Operator, OperatorError, OperatorRole

log = logging.getLogger(__name__)


class OperatorDialog(QDialog):
    """Asks 工号, 姓名 and 角色. With ``handover=True`` it also asks the handover note of the
    operator going off duty and shows who that is."""

    def __init__(self, parent: QWidget | None = None, *, current: Operator | None = None,
                 suggested: Operator | None = None, handover: bool = False,
                 previous_note: str = "") -> None:
        super().__init__(parent)
        self.handover = handover
        self.operator: Operator | None = None
        self.setWindowTitle(self.tr("交接班") if handover else self.tr("值班员登录"))
        self.setMinimumWidth(420)
        root = QVBoxLayout(self)
        if handover and current is not None:
            root.addWidget(QLabel(self.tr("交班：%1（%2）").replace("%1", current.name)
                                  .replace("%2", current.badge), self))
        elif previous_note:
            note = QLabel(self.tr("上一班交接说明：") + previous_note, self)
            note.setWordWrap(True)
            note.setObjectName("previousNote")
            root.addWidget(note)
        form = QFormLayout()
        self.badge = QLineEdit(self)
        self.badge.setObjectName("operatorBadge")
        self.badge.setPlaceholderText(self.tr("警号或工号"))
        self.name = QLineEdit(self)
        self.name.setObjectName("operatorName")
        self.role = QComboBox(self)
        self.role.setObjectName("operatorRole")
        for role in OperatorRole:
            self.role.addItem(role.label, role.value)
        if suggested is not None:
            self.badge.setText(suggested.badge)
            self.name.setText(suggested.name)
            self.role.setCurrentIndex(max(0, self.role.findData(suggested.role.value)))
        form.addRow(self.tr("接班人工号") if handover else self.tr("工号"), self.badge)
        form.addRow(self.tr("姓名"), self.name)
        form.addRow(self.tr("角色"), self.role)
        root.addLayout(form)
        self.note = QPlainTextEdit(self)
        self.note.setObjectName("handoverNote")
        self.note.setPlaceholderText(self.tr("交接说明：未办结的警情、待回访的案件、设备故障…"))
        self.note.setMaximumHeight(110)
        self.note.setVisible(handover)
        root.addWidget(self.note)
        self.error = QLabel(self)
        self.error.setObjectName("operatorError")
        self.error.setStyleSheet("color: #ff6b6b;")
        root.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        root.addWidget(buttons)

    def accept(self) -> None:
        try:
            self.operator = Operator.parse(self.badge.text(), self.name.text(),
                                           str(self.role.currentData()))
        except OperatorError as exc:
            self.error.setText(exc.user_message)
            log.info("operator sign-on refused: %s", exc.user_message)
            return
        super().accept()

    @property
    def handover_note(self) -> str:
        return self.note.toPlainText().strip()
