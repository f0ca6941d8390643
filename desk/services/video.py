"""Camera video (视频监控) without Qt: which cameras are near a place, which URL plays a camera
(its own stream URL, the site's video platform, or a drill's test stream), the state of one
playback with its stall and reconnect rules, and snapshots kept as case evidence.

The Qt player (``desk.ui.video``) drives a :class:`StreamSession` with what the media backend
reports (frames, errors) and a clock; the session decides what the user is told and when to
reconnect, so the rules are tested here without a stream.

A camera's ``stream_url`` is either a URL the player opens directly (``rtsp://``, ``http(s)://``
for HLS ``.m3u8`` or HTTP-FLV ``.flv``, ``file://`` for drills) or ``gb28181:<设备编号>/<通道编号>``,
meaning "ask the video platform for this channel's stream" (see ``desk.services.video_platform``
and resources/docs/video-platform.md).
"""

from __future__ import annotations

import logging
import math
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from desk.domain.geo import LatLon, haversine_m
from desk.services.context import AppContext
from desk.store.workspace import Workspace

if TYPE_CHECKING:  # httpx is imported only when a platform is configured
    from desk.services.video_platform import PlatformChannel, StreamUrls, VideoPlatform

log = logging.getLogger(__name__)

#: Schemes the FFmpeg backend of QtMultimedia opens; anything else is refused up front.
PLAYABLE_SCHEMES = frozenset({"rtsp", "rtsps", "http", "https", "file", "rtmp", "udp"})
#: ``gb28181:<deviceId>/<channelId>``: the stream is started on the video platform.
PLATFORM_SCHEME = "gb28181"
#: Tables whose rows have a place (lat, lon) from which "nearest cameras" can be asked.
PLACE_TABLES = {"cameras": "name", "accident_cases": "place", "water_points": "name",
                "alerts": "place", "duty_posts": "name", "police_rooms": "name", "units": "call_sign"}


class VideoError(Exception):
    """A video request that cannot be served; the message is Chinese, for the user.
    ``retryable`` True: asking again later may work (camera offline, platform timeout)."""

    def __init__(self, message: str, *, retryable: bool = False) -> None:
        super().__init__(message)
        self.retryable = retryable


@dataclass(frozen=True, slots=True)
class NearbyCamera:
    """A camera with its distance to the place asked about (0 when asked for by id)."""

    id: str
    name: str
    road: str
    distance_m: float
    online: bool
    stream_url: str
    lat: float | None = None
    lon: float | None = None


def _camera(row: Any, here: LatLon | None) -> NearbyCamera:
    cid, name, road, lat, lon, online, url = row
    dist = 0.0
    if here is not None and lat is not None and lon is not None:
        dist = haversine_m(here, LatLon(lat, lon))
    return NearbyCamera(str(cid), str(name or cid), str(road or ""), dist, bool(online),
                        str(url or ""), lat, lon)


_CAMERA_COLS = "id, name, road, lat, lon, online, stream_url"


def nearest_cameras(ws: Workspace, lat: float, lon: float, n: int = 8, radius_m: float = 2000.0,
                    *, online_only: bool = False) -> list[NearbyCamera]:
    """The ``n`` cameras closest to (lat, lon) within ``radius_m`` (a bounding box first, so
    10,000 cameras cost one scan of the box, then exact distances)."""
    dlat = radius_m / 111_000.0
    dlon = radius_m / (111_000.0 * max(math.cos(math.radians(lat)), 0.1))
    sql = (f"SELECT {_CAMERA_COLS} FROM cameras "
           "WHERE lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?")
    if online_only:
        sql += " AND online = 1"
    rows = ws.db.execute(sql, [lat - dlat, lat + dlat, lon - dlon, lon + dlon]).fetchall()
    here = LatLon(lat, lon)
    cams = [_camera(r, here) for r in rows if r[3] is not None and r[4] is not None]
    cams = [c for c in cams if c.distance_m <= radius_m]
    return sorted(cams, key=lambda c: (c.distance_m, c.id))[:n]


def platform_channel(url: str) -> tuple[str, str] | None:
    """(deviceId, channelId) of a ``gb28181:`` stream reference, else None."""
    scheme, _, rest = url.strip().partition(":")
    if scheme.lower() != PLATFORM_SCHEME:
        return None
    device, _, channel = rest.strip("/").partition("/")
    if not device:
        return None
    return device, channel or device


