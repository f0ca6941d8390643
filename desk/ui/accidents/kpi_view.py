"""The chief's figures for today (快处统计): cases per hour (pyqtgraph), quick-handling rate, median
times to accept and decide, and the daily report exported as PDF off the GUI thread."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk.services.accident_documents import render_daily_report
from desk.services.accidents import AccidentKpis, AccidentService
from desk.ui.plot import pg

log = logging.getLogger(__name__)


class _ExportSignals(QObject):
    done = Signal(str, str)  # path, error ('' on success)


class _ExportJob(QRunnable):
    """Renders and writes the report on a pool thread; the KPIs were read on the GUI thread."""

    def __init__(self, kpis: AccidentKpis, path: Path, drill: bool) -> None:
        super().__init__()
        self.kpis = kpis
        self.path = path
        self.drill = drill
        self.signals = _ExportSignals()

    def run(self) -> None:
        try:
            data = render_daily_report(self.kpis, drill=self.drill)
            self.path.write_bytes(data)
        except Exception as exc:  # reported in the UI, never a crash of the pool thread
            log.exception("daily report export failed")
            self.signals.done.emit(str(self.path), str(exc))
            return
        self.signals.done.emit(str(self.path), "")


def _tile(caption: str) -> tuple[QFrame, QLabel]:
    frame = QFrame()
    frame.setObjectName("countTile")
    v = QVBoxLayout(frame)
    v.setContentsMargins(10, 6, 10, 6)
    value = QLabel("—")
    value.setStyleSheet(
        "font-size: 24px; font-weight: bold; color: #ffffff; background: transparent;")
    cap = QLabel(caption)
    cap.setStyleSheet("color: #9fb3c8; background: transparent;")
    v.addWidget(value)
    v.addWidget(cap)
    return frame, value


class KpiView(QWidget):
    """Refreshes at most every few seconds while cases change."""

    sig_exported = Signal(str, str)
    """The daily report was written (path, error message or '')."""

    def __init__(self, service: AccidentService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.kpis: AccidentKpis | None = None
        grid = QGridLayout()
        self.values: dict[str, QLabel] = {}
        for i, (key, caption) in enumerate((
            ("total", self.tr("今日事故")), ("rate", self.tr("快处率")),
            ("accept", self.tr("受理用时中位数")), ("decide", self.tr("定责用时中位数")),
            ("open", self.tr("当前未结")), ("on_scene", self.tr("转现场处理（简易程序）")),
            ("general", self.tr("转一般程序")),
        )):
            frame, value = _tile(caption)
            self.values[key] = value
            grid.addWidget(frame, i // 2, i % 2)
        self.plot = pg.PlotWidget()
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.setTitle(self.tr("今日各时段报警数"))
        self.plot.getAxis("bottom").setTicks([[(h, f"{h:02d}") for h in range(0, 24, 3)]])
        self.plot.showGrid(y=True, alpha=0.2)
        self.bars = pg.BarGraphItem(x=list(range(24)), height=[0] * 24, width=0.8,
                                    brush="#3aa0ff")
        self.plot.addItem(self.bars)
        self.plot.setMinimumHeight(160)
        self.export_btn = QPushButton(self.tr("导出日报 PDF…"))
        self.export_btn.clicked.connect(self._choose_export)
        self.note = QLabel()
        self.note.setStyleSheet("color: #9fb3c8;")
        row = QHBoxLayout()
        row.addWidget(self.note, 1)
        row.addWidget(self.export_btn)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.plot, 1)
        layout.addLayout(row)
        self._pending = QTimer(self)
        self._pending.setSingleShot(True)
        self._pending.setInterval(2000)
        self._pending.timeout.connect(self.refresh)
        self._jobs: list[_ExportJob] = []
        self.refresh()

    def stop(self) -> None:
        self._pending.stop()

    def refresh_soon(self) -> None:
        if not self._pending.isActive():
            self._pending.start()

    def refresh(self) -> None:
        k = self.service.kpis()
        self.kpis = k
        self.values["total"].setText(str(k.total))
        self.values["rate"].setText("—" if k.quick_rate is None else f"{k.quick_rate * 100:.1f}%")
        self.values["accept"].setText(_minutes(k.median_accept_s))
        self.values["decide"].setText(_minutes(k.median_decide_s))
        self.values["open"].setText(str(k.open_now))
        self.values["on_scene"].setText(str(k.on_scene))
        self.values["general"].setText(str(k.general_procedure))
        self.bars.setOpts(height=list(k.per_hour))
        self.note.setText(self.tr("目标：{0}分钟内受理，{1}分钟内定责").format(
            f"{k.targets.accept_s / 60:g}", f"{k.targets.decide_s / 60:g}"))

    def export_pdf(self, path: Path) -> None:
        """Write today's report to ``path`` on a pool thread; ``sig_exported`` tells the end."""
        self.refresh()
        assert self.kpis is not None
        job = _ExportJob(self.kpis, Path(path), self.service.ctx.drill)
        job.signals.done.connect(self._exported)
        self._jobs.append(job)
        self.export_btn.setEnabled(False)
        QThreadPool.globalInstance().start(job)

    def _exported(self, path: str, error: str) -> None:
        self._jobs = [j for j in self._jobs if str(j.path) != path]
        self.export_btn.setEnabled(True)
        self.sig_exported.emit(path, error)

    def _choose_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("导出日报"), "事故快处日报.pdf",
                                              "PDF (*.pdf)")
        if path:
            self.export_pdf(Path(path))


def _minutes(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    return f"{seconds / 60:.1f} 分" if seconds >= 60 else f"{seconds:.0f} 秒"
