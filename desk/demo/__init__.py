"""The demo city: the offline Zhengzhou basemap and a seeded generator that fills a workspace."""

from desk.demo.basemap import Basemap, BasemapError, load_basemap
from desk.demo.city import DEFAULT_SEED, DemoCitySpec, DemoCitySummary, generate_demo_city

__all__ = [
    "DEFAULT_SEED",
    "Basemap",
    "BasemapError",
    "DemoCitySpec",
    "DemoCitySummary",
    "generate_demo_city",
    "load_basemap",
]
