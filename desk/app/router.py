"""The feed router: every live event kind has exactly one consumer, and an unknown kind is counted
and logged, never dropped silently."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from desk.feeds.base import FeedEvent

log = logging.getLogger(__name__)

Handler = Callable[[FeedEvent], object]


@dataclass(frozen=True, slots=True)
class Route:
    kind: str
    owner: str  # what consumes it, for the log and the test that checks every kind has one
    handler: Handler


class FeedRouter:
    """Routes ``FeedEvent`` values by ``kind``. Registering a kind twice is a programming error:
    two consumers of one kind is how the first round raised every alert twice or never."""

    def __init__(self) -> None:
        self._routes: dict[str, Route] = {}
        self.routed: Counter[str] = Counter()
        self.unknown: Counter[str] = Counter()
        self.failed: Counter[str] = Counter()

    def register(self, kind: str, owner: str, handler: Handler) -> None:
        if kind in self._routes:
            raise ValueError(f"feed event kind {kind!r} already consumed by {self._routes[kind].owner}")
        self._routes[kind] = Route(kind, owner, handler)

    @property
    def kinds(self) -> frozenset[str]:
        return frozenset(self._routes)

    def route(self, events: Iterable[FeedEvent]) -> None:
        """Hand each event to its consumer. A consumer that raises is logged with the event and
        counted; the other events of the batch still go through."""
        for event in events:
            route = self._routes.get(event.kind)
            if route is None:
                self.unknown[event.kind] += 1
                if self.unknown[event.kind] == 1 or self.unknown[event.kind] % 100 == 0:
                    log.warning("feed event of unknown kind %r (seen %d times) has no consumer: %s",
                                event.kind, self.unknown[event.kind], event.data)
                continue
            try:
                route.handler(event)
            except Exception:
                self.failed[event.kind] += 1
                log.exception("consumer %s failed on %s event %s", route.owner, event.kind, event.data)
            else:
                self.routed[event.kind] += 1
