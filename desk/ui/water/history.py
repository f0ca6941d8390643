"""Depth history per water point in numpy arrays, for charts: amortised appends, 24 h window.

Kept free of Qt so the benchmark can measure its memory without a display.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

DAY_S = 86_400.0


class PointHistory:
    """Times (float64 POSIX s) and depths (float32 cm) of one point, kept in time order."""

    __slots__ = ("_d", "_n", "_t")

    def __init__(self, capacity: int = 256) -> None:
        self._t = np.empty(capacity, dtype=np.float64)
        self._d = np.empty(capacity, dtype=np.float32)
        self._n = 0

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

    def trim_before(self, t0: float) -> None:
        """Drop readings older than ``t0`` (keeps memory bounded to the chart window)."""
        k = int(np.searchsorted(self._t[: self._n], t0, side="left"))
        if k:
            self._t[: self._n - k] = self._t[k: self._n]
            self._d[: self._n - k] = self._d[k: self._n]
            self._n -= k

    def arrays(self) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float32]]:
        return self._t[: self._n], self._d[: self._n]


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
