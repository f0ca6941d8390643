"""The sync dialogs: the 未同步/被拒绝/冲突 lists, and the question asked before anything could
replace a workspace's data (desk asks, never wipes)."""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desk.store.workspace import Workspace
from desk.sync.engine import SyncDecision
from desk.sync.outbox import (
    discard_rejected,
    open_conflicts,
    pending_ops,
    rejected_ops,
    resolve_conflict,
)

log = logging.getLogger(__name__)

ENTITY_LABELS = {
    "stations": "中队/大队", "officers": "警员", "units": "警力", "cameras": "卡口/摄像机",
    "water_points": "积水点", "duty_posts": "勤务岗位", "police_rooms": "警务室",
    "duty_assignments": "勤务安排", "duty_shifts": "班次", "accident_cases": "事故",
    "incidents": "警情",
}
OP_LABELS = {"insert": "新增", "update": "修改", "delete": "删除"}
FIELD_LABELS = {
    "status": "状态", "state": "状态", "name": "名称", "call_sign": "呼号", "station_id": "所属中队",
    "unit_id": "所属警力", "on_duty": "在岗", "liability": "责任认定", "assigned_unit_id": "指派警力",
    "road": "道路", "kind": "类型",
}
#: Reason codes the central answers with, as a dispatcher reads them.
REASON_LABELS = {
    "unknown_entity": "中心不认识此类数据", "bad_field_name": "字段名无效",
    "not_finite": "数值无效", "value_too_long": "内容过长", "bad_value_type": "数值类型无效",
    "id_mismatch": "编号不一致", "empty_patch": "没有要修改的内容", "not_found": "中心没有此记录",
    "deleted": "此记录已在中心被删除", "other_station": "中队长只能修改本中队的数据",
    "no_station_scope": "此类数据不属于任何中队，中队长无权修改",
    "trainer_live_write": "培训员只能写入演练数据", "role_forbidden": "当前角色无权执行此操作",
}


def _reason(reason: str) -> str:
    label = REASON_LABELS.get(reason)
    return f"{label}（{reason}）" if label else reason


def _field_value(entity: str, name: str, value: Any) -> str:
    if entity == "units" and name == "status" and isinstance(value, str):
        from desk.domain.units import UnitStatus

        try:
            return f"{UnitStatus(value).label}（{value}）"
        except ValueError:
            return value
    return _value(value)


def _value(v: Any) -> str:
    if v is None:
        return "—"
    return v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: list[list[str]], keys: list[Any]) -> None:
    table.setRowCount(len(rows))
    for r, (row, key) in enumerate(zip(rows, keys, strict=True)):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setToolTip(text)
            table.setItem(r, c, item)
    table.resizeColumnsToContents()


