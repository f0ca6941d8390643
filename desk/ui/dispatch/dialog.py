"""The 派警 dialog: the units that can be sent (空闲/待命, 返回) ranked by ETA for their kind, stale
fixes last and marked; the 快反圈 the target lies in with their tiers; send one, or for a water
point close the road or tunnel there (封闭)."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desk.domain.units import UnitKind
from desk.services.dispatch import DispatchError, DispatchService, Target
from desk.services.nearest import NearestUnits
from desk.services.quick_response import QuickResponseService
from desk.ui.alerts.prompt import TextPrompt, ask_text
from desk.ui.context import UiContext
from desk.ui.dispatch.quick_response import QuickResponseDialog

log = logging.getLogger(__name__)


class DispatchDialog(QDialog):
    """``DispatchDialog(ui, target)``; after ``exec`` ``dispatched`` holds the sent unit ids."""

    def __init__(self, ui: UiContext, target: Target, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = ui
        self.target = target
        self.service = ui.app.service(DispatchService)
        self.dispatched: list[str] = []
        self.ask_text: TextPrompt = ask_text
        self.setWindowTitle(self.tr("派警") + f" — {target.label or target.id}")
        self.setMinimumSize(620, 420)
        layout = QVBoxLayout(self)
        self.heading = QLabel(self)
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        self.circles_label = QLabel(self)
        self.circles_label.setWordWrap(True)
        self.circles_label.setObjectName("quickCircles")
        layout.addWidget(self.circles_label)
        self.table = QTableWidget(0, 6, self)
        self.table.setHorizontalHeaderLabels(
            [self.tr("呼号"), self.tr("类型"), self.tr("状态"), self.tr("距离"), self.tr("预计到达"),
             self.tr("定位")])
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(self.send_selected)
        layout.addWidget(self.table, 1)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        row = QHBoxLayout()
        self.send_button = QPushButton(self.tr("派警 (Enter)"), self)
        self.send_button.setProperty("accent", True)
        self.send_button.setDefault(True)
        self.send_button.clicked.connect(self.send_selected)
        row.addWidget(self.send_button)
        self.close_road_button = QPushButton(self.tr("封闭道路/隧道…"), self)
        # clicked(bool) would hand its checked flag to close_road as the reason: ask instead.
        self.close_road_button.clicked.connect(lambda _checked=False: self.close_road())
        self.close_road_button.setVisible(target.entity == "water_points" or self._point_id() != "")
        row.addWidget(self.close_road_button)
        self.circles_button = QPushButton(self.tr("快反圈…"), self)
        self.circles_button.clicked.connect(lambda _checked=False: self.open_circles())
        row.addWidget(self.circles_button)
        row.addStretch(1)
        done = QPushButton(self.tr("关闭"), self)
        done.clicked.connect(self.accept)
        row.addWidget(done)
        layout.addLayout(row)
        self.refresh()

    def _point_id(self) -> str:
        """The water point this target is about (the point itself, or a water alert's point)."""
        if self.target.entity == "water_points":
            return self.target.id
        if self.target.entity == "alerts":
            row = self.ui.workspace.db.execute(
                "SELECT dedup_key FROM alerts WHERE id = ?", [self.target.id]).fetchone()
            key = str(row[0] or "") if row else ""
            if key.startswith("water.") and ":" in key:
                return key.split(":", 1)[1]
        return ""

    def open_circles(self) -> QuickResponseDialog:
        """The 快反圈 editor, with a new circle at this target when it lies in none."""
        dialog = QuickResponseDialog(self.ui, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        inside = self.ui.app.service(QuickResponseService).circles_at(self.target.lat, self.target.lon)
        if inside:
            dialog.reload(select=inside[0].id)
        else:
            dialog.new_at(self.target.lat, self.target.lon)
        dialog.finished.connect(lambda _r: self.refresh())
        dialog.show()
        self.circles_dialog = dialog
        return dialog

    def _show_circles(self) -> None:
        try:
            circles = self.ui.app.service(QuickResponseService).circles_at(self.target.lat,
                                                                           self.target.lon)
        except Exception:  # a workspace older than the 快反圈 tables
            log.exception("quick-response circles unavailable")
            circles = []
        if not circles:
            self.circles_label.setText(self.tr("目标不在任何快反圈内"))
            return
        parts = []
        for c in circles[:2]:
            tiers = "；".join(
                self.tr("{0} 分钟：").format(m) + ("、".join(f.force for f in c.tier(m)) or "—")
                for m in (1, 3, 5))
            parts.append(self.tr("快反圈 {0}（{1}）— {2}").format(c.name, c.kind_label, tiers))
        self.circles_label.setText("<br>".join(parts))

    def refresh(self) -> None:
        self._show_circles()
        result = self.ui.app.service(NearestUnits).find(self.target.lat, self.target.lon, n=10)
        self.units = list(result.units)
        sent = self.service.dispatches_to(self.target.entity, self.target.id)
        already = "、".join(str(d["call_sign"]) for d in sent)
        self.heading.setText(
            self.tr("目标：") + (self.target.label or self.target.id)
            + (("　" + self.tr("已派：") + already) if already else ""))
        self.table.setRowCount(len(self.units))
        for r, unit in enumerate(self.units):
            kind = UnitKind(unit.kind).label if unit.kind in UnitKind._value2member_map_ else unit.kind
            # 空闲/待命 is "available" (not 在岗, which includes units already sent); 返回 units
            # can be re-tasked on their way back.
            status = self.tr("返回中") if unit.returning else self.tr("空闲/待命")
            if unit.fix_age_s is None:
                fix = self.tr("无定位时间")
            elif unit.stale:
                fix = self.tr("⚠ 定位陈旧（{0} 分钟前）").format(int(unit.fix_age_s // 60))
            else:
                fix = self.tr("{0} 秒前").format(int(unit.fix_age_s))
            values = [unit.call_sign, kind, status, f"{unit.distance_m / 1000:.1f} km",
                      f"{unit.eta_s / 60:.1f} " + self.tr("分钟"), fix]
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if c in (3, 4):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if unit.stale:
                    item.setForeground(QBrush(QColor("#d29922")))
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        if self.units:
            self.table.selectRow(0)
        else:
            self.message.setText(self.tr("附近没有空闲/待命或返回中的警力可派"))
        self.send_button.setEnabled(bool(self.units))

    def send_selected(self) -> None:
        row = self.table.currentRow()
        if row < 0 or row >= len(self.units):
            return
        unit = self.units[row]
        try:
            self.service.dispatch(unit.unit_id, self.target)
        except DispatchError as exc:
            log.warning("dispatch refused: %s", exc)
            self.message.setText(str(exc))
            return
        self.dispatched.append(unit.unit_id)
        text = self.tr("已派 {0} 前往 {1}").format(unit.call_sign, self.target.label or self.target.id)
        self.message.setText(text)
        self.ui.sig_status_message.emit(text, 6000)
        self.refresh()

    def close_road(self, reason: str | None = None) -> bool:
        point = self._point_id()
        if not point:
            return False
        if not isinstance(reason, str):
            reason = self.ask_text(self, self.tr("封闭道路/隧道"), self.tr("封闭原因："), "")
            if reason is None:
                return False
        try:
            self.service.close_road(point, reason)
        except DispatchError as exc:
            log.warning("road closure refused: %s", exc)
            self.message.setText(str(exc))
            return False
        self.message.setText(self.tr("已封闭 {0}").format(point))
        self.ui.sig_status_message.emit(self.tr("已封闭 {0}").format(point), 6000)
        return True
