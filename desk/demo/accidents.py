"""The demo city's stream of minor accidents: about 472 a day, peaking at 07–09 and 17–19, as
``FeedEvent(kind="accident.report")`` values a feed thread or a timer can drive (no Qt).

Arrival times are a seeded non-homogeneous Poisson process per local day, so a run is
reproducible; parties carry valid-looking (invented) ID numbers, plates and policies, and each
report brings the three required photos as tiny generated PNGs. About one case in seven fails a
quick-handling rule (injury, immovable car, drink suspected ...), as in life.
"""

from __future__ import annotations

import logging
import math
import random
import struct
import threading
import time
import zlib
from collections.abc import Callable
from typing import Any

from desk.domain.accidents import AccidentType, all_allowing, id_check_digit
from desk.domain.accidents.eligibility import CONDITIONAL, RULES
from desk.domain.accidents.places import INTERSECTIONS
from desk.domain.accidents.validators import PLATE_PROVINCES
from desk.feeds.base import FeedBatch, FeedEvent, FeedSink

log = logging.getLogger(__name__)

CASES_PER_DAY = 472.0

#: Relative weight of each local hour: quiet nights, rush-hour peaks at 07–09 and 17–19.
HOURLY_WEIGHTS: tuple[float, ...] = (
    0.6, 0.4, 0.3, 0.3, 0.4, 0.8, 1.6, 3.2, 3.4, 2.0, 1.6, 1.6,
    1.7, 1.5, 1.5, 1.7, 2.2, 3.3, 3.5, 2.1, 1.5, 1.2, 1.0, 0.8,
)

_TYPES: tuple[tuple[AccidentType, int], ...] = (
    (AccidentType.REAR_END, 40), (AccidentType.LANE_CHANGE, 22), (AccidentType.REVERSING, 9),
    (AccidentType.DOOR_OPENING, 5), (AccidentType.FAILURE_TO_YIELD, 10),
    (AccidentType.TURNING, 6), (AccidentType.PARKED_SCRAPE, 5), (AccidentType.OTHER, 3),
)
_POINTS = {
    AccidentType.REAR_END: ("车尾", "车头"), AccidentType.LANE_CHANGE: ("右前", "左侧"),
    AccidentType.REVERSING: ("车尾", "左前"), AccidentType.DOOR_OPENING: ("左侧", "右前"),
    AccidentType.FAILURE_TO_YIELD: ("车头", "右侧"), AccidentType.TURNING: ("左前", "右前"),
    AccidentType.PARKED_SCRAPE: ("右侧", "左后"), AccidentType.OTHER: ("左侧", "右侧"),
}
_SURNAMES = "王李张刘陈杨赵郭孙马朱胡高宋郑徐周吴黄韩冯曹许田"
_GIVEN = "伟强磊军勇杰涛明超鹏辉斌浩宇俊峰刚帅龙飞波亮建华志文博凯阳晨旭东海林静丽娜婷敏欣悦佳琳颖倩"
_INSURERS = ("人保财险", "平安产险", "太平洋产险", "国寿财险", "大地保险", "阳光财险")
# (车辆类型 per GA 802, weight, 准驾车型 typically held): 出租/网约 are a 使用性质, below.
_VEHICLES = (("小型轿车", 66, "C1"), ("小型普通客车", 12, "C1"), ("小型越野客车", 10, "C1"),
             ("轻型普通货车", 6, "C1"), ("中型普通客车", 1, "B1"), ("重型普通货车", 1, "B2"),
             ("普通二轮摩托车", 1, "E"))
_USES = (("非营运", 78), ("预约出租客运", 9), ("出租客运", 6), ("货运", 5), ("租赁", 2))
_NON_MOTOR = ("电动自行车", "自行车")
_PLATE_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
_REFUSABLE = [r.key for r in RULES if r.key not in CONDITIONAL]


def expected_per_hour(hour: int, per_day: float = CASES_PER_DAY) -> float:
    return per_day * HOURLY_WEIGHTS[hour] / sum(HOURLY_WEIGHTS)


