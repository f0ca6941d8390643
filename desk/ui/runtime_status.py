"""Status-bar pieces of the runtime: the health of every background job and the operator on duty."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QLabel, QMenu, QWidget

from desk.app.jobs import JobHealth, JobState
from desk.app.operators import Operator
from desk.ui.context import UiContext

_COLOURS = {JobState.RUNNING: "#3ecf6e", JobState.STOPPED: "#8a96a8", JobState.FAILING: "#ff6b6b"}


class JobHealthWidget(QLabel):
    """"后台任务 5/5 正常", red with the failing job's name when one fails. Its tooltip lists each
    job with its state and reason; a click offers to restart a job that is failing."""

    def __init__(self, ui: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = ui
        self.setObjectName("jobsLabel")
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.health: list[JobHealth] = []
        ui.feed.sig_health.connect(self.show_health)
        self.show_health(ui.runtime.health())

    def _state_label(self, state: JobState) -> str:
        return {JobState.RUNNING: self.tr("运行中"), JobState.STOPPED: self.tr("已停止"),
                JobState.FAILING: self.tr("故障")}[state]

    @Slot(list)
    def show_health(self, health: list[JobHealth]) -> None:
        self.health = list(health)
        running = [h for h in health if h.state is JobState.RUNNING]
        failing = [h for h in health if h.state is JobState.FAILING]
        if failing:
            colour = _COLOURS[JobState.FAILING]
            text = self.tr("后台任务故障：%1").replace("%1", "、".join(h.title for h in failing))
        else:
            colour = _COLOURS[JobState.RUNNING] if running else _COLOURS[JobState.STOPPED]
            text = self.tr("后台任务 %1 项运行").replace("%1", str(len(running)))
        self.setText(f"<span style='color:{colour};'>●</span> {text}")
        lines = []
        for h in health:
            reason = f"：{h.reason}" if h.reason else ""
            lines.append(f"{h.title} — {self._state_label(h.state)}{reason}")
        self.setToolTip("\n".join(lines))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            menu = self.job_menu()
            menu.popup(event.globalPosition().toPoint())
        super().mousePressEvent(event)

    def job_menu(self) -> QMenu:
        menu = QMenu(self)
        for h in self.health:
            action = menu.addAction(f"{h.title} — {self._state_label(h.state)}")
            action.setEnabled(h.state is JobState.FAILING)
            action.setToolTip(h.reason)
            action.triggered.connect(lambda *_, name=h.name: self.ui.runtime.restart_job(name))
        return menu


class OperatorLabel(QLabel):
    """"值班员：张伟（010234）" — who every record made at this desk is attributed to."""

    def __init__(self, ui: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("operatorLabel")
        ui.feed.sig_operator_changed.connect(self.show_operator)
        self.show_operator(ui.runtime.operator)

    @Slot(object)
    def show_operator(self, operator: Operator | None) -> None:
        if operator is None:
            self.setText(self.tr("值班员：未登录"))
            self.setStyleSheet("color: #ffc94a;")
        else:
            self.setText(self.tr("值班员：%1（%2）").replace("%1", operator.name)
                         .replace("%2", operator.badge))
            self.setStyleSheet("")
