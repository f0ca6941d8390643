"""The trainer's drill controls (演练控制台): clock, pause/resume, speed, next inject, the action
recorder, the lessons editor and report export — all under a red 演练 / DRILL mark.

Mount ``DrillControls(ui, session)`` as a dock or window; ``DrillBanner`` is the red band the main
window shows above everything while ``AppContext.drill`` is true. The controls run the session's
``DrillFeed`` through the app's ``FeedHub`` so injects reach every panel like live data.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk.drill import ACTION_KINDS, INJECT_KINDS, SPEEDS, DrillActionError, format_drill_time
from desk.drill.report import DrillReport, render_pdf, write_html
from desk.drill.session import DrillSession
from desk.feeds.base import FeedBatch
from desk.ui.context import UiContext

log = logging.getLogger(__name__)

DRILL_RED = "#c0392b"
_STYLE = f"""
QWidget#DrillControls {{ background: #1b1f27; color: #e6e6e6; }}
QLabel {{ color: #e6e6e6; }}
QLabel#DrillClock {{ font-family: 'DejaVu Sans Mono', monospace; font-size: 30px;
                     font-weight: bold; color: #ffffff; }}
QLabel#DrillState {{ color: #f5b041; font-weight: bold; }}
QGroupBox {{ color: #9fb3c8; border: 1px solid #34495e; margin-top: 10px; padding-top: 6px; }}
QGroupBox::title {{ subcontrol-origin: margin; left: 8px; }}
QPushButton {{ background: #2c3e50; color: #ecf0f1; border: 1px solid #3d566e;
               padding: 4px 10px; border-radius: 3px; }}
QPushButton:checked {{ background: {DRILL_RED}; border-color: #e74c3c; }}
QPushButton:disabled {{ color: #6c7a89; }}
QListWidget, QPlainTextEdit, QLineEdit, QComboBox {{ background: #11141a; color: #e6e6e6;
               border: 1px solid #34495e; }}
"""


def drill_window_title(title: str) -> str:
    """The main window title during a drill: the mark comes first so it survives truncation."""
    return f"【演练 DRILL】{title}"


class DrillBanner(QLabel):
    """The red 演练 / DRILL band for the top of the main window (and any exported screen)."""

    def __init__(self, title: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("DrillBanner")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setStyleSheet(
            f"QLabel#DrillBanner {{ background: {DRILL_RED}; color: white; font-weight: bold;"
            " font-size: 15px; padding: 4px; letter-spacing: 2px; }")
        self.set_title(title)

    def set_title(self, title: str) -> None:
        mark = self.tr("演练 DRILL · 非实战")
        self.setText(f"{mark}　{title}" if title else mark)


class _ReportSignals(QObject):
    done = Signal(str, str)
    failed = Signal(str)


class _ReportJob(QRunnable):
    """Renders HTML and PDF off the GUI thread; the report data was built on the GUI thread."""

    def __init__(self, report: DrillReport, html_path: Path, pdf_path: Path) -> None:
        super().__init__()
        self.report, self.html_path, self.pdf_path = report, html_path, pdf_path
        self.signals = _ReportSignals()

    def run(self) -> None:
        try:
            write_html(self.report, self.html_path)
            render_pdf(self.report, self.pdf_path)
        except Exception as exc:
            log.exception("drill report export failed")
            self.signals.failed.emit(str(exc))
            return
        self.signals.done.emit(str(self.html_path), str(self.pdf_path))


class DrillControls(QWidget):
    """Start, pause, speed up and end a drill; record trainee actions; write lessons; export."""

    sig_state_changed = Signal(str)
    """The drill's state changed: "ready", "running", "paused" or "finished"."""

    sig_report_exported = Signal(str, str)
    """The after-action report was written: (html path, pdf path)."""

    sig_inject_fired = Signal(str)
    """An inject fired (its id); the list in the controls shows it."""

    def __init__(self, ui: UiContext, session: DrillSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = ui
        self.session = session
        self._pool = QThreadPool.globalInstance()
        self._jobs: list[_ReportJob] = []
        self.replay_window: QWidget | None = None
        self.setObjectName("DrillControls")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(_STYLE)
        self._build()
        if getattr(session, "runtime", None) is not ui.runtime:
            # drill.inject / drill.message reach this session through the window's runtime.
            session.attach_runtime(ui.runtime)
        ui.feed.sig_batch.connect(self._on_batch)
        self._timer = QTimer(self)
        self._timer.setInterval(100)
        self._timer.timeout.connect(self._refresh)
        self._timer.start()
        self._refresh()

    # -- layout --------------------------------------------------------------------------------

    def _build(self) -> None:
        root = QVBoxLayout(self)
        root.setContentsMargins(6, 6, 6, 6)
        self.banner = DrillBanner(self.session.scenario.title, self)
        root.addWidget(self.banner)

        clock_box = QGroupBox(self.tr("演练时钟"), self)
        grid = QGridLayout(clock_box)
        self.clock_label = QLabel("T+00:00", clock_box)
        self.clock_label.setObjectName("DrillClock")
        self.state_label = QLabel(clock_box)
        self.state_label.setObjectName("DrillState")
        self.next_label = QLabel(clock_box)
        self.next_label.setWordWrap(True)
        grid.addWidget(self.clock_label, 0, 0, 2, 1)
        grid.addWidget(self.state_label, 0, 1)
        grid.addWidget(self.next_label, 1, 1)

        buttons = QHBoxLayout()
        self.start_button = QPushButton(self.tr("开始"), clock_box)
        self.pause_button = QPushButton(self.tr("暂停"), clock_box)
        self.next_button = QPushButton(self.tr("下一注入"), clock_box)
        self.finish_button = QPushButton(self.tr("结束演练"), clock_box)
        self.replay_button = QPushButton(self.tr("回放…"), clock_box)
        self.replay_button.setToolTip(self.tr("演练结束后按时间线回放，用于讲评"))
        for b in (self.start_button, self.pause_button, self.next_button, self.finish_button,
                  self.replay_button):
            buttons.addWidget(b)
        grid.addLayout(buttons, 2, 0, 1, 2)
        speeds = QHBoxLayout()
        speeds.addWidget(QLabel(self.tr("速度"), clock_box))
        self.speed_group = QButtonGroup(self)
        self.speed_buttons: dict[float, QPushButton] = {}
        for speed in SPEEDS:
            b = QPushButton(f"×{speed:g}", clock_box)
            b.setCheckable(True)
            b.setChecked(speed == 1.0)
            self.speed_group.addButton(b)
            self.speed_buttons[speed] = b
            b.clicked.connect(lambda _=False, s=speed: self.set_speed(s))
            speeds.addWidget(b)
        speeds.addStretch(1)
        grid.addLayout(speeds, 3, 0, 1, 2)
        root.addWidget(clock_box)

        self.fired_list = QListWidget(self)
        fired_box = QGroupBox(self.tr("已触发的注入"), self)
        QVBoxLayout(fired_box).addWidget(self.fired_list)
        root.addWidget(fired_box, 2)

        action_box = QGroupBox(self.tr("记录学员处置"), self)
        row = QHBoxLayout(action_box)
        self.action_kind = QComboBox(action_box)
        for kind, label in ACTION_KINDS.items():
            self.action_kind.addItem(self.tr(label), kind)
        self.action_target = QLineEdit(action_box)
        self.action_target.setPlaceholderText(self.tr("对象：点位/单元/案件/责任人"))
        self.record_button = QPushButton(self.tr("记录"), action_box)
        row.addWidget(self.action_kind)
        row.addWidget(self.action_target, 1)
        row.addWidget(self.record_button)
        self.action_message = QLabel(self)
        root.addWidget(action_box)
        root.addWidget(self.action_message)

        lessons_box = QGroupBox(self.tr("经验教训"), self)
        lessons_layout = QVBoxLayout(lessons_box)
        self.lessons_edit = QPlainTextEdit(lessons_box)
        self.lessons_edit.setPlaceholderText(self.tr("演练结束后填写：做得好的、需要改进的、预案修订建议"))
        self.lessons_edit.setPlainText(self.session.lessons())
        lessons_buttons = QHBoxLayout()
        self.save_lessons_button = QPushButton(self.tr("保存经验教训"), lessons_box)
        self.export_button = QPushButton(self.tr("导出总结报告…"), lessons_box)
        self.score_label = QLabel(lessons_box)
        lessons_buttons.addWidget(self.save_lessons_button)
        lessons_buttons.addWidget(self.export_button)
        lessons_buttons.addWidget(self.score_label, 1)
        lessons_layout.addWidget(self.lessons_edit)
        lessons_layout.addLayout(lessons_buttons)
        root.addWidget(lessons_box, 1)

        self.start_button.clicked.connect(self.start)
        self.pause_button.clicked.connect(self.toggle_pause)
        self.next_button.clicked.connect(self.next_inject)
        self.finish_button.clicked.connect(self.finish)
        self.replay_button.clicked.connect(self.open_replay)
        self.record_button.clicked.connect(self._record_from_form)
        self.action_target.returnPressed.connect(self._record_from_form)
        self.save_lessons_button.clicked.connect(self.save_lessons)
        self.export_button.clicked.connect(self._export_dialog)

    # -- commands ------------------------------------------------------------------------------

    @property
    def state(self) -> str:
        if self.session.finished:
            return "finished"
        if not self.session.clock.started:
            return "ready"
        return "running" if self.session.clock.running else "paused"

    @Slot()
    def start(self) -> None:
        if self.session.clock.started:
            return
        if self.ui.feed.feed is not self.session.feed:
            self.ui.feed.set_feed(self.session.feed)
        self.session.start(self.session.clock.speed)
        self._state_changed()

    @Slot()
    def toggle_pause(self) -> None:
        clock = self.session.clock
        if clock.running:
            clock.pause()
        elif clock.started and not self.session.finished:
            clock.resume()
        self._state_changed()

    def set_speed(self, speed: float) -> None:
        self.session.clock.set_speed(speed)
        self.speed_buttons[speed].setChecked(True)
        self._refresh()

    @Slot()
    def next_inject(self) -> None:
        if not self.session.clock.started:
            self.start()
        self.session.jump_to_next_inject()
        self._refresh()

    @Slot()
    def finish(self) -> None:
        if self.session.finished:
            return
        result = self.session.finish()
        if self.ui.feed.feed is self.session.feed:
            self.ui.feed.set_feed(None)
        self.score_label.setText(self.tr("得分：{0:.1f}").format(result.score))
        self._state_changed()

    def open_replay(self) -> QWidget | None:
        """Open the debrief replay (演练回放) on this finished drill's session; None before the end.
        The window shares the session (same drill file) and leaves it open when it closes."""
        if not self.session.finished:
            self._message(self.tr("演练结束后才能回放"), error=True)
            return None
        from desk.ui.drill.replay import DrillReplayWindow  # replay imports this module

        window = DrillReplayWindow(self.session)
        window.setWindowFlag(Qt.WindowType.Window, True)
        window.resize(760, 680)
        window.show()
        self.replay_window = window  # keep a reference: a parentless window is not owned
        return window

    def record_action(self, kind: str, target: str) -> bool:
        """Log a trainee action at the current drill time; False (with a message) if refused."""
        if not self.session.clock.started or self.session.finished:
            self._message(self.tr("演练未在进行中，无法记录处置"), error=True)
            return False
        try:
            action = self.session.actions.record(kind, target, actor=self.ui.app.actor)
        except DrillActionError as exc:
            log.warning("drill action refused: %s", exc)
            self._message(str(exc), error=True)
            return False
        self._message(self.tr("已记录：{0} {1}").format(
            format_drill_time(action.at_s), action.label), error=False)
        return True

    @Slot()
    def save_lessons(self) -> None:
        self.session.save_lessons(self.lessons_edit.toPlainText(), author=self.ui.app.actor)
        self._message(self.tr("经验教训已保存"), error=False)

    def export_report(self, html_path: Path | str, pdf_path: Path | str) -> None:
        """Save lessons, build the report, render HTML + PDF on a worker thread; emits
        ``sig_report_exported`` when both files are written."""
        self.save_lessons()
        report = DrillReport.from_session(self.session, self.lessons_edit.toPlainText())
        job = _ReportJob(report, Path(html_path), Path(pdf_path))
        job.setAutoDelete(False)
        job.signals.done.connect(self._export_done)
        job.signals.failed.connect(
            lambda msg: self._message(self.tr("报告导出失败：{0}").format(msg), error=True))
        self._jobs.append(job)
        self.export_button.setEnabled(False)
        self._message(self.tr("正在生成总结报告…"), error=False)
        self._pool.start(job)

    # -- internals -----------------------------------------------------------------------------

    def _export_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("导出演练总结报告"), f"{self.session.run_id}.pdf", "PDF (*.pdf)")
        if path:
            pdf = Path(path).with_suffix(".pdf")
            self.export_report(pdf.with_suffix(".html"), pdf)

    @Slot(str, str)
    def _export_done(self, html_path: str, pdf_path: str) -> None:
        self.export_button.setEnabled(True)
        self._jobs = [j for j in self._jobs if j.html_path != Path(html_path)]
        self._message(self.tr("总结报告已导出：{0}").format(pdf_path), error=False)
        self.sig_report_exported.emit(html_path, pdf_path)

    def _record_from_form(self) -> None:
        target = self.action_target.text().strip()
        if not target:
            self._message(self.tr("请填写处置对象"), error=True)
            return
        if self.record_action(str(self.action_kind.currentData()), target):
            self.action_target.clear()

    def _message(self, text: str, *, error: bool) -> None:
        colour = "#ff6b6b" if error else "#7bd88f"
        self.action_message.setStyleSheet(f"color: {colour};")
        self.action_message.setText(text)
        self.ui.sig_status_message.emit(text, 5000)

    @Slot(object)
    def _on_batch(self, batch: FeedBatch) -> None:
        self.session.on_batch(batch)
        for event in batch.events:
            if event.kind == "drill.inject":
                kind = INJECT_KINDS.get(str(event.data.get("kind")), "")
                due = float(event.data.get("due_s", 0.0))
                self.fired_list.addItem(
                    f"{format_drill_time(due)}  [{kind}]  {event.data.get('label', '')}")
                self.fired_list.scrollToBottom()
                self.sig_inject_fired.emit(str(event.data.get("inject_id")))
        self._refresh()

    def _state_changed(self) -> None:
        self._refresh()
        self.sig_state_changed.emit(self.state)

    @Slot()
    def _refresh(self) -> None:
        clock = self.session.clock
        self.clock_label.setText(format_drill_time(clock.now()))
        state = self.state
        labels = {"ready": self.tr("未开始"), "running": self.tr("进行中"),
                  "paused": self.tr("已暂停"), "finished": self.tr("已结束")}
        self.state_label.setText(f"{labels[state]}　×{clock.speed:g}")
        nxt = self.session.next_inject()
        if nxt is None:
            self.next_label.setText(self.tr("没有待触发的注入"))
        else:
            self.next_label.setText(self.tr("下一注入：{0} {1}").format(
                format_drill_time(nxt.at_s), nxt.label))
        running = state == "running"
        self.start_button.setEnabled(state == "ready")
        self.pause_button.setEnabled(state in ("running", "paused"))
        self.pause_button.setText(self.tr("暂停") if running or state == "ready"
                                  else self.tr("继续"))
        self.next_button.setEnabled(state != "finished" and nxt is not None)
        self.finish_button.setEnabled(state in ("running", "paused"))
        self.replay_button.setEnabled(state == "finished")
        self.record_button.setEnabled(state in ("running", "paused"))
