"""Depth history per water point in numpy arrays, for charts: amortised appends, 24 h window,
min/max decimation per pixel column cached per zoom level, and the all-points envelope.

Kept free of Qt so the benchmark can measure its memory without a display and tests can check
the decimation without a widget.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import numpy.typing as npt

DAY_S = 86_400.0

#: Bucket widths (s) of the decimation levels; a view uses the narrowest one that is at least
#: one pixel column wide. Buckets are aligned to absolute time (not to the view's left edge), so a
#: sliding live window reuses every complete bucket and the curve does not shimmer.
LEVELS_S = (5.0, 10.0, 20.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1200.0, 1800.0, 3600.0, 7200.0)

F64 = npt.NDArray[np.float64]
F32 = npt.NDArray[np.float32]


def level_for(span_s: float, pixels: int) -> float | None:
    """The bucket width for ``span_s`` seconds drawn on ``pixels`` columns (None: beyond ladder)."""
    want = span_s / max(pixels, 1)
    for w in LEVELS_S:
        if w >= want:
            return w
    return None


def decimate_minmax(t: F64, d: F32, bucket_s: float) -> tuple[F64, F32]:
    """Per time bucket, keep the bucket's lowest and highest reading, in time order.

    The result is a subsequence of the readings (real times, real depths), so a bucket's extremes
    are exact: the peak depth and, at bucket resolution, every threshold crossing survive. Needs
    ``t`` sorted; O(n) numpy passes, no Python loop.
    """
    n = len(t)
    if n == 0:
        return t[:0].copy(), d[:0].copy()
    ids = np.floor(t / bucket_s).astype(np.int64)
    starts = np.concatenate(([0], np.flatnonzero(ids[1:] != ids[:-1]) + 1))
    counts = np.diff(np.append(starts, n))
    idx = np.arange(n)
    mn = np.minimum.reduceat(d, starts)
    mx = np.maximum.reduceat(d, starts)
    pos_min = np.minimum.reduceat(np.where(d == np.repeat(mn, counts), idx, n), starts)
    pos_max = np.minimum.reduceat(np.where(d == np.repeat(mx, counts), idx, n), starts)
    sel = np.stack((np.minimum(pos_min, pos_max), np.maximum(pos_min, pos_max)), axis=1).ravel()
    sel = sel[np.concatenate(([True], sel[1:] != sel[:-1]))]
    return t[sel], d[sel]


class _Level:
    """Cached decimation of one history at one bucket width.

    ``raw_done``: raw index where the last (possibly still filling) bucket starts; ``dec_done``:
    number of decimated vertices before that bucket. An append only redoes that last bucket.
    """

    __slots__ = ("dd", "dec_done", "dt", "n", "raw_done")

    def __init__(self) -> None:
        self.dt: F64 = np.empty(0, dtype=np.float64)
        self.dd: F32 = np.empty(0, dtype=np.float32)
        self.raw_done = 0
        self.dec_done = 0
        self.n = 0


class PointHistory:
    """Times (float64 POSIX s) and depths (float32 cm) of one point, kept in time order."""

    __slots__ = ("_d", "_levels", "_n", "_t", "late")

    def __init__(self, capacity: int = 256) -> None:
        self._t = np.empty(capacity, dtype=np.float64)
        self._d = np.empty(capacity, dtype=np.float32)
        self._n = 0
        self._levels: dict[float, _Level] = {}
        #: How many times a late (out-of-order) reading was merged in; caches compare it.
        self.late = 0

    def __len__(self) -> int:
        return self._n

    @property
    def nbytes(self) -> int:
        return int(self._t.nbytes + self._d.nbytes)

    def extend(self, items: Iterable[tuple[float, float]]) -> None:
        pairs = list(items)
        if not pairs:
            return
        need = self._n + len(pairs)
        if need > len(self._t):
            cap = max(need, len(self._t) * 2)
            self._t = np.resize(self._t, cap)
            self._d = np.resize(self._d, cap)
        if len(pairs) == 1 and (self._n == 0 or pairs[0][0] >= self._t[self._n - 1]):
            # The live case (one new reading, in order) without building temporary arrays.
            self._t[self._n], self._d[self._n] = pairs[0]
            self._n = need
            return
        arr = np.asarray(pairs, dtype=np.float64)
        self._t[self._n:need] = arr[:, 0]
        self._d[self._n:need] = arr[:, 1]
        in_order = self._n == 0 or arr[0, 0] >= self._t[self._n - 1]
        self._n = need
        if not in_order or not np.all(np.diff(arr[:, 0]) >= 0):
            # A late reading: keep the arrays sorted so charts and clip-to-view stay right.
            order = np.argsort(self._t[: self._n], kind="stable")
            self._t[: self._n] = self._t[: self._n][order]
            self._d[: self._n] = self._d[: self._n][order]
            self._levels.clear()  # rare; rebuilt on the next draw
            self.late += 1

    def trim_before(self, t0: float) -> None:
        """Drop readings older than ``t0`` (keeps memory bounded to the chart window)."""
        k = int(np.searchsorted(self._t[: self._n], t0, side="left"))
        if k:
            self._t[: self._n - k] = self._t[k: self._n]
            self._d[: self._n - k] = self._d[k: self._n]
            self._n -= k
            for w, lv in list(self._levels.items()):
                if not self._trim_level(w, lv, k):
                    del self._levels[w]

    def _trim_level(self, w: float, lv: _Level, k: int) -> bool:
        """Shift a cached level after dropping ``k`` old readings; only the (now partial) first
        bucket is recomputed. False when the cache is better rebuilt."""
        lv.raw_done -= k
        lv.n -= k
        if self._n == 0 or lv.n < 0:
            return False
        first_end = (np.floor(self._t[0] / w) + 1) * w
        e = int(np.searchsorted(self._t[: self._n], first_end, side="left"))
        if e >= lv.raw_done:
            return False
        j = int(np.searchsorted(lv.dt, first_end, side="left"))
        ht, hd = decimate_minmax(self._t[:e], self._d[:e], w)
        lv.dt = np.concatenate((ht, lv.dt[j:]))
        lv.dd = np.concatenate((hd, lv.dd[j:]))
        lv.dec_done += len(ht) - j
        return True

    def arrays(self) -> tuple[F64, F32]:
        return self._t[: self._n], self._d[: self._n]

    def last_time(self) -> float:
        """Time of the latest reading (call only when not empty)."""
        return float(self._t[self._n - 1])

    def decimated(self, bucket_s: float) -> tuple[F64, F32]:
        """Min/max decimation of the whole history at ``bucket_s``, updated incrementally."""
        lv = self._levels.get(bucket_s)
        if lv is None:
            lv = self._levels[bucket_s] = _Level()
        if lv.n != self._n:
            t, d = self.arrays()
            tail_t, tail_d = t[lv.raw_done:], d[lv.raw_done:]
            nt, nd = decimate_minmax(tail_t, tail_d, bucket_s)
            lv.dt = np.concatenate((lv.dt[: lv.dec_done], nt))
            lv.dd = np.concatenate((lv.dd[: lv.dec_done], nd))
            # Remember where the last bucket starts: it is the only one a later append can change.
            last_start = np.floor(t[-1] / bucket_s) * bucket_s
            lv.raw_done = int(np.searchsorted(t, last_start, side="left"))
            lv.dec_done = int(np.searchsorted(lv.dt, last_start, side="left"))
            lv.n = self._n
        return lv.dt, lv.dd

    def view(self, t0: float, t1: float, pixels: int) -> tuple[F64, F32]:
        """What a chart draws for [t0, t1] on ``pixels`` columns: clipped to the view (plus one
        reading beyond each edge so the line reaches the border), min/max-decimated when there
        are more readings than two per column. The latest reading is always the last vertex, so
        the live right edge shows the current depth."""
        t, d = self.arrays()
        if self._n == 0:
            return t, d
        i0 = max(int(np.searchsorted(t, t0, side="left")) - 1, 0)
        i1 = min(int(np.searchsorted(t, t1, side="right")) + 1, self._n)
        w = level_for(t1 - t0, pixels)
        if i1 - i0 <= 2 * max(pixels, 1) or w is None:
            return t[i0:i1], d[i0:i1]
        dt, dd = self.decimated(w)
        j0 = max(int(np.searchsorted(dt, t0, side="left")) - 1, 0)
        j1 = min(int(np.searchsorted(dt, t1, side="right")) + 1, len(dt))
        vt, vd = dt[j0:j1], dd[j0:j1]
        if i1 == self._n and (len(vt) == 0 or vt[-1] < t[-1]):
            vt = np.append(vt, t[-1])
            vd = np.append(vd, d[-1])
        return vt, vd


class WaterHistory:
    """Histories of many points, trimmed to ``window_s`` (24 h by default)."""

    def __init__(self, window_s: float = DAY_S) -> None:
        self.window_s = window_s
        self.points: dict[str, PointHistory] = {}

    def add(self, point_id: str, items: Iterable[tuple[float, float]]) -> None:
        self.points.setdefault(point_id, PointHistory()).extend(items)

    def get(self, point_id: str) -> PointHistory:
        return self.points.setdefault(point_id, PointHistory())

    def trim(self, now: float) -> None:
        for h in self.points.values():
            h.trim_before(now - self.window_s)

    @property
    def nbytes(self) -> int:
        return sum(h.nbytes for h in self.points.values())


def worst_points(history: WaterHistory, close_cm: Mapping[str, float], n: int,
                 since: float = -np.inf) -> list[str]:
    """The ``n`` points whose deepest reading since ``since`` is highest relative to their
    closing threshold (a 20 cm tunnel is worse than a 20 cm river bank; default 1 cm, i.e. raw
    depth). The peak of the 3-reading running median: a real rise lasts longer than 20 s, a
    splash or a sensor glitch of one or two readings does not put a dry point on the list."""
    scored = []
    for pid, h in history.points.items():
        t, d = h.arrays()
        k = int(np.searchsorted(t, since, side="left"))
        if k < len(t):
            tail = d[k:]
            if len(tail) >= 3:
                w = np.lib.stride_tricks.sliding_window_view(tail, 3)
                peak = float(np.median(w, axis=1).max())
            else:
                peak = float(tail.min())
            scored.append((peak / max(close_cm.get(pid, 1.0), 1e-6), peak, pid))
    scored.sort(reverse=True)
    return [pid for _r, _d, pid in scored[:n]]


def _column_stats(block: F32, quantiles: Sequence[float]) -> F32:
    """Per column, the quantiles (numpy's "linear" method) of the non-NaN values, then the
    maximum; NaN where a column is empty. Vectorised: ``np.nanquantile`` took ~4 ms for a single
    column of 415 values, more than the rest of a frame."""
    srt = np.sort(block, axis=0)  # NaNs sort last
    cnt = np.count_nonzero(~np.isnan(block), axis=0)
    out = np.full((len(quantiles) + 1, block.shape[1]), np.nan, dtype=np.float32)
    ok = cnt > 0
    if not ok.any():
        return out
    srt, cnt = srt[:, ok], cnt[ok]
    cols = np.arange(srt.shape[1])
    for k, q in enumerate(quantiles):
        pos = q * (cnt - 1)
        lo = np.floor(pos).astype(np.int64)
        hi = np.minimum(lo + 1, cnt - 1)
        frac = (pos - lo).astype(np.float32)
        out[k, ok] = srt[lo, cols] * (1 - frac) + srt[hi, cols] * frac
    out[-1, ok] = srt[cnt - 1, cols]
    return out


class DepthEnvelope:
    """Distribution of many points' depths over time, for the all-points chart.

    Per time bucket of ``bucket_s`` each point contributes its deepest reading (the worst is
    what matters); per bucket the band is then the given quantiles across points plus the
    maximum. Bucket maxima live in a points x buckets matrix; a refresh only re-reads the tail of
    histories that grew and recomputes the quantiles of the columns that changed.
    """

    def __init__(self, history: WaterHistory, bucket_s: float = 120.0,
                 quantiles: Sequence[float] = (0.5, 0.9)) -> None:
        self.history = history
        self.bucket_s = bucket_s
        self.quantiles = tuple(quantiles)
        self.ids: list[str] = []
        self._row: dict[str, int] = {}
        # pid -> (last time, len, late merges) already counted
        self._seen: dict[str, tuple[float, int, int]] = {}
        cap = int(np.ceil(history.window_s / bucket_s)) + 64
        self._b0 = 0  # bucket index of column 0
        self._m = np.full((0, cap), np.nan, dtype=np.float32)
        self._stats = np.full((len(self.quantiles) + 1, cap), np.nan, dtype=np.float32)
        self._dirty = np.zeros(cap, dtype=bool)
        self._started = False

    def _ensure_rows(self) -> None:
        new = [pid for pid in self.history.points if pid not in self._row]
        if new:
            for pid in new:
                self._row[pid] = len(self.ids)
                self.ids.append(pid)
            pad = np.full((len(new), self._m.shape[1]), np.nan, dtype=np.float32)
            self._m = np.vstack((self._m, pad))

    def _shift_to(self, b_last: int) -> None:
        cap = self._m.shape[1]
        if not self._started:
            self._b0 = b_last - cap + 33
            self._started = True
        over = b_last - (self._b0 + cap - 1)
        if over > 0:
            over = min(over + 32, cap)  # shift in steps, not every bucket
            self._m[:, : cap - over] = self._m[:, over:]
            self._m[:, cap - over:] = np.nan
            self._stats[:, : cap - over] = self._stats[:, over:]
            self._stats[:, cap - over:] = np.nan
            self._dirty[: cap - over] = self._dirty[over:]
            self._dirty[cap - over:] = False
            self._b0 += over

    def refresh(self) -> None:
        """Take in readings appended since the last refresh."""
        self._ensure_rows()
        w = self.bucket_s
        grown = []
        for pid, h in self.history.points.items():
            n = len(h)
            if n and self._seen.get(pid) != (h.last_time(), n, h.late):
                grown.append((pid, h, n))
        if not grown:
            return
        self._shift_to(int(max(h.last_time() for _p, h, _n in grown) // w))
        cap = self._m.shape[1]
        # The live case, one new reading per point appended at the end, in one numpy call.
        rows: list[int] = []
        cols_new: list[int] = []
        vals: list[float] = []
        for pid, h, n in grown:
            t, d = h.arrays()
            seen = self._seen.get(pid)
            if (seen is not None and seen[2] == h.late and n == seen[1] + 1 and n >= 2
                    and t[n - 2] == seen[0]):
                col = int(t[n - 1] // w) - self._b0
                if 0 <= col < cap:
                    rows.append(self._row[pid])
                    cols_new.append(col)
                    vals.append(float(d[n - 1]))
                    self._seen[pid] = (float(t[n - 1]), n, h.late)
                    continue
            # A late reading may have landed in any bucket: then the whole row is redone.
            since = seen[0] if seen is not None and seen[2] == h.late else -np.inf
            if not np.isfinite(since):
                self._m[self._row[pid]] = np.nan
                self._dirty[:] = True
            # Redo from the start of the bucket holding the last reading already counted.
            start_t = np.floor(since / w) * w if np.isfinite(since) else -np.inf
            i = int(np.searchsorted(t, start_t, side="left"))
            col = int(t[i] // w) - self._b0
            if col == int(t[-1] // w) - self._b0 and 0 <= col < cap:
                # The live case: everything new falls in one bucket (no temporary arrays).
                self._m[self._row[pid], col] = d[i:].max()
                self._dirty[col] = True
                self._seen[pid] = (float(t[-1]), n, h.late)
                continue
            b = np.floor(t[i:] / w).astype(np.int64) - self._b0
            keep = (b >= 0) & (b < cap)
            b, dv = b[keep], d[i:][keep]
            if len(b):
                row = self._m[self._row[pid]]
                starts = np.concatenate(([0], np.flatnonzero(b[1:] != b[:-1]) + 1))
                row[b[starts]] = np.maximum.reduceat(dv, starts)  # b is sorted: one run each
                self._dirty[b[starts]] = True
            self._seen[pid] = (float(t[-1]), n, h.late)
        if rows:
            np.fmax.at(self._m, (np.array(rows), np.array(cols_new)), np.array(vals))
            self._dirty[cols_new] = True
        cols = np.flatnonzero(self._dirty)
        if len(cols):
            block = self._m[:, cols]
            self._stats[:, cols] = _column_stats(block, self.quantiles)
            self._dirty[cols] = False

    def band(self, t0: float, t1: float) -> tuple[F64, F32]:
        """(bucket centre times, stats rows: one per quantile then the max) for [t0, t1]."""
        self.refresh()
        w = self.bucket_s
        c0 = max(int(np.floor(t0 / w)) - self._b0 - 1, 0)
        c1 = min(int(np.floor(t1 / w)) - self._b0 + 2, self._m.shape[1])
        cols = np.arange(c0, max(c1, c0))
        stats = self._stats[:, cols]
        ok = ~np.isnan(stats[-1])
        times = (cols[ok] + self._b0 + 0.5) * w
        return times.astype(np.float64), stats[:, ok]
