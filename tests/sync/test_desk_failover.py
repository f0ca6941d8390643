"""The desk with a list of central nodes (issue 15): when the first does not answer, the runtime's
sync job moves to the next, syncs there, and fills the live gap from the node's last fixes."""

from __future__ import annotations

import socket
import time
from typing import Any

from desk.app.jobs import JobState
from desk.app.runtime import Runtime
from desk.services.context import AppContext
from tests.sync.conftest import Rig, seed_city


def _dead_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"  # nothing listens there any more


def test_sync_moves_to_the_next_node_and_fills_positions(rig: Rig) -> None:
    ws = rig.workspace("desk-a", enable=False)
    seed_city(ws)
    token = rig.token("调度员甲")
    ctx = AppContext(workspace=ws, settings={"central_url": f"{_dead_url()},{rig.url}",
                                             "central_token": token})
    runtime = Runtime(ctx)
    statuses: list[Any] = []
    runtime.on_sync(statuses.append)
    runtime.start()
    try:
        job: Any = runtime.jobs["sync"]
        deadline = time.time() + 30
        while time.time() < deadline and not (statuses and (statuses[-1].online or statuses[-1].decision)):
            time.sleep(0.1)
        assert statuses and (statuses[-1].online or statuses[-1].decision is not None), statuses[-1:]
        assert job.node == rig.url.rstrip("/")
        assert runtime.job_state("sync") is not JobState.STOPPED
    finally:
        runtime.stop()
