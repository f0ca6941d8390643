"""Basemap sources (底图) for the map, and a read-only MBTiles tile reader, without Qt.

Three kinds, chosen in settings under ``map.basemap``:

* ``vector`` — the bundled offline vector basemap (maps/zhengzhou.geojson: districts, arterial
  roads with names). The default, and the fallback when another source fails.
* ``mbtiles`` — a raster MBTiles file (``path``); rows are stored in TMS order (y counted from the
  south), so the reader flips y for the XYZ requests Leaflet makes.
* ``xyz`` — an intranet tile server URL template with ``{z}/{x}/{y}`` (``url``).

Each source declares its coordinate system: ``wgs84`` (also CGCS2000, PGIS, 天地图) or ``gcj02``
(高德/腾讯 style tiles). Our data is WGS-84; the map converts overlays when the source is GCJ-02.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

KINDS = ("vector", "mbtiles", "xyz")
#: Tiles whose data type is checked when an MBTiles file is opened.
TILE_SAMPLE = 64
CRSES = ("wgs84", "gcj02")


class BasemapError(Exception):
    """A basemap source cannot be used; ``str(exc)`` is a message for the dispatcher (中文)."""


@dataclass(frozen=True, slots=True)
class BasemapSource:
    kind: str = "vector"
    path: str = ""  # MBTiles file
    url: str = ""  # XYZ template
    crs: str = "wgs84"
    min_zoom: int = 3
    max_zoom: int = 18
    attribution: str = ""

    @property
    def is_gcj02(self) -> bool:
        return self.kind != "vector" and self.crs == "gcj02"

    @staticmethod
    def from_settings(settings: dict[str, Any]) -> BasemapSource:
        """Read ``settings["map.basemap"]`` (a dict); unknown values fall back to the vector basemap."""
        raw = settings.get("map.basemap") or {}
        if not isinstance(raw, dict):
            log.warning("map.basemap setting is not a mapping: %r", raw)
            return BasemapSource()
        kind = str(raw.get("kind", "vector"))
        crs = str(raw.get("crs", "wgs84")).lower().replace("-", "")
        if kind not in KINDS:
            log.warning("unknown basemap kind %r, using the vector basemap", kind)
            return BasemapSource()
        if crs not in CRSES:
            crs = "wgs84"
        return BasemapSource(
            kind=kind, path=str(raw.get("path", "")), url=str(raw.get("url", "")), crs=crs,
            min_zoom=int(raw.get("min_zoom", 3)), max_zoom=int(raw.get("max_zoom", 18)),
            attribution=str(raw.get("attribution", "")),
        )

    def check(self) -> None:
        """Raise ``BasemapError`` with a Chinese message when this source cannot work."""
        if self.kind == "mbtiles":
            MBTiles(Path(self.path)).close()
        elif self.kind == "xyz":
            url = self.url
            if not all(k in url for k in ("{z}", "{x}", "{y}")):
                raise BasemapError(f"瓦片地址模板无效（须包含 {{z}}、{{x}}、{{y}}）：{url}")


def sniff_image_mime(data: bytes) -> str:
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "image/png"
    if data[:3] == b"\xff\xd8\xff":
        return "image/jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return "application/octet-stream"


class MBTiles:
    """A read-only MBTiles file. Opening validates it; a bad file raises ``BasemapError``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        if not path.is_file():
            raise BasemapError(f"找不到 MBTiles 底图文件：{path}")
        try:
            self._conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
            names = {r[0] for r in self._conn.execute(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
            if "tiles" not in names:
                raise BasemapError(f"MBTiles 底图文件缺少 tiles 表，无法使用：{path}")
            self.metadata: dict[str, str] = {}
            if "metadata" in names:
                self.metadata = {str(k): str(v) for k, v in self._conn.execute("SELECT name, value FROM metadata")}
            # A sample, not a scan (files run to gigabytes): tiles whose data is NULL or TEXT
            # mean a broken export, and every tile request would come back empty.
            kinds = {str(k) for (k,) in self._conn.execute(
                f"SELECT typeof(tile_data) FROM tiles LIMIT {TILE_SAMPLE}")}
        except sqlite3.DatabaseError as exc:
            log.warning("bad MBTiles %s: %s", path, exc)
            self._conn.close()
            raise BasemapError(f"MBTiles 底图文件已损坏，无法读取：{path}") from exc
        if kinds - {"blob"}:
            log.warning("bad MBTiles %s: tile_data of type %s", path, sorted(kinds - {"blob"}))
            self._conn.close()
            raise BasemapError(
                f"MBTiles 底图文件的瓦片数据无效（tile_data 为空或不是图片数据），无法使用：{path}")
        self._bad_logged = False

    def tile(self, z: int, x: int, y: int) -> bytes | None:
        """The tile at XYZ (z, x, y), or None. MBTiles stores TMS rows: y counts from the south."""
        tms_y = (1 << z) - 1 - y
        try:
            row = self._conn.execute(
                "SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?",
                (z, x, tms_y),
            ).fetchone()
        except sqlite3.DatabaseError as exc:
            log.warning("MBTiles read failed %s z%s/%s/%s: %s", self.path, z, x, y, exc)
            return None
        if row is None:
            return None
        if not isinstance(row[0], bytes):
            # A bad row past the sample checked on open: an empty tile, logged once.
            if not self._bad_logged:
                log.warning("MBTiles %s: tile z%s/%s/%s has %s data", self.path, z, x, y,
                            type(row[0]).__name__)
                self._bad_logged = True
            return None
        return row[0]

    def close(self) -> None:
        self._conn.close()
