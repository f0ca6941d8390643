"""Run a real desk-central in a subprocess on 127.0.0.1 (tests and benchmarks).

The process is the same ``desk-central serve`` a deployment runs, with fault injection enabled,
so tests exercise the real HTTP stack, the real SQLite file and real process restarts.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from desk.central.stores import open_store


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class CentralProcess:
    """A desk-central subprocess. ``start``/``stop``/``kill`` keep the same port and database."""

    def __init__(self, db: Path | str, *, port: int | None = None, heartbeat: float = 15.0,
                 test_mode: bool = True, log_path: Path | str | None = None,
                 log_level: str = "warning", extra_args: tuple[str, ...] = ()) -> None:
        self.db = str(db)
        self.log_level = log_level
        self.extra_args = extra_args
        self.port = port or free_port()
        self.heartbeat = heartbeat
        self.test_mode = test_mode
        self.log_path = Path(log_path) if log_path else Path(str(db) + ".log")
        self.proc: subprocess.Popen[bytes] | None = None
        # Create the schema (and epoch) before the server so tokens can be issued at once.
        open_store(self.db).close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def add_user(self, name: str, role: str, station: str | None = None,
                 workstation: str = "", *, unit_id: str | None = None,
                 expires_at: float | None = None) -> str:
        """Issue a token straight in the database (``unit_id``: a device's unit, ``"*"`` a
        gateway)."""
        store = open_store(self.db)
        try:
            return store.add_user(name, role, station, workstation, unit_id=unit_id,
                                  expires_at=expires_at)
        finally:
            store.close()

    def start(self, timeout: float = 60.0) -> CentralProcess:
        cmd = [sys.executable, "-m", "desk.central.cli", "serve", "--db", self.db,
               "--port", str(self.port), "--log-level", self.log_level,
               "--heartbeat", str(self.heartbeat), *self.extra_args]
        if self.test_mode:
            cmd.append("--test-mode")
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT,
                                     env={**os.environ, "PYTHONUNBUFFERED": "1"})
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"desk-central exited: {self.log_path.read_text()[-2000:]}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(self.url + "/health", timeout=1.0).status_code == 200:
                    return self
            time.sleep(0.05)
        self.kill()
        raise RuntimeError("desk-central did not start in time")

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def kill(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.proc = None

    def faults(self, **settings: Any) -> None:
        """Slow or failing answers (see ``desk.central.app.FaultsIn``); ``faults()`` clears."""
        httpx.post(self.url + "/_test/faults", json=settings, timeout=5.0).raise_for_status()

    def __enter__(self) -> CentralProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
