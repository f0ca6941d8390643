"""Journey 4 (issue 12): the live map shows what the store holds. A fix the store refused (5 km
accuracy, NaN) and a late fix older than the stored one never move the marker, through the real
path: a feed thread's sink, the runtime's intake, the store, the page."""

from __future__ import annotations

import threading
from typing import Any

from desk.domain.telemetry import UnitFix
from desk.feeds.base import FeedBatch
from tests.map.conftest import run_js, wait_js


def _send_from_a_thread(ui_context: Any, batch: FeedBatch) -> None:
    t = threading.Thread(target=ui_context.feed.receive, args=(batch,))
    t.start()
    t.join()


def test_refused_and_older_fixes_do_not_move_the_marker(map_panel: Any, ui_context: Any, qtbot: Any) -> None:
    data = map_panel.live.data
    uid, other = data.index["units"].ids[5], data.index["units"].ids[6]
    i, j = data.index["units"].pos[uid], data.index["units"].pos[other]
    now = ui_context.app.clock()
    good = UnitFix(uid, 34.77777, 113.66666, now - 1, 90.0)
    _send_from_a_thread(ui_context, FeedBatch(fixes=(good,)))
    wait_js(qtbot, map_panel.view, f"deskMap.unitAt({i})", lambda u: abs(u["lat"] - 34.77777) < 1e-9)

    emitted = ui_context.feed.batches_emitted
    refused = UnitFix(uid, 34.70001, 113.60001, now, 0.0, accuracy_m=5000.0)
    late = UnitFix(uid, 34.71002, 113.61002, now - 300, 0.0)
    nan = UnitFix(uid, float("nan"), 113.6, now, 0.0)
    _send_from_a_thread(ui_context, FeedBatch(fixes=(refused, late, nan)))
    qtbot.waitUntil(lambda: ui_context.feed.batches_emitted > emitted, timeout=10_000)
    # A later, good fix of another unit proves the page has processed everything sent after.
    _send_from_a_thread(ui_context, FeedBatch(fixes=(UnitFix(other, 34.73333, 113.63333, now, 0.0),)))
    wait_js(qtbot, map_panel.view, f"deskMap.unitAt({j})", lambda u: abs(u["lat"] - 34.73333) < 1e-9)

    marker = run_js(qtbot, map_panel.view, f"deskMap.unitAt({i})")
    stored = ui_context.workspace.db.execute("SELECT lat, lon, fix_at FROM units WHERE id = ?", [uid]).fetchone()
    assert (marker["lat"], marker["lon"]) == (34.77777, 113.66666)
    assert stored == (34.77777, 113.66666, now - 1)
