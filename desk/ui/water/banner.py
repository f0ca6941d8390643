"""The rainstorm warning banner (暴雨预警横幅): a full-width strip in the signal's colour while a
signal is in force, with its defence checklist one click away."""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk.domain.rainstorm import SignalLevel
from desk.services.rainstorm import RainSignal, RainstormService
from desk.store.events import ChangeSet
from desk.ui.context import UiContext

log = logging.getLogger(__name__)


def _hm(t: float | None) -> str:
    return "" if t is None else time.strftime("%H:%M", time.localtime(t))


class ChecklistDialog(QDialog):
    """The defence guidance of the signal in force; ticking an item records who and when."""

    def __init__(self, ui: UiContext, signal: RainSignal, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = ui
        self.service = ui.app.service(RainstormService)
        self.signal = signal
        self.setWindowTitle(signal.level.label + self.tr(" — 防御指南"))
        self.resize(560, 380)
        layout = QVBoxLayout(self)
        head = QLabel(f"<b>{signal.level.label}</b>　" + self.tr("发布：") + _hm(signal.raised_at)
                      + "　" + (signal.reason or ""), self)
        head.setWordWrap(True)
        layout.addWidget(head)
        self.list = QListWidget(self)
        layout.addWidget(self.list, 1)
        self.list.itemChanged.connect(self._on_item_changed)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        box.rejected.connect(self.reject)
        layout.addWidget(box)
        self.refresh()

    def refresh(self) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for item in self.service.checklist(self.signal.id):
            text = item.text
            if item.done:
                text += f"　✓ {_hm(item.done_at)} {item.done_by}"
            li = QListWidgetItem(text, self.list)
            li.setFlags(li.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            li.setCheckState(Qt.CheckState.Checked if item.done else Qt.CheckState.Unchecked)
            li.setData(Qt.ItemDataRole.UserRole, item.id)
        self.list.blockSignals(False)

    def _on_item_changed(self, li: QListWidgetItem) -> None:
        done = li.checkState() == Qt.CheckState.Checked
        self.service.tick(li.data(Qt.ItemDataRole.UserRole), self.ui.app.actor, done)
        self.refresh()


class RainWarningBanner(QWidget):
    """``RainWarningBanner(ui, parent)``: hidden while no signal is in force."""

    def __init__(self, ui: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = ui
        self.service = ui.app.service(RainstormService)
        self.setObjectName("rainBanner")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 4, 12, 4)
        self.label = QLabel(self)
        self.label.setObjectName("rainBannerText")
        row.addWidget(self.label, 1)
        self.progress = QLabel(self)
        row.addWidget(self.progress)
        self.checklist_button = QPushButton(self.tr("防御指南清单"), self)
        self.checklist_button.clicked.connect(self.open_checklist)
        row.addWidget(self.checklist_button)
        self.lift_button = QPushButton(self.tr("解除"), self)
        self.lift_button.clicked.connect(self._lift)
        row.addWidget(self.lift_button)
        self.dialog: ChecklistDialog | None = None
        self.current: RainSignal | None = None
        ui.qbus.sig_changed.connect(self._on_changes)
        self.refresh()

    def _on_changes(self, changes: ChangeSet) -> None:
        if changes.touches("rain_signals", "rain_checklist_items"):
            self.refresh()

    def refresh(self) -> None:
        self.current = self.service.current()
        cur = self.current
        if cur is None:
            self.hide()
            return
        items = self.service.checklist(cur.id)
        done = sum(1 for i in items if i.done)
        src = self.tr("雨量站自动") if cur.source == "gauge" else self.tr("人工发布")
        self.label.setText(f"⚠ {cur.level.label}　{_hm(cur.raised_at)} {src}"
                           + (f"　{cur.reason}" if cur.reason else ""))
        self.progress.setText(self.tr("已完成 {0}/{1}").format(done, len(items)))
        fg = cur.level.text_color
        self.setStyleSheet(
            f"#rainBanner {{ background:{cur.level.color}; }}"
            f"#rainBanner QLabel {{ color:{fg}; font-size:15px; font-weight:bold; }}"
            f"#rainBanner QPushButton {{ color:{fg}; background:rgba(0,0,0,40);"
            f" border:1px solid {fg}; padding:3px 10px; }}")
        self.show()
        if self.dialog is not None and self.dialog.isVisible():
            if self.dialog.signal.id == cur.id:
                self.dialog.refresh()
            else:
                self.dialog.close()

    @property
    def level(self) -> SignalLevel | None:
        return None if self.current is None else self.current.level

    def open_checklist(self) -> ChecklistDialog | None:
        if self.current is None:
            return None
        self.dialog = ChecklistDialog(self.ui, self.current, self)
        self.dialog.show()
        return self.dialog

    def _lift(self) -> None:
        self.service.lift(self.ui.app.actor)


class SignalPicker(QWidget):
    """A level chooser and "发布" button to set a signal by hand (in the water panel)."""

    def __init__(self, ui: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = ui
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.combo = QComboBox(self)
        for level in SignalLevel:
            self.combo.addItem(level.label, level.value)
        row.addWidget(self.combo)
        b = QPushButton(self.tr("发布预警"), self)
        b.clicked.connect(self._set)
        row.addWidget(b)

    def _set(self) -> None:
        level = SignalLevel(self.combo.currentData())
        self.ui.app.service(RainstormService).set_signal(level, self.ui.app.actor,
                                                         reason=self.tr("人工发布"))
