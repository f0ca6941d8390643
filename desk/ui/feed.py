"""The Qt side of the runtime: drains its feed intake on the GUI thread, ticks its jobs, and
re-emits what it reports as signals panels connect to.

``FeedHub`` keeps its historic name because every panel knows it as ``ui.feed``; it does no
service work itself. The runtime (``desk.app.Runtime``) stores telemetry, routes events to their
one consumer and runs the jobs; this object only moves calls onto the GUI thread.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

from desk.app.runtime import Runtime
from desk.feeds.base import Feed, FeedBatch
from desk.store.workspace import Workspace

log = logging.getLogger(__name__)

#: How often the runtime's periodic jobs are looked at; each job keeps its own interval.
TICK_MS = 1000


class FeedHub(QObject):
    """The GUI thread's bridge to one ``Runtime``.

    Batches that arrive while the GUI thread is busy are coalesced by the runtime: the feed thread
    queues, one wake-up is posted, and the GUI thread then stores everything pending in ONE
    transaction and emits ONE ``sig_batch``.
    """

    sig_batch = Signal(object)
    """A FeedBatch the store accepted: only fixes that became a unit's position, only stored
    readings, and every event (already handed to its consuming service)."""

    sig_feed_changed = Signal(str)
    """The primary feed changed; carries its name ("" when none)."""

    sig_health = Signal(list)
    """Every job's JobHealth, after one changed."""

    sig_sync_status = Signal(object)
    """A SyncStatus after each sync cycle."""

    sig_sync_progress = Signal(int, int)
    """Initial-pull progress: (cursor, head)."""

    sig_operator_changed = Signal(object)
    """The operator on duty changed (an Operator, or None)."""

    _sig_relay = Signal()
    _sig_health_relay = Signal(list)
    _sig_status_relay = Signal(object)
    _sig_progress_relay = Signal(int, int)

    def __init__(self, source: Workspace | Runtime, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._unsubscribe: list[Any] = []
        self.runtime: Runtime
        self._sig_relay.connect(self._drain, Qt.ConnectionType.QueuedConnection)
        self._sig_health_relay.connect(self.sig_health, Qt.ConnectionType.QueuedConnection)
        self._sig_status_relay.connect(self.sig_sync_status, Qt.ConnectionType.QueuedConnection)
        self._sig_progress_relay.connect(self.sig_sync_progress, Qt.ConnectionType.QueuedConnection)
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        if isinstance(source, Runtime):
            self.attach(source)
        else:
            # A hub made before its context (tests, tools): a bare runtime over the workspace
            # until ``UiContext`` attaches the real one.
            from desk.services.context import AppContext

            self.attach(Runtime(AppContext(workspace=source), wire=False))

    def attach(self, runtime: Runtime) -> None:
        """Bridge ``runtime`` from now on (UiContext calls this with the app's runtime)."""
        for undo in self._unsubscribe:
            undo()
        self.runtime = runtime
        runtime.wakeup = self._sig_relay.emit
        self._unsubscribe = [
            runtime.on_batch(self.sig_batch.emit),
            runtime.on_health(self._sig_health_relay.emit),
            runtime.on_sync(self._sig_status_relay.emit, self._sig_progress_relay.emit),
            runtime.on_operator(self.sig_operator_changed.emit),
        ]
        if not self._timer.isActive():
            self._timer.start()

    # -- what panels and tests call --------------------------------------------------------------

    @property
    def feed(self) -> Feed | None:
        return self.runtime.primary_feed

    @property
    def batches_received(self) -> int:
        return self.runtime.batches_received

    @property
    def batches_emitted(self) -> int:
        return self.runtime.batches_ingested

    def set_feed(self, feed: Feed | None) -> None:
        """Replace the primary live feed (a drill's injects, the stream after 离线工作)."""
        self.runtime.set_primary_feed(feed)
        self.sig_feed_changed.emit(feed.name if feed else "")

    def receive(self, batch: FeedBatch) -> None:
        """A feed's sink; safe to call from any thread."""
        self.runtime.receive(batch)

    @Slot()
    def _drain(self) -> None:
        self.runtime.drain()

    def _on_batch(self, batch: FeedBatch) -> FeedBatch:
        """Ingest one batch now, on the GUI thread (what the queued wake-up does)."""
        return self.runtime.ingest(batch)

    @Slot()
    def _tick(self) -> None:
        try:
            self.runtime.tick()
        except Exception:
            log.exception("runtime tick failed")

    def shutdown(self) -> None:
        """Stop every job and ingest what already arrived (before the workspace closes)."""
        self._timer.stop()
        self.runtime.stop()
        for undo in self._unsubscribe:
            undo()
        self._unsubscribe = []
