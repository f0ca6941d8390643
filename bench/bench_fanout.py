"""Live fan-out latency between two desk-central nodes over NATS (one PostgreSQL), p50/p99.

    python bench/bench_fanout.py [--rate 2000] [--seconds 10] [--batch 200]

A tracker gateway posts batches of fixes to node A at ``--rate`` positions/s; one desk stream is
subscribed to node B (over NATS) and one to node A itself (same node: the baseline in the same
run). Latency is the time from posting a batch to its fixes arriving on the stream. Issue 15
asks for the figure at 20,000 positions/s; print what this machine sustains.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import socket
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import httpx

from desk.central.pg.store import PostgresCentralStore
from desk.central.pg.testing import PostgresServer
from desk.central.testing import CentralProcess


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Listener(threading.Thread):
    def __init__(self, url: str, token: str, sent: dict[float, float]) -> None:
        super().__init__(daemon=True)
        self.url, self.token, self.sent = url, token, sent
        self.latencies: list[float] = []
        self.ready = threading.Event()

    def run(self) -> None:
        headers = {"Authorization": f"Bearer {self.token}"}
        with contextlib.suppress(httpx.HTTPError):  # the node stops at the end of the run
            self._read(headers)

    def _read(self, headers: dict[str, str]) -> None:
        with httpx.stream("GET", self.url + "/stream", headers=headers, timeout=60) as res:
            for line in res.iter_lines():
                if line.startswith(": connected"):
                    self.ready.set()
                if line.startswith("data: "):
                    now = time.perf_counter()
                    for fix in json.loads(line[6:]).get("fixes", []):
                        t = self.sent.get(fix[3])
                        if t is not None and fix[0] == "U00000":
                            self.latencies.append(now - t)


def pct(values: list[float], p: float) -> float:
    return sorted(values)[min(len(values) - 1, int(len(values) * p))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--batch", type=int, default=200)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-fanout-"))
    exe = shutil.which("nats-server")
    assert exe, "nats-server not installed"
    port = free_port()
    nats = subprocess.Popen([exe, "-js", "-a", "127.0.0.1", "-p", str(port), "-sd", str(tmp)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.environ["DESK_CENTRAL_NATS_URL"] = f"nats://127.0.0.1:{port}"
    with PostgresServer() as pg:
        url = pg.create_database()
        store = PostgresCentralStore(url)
        store.bulk_load("live", "units", [{"id": f"U{i:05d}", "call_sign": f"巡{i}",
                                           "status": "idle"} for i in range(args.batch)])
        store.close()
        a = CentralProcess(url, test_mode=False, log_path=tmp / "a.log")
        b = CentralProcess(url, test_mode=False, log_path=tmp / "b.log")
        gateway = a.add_user("网关", "device", unit_id="*")
        desk = a.add_user("调度员", "dispatcher")
        with a, b:
            time.sleep(2.0)  # both buses connected
            sent: dict[float, float] = {}
            on_b, on_a = Listener(b.url, desk, sent), Listener(a.url, desk, sent)
            for listener in (on_b, on_a):
                listener.start()
                listener.ready.wait(10)
            client = httpx.Client(base_url=a.url, timeout=30,
                                  headers={"Authorization": f"Bearer {gateway}"})
            interval = args.batch / args.rate
            end = time.perf_counter() + args.seconds
            posted = 0
            next_at = time.perf_counter()
            while time.perf_counter() < end:
                at = round(time.time(), 6)
                fixes = [{"unit_id": f"U{i:05d}", "lat": 30.6, "lon": 114.3, "at": at}
                         for i in range(args.batch)]
                sent[at] = time.perf_counter()
                client.post("/telemetry", json={"fixes": fixes}).raise_for_status()
                posted += args.batch
                next_at += interval
                time.sleep(max(0.0, next_at - time.perf_counter()))
            took = args.seconds
            time.sleep(2.0)
            client.close()
            achieved = posted / took
            for name, listener in (("desk on node B (via NATS)", on_b),
                                   ("desk on node A (same node)", on_a)):
                lat = listener.latencies
                if not lat:
                    print(f"{name}: nothing received")
                    continue
                print(f"{name}: {len(lat)} batches, p50 {pct(lat, 0.5):.1f} ms, "
                      f"p99 {pct(lat, 0.99):.1f} ms, mean {statistics.mean(lat) * 1000:.1f} ms")
            print(f"offered {args.rate:,} positions/s, achieved {achieved:,.0f} positions/s "
                  f"(issue target 20,000/s)")
    nats.terminate()
    nats.wait()
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
