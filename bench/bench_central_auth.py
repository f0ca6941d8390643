"""What an unauthenticated body costs desk-central, and what a workspace open costs by size.

    python bench/bench_central_auth.py [--mb 10] [--rounds 5] [--workspace-mb 64]

1. A real desk-central on 127.0.0.1: the time to answer a POST /ops without a token carrying a
   small body and a large one (default 10 MB). The token is checked before the body is read, so
   the ratio large/small should stay near 1 (issue 14 measured 6x when the body was parsed
   first). Same-run baseline: an authenticated small POST.
2. ``Workspace.open`` of a workspace grown to ``--workspace-mb``: the cheap check at open, and the
   full ``PRAGMA quick_check`` on demand, with the ratio between them.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from desk.central.testing import CentralProcess
from desk.store import Workspace


def cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed_post(client: httpx.Client, body: bytes, headers: dict[str, str], rounds: int,
               pid: int) -> tuple[float, float]:
    """(median wall seconds, server CPU seconds per request)."""
    times = []
    cpu0 = cpu_s(pid)
    for _ in range(rounds):
        start = time.perf_counter()
        client.post("/ops", content=body, headers={"Content-Type": "application/json", **headers})
        times.append(time.perf_counter() - start)
    return statistics.median(times), (cpu_s(pid) - cpu0) / rounds


def bench_unauthenticated(mb: float, rounds: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        proc = CentralProcess(Path(tmp) / "c.sqlite")
        token = proc.add_user("bench", "dispatcher")
        proc.start()
        try:
            small = b'{"origin":"b","ops":[]}'
            large = b'{"origin":"b","ops":[],"pad":"' + b"x" * int(mb * 1024 * 1024) + b'"}'
            assert proc.proc is not None
            pid = proc.proc.pid
            with httpx.Client(base_url=proc.url, timeout=60) as c:
                timed_post(c, small, {}, 2, pid)  # warm up
                small_s, small_cpu = timed_post(c, small, {}, rounds, pid)
                large_s, large_cpu = timed_post(c, large, {}, rounds, pid)
                auth_s, auth_cpu = timed_post(c, small, {"Authorization": f"Bearer {token}"},
                                              rounds, pid)
        finally:
            proc.stop()
    print(f"unauthenticated POST /ops, small body:   {small_s * 1000:7.2f} ms wall, "
          f"server CPU {small_cpu * 1000:6.1f} ms")
    print(f"unauthenticated POST /ops, {mb:g} MB body: {large_s * 1000:7.2f} ms wall, "
          f"server CPU {large_cpu * 1000:6.1f} ms  (CPU ratio to small "
          f"{large_cpu / max(small_cpu, 1e-3):.1f}; wall includes the client sending 10 MB)")
    print(f"authenticated POST /ops, small body:     {auth_s * 1000:7.2f} ms wall, "
          f"server CPU {auth_cpu * 1000:6.1f} ms  (baseline)")


def bench_open(mb: float) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ws.sqlite"
        Workspace.open(path).close()
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE IF NOT EXISTS bench_pad (id INTEGER PRIMARY KEY, data BLOB)")
        chunk = b"\x01" * 4000
        rows = int(mb * 1024 * 1024 / 4100)
        conn.executemany("INSERT INTO bench_pad (data) VALUES (?)", ((chunk,) for _ in range(rows)))
        conn.commit()
        conn.close()
        size = path.stat().st_size / 1024 / 1024
        small = Path(tmp) / "small.sqlite"
        Workspace.open(small).close()
        start = time.perf_counter()
        Workspace.open(small).close()
        t_small = time.perf_counter() - start
        start = time.perf_counter()
        ws = Workspace.open(path)
        t_open = time.perf_counter() - start
        start = time.perf_counter()
        ws.check_integrity()
        t_full = time.perf_counter() - start
        ws.close()
    print(f"Workspace.open of a new workspace (full check): {t_small * 1000:7.1f} ms  (baseline)")
    print(f"Workspace.open of {size:.0f} MB (cheap check): {t_open * 1000:7.1f} ms  "
          f"(ratio to baseline {t_open / t_small:.2f})")
    print(f"full quick_check on demand:            {t_full * 1000:7.1f} ms  "
          f"(ratio full/open {t_full / t_open:.1f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=float, default=10.0)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workspace-mb", type=float, default=64.0)
    args = parser.parse_args()
    bench_unauthenticated(args.mb, args.rounds)
    bench_open(args.workspace_mb)


if __name__ == "__main__":
    main()
