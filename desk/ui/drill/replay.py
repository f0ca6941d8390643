"""The debrief replay window (演练回放): a recorded drill's injects and trainee actions played back
at ×1–×30 with play/pause and a seek slider, the drill clock and the score as of the replay time.

Open it on a recorded drill file (``DrillReplayWindow.open(path)``, ``desk --replay PATH``) or on
the session the drill controls just finished. Replay is read-only: nothing is fired or written.
"""

from __future__ import annotations

import logging
import math
import time
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QBrush, QCloseEvent, QColor, QFont
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from desk.drill.clock import TimeSource, format_drill_time
from desk.drill.replay import REPLAY_SPEEDS, DrillReplay, ReplayScore
from desk.drill.report import TimelineEntry
from desk.drill.runner import Fired
from desk.drill.session import DrillSession
from desk.ui.drill.controls import _STYLE, DRILL_RED

log = logging.getLogger(__name__)

_INJECT_COLOUR = "#f5b041"
_ACTION_COLOUR = "#7bd88f"
_CURRENT_BG = "#2e4a6b"
_SLIDER_STYLE = """
QSlider::groove:horizontal { height: 6px; background: #34495e; border-radius: 3px; }
QSlider::sub-page:horizontal { background: #3498db; border-radius: 3px; }
QSlider::handle:horizontal { background: #ecf0f1; width: 14px; margin: -5px 0; border-radius: 7px; }
"""


def replay_window_title(title: str) -> str:
    """Window title of a replay: the mark first so it survives truncation."""
    return f"【演练回放 DRILL REPLAY】{title}"