class AccidentStream:
    """Generates the reports of any time window, deterministically for a seed.

    ``events_between(t0, t1)`` returns the reports whose time falls in ``[t0, t1)``; calling it
    for consecutive windows yields each report exactly once.
    """

    def __init__(self, seed: int = 146, per_day: float = CASES_PER_DAY) -> None:
        self.seed = seed
        self.per_day = per_day
        self._days: dict[int, list[float]] = {}

    def _arrivals(self, day_start: float) -> list[float]:
        key = int(day_start)
        if key not in self._days:
            rng = random.Random(f"{self.seed}:{key}")
            out: list[float] = []
            for hour in range(24):
                lam = expected_per_hour(hour, self.per_day)
                n = _poisson(rng, lam)
                out.extend(day_start + hour * 3600 + rng.random() * 3600 for _ in range(n))
            out.sort()
            self._days = {key: out}  # keep one day: the stream moves forward
        return self._days[key]

    def times_between(self, t0: float, t1: float) -> list[float]:
        """Report times in ``[t0, t1)`` (cheap: no report is built)."""
        times: list[float] = []
        day = _day_start(t0)
        while day < t1:
            times.extend(at for at in self._arrivals(day) if t0 <= at < t1)
            day = _day_start(day + 86400 + 3600)
        return times

    def events_between(self, t0: float, t1: float) -> list[FeedEvent]:
        return [self.report(at) for at in self.times_between(t0, t1)]

    def report(self, at: float) -> FeedEvent:
        """The report arriving at ``at`` (its content depends only on the seed and the time)."""
        rng = random.Random(f"{self.seed}:{at:.3f}")
        kind = _weighted(rng, _TYPES)
        place = rng.choice(INTERSECTIONS)
        lat = place.lat + rng.uniform(-0.0012, 0.0012)
        lon = place.lon + rng.uniform(-0.0012, 0.0012)
        parties = [_party(rng, initiator=(i == 0 and kind is not AccidentType.OTHER))
                   for i in range(2 if rng.random() > 0.04 else 3)]
        if rng.random() < 0.06:
            # 第19条: a motor vehicle and a 非机动车 (an e-bike rider) may settle too.
            parties[-1] = _rider(rng)
        eligibility: dict[str, bool | None] = dict(all_allowing())
        if rng.random() < 0.14:
            refused = rng.choice(_REFUSABLE)
            eligibility[refused] = False
            if refused == "property_damage_only":
                eligibility["injury_minor"] = rng.random() < 0.7
                eligibility["injury_all_agree"] = rng.random() < 0.8
        elif rng.random() < 0.3:
            # Not everything is known at report time; the call-taker asks over video.
            for key in rng.sample(_REFUSABLE, 2):
                eligibility[key] = None
        points = _POINTS[kind]
        case_key = f"demo-{self.seed}-{int(at * 1000)}"
        who = [p.get("plate") or p["vehicle_type"] for p in parties[:2]]
        hurt = eligibility.get("property_damage_only") is False
        narrative = (f"{who[0]}与{who[1]}在{place.name}发生{kind.label}，"
                     + ("有人员受伤，" if hurt else "无人员受伤，")
                     + "车辆可移动，双方已拍照撤离现场。")
        evidence = [
            {"kind": k, "filename": f"{k}.png", "content": _png(rng, k)}
            for k in ("front_side", "rear_side", "collision_point")
        ]
        data: dict[str, Any] = {
            "case_key": case_key, "reported_at": at, "lat": lat, "lon": lon, "place": place.name,
            "weather": rng.choice(("晴", "晴", "晴", "阴", "阴", "雨")),
            "accident_type": kind.value, "collision_points": list(points),
            # The accident happened a few minutes before the call (the report time is not it).
            "occurred_at": at - rng.uniform(60, 900),
            "collision_form": kind.default_form.value if kind.default_form else "other",
            "narrative": narrative, "parties": parties, "eligibility": eligibility,
            "evidence": evidence, "source": "demo",
        }
        return FeedEvent("accident.report", at, data)


class AccidentDemoFeed:
    """A Feed producing the stream in real time (``speedup`` > 1 compresses the day for demos).

    Runs a daemon thread that wakes every ``tick_s`` seconds and hands any due reports to the
    sink; ``stop()`` joins it.
    """

    name = "demo.accidents"

    def __init__(
        self,
        stream: AccidentStream | None = None,
        *,
        clock: Callable[[], float] = time.time,
        tick_s: float = 1.0,
        speedup: float = 1.0,
        backfill_s: float = 0.0,
    ) -> None:
        self.stream = stream or AccidentStream()
        self.clock = clock
        self.tick_s = tick_s
        self.speedup = speedup
        self.backfill_s = backfill_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, sink: FeedSink) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, args=(sink,), name=self.name,
                                        daemon=True)
        self._thread.start()

    def _run(self, sink: FeedSink) -> None:
        real0 = self.clock()
        # ``backfill_s``: the reports of the last minutes arrive at once, so a demo starts with
        # a queue to work on.
        last = real0 - self.backfill_s
        while not self._stop.wait(self.tick_s):
            now = real0 + (self.clock() - real0) * self.speedup
            events = self.stream.events_between(last, now)
            last = now
            if events:
                try:
                    sink(FeedBatch(events=tuple(events)))
                except Exception:
                    log.exception("accident demo sink failed")

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5.0)
            self._thread = None


