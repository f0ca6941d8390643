"""设置 changes the basemap live and is remembered; 离线工作 stops all network use, the live stream
from desk-central included."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from desk.central.testing import CentralProcess
from desk.ui.main_window import MainWindow
from desk.ui.settings_dialog import SettingsDialog, load_persisted


def _settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "desk.ini"), QSettings.Format.IniFormat)


def test_settings_switch_basemap_live_and_persist(qtbot, ui_context, tmp_path):  # type: ignore[no-untyped-def]
    window = MainWindow(ui_context, _settings(tmp_path))
    qtbot.addWidget(window)
    window.show()
    map_panel = window.panels["map"]
    qtbot.waitUntil(lambda: map_panel.loaded_info is not None, timeout=60_000)
    assert map_panel.view.basemap.kind == "vector"

    dialog = SettingsDialog(ui_context.app.settings, window)
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(2)  # intranet XYZ
    dialog.url.setText("not a tile url")
    dialog.accept()
    assert dialog.result() != SettingsDialog.DialogCode.Accepted
    assert "底图设置无效" in dialog.error.text()  # refused with the reason, nothing saved

    dialog.url.setText("http://tiles.intranet.local/{z}/{x}/{y}.png")
    dialog.crs.setCurrentIndex(1)  # GCJ-02
    dialog.stale.setValue(300)
    dialog.accept()
    assert dialog.result() == SettingsDialog.DialogCode.Accepted
    window.apply_settings(dialog.changes())
    assert map_panel.view.basemap.kind == "xyz"
    assert map_panel.view.basemap.is_gcj02
    assert map_panel.live.data.stale_after_s == 300

    restored: dict[str, object] = {}
    load_persisted(_settings(tmp_path), restored)
    assert restored["map.basemap"] == {"kind": "xyz", "url": "http://tiles.intranet.local/{z}/{x}/{y}.png",
                                       "crs": "gcj02"}
    assert restored["map.stale_after_s"] == 300


def test_offline_switch_stops_the_central_stream(qtbot, ui_context, tmp_path):  # type: ignore[no-untyped-def]
    """离线工作 stops the runtime's stream and sync; unticking it starts both again (the first
    round resumed sync but never the stream)."""
    from desk.app.jobs import JobState

    with CentralProcess(tmp_path / "central.sqlite") as central:
        token = central.add_user("调度员", "dispatcher", workstation="ws-1")
        ui_context.app.settings.update({"central_url": central.url, "central_token": token})
        runtime = ui_context.runtime
        runtime.apply_settings(["central_url", "central_token"])
        window = MainWindow(ui_context, _settings(tmp_path))
        qtbot.addWidget(window)
        window.show()
        runtime.start()
        try:
            stream = runtime.jobs["stream"]
            qtbot.waitUntil(lambda: getattr(stream.feed, "connected", False), timeout=20_000)
            widget = window.sync_widget
            assert widget.configured
            widget.offline.setChecked(True)
            assert stream.feed is None and runtime.job_state("stream") is JobState.STOPPED
            assert runtime.job_state("sync") is JobState.STOPPED
            assert "离线工作" in widget.state.text()
            widget.offline.setChecked(False)
            qtbot.waitUntil(lambda: getattr(stream.feed, "connected", False), timeout=20_000)
            assert runtime.jobs["sync"].wanted
        finally:
            window.shutdown_panels()
            runtime.stop()
