"""The drill clock and the inject scheduler: exact times across pauses, speeds and jumps."""

from __future__ import annotations

import threading
import time

import pytest

from desk.drill import DrillClock, DrillScheduler, format_drill_time
from desk.drill.clock import DrillClockError, drill_epoch

from .conftest import FakeTime


def test_not_started_is_zero_and_paused_has_no_arrival(fake_time: FakeTime) -> None:
    clock = DrillClock(source=fake_time)
    fake_time.advance(50)
    assert clock.now() == 0.0
    assert clock.real_until(10) is None


def test_speed_changes_keep_drill_time_exact(fake_time: FakeTime) -> None:
    clock = DrillClock(source=fake_time)
    clock.start()
    fake_time.advance(10)  # 10 s at ×1
    clock.set_speed(10)
    fake_time.advance(6)  # 60 s at ×10
    assert clock.now() == pytest.approx(70.0)
    clock.set_speed(2)
    fake_time.advance(5)  # 10 s at ×2
    assert clock.now() == pytest.approx(80.0)
    assert clock.real_until(100) == pytest.approx(10.0)
    clock.set_speed(5)
    assert clock.real_until(100) == pytest.approx(4.0)


def test_pause_excludes_the_paused_span(fake_time: FakeTime) -> None:
    clock = DrillClock(source=fake_time)
    clock.start(speed=5)
    fake_time.advance(2)
    clock.pause()
    assert clock.paused
    fake_time.advance(3600)
    assert clock.now() == pytest.approx(10.0)
    clock.pause()  # idempotent
    clock.resume()
    fake_time.advance(1)
    assert clock.now() == pytest.approx(15.0)
    clock.set_speed(1)  # speed change while paused also keeps time
    clock.pause()
    clock.set_speed(10)
    fake_time.advance(100)
    assert clock.now() == pytest.approx(15.0)


def test_jump_forward_only(fake_time: FakeTime) -> None:
    clock = DrillClock(source=fake_time)
    clock.start()
    fake_time.advance(5)
    clock.jump_to(120)
    assert clock.now() == 120.0
    fake_time.advance(1)
    assert clock.now() == pytest.approx(121.0)
    with pytest.raises(DrillClockError):
        clock.jump_to(10)
    with pytest.raises(DrillClockError):
        clock.set_speed(0)


def test_inject_due_during_pause_fires_right_after_resume(fake_time: FakeTime) -> None:
    clock = DrillClock(source=fake_time)
    sched = DrillScheduler(clock, [(60.0, "A"), (61.0, "B")])
    clock.start()
    fake_time.advance(59.5)
    assert sched.poll() == []
    clock.pause()
    fake_time.advance(30)  # "A" was due at real +60 s: inside the pause
    assert sched.poll() == []
    clock.resume()
    assert sched.poll() == []  # drill time is still 59.5
    fake_time.advance(0.5)
    fired = sched.poll()
    assert [f.item for f in fired] == ["A"]
    # Fired at drill 60.0, not 90.0 (late by the pause) and not during the pause.
    assert fired[0].fired_s == pytest.approx(60.0)
    assert fired[0].lateness_ms == pytest.approx(0.0)


def test_overdue_at_pause_fires_on_resume_not_late_by_pause(fake_time: FakeTime) -> None:
    clock = DrillClock(source=fake_time)
    sched = DrillScheduler(clock, [(60.0, "A")])
    clock.start(speed=2)
    fake_time.advance(30.1)  # drill 60.2: due, but the scheduler has not run yet
    clock.pause()
    fake_time.advance(500)
    assert sched.poll() == []  # nothing fires in a pause
    clock.resume()
    fired = sched.poll()
    assert fired[0].fired_s == pytest.approx(60.2)
    assert fired[0].lateness_ms == pytest.approx(100.0)  # 0.2 drill s at ×2


def test_pause_exactly_at_due_time_boundary(fake_time: FakeTime) -> None:
    clock = DrillClock(source=fake_time)
    sched = DrillScheduler(clock, [(60.0, "A")])
    clock.start()
    fake_time.advance(60.0)
    clock.pause()
    assert sched.poll() == []
    fake_time.advance(10)
    clock.resume()
    fired = sched.poll()
    assert [f.fired_s for f in fired] == [pytest.approx(60.0)]


def test_speed_change_just_before_due(fake_time: FakeTime) -> None:
    clock = DrillClock(source=fake_time)
    sched = DrillScheduler(clock, [(100.0, "A")])
    clock.start()
    fake_time.advance(99.0)
    clock.set_speed(10)
    assert clock.real_until(100.0) == pytest.approx(0.1)
    fake_time.advance(0.1)
    fired = sched.poll()
    assert fired[0].fired_s == pytest.approx(100.0)


def test_jump_to_next_inject_fires_it_on_time(fake_time: FakeTime) -> None:
    clock = DrillClock(source=fake_time)
    sched = DrillScheduler(clock, [(300.0, "A"), (900.0, "B")])
    clock.start()
    clock.jump_to(sched.next_due() or 0)
    fired = sched.poll()
    assert [(f.item, f.fired_s, f.lateness_ms) for f in fired] == [("A", 300.0, 0.0)]
    assert sched.next_due() == 900.0


def test_wait_until_wakes_on_pause() -> None:
    """A waiting scheduler thread is woken by a clock change, not left sleeping."""
    clock = DrillClock()
    clock.start()
    woke = threading.Event()

    def waiter() -> None:
        clock.wait_until(10_000.0, cap_s=30.0)
        woke.set()

    t = threading.Thread(target=waiter)
    t.start()
    time.sleep(0.05)
    clock.pause()
    assert woke.wait(5.0)
    t.join()


def test_format_and_epoch() -> None:
    assert format_drill_time(0) == "T+00:00"
    assert format_drill_time(754) == "T+12:34"
    assert format_drill_time(3723) == "T+1:02:03"
    now = 1_750_000_000.0
    epoch = drill_epoch(None, 1200, now)
    assert epoch + 1200 <= now
    morning = drill_epoch("07:30", 1200, now)
    assert morning + 1200 <= now
    assert time.localtime(morning).tm_hour == 7 and time.localtime(morning).tm_min == 30
