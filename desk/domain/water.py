"""Monitored water points (积水监测点) and their depth thresholds."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class WaterPointKind(StrEnum):
    ROAD = "road"  # 道路积水点
    TUNNEL = "tunnel"  # 下穿隧道
    BRIDGE_CULVERT = "bridge_culvert"  # 桥涵
    DITCH = "ditch"  # 明沟
    RIVER = "river"  # 河道
    RESERVOIR = "reservoir"  # 水库

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    WaterPointKind.ROAD: "道路积水点",
    WaterPointKind.TUNNEL: "隧道",
    WaterPointKind.BRIDGE_CULVERT: "桥涵",
    WaterPointKind.DITCH: "明沟",
    WaterPointKind.RIVER: "河道",
    WaterPointKind.RESERVOIR: "水库",
}


@dataclass(frozen=True, slots=True)
class DepthThresholds:
    """Depths in cm at which a point is a caution, a warning, and a road to close."""

    caution_cm: float
    warning_cm: float
    close_cm: float

    def __post_init__(self) -> None:
        if not (0 < self.caution_cm < self.warning_cm < self.close_cm):
            raise ValueError("阈值须满足 0 < 注意 < 警告 < 封闭")


#: Defaults from FACTS.md (15/25/40 cm); tunnels and underpasses get lower ones because a car
#: stalls in less water on a dipping road.
ROAD_DEFAULT = DepthThresholds(15, 25, 40)
TUNNEL_DEFAULT = DepthThresholds(10, 15, 25)


def default_thresholds(kind: WaterPointKind) -> DepthThresholds:
    if kind in (WaterPointKind.TUNNEL, WaterPointKind.BRIDGE_CULVERT):
        return TUNNEL_DEFAULT
    if kind in (WaterPointKind.RIVER, WaterPointKind.RESERVOIR):
        # Rivers and reservoirs report a level above a reference, not a depth on a road.
        return DepthThresholds(100, 200, 300)
    return ROAD_DEFAULT
