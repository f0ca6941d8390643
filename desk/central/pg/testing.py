"""A throw-away PostgreSQL server in a temporary directory (tests and benchmarks).

``initdb`` and ``pg_ctl`` refuse to run as root, so when we are root they run as the ``postgres``
user (``runuser``) on a data directory that user owns. The server listens on a Unix socket in that
directory only (no TCP), with ``trust`` authentication for local connections, and ``fsync=off``:
it holds test data that is thrown away, never anything to keep.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

PG_BIN = Path(os.environ.get("DESK_PG_BIN", "/usr/lib/postgresql/15/bin"))


def pg_available() -> str | None:
    """Why a test PostgreSQL cannot be started here, or ``None`` when it can."""
    for tool in ("initdb", "pg_ctl", "postgres"):
        if not (PG_BIN / tool).exists():
            return f"PostgreSQL 15 not installed ({PG_BIN / tool} missing; apt-get install postgresql-15)"
    if not Path("/usr/share/postgresql/15/extension/postgis.control").exists():
        return "PostGIS not installed (apt-get install postgresql-15-postgis-3)"
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        return "running as root without runuser"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PostgresServer:
    """One PostgreSQL cluster: ``start()``, ``create_database()`` per test, ``stop()`` at the end."""

    def __init__(self, base: Path | str | None = None) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="desk-pg-", dir=base))
        self.data = self.dir / "data"
        self.port = _free_port()  # names the socket file; nothing listens on TCP
        self._as_postgres = os.geteuid() == 0
        self.template = "desk_template"

    def _run(self, *cmd: str) -> subprocess.CompletedProcess[str]:
        argv = list(cmd)
        if self._as_postgres:
            argv = ["runuser", "-u", "postgres", "--", *argv]
        done = subprocess.run(argv, check=False, capture_output=True, text=True, timeout=120)
        if done.returncode:
            raise RuntimeError(f"{Path(cmd[0]).name} failed ({done.returncode}): "
                               f"{(done.stderr or done.stdout)[-2000:]}")
        return done

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://postgres@/{dbname}?host={self.dir}&port={self.port}"

    def start(self) -> PostgresServer:
        if self._as_postgres:
            shutil.chown(self.dir, "postgres", "postgres")
        self.dir.chmod(0o755)
        self._run(str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
                  "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
        opts = (f"-c listen_addresses='' -c unix_socket_directories='{self.dir}' -p {self.port} "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                "-c max_connections=100 -c shared_buffers=64MB")
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.dir / "server.log"),
                  "-o", opts, "-w", "-t", "60", "start")
        import psycopg

        # A template with PostGIS: CREATE EXTENSION takes a second, copying a template far less.
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {self.template}")
        with psycopg.connect(self.url(self.template), autocommit=True) as conn:
            conn.execute("CREATE EXTENSION postgis")
        return self

    def create_database(self, name: str | None = None) -> str:
        """A new empty database with PostGIS; returns its URL."""
        import psycopg

        name = name or "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name} TEMPLATE {self.template} STRATEGY FILE_COPY")
        return self.url(name)

    def stop(self) -> None:
        if self.data.exists():
            with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
                self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w",
                          "-t", "30", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> PostgresServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

