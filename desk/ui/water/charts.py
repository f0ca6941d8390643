"""pyqtgraph charts of water depth: one point with its thresholds, a group of points, and the
all-points overview (percentile band, maximum and the worst few points).

24 h of 10-second readings is 8,640 per point. Instead of pyqtgraph's per-frame peak
downsampling, a chart draws what ``PointHistory.view`` gives it: the readings inside the view,
min/max-decimated per pixel column with the decimation cached per zoom level and extended per
append (see desk/ui/water/history.py and bench/bench_water.py). Time axes show local clock time.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QWidget

from desk.domain.water import DepthThresholds
from desk.domain.waterlevel import WaterState
from desk.ui.plot import pg
from desk.ui.water.history import DAY_S, DepthEnvelope, PointHistory, WaterHistory

BACKGROUND = "#0d1117"
FOREGROUND = "#c9d1d9"
#: Line colours for a multi-point chart (cycled).
PALETTE = ("#58a6ff", "#3fb950", "#d2a8ff", "#f0883e", "#ff7b72", "#79c0ff", "#e3b341",
           "#a5d6ff", "#56d364", "#ffa657", "#bc8cff", "#ffdcd7")
BAND_COLOR = "#8b949e"
MAX_COLOR = "#f85149"
GRID_COLOR = "#21262d"
#: The named worst points of the overview: no reds, those belong to the all-points maximum.
OVERVIEW_COLORS = ("#58a6ff", "#3fb950", "#d2a8ff", "#f0883e", "#e3b341", "#79c0ff")


def _pen(color: str, width: int) -> pg.QtGui.QPen:
    # Cosmetic (constant on-screen width) pens; 1 px takes the raster engine's fast line path.
    pen = pg.mkPen(color, width=width)
    pen.setCosmetic(True)
    return pen


class DepthChart(pg.PlotWidget):  # type: ignore[misc]
    """Depth over the last 24 h of one or more points; threshold lines for a single point.

    ``fast=False`` draws every reading as a plain curve (the benchmark's baseline).
    """

    def __init__(self, parent: QWidget | None = None, *, fast: bool = True,
                 pen_width: int = 2) -> None:
        super().__init__(parent, background=BACKGROUND,
                         axisItems={"bottom": pg.DateAxisItem(orientation="bottom")})
        self.fast = fast
        self.pen_width = pen_width
        # pyqtgraph's own grid (showGrid) is painted by the axis items across the whole plot and
        # measured ~8 ms of every frame in which the live x range moves (bench_water.py); the
        # same lines as one 1-px curve of segment pairs cost well under a millisecond.
        self.grid = pg.PlotCurveItem(pen=_pen(GRID_COLOR, 1), skipFiniteCheck=True)
        self.grid.setZValue(-100)
        self.plotItem.addItem(self.grid, ignoreBounds=True)
        # pyqtgraph gives the title a fixed 30 px row; its default large font cut the tops of
        # Chinese glyphs off, so titles use a size that fits.
        self.plotItem.titleLabel.opts["size"] = "10pt"
        self.plotItem.setLabel("left", "水深", units="cm", color=FOREGROUND)
        self.plotItem.getAxis("left").enableAutoSIPrefix(False)
        for ax in ("left", "bottom"):
            self.plotItem.getAxis(ax).setTextPen(FOREGROUND)
        # A translucent backing keeps the names readable over a dozen curves.
        self.legend = self.plotItem.addLegend(offset=(10, 10), labelTextColor=FOREGROUND,
                                              brush=pg.mkBrush(13, 17, 23, 200))
        self.curves: dict[str, pg.PlotCurveItem] = {}
        self.histories: dict[str, PointHistory] = {}
        self.threshold_lines: list[pg.InfiniteLine] = []
        self.follow = True  # keep the right edge at "now" while the user has not panned away
        self._in_window = False
        # Pan, zoom and resize re-pick the readings to draw (the decimation level follows the
        # zoom); a paint never re-decimates by itself.
        self.plotItem.vb.sigXRangeChanged.connect(lambda *_: self._view_changed())
        self.plotItem.vb.sigResized.connect(lambda *_: self._view_changed())
        self.plotItem.vb.sigRangeChanged.connect(lambda *_: self._draw_grid())
        self.plotItem.vb.sigResized.connect(lambda *_: self._draw_grid())

    def _draw_grid(self) -> None:
        vb = self.plotItem.vb
        (x0, x1), (y0, y1) = vb.viewRange()
        if vb.width() < 2 or vb.height() < 2 or x1 <= x0 or y1 <= y0:
            return  # not laid out yet; a resize draws it
        xs: list[float] = []
        ys: list[float] = []
        bottom = self.plotItem.getAxis("bottom")
        if not hasattr(bottom, "fontMetrics"):
            # DateAxisItem measures its labels with metrics it takes from its first paint; give
            # it the same font's metrics so the grid can be laid out before that.
            bottom.fontMetrics = QFontMetrics(bottom.style["tickFont"] or QApplication.font())
        for axis, lo, hi, size in (("bottom", x0, x1, vb.width()), ("left", y0, y1, vb.height())):
            for _spacing, values in self.plotItem.getAxis(axis).tickValues(lo, hi, size)[:2]:
                for v in values:
                    if axis == "bottom":
                        xs += [v, v]
                        ys += [y0, y1]
                    else:
                        xs += [x0, x1]
                        ys += [v, v]
        self.grid.setData(np.array(xs, dtype=np.float64), np.array(ys, dtype=np.float64),
                          connect="pairs", skipFiniteCheck=True)

    def clear_all(self) -> None:
        for c in self.curves.values():
            self.plotItem.removeItem(c)
        for line in self.threshold_lines:
            self.plotItem.removeItem(line)
        self.curves.clear()
        self.histories.clear()
        self.threshold_lines.clear()
        self.legend.clear()

    def set_thresholds(self, t: DepthThresholds,
                       names: tuple[str, str, str] | None = None) -> None:
        """Dashed lines at the three thresholds, labelled ``names`` (注意/警告/封闭 for depths;
        汛限水位/警戒水位/保证水位 for rivers and reservoirs)."""
        labels = names or (WaterState.CAUTION.label, WaterState.WARNING.label,
                           WaterState.CLOSED.label)
        for line in self.threshold_lines:
            self.plotItem.removeItem(line)
        self.threshold_lines = []
        for value, state, label in ((t.caution_cm, WaterState.CAUTION, labels[0]),
                                    (t.warning_cm, WaterState.WARNING, labels[1]),
                                    (t.close_cm, WaterState.CLOSED, labels[2])):
            line = pg.InfiniteLine(
                pos=value, angle=0, movable=False,
                pen=pg.mkPen(state.color, width=1, style=pg.QtCore.Qt.PenStyle.DashLine),
                label=f"{label} {value:g}", labelOpts={"color": state.color,
                                                              "position": 0.03},
            )
            self.plotItem.addItem(line)
            self.threshold_lines.append(line)

    def set_series(self, key: str, name: str, history: PointHistory, color: str | None = None
                   ) -> pg.PlotCurveItem:
        """Show (or refresh after an append) ``history`` as the curve ``key``."""
        curve = self.curves.get(key)
        if curve is None:
            color = color or PALETTE[len(self.curves) % len(PALETTE)]
            curve = pg.PlotCurveItem(pen=_pen(color, self.pen_width), antialias=False,
                                     skipFiniteCheck=True)
            self.plotItem.addItem(curve)
            self.legend.addItem(curve, name)
            self.curves[key] = curve
        self.histories[key] = history
        if not self._in_window:
            self._draw(key)
        return curve

    def _view(self) -> tuple[float, float, int]:
        (x0, x1), _y = self.plotItem.vb.viewRange()
        return float(x0), float(x1), max(int(self.plotItem.vb.width()), 100)

    def _draw(self, key: str, view: tuple[float, float, int] | None = None) -> None:
        h = self.histories[key]
        if self.fast:
            x0, x1, px = view or self._view()
            t, d = h.view(x0, x1, px)
        else:
            t, d = h.arrays()
        # Copies: the history's buffers change in place and pyqtgraph keeps references.
        # Depths are validated on the telemetry path, so the finiteness scan is skipped and
        # every vertex is connected.
        self.curves[key].setData(np.array(t), d.astype(np.float64), connect="all",
                                 skipFiniteCheck=True)

    def _view_changed(self) -> None:
        if self._in_window or not self.fast:
            return
        view = self._view()
        for key in self.curves:
            self._draw(key, view)

    #: While following, the view moves in steps of this many pixel columns: moving the x range
    #: re-lays out the time axis (ticks, labels, grid), and a 10 s reading on a 24 h view is a
    #: tenth of a pixel, so moving every frame redrew the axes for nothing.
    FOLLOW_STEP_PX = 8

    def _needs_move(self, now: float, span_s: float) -> bool:
        (x0, x1), _y = self.plotItem.vb.viewRange()
        px = max(float(self.plotItem.vb.width()), 100.0)
        width = span_s * 1.02  # the view as setXRange(padding=0.01) leaves it
        if abs((x1 - x0) - width) > width * 0.005:
            return True  # another span was asked for
        step = width / px * self.FOLLOW_STEP_PX
        return not (x1 - step <= now + span_s * 0.01 <= x1)

    def show_window(self, now: float, span_s: float = DAY_S) -> None:
        """Right edge at ``now`` (while following); curves are redrawn once for the view."""
        if self.follow and self._needs_move(now, span_s):
            px = max(float(self.plotItem.vb.width()), 100.0)
            ahead = span_s * 1.02 / px * self.FOLLOW_STEP_PX / 2
            self._in_window = True
            try:
                # Half a step ahead, so "now" stays inside the view until the next move.
                self.plotItem.setXRange(now - span_s + ahead, now + ahead, padding=0.01)
            finally:
                self._in_window = False
        if self.fast and self.follow:
            view = self._view()
            for key in self.curves:
                self._draw(key, view)

    def y_for_view(self, extra: Sequence[float] = ()) -> None:
        self.plotItem.enableAutoRange(axis="y")


class OverviewChart(DepthChart):
    """All points at once as a dispatcher reads them: the median–90 % band of the points' depths,
    the deepest reading of any point, and the worst few points as named curves.

    Hundreds of overlapping curves are unreadable (and cost ~1 s a frame); the band says how
    widespread the water is, the max line whether anything is extreme, the named curves where.
    """

    def __init__(self, parent: QWidget | None = None, *, bucket_s: float = 120.0) -> None:
        super().__init__(parent, pen_width=2)
        self.bucket_s = bucket_s
        self.envelope: DepthEnvelope | None = None
        self.band_lo = pg.PlotCurveItem(pen=_pen(BAND_COLOR, 1), skipFiniteCheck=True)
        self.band_hi = pg.PlotCurveItem(pen=_pen(BAND_COLOR, 1), skipFiniteCheck=True)
        self.band_max = pg.PlotCurveItem(pen=_pen(MAX_COLOR, 1), skipFiniteCheck=True)
        self.band_fill = pg.FillBetweenItem(self.band_lo, self.band_hi,
                                            brush=pg.mkBrush(139, 148, 158, 70))
        for item in (self.band_fill, self.band_lo, self.band_hi, self.band_max):
            self.plotItem.addItem(item)
        # The legend cannot draw a FillBetweenItem; a never-plotted item with the same fill
        # stands in for it.
        self._band_sample = pg.PlotDataItem(pen=_pen(BAND_COLOR, 1), fillLevel=0.0,
                                            brush=pg.mkBrush(139, 148, 158, 110))
        self.legend.addItem(self._band_sample, "全部点 中位数–90%分位")
        self.legend.addItem(self.band_max, "全部点 最大值")

    def set_overview(self, history: WaterHistory, worst: Sequence[tuple[str, str]]) -> None:
        """``history`` of every point; ``worst``: (id, name) of the points to draw by name."""
        for c in self.curves.values():
            self.plotItem.removeItem(c)
            self.legend.removeItem(c)
        self.curves.clear()
        self.histories.clear()
        if self.envelope is None or self.envelope.history is not history:
            self.envelope = DepthEnvelope(history, self.bucket_s)
        for i, (pid, name) in enumerate(worst):
            self.set_series(pid, name, history.get(pid), OVERVIEW_COLORS[i % len(OVERVIEW_COLORS)])
        self._draw_band()

    def _draw_band(self, view: tuple[float, float, int] | None = None) -> None:
        if self.envelope is None:
            return
        x0, x1, _px = view or self._view()
        t, stats = self.envelope.band(x0, x1)
        # The fill rebuilds its path on every change of either edge: change the lower edge
        # silently so it is rebuilt once, when the upper one is set.
        self.band_lo.blockSignals(True)
        try:
            self.band_lo.setData(t, stats[0].astype(np.float64), connect="all",
                                 skipFiniteCheck=True)
        finally:
            self.band_lo.blockSignals(False)
        for item, row in ((self.band_hi, stats[-2]), (self.band_max, stats[-1])):
            item.setData(t, row.astype(np.float64), connect="all", skipFiniteCheck=True)

    def _view_changed(self) -> None:
        if self._in_window:
            return
        super()._view_changed()
        self._draw_band()

    def show_window(self, now: float, span_s: float = DAY_S) -> None:
        super().show_window(now, span_s)
        self._draw_band()
