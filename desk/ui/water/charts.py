"""pyqtgraph charts of water depth: one point with its thresholds, or a group of points.

Curves use pyqtgraph's peak downsampling and clip-to-view, so 24 h of 10-second readings
(8,640 per point) redraw within a frame even for a dozen curves (see bench/bench_water.py).
Time axes show local clock time.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QWidget

from desk.domain.water import DepthThresholds
from desk.domain.waterlevel import WaterState
from desk.ui.water.history import DAY_S, PointHistory

BACKGROUND = "#0d1117"
FOREGROUND = "#c9d1d9"
#: Line colours for a multi-point chart (cycled).
PALETTE = ("#58a6ff", "#3fb950", "#d2a8ff", "#f0883e", "#ff7b72", "#79c0ff", "#e3b341",
           "#a5d6ff", "#56d364", "#ffa657", "#bc8cff", "#ffdcd7")


def configure_curve(curve: pg.PlotDataItem, fast: bool = True) -> None:
    """Downsampling (peak mode keeps spikes visible) and clip-to-view, or neither (baseline)."""
    if fast:
        curve.setDownsampling(auto=True, method="peak")
        curve.setClipToView(True)
    else:
        curve.setDownsampling(ds=1, auto=False)
        curve.setClipToView(False)


class DepthChart(pg.PlotWidget):  # type: ignore[misc]
    """Depth over the last 24 h of one or more points; threshold lines for a single point."""

    def __init__(self, parent: QWidget | None = None, *, fast: bool = True,
                 pen_width: int = 2) -> None:
        super().__init__(parent, background=BACKGROUND,
                         axisItems={"bottom": pg.DateAxisItem(orientation="bottom")})
        self.fast = fast
        # Thick lines cost the raster engine ~10 ms per 8,640-point curve (measured in
        # bench_water.py); group charts use hairlines.
        self.pen_width = pen_width
        self.plotItem.showGrid(x=True, y=True, alpha=0.2)
        self.plotItem.setLabel("left", "水深", units="cm", color=FOREGROUND)
        self.plotItem.getAxis("left").enableAutoSIPrefix(False)
        for ax in ("left", "bottom"):
            self.plotItem.getAxis(ax).setTextPen(FOREGROUND)
        self.legend = self.plotItem.addLegend(offset=(10, 10), labelTextColor=FOREGROUND)
        self.curves: dict[str, pg.PlotDataItem] = {}
        self.threshold_lines: list[pg.InfiniteLine] = []
        self.follow = True  # keep the right edge at "now" while the user has not panned away

    def clear_all(self) -> None:
        for c in self.curves.values():
            self.plotItem.removeItem(c)
        for line in self.threshold_lines:
            self.plotItem.removeItem(line)
        self.curves.clear()
        self.threshold_lines.clear()
        self.legend.clear()

    def set_thresholds(self, t: DepthThresholds) -> None:
        for line in self.threshold_lines:
            self.plotItem.removeItem(line)
        self.threshold_lines = []
        for value, state in ((t.caution_cm, WaterState.CAUTION), (t.warning_cm, WaterState.WARNING),
                             (t.close_cm, WaterState.CLOSED)):
            line = pg.InfiniteLine(
                pos=value, angle=0, movable=False,
                pen=pg.mkPen(state.color, width=1, style=pg.QtCore.Qt.PenStyle.DashLine),
                label=f"{state.label} {value:g}", labelOpts={"color": state.color,
                                                              "position": 0.03},
            )
            self.plotItem.addItem(line)
            self.threshold_lines.append(line)

    def set_series(self, key: str, name: str, history: PointHistory, color: str | None = None
                   ) -> pg.PlotDataItem:
        t, d = history.arrays()
        curve = self.curves.get(key)
        if curve is None:
            color = color or PALETTE[len(self.curves) % len(PALETTE)]
            curve = self.plotItem.plot(name=name, pen=pg.mkPen(color, width=self.pen_width))
            configure_curve(curve, self.fast)
            self.curves[key] = curve
        # Copies: the history's buffers grow in place and pyqtgraph keeps references. Depths are
        # validated on the telemetry path, so pyqtgraph's own finiteness scan can be skipped.
        curve.setData(np.array(t), d.astype(np.float64), skipFiniteCheck=True)
        return curve

    def show_window(self, now: float, span_s: float = DAY_S) -> None:
        if self.follow:
            self.plotItem.setXRange(now - span_s, now, padding=0.01)

    def y_for_view(self, extra: Sequence[float] = ()) -> None:
        self.plotItem.enableAutoRange(axis="y")
