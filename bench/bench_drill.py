"""Benchmark: inject firing lateness of the drill scheduler against a naive 1-second polling loop.

The target (issue 8): a 2-hour scenario with 200 injects at ×10 fires every inject within 100 ms
of its due drill time. Run unscaled that takes 12 real minutes, so by default the scenario's
timeline is compressed by ``--scale`` (default 24: 2 h → 5 min of drill time, 30 s real at ×10):
the same 200 injects, the same ×10 speed, injects 24× closer together — a harder load for the
scheduler, not an easier one. ``--scale 1`` runs the full 12 minutes.

Both schedulers run in the same process on the same DrillClock at the same time; the run includes
a pause (1 s real) and a speed change (×10 → ×5 → ×10), the moments where drill clocks go wrong.
Lateness is reported in real milliseconds and in drill milliseconds (real × speed).

    python bench/bench_drill.py [--scale 24] [--injects 200] [--speed 10]
"""

from __future__ import annotations

import argparse
import random
import statistics
import threading
import time

from desk.drill.clock import DrillClock
from desk.drill.runner import DrillScheduler, Fired, _ThreadedScheduler


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def naive_poller(sched: DrillScheduler[int], out: list[Fired[int]], stop: threading.Event) -> None:
    """The baseline: wake every real second, fire whatever is due."""
    while not stop.is_set() and sched.remaining:
        out.extend(sched.poll())
        stop.wait(1.0)
    out.extend(sched.poll())


def summary(name: str, fired: list[Fired[int]], speeds: dict[int, float]) -> dict[str, float]:
    real = [f.lateness_ms for f in fired]
    drill = [f.lateness_ms * speeds.get(f.item, 10.0) for f in fired]
    row = {
        "n": len(fired),
        "p50": percentile(real, 50), "p95": percentile(real, 95), "p99": percentile(real, 99),
        "max": max(real), "mean": statistics.fmean(real),
        "drill_p95": percentile(drill, 95), "drill_max": max(drill),
        "within_100ms_drill": sum(1 for d in drill if d <= 100.0),
    }
    print(f"{name:<22} n={row['n']:>3}  real ms: p50 {row['p50']:7.2f}  p95 {row['p95']:7.2f}  "
          f"p99 {row['p99']:7.2f}  max {row['max']:7.2f}  | drill ms: p95 {row['drill_p95']:8.1f}"
          f"  max {row['drill_max']:8.1f}  | within 100 ms drill: {row['within_100ms_drill']}"
          f"/{row['n']}")
    return row


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=24.0)
    ap.add_argument("--injects", type=int, default=200)
    ap.add_argument("--speed", type=float, default=10.0)
    ap.add_argument("--seed", type=int, default=8)
    args = ap.parse_args()

    rng = random.Random(args.seed)
    duration = 7200.0 / args.scale
    # Uniform times plus a few bursts of simultaneous injects (a storm hits several points).
    times = sorted(rng.uniform(1.0, duration) for _ in range(args.injects - 20))
    for burst in (0.25, 0.5, 0.75, 0.9):
        times += [round(duration * burst, 1)] * 5
    times.sort()
    items = [(t, i) for i, t in enumerate(times)]
    real_total = duration / args.speed
    print(f"drill: {len(items)} injects over {duration:.0f} drill s (2 h / {args.scale:g}) at "
          f"×{args.speed:g} → about {real_total:.0f} s real, plus a 1 s pause")

    clock = DrillClock()
    event_sched: DrillScheduler[int] = DrillScheduler(clock, items)
    naive_sched: DrillScheduler[int] = DrillScheduler(clock, items)
    event_fired: list[Fired[int]] = []
    naive_fired: list[Fired[int]] = []
    speed_at: dict[int, float] = {}
    lock = threading.Lock()

    def on_event(fired: list[Fired[int]]) -> None:
        with lock:
            for f in fired:
                speed_at[f.item] = clock.speed
            event_fired.extend(fired)

    runner = _ThreadedScheduler("bench-drill", event_sched)
    stop = threading.Event()
    naive = threading.Thread(target=naive_poller, args=(naive_sched, naive_fired, stop))
    clock.start(speed=args.speed)
    runner.start(on_event)
    naive.start()
    t0 = time.monotonic()
    # Disturbances at fixed real moments: a pause, a slow-down, back to full speed.
    time.sleep(real_total * 0.3)
    clock.pause()
    time.sleep(1.0)
    clock.resume()
    time.sleep(real_total * 0.2)
    clock.set_speed(args.speed / 2)
    time.sleep(real_total * 0.2)
    clock.set_speed(args.speed)
    while event_sched.remaining or naive_sched.remaining:
        time.sleep(0.05)
        if time.monotonic() - t0 > real_total * 3 + 10:
            break
    stop.set()
    runner.stop()
    naive.join()
    elapsed = time.monotonic() - t0
    print(f"ran {elapsed:.1f} s real; drill clock at {clock.now():.1f} s")
    ev = summary("event-driven (desk)", event_fired, speed_at)
    nv = summary("naive 1 s polling", naive_fired, speed_at)
    print(f"ratio naive/event: p95 {nv['p95'] / max(ev['p95'], 1e-3):.0f}×, "
          f"max {nv['max'] / max(ev['max'], 1e-3):.0f}×")
    ok = ev["within_100ms_drill"] == ev["n"] == len(items)
    print("target (every inject within 100 ms of due drill time):", "MET" if ok else "NOT MET")


if __name__ == "__main__":
    main()
