"""Runs the configured Feed and turns its batches into GUI-thread signals and stored telemetry."""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject, Qt, Signal, Slot

from desk.feeds.base import Feed, FeedBatch
from desk.store.telemetry import record_telemetry
from desk.store.workspace import Workspace

log = logging.getLogger(__name__)


class FeedHub(QObject):
    """Owns the running feed. Batches arrive on the feed's thread and are relayed, queued, to the
    GUI thread, where they are stored and then announced through ``sig_batch``.

    Batches that arrive while the GUI thread is busy are coalesced: the feed thread appends to a
    pending list and posts one queued call only when none is outstanding, and the GUI thread then
    stores everything pending in ONE transaction and emits ONE ``sig_batch``. A stream that sends
    a fix per message (the central's) would otherwise queue thousands of events and transactions
    a second; with coalescing the cost follows the GUI's pace, not the sender's.
    """

    sig_batch = Signal(object)
    """A FeedBatch was stored in the workspace (only its accepted content is meaningful)."""

    sig_feed_changed = Signal(str)
    """The active feed changed; carries its name ("" when none)."""

    _sig_relay = Signal()

    def __init__(self, workspace: Workspace, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._workspace = workspace
        self._feed: Feed | None = None
        self._lock = threading.Lock()
        self._pending: list[FeedBatch] = []
        self._scheduled = False
        self.batches_received = 0
        self.batches_emitted = 0
        self._sig_relay.connect(self._drain, Qt.ConnectionType.QueuedConnection)

    @property
    def feed(self) -> Feed | None:
        return self._feed

    def set_feed(self, feed: Feed | None) -> None:
        if self._feed is not None:
            self._feed.stop()
        self._feed = feed
        if feed is not None:
            feed.start(self.receive)
            log.info("feed started: %s", feed.name)
        self.sig_feed_changed.emit(feed.name if feed else "")

    def receive(self, batch: FeedBatch) -> None:
        """The feed's sink; safe to call from any thread."""
        with self._lock:
            self._pending.append(batch)
            self.batches_received += 1
            if self._scheduled:
                return
            self._scheduled = True
        self._sig_relay.emit()

    @Slot()
    def _drain(self) -> None:
        with self._lock:
            batches, self._pending = self._pending, []
            self._scheduled = False
        if not batches:
            return
        batch = batches[0] if len(batches) == 1 else FeedBatch(
            tuple(f for b in batches for f in b.fixes),
            tuple(r for b in batches for r in b.readings),
            tuple(e for b in batches for e in b.events),
        )
        self._on_batch(batch)

    @Slot(object)
    def _on_batch(self, batch: FeedBatch) -> None:
        if batch.fixes or batch.readings:
            try:
                record_telemetry(self._workspace, batch.fixes, batch.readings)
            except Exception:
                # A storage failure must not stop the live picture; the log says what was lost.
                log.exception("storing %d fixes / %d readings failed", len(batch.fixes), len(batch.readings))
        self.batches_emitted += 1
        self.sig_batch.emit(batch)

    def shutdown(self) -> None:
        self.set_feed(None)
        self._drain()