def playability(url: str) -> str | None:
    """Why ``url`` cannot be played (Chinese, for the user), or None when worth trying."""
    if not url.strip():
        return "该摄像机未配置视频流地址"
    if platform_channel(url) is not None:
        return None
    scheme = urlsplit(url.strip()).scheme.lower()
    if scheme not in PLAYABLE_SCHEMES:
        return f"不支持的视频流协议：{scheme or '无'}（支持 RTSP/HLS/HTTP-FLV）"
    return None


def stream_kind(url: str) -> str:
    """RTSP, HLS, FLV, FILE or URL: shown beside the camera name so a dispatcher knows the path."""
    low = url.lower()
    if low.startswith(("rtsp:", "rtsps:")):
        return "RTSP"
    if ".m3u8" in low:
        return "HLS"
    if ".flv" in low:
        return "FLV"
    if low.startswith("file:"):
        return "FILE"
    return "URL"


def redact_url(text: str) -> str:
    """``rtsp://user:pass@host/…`` → ``rtsp://***@host/…``: camera URLs may carry credentials,
    and backend error texts may quote the URL."""
    return re.sub(r"//[^/@\s]+@", "//***@", text)


def with_rtsp_transport(url: str, transport: str = "tcp") -> str:
    """RTSP over TCP (interleaved) unless the URL says otherwise: UDP RTP loses packets as soon
    as a busy desk reads them late (measured here: "RTP: missed packets", grey smears). FFmpeg
    takes the lower transport from the URL's query (``?tcp`` / ``&tcp``) and strips it."""
    low = url.lower()
    if transport not in ("tcp", "udp") or not low.startswith(("rtsp:", "rtsps:")):
        return url
    query = url.rpartition("?")[2].split("&") if "?" in url else []
    if any(opt in ("tcp", "udp", "http", "multicast") for opt in query):
        return url
    return url + ("&" if "?" in url else "?") + transport


# -- one playback --------------------------------------------------------------------------------

class StreamState(StrEnum):
    IDLE = "idle"
    RESOLVING = "resolving"
    CONNECTING = "connecting"
    PLAYING = "playing"
    STALLED = "stalled"
    RECONNECTING = "reconnecting"
    FAILED = "failed"
    REFUSED = "refused"
    STOPPED = "stopped"

    @property
    def label(self) -> str:
        return _STATE_LABELS[self]


_STATE_LABELS = {
    StreamState.IDLE: "未播放",
    StreamState.RESOLVING: "正在获取视频地址",
    StreamState.CONNECTING: "正在连接",
    StreamState.PLAYING: "播放中",
    StreamState.STALLED: "画面中断",
    StreamState.RECONNECTING: "正在重连",
    StreamState.FAILED: "播放失败",
    StreamState.REFUSED: "无法播放",
    StreamState.STOPPED: "已停止",
}


@dataclass(frozen=True, slots=True)
class ReconnectPolicy:
    """When a stream counts as stalled and how long to wait before each reconnect.

    The delay doubles from ``base_s`` up to ``max_s`` (so a dead camera is not hammered, and a
    camera back after a short outage is picked up within seconds). ``max_attempts`` 0 retries
    forever: a control-room wall should come back by itself when the network does.
    """

    stall_after_s: float = 5.0
    first_frame_timeout_s: float = 20.0
    base_s: float = 1.0
    factor: float = 2.0
    max_s: float = 30.0
    max_attempts: int = 0

    def delay(self, attempt: int) -> float:
        """Wait before reconnect number ``attempt`` (1-based)."""
        return float(min(self.max_s, self.base_s * self.factor ** max(attempt - 1, 0)))

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> ReconnectPolicy:
        d = cls()
        return cls(
            stall_after_s=float(settings.get("video.stall_after_s", d.stall_after_s)),
            first_frame_timeout_s=float(settings.get("video.first_frame_timeout_s",
                                                     d.first_frame_timeout_s)),
            base_s=float(settings.get("video.reconnect_base_s", d.base_s)),
            max_s=float(settings.get("video.reconnect_max_s", d.max_s)),
            max_attempts=int(settings.get("video.reconnect_max_attempts", d.max_attempts)),
        )


