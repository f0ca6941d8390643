"""Runs the configured Feed and turns its batches into GUI-thread signals and stored telemetry."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt, Signal, Slot

from desk.feeds.base import Feed, FeedBatch
from desk.store.telemetry import record_telemetry
from desk.store.workspace import Workspace

log = logging.getLogger(__name__)


class FeedHub(QObject):
    """Owns the running feed. Batches arrive on the feed's thread and are relayed, queued, to the
    GUI thread, where they are stored and then announced through ``sig_batch``."""

    sig_batch = Signal(object)
    """A FeedBatch was stored in the workspace (only its accepted content is meaningful)."""

    sig_feed_changed = Signal(str)
    """The active feed changed; carries its name ("" when none)."""

    _sig_relay = Signal(object)

    def __init__(self, workspace: Workspace, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._workspace = workspace
        self._feed: Feed | None = None
        self._sig_relay.connect(self._on_batch, Qt.ConnectionType.QueuedConnection)

    @property
    def feed(self) -> Feed | None:
        return self._feed

    def set_feed(self, feed: Feed | None) -> None:
        if self._feed is not None:
            self._feed.stop()
        self._feed = feed
        if feed is not None:
            feed.start(self._sig_relay.emit)
            log.info("feed started: %s", feed.name)
        self.sig_feed_changed.emit(feed.name if feed else "")

    @Slot(object)
    def _on_batch(self, batch: FeedBatch) -> None:
        if batch.fixes or batch.readings:
            record_telemetry(self._workspace, batch.fixes, batch.readings)
        self.sig_batch.emit(batch)

    def shutdown(self) -> None:
        self.set_feed(None)
