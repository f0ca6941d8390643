"""The 视频 buttons of other panels reach the one video owner: the alert inbox (V), a case
(Alt+V) and the nearest-camera list's 视频墙 (alerts and water points)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from desk.services.accidents import AccidentService
from desk.services.alerts import AlertService
from desk.ui.video.owner import VideoOwner
from desk.ui.video.wall import VideoWall
from desk.ui.water.camera import NearestCamerasWidget
from tests.video.streams import free_port
from tests.video.test_wall import CASE_AT


def _cams(ws) -> None:  # type: ignore[no-untyped-def]
    dead = f"rtsp://127.0.0.1:{free_port()}/none"  # nothing listens: tiles say so and retry
    with ws.write("tester") as tx:
        for i in range(3):
            tx.insert("cameras", {"id": f"c{i}", "name": f"路口{i}", "road": "", "district": "",
                                  "lat": CASE_AT[0] + i * 0.001, "lon": CASE_AT[1], "online": 1,
                                  "stream_url": dead})


def test_alert_case_and_camera_list_open_video(qtbot, ui, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from desk.ui.accidents.case_view import CaseWorkspace
    from desk.ui.alerts.panel import AlertInboxPanel

    _cams(ui.workspace)
    settings = QSettings(str(tmp_path / "d.ini"), QSettings.Format.IniFormat)
    owner = VideoOwner(ui, settings=settings)
    alert_id = ui.app.service(AlertService).raise_alert(
        "crowd", "yellow", "test", "二七广场", "人员聚集", lat=CASE_AT[0], lon=CASE_AT[1])
    inbox = AlertInboxPanel(ui, settings=settings)
    qtbot.addWidget(inbox, before_close_func=lambda w: w.shutdown())
    qtbot.waitUntil(lambda: inbox.select(alert_id), timeout=3000)
    inbox.actions_by_id["alerts.video"].trigger()
    wall = owner.windows[-1]
    assert isinstance(wall, VideoWall) and wall.place is not None and wall.place.label == "二七广场"
    assert [t.camera.id for t in wall.tiles if t.camera] == ["c0", "c1", "c2"]

    case = ui.app.service(AccidentService).create_case(lat=CASE_AT[0], lon=CASE_AT[1], place="路口")
    view = CaseWorkspace(ui.app.service(AccidentService))
    qtbot.addWidget(view)
    asked: list[tuple[str, str]] = []
    view.sig_video_requested.connect(lambda e, i: asked.append((e, i)))
    view.show_case(case.id)
    view.video_btn.click()
    assert asked == [("accident_cases", case.id)]

    near = NearestCamerasWidget(ui.workspace)
    qtbot.addWidget(near)
    near.show_near(CASE_AT[0], CASE_AT[1], "积水点")
    listed = near.open_wall()
    assert isinstance(listed, VideoWall) and len([t for t in listed.tiles if t.camera]) == 3
    assert listed.windowTitle().endswith("积水点")
    owner.shutdown()
    assert not wall.playing_tiles() and not listed.playing_tiles()
