"""Police units (警力): what they are, what state they are in, and how fresh their position is."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

#: A unit whose last fix is older than this is drawn as stale (default; configurable).
DEFAULT_STALE_AFTER_S = 120.0


def fix_is_stale(fix_at: float | None, now: float, stale_after_s: float = DEFAULT_STALE_AFTER_S) -> bool:
    """THE definition of a stale fix, used by the map, the watchdog, nearest units, dashboards and
    supervision alike: no fix at all, or one older than ``stale_after_s`` seconds."""
    return fix_at is None or now - fix_at > stale_after_s


class UnitKind(StrEnum):
    """Kinds of unit. Values are stored in the workspace; labels are what a dispatcher reads."""

    MOTORCYCLE = "motorcycle"  # 铁骑
    PATROL_CAR = "patrol_car"  # 巡逻车
    FOOT_POST = "foot_post"  # 步巡岗
    DRONE = "drone"  # 无人机

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    UnitKind.MOTORCYCLE: "铁骑",
    UnitKind.PATROL_CAR: "巡逻车",
    UnitKind.FOOT_POST: "步巡岗",
    UnitKind.DRONE: "无人机",
}


class UnitStatus(StrEnum):
    """CAD unit states. Connection/freshness is tracked separately from this (see ``is_stale``)."""

    AVAILABLE = "available"  # 在岗
    DISPATCHED = "dispatched"  # 已派
    EN_ROUTE = "en_route"  # 在途
    ON_SCENE = "on_scene"  # 到场
    RETURNING = "returning"  # 返回
    OFFLINE = "offline"  # 离线/休整

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    UnitStatus.AVAILABLE: "空闲/待命",  # not 在岗: that includes units already sent
    UnitStatus.DISPATCHED: "已派",
    UnitStatus.EN_ROUTE: "在途",
    UnitStatus.ON_SCENE: "到场",
    UnitStatus.RETURNING: "返回",
    UnitStatus.OFFLINE: "离线",
}


@dataclass(slots=True)
class Unit:
    """A unit as the map and dispatch see it. ``fix_at`` is a POSIX time of the last position."""

    id: str
    call_sign: str
    kind: UnitKind
    status: UnitStatus
    station_id: str
    lat: float | None = None
    lon: float | None = None
    heading: float | None = None
    speed_kmh: float | None = None
    fix_at: float | None = None
    device_id: str | None = None

    def is_stale(self, now: float, stale_after_s: float = DEFAULT_STALE_AFTER_S) -> bool:
        """True when the last fix is missing or older than ``stale_after_s``."""
        return fix_is_stale(self.fix_at, now, stale_after_s)
