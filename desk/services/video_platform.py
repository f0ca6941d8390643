"""The site's video platform over its HTTP API (GB/T 28181 platforms such as wvp-GB28181-pro):
log in, start and stop a channel's live stream, list channels with positions, send PTZ.

desk never speaks SIP: the platform invites the camera and hands back the URLs its media server
(ZLMediaKit) serves. The request and response shapes relied on are written down in
resources/docs/video-platform.md; a vendor platform with other paths is a subclass that
overrides the ``_path_*`` methods or the parsing.

Every method blocks on the network (bounded by ``timeout_s``): call them off the GUI thread.
The password is sent only as its MD5 (the platform's login takes ``md5(password)``) and the
token never reaches a log.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from dataclasses import dataclass
from typing import Any

import httpx

log = logging.getLogger(__name__)


class _RedactQuery(logging.Filter):
    """httpx logs every request URL at INFO; the login's query carries the password hash."""

    def filter(self, record: logging.LogRecord) -> bool:
        if "password=" in str(record.msg) or any("password=" in str(a) for a in record.args or ()):
            record.msg = str(record.getMessage()).split("?", 1)[0] + "?… (redacted)"
            record.args = ()
        return True


logging.getLogger("httpx").addFilter(_RedactQuery())

#: Header carrying the login token (wvp's ``JwtUtils.HEADER``).
TOKEN_HEADER = "access-token"
#: wvp's ErrorCode values the adapter tells apart.
CODE_OK = 0
CODE_FAILED = 100
CODE_UNAUTHORIZED = 401
#: Answers that will not get better by retrying: bad request, no permission, unknown channel.
REFUSED_CODES = frozenset({400, 403, 404})
#: PTZ commands wvp's ``/api/front-end/ptz`` accepts.
PTZ_COMMANDS = frozenset({"left", "right", "up", "down", "upleft", "upright", "downleft",
                          "downright", "zoomin", "zoomout", "stop"})


class PlatformError(Exception):
    """The platform refused or failed a request. ``retryable`` False means asking again will
    not help (bad channel, no permission); the message is Chinese, for the user."""

    def __init__(self, message: str, *, code: int | None = None, retryable: bool = True) -> None:
        super().__init__(message)
        self.code = code
        self.retryable = retryable


@dataclass(frozen=True, slots=True)
class StreamUrls:
    """A started stream's addresses (wvp's ``StreamContent``); empty strings when not offered."""

    app: str = ""
    stream: str = ""
    rtsp: str = ""
    hls: str = ""
    flv: str = ""
    fmp4: str = ""
    rtmp: str = ""
    media_server_id: str = ""

    def best(self, prefer: str = "rtsp") -> str:
        """The preferred URL the player can open, falling back in the order RTSP, HLS, FLV,
        fMP4, RTMP."""
        order = ["rtsp", "hls", "flv", "fmp4", "rtmp"]
        if prefer in order:
            order.remove(prefer)
            order.insert(0, prefer)
        for name in order:
            url = str(getattr(self, name))
            if url:
                return url
        return ""

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StreamUrls:
        def text(key: str) -> str:
            v = data.get(key)
            if isinstance(v, dict):  # older wvp: {"url": "...", "host": ...}
                v = v.get("url")
            return str(v or "")
        return cls(text("app"), text("stream"), text("rtsp"), text("hls"), text("flv"),
                   text("fmp4"), text("rtmp"), text("mediaServerId"))


@dataclass(frozen=True, slots=True)
class PlatformChannel:
    device_id: str
    channel_id: str
    name: str
    online: bool
    lat: float | None
    lon: float | None
    ptz: bool


