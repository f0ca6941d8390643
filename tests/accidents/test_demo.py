"""The demo stream: volume, rush-hour peaks, each report once, valid content, and the Feed."""

from __future__ import annotations

import time
from collections import Counter

from desk.demo.accidents import AccidentDemoFeed, AccidentStream
from desk.domain.accidents import plate_problem, resident_id_problem
from desk.feeds.base import FeedBatch
from desk.services.accidents import cst_hour, local_day_start


def test_volume_and_rush_hours() -> None:
    stream = AccidentStream(seed=11)
    day0 = local_day_start(1_795_305_600.0)
    days = [stream.times_between(day0 + d * 86400, day0 + (d + 1) * 86400) for d in range(7)]
    per_day = [len(d) for d in days]
    assert 420 <= sum(per_day) / 7 <= 525, per_day
    assert len(stream.events_between(day0, day0 + 3600)) == len(
        stream.times_between(day0, day0 + 3600))
    hours = Counter(cst_hour(at) for d in days for at in d)  # the demo city's day is CST
    rush = sum(hours[h] for h in (7, 8, 17, 18)) / 4
    night = sum(hours[h] for h in (1, 2, 3, 4)) / 4
    midday = sum(hours[h] for h in (11, 12, 13, 14)) / 4
    assert rush > 1.5 * midday > 1.5 * night


def test_windows_yield_each_report_once_and_reports_are_valid() -> None:
    stream = AccidentStream(seed=3)
    start = local_day_start(1_795_305_600.0) + 7 * 3600
    whole = stream.events_between(start, start + 3600)
    parts = []
    t = start
    while t < start + 3600:
        parts += stream.events_between(t, t + 137.0)
        t += 137.0
    parts = [e for e in parts if e.at < start + 3600]
    assert [e.data["case_key"] for e in parts] == [e.data["case_key"] for e in whole]
    assert len({e.data["case_key"] for e in whole}) == len(whole) > 5
    for e in whole:
        assert all(resident_id_problem(p["id_number"]) is None for p in e.data["parties"])
        # 非机动车 riders (第19条) carry no plate; every motor vehicle has a valid one.
        assert all(plate_problem(p["plate"]) is None for p in e.data["parties"] if "plate" in p)
        assert e.data["occurred_at"] < e.data["reported_at"]  # accident time, not report time
        assert e.data["collision_form"]  # 事故形态 apart from the 情形 (accident_type)
        assert {x["kind"] for x in e.data["evidence"]} == {"front_side", "rear_side",
                                                          "collision_point"}
        assert e.data["evidence"][0]["content"].startswith(b"\x89PNG")


def test_feed_thread_delivers_and_stops() -> None:
    got: list[FeedBatch] = []
    # A day compressed 20,000-fold: about 1 report per 9 ms of real time.
    feed = AccidentDemoFeed(AccidentStream(seed=5), tick_s=0.02, speedup=20_000.0)
    feed.start(got.append)
    deadline = time.monotonic() + 5.0
    while not got and time.monotonic() < deadline:
        time.sleep(0.02)
    feed.stop()
    assert got and all(e.kind == "accident.report" for b in got for e in b.events)
    assert feed._thread is None
