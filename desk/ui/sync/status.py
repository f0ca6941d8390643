"""The status-bar widget of sync: online/offline, pending/rejected/conflict counts, last sync
time, the initial-sync progress bar and the "离线工作" switch. With no central configured it
shows "本地模式" and never touches the network."""

from __future__ import annotations

import contextlib
import logging
import time

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QWidget,
)

from desk.app.sync_job import SyncJob
from desk.store.events import ChangeSet
from desk.store.schema_sync import SYNC_ACTOR
from desk.sync.engine import SyncStatus
from desk.sync.outbox import (
    SYNC_ORIGIN,
    conflict_count,
    get_state,
    pending_count,
    rejected_count,
)
from desk.ui.context import UiContext
from desk.ui.sync.dialogs import SyncDecisionDialog, SyncListsDialog

log = logging.getLogger(__name__)

_DOT = "<span style='color:{};'>●</span> {}"
GREEN, AMBER, RED, GREY = "#3ecf6e", "#ffc94a", "#ff6b6b", "#8a96a8"


class SyncStatusWidget(QWidget):
    """Placed in the main window's status bar. Click it for the 未同步/被拒绝/冲突 lists."""

    def __init__(self, ui: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = ui
        self.workspace = ui.app.workspace
        settings = ui.app.settings
        self.url = str(settings.get("central_url") or "").strip()
        self.token = str(settings.get("central_token") or "").strip()
        self.last_status: SyncStatus | None = None
        self.decision_dialog: SyncDecisionDialog | None = None
        self.lists_dialog: SyncListsDialog | None = None
        self._closed = False

        self.state = QLabel()
        self.state.setTextFormat(Qt.TextFormat.RichText)
        self.pending = QLabel()
        self.rejected = QLabel()
        self.conflicts = QLabel()
        self.last_sync = QLabel()
        self.progress = QProgressBar()
        self.progress.setFixedWidth(120)
        self.progress.setMaximumHeight(14)
        self.progress.setFormat(self.tr("初次同步 %p%"))
        self.progress.hide()
        self.offline = QCheckBox(self.tr("离线工作"))
        self.offline.setToolTip(self.tr("勾选后停止一切网络通信，修改先保存在本机，恢复后自动补发"))
        self.offline.toggled.connect(self._on_offline_toggled)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.setSpacing(10)
        for w in (self.state, self.pending, self.rejected, self.conflicts, self.last_sync,
                  self.progress, self.offline):
            layout.addWidget(w)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

        self._recount_timer = QTimer(self)
        self._recount_timer.setSingleShot(True)
        self._recount_timer.setInterval(250)
        self._recount_timer.timeout.connect(self.refresh_counts)

        if not self.configured:
            self.state.setText(_DOT.format(GREY, self.tr("本地模式")))
            self.state.setToolTip(self.tr("未配置指挥中心，所有数据只保存在本机"))
            for w in (self.pending, self.rejected, self.conflicts, self.last_sync, self.offline):
                w.hide()
            return
        # The runtime owns the sync job and the stream; this widget only shows them and forwards
        # a person's choices.
        ui.feed.sig_sync_status.connect(self._on_status)
        ui.feed.sig_sync_progress.connect(self._on_progress)
        ui.qbus.sig_changed.connect(self._on_local_change)
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)
        self.state.setToolTip(self.url)
        self.refresh_counts()
        if settings.get("offline"):
            # `desk --offline`: not a single request until the dispatcher unticks 离线工作.
            self.offline.blockSignals(True)
            self.offline.setChecked(True)
            self.offline.blockSignals(False)
            self._show_offline()
        else:
            self.state.setText(_DOT.format(AMBER, self.tr("连接中…")))

    @property
    def controller(self) -> SyncJob | None:
        """The runtime's sync job (None without a central)."""
        job = self.ui.runtime.job("sync")
        return job if isinstance(job, SyncJob) else None

    @property
    def configured(self) -> bool:
        return bool(self.url)

    # -- updates -------------------------------------------------------------------------------

    @Slot()
    def refresh_counts(self) -> None:
        if not self.configured or self._closed:
            return
        pending = pending_count(self.workspace)
        rejected = rejected_count(self.workspace)
        conflicts = conflict_count(self.workspace)
        self.pending.setText(self.tr("待同步 %1").replace("%1", str(pending)))
        self.rejected.setText(self.tr("被拒绝 %1").replace("%1", str(rejected)))
        self.rejected.setStyleSheet(f"color: {RED};" if rejected else "")
        self.conflicts.setText(self.tr("冲突 %1").replace("%1", str(conflicts)))
        self.conflicts.setStyleSheet(f"color: {AMBER};" if conflicts else "")
        last = get_state(self.workspace, "last_sync_at")
        when = time.strftime("%H:%M:%S", time.localtime(float(last))) if last else "—"
        self.last_sync.setText(self.tr("上次同步 %1").replace("%1", when))

    @Slot(object)
    def _on_status(self, st: SyncStatus) -> None:
        self.last_status = st
        if self.offline.isChecked() or self._closed:
            return
        if st.auth_error:
            self.state.setText(_DOT.format(RED, self.tr("中心拒绝访问")))
            self.state.setToolTip(st.last_error)
        elif st.decision is not None:
            self.state.setText(_DOT.format(AMBER, self.tr("等待确认")))
            self._ask(st)
        elif st.online:
            text = self.tr("在线")
            if st.count_mismatches:
                text = self.tr("在线（数量不一致）")
                detail = "；".join(f"{e}: 本机 {a} / 中心 {b}"
                                  for e, (a, b) in sorted(st.count_mismatches.items()))
                self.state.setToolTip(self.tr("同步后与中心的记录数不一致：") + detail)
            else:
                self.state.setToolTip(self.url)
            self.state.setText(_DOT.format(AMBER if st.count_mismatches else GREEN, text))
        else:
            self.state.setText(_DOT.format(RED, self.tr("离线")))
            self.state.setToolTip(st.last_error)
        job = self.controller
        if job is not None and "," in self.url:
            # Several nodes: say which one this desk is on.
            self.state.setText(self.state.text() + self.tr("（节点 %1）").replace("%1", job.node))
        went_back = str(getattr(st, "central_went_back", "") or "")
        if went_back:
            # The central was restored from a backup: say it plainly, it is re-sent from here.
            self.state.setText(_DOT.format(AMBER, self.tr("中心数据已回退，正在补发")))
            self.state.setToolTip(went_back)
        skew = getattr(st, "clock_skew_s", None)
        if isinstance(skew, (int, float)) and abs(skew) >= 30:
            self.state.setText(self.state.text() + self.tr("（本机时钟偏差 %1 秒）")
                               .replace("%1", f"{skew:+.0f}"))
        self.refresh_counts()

    @Slot(int, int)
    def _on_progress(self, done: int, total: int) -> None:
        if total <= 0 or done >= total:
            self.progress.hide()
            return
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.progress.show()

    @Slot(object)
    def _on_local_change(self, changes: ChangeSet) -> None:
        self._recount_timer.start()
        if changes.origin != SYNC_ORIGIN and changes.actor not in (SYNC_ACTOR, "telemetry"):
            self.ui.runtime.wake_sync()

    # -- actions -------------------------------------------------------------------------------

    @Slot(bool)
    def _on_offline_toggled(self, offline: bool) -> None:
        """离线工作 stops all network use, sync and the central's live stream alike; unticking it
        restarts both (the runtime does it)."""
        if not self.configured:
            return
        self.ui.runtime.set_offline(offline)
        if offline:
            self._show_offline()
            log.info("sync: offline work switched on")
        else:
            self.state.setText(_DOT.format(AMBER, self.tr("连接中…")))
            self.ui.runtime.wake_sync()

    def _show_offline(self) -> None:
        self.state.setText(_DOT.format(GREY, self.tr("离线工作")))
        self.state.setToolTip(self.tr("已停止网络通信；修改保存在本机，取消勾选后补发"))

    def _ask(self, st: SyncStatus) -> None:
        if self.decision_dialog is not None or st.decision is None:
            return
        dialog = SyncDecisionDialog(st.decision, self)
        self.decision_dialog = dialog

        def finished(_: int) -> None:
            self.decision_dialog = None
            if dialog.choice:
                self.ui.runtime.resolve_sync_decision(dialog.decision, dialog.choice)
                self.state.setText(_DOT.format(AMBER, self.tr("同步中…")))

        dialog.finished.connect(finished)
        dialog.open()

    def open_lists(self) -> SyncListsDialog:
        if self.lists_dialog is None:
            self.lists_dialog = SyncListsDialog(self.workspace, self.ui.app.actor, self)
            self.lists_dialog.sig_resolved.connect(self._after_resolution)
        self.lists_dialog.refresh()
        self.lists_dialog.show()
        self.lists_dialog.raise_()
        return self.lists_dialog

    @Slot()
    def _after_resolution(self) -> None:
        self.refresh_counts()
        self.ui.runtime.wake_sync()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self.configured and event.button() == Qt.MouseButton.LeftButton:
            self.open_lists()
        super().mousePressEvent(event)

    @Slot()
    def shutdown(self) -> None:
        """Stop the sync thread and stop listening (before the workspace closes)."""
        if self._closed:
            return
        self._closed = True
        self._recount_timer.stop()
        if self.configured:
            for signal, slot in ((self.ui.qbus.sig_changed, self._on_local_change),
                                 (self.ui.feed.sig_sync_status, self._on_status),
                                 (self.ui.feed.sig_sync_progress, self._on_progress)):
                with contextlib.suppress(RuntimeError, TypeError):
                    signal.disconnect(slot)
