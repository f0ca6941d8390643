"""SIGKILL the pushing process at random points, many times; restart; the central ends with every
op exactly once and nothing lost."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from desk.sync.outbox import pending_count
from tests.sync.conftest import Rig
from tests.sync.test_faults import (
    applied_op_ids,
    assert_exactly_once,
    outbox_ids,
    queue_cameras,
    sync_until_done,
)

PUSHER = """
import sys, time
from desk.store import Workspace
from desk.sync.engine import SyncEngine
from desk.sync.outbox import pending_count
from desk.sync.transport import CentralClient, TransportError
ws = Workspace.open(sys.argv[1])
engine = SyncEngine(ws, CentralClient(sys.argv[2], sys.argv[3]), batch_size=int(sys.argv[4]))
print("ready", flush=True)
while pending_count(ws):
    try:
        engine.push()
    except TransportError:
        time.sleep(0.01)
"""

ITERATIONS = 20


def test_sigkill_during_push_loses_nothing_and_duplicates_nothing(rig: Rig, tmp_path: Path) -> None:
    ws = rig.workspace("ws-k")
    engine = rig.engine(ws)
    engine.sync_once()
    queue_cameras(ws, 4500)
    ops = outbox_ids(ws)
    script = tmp_path / "pusher.py"
    script.write_text(PUSHER)
    rig.proc.faults(delay_s=0.01)
    rng = random.Random(20)
    killed_mid_push = 0
    for _ in range(ITERATIONS):
        before = pending_count(ws)
        if before == 0:
            break
        proc = subprocess.Popen(
            [sys.executable, str(script), str(ws.path), rig.url, engine.client.token,
             str(rng.choice((10, 25, 50, 100)))],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=os.environ.copy(),
        )
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == b"ready"
        time.sleep(rng.uniform(0.02, 0.3))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        after = pending_count(ws)
        if 0 < after < before:
            killed_mid_push += 1
    assert killed_mid_push >= 5, "the kills should land in the middle of pushes"
    rig.proc.faults()
    # A restarted app finishes the queue.
    sync_until_done(engine)
    assert_exactly_once(rig, ws, ops, 4500)
    assert applied_op_ids(Path(rig.proc.db)) >= ops
