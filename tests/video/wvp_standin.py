"""A small stand-in of a wvp-GB28181-pro platform's HTTP API on loopback (the platform is outside
our system). It speaks the shapes recorded in resources/docs/video-platform.md: the
``{"code", "msg", "data"}`` envelope, login with an MD5 password and an ``access-token`` header,
HTTP 401 for a missing or expired token, ``/api/play/start`` answering a StreamContent, the
paged device and channel queries, and PTZ. It can also answer "device offline", "channel not
found" and be too slow (a timeout)."""

from __future__ import annotations

import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Channel:
    device_id: str
    channel_id: str
    name: str
    lat: float
    lon: float
    online: bool = True
    rtsp: str = ""  # what the media server would serve for this channel
    hls: str = ""
    slow_s: float = 0.0


@dataclass
class WvpState:
    username: str = "admin"
    password: str = "admin"
    channels: dict[tuple[str, str], Channel] = field(default_factory=dict)
    tokens: set[str] = field(default_factory=set)
    logins: int = 0
    started: list[tuple[str, str]] = field(default_factory=list)
    stopped: list[tuple[str, str]] = field(default_factory=list)
    ptz: list[tuple[str, str, str, int]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def expire_tokens(self) -> None:
        with self.lock:
            self.tokens.clear()


class WvpStandIn:
    def __init__(self) -> None:
        self.state = WvpState()
        state = self.state

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def _json(self, body: dict[str, Any], status: int = 200) -> None:
                raw = json.dumps(body, ensure_ascii=False).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json;charset=UTF-8")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def _ok(self, data: Any = None) -> None:
                self._json({"code": 0, "msg": "成功", "data": data})

            def _fail(self, code: int, msg: str) -> None:
                self._json({"code": code, "msg": msg})

            def do_GET(self) -> None:
                url = urlsplit(self.path)
                q = {k: v[0] for k, v in parse_qs(url.query).items()}
                parts = [p for p in url.path.split("/") if p]
                if url.path == "/api/user/login":
                    md5 = hashlib.md5(state.password.encode()).hexdigest()
                    if q.get("username") == state.username and q.get("password") == md5:
                        token = secrets.token_hex(8)
                        with state.lock:
                            state.tokens.add(token)
                            state.logins += 1
                        self._ok({"username": state.username, "accessToken": token,
                                  "role": {"id": 1, "name": "admin"}})
                    else:
                        self._fail(-1, "fail")
                    return
                token = self.headers.get("access-token") or q.get("access-token")
                if token not in state.tokens:
                    self._json({"code": 401, "msg": "请登录后重新请求"}, 401)
                    return
                if parts[:3] == ["api", "play", "start"] and len(parts) == 5:
                    ch = state.channels.get((parts[3], parts[4]))
                    if ch is None:
                        self._fail(400, "通道不存在")
                        return
                    if ch.slow_s:
                        time.sleep(ch.slow_s)
                    if not ch.online:
                        self._fail(100, "设备不在线")
                        return
                    with state.lock:
                        state.started.append((ch.device_id, ch.channel_id))
                    stream = f"{ch.device_id}_{ch.channel_id}"
                    self._ok({"app": "rtp", "stream": stream, "ip": "127.0.0.1",
                              "rtsp": ch.rtsp, "hls": ch.hls, "flv": "", "fmp4": "", "rtmp": "",
                              "mediaServerId": "zlmediakit-local"})
                    return
                if parts[:3] == ["api", "play", "stop"] and len(parts) == 5:
                    with state.lock:
                        state.stopped.append((parts[3], parts[4]))
                    self._ok({"deviceId": parts[3], "channelId": parts[4]})
                    return
                if parts[:3] == ["api", "front-end", "ptz"] and len(parts) == 5:
                    with state.lock:
                        state.ptz.append((parts[3], parts[4], q.get("command", ""),
                                          int(q.get("horizonSpeed", "0"))))
                    self._ok(None)
                    return
                if url.path == "/api/device/query/devices":
                    devices = sorted({c.device_id for c in state.channels.values()})
                    rows = [{"deviceId": d, "name": f"NVR {d[-4:]}", "onLine": True} for d in devices]
                    self._ok(self._page(rows, q))
                    return
                if parts[:4] == ["api", "device", "query", "devices"] and parts[-1] == "channels":
                    rows = [{"deviceId": c.channel_id, "name": c.name, "longitude": c.lon,
                             "latitude": c.lat, "status": "ON" if c.online else "OFF", "ptzType": 1}
                            for c in state.channels.values() if c.device_id == parts[4]]
                    self._ok(self._page(rows, q))
                    return
                self._json({"code": 404, "msg": "资源未找到"}, 404)

            def _page(self, rows: list[dict[str, Any]], q: dict[str, str]) -> dict[str, Any]:
                page, count = int(q.get("page", "1")), int(q.get("count", "15"))
                return {"total": len(rows), "pageNum": page, "pageSize": count,
                        "list": rows[(page - 1) * count: page * count]}

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="wvp-standin", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def add(self, channel: Channel) -> Channel:
        self.state.channels[(channel.device_id, channel.channel_id)] = channel
        return channel

    def start(self) -> WvpStandIn:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)
