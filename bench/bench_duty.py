"""Duty board benchmark at 300 officers x 60 posts x 7 days: rule check after one drop
(incremental vs full re-check), board render of the week, and auto-fill of the week.

Run: python bench/bench_duty.py   (targets: check <= 5 ms, render <= 300 ms, auto-fill <= 10 s)
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from desk.domain.duty import AddAssignment, Assignment
from desk.domain.duty.model import date_start
from desk.services.context import AppContext
from desk.services.duty import DutyService
from desk.services.duty_autofill import autofill
from desk.store import Workspace
from tests.duty.factory import build_city

MON = date_start(date(2026, 11, 16))
H = 3600


def ms(xs: list[float]) -> str:
    return f"median {statistics.median(xs) * 1000:.2f} ms, max {max(xs) * 1000:.2f} ms"


def main() -> None:
    tmp = Path(tempfile.mkdtemp())
    ws = Workspace.open(tmp / "bench.sqlite")
    build_city(ws, stations=6, officers=300, posts=60)
    ctx = AppContext(workspace=ws, clock=lambda: MON + 8 * H)
    duty = ctx.service(DutyService)
    duty.ensure_defaults()
    plan = duty.open_week(MON)
    print(f"city: {len(plan.roster.officers)} officers, {len(plan.roster.posts)} posts, 7 days")

    # 1. auto-fill of the week (also gives the week a realistic roster for the other figures)
    t = time.perf_counter()
    result = autofill(plan.roster, time_limit_s=8.0)
    fill_s = time.perf_counter() - t
    plan.apply(result.edit)
    print(f"auto-fill: {fill_s:.2f} s for {result.added} assignments, "
          f"{len(result.shortfalls)} shortfalls, hard violations after: "
          f"{len(plan.checker.hard())}  (target <= 10 s; ratio to target {fill_s / 10:.2f})")

    # 2. rule check after one drop: incremental (what the board does) vs full re-check
    roster, checker = plan.roster, plan.checker
    officers = list(roster.officers.values())
    posts = [p for p in roster.posts.values()]
    inc, full = [], []
    for i in range(60):
        o = officers[(i * 7) % len(officers)]
        post = next(p for p in posts if p.station_id == o.station_id)
        a = Assignment(f"bench-{i}", o.id, post.id, MON + (i % 7) * 86400 + 17 * H,
                       MON + (i % 7) * 86400 + 19 * H)
        t = time.perf_counter()
        inverse = AddAssignment(a).apply(roster)
        checker.update()
        inc.append(time.perf_counter() - t)
        t = time.perf_counter()
        checker.full()
        full.append(time.perf_counter() - t)
        inverse.apply(roster)
        checker.update()
    print(f"rule check after one drop, incremental: {ms(inc)}  (target <= 5 ms)")
    print(f"rule check after one drop, full re-check (baseline): {ms(full)}")
    print(f"  speed-up incremental vs full: {statistics.median(full) / statistics.median(inc):.0f}x")

    # 3. board render of the week
    from PySide6.QtGui import QImage
    from PySide6.QtWidgets import QApplication

    from desk.ui.duty.timeline import DutyTimeline

    app = QApplication.instance() or QApplication([])
    tl = DutyTimeline(plan)
    tl.set_range("week")
    tl.resize(tl.sizeHint())
    renders = []
    for _ in range(5):
        img = QImage(tl.size(), QImage.Format.Format_ARGB32_Premultiplied)
        t = time.perf_counter()
        tl.render(img)
        renders.append(time.perf_counter() - t)
    bars = len(plan.roster.assignments)
    print(f"board render of the week ({tl.width()}x{tl.height()} px, {len(tl.posts)} posts, "
          f"{bars} bars): {ms(renders)}  (target <= 300 ms; ratio {statistics.median(renders) / 0.3:.2f})")
    # baseline in the same run: the refresh after an edit (verdict re-read + layout)
    t = time.perf_counter()
    tl.refresh()
    print(f"  timeline refresh (verdict re-read): {(time.perf_counter() - t) * 1000:.2f} ms")
    del app
    ws.close()


if __name__ == "__main__":
    main()