class DrillReplayWindow(QWidget):
    """Plays a recorded drill's timeline for the debrief; see the module docstring."""

    sig_entry_shown = Signal(object)
    """A timeline entry (``TimelineEntry``) was reached while playing."""

    sig_state_changed = Signal(str)
    """"ready", "playing", "paused" or "ended"."""

    def __init__(
        self,
        session: DrillSession,
        *,
        owns_session: bool = False,
        time_source: TimeSource = time.monotonic,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self._owns_session = owns_session
        self.replay = DrillReplay.from_session(session, time_source=time_source)
        self.shown: list[TimelineEntry] = []
        self._updating_slider = False
        self.setObjectName("DrillControls")  # same dark drill styling as the controls
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self.setStyleSheet(_STYLE + _SLIDER_STYLE)
        self.setWindowTitle(replay_window_title(session.scenario.title))
        self._build()
        self._timer = QTimer(self)
        self._timer.setInterval(50)
        self._timer.timeout.connect(self.tick)
        self._timer.start()
        self._refresh()

    @classmethod
    def open(cls, path: Path | str, *, time_source: TimeSource = time.monotonic,
             parent: QWidget | None = None) -> DrillReplayWindow:
        """Open a recorded drill file; the window closes the session when it closes. Raises
        ``WorkspaceError`` / ``ValueError`` / ``ScenarioError`` for a file that is not a drill."""
        if not Path(path).is_file():
            # Workspace.open would create an empty file at a mistyped path.
            raise ValueError(f"演练记录文件不存在：{path}")
        session = DrillSession.open(path, time_source=time_source)
        try:
            return cls(session, owns_session=True, time_source=time_source, parent=parent)
        except Exception:
            session.close()
            raise

    # -- layout --------------------------------------------------------------------------------

    def _build(self) -> None:
        root = QVBoxLayout(self)
        root.setContentsMargins(6, 6, 6, 6)
        self.banner = QLabel(self)
        self.banner.setObjectName("DrillReplayBanner")
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.banner.setStyleSheet(
            f"QLabel#DrillReplayBanner {{ background: {DRILL_RED}; color: white; font-weight: bold;"
            " font-size: 15px; padding: 4px; letter-spacing: 2px; }")
        self.banner.setText(self.tr("演练回放 DRILL REPLAY · 非实战") + "　"
                            + self.session.scenario.title)
        root.addWidget(self.banner)

        clock_box = QGroupBox(self.tr("回放时钟"), self)
        grid = QGridLayout(clock_box)
        self.clock_label = QLabel("T+00:00", clock_box)
        self.clock_label.setObjectName("DrillClock")
        self.state_label = QLabel(clock_box)
        self.state_label.setObjectName("DrillState")
        self.end_label = QLabel(clock_box)
        grid.addWidget(self.clock_label, 0, 0, 2, 1)
        grid.addWidget(self.state_label, 0, 1)
        grid.addWidget(self.end_label, 1, 1)

        self.slider = QSlider(Qt.Orientation.Horizontal, clock_box)
        self.slider.setRange(0, max(1, math.ceil(self.replay.end_s)))
        self.slider.setToolTip(self.tr("拖动以跳转到演练的任一时刻"))
        self.slider.valueChanged.connect(self._on_slider)
        grid.addWidget(self.slider, 2, 0, 1, 2)

        buttons = QHBoxLayout()
        self.play_button = QPushButton(self.tr("播放"), clock_box)
        self.play_button.clicked.connect(self.toggle_play)
        buttons.addWidget(self.play_button)
        buttons.addWidget(QLabel(self.tr("速度"), clock_box))
        self.speed_group = QButtonGroup(self)
        self.speed_buttons: dict[float, QPushButton] = {}
        for speed in REPLAY_SPEEDS:
            b = QPushButton(f"×{speed:g}", clock_box)
            b.setCheckable(True)
            b.setChecked(speed == self.replay.clock.speed)
            self.speed_group.addButton(b)
            self.speed_buttons[speed] = b
            b.clicked.connect(lambda _=False, s=speed: self.set_speed(s))
            buttons.addWidget(b)
        buttons.addStretch(1)
        grid.addLayout(buttons, 3, 0, 1, 2)
        root.addWidget(clock_box)

        timeline_box = QGroupBox(self.tr("时间线（注入与学员处置）"), self)
        self.timeline_list = QListWidget(timeline_box)
        self.timeline_list.setSelectionMode(QListWidget.SelectionMode.SingleSelection)
        # Long inject texts are elided with the full text in the tooltip, not scrolled sideways.
        self.timeline_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.timeline_list.setTextElideMode(Qt.TextElideMode.ElideRight)
        QVBoxLayout(timeline_box).addWidget(self.timeline_list)
        root.addWidget(timeline_box, 1)

        score_box = QGroupBox(self.tr("截至当前的评分"), self)
        score_row = QHBoxLayout(score_box)
        self.score_label = QLabel(score_box)
        self.score_label.setObjectName("DrillClock")
        self.score_label.setStyleSheet("font-size: 22px;")
        # Room for the widest score, so the figure is never squeezed by the counts beside it.
        self.score_label.setMinimumWidth(
            self.score_label.fontMetrics().horizontalAdvance(self.tr("得分 {0:.1f}").format(100.0)) * 2)
        self.counts_label = QLabel(score_box)
        score_row.addWidget(self.score_label)
        score_row.addWidget(self.counts_label, 1)
        root.addWidget(score_box)

    # -- commands ------------------------------------------------------------------------------

    @property
    def state(self) -> str:
        clock = self.replay.clock
        if not clock.started:
            return "ready"
        if clock.running:
            return "playing"
        return "ended" if self.replay.at_end else "paused"

    @Slot()
    def toggle_play(self) -> None:
        if self.replay.clock.running:
            self.replay.pause()
        elif self.replay.clock.started and self.replay.at_end:
            self._reset_list(self.replay.play())  # from the end: start over
        else:
            self.replay.play()
        self._state_changed()

    def set_speed(self, speed: float) -> None:
        self.replay.set_speed(speed)
        self.speed_buttons[speed].setChecked(True)
        self._refresh()

    def seek(self, drill_s: float) -> None:
        """Jump to ``drill_s`` (backwards too): the timeline shows what had happened by then."""
        self._reset_list(self.replay.seek(drill_s))
        self._refresh()

    @Slot()
    def tick(self) -> None:
        """One replay step: show newly reached entries, move the clock, slider and score."""
        was_running = self.replay.clock.running
        fired = self.replay.poll()
        for f in fired:
            self._append(f.item)
            self.sig_entry_shown.emit(f.item)
        if fired:
            self._highlight_current()
        self._refresh()
        if was_running and not self.replay.clock.running:
            self._state_changed()

    def score(self) -> ReplayScore:
        return self.replay.score_at()

    # -- internals -----------------------------------------------------------------------------

    def _reset_list(self, fired: list[Fired[TimelineEntry]]) -> None:
        self.timeline_list.clear()
        self.shown = []
        for f in fired:
            self._append(f.item)
        self._highlight_current()

    def _append(self, entry: TimelineEntry) -> None:
        self.shown.append(entry)
        kind = self.tr("注入") if entry.kind == "inject" else self.tr("处置")
        text = f"{format_drill_time(entry.at_s)}  [{kind}]  {entry.title}"
        if entry.detail:
            text += f"  （{entry.detail}）"
        item = QListWidgetItem(text)
        item.setToolTip(text)
        item.setForeground(QBrush(QColor(_INJECT_COLOUR if entry.kind == "inject"
                                         else _ACTION_COLOUR)))
        item.setData(Qt.ItemDataRole.UserRole, entry.at_s)
        self.timeline_list.addItem(item)

    def _highlight_current(self) -> None:
        """The latest entry reached is the current one: bold on a blue band, scrolled to."""
        count = self.timeline_list.count()
        for row in range(count):
            item = self.timeline_list.item(row)
            current = row == count - 1
            font = QFont(item.font())
            font.setBold(current)
            item.setFont(font)
            item.setBackground(QBrush(QColor(_CURRENT_BG)) if current else QBrush())
        if count:
            self.timeline_list.setCurrentRow(count - 1)
            self.timeline_list.scrollToBottom()

    def _on_slider(self, value: int) -> None:
        if self._updating_slider:
            return
        self.seek(float(value))

    def _state_changed(self) -> None:
        self._refresh()
        self.sig_state_changed.emit(self.state)

    def _refresh(self) -> None:
        now = self.replay.now()
        self.clock_label.setText(format_drill_time(now))
        labels = {"ready": self.tr("未开始"), "playing": self.tr("回放中"),
                  "paused": self.tr("已暂停"), "ended": self.tr("回放结束")}
        state = self.state
        self.state_label.setText(f"{labels[state]}　×{self.replay.clock.speed:g}")
        self.end_label.setText(self.tr("全长 {0} · 共 {1} 条记录").format(
            format_drill_time(self.replay.end_s), len(self.replay.timeline)))
        self.play_button.setText(self.tr("暂停") if state == "playing" else self.tr("播放"))
        self._updating_slider = True
        try:
            self.slider.setValue(int(now))
        finally:
            self._updating_slider = False
        # Before the first play nothing has happened yet, not even the T+0 injects.
        s = self.replay.score_at(now if state != "ready" else -1.0)
        self.score_label.setText(self.tr("得分 {0:.1f}").format(s.score) if s.total_weight > 0
                                 else self.tr("得分 —"))
        self.counts_label.setText(
            self.tr("按时完成 {0} · 超时完成 {1} · 未完成 {2} · 待完成 {3}（得 {4:g} / {5:g} 分）")
            .format(s.met, s.late, s.missed, s.pending, s.points, s.total_weight))

    def closeEvent(self, event: QCloseEvent) -> None:
        self._timer.stop()
        if self._owns_session:
            self.session.close()
            self._owns_session = False
        super().closeEvent(event)
