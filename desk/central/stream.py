"""The live stream hub: fan-out of telemetry, alerts and change notices to server-sent-event clients.

Publishers run on worker threads (FastAPI runs plain ``def`` endpoints in a thread pool); each
subscriber owns an asyncio queue on the event loop, so ``publish`` hands messages over with
``call_soon_threadsafe``. A subscriber that falls behind loses messages (counted), never blocks
ingest.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

QUEUE_SIZE = 1000


@dataclass(eq=False, slots=True)
class _Subscriber:
    ns: str
    loop: asyncio.AbstractEventLoop
    queue: asyncio.Queue[str]
    dropped: int = 0


class StreamHub:
    def __init__(self) -> None:
        self._subs: list[_Subscriber] = []
        self._lock = threading.Lock()
        self.dropped = 0

    @property
    def subscriber_count(self) -> int:
        with self._lock:
            return len(self._subs)

    def publish(self, ns: str, payload: dict[str, Any]) -> None:
        """Send one ``batch`` event (``{"fixes": [...], "readings": [...], "events": [...]}``)."""
        with self._lock:
            subs = [s for s in self._subs if s.ns == ns]
        if not subs:
            return
        message = "event: batch\ndata: " + json.dumps(payload, ensure_ascii=False,
                                                     separators=(",", ":")) + "\n\n"
        for sub in subs:
            # A closing loop raises RuntimeError: that subscriber is going away anyway.
            with contextlib.suppress(RuntimeError):
                sub.loop.call_soon_threadsafe(self._offer, sub, message)

    def _offer(self, sub: _Subscriber, message: str) -> None:
        try:
            sub.queue.put_nowait(message)
        except asyncio.QueueFull:
            sub.dropped += 1
            self.dropped += 1

    async def events(self, ns: str, heartbeat_s: float) -> AsyncIterator[str]:
        """The SSE text of one subscription; ends when the client goes away (cancellation)."""
        sub = _Subscriber(ns, asyncio.get_running_loop(), asyncio.Queue(QUEUE_SIZE))
        with self._lock:
            self._subs.append(sub)
        try:
            yield "retry: 2000\n: connected\n\n"
            while True:
                try:
                    message = await asyncio.wait_for(sub.queue.get(), timeout=heartbeat_s)
                except TimeoutError:
                    message = ": ping\n\n"
                yield message
        finally:
            with self._lock:
                self._subs.remove(sub)
            if sub.dropped:
                log.warning("stream subscriber dropped %d messages", sub.dropped)
