"""The feed interface: anything that produces live telemetry for the app implements ``Feed``.

A feed runs on its own thread (or timer) and hands ``FeedBatch`` values to a sink. The app's Qt
adapter (``desk.ui.feed``) marshals batches onto the GUI thread, stores them through
``desk.store.telemetry`` and forwards deltas to the map; the app never cares which feed it is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from desk.domain.telemetry import SensorReading, UnitFix


@dataclass(frozen=True, slots=True)
class FeedEvent:
    """Anything that is not a position or a reading: an alert, a unit status change, a camera
    going offline, a drill message. ``kind`` is a dotted name such as ``unit.status`` or
    ``camera.online``; ``data`` carries its fields."""

    kind: str
    at: float
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class FeedBatch:
    fixes: tuple[UnitFix, ...] = ()
    readings: tuple[SensorReading, ...] = ()
    events: tuple[FeedEvent, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.fixes or self.readings or self.events)


FeedSink = Callable[[FeedBatch], None]


class Feed(Protocol):
    """A source of live telemetry. ``start`` must return quickly; batches arrive on any thread."""

    name: str

    def start(self, sink: FeedSink) -> None: ...

    def stop(self) -> None: ...
