"""The incident video wall with four real RTSP streams, the owner that opens video for any
panel's request, and a snapshot that lands in a case's evidence with its camera id."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QImage

from desk.services.accidents import AccidentService
from desk.services.video import StreamState, VideoService, snapshot_camera_id
from desk.store import Workspace
from desk.ui.video.owner import VideoOwner
from desk.ui.video.player import PlayerWindow
from desk.ui.video.wall import VideoWall
from tests.video.streams import RtspServer

CASE_AT = (34.7466, 113.6253)


def _cameras(ws: Workspace, server: RtspServer) -> None:
    rows = [{"id": f"cam-{i}", "name": f"路口{i}", "road": "金水路", "district": "金水区",
             "lat": CASE_AT[0] + i * 0.001, "lon": CASE_AT[1], "online": 1,
             "stream_url": server.url(f"cam{i}")} for i in range(1, 5)]
    rows.append({"id": "cam-off", "name": "离线路口", "road": "", "district": "", "lat": CASE_AT[0],
                 "lon": CASE_AT[1] + 0.0005, "online": 0, "stream_url": server.url("cam1")})
    rows.append({"id": "cam-far", "name": "远处", "road": "", "district": "", "lat": CASE_AT[0] + 0.1,
                 "lon": CASE_AT[1], "online": 1, "stream_url": server.url("cam1")})
    with ws.write("tester") as tx:
        for row in rows:
            tx.insert("cameras", row)


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "desk.ini"), QSettings.Format.IniFormat)


def test_wall_plays_four_streams_and_stops_them_when_closed(  # type: ignore[no-untyped-def]
        qtbot, ui, rtsp_server: RtspServer, settings: QSettings, artifacts_dir: Path) -> None:
    ws = ui.workspace
    _cameras(ws, rtsp_server)
    case = ui.app.service(AccidentService).create_case(lat=CASE_AT[0], lon=CASE_AT[1],
                                                       place="金水路与未来路交叉口")
    owner = VideoOwner(ui, settings=settings)
    ui.sig_video_requested.emit("accident_cases", case.id)
    wall = owner.windows[-1]
    assert isinstance(wall, VideoWall)
    qtbot.addWidget(wall)
    # the nearest ONLINE cameras, nearest first; the offline and the far one are left out
    assert [t.camera.id for t in wall.tiles if t.camera] == ["cam-1", "cam-2", "cam-3", "cam-4"]
    qtbot.waitUntil(lambda: all(t.player is not None and t.player.frames >= 5 for t in wall.tiles),
                    timeout=40000)
    assert len(wall.playing_tiles()) == 4
    qtbot.wait(300)
    wall.grab().save(str(artifacts_dir / "video_wall_2x2.png"))

    # swap: dropping cam-4 on the first tile swaps the two tiles
    wall.drop(wall.tiles[0], "cam-4")
    assert [t.camera.id for t in wall.tiles if t.camera] == ["cam-4", "cam-2", "cam-3", "cam-1"]
    # one tile: the three hidden tiles stop
    players = [t.player for t in wall.tiles]
    wall.set_grid(1)
    assert len(wall.tiles) == 1
    assert all(p is not None and p.session.state is StreamState.STOPPED for p in players[1:])
    assert settings.value("video/wall/ws-test/grid") in (1, "1")
    assert settings.value(f"video/wall/ws-test/tiles/accident_cases:{case.id}")[0] == "cam-4"
    wall.set_grid(2)
    qtbot.waitUntil(lambda: len(wall.playing_tiles()) == 4, timeout=10000)
    live = [t.player for t in wall.tiles]
    wall.close()
    assert all(p is not None and p.session.state is StreamState.STOPPED for p in live)
    qtbot.waitUntil(lambda: all(p.player is None or p.player.source().isEmpty()
                                for p in live if p is not None), timeout=3000)

    # the layout is remembered for this workstation: a new wall opens with one tile per row of 2
    ui.sig_video_requested.emit("accident_cases", case.id)
    again = owner.windows[-1]
    qtbot.addWidget(again)
    assert isinstance(again, VideoWall) and again.n == 2 and again.tiles[0].camera.id == "cam-4"
    owner.shutdown()
    assert not again.playing_tiles()


def test_snapshot_lands_in_the_case_with_its_camera_id(  # type: ignore[no-untyped-def]
        qtbot, ui, rtsp_server: RtspServer, settings: QSettings) -> None:
    ws = ui.workspace
    _cameras(ws, rtsp_server)
    svc = ui.app.service(AccidentService)
    case = svc.create_case(lat=CASE_AT[0], lon=CASE_AT[1], place="金水路口")
    owner = VideoOwner(ui, settings=settings)
    ui.sig_video_requested.emit("cameras", "cam-3")
    window = owner.windows[-1]
    assert isinstance(window, PlayerWindow)
    qtbot.addWidget(window)
    assert window.target.currentData() == ("accident_cases", case.id)
    assert window.save_snapshot() is None  # no frame yet: a clear message, nothing stored
    assert "尚未收到视频帧" in window.message.text() and svc.evidence(case.id) == []
    qtbot.waitUntil(lambda: window.tile.player is not None and window.tile.player.frames >= 3,
                    timeout=20000)
    evidence_id = window.save_snapshot()
    assert evidence_id is not None, window.message.text()
    records = svc.evidence(case.id)
    assert [r.id for r in records] == [evidence_id]
    assert snapshot_camera_id(records[0].filename) == "cam-3"
    image = QImage(str(records[0].path))
    assert image.width() == 320 and image.text("camera_id") == "cam-3"
    assert "截图已存入案件证据" in window.message.text()
    owner.shutdown()


def test_requests_without_cameras_or_place_say_so(qtbot, ui, settings: QSettings) -> None:  # type: ignore[no-untyped-def]
    messages: list[str] = []
    ui.sig_status_message.connect(lambda text, _ms: messages.append(text))
    owner = VideoOwner(ui, settings=settings)
    assert owner.open("cameras", "nope") is None
    case = ui.app.service(AccidentService).create_case(lat=CASE_AT[0], lon=CASE_AT[1], place="无摄像机处")
    assert owner.open("accident_cases", case.id) is None
    assert owner.open("water_points", "missing") is None
    assert messages == ["找不到摄像机 nope", "2 公里内没有在线摄像机：无摄像机处",
                        "该对象没有位置，无法查找附近摄像机"]
    owner.shutdown()
    assert ui.app.service(VideoService).cameras_for("accident_cases", case.id) == []