@dataclass
class StreamSession:
    """The state of one camera's playback. Feed it ``connecting``/``frame``/``error`` and call
    ``tick(now)`` a few times a second; ``tick`` returns True when the player should reconnect."""

    camera_id: str
    policy: ReconnectPolicy = field(default_factory=ReconnectPolicy)
    state: StreamState = StreamState.IDLE
    message: str = ""
    frames: int = 0
    attempts: int = 0
    started_at: float | None = None
    connect_at: float | None = None
    last_frame_at: float | None = None
    first_frame_s: float | None = None
    retry_at: float | None = None
    listeners: list[Callable[[StreamSession], None]] = field(default_factory=list, repr=False)

    def _set(self, state: StreamState, message: str = "") -> None:
        changed = state is not self.state or message != self.message
        self.state, self.message = state, message
        if changed:
            for listener in list(self.listeners):
                listener(self)

    def resolving(self, now: float) -> None:
        if self.started_at is None:
            self.started_at = now
        self._set(StreamState.RESOLVING, "正在向视频平台请求视频流…")

    def connecting(self, now: float, url: str = "") -> None:
        if self.started_at is None:
            self.started_at = now
        self.connect_at = now
        self.retry_at = None
        state = StreamState.RECONNECTING if self.attempts else StreamState.CONNECTING
        kind = stream_kind(url) if url else ""
        self._set(state, f"{kind} 视频流" if not self.attempts else f"第 {self.attempts} 次重连…")

    def frame(self, now: float) -> None:
        self.frames += 1
        self.last_frame_at = now
        if self.first_frame_s is None and self.started_at is not None:
            self.first_frame_s = now - self.started_at
        if self.state is not StreamState.PLAYING:
            self.attempts = 0
            self._set(StreamState.PLAYING, "")

    def error(self, now: float, text: str, *, refused: bool = False) -> None:
        """The backend or the platform could not open the stream. A refusal (unsupported URL,
        no permission, channel unknown) is final; anything else is retried with backoff."""
        if refused:
            self.retry_at = None
            self._set(StreamState.REFUSED, text)
            return
        self._schedule(now, StreamState.FAILED, text)

    def _schedule(self, now: float, state: StreamState, text: str) -> None:
        if self.policy.max_attempts and self.attempts >= self.policy.max_attempts:
            self.retry_at = None
            self._set(state, f"{text}（已重试 {self.attempts} 次，已停止重连）")
            return
        self.attempts += 1
        wait = self.policy.delay(self.attempts)
        self.retry_at = now + wait
        self._set(state, f"{text}，{wait:.0f} 秒后重连" if wait >= 1 else f"{text}，{wait:.1f} 秒后重连")

    def stop(self) -> None:
        self.retry_at = None
        self._set(StreamState.STOPPED, "")

    def tick(self, now: float) -> bool:
        """Stall detection and due reconnects. True: the player should reconnect now."""
        if self.state is StreamState.PLAYING and self.last_frame_at is not None:
            if now - self.last_frame_at > self.policy.stall_after_s:
                self._schedule(now, StreamState.STALLED,
                               f"视频中断：{self.policy.stall_after_s:.0f} 秒未收到画面")
        elif (self.state in (StreamState.CONNECTING, StreamState.RECONNECTING)
              and self.connect_at is not None
              and now - self.connect_at > self.policy.first_frame_timeout_s):
                self._schedule(now, StreamState.FAILED, "连接超时，未收到画面")
        if self.retry_at is not None and now >= self.retry_at and self.state in (
                StreamState.STALLED, StreamState.FAILED):
            self.retry_at = None
            return True
        return False


# -- resolving a camera to a URL -----------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ResolvedStream:
    """What the player opens. ``platform`` is set when the platform started the stream, so the
    player hands it back (``VideoService.release``) when the tile closes."""

    camera_id: str
    url: str
    source: str  # "direct", "platform" or "drill"
    platform: tuple[str, str] | None = None
    urls: StreamUrls | None = None


@dataclass(frozen=True, slots=True)
class Place:
    entity: str
    entity_id: str
    lat: float
    lon: float
    label: str


