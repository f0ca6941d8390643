"""The map dock (一屏纵览): the live web map plus a Qt side panel with layers, filters, search,
feature details and the nearest-units list (最近警力)."""

from __future__ import annotations

import contextlib
import html
import json
import logging
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QPoint, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desk.domain.duty.model import WEEK_S, fmt_span
from desk.domain.units import UnitKind, UnitStatus
from desk.domain.water import WaterPointKind
from desk.services.dispatch import NEXT_STATES, DispatchError, DispatchService
from desk.services.duty import DutyService
from desk.services.map_settings import BasemapSource
from desk.services.nearest import RING_MINUTES, NearestResult, NearestUnits
from desk.ui.context import UiContext
from desk.ui.map.data import (
    POST_STAFFING_COLORS,
    UNIT_STATUS_COLORS,
    UNIT_STATUSES,
    WATER_KIND_COLORS,
    WATER_KINDS,
    WATER_LEVEL_COLORS,
    WATER_LEVELS,
)
from desk.ui.map.live import LiveLayers
from desk.ui.map.view import MapView

log = logging.getLogger(__name__)

#: Entity (table) names other panels use in sig_focus_requested → map layer.
ENTITY_LAYER = {"units": "units", "cameras": "cameras", "water_points": "water",
                "duty_posts": "posts", "police_rooms": "rooms", "accident_cases": "cases"}
LAYER_ENTITY = {v: k for k, v in ENTITY_LAYER.items()}
FLY_ZOOM = {"units": 16, "cameras": 17, "water": 16, "posts": 16, "rooms": 16, "cases": 16}


@dataclass(frozen=True, slots=True)
class SearchHit:
    label: str
    layer: str  # a layer name, or "road"/"place"
    key: str  # entity id, or road/place name


