"""desk — 交管指挥桌面, a desktop control-room application for traffic-police command centres."""

__version__ = "0.1.0"
