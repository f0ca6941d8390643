"""Live fan-out between desk-central nodes over NATS, so a desk on node B sees a fix ingested at A.

Every ``batch`` a node publishes to its own stream hub (fixes, readings, alerts, change notices) is
also published on the NATS subject ``desk.stream.<ns>`` with the node's id; every node delivers
what other nodes publish to its own subscribers. The bus runs its own asyncio loop on one thread:
publishing from an endpoint's worker thread only hands the message over and never waits, so
ingest commits whether NATS is up or not (what cannot be sent while NATS is down is counted and
dropped; desks fill such a gap from ``/history`` and ``/changes``). nats-py reconnects by itself;
a first connection that fails is retried every two seconds.

Enabled by ``DESK_CENTRAL_NATS_URL`` (e.g. ``nats://127.0.0.1:4222``); without it a node keeps
its in-process hub only. Plain NATS subjects are used (no JetStream stream yet), so a node that
was cut off from NATS does not replay what it missed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
import uuid
from collections.abc import Callable
from typing import Any

from desk.central.stream import StreamHub

log = logging.getLogger(__name__)

SUBJECT = "desk.stream"
ENV = "DESK_CENTRAL_NATS_URL"


class NatsBus:
    """Bridges one node's ``StreamHub`` to NATS (see module docstring)."""

    def __init__(self, url: str, hub: StreamHub, *, node: str | None = None) -> None:
        self.url = url
        self.hub = hub
        self.node = node or uuid.uuid4().hex[:12]
        self.sent = 0
        self.received = 0
        self.dropped = 0
        self._local: Callable[[str, dict[str, Any]], None] = hub.publish
        self._loop = asyncio.new_event_loop()
        self._nc: Any = None
        self._ready = threading.Event()
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="desk-central-nats", daemon=True)

    def start(self) -> NatsBus:
        # Every publish on this node goes to local subscribers and to the bus.
        self.hub.publish = self.publish  # type: ignore[method-assign]
        self._thread.start()
        return self

    @property
    def connected(self) -> bool:
        return bool(self._nc is not None and self._nc.is_connected)

    def wait_connected(self, timeout: float) -> bool:
        return self._ready.wait(timeout)

    def publish(self, ns: str, payload: dict[str, Any]) -> None:
        self._local(ns, payload)
        if not self.connected:
            self.dropped += 1
            return
        data = json.dumps({"node": self.node, "ns": ns, "payload": payload},
                          ensure_ascii=False, separators=(",", ":")).encode()
        with contextlib.suppress(RuntimeError):  # the loop is closing: the process is leaving
            asyncio.run_coroutine_threadsafe(self._send(f"{SUBJECT}.{ns}", data), self._loop)

    async def _send(self, subject: str, data: bytes) -> None:
        try:
            await self._nc.publish(subject, data)
            self.sent += 1
        except Exception as exc:
            self.dropped += 1
            log.debug("nats publish failed: %s", exc)

    async def _on_message(self, msg: Any) -> None:
        try:
            doc = json.loads(msg.data)
        except ValueError:
            log.warning("nats: a message that is not JSON on %s", msg.subject)
            return
        if not isinstance(doc, dict) or doc.get("node") == self.node:
            return  # our own, already delivered locally
        ns, payload = doc.get("ns"), doc.get("payload")
        if isinstance(ns, str) and isinstance(payload, dict):
            self.received += 1
            self._local(ns, payload)

    async def _connect(self) -> None:
        import nats

        while not self._stopping:
            try:
                self._nc = await nats.connect(
                    self.url, name=f"desk-central-{self.node}", max_reconnect_attempts=-1,
                    reconnect_time_wait=1, connect_timeout=2,
                    disconnected_cb=self._disconnected, reconnected_cb=self._reconnected)
                await self._nc.subscribe(f"{SUBJECT}.>", cb=self._on_message)
                log.info("nats bus connected (%s) as node %s", self.url, self.node)
                self._ready.set()
                return
            except Exception as exc:
                log.warning("nats bus: cannot connect to %s (%s); retrying", self.url, exc)
                await asyncio.sleep(2.0)

    async def _disconnected(self) -> None:
        log.warning("nats bus disconnected; live fan-out to other nodes paused")

    async def _reconnected(self) -> None:
        log.info("nats bus reconnected")

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(self._connect())
        if not self._stopping:
            self._loop.run_forever()

    def stop(self) -> None:
        self._stopping = True
        if self._nc is not None:
            with contextlib.suppress(Exception):
                asyncio.run_coroutine_threadsafe(self._nc.drain(), self._loop).result(5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        self.hub.publish = self._local  # type: ignore[method-assign,assignment]
