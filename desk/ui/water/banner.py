"""The rainstorm banner (暴雨预警横幅): a full-width strip in the colour of the most severe OFFICIAL
signal in force (as received from the 气象台, with its areas), its police measures (处置措施 of the
city's 防汛预案) one click away; and, when the gauges alone meet a level, a neutral strip with the
internal assessment (内部研判), which is never called a warning.

Text colour is chosen per level by contrast (``SignalLevel.text_color``), and set on the labels
themselves so the dark theme's label colour cannot win over it.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk.domain.rainstorm import SignalLevel, split_areas
from desk.services.rainstorm import SOURCE_LABELS, CapImport, RainSignal, RainstormService
from desk.store.events import ChangeSet
from desk.ui.context import UiContext

log = logging.getLogger(__name__)

#: The neutral strip of the internal assessment (not a signal colour).
ASSESSMENT_BG = "#30363d"
ASSESSMENT_FG = "#f0f6fc"
DEFAULT_OFFICE = "郑州市气象台"


def _hm(t: float | None) -> str:
    return "" if t is None else time.strftime("%H:%M", time.localtime(t))


class ChecklistDialog(QDialog):
    """The police measures (处置措施) of a signal; ticking one records who and when."""

    def __init__(self, ui: UiContext, signal: RainSignal, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = ui
        self.service = ui.app.service(RainstormService)
        self.signal = signal
        self.setWindowTitle(signal.level.label + " — " + self.tr("处置措施（市防汛预案）"))
        self.resize(640, 440)
        layout = QVBoxLayout(self)
        head = QLabel(f"<b>{signal.title}</b><br>" + self.tr("收到：") + _hm(signal.raised_at)
                      + "　" + self.tr("发布：") + _hm(signal.issued_at)
                      + ("　" + signal.reason if signal.reason else ""), self)
        head.setWordWrap(True)
        layout.addWidget(head)
        self.list = QListWidget(self)
        self.list.setWordWrap(True)
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
            tag = f"［{item.level.short}］" if item.level is not None else ""
            text = tag + item.text
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
    """``RainWarningBanner(ui, parent)``: hidden while no official signal is in force and no
    district's rain meets a level."""

    def __init__(self, ui: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = ui
        self.service = ui.app.service(RainstormService)
        self.setObjectName("rainBanner")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 4, 12, 4)
        outer.setSpacing(2)
        row = QHBoxLayout()
        outer.addLayout(row)
        self.label = QLabel(self)
        self.label.setObjectName("rainBannerText")
        self.label.setWordWrap(True)
        row.addWidget(self.label, 1)
        self.progress = QLabel(self)
        self.progress.setObjectName("rainBannerProgress")
        row.addWidget(self.progress)
        self.checklist_button = QPushButton(self.tr("处置措施清单"), self)
        self.checklist_button.clicked.connect(self.open_checklist)
        row.addWidget(self.checklist_button)
        self.lift_button = QPushButton(self.tr("解除"), self)
        self.lift_button.clicked.connect(self._lift)
        row.addWidget(self.lift_button)
        self.assessment = QLabel(self)
        self.assessment.setObjectName("rainBannerAssessment")
        self.assessment.setWordWrap(True)
        outer.addWidget(self.assessment)
        self.dialog: ChecklistDialog | None = None
        self.current: RainSignal | None = None
        ui.qbus.sig_changed.connect(self._on_changes)
        self.refresh()

    def _on_changes(self, changes: ChangeSet) -> None:
        if changes.touches("rain_signals", "rain_checklist_items", "rain_district_assessment"):
            self.refresh()

    def refresh(self) -> None:
        signals = self.service.in_force()
        self.current = signals[0] if signals else None
        assessed = self.service.assessments()
        cur = self.current
        if cur is None and not assessed:
            self.hide()
            return
        if assessed:
            parts = [f"{d} {lv.standard_label}" for d, lv in
                     sorted(assessed.items(), key=lambda kv: (-kv[1].rank, kv[0]))]
            self.assessment.setText(self.tr("内部研判（非预警信号）：") + "；".join(parts))
        self.assessment.setVisible(bool(assessed))
        has_signal = cur is not None
        for w in (self.label, self.progress, self.checklist_button, self.lift_button):
            w.setVisible(has_signal)
        if cur is not None:
            items = self.service.checklist(cur.id)
            done = sum(1 for i in items if i.done)
            src = SOURCE_LABELS.get(cur.source, cur.source)
            lines = [f"⚠ {s.title}　{_hm(s.issued_at)}" for s in signals]
            self.label.setText("\n".join(lines) + f"　（{src}）")
            self.progress.setText(self.tr("已完成 {0}/{1}").format(done, len(items)))
            bg, fg = cur.level.color, cur.level.text_color
        else:
            bg, fg = ASSESSMENT_BG, ASSESSMENT_FG
        self.setStyleSheet(
            f"QWidget#rainBanner {{ background-color:{bg}; }}"
            f"QWidget#rainBanner QLabel {{ color:{fg}; background:transparent;"
            f" font-size:15px; font-weight:bold; }}"
            f"QWidget#rainBanner QLabel#rainBannerAssessment {{ font-size:13px; }}"
            f"QWidget#rainBanner QPushButton {{ color:{fg}; background:transparent;"
            f" border:1px solid {fg}; padding:3px 10px; }}")
        self.show()
        if self.dialog is not None and self.dialog.isVisible():
            if cur is not None and self.dialog.signal.id == cur.id:
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
        if self.current is not None:
            self.service.lift(self.ui.app.actor, self.current.id)


