"""Builds the map's base page with folium, once, with every asset pointing at ``desk://local``.

folium's default asset lists point at CDNs (Leaflet, jQuery, Bootstrap, awesome-markers). We
replace them on the map object (``m.default_js`` / ``m.default_css``; ``add_js_link`` would mutate
the class list shared by every map) with Leaflet and MarkerCluster from the XStatic packages,
qwebchannel.js from Qt's resources and our own script; jQuery, Bootstrap and awesome-markers are
dropped because nothing on this page uses them. A MacroElement hands the folium map object to our
script (``this._parent.get_name()``). The page holds no data: the basemap and all layers arrive
afterwards (fetch and QWebChannel), so it is built once per process and never rebuilt.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from desk.ui.map.scheme import ORIGIN

log = logging.getLogger(__name__)

#: Zhengzhou city centre (二七广场 area) and a zoom that shows the urban districts.
DEFAULT_CENTRE = (34.7534, 113.6650)
DEFAULT_ZOOM = 12

PAGE_JS = [
    ("leaflet", f"{ORIGIN}/static/leaflet/leaflet.js"),
    ("markercluster", f"{ORIGIN}/static/markercluster/leaflet.markercluster.js"),
    ("qwebchannel", f"{ORIGIN}/static/qwebchannel.js"),
    ("desk_map", f"{ORIGIN}/static/desk/map.js"),
]
PAGE_CSS = [
    ("leaflet_css", f"{ORIGIN}/static/leaflet/leaflet.css"),
    ("markercluster_css", f"{ORIGIN}/static/markercluster/MarkerCluster.css"),
    ("markercluster_default_css", f"{ORIGIN}/static/markercluster/MarkerCluster.Default.css"),
    ("desk_map_css", f"{ORIGIN}/static/desk/map.css"),
]


def build_page(min_zoom: int = 3, max_zoom: int = 19) -> Any:
    """The folium map of the page (folium, branca and jinja2 are imported only here: importing
    them costs about a second at start-up, so the rendered page is cached on disk)."""
    import folium
    from branca.element import MacroElement
    from jinja2 import Template

    class _DeskInit(MacroElement):
        """Calls ``deskMap.init(<the folium map>)`` once the map object exists."""

        _template = Template(
            """{% macro script(this, kwargs) %}
            deskMap.init({{ this._parent.get_name() }});
            {% endmacro %}"""
        )

    m = folium.Map(
        location=list(DEFAULT_CENTRE), zoom_start=DEFAULT_ZOOM, tiles=None, prefer_canvas=True,
        control_scale=False, min_zoom=min_zoom, max_zoom=max_zoom, zoom_control=True,
    )
    m.default_js = list(PAGE_JS)
    m.default_css = list(PAGE_CSS)
    _DeskInit().add_to(m)  # type: ignore[no-untyped-call]
    return m


def render_page() -> bytes:
    html: str = build_page().get_root().render()
    html = html.replace("<head>", '<head>\n    <meta charset="utf-8"/>\n    <title>desk map</title>', 1)
    return html.encode("utf-8")


def _cache_key() -> str:
    """Changes whenever the page could: desk's version, the page's assets and this module's source
    (a frozen build ships no source: its version stands for it), folium's and branca's versions."""
    import desk

    parts = [desk.__version__.encode(), repr((PAGE_JS, PAGE_CSS, DEFAULT_CENTRE, DEFAULT_ZOOM)).encode()]
    with contextlib.suppress(OSError):
        parts.append(Path(__file__).read_bytes())
    for dist in ("folium", "branca", "jinja2"):
        try:
            parts.append(metadata.version(dist).encode())
        except metadata.PackageNotFoundError:
            parts.append(b"?")
    return hashlib.sha256(b"\0".join(parts)).hexdigest()[:16]


@lru_cache(maxsize=1)
def page_html() -> bytes:
    """The rendered page: data-free, so built once and kept in the cache folder; later starts
    read the file instead of importing folium."""
    from desk.paths import user_data_dir

    path = user_data_dir() / "cache" / f"map-page-{_cache_key()}.html"
    try:
        return path.read_bytes()
    except OSError:
        pass
    html = render_page()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(html)
        tmp.replace(path)
    except OSError as exc:  # a read-only data folder only costs the next start a second
        log.info("map page not cached (%s)", exc)
    return html
