"""The sync job: runs the Qt-free sync engine on its own thread against the configured central.

The thread opens its own ``Workspace`` on the runtime's file, sharing its ChangeBus, so panels
refresh after a pull exactly as after a local edit. Commands (a person's choice after an epoch
change) run on the same thread, between cycles. Status and progress reach the UI through
callbacks that are called on the sync thread; the Qt bridge relays them to the GUI thread.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Any

from desk.app.jobs import Job, JobState
from desk.store.events import ChangeBus
from desk.store.workspace import Workspace
from desk.sync.backoff import Backoff
from desk.sync.engine import DecisionNeeded, SyncDecision, SyncEngine, SyncStatus
from desk.sync.transport import AuthError, CentralClient, TransportError

log = logging.getLogger(__name__)

Command = Callable[[SyncEngine], None]


class SyncJob(Job):
    """Owns the sync thread. ``start``/``stop`` are idempotent; ``stop`` ends all network use."""

    def __init__(self, path: str, bus: ChangeBus, url: str, token: str, *,
                 ns: str = "live", verify: bool | str = True, interval: float = 5.0,
                 on_status: Callable[[SyncStatus], None] | None = None,
                 on_progress: Callable[[int, int], None] | None = None) -> None:
        super().__init__("sync", "与指挥中心同步")
        self.ns = ns
        self.verify = verify
        self.path = path
        self.bus = bus
        self.url = url
        self.token = token
        self.interval = interval
        self.on_status = on_status
        self.on_progress = on_progress
        self.last_status: SyncStatus | None = None
        #: The central node this desk is talking to (one of the comma-separated URLs).
        self.node = url.split(",", maxsplit=1)[0].strip()
        self._client: Any = None
        #: Called with the central's last fix of every unit after a node switch.
        self.on_fixes: Callable[[list[dict[str, Any]]], None] | None = None
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._commands: queue.Queue[Command] = queue.Queue()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> bool:
        if self.running:
            self.wanted = True
            return False
        # Fresh events per thread: a thread told to stop (and perhaps still finishing a request)
        # never picks up a later start's signals.
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._main, args=(self._stop, self._wake),
                                        name="desk-sync", daemon=True)
        self._thread.start()
        return super().start()

    def stop(self, reason: str = "", *, timeout: float = 10.0, wait: bool = True) -> bool:
        """Stop syncing. With ``wait=False`` (the 离线工作 switch) the caller does not wait for a
        request in flight; the thread makes no further request and ends by itself."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None and wait:
            self._thread.join(timeout)
            if self._thread.is_alive():
                log.warning("sync thread still busy after %.0f s; it stops after this call", timeout)
        self._thread = None
        return super().stop(reason)

    def wake(self) -> None:
        """Sync now instead of at the next interval (a local edit, a stream notice)."""
        self._wake.set()

    def resolve_decision(self, decision: SyncDecision, choice: str) -> None:
        self._commands.put(lambda engine: engine.resolve_decision(decision, choice))
        self.start()
        self.wake()

    def poll_health(self) -> bool:
        if not self.wanted:
            return False
        if self._thread is not None and not self._thread.is_alive():
            return self._set(JobState.FAILING, "同步线程已退出")
        st = self.last_status
        if st is None:
            return False
        if st.auth_error:
            return self._set(JobState.FAILING, "中心拒绝访问：" + (st.last_error or ""))
        if st.decision is not None:
            return self._set(JobState.FAILING, "等待人工确认")
        if not st.online:
            return self._set(JobState.FAILING, "中心不可达：" + (st.last_error or ""))
        return self._set(JobState.RUNNING)

    def _switched(self, old: str, new: str) -> None:
        """On the sync thread, after the failover client moved to another node."""
        log.warning("central node %s stopped answering; now on %s", old, new)
        self.node = new
        client = self._client
        if client is None or self.on_fixes is None:
            return
        try:
            fixes = client.last_fixes()
        except Exception as exc:  # the gap stays until the trackers report again
            log.warning("could not read the last fixes from %s: %s", new, exc)
            return
        self.on_fixes(fixes)

    def _emit(self, st: SyncStatus) -> None:
        self.last_status = st
        if self.on_status is not None:
            try:
                self.on_status(st)
            except Exception:
                log.exception("sync status listener failed")

    def _progress(self, done: int, total: int) -> None:
        if self.on_progress is not None:
            self.on_progress(done, total)

    def _main(self, stop: threading.Event, wake: threading.Event) -> None:
        try:
            ws = Workspace.open(self.path, bus=self.bus)
        except Exception as exc:
            log.exception("sync worker could not open the workspace")
            self._set(JobState.FAILING, f"无法打开工作区：{exc}")
            return
        urls = [u.strip() for u in self.url.split(",") if u.strip()]
        client: CentralClient
        if len(urls) > 1:
            # Several nodes of one central (issue 15): move to the next when one stops answering,
            # resume the change feed from the cursor, and fill the live gap from its history.
            from desk.sync.failover import FailoverClient

            client = FailoverClient(urls, self.token, verify=self.verify, on_switch=self._switched)
            self._client = client
        else:
            client = CentralClient(self.url, self.token, verify=self.verify)
        self.node = urls[0] if urls else self.url
        try:
            engine = SyncEngine(ws, client, ns=self.ns, backoff=Backoff())
        except Exception as exc:  # e.g. sync rules that do not match the workspace
            log.exception("sync engine could not start")
            self._set(JobState.FAILING, f"同步无法启动：{exc}")
            client.close()
            ws.close()
            return
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
            report = engine.sync_once(self._progress)
        except TransportError as exc:
            delay = engine.backoff.next_delay(exc.retry_after)
            st = engine.status()
            st.last_error = str(exc)
            self._emit(st)
            return delay
        except AuthError as exc:
            st = engine.status()
            st.online, st.auth_error, st.last_error = True, True, str(exc)
            self._emit(st)
            return None
        except DecisionNeeded as exc:
            st = engine.status()
            st.online, st.decision = True, exc.decision
            self._emit(st)
            return None
        except Exception as exc:  # a bug must not kill the thread silently
            log.exception("sync cycle failed")
            st = engine.status()
            st.last_error = f"同步出错：{exc}"
            self._emit(st)
            return engine.backoff.next_delay()
        st = engine.status()
        st.online = True
        st.count_mismatches = report.count_mismatches
        self._emit(st)
        return self.interval


def _wait(wake: threading.Event, delay: float | None) -> None:
    wake.wait(delay)
    wake.clear()
