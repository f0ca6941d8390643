"""快反圈 editor: a station chief keeps the circles around key places and the forces of each
minute tier, and reads 快反 compliance (share of dispatches arriving within 1 / 3 / 5 minutes,
per circle and per station) from the real dispatch records.

Editing on the map would need one hook from the map panel (owned there): a request signal with
the clicked position (e.g. ``sig_quick_circle_requested(lat, lon)``) that opens this dialog with
a new circle at that point, and a layer op to draw ``QuickResponseService.circles()``.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desk.services.quick_response import (
    CIRCLE_KINDS,
    TIERS,
    ComplianceRow,
    QuickCircle,
    QuickResponseError,
    QuickResponseService,
)
from desk.ui.context import UiContext

log = logging.getLogger(__name__)


def _pct(row: ComplianceRow, minutes: int) -> str:
    share = row.share(minutes)
    return "—" if share is None else f"{share * 100:.0f}%"


class QuickResponseDialog(QDialog):
    """``QuickResponseDialog(ui)``; ``new_at(lat, lon)`` starts a circle at a map point."""

    def __init__(self, ui: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = ui
        self.service = ui.app.service(QuickResponseService)
        self.setWindowTitle(self.tr("快反圈（1、3、5 分钟快反）"))
        self.resize(900, 560)
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget(self)
        layout.addWidget(self.tabs, 1)

        # -- circles ---------------------------------------------------------------------------
        edit = QWidget()
        split = QSplitter(Qt.Orientation.Horizontal, edit)
        el = QVBoxLayout(edit)
        el.addWidget(split)
        left = QWidget(split)
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        self.list = QListWidget(left)
        self.list.currentRowChanged.connect(lambda _r: self._show_selected())
        ll.addWidget(self.list, 1)
        lb = QHBoxLayout()
        self.new_button = QPushButton(self.tr("新建快反圈"), left)
        self.new_button.clicked.connect(lambda _c=False: self.new_at(34.7534, 113.6650))
        self.delete_button = QPushButton(self.tr("删除"), left)
        self.delete_button.clicked.connect(lambda _c=False: self.delete_selected())
        lb.addWidget(self.new_button)
        lb.addWidget(self.delete_button)
        ll.addLayout(lb)

        right = QWidget(split)
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        self.name = QLineEdit(right)
        self.kind = QComboBox(right)
        for value, label in CIRCLE_KINDS.items():
            self.kind.addItem(label, value)
        self.station = QComboBox(right)
        self.station.addItem(self.tr("（未指定）"), "")
        for sid, sname in ui.workspace.db.execute("SELECT id, name FROM stations ORDER BY kind, name"):
            self.station.addItem(str(sname), str(sid))
        self.lat = QDoubleSpinBox(right)
        self.lat.setRange(-90, 90)
        self.lat.setDecimals(5)
        self.lon = QDoubleSpinBox(right)
        self.lon.setRange(-180, 180)
        self.lon.setDecimals(5)
        self.radius = QSpinBox(right)
        self.radius.setRange(50, 20_000)
        self.radius.setSingleStep(100)
        self.radius.setSuffix(" m")
        self.note = QLineEdit(right)
        form.addRow(self.tr("名称："), self.name)
        form.addRow(self.tr("重点部位："), self.kind)
        form.addRow(self.tr("责任单位："), self.station)
        form.addRow(self.tr("纬度："), self.lat)
        form.addRow(self.tr("经度："), self.lon)
        form.addRow(self.tr("半径："), self.radius)
        form.addRow(self.tr("备注："), self.note)
        rl.addLayout(form)
        self.save_button = QPushButton(self.tr("保存快反圈"), right)
        self.save_button.clicked.connect(lambda _c=False: self.save())
        rl.addWidget(self.save_button)
        rl.addWidget(QLabel(self.tr("各梯次力量："), right))
        self.forces = QTableWidget(0, 3, right)
        self.forces.setHorizontalHeaderLabels([self.tr("梯次"), self.tr("力量"), self.tr("警力单元")])
        self.forces.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.forces.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.forces.verticalHeader().setVisible(False)
        self.forces.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        rl.addWidget(self.forces, 1)
        fb = QHBoxLayout()
        self.tier = QComboBox(right)
        for m in TIERS:
            self.tier.addItem(self.tr("{0} 分钟").format(m), m)
        self.force = QLineEdit(right)
        self.force.setPlaceholderText(self.tr("如：警务站、交警快骑、交通中队、市局直属"))
        self.add_force_button = QPushButton(self.tr("添加力量"), right)
        self.add_force_button.clicked.connect(lambda _c=False: self.add_force())
        self.remove_force_button = QPushButton(self.tr("移除所选"), right)
        self.remove_force_button.clicked.connect(lambda _c=False: self.remove_force())
        fb.addWidget(self.tier)
        fb.addWidget(self.force, 1)
        fb.addWidget(self.add_force_button)
        fb.addWidget(self.remove_force_button)
        rl.addLayout(fb)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 2)
        self.tabs.addTab(edit, self.tr("快反圈"))

        # -- compliance ------------------------------------------------------------------------
        report = QWidget()
        pl = QVBoxLayout(report)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("统计时段："), report))
        self.period = QComboBox(report)
        for days, label in ((1, self.tr("近 24 小时")), (7, self.tr("近 7 天")), (30, self.tr("近 30 天"))):
            self.period.addItem(label, days)
        self.period.setCurrentIndex(1)
        self.period.currentIndexChanged.connect(lambda _i: self.refresh_report())
        top.addWidget(self.period)
        top.addStretch(1)
        pl.addLayout(top)
        self.report_caption = QLabel(report)
        self.report_caption.setWordWrap(True)
        pl.addWidget(self.report_caption)
        self.report = QTableWidget(0, 7, report)
        self.report.setHorizontalHeaderLabels([
            self.tr("范围"), self.tr("派警数"), self.tr("到场数"), self.tr("1 分钟内"),
            self.tr("3 分钟内"), self.tr("5 分钟内"), self.tr("到场用时中位数")])
        self.report.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.report.verticalHeader().setVisible(False)
        self.report.horizontalHeader().setStretchLastSection(True)
        pl.addWidget(self.report, 1)
        self.tabs.addTab(report, self.tr("快反达标率"))

        self.message = QLabel(self)
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self._circles: list[QuickCircle] = []
        self._new: tuple[float, float] | None = None
        self.reload()
        self.refresh_report()

    # -- circles -------------------------------------------------------------------------------

    def reload(self, select: str | None = None) -> None:
        chosen = self.selected()
        current = select or (chosen.id if chosen is not None else None)
        self._circles = self.service.circles()
        self.list.blockSignals(True)
        self.list.clear()
        for c in self._circles:
            item = QListWidgetItem(f"{c.name}（{c.kind_label}，{c.radius_m:.0f} m）")
            item.setData(Qt.ItemDataRole.UserRole, c.id)
            self.list.addItem(item)
        self.list.blockSignals(False)
        row = next((i for i, c in enumerate(self._circles) if c.id == current), 0 if self._circles else -1)
        self.list.setCurrentRow(row)
        self._show_selected()

    def selected(self) -> QuickCircle | None:
        row = self.list.currentRow()
        return self._circles[row] if 0 <= row < len(self._circles) else None

    def _show_selected(self) -> None:
        c = self.selected()
        self._new = None
        has = c is not None
        for w in (self.delete_button, self.add_force_button, self.remove_force_button):
            w.setEnabled(has)
        if c is None:
            self.forces.setRowCount(0)
            return
        self.name.setText(c.name)
        self.kind.setCurrentIndex(max(0, self.kind.findData(c.kind)))
        self.station.setCurrentIndex(max(0, self.station.findData(c.station_id or "")))
        self.lat.setValue(c.lat)
        self.lon.setValue(c.lon)
        self.radius.setValue(int(c.radius_m))
        self.note.setText(c.note)
        self.forces.setRowCount(len(c.forces))
        for r, f in enumerate(c.forces):
            for col, text in enumerate((self.tr("{0} 分钟").format(f.tier_min), f.force, f.unit_id or "")):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, f.id)
                self.forces.setItem(r, col, item)

    def new_at(self, lat: float, lon: float) -> None:
        """Start a new circle at a point (the map's hook would call this)."""
        self.list.clearSelection()
        self.list.setCurrentRow(-1)
        self._new = (lat, lon)
        self.name.clear()
        self.note.clear()
        self.kind.setCurrentIndex(max(0, self.kind.findData("other")))
        self.lat.setValue(lat)
        self.lon.setValue(lon)
        self.radius.setValue(1000)
        self.forces.setRowCount(0)
        self.name.setFocus()
        self.message.setText(self.tr("填写名称后点“保存快反圈”"))

    def save(self) -> bool:
        fields = {"name": self.name.text(), "kind": str(self.kind.currentData()),
                  "lat": self.lat.value(), "lon": self.lon.value(),
                  "radius_m": float(self.radius.value()),
                  "station_id": str(self.station.currentData() or "") or None,
                  "note": self.note.text()}
        current = self.selected()
        try:
            if current is None or self._new is not None:
                lat, lon = fields.pop("lat"), fields.pop("lon")
                cid = self.service.add_circle(str(fields.pop("name")), float(lat), float(lon),  # type: ignore[arg-type]
                                              **fields)  # type: ignore[arg-type]
            else:
                cid = current.id
                self.service.update_circle(cid, **fields)
        except QuickResponseError as exc:
            log.info("quick-response circle refused: %s", exc)
            self.message.setText(str(exc))
            return False
        self.message.setText(self.tr("已保存 {0}").format(self.name.text().strip()))
        self.reload(select=cid)
        self.refresh_report()
        return True

    def delete_selected(self) -> bool:
        c = self.selected()
        if c is None:
            return False
        try:
            self.service.delete_circle(c.id)
        except QuickResponseError as exc:
            self.message.setText(str(exc))
            return False
        self.message.setText(self.tr("已删除 {0}").format(c.name))
        self.reload()
        self.refresh_report()
        return True

    def add_force(self, tier: int | None = None, force: str | None = None) -> bool:
        c = self.selected()
        if c is None:
            return False
        try:
            self.service.add_force(c.id, int(tier if tier is not None else self.tier.currentData()),
                                   force if force is not None else self.force.text())
        except QuickResponseError as exc:
            self.message.setText(str(exc))
            return False
        self.force.clear()
        self.reload(select=c.id)
        return True

    def remove_force(self) -> bool:
        c = self.selected()
        row = self.forces.currentRow()
        if c is None or row < 0:
            return False
        item = self.forces.item(row, 0)
        if item is None:
            return False
        try:
            self.service.remove_force(str(item.data(Qt.ItemDataRole.UserRole)))
        except QuickResponseError as exc:
            self.message.setText(str(exc))
            return False
        self.reload(select=c.id)
        return True

    # -- compliance ----------------------------------------------------------------------------

    def refresh_report(self) -> None:
        days = int(self.period.currentData())
        now = self.ui.app.clock()
        report = self.service.compliance(now - days * 86_400, now)
        rows = [report.overall, *report.circles, *report.stations]
        self.report.setRowCount(len(rows))
        for r, row in enumerate(rows):
            scope = {"all": self.tr("全部"), "circle": self.tr("快反圈 "),
                     "station": self.tr("单位 ")}[row.group]
            name = scope if row.group == "all" else scope + row.name
            median = "—" if row.median_s is None else self.tr("{0:.1f} 分钟").format(row.median_s / 60)
            values = (name, str(row.dispatches), str(row.arrived), _pct(row, 1), _pct(row, 3),
                      _pct(row, 5), median)
            for c, text in enumerate(values):
                item = QTableWidgetItem(text)
                if c:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.report.setItem(r, c, item)
        self.report.resizeColumnsToContents()
        self.report_caption.setText(
            self.tr("到场用时 = 到场 − 派警（出警记录）；未到场计入分母，在途未满 5 分钟的 {0} 起不计。")
            .format(report.pending))
