"""pyqtgraph with desk's dark chart colours. Chart modules import ``pg`` from here, so the
configuration happens when the first chart module loads, not at start-up (importing pyqtgraph
costs one to several seconds, and the map must not wait for it)."""

from __future__ import annotations

import pyqtgraph as pg

pg.setConfigOptions(background="#121b26", foreground="#dce6f0", antialias=True)

__all__ = ["pg"]
