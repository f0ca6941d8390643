"""Benchmark of the video player on real loopback streams (the servers of tests/video):
time to first frame (RTSP, HLS, HTTP-FLV), CPU per playing 640×360 H.264 tile, and 4 and 9 tiles
at once with the GUI thread's stall p99 while they play.

Same-run baselines: the ffmpeg command line decoding the same stream (time to first frame and CPU
of one decoder without Qt), and the GUI thread with no tile playing (stall p99 of an idle loop).
The RTSP server shares one encoder between all clients, so its CPU does not grow with the tiles;
CPU figures are this process only (the servers are other processes).

Run: ``python bench/bench_video.py`` (needs ffmpeg and GStreamer's RTSP server from
packaging/bootstrap.sh; offscreen Qt).
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QCoreApplication, QElapsedTimer, QTimer
from PySide6.QtWidgets import QApplication, QGridLayout, QWidget

from desk.services.video import NearbyCamera
from desk.ui.video.player import StreamPlayer, VideoTile
from desk.ui.video.wall import paint_interval_s
from tests.video.streams import FlvServer, HlsServer, RtspServer

W, H = 640, 360


def pump(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QCoreApplication.processEvents()
        time.sleep(0.002)


def wait_for(cond, timeout: float) -> bool:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        QCoreApplication.processEvents()
        if cond():
            return True
        time.sleep(0.002)
    return False


def ttff_player(url: str, runs: int) -> list[float]:
    """Seconds from open() to the first frame on the sink, through the app's player."""
    out = []
    for i in range(runs):
        player = StreamPlayer(None, NearbyCamera(f"b{i}", "bench", "", 0, True, url))
        player.open()
        if wait_for(lambda p=player: p.frames > 0, 30) and player.session.first_frame_s is not None:
            out.append(player.session.first_frame_s)
        player.stop()
        player.deleteLater()
        pump(0.3)
    return out


def ttff_ffmpeg(url: str, runs: int) -> list[float]:
    """The same-run baseline: ffmpeg decoding its first frame of the same stream."""
    ffmpeg = shutil.which("ffmpeg") or "ffmpeg"
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([ffmpeg, "-loglevel", "error", "-i", url, "-frames:v", "1", "-f", "null", "-"],
                       check=False, timeout=60)
        out.append(time.perf_counter() - t0)
    return out


def ffmpeg_decode_cpu(url: str, seconds: float) -> float:
    """CPU seconds per wall second of ffmpeg decoding one stream (the Qt-free baseline)."""
    ffmpeg = shutil.which("ffmpeg") or "ffmpeg"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run([ffmpeg, "-loglevel", "error", "-i", url, "-t", str(seconds), "-f", "null", "-"],
                   check=False, timeout=seconds + 60)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu / wall


def play_tiles(url: str, n: int, seconds: float) -> dict[str, float]:
    """``n`` tiles of the same stream shown in a grid; CPU of this process, frames per second per
    tile and the GUI thread's lateness p99 (a 10 ms timer) while they play."""
    host = QWidget()
    grid = QGridLayout(host)
    side = max(1, int(n ** 0.5 + 0.999))
    tiles = []
    for i in range(n):
        tile = VideoTile(None, NearbyCamera(f"t{i}", f"tile {i}", "", 0, True, url), host) if n else None
        if tile is not None:
            tile.view.min_interval_s = paint_interval_s(side)  # as the video wall does
            grid.addWidget(tile, i // side, i % side)
            tiles.append(tile)
    host.resize(side * 340, side * 240)
    host.show()
    if tiles and not wait_for(lambda: all(t.player and t.player.frames > 0 for t in tiles), 40):
        print(f"  warning: not every tile got a frame ({[t.player.frames for t in tiles if t.player]})")
    pump(1.0)
    lateness: list[float] = []
    clock = QElapsedTimer()
    clock.start()
    last = [clock.nsecsElapsed()]

    def beat() -> None:
        now = clock.nsecsElapsed()
        lateness.append(max(0.0, (now - last[0]) / 1e6 - 10.0))
        last[0] = now

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(beat)
    frames0 = [t.player.frames if t.player else 0 for t in tiles]
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    timer.start()
    pump(seconds)
    timer.stop()
    wall = time.perf_counter() - t0
    cpu = (time.process_time() - cpu0) / wall
    fps = [((t.player.frames if t.player else 0) - f0) / wall for t, f0 in zip(tiles, frames0, strict=True)]
    s0 = time.perf_counter()
    for t in tiles:
        t.stop()
    stop_ms = (time.perf_counter() - s0) * 1000.0
    host.close()
    host.deleteLater()
    pump(0.5)
    lat = sorted(lateness)
    p99 = lat[int(len(lat) * 0.99) - 1] if lat else 0.0
    return {"cpu": cpu, "fps": statistics.mean(fps) if fps else 0.0, "p99_ms": p99,
            "max_ms": lat[-1] if lat else 0.0, "stop_ms": stop_ms}


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    runs = int(os.environ.get("BENCH_VIDEO_RUNS", "3"))
    seconds = float(os.environ.get("BENCH_VIDEO_SECONDS", "8"))
    rtsp = RtspServer(["cam"], width=W, height=H).start()
    tmp = Path(tempfile.mkdtemp(prefix="bench-video-"))
    hls = HlsServer(tmp / "hls", width=W, height=H).start()
    flv = FlvServer(width=W, height=H).start()
    try:
        url = rtsp.url("cam")
        print(f"video bench: {W}x{H} H.264 25 fps on 127.0.0.1, {os.cpu_count()} cores, "
              f"{runs} runs, {seconds:.0f} s per tile measurement")
        for name, u, n in (("RTSP", url, runs), ("HLS", hls.url, runs), ("HTTP-FLV", flv.url, 1)):
            ours = ttff_player(u, n)
            base = ttff_ffmpeg(u, n)
            if ours and base:
                print(f"  time to first frame {name:8s}: player median {statistics.median(ours):6.2f} s"
                      f"   ffmpeg CLI baseline {statistics.median(base):6.2f} s"
                      f"   ratio {statistics.median(ours) / statistics.median(base):4.2f}")
            else:
                print(f"  time to first frame {name}: no frame (player {ours}, ffmpeg {base})")
        idle = play_tiles(url, 0, seconds)
        ff = ffmpeg_decode_cpu(url, seconds)
        print(f"  baseline idle GUI loop        : cpu {idle['cpu'] * 100:5.1f} %   stall p99 "
              f"{idle['p99_ms']:6.1f} ms (max {idle['max_ms']:.1f})")
        print(f"  baseline ffmpeg decode 1 strm : cpu {ff * 100:5.1f} % of a core")
        for n in [int(x) for x in os.environ.get("BENCH_VIDEO_TILES", "1,4,9").split(",")]:
            r = play_tiles(url, n, seconds)
            per_tile = (r["cpu"] - idle["cpu"]) / n
            print(f"  {n} tile(s)                     : cpu {r['cpu'] * 100:5.1f} % "
                  f"({per_tile * 100:5.1f} %/tile, {per_tile / ff if ff else 0:4.2f}x ffmpeg)"
                  f"   {r['fps']:4.1f} fps/tile   stall p99 {r['p99_ms']:6.1f} ms "
                  f"(max {r['max_ms']:.1f}, idle ratio {r['p99_ms'] / max(idle['p99_ms'], 0.1):.1f}x)"
                  f"   stopping all {r['stop_ms']:.0f} ms")
    finally:
        rtsp.kill()
        hls.stop()
        flv.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
