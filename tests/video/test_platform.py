"""The video platform adapter against a stand-in of wvp-GB28181-pro's HTTP API on loopback:
login and token renewal, starting and stopping a channel, its error answers (channel offline,
unknown channel, timeout), channels with positions imported into the camera layer, PTZ."""

from __future__ import annotations

import pytest

from desk.services.context import AppContext
from desk.services.video import NearbyCamera, VideoError, VideoService
from desk.services.video_platform import PlatformError, VideoPlatform
from desk.store import Workspace
from tests.video.wvp_standin import Channel, WvpStandIn

DEV = "34020000001320000001"


def _platform(wvp: WvpStandIn, **kw: object) -> VideoPlatform:
    return VideoPlatform(wvp.url, username="admin", password="admin", **kw)  # type: ignore[arg-type]


def test_start_logs_in_and_returns_the_stream_urls(wvp: WvpStandIn) -> None:
    wvp.add(Channel(DEV, "34020000001310000001", "金水路口", 34.75, 113.66,
                    rtsp="rtsp://127.0.0.1:554/rtp/x", hls="http://127.0.0.1/rtp/x/hls.m3u8"))
    p = _platform(wvp)
    urls = p.start(DEV, "34020000001310000001")
    assert urls.rtsp.startswith("rtsp://") and urls.best("hls").endswith(".m3u8")
    assert urls.stream == f"{DEV}_34020000001310000001" and wvp.state.logins == 1
    p.stop(DEV, "34020000001310000001")
    assert wvp.state.stopped == [(DEV, "34020000001310000001")]
    p.close()


def test_no_credentials_in_the_log(wvp: WvpStandIn, caplog: pytest.LogCaptureFixture) -> None:
    import hashlib
    import logging

    wvp.add(Channel(DEV, "c1", "a", 34.7, 113.6, rtsp="rtsp://127.0.0.1/a"))
    p = VideoPlatform(wvp.url, username="admin", password="admin")
    with caplog.at_level(logging.DEBUG):
        p.start(DEV, "c1")
    assert "login" in caplog.text  # the request is logged, without its query
    assert hashlib.md5(b"admin").hexdigest() not in caplog.text
    assert p._token is not None and p._token not in caplog.text
    assert "admin" not in repr(p).replace("user='admin'", "")
    p.close()


def test_expired_token_is_renewed_once(wvp: WvpStandIn) -> None:
    wvp.add(Channel(DEV, "c1", "a", 34.7, 113.6, rtsp="rtsp://127.0.0.1/a"))
    p = _platform(wvp)
    p.start(DEV, "c1")
    wvp.state.expire_tokens()
    assert p.start(DEV, "c1").rtsp == "rtsp://127.0.0.1/a"
    assert wvp.state.logins == 2
    p.close()


def test_wrong_password_is_refused(wvp: WvpStandIn) -> None:
    p = VideoPlatform(wvp.url, username="admin", password="wrong")
    with pytest.raises(PlatformError) as err:
        p.start(DEV, "c1")
    assert "fail" in str(err.value) or "登录" in str(err.value)
    p.close()


def test_offline_unknown_and_slow_channels(wvp: WvpStandIn) -> None:
    wvp.add(Channel(DEV, "off", "离线", 34.7, 113.6, online=False))
    wvp.add(Channel(DEV, "slow", "慢", 34.7, 113.6, slow_s=2.0, rtsp="rtsp://127.0.0.1/s"))
    p = _platform(wvp, timeout_s=0.5)
    with pytest.raises(PlatformError) as offline:
        p.start(DEV, "off")
    assert "设备不在线" in str(offline.value) and offline.value.retryable
    with pytest.raises(PlatformError) as unknown:
        p.start(DEV, "nope")
    assert "通道不存在" in str(unknown.value) and not unknown.value.retryable
    with pytest.raises(PlatformError) as slow:
        p.start(DEV, "slow")
    assert "超时" in str(slow.value)
    p.close()


def test_unreachable_platform_says_so() -> None:
    from tests.video.streams import free_port

    p = VideoPlatform(f"http://127.0.0.1:{free_port()}", timeout_s=1)
    with pytest.raises(PlatformError, match="无法连接视频平台"):
        p.start(DEV, "c1")
    p.close()


def test_channels_import_into_the_camera_layer_and_resolve(wvp: WvpStandIn,
                                                           workspace: Workspace) -> None:
    for i in range(3):
        wvp.add(Channel(DEV, f"3402000000131000000{i}", f"通道{i}", 34.70 + i / 100, 113.60,
                        online=i != 2, rtsp=f"rtsp://127.0.0.1:8554/ch{i}"))
    ctx = AppContext(workspace=workspace)
    svc = ctx.service(VideoService)
    svc.set_platform(VideoPlatform(wvp.url, username="admin", password="admin"))
    assert svc.import_channels() == 3
    assert svc.import_channels() == 0  # nothing changed
    rows = workspace.db.execute(
        "SELECT id, name, online, stream_url, lat FROM cameras ORDER BY id").fetchall()
    assert [r[2] for r in rows] == [1, 1, 0]
    assert rows[0][3] == f"gb28181:{DEV}/34020000001310000000" and rows[1][4] == pytest.approx(34.71)
    assert workspace.db.execute("SELECT count(*) FROM change_log WHERE entity = 'cameras'").fetchone()[0] == 3
    cam = svc.camera(rows[0][0])
    assert cam is not None
    resolved = svc.resolve(cam)
    assert resolved.source == "platform" and resolved.url == "rtsp://127.0.0.1:8554/ch0"
    svc.release(resolved)
    assert wvp.state.stopped == [(DEV, "34020000001310000000")]
    offline = svc.camera(rows[2][0])
    assert offline is not None
    with pytest.raises(VideoError, match="设备不在线"):
        svc.resolve(offline)
    svc.ptz(rows[0][0], "left", 120)
    assert wvp.state.ptz == [(DEV, "34020000001310000000", "left", 120)]
    with pytest.raises(VideoError, match="不支持的云台指令"):
        svc.ptz(rows[0][0], "spin")


def test_direct_urls_and_drills_need_no_platform(workspace: Workspace) -> None:
    ctx = AppContext(workspace=workspace)
    svc = ctx.service(VideoService)
    cam = NearbyCamera("c1", "路口", "", 0, True, "rtsp://127.0.0.1/x")
    assert svc.resolve(cam).source == "direct"
    with pytest.raises(VideoError, match="未配置视频平台"):
        svc.resolve(NearbyCamera("c2", "平台", "", 0, True, "gb28181:a/b"))
    drill = AppContext(workspace=workspace, drill=True,
                       settings={"video.drill_streams": {"*": "file:///drill/crash.mp4"}})
    assert drill.service(VideoService).resolve(cam).url == "file:///drill/crash.mp4"