class MapPanel(QWidget):
    """``MapPanel(ui)``. Public API for other features:

    * ``set_overlay(layer_id, features)`` — draw your own points (dicts with id, lat, lon and
      optional label, color, radius); clicks come back as ``sig_feature_activated("overlay:<id>", id)``.
    * ``remove_overlay(layer_id)``, ``fly_to(lat, lon, zoom)``, ``show_nearest(lat, lon)``.
    * ``show_officer(officer_id)`` — ring the post(s) of the officer's current (else next)
      assignment and their unit; ``clear_officer()``. Also on ``sig_focus_requested("officers", id)``.
    * Or, without a reference to the panel, the UiContext request signals it listens to:
      ``sig_locate_requested``, ``sig_focus_requested``, ``sig_nearest_units_requested``.
    """

    sig_feature_activated = Signal(str, str)
    """A feature was clicked on the map or chosen in the search: (layer, id)."""

    sig_loaded = Signal(dict)
    """The page has drawn its first full state; carries the marker counts."""

    def __init__(self, ui: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = ui
        self.setObjectName("MapPanel")
        self.view = MapView(self)
        self.loaded_info: dict[str, Any] | None = None
        self.details: dict[str, Any] | None = None
        self.nearest: NearestResult | None = None
        self._following: str | None = None
        self._focus_guard = False
        self._shut = False
        self._overlays: dict[str, list[dict[str, Any]]] = {}
        self._roads: dict[str, tuple[float, float, float, float]] = {}
        self._places: dict[str, tuple[float, float]] = {}
        #: The officer whose assignment is ringed on the map (duty board selection), if any.
        self.officer_shown: str | None = None
        self._build_ui()
        self.view.sig_message.connect(self.show_message)
        # The basemap first: it decides the coordinate system the layers are sent in.
        self.view.set_basemap(BasemapSource.from_settings(ui.app.settings))
        ui.sig_settings_changed.connect(self._on_settings_changed)
        self.live = LiveLayers(ui, self.view, self)
        self.live.sig_staffing_sent.connect(self._update_staffing_counts)
        self.live.sig_duty_changed.connect(self._on_duty_changed)
        self._load_basemap_names()

        b = self.view.bridge
        b.sig_loaded.connect(self._on_loaded)
        b.sig_clicked.connect(self._on_clicked)
        b.sig_context_menu.connect(self._on_context_menu)
        b.sig_follow_stopped.connect(self._on_follow_stopped)
        ui.sig_locate_requested.connect(self.fly_to)
        ui.sig_focus_requested.connect(self._on_focus_requested)
        ui.sig_nearest_units_requested.connect(self.show_nearest)

        self.live.start()
        self._send_filters()
        self.view.load_page()

    # -- layout ------------------------------------------------------------------------------------

    def _build_ui(self) -> None:
        side = QWidget()
        side.setObjectName("MapSide")
        col = QVBoxLayout(side)
        col.setContentsMargins(6, 6, 6, 6)

        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setObjectName("MapBanner")
        self.banner.setStyleSheet("background:#5c2b1a;color:#ffd8c2;padding:6px;border-radius:3px;")
        self.banner.hide()
        col.addWidget(self.banner)

        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("搜索：呼号 / 摄像头编号 / 积水点 / 道路"))
        self.search.setClearButtonEnabled(True)
        self.search.returnPressed.connect(self._on_search_enter)
        self.search.textChanged.connect(self._on_search_text)
        col.addWidget(self.search)
        self.results = QListWidget()
        self.results.setMaximumHeight(140)
        self.results.itemActivated.connect(self._on_result_activated)
        self.results.itemClicked.connect(self._on_result_activated)
        self.results.hide()
        col.addWidget(self.results)

        layers = QGroupBox(self.tr("图层"))
        grid = QGridLayout(layers)
        self.layer_boxes: dict[str, QCheckBox] = {}
        names = [("units", self.tr("警力")), ("cameras", self.tr("视频监控")),
                 ("water", self.tr("积水监测点")), ("cases", self.tr("警情/事故")),
                 ("posts", self.tr("勤务岗位")), ("rooms", self.tr("数字警务室"))]
        for n, (key, text) in enumerate(names):
            box = QCheckBox(text)
            box.setChecked(True)
            box.toggled.connect(lambda on, k=key: self.view.send({"op": "visible", "name": k, "on": on}))
            self.layer_boxes[key] = box
            grid.addWidget(box, n // 2, n % 2)
        self._overlay_row = len(names) // 2 + 1
        self._layers_grid = grid
        col.addWidget(layers)

        filters = QGroupBox(self.tr("警力状态"))
        fgrid = QGridLayout(filters)
        self.status_boxes: list[QCheckBox] = []
        for n, status in enumerate(UNIT_STATUSES):
            box = QCheckBox(status.label)
            box.setChecked(True)
            box.setStyleSheet(f"QCheckBox {{ color: {UNIT_STATUS_COLORS[n]}; }}")
            box.toggled.connect(self._send_filters)
            self.status_boxes.append(box)
            fgrid.addWidget(box, n // 3, n % 3)
        self.camera_filter = QComboBox()
        self.camera_filter.addItem(self.tr("摄像头：全部"), "all")
        self.camera_filter.addItem(self.tr("摄像头：仅在线"), "online")
        self.camera_filter.addItem(self.tr("摄像头：仅离线"), "offline")
        self.camera_filter.currentIndexChanged.connect(self._send_filters)
        fgrid.addWidget(self.camera_filter, 2, 0, 1, 3)
        self.water_boxes: list[QCheckBox] = []
        for n, kind in enumerate(WATER_KINDS):
            box = QCheckBox(kind.label)
            box.setChecked(True)
            # Same colour as the marker's outline on the map, so the checkbox is the legend.
            box.setStyleSheet(f"QCheckBox {{ color: {WATER_KIND_COLORS[n]}; }}")
            box.toggled.connect(self._send_filters)
            self.water_boxes.append(box)
            fgrid.addWidget(box, 3 + n // 3, n % 3)
        legend = " ".join(
            f'<span style="color:{c}">●</span>{html.escape(t)}'
            for c, t in zip(WATER_LEVEL_COLORS, WATER_LEVELS, strict=True))
        legend_label = QLabel(self.tr("水深：") + legend)
        legend_label.setTextFormat(Qt.TextFormat.RichText)
        legend_label.setWordWrap(True)
        fgrid.addWidget(legend_label, 5, 0, 1, 3)
        col.addWidget(filters)

        duty = QGroupBox(self.tr("勤务岗位（当前）"))
        dgrid = QVBoxLayout(duty)
        labels = [self.tr("当前无需"), self.tr("满岗"), self.tr("缺员"), self.tr("空岗")]
        # Non-breaking inside an entry, so the label wraps only between entries.
        self.staffing_legend = QLabel(" ".join(
            f'<span style="color:{c}">◆</span>&nbsp;{html.escape(t)}&nbsp;'
            for c, t in zip(POST_STAFFING_COLORS, labels, strict=True)))
        self.staffing_legend.setTextFormat(Qt.TextFormat.RichText)
        self.staffing_legend.setWordWrap(True)
        dgrid.addWidget(self.staffing_legend)
        self.staffing_counts = QLabel()
        self.staffing_counts.setObjectName("MapStaffingCounts")
        self.staffing_counts.setWordWrap(True)
        dgrid.addWidget(self.staffing_counts)
        self.officer_label = QLabel(self.tr("在勤务一张图中选中民警，地图标出其岗位。"))
        self.officer_label.setObjectName("MapOfficer")
        self.officer_label.setWordWrap(True)
        self.officer_label.setTextFormat(Qt.TextFormat.RichText)
        dgrid.addWidget(self.officer_label)
        self.clear_officer_button = QPushButton(self.tr("清除民警标记"))
        self.clear_officer_button.setEnabled(False)
        self.clear_officer_button.clicked.connect(self.clear_officer)
        dgrid.addWidget(self.clear_officer_button)
        col.addWidget(duty)

        details_box = QGroupBox(self.tr("详情"))
        dcol = QVBoxLayout(details_box)
        self.details_label = QLabel(self.tr("点击地图上的对象查看详情。"))
        self.details_label.setObjectName("MapDetails")
        self.details_label.setWordWrap(True)
        self.details_label.setTextFormat(Qt.TextFormat.RichText)
        self.details_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        dcol.addWidget(self.details_label)
        # Two rows of two: the side column stays narrow enough for the map to keep its width.
        row = QGridLayout()
        self.follow_button = QPushButton(self.tr("跟随"))
        self.follow_button.setEnabled(False)
        self.follow_button.clicked.connect(self._toggle_follow)
        row.addWidget(self.follow_button, 0, 0)
        self.nearest_button = QPushButton(self.tr("最近警力"))
        self.nearest_button.setEnabled(False)
        self.nearest_button.clicked.connect(self._nearest_to_selection)
        row.addWidget(self.nearest_button, 0, 1)
        self.dispatch_button = QPushButton(self.tr("派警…"))
        self.dispatch_button.setEnabled(False)
        self.dispatch_button.clicked.connect(self._dispatch_to_selection)
        row.addWidget(self.dispatch_button, 1, 0)
        self.status_button = QPushButton(self.tr("改状态"))
        self.status_button.setEnabled(False)
        self.status_menu = QMenu(self.status_button)
        self.status_menu.aboutToShow.connect(self._fill_status_menu)
        self.status_button.setMenu(self.status_menu)
        row.addWidget(self.status_button, 1, 1)
        self.video_button = QPushButton(self.tr("视频"))  # the camera, or the cameras nearest to it
        self.video_button.setEnabled(False)
        self.video_button.clicked.connect(self._video_of_selection)
        row.addWidget(self.video_button, 2, 0, 1, 2)
        dcol.addLayout(row)
        col.addWidget(details_box)

        nbox = QGroupBox(self.tr("最近警力（1、3、5 分钟）"))
        ncol = QVBoxLayout(nbox)
        self.nearest_list = QListWidget()
        self.nearest_list.setMinimumHeight(110)
        self.nearest_list.itemActivated.connect(self._on_nearest_activated)
        self.nearest_list.itemClicked.connect(self._on_nearest_activated)
        ncol.addWidget(self.nearest_list)
        clear = QPushButton(self.tr("清除范围圈"))
        clear.clicked.connect(self.clear_nearest)
        ncol.addWidget(clear)
        col.addWidget(nbox)
        col.addStretch(1)

        scroll = QScrollArea()
        scroll.setWidget(side)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setMinimumWidth(250)
        self.view.setMinimumSize(420, 320)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.view)
        split.addWidget(scroll)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 0)
        split.setCollapsible(0, False)
        split.setSizes([900, 300])
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(split)

    def sizeHint(self) -> QSize:
        # The map is the heart of the control room: ask for most of the window.
        return QSize(1200, 760)

    # -- messages, filters ------------------------------------------------------------------------

    def show_message(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.show()
        self.ui.sig_status_message.emit(text, 10000)
        QTimer.singleShot(15000, self.banner.hide)

    def _send_filters(self) -> None:
        st = [i for i, b in enumerate(self.status_boxes) if b.isChecked()]
        kinds = [i for i, b in enumerate(self.water_boxes) if b.isChecked()]
        self.view.send(
            {"op": "filter", "layer": "units", "value": st},
            {"op": "filter", "layer": "water", "value": kinds},
            {"op": "filter", "layer": "cameras", "value": self.camera_filter.currentData()},
        )

    def _on_loaded(self, info: str) -> None:
        self.loaded_info = json.loads(info)
        log.info("map loaded: %s", self.loaded_info)
        self.sig_loaded.emit(self.loaded_info)

    # -- overlays (public API) ---------------------------------------------------------------------

    def set_overlay(self, layer_id: str, features: list[dict[str, Any]]) -> None:
        """Draw (or replace) a named overlay of points; positions are WGS-84."""
        clean: list[dict[str, Any]] = []
        for f in features:
            try:
                lat, lon = self.view.to_map(float(f["lat"]), float(f["lon"]))
            except (KeyError, TypeError, ValueError):
                log.warning("overlay %s: feature without a position skipped: %r", layer_id, f)
                continue
            item = {"id": str(f.get("id", len(clean))), "lat": lat, "lon": lon,
                    "label": str(f.get("label", f.get("id", "")))}
            for key in ("color", "radius"):
                if key in f:
                    item[key] = f[key]
            clean.append(item)
        if layer_id not in self._overlays:
            box = QCheckBox(layer_id)
            box.setChecked(True)
            box.toggled.connect(
                lambda on, k=layer_id: self.view.send({"op": "visible", "name": f"overlay:{k}", "on": on}))
            n = len(self._overlays)
            self._layers_grid.addWidget(box, self._overlay_row + n // 2, n % 2)
            self.layer_boxes[f"overlay:{layer_id}"] = box
        self._overlays[layer_id] = clean
        self.view.send({"op": "overlay", "id": layer_id, "features": clean})

    def remove_overlay(self, layer_id: str) -> None:
        self._overlays.pop(layer_id, None)
        box = self.layer_boxes.pop(f"overlay:{layer_id}", None)
        if box is not None:
            box.deleteLater()
        self.view.send({"op": "removeOverlay", "id": layer_id})

    # -- moving the map ---------------------------------------------------------------------------

    def fly_to(self, lat: float, lon: float, zoom: int = 0) -> None:
        mlat, mlon = self.view.to_map(lat, lon)
        self.view.send({"op": "fly", "lat": mlat, "lon": mlon, "zoom": zoom or None})

    def focus(self, layer: str, entity_id: str, *, announce: bool = False) -> bool:
        """Fly to a feature, select it and show its details. False when it is not on the map."""
        i = self.live.data.index.get(layer)
        pos = None if i is None else i.pos.get(entity_id)
        row = self.live.data.details(layer, entity_id)
        if pos is None or row is None or row.get("lat") is None:
            return False
        lat, lon = self.view.to_map(float(row["lat"]), float(row["lon"]))
        self.view.send({"op": "fly", "lat": lat, "lon": lon, "zoom": FLY_ZOOM.get(layer, 16)},
                       {"op": "select", "layer": layer, "i": pos, "lat": lat, "lon": lon})
        self._show_details(layer, entity_id, row)
        if announce:
            self.sig_feature_activated.emit(layer, entity_id)
        return True

    def _on_focus_requested(self, entity: str, entity_id: str) -> None:
        if self._focus_guard:
            return
        if entity == "officers":
            self.show_officer(entity_id)
            return
        layer = ENTITY_LAYER.get(entity)
        if layer is not None:
            self.focus(layer, entity_id)

    # -- duty (一张图) -----------------------------------------------------------------------------

    def _update_staffing_counts(self) -> None:
        counts = [0] * len(POST_STAFFING_COLORS)
        for code in self.live.data.post_staff:
            counts[code] += 1
        self.staffing_counts.setText(
            self.tr("满岗 {full}　缺员 {short}　空岗 {empty}　无需 {none}").format(
                full=counts[1], short=counts[2], empty=counts[3], none=counts[0]).replace(" ", "\u00a0"))

    def _on_duty_changed(self) -> None:
        if self.officer_shown:
            self.show_officer(self.officer_shown, fly=False)  # the plan changed under the rings

    def show_officer(self, officer_id: str, *, fly: bool = True) -> list[str]:
        """Ring the post(s) of the officer's current assignment, else of their next one within a
        week, plus their unit when it has a position, and fly there. Returns the ringed post ids
        (empty, and nothing drawn, when the officer has no assignment or is unknown)."""
        conn = self.live.data.conn
        row = conn.execute("SELECT name, badge, unit_id FROM officers WHERE id = ?",
                           [officer_id]).fetchone()
        if row is None:
            log.info("map: officer %s not found; nothing to show", officer_id)
            return []
        name = str(row[0] or officer_id)
        now = self.ui.app.clock()
        try:
            upcoming = self.ui.app.service(DutyService).officer_assignments(
                officer_id, int(now), int(now) + WEEK_S)
        except Exception:  # the map must not fail because duty data is odd
            log.exception("map: assignments of officer %s unavailable", officer_id)
            upcoming = []
        current = [a for a in upcoming if a.start <= now]
        chosen = current or upcoming[:1]
        if not chosen:
            self.clear_officer()
            self.officer_label.setText(self.tr("{name}：近 7 天没有排班。").format(name=html.escape(name)))
            return []
        e = html.escape
        when = self.tr("当前") if current else self.tr("下一班")
        posts: list[dict[str, Any]] = []
        lines = [f"<b>{e(name)}</b>" + (f"（{e(str(row[1]))}）" if row[1] else "")]
        for a in chosen:
            prow = conn.execute("SELECT name, lat, lon FROM duty_posts WHERE id = ?",
                                [a.post_id]).fetchone()
            post_name = str(prow[0] or a.post_id) if prow else a.post_id
            lines.append(f"{when}：{e(post_name)}　{e(fmt_span(a.start, a.end))}")
            if prow is None or prow[1] is None or prow[2] is None:
                continue
            lat, lon = self.view.to_map(float(prow[1]), float(prow[2]))
            posts.append({"id": a.post_id, "lat": lat, "lon": lon,
                          "label": e(f"{name} · {when} {post_name}")})
        # The page rings the unit only if its marker exists (a unit without a fix has none).
        unit_i = self.live.data.index["units"].pos.get(str(row[2] or ""), -1)
        if unit_i >= 0:
            lines.append(self.tr("所在警力：") + e(str(self.live.data.last["units"]["cs"][unit_i])))
        self.officer_shown = officer_id
        self.officer_label.setText("<br>".join(lines))
        self.clear_officer_button.setEnabled(True)
        self.view.send({"op": "officer", "posts": posts, "unit": unit_i, "fly": fly})
        return [p["id"] for p in posts]

    def clear_officer(self) -> None:
        """Remove the officer rings from the map."""
        self.officer_shown = None
        self.clear_officer_button.setEnabled(False)
        self.officer_label.setText(self.tr("在勤务一张图中选中民警，地图标出其岗位。"))
        self.view.send({"op": "clearOfficer"})

    # -- clicks and details ----------------------------------------------------------------------------

    def _on_clicked(self, layer: str, entity_id: str) -> None:
        if layer.startswith("overlay:"):
            feats = self._overlays.get(layer[8:], [])
            label = next((f["label"] for f in feats if f["id"] == entity_id), entity_id)
            self._set_details_html(f"<b>{html.escape(layer[8:])}</b><br>{html.escape(label)}")
            self.details = {"layer": layer, "id": entity_id}
        else:
            row = self.live.data.details(layer, entity_id)
            if row is None:
                self._set_details_html(self.tr("该对象已不存在。"))
                return
            self._show_details(layer, entity_id, row)
            entity = LAYER_ENTITY.get(layer)
            if entity:
                # Tell the panel that owns it (accidents, water...); ignore our own echo.
                self._focus_guard = True
                try:
                    self.ui.sig_focus_requested.emit(entity, entity_id)
                finally:
                    self._focus_guard = False
        self.sig_feature_activated.emit(layer, entity_id)

    def _set_details_html(self, text: str) -> None:
        self.details_label.setText(text)

    def _show_details(self, layer: str, entity_id: str, row: dict[str, Any]) -> None:
        self.details = {"layer": layer, "id": entity_id, **row}
        e = html.escape
        lines: list[str] = []
        if layer == "units":
            status = row.get("status") or ""
            try:
                status_label = UnitStatus(status).label
            except ValueError:
                status_label = status
            try:
                kind_label = UnitKind(str(row.get("kind") or "")).label
            except ValueError:
                kind_label = str(row.get("kind") or "")
            stale = self.live.data.unit_stale[self.live.data.index["units"].pos[entity_id]] \
                if entity_id in self.live.data.index["units"].pos else 0
            lines = [f"<b>{e(str(row.get('call_sign') or entity_id))}</b>（{e(kind_label)}）",
                     self.tr("状态：") + e(status_label),
                     self.tr("定位：") + (self.tr("过期") if stale else self.tr("实时")),
                     self.tr("在线：") + (self.tr("是") if row.get("online") else self.tr("否"))]
            if row.get("speed_kmh") is not None:
                lines.append(self.tr("速度：") + f"{float(row['speed_kmh']):.0f} km/h")
        elif layer == "cameras":
            lines = [f"<b>{e(str(row.get('name') or entity_id))}</b>",
                     self.tr("编号：") + e(entity_id),
                     self.tr("道路：") + e(str(row.get("road") or "")),
                     self.tr("状态：") + (self.tr("在线") if row.get("online") else self.tr("离线"))]
        elif layer == "water":
            try:
                kind_label = WaterPointKind(str(row.get("kind") or "")).label
            except ValueError:
                kind_label = str(row.get("kind") or "")
            depth = row.get("latest_depth_cm")
            lines = [f"<b>{e(str(row.get('name') or entity_id))}</b>（{e(kind_label)}）",
                     self.tr("最新水深：") + ("—" if depth is None else f"{float(depth):.1f} cm"),
                     self.tr("阈值：") + f"{row.get('caution_cm')}/{row.get('warning_cm')}/"
                     f"{row.get('close_cm')} cm"]
        elif layer == "cases":
            lines = [f"<b>{e(str(row.get('case_no') or entity_id))}</b>",
                     self.tr("状态：") + e(str(row.get("state") or "")),
                     self.tr("地点：") + e(str(row.get("place") or ""))]
        elif layer == "posts":
            lines = [f"<b>{e(str(row.get('name') or entity_id))}</b>"]
            i = self.live.data.index["posts"].pos.get(entity_id)
            if i is not None and i < len(self.live.data.post_staff):
                labels = (self.tr("当前无需"), self.tr("满岗"), self.tr("缺员"), self.tr("空岗"))
                code = self.live.data.post_staff[i]
                lines.append(self.tr("当前：") + f'<span style="color:{POST_STAFFING_COLORS[code]}">'
                             f"{e(labels[code])}</span>")
        else:
            lines = [f"<b>{e(str(row.get('name') or entity_id))}</b>"]
        self._set_details_html("<br>".join(lines))
        self.follow_button.setEnabled(layer == "units")
        self.follow_button.setText(self.tr("停止跟随") if self._following == entity_id else self.tr("跟随"))
        self.nearest_button.setEnabled(True)
        # Units are sent, not sent to; everything else with a position can be a target.
        self.dispatch_button.setEnabled(layer != "units" and row.get("lat") is not None)
        self.status_button.setEnabled(layer == "units")
        self.video_button.setEnabled(row.get("lat") is not None or layer == "cameras")

    def _video_of_selection(self) -> None:
        if self.details:
            entity = LAYER_ENTITY.get(str(self.details["layer"]), str(self.details["layer"]))
            self.ui.sig_video_requested.emit(entity, str(self.details["id"]))

    def _fill_status_menu(self) -> None:
        """The legal next states of the selected unit (在途, 到场, 返回, 在岗, 离线)."""
        self.status_menu.clear()
        d = self.details
        if not d or d.get("layer") != "units":
            return
        current = UnitStatus(str(d.get("status") or "available"))
        for status in sorted(NEXT_STATES[current], key=list(UnitStatus).index):
            action = self.status_menu.addAction(status.label)
            action.setData(status.value)
            action.triggered.connect(lambda _=False, s=status: self.set_unit_status(s))

    def set_unit_status(self, status: UnitStatus) -> bool:
        """Move the selected unit to ``status`` through the dispatch service; False if refused."""
        d = self.details
        if not d or d.get("layer") != "units":
            return False
        try:
            self.ui.app.service(DispatchService).set_status(str(d["id"]), status)
        except DispatchError as exc:
            log.warning("unit status refused: %s", exc)
            self.show_message(str(exc))
            return False
        row = self.live.data.details("units", str(d["id"]))
        if row is not None:
            self._show_details("units", str(d["id"]), row)
        return True

    def _dispatch_to_selection(self) -> None:
        d = self.details
        if not d or d.get("lat") is None:
            return
        entity = LAYER_ENTITY.get(str(d["layer"]), "map")
        label = str(d.get("name") or d.get("place") or d.get("case_no") or d["id"])
        self.ui.sig_dispatch_requested.emit(entity, str(d["id"]), float(d["lat"]), float(d["lon"]), label)

    def _toggle_follow(self) -> None:
        if not self.details or self.details.get("layer") != "units":
            return
        uid = str(self.details["id"])
        if self._following == uid:
            self.follow(None)
        else:
            self.follow(uid)

    def follow(self, unit_id: str | None) -> None:
        """Keep the map centred on a unit as it moves (None stops; dragging the map stops too)."""
        i = -1 if unit_id is None else self.live.data.index["units"].pos.get(unit_id, -1)
        self._following = unit_id if i >= 0 else None
        self.view.send({"op": "follow", "i": i})
        self.follow_button.setText(self.tr("停止跟随") if self._following else self.tr("跟随"))

    def _on_follow_stopped(self) -> None:
        self._following = None
        self.follow_button.setText(self.tr("跟随"))

    # -- context menu and nearest units ------------------------------------------------------------------

    def _on_context_menu(self, lat: float, lon: float, x: int, y: int) -> None:
        wlat, wlon = self.view.from_map(lat, lon)
        menu = self.context_menu(wlat, wlon)
        menu.popup(self.view.global_point(x, y))

    def context_menu(self, lat: float, lon: float) -> QMenu:
        """The map's context menu at a WGS-84 position (built fresh each time)."""
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        new_case = QAction(self.tr("新建警情/事故"), menu)
        new_case.triggered.connect(lambda: self.ui.sig_new_case_requested.emit(lat, lon))
        nearest = QAction(self.tr("最近警力"), menu)
        nearest.triggered.connect(lambda: self.show_nearest(lat, lon))
        dispatch = QAction(self.tr("派警到此处…"), menu)
        dispatch.triggered.connect(lambda: self.ui.sig_dispatch_requested.emit(
            "map", f"{lat:.5f},{lon:.5f}", lat, lon, self.tr("地图点位") + f" {lat:.4f}, {lon:.4f}"))
        menu.addAction(new_case)
        menu.addAction(nearest)
        menu.addAction(dispatch)
        return menu

    def _nearest_to_selection(self) -> None:
        if self.details and self.details.get("lat") is not None:
            self.show_nearest(float(self.details["lat"]), float(self.details["lon"]))

    def show_nearest(self, lat: float, lon: float) -> NearestResult:
        """List the nearest available units and draw the 1/3/5-minute rings around (lat, lon)."""
        result = self.ui.app.service(NearestUnits).find(lat, lon)
        self.nearest = result
        self.nearest_list.clear()
        for u in result.units:
            mins = u.eta_s / 60.0
            text = self.tr("{cs}　{d:.0f} 米　约 {m:.1f} 分钟").format(cs=u.call_sign, d=u.distance_m, m=mins)
            if u.stale:
                text += self.tr("（定位过期）")
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, u.unit_id)
            self.nearest_list.addItem(item)
        if not result.units:
            self.nearest_list.addItem(self.tr("附近没有在岗警力"))
        mlat, mlon = self.view.to_map(lat, lon)
        self.view.send({
            "op": "rings", "lat": mlat, "lon": mlon, "radii": list(result.rings_m),
            "labels": [self.tr("{n} 分钟").format(n=m) for m in RING_MINUTES],
            "units": [list(self.view.to_map(u.lat, u.lon)) for u in result.units],
        })
        return result

    def clear_nearest(self) -> None:
        self.nearest = None
        self.nearest_list.clear()
        self.view.send({"op": "clearRings"})

    def _on_nearest_activated(self, item: QListWidgetItem) -> None:
        uid = item.data(Qt.ItemDataRole.UserRole)
        if uid:
            self.focus("units", str(uid), announce=True)

    # -- search ---------------------------------------------------------------------------------------

    def _load_basemap_names(self) -> None:
        try:
            from desk.demo.basemap import load_basemap

            bm = load_basemap()
        except Exception as exc:  # the map still works without names to search
            log.warning("basemap names unavailable for search: %s", exc)
            return
        for road in bm.roads:
            lats = [p.lat for p in road.points]
            lons = [p.lon for p in road.points]
            s, w, n, east = min(lats), min(lons), max(lats), max(lons)
            if road.name in self._roads:
                s0, w0, n0, e0 = self._roads[road.name]
                s, w, n, east = min(s, s0), min(w, w0), max(n, n0), max(east, e0)
            self._roads[road.name] = (s, w, n, east)
        for place in bm.places:
            self._places[place.name] = (place.position.lat, place.position.lon)
            for alias in place.aliases:
                self._places.setdefault(alias, (place.position.lat, place.position.lon))

    def search_hits(self, text: str, limit: int = 30) -> list[SearchHit]:
        """Matches for a call sign, camera id or name, water point, road or place name."""
        q = text.strip().lower()
        if not q:
            return []
        exact: list[SearchHit] = []
        partial: list[SearchHit] = []

        def consider(label: str, hit: SearchHit, *keys: str) -> None:
            low = [k.lower() for k in keys if k]
            if any(k == q for k in low):
                exact.append(hit)
            elif any(q in k for k in low):
                partial.append(hit)

        last = self.live.data.last
        units = last.get("units", {})
        for uid, cs in zip(units.get("ids", []), units.get("cs", []), strict=False):
            consider(cs, SearchHit(self.tr("警力 ") + cs, "units", uid), cs, uid)
        water = last.get("water", {})
        for wid, name in zip(water.get("ids", []), water.get("name", []), strict=False):
            consider(name, SearchHit(self.tr("积水点 ") + name, "water", wid), name, wid)
        for name in self._roads:
            consider(name, SearchHit(self.tr("道路 ") + name, "road", name), name)
        for name in self._places:
            consider(name, SearchHit(self.tr("地点 ") + name, "place", name), name)
        for layer, prefix in (("rooms", self.tr("警务室 ")), ("posts", self.tr("岗位 ")),
                              ("cases", self.tr("事故 "))):
            d = last.get(layer, {})
            for fid, name in zip(d.get("ids", []), d.get("name", []), strict=False):
                consider(name, SearchHit(prefix + name, layer, fid), name, fid)
        cams = last.get("cameras", {})
        if len(exact) + len(partial) < limit:
            for cid, name in zip(cams.get("ids", []), cams.get("name", []), strict=False):
                consider(name, SearchHit(self.tr("摄像头 ") + f"{cid} {name}", "cameras", cid), cid, name)
                if len(exact) + len(partial) >= limit * 4:
                    break
        return (exact + partial)[:limit]

    def _on_search_text(self, text: str) -> None:
        hits = self.search_hits(text) if len(text.strip()) >= 2 else []
        self.results.clear()
        for hit in hits:
            item = QListWidgetItem(hit.label)
            item.setData(Qt.ItemDataRole.UserRole, (hit.layer, hit.key))
            self.results.addItem(item)
        self.results.setVisible(bool(hits))

    def _on_search_enter(self) -> None:
        hits = self.search_hits(self.search.text())
        if not hits:
            self.show_message(self.tr("没有找到：") + self.search.text())
            return
        self.go_to(hits[0])

    def _on_result_activated(self, item: QListWidgetItem) -> None:
        layer, key = item.data(Qt.ItemDataRole.UserRole)
        self.go_to(SearchHit(item.text(), layer, key))

    def go_to(self, hit: SearchHit) -> None:
        if hit.layer == "road":
            s, w, n, east = self._roads[hit.key]
            (s, w), (n, east) = self.view.to_map(s, w), self.view.to_map(n, east)
            self.view.send({"op": "fit", "s": s, "w": w, "n": n, "e": east})
            self._set_details_html(self.tr("道路：") + html.escape(hit.key))
        elif hit.layer == "place":
            lat, lon = self._places[hit.key]
            self.fly_to(lat, lon, 16)
            self._set_details_html(self.tr("地点：") + html.escape(hit.key))
        else:
            self.focus(hit.layer, hit.key, announce=True)

    def _on_settings_changed(self, keys: list[str]) -> None:
        settings = self.ui.app.settings
        if "map.basemap" in keys:
            self.view.set_basemap(BasemapSource.from_settings(settings))
            self.live.send_all()  # overlays are converted for the new basemap's CRS
        if "map.stale_after_s" in keys:
            self.live.data.stale_after_s = float(settings.get("map.stale_after_s", 120.0))

    # -- lifecycle ------------------------------------------------------------------------------------

    def closeEvent(self, event: Any) -> None:
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Disconnect from the context and stop timers (the panel may outlive its dock)."""
        if self._shut:
            return
        self._shut = True
        self.live.stop()
        self.view.shutdown()
        for sig, slot in ((self.ui.sig_locate_requested, self.fly_to),
                          (self.ui.sig_focus_requested, self._on_focus_requested),
                          (self.ui.sig_nearest_units_requested, self.show_nearest)):
            with contextlib.suppress(RuntimeError, TypeError):  # already disconnected
                sig.disconnect(slot)

    def global_menu_point(self, x: int, y: int) -> QPoint:
        return self.view.global_point(x, y)
