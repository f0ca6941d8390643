"""Widgets driven with real services: a reading over threshold changes the banner, the inbox row
and the panel colour; acknowledging stops the sound; checklists, thresholds, cameras; screenshots."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from desk.domain.rainstorm import SignalLevel
from desk.domain.telemetry import SensorReading
from desk.domain.waterlevel import WaterState
from desk.services.alerts import AlertService
from desk.services.rainstorm import RainstormService
from desk.store.telemetry import record_telemetry
from desk.ui.alerts.model import SEVERITY_COLORS
from desk.ui.alerts.panel import AlertInboxPanel
from desk.ui.water.banner import RainWarningBanner
from desk.ui.water.camera import CameraPlayer, NearbyCamera, playability
from desk.ui.water.model import STATE_COLUMN
from desk.ui.water.panel import WaterPanel


def _feed(ui, *readings: SensorReading) -> None:  # type: ignore[no-untyped-def]
    res = record_telemetry(ui.workspace, readings=readings)
    assert not res.rejected


def _state_color(panel: WaterPanel, pid: str) -> str:
    row = panel.model.row_of(pid)
    brush = panel.model.data(panel.model.index(row, STATE_COLUMN), Qt.ItemDataRole.BackgroundRole)
    return "" if brush is None else brush.color().name()


def test_reading_over_threshold_changes_banner_inbox_and_panel(
        small_ui, settings, qtbot, artifacts_dir: Path) -> None:  # type: ignore[no-untyped-def]
    panel = WaterPanel(small_ui)
    inbox = AlertInboxPanel(small_ui, settings=settings)
    banner = RainWarningBanner(small_ui)
    for w in (panel, inbox, banner):
        qtbot.addWidget(w)
    assert banner.isHidden()
    assert inbox.model.rowCount() == 0

    now = time.time()
    # A history of a quiet hour, then the gauge reports a cloudburst and the tunnel floods.
    _feed(small_ui, *[SensorReading("wp-t1", now - 3600 + i * 60, depth_cm=2 + (i % 3) * 0.5)
                      for i in range(55)])
    _feed(small_ui, SensorReading("wp-g1", now - 1, rain_mm=60.0))
    _feed(small_ui, SensorReading("wp-t1", now, depth_cm=31.0))
    qtbot.waitUntil(lambda: inbox.model.rowCount() >= 1, timeout=3000)
    panel.flush_now()

    # The gauges alone never put a signal in force: the banner shows the internal assessment of
    # the gauge's district, in a neutral strip, and no "预警".
    small_ui.app.service(RainstormService).evaluate_gauges()
    qtbot.waitUntil(lambda: not banner.isHidden(), timeout=3000)
    assert banner.level is None
    assert "郑东新区 雨量达到橙色标准（内部研判）" in banner.assessment.text()
    assert not banner.label.isVisible() or banner.label.isHidden()
    # The 气象台's signal, recorded as received: now the banner is in the level's colour, with
    # dark text that reads on orange.
    small_ui.app.service(RainstormService).record_signal(
        SignalLevel.ORANGE, "调度员甲", office="郑州市气象台", districts=["主城区"])
    qtbot.waitUntil(lambda: banner.level is SignalLevel.ORANGE, timeout=3000)
    assert SignalLevel.ORANGE.color in banner.styleSheet()
    assert f"color:{SignalLevel.ORANGE.text_color}" in banner.styleSheet()
    assert "郑州市气象台发布暴雨橙色预警信号（主城区）" in banner.label.text()
    qtbot.waitUntil(lambda: inbox.model.rowCount() >= 3, timeout=3000)
    # inbox: the tunnel's red alert is first, tinted red
    top = inbox.model.alerts[0]
    assert top.severity.value == "red" and top.place == "金水路下穿隧道"
    brush = inbox.model.data(inbox.model.index(0, 0), Qt.ItemDataRole.BackgroundRole)
    assert brush.color().rgb() == QColor(SEVERITY_COLORS[top.severity]).rgb()
    # panel: the point's state cell is the closed colour and it sorts first
    assert _state_color(panel, "wp-t1") == WaterState.CLOSED.color
    top_row = panel.proxy.index(0, 0)
    assert panel.proxy.data(top_row, Qt.ItemDataRole.UserRole) == "wp-t1"  # worst sorts first
    assert _state_color(panel, "wp-r1") == ""  # no data yet: no colour

    panel.resize(1100, 720)
    panel.select("wp-t1")
    panel.show()
    qtbot.waitExposed(panel)
    curve = panel.chart.curves["wp-t1"]
    assert len(curve.getData()[0]) == 56
    assert len(panel.chart.threshold_lines) == 3
    panel.grab().save(str(artifacts_dir / "water_panel.png"))
    inbox.resize(1000, 560)
    inbox.show()
    qtbot.waitExposed(inbox)
    inbox.grab().save(str(artifacts_dir / "alerts.png"))
    banner.resize(1200, 40)
    banner.grab().save(str(artifacts_dir / "rain_banner.png"))


def test_acknowledge_stops_the_sound(small_ui, settings, qtbot) -> None:  # type: ignore[no-untyped-def]
    inbox = AlertInboxPanel(small_ui, settings=settings)
    qtbot.addWidget(inbox)
    inbox.show()
    alerts = small_ui.app.service(AlertService)
    alerts.raise_alert("water.threshold", "red", "积水监测", "金水路下穿隧道", "水深 30 cm")
    qtbot.waitUntil(lambda: inbox.model.rowCount() == 1, timeout=3000)
    assert inbox.sound.wanted and inbox.sound.looping
    # Headless CI usually has no audio device: then Qt reports not playing, and the inbox
    # must say so instead of pretending.
    if inbox.sound.effect is not None and not inbox.sound.audible:
        assert "无可用音频设备" in inbox.sound_label.text()
    inbox.table.setFocus()
    qtbot.keyClick(inbox.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not inbox.sound.wanted, timeout=3000)
    assert not inbox.sound.looping
    assert inbox.sound.effect is None or not inbox.sound.effect.isPlaying()
    assert inbox.sound_label.text() == ""
    a = alerts.open_alerts()[0]
    assert a.acked_by == "调度员甲" and a.state.value == "acknowledged"


def test_mute_is_per_workstation_setting(small_ui, settings, qtbot) -> None:  # type: ignore[no-untyped-def]
    inbox = AlertInboxPanel(small_ui, settings=settings)
    qtbot.addWidget(inbox)
    small_ui.app.service(AlertService).raise_alert("x", "red", "s", "p", "m")
    qtbot.waitUntil(lambda: inbox.sound.wanted, timeout=3000)
    inbox.actions_by_id["alerts.mute"].trigger()
    assert inbox.sound.muted and not inbox.sound.looping
    assert "已静音" in inbox.sound_label.text()
    assert settings.value("alerts/mute", type=bool) is True
    again = AlertInboxPanel(small_ui, settings=settings)
    qtbot.addWidget(again)
    assert again.sound.muted and again.mute_button.isChecked()


def test_assign_and_resolve_actions_and_refused_action(small_ui, settings, qtbot) -> None:  # type: ignore[no-untyped-def]
    inbox = AlertInboxPanel(small_ui, settings=settings)
    qtbot.addWidget(inbox)
    svc = small_ui.app.service(AlertService)
    aid = svc.raise_alert("unit.offline", "yellow", "勤务", "铁骑 7", "离线 5 分钟", dedup_key="u7")
    svc.raise_alert("unit.offline", "yellow", "勤务", "铁骑 7", "离线 6 分钟", dedup_key="u7")
    qtbot.waitUntil(lambda: inbox.model.rowCount() == 1, timeout=3000)
    assert inbox.model.data(inbox.model.index(0, 5)) == "×2"
    inbox._do_assign("铁骑 3 组")
    qtbot.waitUntil(lambda: inbox.model.alerts[0].state.value == "assigned", timeout=3000)
    messages: list[str] = []
    small_ui.sig_status_message.connect(lambda m, _ms: messages.append(m))
    inbox._do_acknowledge()  # not from assigned: silently nothing (button disabled)
    svc.resolve(aid, "x")
    inbox.select(aid)
    qtbot.waitUntil(lambda: inbox.model.rowCount() == 0, timeout=3000)
    assert [e.action.value for e in svc.events(aid)] == ["raise", "fold", "assign", "resolve"]


def test_checklist_one_click_away_and_ticking(small_ui, qtbot, artifacts_dir: Path) -> None:  # type: ignore[no-untyped-def]
    banner = RainWarningBanner(small_ui)
    qtbot.addWidget(banner)
    rain = small_ui.app.service(RainstormService)
    rain.set_signal(SignalLevel.RED, "值班长", reason="气象台")
    qtbot.waitUntil(lambda: banner.level is SignalLevel.RED, timeout=3000)
    dlg = banner.open_checklist()
    assert dlg is not None
    qtbot.addWidget(dlg)
    assert dlg.list.count() == len(rain.checklist(banner.current.id))  # type: ignore[union-attr]
    assert "处置措施" in dlg.windowTitle() and "防御指南" not in dlg.windowTitle()
    dlg.resize(640, 440)
    dlg.show()
    qtbot.waitExposed(dlg)
    dlg.grab().save(str(artifacts_dir / "rain_checklist_red.png"))
    dlg.list.item(0).setCheckState(Qt.CheckState.Checked)
    item = rain.checklist(banner.current.id)[0]  # type: ignore[union-attr]
    assert item.done and item.done_by == "调度员甲"
    qtbot.waitUntil(lambda: "已完成 1/" in banner.progress.text(), timeout=3000)
    banner.lift_button.click()
    qtbot.waitUntil(banner.isHidden, timeout=3000)


def test_threshold_dialog_refuses_inconsistent_values(small_ui, qtbot) -> None:  # type: ignore[no-untyped-def]
    panel = WaterPanel(small_ui)
    qtbot.addWidget(panel)
    panel.select("wp-r1")
    dlg = panel.edit_thresholds()
    assert dlg is not None
    dlg.spins[0].setValue(30)
    dlg._accept()
    assert "阈值" in dlg.error.text() and dlg.isVisible()
    dlg.spins[0].setValue(5)
    dlg._accept()
    assert panel.service.thresholds("wp-r1").caution_cm == 5


def test_nearest_cameras_and_player_messages(small_ui, qtbot) -> None:  # type: ignore[no-untyped-def]
    panel = WaterPanel(small_ui)
    qtbot.addWidget(panel)
    panel.select("wp-t1")
    cams = panel.cameras.cameras
    assert cams and cams[0].id == "cam-0"
    assert [c.distance_m for c in cams] == sorted(c.distance_m for c in cams)
    assert playability("") == "该摄像机未配置视频流地址"
    assert "不支持" in (playability("ftp://x/y") or "")
    assert playability("rtsp://10.0.0.1/stream") is None
    player = CameraPlayer(NearbyCamera("c", "无地址", "", 10, True, ""))
    qtbot.addWidget(player)
    assert "无法播放" in player.status.text() and player.player is None


def test_call_list_in_panel_records_notification(small_ui, qtbot) -> None:  # type: ignore[no-untyped-def]
    panel = WaterPanel(small_ui)
    qtbot.addWidget(panel)
    panel.service.add_responsible("wp-t2", "钱九", "13900000000", "调度员甲")
    panel.select("wp-t2")
    panel._show_calls()
    assert panel.call_list.count() == 1
    panel.mark_notified()
    qtbot.waitUntil(lambda: panel.notification_list.count() == 1, timeout=3000)
    assert "钱九" in panel.notification_list.item(0).text()


def test_models_pass_qtmodeltester(small_ui, settings, qtbot, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    panel = WaterPanel(small_ui)
    qtbot.addWidget(panel)
    _feed(small_ui, SensorReading("wp-t1", time.time(), depth_cm=12))
    panel.flush_now()
    qtmodeltester.check(panel.model)
    inbox = AlertInboxPanel(small_ui, settings=settings)
    qtbot.addWidget(inbox)
    small_ui.app.service(AlertService).raise_alert("x", "blue", "s", "p", "m")
    inbox.refresh()
    qtmodeltester.check(inbox.model)


def test_update_signals_only_changed_rows_and_header_never_measures(small_ui, qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QHeaderView

    panel = WaterPanel(small_ui)
    qtbot.addWidget(panel)
    hh = panel.table.horizontalHeader()
    modes = {hh.sectionResizeMode(c) for c in range(panel.model.columnCount())}
    assert QHeaderView.ResizeMode.ResizeToContents not in modes
    now = time.time()
    _feed(small_ui, *[SensorReading(p, now - 5, depth_cm=3) for p in ("wp-t1", "wp-r1", "wp-r2")])
    qtbot.waitUntil(lambda: bool(panel._pending), timeout=3000)
    panel.flush_now()
    signalled: list[tuple[int, int]] = []
    panel.model.dataChanged.connect(lambda a, b, *_: signalled.append((a.row(), b.row())))
    resets: list[int] = []
    panel.model.modelReset.connect(lambda: resets.append(1))
    # One point changes, the other two report the same values again.
    _feed(small_ui, SensorReading("wp-t1", now - 5, depth_cm=3),
          SensorReading("wp-r1", now - 5, depth_cm=3), SensorReading("wp-r2", now, depth_cm=4))
    qtbot.waitUntil(lambda: bool(panel._pending), timeout=3000)
    panel.flush_now()
    row = panel.model.row_of("wp-r2")
    assert signalled == [(row, row)]
    assert resets == []
    # A state change re-sorts through the proxy, still without a reset.
    _feed(small_ui, SensorReading("wp-r2", now + 1, depth_cm=41))
    qtbot.waitUntil(lambda: bool(panel._pending), timeout=3000)
    panel.flush_now()
    assert resets == []
    assert panel.proxy.data(panel.proxy.index(0, 0), Qt.ItemDataRole.UserRole) == "wp-r2"


def test_demo_button_starts_and_stops_the_runtime_job(small_ui, qtbot) -> None:  # type: ignore[no-untyped-def]
    panel = WaterPanel(small_ui)
    qtbot.addWidget(panel)
    assert panel.findChildren(type(panel._timer)) == [panel._timer]  # one redraw timer only
    runtime = small_ui.runtime
    if runtime.job("demo.rain") is None:
        import pytest

        pytest.skip("the runtime has no demo.rain job registered")
    panel.demo_button.click()
    qtbot.waitUntil(lambda: runtime.job_state("demo.rain").value == "running", timeout=3000)
    assert panel.demo_button.text() == "停止降雨演示"
    panel.demo_button.click()
    qtbot.waitUntil(lambda: runtime.job_state("demo.rain").value != "running", timeout=5000)
    assert panel.demo_button.text() == "开始降雨演示"
    # the demo seeded every point's call list
    assert all(panel.service.responsible_people(p) for p in panel.service.points())


def test_official_signal_dialog_and_cap_import(small_ui, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from desk.ui.water.banner import SignalPicker
    from tests.water.test_cap import cap_xml

    picker = SignalPicker(small_ui)
    qtbot.addWidget(picker)
    dlg = picker.open_dialog()
    qtbot.addWidget(dlg)
    dlg.level.setCurrentIndex(dlg.level.findData("yellow"))
    dlg.areas.setText("金水区、二七区")
    sid = dlg.record()
    rain = small_ui.app.service(RainstormService)
    cur = rain.current()
    assert cur is not None and cur.id == sid and cur.level is SignalLevel.YELLOW
    assert cur.office == "郑州市气象台" and cur.districts == ("金水区", "二七区")
    assert rain.response_levels(["金水区", "郑东新区"]) == {"金水区": SignalLevel.YELLOW,
                                                         "郑东新区": None}
    (tmp_path / "a.xml").write_text(cap_xml(severity="Red", areas="主城区"), encoding="utf-8")
    (tmp_path / "b.xml").write_text("<not cap", encoding="utf-8")
    result = picker.import_cap(tmp_path)
    assert len(result.recorded) == 1 and [n for n, _ in result.refused] == ["b.xml"]
    assert rain.current().level is SignalLevel.RED  # type: ignore[union-attr]
