"""Real test streams on loopback, started by the tests: an RTSP server (GStreamer's RTSP server
run by Debian's python3 with gi, see rtsp_server.py) and an HLS stream written by Debian's ffmpeg
into a folder served over HTTP. Both are packages the set-up command installs
(packaging/bootstrap.sh)."""

from __future__ import annotations

import functools
import http.server
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SYSTEM_PYTHON = "/usr/bin/python3"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class RtspServer:
    """``videotestsrc ! x264enc ! rtph264pay`` at rtsp://127.0.0.1:<port>/<path> for each path.
    ``kill()`` and ``start()`` again on the same port simulate a camera going away and back."""

    def __init__(self, paths: list[str], *, width: int = 320, height: int = 180, fps: int = 25,
                 port: int | None = None) -> None:
        self.paths = paths
        self.port = port or free_port()
        self.size = (width, height, fps)
        self.proc: subprocess.Popen[str] | None = None

    def url(self, path: str) -> str:
        return f"rtsp://127.0.0.1:{self.port}/{path.strip('/')}"

    def start(self, timeout_s: float = 15.0) -> RtspServer:
        w, h, fps = self.size
        cmd = [SYSTEM_PYTHON, str(HERE / "rtsp_server.py"), "--port", str(self.port),
               "--width", str(w), "--height", str(h), "--fps", str(fps)]
        for p in self.paths:
            cmd += ["--path", "/" + p.strip("/")]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + timeout_s
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line.startswith("READY"):
            err = self.proc.stderr.read() if self.proc.stderr else ""
            self.kill()
            raise RuntimeError(f"RTSP test server did not start: {line!r} {err[-800:]}")
        while time.monotonic() < deadline:  # the port accepts connections
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return self
            time.sleep(0.05)
        raise RuntimeError("RTSP test server not listening")

    def kill(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(5)
            for f in (self.proc.stdout, self.proc.stderr):
                if f is not None:
                    f.close()
            self.proc = None


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class HlsServer:
    """ffmpeg ``-f lavfi -i testsrc`` → live HLS (1 s segments) in ``folder``, served by a
    threaded http.server on 127.0.0.1."""

    def __init__(self, folder: Path, *, width: int = 320, height: int = 180) -> None:
        self.folder = folder
        self.size = (width, height)
        self.proc: subprocess.Popen[bytes] | None = None
        self.httpd: http.server.ThreadingHTTPServer | None = None
        self.thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        assert self.httpd is not None
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/live.m3u8"

    def start(self, timeout_s: float = 20.0) -> HlsServer:
        ffmpeg = shutil.which("ffmpeg")
        if ffmpeg is None:
            raise RuntimeError("ffmpeg is not installed (packaging/bootstrap.sh installs it)")
        self.folder.mkdir(parents=True, exist_ok=True)
        w, h = self.size
        self.proc = subprocess.Popen(
            [ffmpeg, "-loglevel", "error", "-re", "-f", "lavfi", "-i", f"testsrc=size={w}x{h}:rate=25",
             "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "25",
             "-pix_fmt", "yuv420p", "-f", "hls", "-hls_time", "1", "-hls_list_size", "6",
             "-hls_flags", "delete_segments+omit_endlist", str(self.folder / "live.m3u8")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        handler = functools.partial(_QuietHandler, directory=str(self.folder))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="hls-http", daemon=True)
        self.thread.start()
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            playlist = self.folder / "live.m3u8"
            if playlist.exists() and playlist.read_text().count("#EXTINF") >= 2:
                return self
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("ffmpeg wrote no HLS playlist")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(5)
            self.proc = None
        if self.httpd is not None:
            self.httpd.shutdown()
            self.httpd.server_close()
            self.httpd = None
        if self.thread is not None:
            self.thread.join(5)
            self.thread = None


class FlvServer:
    """HTTP-FLV the way a media server (ZLMediaKit, SRS) serves it: an endless ``video/x-flv``
    body over HTTP. Each client gets its own ffmpeg encoding ``testsrc`` to FLV on stdout."""

    def __init__(self, *, width: int = 320, height: int = 180) -> None:
        self.size = (width, height)
        self.procs: list[subprocess.Popen[bytes]] = []
        size = self.size
        procs = self.procs

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                ffmpeg = shutil.which("ffmpeg") or "ffmpeg"
                w, h = size
                proc = subprocess.Popen(
                    [ffmpeg, "-loglevel", "error", "-re", "-f", "lavfi", "-i",
                     f"testsrc=size={w}x{h}:rate=25", "-c:v", "libx264", "-preset", "ultrafast",
                     "-tune", "zerolatency", "-g", "25", "-pix_fmt", "yuv420p", "-f", "flv", "-"],
                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
                procs.append(proc)
                self.send_response(200)
                self.send_header("Content-Type", "video/x-flv")
                self.send_header("Connection", "close")
                self.end_headers()
                assert proc.stdout is not None
                try:
                    while chunk := proc.stdout.read1(65536):
                        self.wfile.write(chunk)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                finally:
                    proc.kill()
                    proc.wait(5)
                    proc.stdout.close()

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="flv-http", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/live/cam.flv"

    def start(self) -> FlvServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)