def _day_start(at: float) -> float:
    """Midnight China Standard Time (UTC+8) before ``at``: the demo city's day."""
    return (at + 8 * 3600) // 86400 * 86400 - 8 * 3600


def _poisson(rng: random.Random, lam: float) -> int:
    # Knuth's method is fine for the small means of one hour (≤ ~40).
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _weighted(rng: random.Random, items: tuple[tuple[Any, int], ...]) -> Any:
    values = [v for v, _ in items]
    weights = [w for _, w in items]
    return rng.choices(values, weights)[0]


def fake_resident_id(rng: random.Random) -> str:
    """A well-formed, invented Zhengzhou resident ID (4101xx, check digit computed)."""
    region = f"4101{rng.choice(('02', '03', '04', '05', '08', '22', '83'))}"
    year = rng.randint(1960, 2003)
    month = rng.randint(1, 12)
    day = rng.randint(1, 28)
    first17 = f"{region}{year:04d}{month:02d}{day:02d}{rng.randint(0, 999):03d}"
    return first17 + id_check_digit(first17)


def fake_plate(rng: random.Random) -> str:
    province = "豫" if rng.random() < 0.9 else rng.choice(PLATE_PROVINCES)
    letter = "A" if province == "豫" and rng.random() < 0.85 else rng.choice("ABCDEFGHJK")
    if rng.random() < 0.18:  # new-energy (small car): D/F + letter-or-digit + 4 digits
        tail = rng.choice("DF") + rng.choice(_PLATE_CHARS) + f"{rng.randint(0, 9999):04d}"
    else:
        tail = "".join(rng.choice(_PLATE_CHARS) for _ in range(4)) + str(rng.randint(0, 9))
    return province + letter + tail


def _name(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2))))


def _phone(rng: random.Random) -> str:
    return "1" + rng.choice("3578") + "".join(str(rng.randint(0, 9)) for _ in range(9))


def _party(rng: random.Random, *, initiator: bool) -> dict[str, Any]:
    insurer = rng.choice(_INSURERS)
    vehicles = tuple((v, w) for v, w, _ in _VEHICLES)
    vehicle = _weighted(rng, vehicles)
    licence = next(c for v, _, c in _VEHICLES if v == vehicle)
    return {
        "name": _name(rng),
        "id_number": fake_resident_id(rng),
        "phone": _phone(rng),
        "vehicle_type": vehicle,
        "vehicle_use": _weighted(rng, _USES) if vehicle != "普通二轮摩托车" else "非营运",
        "permitted_class": licence if rng.random() > 0.02 else "C2",
        "plate": fake_plate(rng),
        "insurer": insurer,
        "policy_no": f"PDZA{rng.randint(2024, 2026)}4101{rng.randint(0, 10**8 - 1):08d}",
        "initiator": initiator,
    }


def _rider(rng: random.Random) -> dict[str, Any]:
    """A 非机动车 party: no plate, licence or 交强险 to check."""
    return {"name": _name(rng), "id_number": fake_resident_id(rng), "phone": _phone(rng),
            "vehicle_type": rng.choice(_NON_MOTOR), "initiator": False}


def _png(rng: random.Random, label: str) -> bytes:
    """A small synthetic photo (a gradient with a dark band) so demo cases carry evidence."""
    w, h = 96, 64
    r0, g0, b0 = (rng.randint(60, 200) for _ in range(3))
    band = sum(label.encode()) % 3
    # Whole rows by repetition: a per-pixel loop made 472 reports a day cost seconds.
    raw = bytearray()
    for y in range(h):
        light = bytes((r0, (g0 + y) % 256, b0))
        dark = bytes((r0 // 2, (g0 + y) // 2 % 256, b0 // 2))
        raw.append(0)
        if y // 21 == band:
            raw += light * 20 + dark * 56 + light * (w - 76)
        else:
            raw += light * w

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(bytes(raw), 6)) + chunk(b"IEND", b""))
