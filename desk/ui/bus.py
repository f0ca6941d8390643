"""Re-emits a workspace's ChangeBus on the GUI thread as a Qt signal."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal, Slot

from desk.store.events import ChangeBus, ChangeSet


class QtChangeBus(QObject):
    """Widgets connect to ``sig_changed`` instead of subscribing to the Qt-free bus directly.

    Writes may commit on worker threads; a queued connection delivers every ChangeSet on the
    thread this object lives on (the GUI thread).
    """

    sig_changed = Signal(object)
    """A ChangeSet was committed; handlers refresh only what ``changes.touches(...)`` names."""

    _sig_relay = Signal(object)

    def __init__(self, bus: ChangeBus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._relay_conn = self._sig_relay.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._unsubscribe = bus.subscribe(self._sig_relay.emit)

    @Slot(object)
    def _deliver(self, changes: ChangeSet) -> None:
        self.sig_changed.emit(changes)

    def detach(self) -> None:
        self._unsubscribe()
