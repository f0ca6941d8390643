"""The playback rules without a stream: stall detection, reconnect with backoff, refusals."""

from __future__ import annotations

from desk.services.video import (
    NearbyCamera,
    ReconnectPolicy,
    StreamSession,
    StreamState,
    platform_channel,
    playability,
    redact_url,
    snapshot_camera_id,
    stream_kind,
    with_rtsp_transport,
)


def test_backoff_doubles_up_to_the_cap() -> None:
    p = ReconnectPolicy(base_s=1, factor=2, max_s=10)
    assert [p.delay(i) for i in range(1, 7)] == [1, 2, 4, 8, 10, 10]


def test_stall_then_reconnect_with_growing_waits() -> None:
    s = StreamSession("cam-1", ReconnectPolicy(stall_after_s=5, base_s=1, max_s=8))
    seen: list[StreamState] = []
    s.listeners.append(lambda sess: seen.append(sess.state))
    s.connecting(100.0, "rtsp://x/y")
    s.frame(101.0)
    assert s.state is StreamState.PLAYING and s.first_frame_s == 1.0
    assert not s.tick(105.9)  # 4.9 s without a frame: still fine
    assert not s.tick(106.5)  # 5.5 s: stalled, first retry in 1 s
    assert s.state is StreamState.STALLED and "5 秒未收到画面" in s.message
    assert not s.tick(107.0)
    assert s.tick(107.6)  # due
    s.connecting(107.6)
    assert s.state is StreamState.RECONNECTING and "第 1 次重连" in s.message
    s.error(108.0, "无法播放该视频流：连接被拒绝")
    assert s.state is StreamState.FAILED and s.retry_at == 110.0  # second wait is 2 s
    assert s.tick(110.0)
    s.connecting(110.0)
    s.frame(110.5)
    assert s.state is StreamState.PLAYING and s.attempts == 0
    assert seen[:3] == [StreamState.CONNECTING, StreamState.PLAYING, StreamState.STALLED]


def test_no_first_frame_times_out_and_retries() -> None:
    s = StreamSession("c", ReconnectPolicy(first_frame_timeout_s=10, base_s=2))
    s.connecting(0.0)
    assert not s.tick(9.0)
    assert not s.tick(10.5)
    assert s.state is StreamState.FAILED and "连接超时" in s.message
    assert s.tick(12.5)


def test_refusal_is_final_and_attempts_can_be_capped() -> None:
    s = StreamSession("c")
    s.error(0.0, "视频平台：通道不存在", refused=True)
    assert s.state is StreamState.REFUSED and not s.tick(1000.0)
    capped = StreamSession("c", ReconnectPolicy(max_attempts=2, base_s=1))
    for t in (0.0, 10.0, 20.0):
        capped.error(t, "坏了")
    assert capped.retry_at is None and "已停止重连" in capped.message


def test_urls_and_snapshot_names() -> None:
    assert playability("") == "该摄像机未配置视频流地址"
    assert "不支持" in (playability("ftp://x/y") or "")
    assert playability("rtsp://10.0.0.1/stream") is None
    assert playability("gb28181:34020000001320000001/34020000001310000001") is None
    assert platform_channel("gb28181:dev/chan") == ("dev", "chan")
    assert platform_channel("rtsp://dev/chan") is None
    assert [stream_kind(u) for u in ("rtsp://a/b", "http://a/live.m3u8", "http://a/live.flv")] == \
        ["RTSP", "HLS", "FLV"]
    assert snapshot_camera_id("视频截图_cam-0_12_20261201-101010.png") == "cam-0_12"
    assert NearbyCamera("c", "n", "", 1.0, True, "").lat is None
    assert redact_url("无法打开 rtsp://admin:12345@10.0.0.9/ch1") == "无法打开 rtsp://***@10.0.0.9/ch1"
    assert with_rtsp_transport("rtsp://h/a") == "rtsp://h/a?tcp"
    assert with_rtsp_transport("rtsp://h/a?token=x") == "rtsp://h/a?token=x&tcp"
    assert with_rtsp_transport("rtsp://h/a?udp") == "rtsp://h/a?udp"
    assert with_rtsp_transport("rtsp://h/a", "udp") == "rtsp://h/a?udp"
    assert with_rtsp_transport("http://h/a.m3u8") == "http://h/a.m3u8"
