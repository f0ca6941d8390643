"""态势 dashboards: pyqtgraph charts of units online over the day, alerts per hour by kind, and
water points in each state over time. Numbers are computed on a worker thread."""

from __future__ import annotations

import logging

import numpy as np
from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from desk.domain.alerts import kind_label
from desk.domain.waterlevel import WaterState
from desk.store.events import ChangeSet
from desk.store.workspace import Workspace
from desk.ui.context import UiContext
from desk.ui.dashboards.data import SituationSeries, situation_series
from desk.ui.plot import pg
from desk.ui.water.charts import BACKGROUND, FOREGROUND, PALETTE

log = logging.getLogger(__name__)


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(str)


class _Compute(QRunnable):
    """Opens its own Workspace on the path (a Workspace belongs to the thread that opened it)."""

    def __init__(self, path: object, now: float) -> None:
        super().__init__()
        self.path = path
        self.now = now
        self.signals = _Signals()

    def run(self) -> None:
        try:
            with Workspace.open(self.path) as ws:  # type: ignore[arg-type]
                result = situation_series(ws, self.now)
        except Exception as exc:
            log.exception("dashboard computation failed")
            self._emit(self.signals.failed, str(exc))
            return
        self._emit(self.signals.done, result)

    @staticmethod
    def _emit(signal: object, value: object) -> None:
        # The panel (and the signals object it owns) may be gone by the time a slow query ends,
        # e.g. when the window closes mid-computation; that result is simply no longer wanted.
        try:
            signal.emit(value)  # type: ignore[attr-defined]
        except RuntimeError:
            log.debug("dashboard result dropped: panel already closed")


def _plot(title: str) -> pg.PlotWidget:
    w = pg.PlotWidget(background=BACKGROUND,
                      axisItems={"bottom": pg.DateAxisItem(orientation="bottom")})
    w.plotItem.setTitle(title, color=FOREGROUND, size="11pt")
    w.plotItem.showGrid(x=True, y=True, alpha=0.2)
    for ax in ("left", "bottom"):
        w.plotItem.getAxis(ax).setTextPen(FOREGROUND)
    w.plotItem.setMouseEnabled(x=True, y=False)
    return w


class SituationDashboard(QWidget):
    """``Panel(ui, parent)`` for the "dashboards" dock."""

    sig_refreshed = Signal()
    """New numbers were drawn."""

    def __init__(self, ui: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = ui
        self.series: SituationSeries | None = None
        self._busy = False
        self._jobs: list[_Compute] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.status = QLabel(self.tr("正在统计…"), self)
        layout.addWidget(self.status)
        grid = QGridLayout()
        self.units_plot = _plot(self.tr("在线警力（24 小时）"))
        self.alerts_plot = _plot(self.tr("每小时告警（按类型）"))
        self.water_plot = _plot(self.tr("积水点状态（24 小时）"))
        self.alerts_legend = self.alerts_plot.plotItem.addLegend(offset=(5, 5),
                                                                  labelTextColor=FOREGROUND)
        self.water_legend = self.water_plot.plotItem.addLegend(offset=(5, 5),
                                                                labelTextColor=FOREGROUND)
        grid.addWidget(self.units_plot, 0, 0)
        grid.addWidget(self.alerts_plot, 0, 1)
        grid.addWidget(self.water_plot, 1, 0, 1, 2)
        layout.addLayout(grid, 1)
        self.timer = QTimer(self)
        self.timer.setInterval(60_000)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(5_000)
        self._debounce.timeout.connect(self.refresh)
        ui.qbus.sig_changed.connect(self._on_changes)
        self.refresh()

    def _on_changes(self, changes: ChangeSet) -> None:
        if changes.touches("alerts", "unit_status_log") and not self._debounce.isActive():
            self._debounce.start()

    def refresh(self) -> None:
        """Recompute on a worker thread; the charts update when it finishes."""
        if self._busy:
            return
        self._busy = True
        job = _Compute(self.ui.workspace.path, self.ui.app.clock())
        job.signals.done.connect(self._on_done)
        job.signals.failed.connect(self._on_failed)
        self._jobs.append(job)  # keep the signals object alive until it reports
        QThreadPool.globalInstance().start(job)

    def refresh_sync(self) -> None:
        """Compute on this thread (tests, screenshots)."""
        self.show_series(situation_series(self.ui.workspace, self.ui.app.clock()))

    def _on_done(self, series: SituationSeries) -> None:
        self._busy = False
        self._jobs = self._jobs[-2:]
        self.show_series(series)

    def _on_failed(self, message: str) -> None:
        self._busy = False
        self.status.setText(self.tr("统计失败：") + message)

    def show_series(self, s: SituationSeries) -> None:
        self.series = s
        t = np.asarray(s.times, dtype=float)
        self.units_plot.plotItem.clear()
        self.units_plot.plotItem.plot(t, np.asarray(s.units_online, dtype=float),
                                      pen=pg.mkPen("#58a6ff", width=2),
                                      fillLevel=0, brush=(88, 166, 255, 50))
        self.alerts_plot.plotItem.clear()
        self.alerts_legend.clear()
        base: dict[float, int] = {}
        for i, (kind, points) in enumerate(sorted(s.alerts_per_hour.items())):
            xs = np.asarray([h + 1800 for h, _ in points], dtype=float)
            hs = np.asarray([n for _, n in points], dtype=float)
            y0 = np.asarray([base.get(h, 0) for h, _ in points], dtype=float)
            color = PALETTE[i % len(PALETTE)]
            bar = pg.BarGraphItem(x=xs, height=hs, y0=y0, width=3000, brush=color, pen=None,
                                  name=kind_label(kind))
            self.alerts_plot.plotItem.addItem(bar)  # named items join the legend by themselves
            for h, n in points:
                base[h] = base.get(h, 0) + n
        if len(t):
            self.alerts_plot.plotItem.setXRange(t[0], t[-1] + s.bucket_s, padding=0)
        self.water_plot.plotItem.clear()
        self.water_legend.clear()
        # Stacked areas, normal at the bottom and closed on top: each band is drawn as its
        # cumulative curve filled down to zero, the tallest first so the lower bands cover it.
        cumulative = []
        lower = np.zeros(len(t))
        for state in WaterState:
            vals = np.asarray(s.water_states.get(state, []), dtype=float)
            if len(vals) != len(t):
                continue
            lower = lower + vals
            cumulative.append((state, lower.copy()))
        for state, upper in reversed(cumulative):
            c = pg.mkColor(state.color)
            self.water_plot.plotItem.plot(
                t, upper, pen=pg.mkPen(c, width=1), fillLevel=0,
                # Opaque: translucent bands would blend into the band beneath them.
                brush=pg.mkBrush(c.darker(140)), name=state.label)
        if len(t):
            self.water_plot.plotItem.setXRange(t[0], t[-1], padding=0.01)
            self.units_plot.plotItem.setXRange(t[0], t[-1], padding=0.01)
        closed = s.water_states.get(WaterState.CLOSED, [0])[-1] if s.water_states else 0
        total_alerts = sum(n for pts in s.alerts_per_hour.values() for _, n in pts)
        online = s.units_online[-1] if s.units_online else 0
        self.status.setText(self.tr("在线警力 {0}/{1}　24 小时告警 {2} 条　当前封闭积水点 {3} 个")
                            .format(online, s.units_total, total_alerts, closed))
        self.sig_refreshed.emit()