def _online(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value == 1
    return str(value).strip().upper() in ("ON", "ONLINE", "1", "TRUE")


def _coord(value: Any) -> float | None:
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return f if f != 0.0 else None  # wvp reports 0 for "no position"


class VideoPlatform:
    """Adapter for a wvp-GB28181-pro style HTTP API."""

    def __init__(self, base_url: str, *, username: str = "", password: str = "",
                 password_md5: str = "", timeout_s: float = 10.0, prefer: str = "rtsp",
                 transport: httpx.BaseTransport | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.username = username
        self._password_md5 = password_md5 or (
            hashlib.md5(password.encode("utf-8")).hexdigest() if password else "")
        self.timeout_s = timeout_s
        self.prefer = prefer
        self._token: str | None = None
        self._lock = threading.Lock()
        self._client = httpx.Client(base_url=self.base_url, timeout=timeout_s,
                                    transport=transport, trust_env=False)

    def close(self) -> None:
        self._client.close()

    def __repr__(self) -> str:  # no credentials in logs
        return f"VideoPlatform({self.base_url!r}, user={self.username!r})"

    # -- plumbing --

    def login(self) -> None:
        """``GET /api/user/login?username=…&password=md5`` → ``data.accessToken``."""
        if not self.username:
            self._token = None  # the platform runs without interface authentication
            return
        body = self._send("/api/user/login", {"username": self.username,
                                               "password": self._password_md5}, auth=False)
        data = body.get("data") if isinstance(body.get("data"), dict) else {}
        token = str((data or {}).get("accessToken") or "")
        if not token:
            raise PlatformError("视频平台登录失败：未返回令牌", retryable=False)
        self._token = token
        log.info("video platform %s: logged in as %s", self.base_url, self.username)

    def _send(self, path: str, params: dict[str, Any] | None = None, *,
              auth: bool = True) -> dict[str, Any]:
        headers = {TOKEN_HEADER: self._token} if auth and self._token else {}
        try:
            resp = self._client.get(path, params=params, headers=headers)
        except httpx.TimeoutException as exc:
            log.warning("video platform %s%s: timeout", self.base_url, path)
            raise PlatformError("视频平台无响应（请求超时）") from exc
        except httpx.HTTPError as exc:
            log.warning("video platform %s%s: %s", self.base_url, path, type(exc).__name__)
            raise PlatformError("无法连接视频平台") from exc
        try:
            body = resp.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            body = {"code": resp.status_code if resp.status_code >= 400 else CODE_OK,
                    "msg": "", "data": body}
        code = body.get("code", CODE_OK if resp.status_code < 400 else resp.status_code)
        if resp.status_code == 401 or code == CODE_UNAUTHORIZED:
            raise PlatformError("视频平台登录已失效", code=CODE_UNAUTHORIZED)
        if resp.status_code >= 500 and code == CODE_OK:
            code = resp.status_code
        if code != CODE_OK:
            msg = str(body.get("msg") or "未知错误")
            code_int = int(code) if isinstance(code, (int, float)) else CODE_FAILED
            log.warning("video platform %s%s: code %s %s", self.base_url, path, code_int, msg)
            raise PlatformError(f"视频平台：{msg}", code=code_int,
                                retryable=code_int not in REFUSED_CODES)
        return body

    def _call(self, path: str, params: dict[str, Any] | None = None) -> Any:
        """An authenticated call; an expired token is renewed once."""
        with self._lock:
            if self._token is None and self.username:
                self.login()
            try:
                return self._send(path, params).get("data")
            except PlatformError as exc:
                if exc.code != CODE_UNAUTHORIZED or not self.username:
                    raise
                log.info("video platform %s: token expired, logging in again", self.base_url)
                self._token = None
                self.login()
                return self._send(path, params).get("data")

    # -- the API the app uses --

    def start(self, device_id: str, channel_id: str) -> StreamUrls:
        """``GET /api/play/start/{deviceId}/{channelId}`` → StreamContent (rtsp, hls, flv…)."""
        data = self._call(f"/api/play/start/{device_id}/{channel_id}")
        if not isinstance(data, dict):
            raise PlatformError("视频平台未返回视频流信息")
        return StreamUrls.from_json(data)

    def stop(self, device_id: str, channel_id: str) -> None:
        """``GET /api/play/stop/{deviceId}/{channelId}``."""
        self._call(f"/api/play/stop/{device_id}/{channel_id}")

    def stop_quietly(self, device_id: str, channel_id: str) -> None:
        try:
            self.stop(device_id, channel_id)
        except PlatformError as exc:
            log.info("video platform: stop %s/%s failed: %s", device_id, channel_id, exc)

    def ptz(self, device_id: str, channel_id: str, command: str, speed: int = 100) -> None:
        """``GET /api/front-end/ptz/{deviceId}/{channelId}?command=…&horizonSpeed=…``."""
        if command not in PTZ_COMMANDS:
            raise PlatformError(f"不支持的云台指令：{command}", retryable=False)
        speed = max(0, min(255, int(speed)))
        self._call(f"/api/front-end/ptz/{device_id}/{channel_id}",
                   {"command": command, "horizonSpeed": speed, "verticalSpeed": speed,
                    "zoomSpeed": min(15, speed // 16)})

    def devices(self, page_size: int = 100) -> list[dict[str, Any]]:
        """``GET /api/device/query/devices?page=&count=`` → PageInfo ``{total, list}``."""
        return self._pages("/api/device/query/devices", page_size)

    def channels(self, device_id: str, page_size: int = 100) -> list[dict[str, Any]]:
        """``GET /api/device/query/devices/{deviceId}/channels?page=&count=``."""
        return self._pages(f"/api/device/query/devices/{device_id}/channels", page_size)

    def _pages(self, path: str, page_size: int) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        page = 1
        while True:
            data = self._call(path, {"page": page, "count": page_size})
            if not isinstance(data, dict):
                break
            rows = [r for r in data.get("list") or [] if isinstance(r, dict)]
            out.extend(rows)
            total = int(data.get("total") or 0)
            if not rows or len(out) >= total:
                break
            page += 1
        return out

    def list_channels(self) -> list[PlatformChannel]:
        """Every channel of every device, with position and online state."""
        out = []
        for dev in self.devices():
            device_id = str(dev.get("deviceId") or "")
            if not device_id:
                continue
            for ch in self.channels(device_id):
                channel_id = str(ch.get("deviceId") or ch.get("channelId") or "")
                if not channel_id:
                    continue
                out.append(PlatformChannel(
                    device_id, channel_id, str(ch.get("name") or channel_id),
                    _online(ch.get("status", ch.get("online"))),
                    _coord(ch.get("latitude")), _coord(ch.get("longitude")),
                    int(ch.get("ptzType") or 0) in (1, 4),
                ))
        return out
