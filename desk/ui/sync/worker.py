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
                 ns: str = "live", verify: bool | str = True, interval: float = 5.0,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ns = ns
        self.verify = verify
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
        # Fresh events per thread: a thread told to stop (and perhaps still finishing a request)
        # never picks up a later start's signals.
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._main, args=(self._stop, self._wake),
                                        name="desk-sync", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0, *, wait: bool = True) -> None:
        """Stop syncing. With ``wait=False`` (the 离线工作 switch) the GUI does not wait for a
        request in flight; the thread makes no further request and ends by itself."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None and wait:
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

    def _main(self, stop: threading.Event, wake: threading.Event) -> None:
        try:
            ws = Workspace.open(self.path, bus=self.bus)
        except Exception:
            log.exception("sync worker could not open the workspace")
            return
        client = CentralClient(self.url, self.token, verify=self.verify)
        engine = SyncEngine(ws, client, ns=self.ns, backoff=Backoff())
        engine.cancel = stop
        blocked = False
        try:
            while not stop.is_set():
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
                    _wait(wake, None)
                    continue
                blocked = False
                delay = self._cycle(engine)
                if delay is None:
                    blocked = True
                    continue
                _wait(wake, delay)
        finally:
            client.close()
            ws.close()

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



def _wait(wake: threading.Event, delay: float | None) -> None:
    wake.wait(delay)
    wake.clear()
