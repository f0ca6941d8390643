"""Real streams through the app's player: RTSP from GStreamer's RTSP server and HLS written by
ffmpeg, both on 127.0.0.1; frames are counted on the player's QVideoSink. A stream whose server
dies mid-play shows the stalled message and comes back by itself when the server returns."""

from __future__ import annotations

import json
import time
from pathlib import Path

from desk.services.context import AppContext
from desk.services.video import NearbyCamera, StreamState, VideoService
from desk.store import Workspace
from desk.ui.video.player import PlayerWindow, VideoTile
from tests.video.streams import HlsServer, RtspServer


def _record_first_frame(artifacts: Path, kind: str, seconds: float | None) -> None:
    """Time to first frame is recorded for people (bench/bench_video.py measures it), not asserted."""
    path = artifacts / "video_first_frame.json"
    data = json.loads(path.read_text()) if path.exists() else {}
    data[kind] = seconds
    path.write_text(json.dumps(data, indent=1))


def _service(ws: Workspace, **settings: object) -> VideoService:
    return AppContext(workspace=ws, settings=dict(settings)).service(VideoService)


def test_rtsp_frames_arrive(qtbot, workspace: Workspace, rtsp_server: RtspServer,  # type: ignore[no-untyped-def]
                            artifacts_dir: Path) -> None:
    cam = NearbyCamera("cam-r1", "金水路与未来路口", "金水路", 0, True, rtsp_server.url("cam1"))
    window = PlayerWindow(_service(workspace), cam)
    qtbot.addWidget(window)
    window.show()
    player = window.tile.player
    assert player is not None
    qtbot.waitUntil(lambda: player.frames >= 10, timeout=20000)
    assert player.session.state is StreamState.PLAYING
    assert window.tile.status.text().startswith("播放中")
    assert "最后画面" in window.tile.last_frame.text()
    image = player.snapshot()
    assert image is not None and (image.width(), image.height()) == (320, 180)
    _record_first_frame(artifacts_dir, "rtsp", player.session.first_frame_s)
    qtbot.wait(200)
    window.grab().save(str(artifacts_dir / "video_player_rtsp.png"))
    window.close()
    assert player.session.state is StreamState.STOPPED


def test_hls_frames_arrive(qtbot, workspace: Workspace, hls_server: HlsServer,  # type: ignore[no-untyped-def]
                           artifacts_dir: Path) -> None:
    tile = VideoTile(_service(workspace), NearbyCamera("cam-h1", "HLS 路口", "", 0, True, hls_server.url))
    qtbot.addWidget(tile)
    tile.resize(480, 320)
    tile.show()
    assert tile.player is not None
    qtbot.waitUntil(lambda: tile.player is not None and tile.player.frames >= 10, timeout=30000)
    assert "HLS" in tile.title.text()
    _record_first_frame(artifacts_dir, "hls", tile.player.session.first_frame_s)
    tile.hide()  # a hidden tile stops its stream
    assert not tile.playing


def test_killed_stream_shows_stall_and_recovers(qtbot, workspace: Workspace,  # type: ignore[no-untyped-def]
                                                rtsp_server: RtspServer, artifacts_dir: Path) -> None:
    svc = _service(workspace, **{"video.stall_after_s": 2.0, "video.reconnect_base_s": 0.5,
                                 "video.reconnect_max_s": 2.0, "video.first_frame_timeout_s": 6.0})
    tile = VideoTile(svc, NearbyCamera("cam-k", "断流测试", "", 0, True, rtsp_server.url("cam2")))
    qtbot.addWidget(tile)
    tile.resize(420, 300)
    tile.show()
    player = tile.player
    assert player is not None
    qtbot.waitUntil(lambda: player.frames >= 5, timeout=20000)
    rtsp_server.kill()
    qtbot.waitUntil(lambda: player.session.state in (StreamState.STALLED, StreamState.FAILED),
                    timeout=15000)
    text = tile.status.text()
    assert "中断" in text or "断开" in text or "无法播放" in text, text
    assert "秒后重连" in text
    tile.grab().save(str(artifacts_dir / "video_tile_stalled.png"))
    before = player.frames
    time.sleep(0.5)
    rtsp_server.start()
    qtbot.waitUntil(lambda: player.session.state is StreamState.PLAYING and player.frames > before + 5,
                    timeout=40000)
    assert tile.status.text().startswith("播放中")
    tile.stop()


