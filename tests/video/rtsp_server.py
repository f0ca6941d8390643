"""A loopback RTSP test server (GStreamer's RTSP server through Debian's python3-gi).

Run with Debian's ``/usr/bin/python3`` (the app's venv has no ``gi``)::

    /usr/bin/python3 tests/video/rtsp_server.py --port 8554 --path /cam1 [--path /cam2 ...]

Each path serves ``videotestsrc ! x264enc ! rtph264pay`` (640x360, 25 fps, H.264 baseline, zero
latency). When it listens it prints ``READY <port>`` on stdout, so a test knows when to connect.
It stops on SIGTERM/SIGINT.
"""

from __future__ import annotations

import argparse
import signal
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--path", action="append", default=[])
    parser.add_argument("--width", type=int, default=640)
    parser.add_argument("--height", type=int, default=360)
    parser.add_argument("--fps", type=int, default=25)
    args = parser.parse_args()
    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(str(args.port))
    mounts = server.get_mount_points()
    patterns = (0, 18, 24, 11, 14, 21, 22, 23, 13)  # smpte, ball, colors, circular, zone plate…
    for i, path in enumerate(args.path or ["/test"]):
        launch = (
            f"( videotestsrc is-live=true pattern={patterns[i % len(patterns)]} ! "
            f"video/x-raw,width={args.width},height={args.height},framerate={args.fps}/1 ! "
            "x264enc tune=zerolatency speed-preset=ultrafast bitrate=800 key-int-max=25 ! "
            "video/x-h264,profile=baseline ! rtph264pay name=pay0 pt=96 config-interval=1 )"
        )
        factory = GstRtspServer.RTSPMediaFactory()
        factory.set_launch(launch)
        factory.set_shared(True)
        mounts.add_factory(path, factory)
    if server.attach(None) == 0:
        print("FAILED cannot listen", flush=True)
        return 1
    loop = GLib.MainLoop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, sig, loop.quit)
    print(f"READY {args.port}", flush=True)
    loop.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