class SyncListsDialog(QDialog):
    """Tabs 未同步 / 被拒绝 / 冲突. Reads the GUI workspace; a pick writes through its write path."""

    sig_resolved = Signal()
    """A conflict was resolved or a rejected op dismissed (the status bar re-counts)."""

    def __init__(self, workspace: Workspace, actor: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.actor = actor
        self.setWindowTitle(self.tr("同步状态"))
        self.resize(860, 420)
        self.tabs = QTabWidget()
        self.pending_table = _table([self.tr("对象"), self.tr("编号"), self.tr("操作"),
                               self.tr("尝试次数"), self.tr("最近错误")])
        self.rejected_table = _table([self.tr("对象"), self.tr("编号"), self.tr("操作"),
                                self.tr("代码"), self.tr("原因"), self.tr("时间")])
        self.conflict_table = _table([self.tr("对象"), self.tr("编号"), self.tr("字段"),
                                 self.tr("本机的值"), self.tr("中心的值")])
        rejected_page = QWidget()
        rl = QVBoxLayout(rejected_page)
        rl.addWidget(self.rejected_table)
        self.btn_dismiss = QPushButton(self.tr("已知悉，移除所选"))
        self.btn_dismiss.clicked.connect(self._dismiss)
        rl.addWidget(self.btn_dismiss, alignment=Qt.AlignmentFlag.AlignRight)
        conflict_page = QWidget()
        cl = QVBoxLayout(conflict_page)
        hint = QLabel(self.tr("同一记录的业务字段在两个席位被改成了不同的值，请选择保留哪一方。"))
        hint.setWordWrap(True)
        cl.addWidget(hint)
        cl.addWidget(self.conflict_table)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.btn_keep_local = QPushButton(self.tr("保留本机的值"))
        self.btn_keep_server = QPushButton(self.tr("采用中心的值"))
        self.btn_keep_local.clicked.connect(lambda: self._resolve("local"))
        self.btn_keep_server.clicked.connect(lambda: self._resolve("server"))
        buttons.addWidget(self.btn_keep_local)
        buttons.addWidget(self.btn_keep_server)
        cl.addLayout(buttons)
        self.tabs.addTab(self.pending_table, self.tr("未同步"))
        self.tabs.addTab(rejected_page, self.tr("被拒绝"))
        self.tabs.addTab(conflict_page, self.tr("冲突"))
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(close, alignment=Qt.AlignmentFlag.AlignRight)
        self.refresh()

    def refresh(self) -> None:
        ops = pending_ops(self.workspace)
        _fill(self.pending_table, [[ENTITY_LABELS.get(o.entity, o.entity), o.entity_id,
                              OP_LABELS.get(o.op, o.op), str(o.attempts), o.last_error or ""]
                             for o in ops], [o.op_id for o in ops])
        rej = rejected_ops(self.workspace)
        _fill(self.rejected_table, [[ENTITY_LABELS.get(r.entity, r.entity), r.entity_id,
                               OP_LABELS.get(r.op, r.op), str(r.code), _reason(r.reason),
                               time.strftime("%m-%d %H:%M:%S", time.localtime(r.rejected_at))]
                              for r in rej], [r.op_id for r in rej])
        rows: list[list[str]] = []
        keys: list[int] = []
        for c in open_conflicts(self.workspace):
            for name, mine in c.local.items():
                theirs = (c.server or {}).get(name)
                rows.append([ENTITY_LABELS.get(c.entity, c.entity), c.entity_id,
                             FIELD_LABELS.get(name, name), _field_value(c.entity, name, mine),
                             _field_value(c.entity, name, theirs)])
                keys.append(c.id)
        _fill(self.conflict_table, rows, keys)
        self.tabs.setTabText(0, self.tr("未同步 (%n)", "", len(ops)))
        self.tabs.setTabText(1, self.tr("被拒绝 (%n)", "", len(rej)))
        self.tabs.setTabText(2, self.tr("冲突 (%n)", "", len(rows)))

    def _selected_keys(self, table: QTableWidget) -> list[Any]:
        keys = []
        for index in table.selectionModel().selectedRows():
            item = table.item(index.row(), 0)
            if item is not None:
                keys.append(item.data(Qt.ItemDataRole.UserRole))
        return list(dict.fromkeys(keys))

    def _resolve(self, keep: str) -> None:
        for conflict_id in self._selected_keys(self.conflict_table):
            try:
                resolve_conflict(self.workspace, int(conflict_id), keep, actor=self.actor)
            except (KeyError, ValueError) as exc:
                log.warning("conflict %s not resolved: %s", conflict_id, exc)
                QMessageBox.warning(self, self.tr("无法处理冲突"), str(exc))
        self.refresh()
        self.sig_resolved.emit()

    def _dismiss(self) -> None:
        for op_id in self._selected_keys(self.rejected_table):
            discard_rejected(self.workspace, str(op_id))
        self.refresh()
        self.sig_resolved.emit()


class SyncDecisionDialog(QDialog):
    """Asked when the central's epoch changed, or when a workspace with data meets a central for
    the first time. ``choice`` is ``upload``, ``download`` or ``""`` (not now)."""

    def __init__(self, decision: SyncDecision, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.decision = decision
        self.choice = ""
        self.setWindowTitle(self.tr("同步需要您确认"))
        layout = QVBoxLayout(self)
        if decision.kind == "epoch_changed":
            text = self.tr("指挥中心的数据已被重置或从备份恢复（数据纪元已变化）。"
                           "本机数据不会被自动清除，请选择如何继续。")
        elif decision.server_empty:
            text = self.tr("指挥中心没有任何数据，而本机工作区有数据。"
                           "本机数据不会被自动清除，请选择如何继续。")
        else:
            text = self.tr("本机工作区有数据，且从未与该指挥中心同步过。请选择如何继续。")
        self.message = QLabel(text)
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        names = sorted(n for n in set(decision.local_counts) | set(decision.server_counts)
                       if decision.local_counts.get(n) or decision.server_counts.get(n))
        counts = _table([self.tr("对象"), self.tr("本机"), self.tr("中心")])
        _fill(counts, [[ENTITY_LABELS.get(n, n), str(decision.local_counts.get(n, 0)),
                        str(decision.server_counts.get(n, 0))] for n in names], names)
        layout.addWidget(counts)
        self.btn_upload = QPushButton(self.tr("上传本机数据并合并"))
        self.btn_download = QPushButton(self.tr("以中心数据为准（替换本机数据）"))
        self.btn_later = QPushButton(self.tr("暂不同步"))
        self.btn_upload.clicked.connect(lambda: self._pick("upload"))
        self.btn_download.clicked.connect(self._confirm_download)
        self.btn_later.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.btn_upload)
        row.addWidget(self.btn_download)
        row.addStretch(1)
        row.addWidget(self.btn_later)
        layout.addLayout(row)
        self.resize(620, 360)

    def _pick(self, choice: str) -> None:
        self.choice = choice
        self.accept()

    def _confirm_download(self) -> None:
        answer = QMessageBox.question(
            self, self.tr("确认替换本机数据"),
            self.tr("本机的同步数据将被删除并从中心重新下载；尚未发送的修改会移入“被拒绝”列表，"
                    "不会丢失。确定继续吗？"),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._pick("download")