class OfficialSignalDialog(QDialog):
    """Record a signal the 气象台 issued, as received: level, issuing office, time, areas."""

    def __init__(self, ui: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = ui
        self.service = ui.app.service(RainstormService)
        self.setWindowTitle(self.tr("录入气象台预警信号"))
        form = QFormLayout(self)
        self.level = QComboBox(self)
        for level in SignalLevel:
            self.level.addItem(level.label, level.value)
        form.addRow(self.tr("等级"), self.level)
        self.office = QLineEdit(DEFAULT_OFFICE, self)
        form.addRow(self.tr("发布单位"), self.office)
        self.issued = QDateTimeEdit(QDateTime.fromSecsSinceEpoch(int(ui.app.clock())), self)
        self.issued.setDisplayFormat("yyyy-MM-dd HH:mm")
        form.addRow(self.tr("发布时间"), self.issued)
        known = "、".join(self.service.known_districts())
        self.areas = QLineEdit(self)
        self.areas.setPlaceholderText(self.tr("如：主城区、航空港区、上街区（空 = 全市）"))
        self.areas.setToolTip(known)
        form.addRow(self.tr("预警区域"), self.areas)
        self.error = QLabel(self)
        self.error.setStyleSheet("color:#ff7b72;")
        form.addRow(self.error)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel, self)
        box.accepted.connect(self.record)
        box.rejected.connect(self.reject)
        form.addRow(box)
        self.signal_id: str | None = None

    def record(self) -> str | None:
        office = self.office.text().strip()
        if not office:
            self.error.setText(self.tr("请填写发布单位（气象台）"))
            return None
        self.signal_id = self.service.record_signal(
            SignalLevel(self.level.currentData()), self.ui.app.actor, office=office,
            districts=split_areas(self.areas.text()),
            issued_at=float(self.issued.dateTime().toSecsSinceEpoch()), source="manual")
        self.accept()
        return self.signal_id


class SignalPicker(QWidget):
    """In the water panel: record an official signal by hand, or read CAP files."""

    def __init__(self, ui: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = ui
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.record_button = QPushButton(self.tr("录入预警信号…"), self)
        self.record_button.setToolTip(self.tr("记录气象台发布的暴雨预警信号（等级、发布单位、时间、区域）"))
        self.record_button.clicked.connect(self.open_dialog)
        row.addWidget(self.record_button)
        self.cap_button = QPushButton(self.tr("导入 CAP…"), self)
        self.cap_button.setToolTip(self.tr("读取 CAP 1.2 预警文件（国家突发事件预警信息发布系统格式）"))
        self.cap_button.clicked.connect(self.choose_cap)
        row.addWidget(self.cap_button)
        self.dialog: OfficialSignalDialog | None = None

    def open_dialog(self) -> OfficialSignalDialog:
        self.dialog = OfficialSignalDialog(self.ui, self)
        self.dialog.open()
        return self.dialog

    def choose_cap(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, self.tr("选择 CAP 预警文件"), "",
                                                self.tr("CAP 文件 (*.xml)"))
        for f in files:
            self.import_cap(Path(f))

    def import_cap(self, path: Path) -> CapImport:
        result = self.ui.app.service(RainstormService).import_cap(path, self.ui.app.actor)
        msg = self.tr("已记录 {0} 条，解除 {1} 条，重复 {2} 条").format(
            len(result.recorded), len(result.lifted), len(result.duplicates))
        if result.refused:
            msg += self.tr("；未接受 {0} 个文件").format(len(result.refused))
            detail = "\n".join(f"{name}：{reason}" for name, reason in result.refused)
            box = QMessageBox(QMessageBox.Icon.Warning, self.tr("CAP 导入"), msg,
                              QMessageBox.StandardButton.Ok, self)
            box.setDetailedText(detail)
            box.open()
        self.ui.sig_status_message.emit(msg, 6000)
        return result