class VideoService:
    """``ctx.service(VideoService)``: the one video service of the app (every panel's 视频 button
    ends here). Methods that talk to the platform block: call them off the GUI thread."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self._platform: VideoPlatform | None = None

    @property
    def ws(self) -> Workspace:
        return self.ctx.workspace

    @property
    def policy(self) -> ReconnectPolicy:
        return ReconnectPolicy.from_settings(self.ctx.settings)

    # -- the platform, when the site has one --

    @property
    def platform(self) -> VideoPlatform | None:
        """The configured platform (settings ``video.platform.url`` and credentials), or None."""
        base = str(self.ctx.settings.get("video.platform.url") or "")
        if not base:
            return None
        if self._platform is None or self._platform.base_url != base.rstrip("/"):
            from desk.services.video_platform import VideoPlatform

            self._platform = VideoPlatform(
                base,
                username=str(self.ctx.settings.get("video.platform.username") or ""),
                password=str(self.ctx.settings.get("video.platform.password") or ""),
                timeout_s=float(self.ctx.settings.get("video.platform.timeout_s", 10.0)),
                prefer=str(self.ctx.settings.get("video.platform.prefer") or "rtsp"),
            )
        return self._platform

    def set_platform(self, platform: VideoPlatform | None) -> None:
        """Use this adapter (tests, or a vendor platform with the same interface)."""
        self._platform = platform
        if platform is not None:
            self.ctx.settings["video.platform.url"] = platform.base_url

    # -- cameras and places --

    def camera(self, camera_id: str) -> NearbyCamera | None:
        row = self.ws.db.execute(f"SELECT {_CAMERA_COLS} FROM cameras WHERE id = ?",
                                 [camera_id]).fetchone()
        return None if row is None else _camera(row, None)

    def place(self, entity: str, entity_id: str) -> Place | None:
        """Where an alert, case, water point… is, to find cameras near it."""
        label_col = PLACE_TABLES.get(entity)
        if label_col is None:
            return None
        row = self.ws.db.execute(
            f"SELECT lat, lon, {label_col} FROM {entity} WHERE id = ?", [entity_id]).fetchone()
        if row is None or row[0] is None or row[1] is None:
            return None
        return Place(entity, entity_id, float(row[0]), float(row[1]), str(row[2] or entity_id))

    def cameras_for(self, entity: str, entity_id: str, n: int = 9, *,
                    online_only: bool = True, radius_m: float = 2000.0) -> list[NearbyCamera]:
        """The camera itself for ``cameras``, else the ``n`` nearest (online) cameras to it."""
        if entity == "cameras":
            cam = self.camera(entity_id)
            return [cam] if cam is not None else []
        place = self.place(entity, entity_id)
        if place is None:
            return []
        return nearest_cameras(self.ws, place.lat, place.lon, n, radius_m, online_only=online_only)

    # -- drills --

    def drill_stream(self, camera_id: str) -> str | None:
        """A drill's stand-in for a camera: settings ``video.drill_streams`` maps a camera id (or
        ``*`` for every camera) to a local file or test stream URL. Only in a drill workspace."""
        if not self.ctx.drill:
            return None
        mapping = self.ctx.settings.get("video.drill_streams") or {}
        if not isinstance(mapping, Mapping):
            return None
        url = mapping.get(camera_id) or mapping.get("*")
        return str(url) if url else None

    # -- resolving (blocking when the platform is involved) --

    def resolve(self, camera: NearbyCamera) -> ResolvedStream:
        """The URL to open for ``camera``; raises VideoError with a Chinese reason."""
        drill = self.drill_stream(camera.id)
        if drill:
            return ResolvedStream(camera.id, drill, "drill")
        url = camera.stream_url.strip()
        reason = playability(url)
        if reason is not None:
            raise VideoError(reason)
        channel = platform_channel(url)
        if channel is None:
            return ResolvedStream(camera.id, url, "direct")
        from desk.services.video_platform import PlatformError

        platform = self.platform
        if platform is None:
            raise VideoError("该摄像机经视频平台接入，但未配置视频平台地址（设置 video.platform.url）")
        try:
            urls = platform.start(*channel)
        except PlatformError as exc:
            raise VideoError(str(exc), retryable=exc.retryable) from exc
        chosen = urls.best(platform.prefer)
        if not chosen:
            platform.stop_quietly(*channel)
            raise VideoError("视频平台未返回可播放的地址（RTSP/HLS/FLV）")
        return ResolvedStream(camera.id, chosen, "platform", channel, urls)

    def release(self, stream: ResolvedStream) -> None:
        """Tell the platform the tile is closed (it stops pulling the camera). Never raises."""
        if stream.platform is not None and self.platform is not None:
            self.platform.stop_quietly(*stream.platform)

    def ptz(self, camera: NearbyCamera | str, command: str, speed: int = 100) -> None:
        """Send a PTZ command through the platform. Pass the camera itself when calling off the
        GUI thread (an id is looked up in the workspace, which belongs to the GUI thread)."""
        cam = self.camera(camera) if isinstance(camera, str) else camera
        channel = platform_channel(cam.stream_url) if cam else None
        if channel is None or self.platform is None:
            raise VideoError("该摄像机不支持云台控制（未经视频平台接入）")
        from desk.services.video_platform import PlatformError

        try:
            self.platform.ptz(*channel, command, speed)
        except PlatformError as exc:
            raise VideoError(str(exc)) from exc

    def import_channels(self, actor: str | None = None) -> int:
        """Import or refresh the camera layer from the platform's channel list (with positions).
        Returns how many camera rows were added or changed. Blocks on the network: a job off
        the GUI thread calls ``fetch_channels`` there and ``apply_channels`` on the GUI thread."""
        return self.apply_channels(self.fetch_channels(), actor)

    def fetch_channels(self) -> list[PlatformChannel]:
        """Every channel of the platform with position and state (network; any thread)."""
        from desk.services.video_platform import PlatformError

        platform = self.platform
        if platform is None:
            raise VideoError("未配置视频平台")
        try:
            return platform.list_channels()
        except PlatformError as exc:
            raise VideoError(str(exc), retryable=exc.retryable) from exc

    def apply_channels(self, channels: list[PlatformChannel], actor: str | None = None) -> int:
        """Write fetched channels into ``cameras`` (one transaction, change log); unchanged rows
        are not written. Camera ids are ``gb-<channelId>``."""
        changed = 0
        with self.ws.write(actor or self.ctx.actor, origin=self) as tx:
            for ch in channels:
                cam_id = f"gb-{ch.channel_id}"
                row: dict[str, Any] = {"name": ch.name, "online": 1 if ch.online else 0,
                       "stream_url": f"{PLATFORM_SCHEME}:{ch.device_id}/{ch.channel_id}"}
                if ch.lat is not None and ch.lon is not None:
                    row |= {"lat": ch.lat, "lon": ch.lon}
                old = tx.db.execute(
                    "SELECT name, online, stream_url, lat, lon FROM cameras WHERE id = ?",
                    [cam_id]).fetchone()
                if old is None:
                    tx.insert("cameras", {"id": cam_id, "road": "", "district": "", **row})
                    changed += 1
                else:
                    current = dict(zip(("name", "online", "stream_url", "lat", "lon"), old,
                                       strict=True))
                    patch = {k: v for k, v in row.items() if current.get(k) != v}
                    if patch:
                        tx.update("cameras", cam_id, patch)
                        changed += 1
        log.info("video platform: %d channels listed, %d cameras changed", len(channels), changed)
        return changed

    # -- snapshots as evidence --

    def snapshot_targets(self, limit: int = 30) -> list[tuple[str, str, str]]:
        """Cases a snapshot can be attached to: (entity, id, label), newest first."""
        rows = self.ws.db.execute(
            "SELECT id, case_no, place FROM accident_cases WHERE state NOT IN "
            "('closed', 'cancelled') ORDER BY reported_at DESC LIMIT ?", [limit]).fetchall()
        return [("accident_cases", str(r[0]), f"{r[1] or r[0]} {r[2] or ''}".strip()) for r in rows]

    def attach_snapshot(self, entity: str, entity_id: str, camera_id: str, png: bytes,
                        taken_at: float | None = None, *, actor: str | None = None) -> Any:
        """Keep a frame as evidence of an accident case. The file name carries the camera id and
        the time the frame was taken (本地时间), e.g. ``视频截图_cam-12_20261201-234501.png``."""
        if not png:
            raise VideoError("没有可保存的画面（尚未收到视频帧）")
        at = self.ctx.clock() if taken_at is None else taken_at
        stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(at))
        name = f"视频截图_{camera_id}_{stamp}.png"
        if entity != "accident_cases":
            raise VideoError("截图目前只能附加到事故案件")
        from desk.domain.accidents.case import EvidenceKind
        from desk.services.accidents import AccidentError, AccidentService

        try:
            return self.ctx.service(AccidentService).add_evidence(
                entity_id, png, EvidenceKind.VIDEO, filename=name, actor=actor)
        except AccidentError as exc:
            raise VideoError(str(exc)) from exc


def snapshot_camera_id(filename: str) -> str | None:
    """The camera id in a snapshot's file name (see ``attach_snapshot``)."""
    if not filename.startswith("视频截图_") or not filename.endswith(".png"):
        return None
    middle = filename[len("视频截图_"):-len(".png")]
    cam, _, _stamp = middle.rpartition("_")
    return cam or None
