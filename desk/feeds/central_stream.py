"""The desk-central live stream as a Feed: server-sent events turned into FeedBatches.

Runs on its own thread; reconnects with backoff and jitter when the central goes away. A
``sync.changed`` event from the central is passed on as a FeedEvent, so the sync worker can pull
at once instead of waiting for its next round.
"""

from __future__ import annotations

import json
import logging
import threading
from typing import Any

import httpx

from desk.domain.telemetry import SensorReading, UnitFix
from desk.feeds.base import FeedBatch, FeedEvent, FeedSink
from desk.sync.backoff import Backoff
from desk.sync.transport import tls_verify

log = logging.getLogger(__name__)


def parse_batch(data: dict[str, Any]) -> FeedBatch:
    """A ``batch`` event's JSON as a FeedBatch (fixes and readings travel as compact arrays)."""
    fixes = tuple(
        UnitFix(str(f[0]), float(f[1]), float(f[2]), float(f[3]),
                heading=None if f[4] is None else float(f[4]),
                speed_kmh=None if f[5] is None else float(f[5]))
        for f in data.get("fixes", ())
    )
    readings = tuple(
        SensorReading(str(r[0]), float(r[1]),
                      depth_cm=None if r[2] is None else float(r[2]),
                      rain_mm=None if r[3] is None else float(r[3]))
        for r in data.get("readings", ())
    )
    events = tuple(
        FeedEvent(str(e["kind"]), float(e["at"]), dict(e.get("data") or {}))
        for e in data.get("events", ())
    )
    return FeedBatch(fixes, readings, events)


class CentralStreamFeed:
    """Consumes ``GET /stream`` of a desk-central. ``connected`` tells whether it is attached."""

    def __init__(self, url: str, token: str, *, ns: str = "live", read_timeout: float = 45.0,
                 backoff: Backoff | None = None, verify: bool | str = True) -> None:
        self.name = f"中心实时流 {url}"
        self.url = url.rstrip("/")
        self.token = token
        self.ns = ns
        self.read_timeout = read_timeout
        self.verify = verify
        self.backoff = backoff or Backoff(base=0.5, cap=30.0)
        self.connected = False
        self.batches = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._response: httpx.Response | None = None
        self._lock = threading.Lock()

    def start(self, sink: FeedSink) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, args=(sink,), name="central-stream",
                                        daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        with self._lock:
            response = self._response
        if response is not None:
            # Closing the response wakes a read blocked on the socket.
            try:
                response.close()
            except Exception:
                log.debug("closing the stream response failed", exc_info=True)
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def _run(self, sink: FeedSink) -> None:
        timeout = httpx.Timeout(10.0, read=self.read_timeout)
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "text/event-stream"}
        while not self._stop.is_set():
            try:
                with httpx.Client(timeout=timeout, verify=tls_verify(self.verify)) as client, client.stream(
                    "GET", self.url + "/stream", params={"ns": self.ns}, headers=headers
                ) as response:
                    if response.status_code in (401, 403):
                        log.error("central stream refused (HTTP %s); not retrying",
                                  response.status_code)
                        return
                    response.raise_for_status()
                    with self._lock:
                        self._response = response
                    self.connected = True
                    self.backoff.reset()
                    self._read(response, sink)
            except (httpx.HTTPError, OSError, ValueError) as exc:
                if self._stop.is_set():
                    break
                log.info("central stream lost: %s", exc)
            finally:
                self.connected = False
                with self._lock:
                    self._response = None
            if self._stop.wait(self.backoff.next_delay()):
                break

    def _read(self, response: httpx.Response, sink: FeedSink) -> None:
        event = "message"
        data: list[str] = []
        for line in response.iter_lines():
            if self._stop.is_set():
                return
            if not line:
                if data and event == "batch":
                    try:
                        batch = parse_batch(json.loads("\n".join(data)))
                    except (ValueError, KeyError, TypeError, IndexError) as exc:
                        log.warning("bad stream event skipped: %s", exc)
                    else:
                        if batch:
                            self.batches += 1
                            sink(batch)
                event, data = "message", []
            elif line.startswith(":"):
                continue
            elif line.startswith("event:"):
                event = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].lstrip())
