"""Runs the Qt-free sync engine on a worker thread and reports to the GUI thread with signals.

The thread opens its own ``Workspace`` on the GUI workspace's file, sharing its ChangeBus, so
panels refresh after a pull exactly as after a local edit. Commands from the GUI (a person's
choice after an epoch change, a "sync now") run on the same thread, between cycles.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from desk.store.events import ChangeBus
from desk.store.workspace import Workspace
from desk.sync.backoff import Backoff
from desk.sync.engine import DecisionNeeded, SyncDecision, SyncEngine
from desk.sync.transport import AuthError, CentralClient, TransportError

log = logging.getLogger(__name__)

Command = Callable[[SyncEngine], None]


class SyncController(QObject):
    """Owns the sync thread. ``start``/``stop`` are idempotent; ``stop`` ends all network use."""

    sig_status = Signal(object)
    """A SyncStatus after each cycle (or failure)."""

    sig_progress = Signal(int, int)
    """Pull progress: (cursor, head) — drives the initial-sync progress bar."""

    def __init__(self, path: str, bus: ChangeBus, url: str, token: str, *,
                 interval: float = 5.0, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.bus = bus
        self.url = url
        self.token = token
        self.interval = interval
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._commands: queue.Queue[Command] = queue.Queue()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self.running:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._main, name="desk-sync", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                log.warning("sync thread still busy after %.0f s; it stops after this call", timeout)
            self._thread = None

    def wake(self) -> None:
        """Sync now instead of at the next interval (a local edit, a stream notice)."""
        self._wake.set()

    def resolve_decision(self, decision: SyncDecision, choice: str) -> None:
        self._commands.put(lambda engine: engine.resolve_decision(decision, choice))
        self.start()
        self.wake()

    def _main(self) -> None:
        try:
            ws = Workspace.open(self.path, bus=self.bus)
        except Exception:
            log.exception("sync worker could not open the workspace")
            return
        client = CentralClient(self.url, self.token)
        engine = SyncEngine(ws, client, backoff=Backoff())
        blocked = False
        try:
            while not self._stop.is_set():
                ran_command = False
                while True:
                    try:
                        command = self._commands.get_nowait()
                    except queue.Empty:
                        break
                    try:
                        command(engine)
                        ran_command = True
                    except Exception:
                        log.exception("sync command failed")
                if blocked and not ran_command:
                    self._wait(None)
                    continue
                blocked = False
                delay = self._cycle(engine)
                if delay is None:
                    blocked = True
                    continue
                self._wait(delay)
        finally:
            client.close()
            ws.close()

    def _wait(self, delay: float | None) -> None:
        self._wake.wait(delay)
        self._wake.clear()

    def _cycle(self, engine: SyncEngine) -> float | None:
        """One sync round; the delay before the next, or None to wait for a person."""
        try:
            report = engine.sync_once(self.sig_progress.emit)
        except TransportError as exc:
            delay = engine.backoff.next_delay(exc.retry_after)
            st = engine.status()
            st.last_error = str(exc)
            self.sig_status.emit(st)
            return delay
        except AuthError as exc:
            st = engine.status()
            st.online, st.auth_error, st.last_error = True, True, str(exc)
            self.sig_status.emit(st)
            return None
        except DecisionNeeded as exc:
            st = engine.status()
            st.online, st.decision = True, exc.decision
            self.sig_status.emit(st)
            return None
        except Exception as exc:  # a bug must not kill the thread silently
            log.exception("sync cycle failed")
            st = engine.status()
            st.last_error = f"同步出错：{exc}"
            self.sig_status.emit(st)
            return engine.backoff.next_delay()
        st = engine.status()
        st.online = True
        st.count_mismatches = report.count_mismatches
        self.sig_status.emit(st)
        return self.interval

