"""设置 (settings): the basemap source and the map's thresholds, kept per workstation in QSettings.

Settings live in ``AppContext.settings`` (a plain dict the Qt-free services read); this dialog
edits them, ``load_persisted``/``persist`` move them to and from QSettings, and
``UiContext.sig_settings_changed`` tells panels which keys changed so they apply them live.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk.services.map_settings import BasemapError, BasemapSource

log = logging.getLogger(__name__)

#: Keys this dialog owns; values are JSON in QSettings under "settings/<key>".
PERSISTED_KEYS = ("map.basemap", "map.stale_after_s", "map.assumed_speed_kmh")


def load_persisted(qsettings: QSettings, into: dict[str, Any]) -> None:
    """Copy saved settings into ``into`` without overriding what the command line already set."""
    for key in PERSISTED_KEYS:
        raw = qsettings.value(f"settings/{key}")
        if raw is None or key in into:
            continue
        try:
            into[key] = json.loads(str(raw))
        except ValueError:
            log.warning("ignoring unreadable saved setting %s=%r", key, raw)


def persist(qsettings: QSettings, settings: dict[str, Any]) -> None:
    for key in PERSISTED_KEYS:
        if key in settings:
            qsettings.setValue(f"settings/{key}", json.dumps(settings[key], ensure_ascii=False))
    qsettings.sync()


class SettingsDialog(QDialog):
    """Edits a copy of the settings; ``changes()`` gives what to apply after ``accept``."""

    KINDS = (("vector", "离线矢量底图（maps/）"), ("mbtiles", "MBTiles 栅格瓦片文件"),
             ("xyz", "内网 XYZ 瓦片服务"))

    def __init__(self, settings: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("设置"))
        self.setMinimumWidth(560)
        self._original = dict(settings)
        source = BasemapSource.from_settings(settings)

        basemap = QGroupBox(self.tr("底图"), self)
        form = QFormLayout(basemap)
        self.kind = QComboBox(basemap)
        for value, label in self.KINDS:
            self.kind.addItem(self.tr(label), value)
        self.kind.setCurrentIndex(max(0, [k for k, _ in self.KINDS].index(source.kind)))
        form.addRow(self.tr("来源"), self.kind)
        path_row = QHBoxLayout()
        self.path = QLineEdit(source.path, basemap)
        self.path.setPlaceholderText(self.tr("选择 .mbtiles 文件"))
        browse = QPushButton(self.tr("浏览…"), basemap)
        browse.clicked.connect(self._browse)
        path_row.addWidget(self.path, 1)
        path_row.addWidget(browse)
        form.addRow(self.tr("MBTiles 文件"), path_row)
        self.url = QLineEdit(source.url, basemap)
        self.url.setPlaceholderText("http://tiles.intranet/{z}/{x}/{y}.png")
        form.addRow(self.tr("瓦片地址"), self.url)
        self.crs = QComboBox(basemap)
        self.crs.addItem(self.tr("WGS-84 / CGCS2000（天地图、PGIS）"), "wgs84")
        self.crs.addItem(self.tr("GCJ-02（高德、腾讯）"), "gcj02")
        self.crs.setCurrentIndex(1 if source.is_gcj02 else 0)
        form.addRow(self.tr("坐标系"), self.crs)

        thresholds = QGroupBox(self.tr("警力"), self)
        tform = QFormLayout(thresholds)
        self.stale = QDoubleSpinBox(thresholds)
        self.stale.setRange(10, 3600)
        self.stale.setSuffix(self.tr(" 秒"))
        self.stale.setValue(float(settings.get("map.stale_after_s", 120.0)))
        tform.addRow(self.tr("定位超过此时间视为陈旧"), self.stale)
        self.speed = QDoubleSpinBox(thresholds)
        self.speed.setRange(5, 120)
        self.speed.setSuffix(" km/h")
        self.speed.setValue(float(settings.get("map.assumed_speed_kmh", 30.0)))
        tform.addRow(self.tr("估算到达时间的平均车速"), self.speed)

        self.error = QLabel(self)
        self.error.setProperty("severity", "red")
        self.error.setWordWrap(True)
        self.error.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(basemap)
        layout.addWidget(thresholds)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.kind.currentIndexChanged.connect(self._update_enabled)
        self._update_enabled()

    def _update_enabled(self) -> None:
        kind = self.kind.currentData()
        self.path.setEnabled(kind == "mbtiles")
        self.url.setEnabled(kind == "xyz")
        self.crs.setEnabled(kind != "vector")

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("选择 MBTiles 文件"), self.path.text(),
                                              self.tr("MBTiles (*.mbtiles);;所有文件 (*)"))
        if path:
            self.path.setText(path)

    def basemap_value(self) -> dict[str, Any]:
        kind = str(self.kind.currentData())
        value: dict[str, Any] = {"kind": kind}
        if kind == "mbtiles":
            value["path"] = self.path.text().strip()
        if kind == "xyz":
            value["url"] = self.url.text().strip()
        if kind != "vector":
            value["crs"] = str(self.crs.currentData())
        return value

    def accept(self) -> None:
        # Refuse a source that cannot work here, with the reason, instead of saving it.
        try:
            BasemapSource.from_settings({"map.basemap": self.basemap_value()}).check()
        except BasemapError as exc:
            log.warning("settings refused: %s", exc)
            self.error.setText(self.tr("底图设置无效：") + str(exc))
            self.error.show()
            return
        super().accept()

    def changes(self) -> dict[str, Any]:
        """The settings that differ from the ones the dialog opened with."""
        new = {"map.basemap": self.basemap_value(), "map.stale_after_s": self.stale.value(),
               "map.assumed_speed_kmh": self.speed.value()}
        old_basemap = BasemapSource.from_settings(self._original)
        out: dict[str, Any] = {}
        if BasemapSource.from_settings(new) != old_basemap:
            out["map.basemap"] = new["map.basemap"]
        for key in ("map.stale_after_s", "map.assumed_speed_kmh"):
            if self._original.get(key) != new[key]:
                out[key] = new[key]
        return out
