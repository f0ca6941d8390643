"""FeedHub: batches from the feed thread are stored and announced once per GUI turn, coalesced."""

from __future__ import annotations

import threading
from typing import Any

from desk.domain.telemetry import UnitFix
from desk.feeds.base import FeedBatch
from desk.store import Workspace


def test_batches_are_coalesced_into_one_store_and_one_signal(demo_workspace: Workspace, qtbot: Any) -> None:
    from desk.ui.feed import FeedHub

    hub = FeedHub(demo_workspace)
    units = [r[0] for r in demo_workspace.db.execute("SELECT id FROM units LIMIT 50")]
    now = demo_workspace.db.execute("SELECT max(fix_at) FROM units").fetchone()[0] + 1
    got: list[FeedBatch] = []
    hub.sig_batch.connect(got.append)

    def produce() -> None:
        for n, uid in enumerate(units):
            hub.receive(FeedBatch(fixes=(UnitFix(uid, 34.70 + n * 1e-4, 113.60, now),)))

    t = threading.Thread(target=produce)
    t.start()
    t.join()
    assert got == []  # nothing happens on the feed's thread
    qtbot.waitUntil(lambda: sum(len(b.fixes) for b in got) == 50, timeout=5_000)
    assert len(got) == 1  # fifty batches, one GUI turn: one transaction and one signal
    assert hub.batches_received == 50
    stored = demo_workspace.db.execute(
        f"SELECT count(*) FROM units WHERE fix_at = ? AND id IN ({','.join('?' * 50)})", [now, *units]
    ).fetchone()[0]
    assert stored == 50
    hub.shutdown()