def test_unplayable_camera_says_why(qtbot, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]
    tile = VideoTile(_service(workspace), NearbyCamera("c", "无地址", "", 0, True, ""))
    qtbot.addWidget(tile)
    tile.show()
    assert tile.status.text() == "无法播放：该摄像机未配置视频流地址"
    tile.set_camera(NearbyCamera("p", "平台", "", 0, True, "gb28181:a/b"))
    qtbot.waitUntil(lambda: "未配置视频平台" in tile.status.text(), timeout=5000)
    assert tile.player is not None and tile.player.session.state is StreamState.REFUSED


def test_http_flv_frames_arrive(qtbot, workspace: Workspace, artifacts_dir: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.video.streams import FlvServer

    server = FlvServer().start()
    try:
        tile = VideoTile(_service(workspace), NearbyCamera("cam-f1", "FLV 路口", "", 0, True, server.url))
        qtbot.addWidget(tile)
        tile.show()
        assert tile.player is not None and "FLV" in tile.title.text()
        qtbot.waitUntil(lambda: tile.player is not None and tile.player.frames >= 5, timeout=30000)
        _record_first_frame(artifacts_dir, "flv", tile.player.session.first_frame_s)
        tile.stop()
    finally:
        server.stop()


def test_platform_camera_plays_and_is_released_on_close(  # type: ignore[no-untyped-def]
        qtbot, workspace: Workspace, rtsp_server: RtspServer, wvp) -> None:
    from desk.services.video_platform import VideoPlatform
    from tests.video.wvp_standin import Channel

    dev, chan = "34020000001320000001", "34020000001310000009"
    wvp.add(Channel(dev, chan, "平台通道", 34.75, 113.62, rtsp=rtsp_server.url("cam3")))
    svc = _service(workspace)
    svc.set_platform(VideoPlatform(wvp.url, username="admin", password="admin"))
    with workspace.write("tester") as tx:
        tx.insert("cameras", {"id": "gb-9", "name": "平台通道", "road": "", "district": "",
                              "lat": 34.75, "lon": 113.62, "online": 1,
                              "stream_url": f"gb28181:{dev}/{chan}"})
    camera = svc.camera("gb-9")
    assert camera is not None
    window = PlayerWindow(svc, camera)
    qtbot.addWidget(window)
    window.show()
    player = window.tile.player
    assert player is not None
    qtbot.waitUntil(lambda: player.frames >= 5, timeout=20000)
    assert wvp.state.started == [(dev, chan)] and player.stream is not None
    assert player.stream.source == "platform"
    window.ptz("up")
    qtbot.waitUntil(lambda: len(wvp.state.ptz) == 1, timeout=5000)
    window.close()
    qtbot.waitUntil(lambda: wvp.state.stopped == [(dev, chan)], timeout=5000)


def test_drill_points_a_camera_at_a_local_file(qtbot, workspace: Workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import shutil
    import subprocess

    clip = tmp_path / "drill-crash.mp4"
    subprocess.run([shutil.which("ffmpeg") or "ffmpeg", "-loglevel", "error", "-f", "lavfi", "-i",
                    "testsrc=size=320x180:rate=25:duration=2", "-c:v", "libx264", "-preset",
                    "ultrafast", "-pix_fmt", "yuv420p", str(clip)], check=True, timeout=60)
    ctx = AppContext(workspace=workspace, drill=True, settings={
        "video.drill_streams": {"cam-d": clip.as_uri()}, "video.reconnect_base_s": 0.2})
    svc = ctx.service(VideoService)
    # the camera's real address is unreachable in the drill room; the drill's clip plays instead
    tile = VideoTile(svc, NearbyCamera("cam-d", "演练路口", "", 0, True, "rtsp://video.intranet/cam/d"))
    qtbot.addWidget(tile)
    tile.show()
    player = tile.player
    assert player is not None
    qtbot.waitUntil(lambda: player.frames >= 10, timeout=20000)
    assert player.stream is not None and player.stream.source == "drill"
    # the 2 s clip has 50 frames; it ends and the tile starts it again, so trainees keep seeing video
    qtbot.waitUntil(lambda: player.frames > 70, timeout=20000)
    tile.stop()
