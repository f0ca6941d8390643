"""Rainstorm warning signals (暴雨预警信号) 蓝/黄/橙/红 from rain-gauge totals, and the defence
guidance (防御指南) of each level as a checklist a dispatcher ticks off.

Rules (FACTS.md, national standard; cities may tune the amounts, so they are a parameter):
blue: ≥ 50 mm within 12 h; yellow: ≥ 50 mm within 6 h; orange: ≥ 50 mm within 3 h;
red: ≥ 100 mm within 3 h. A total exactly at the amount triggers the level.

Windows: ``rain_mm`` in a reading is the rain since the gauge's previous report, so a reading
stamped ``t`` covers rain that fell up to ``t``. The window for "within 3 h before now" is the
half-open interval (now − 3 h, now]: a reading stamped exactly 3 h ago measured rain that fell
before the window began, and is left out.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

HOUR_S = 3600.0


class SignalLevel(StrEnum):
    BLUE = "blue"
    YELLOW = "yellow"
    ORANGE = "orange"
    RED = "red"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @property
    def label(self) -> str:
        """E.g. 暴雨蓝色预警."""
        return f"暴雨{_COLOR_NAMES[self]}预警"

    @property
    def short(self) -> str:
        return _SHORT[self]

    @property
    def color(self) -> str:
        return _COLORS[self]

    @property
    def text_color(self) -> str:
        return "#1a1a1a" if self in (SignalLevel.YELLOW, SignalLevel.ORANGE) else "#ffffff"

    @property
    def alert_severity(self) -> str:
        return self.value


_RANK = {SignalLevel.BLUE: 1, SignalLevel.YELLOW: 2, SignalLevel.ORANGE: 3, SignalLevel.RED: 4}
_COLOR_NAMES = {SignalLevel.BLUE: "蓝色", SignalLevel.YELLOW: "黄色", SignalLevel.ORANGE: "橙色",
                SignalLevel.RED: "红色"}
_SHORT = {SignalLevel.BLUE: "蓝", SignalLevel.YELLOW: "黄", SignalLevel.ORANGE: "橙",
          SignalLevel.RED: "红"}
_COLORS = {SignalLevel.BLUE: "#1f6feb", SignalLevel.YELLOW: "#e3c21a",
           SignalLevel.ORANGE: "#f08c1e", SignalLevel.RED: "#d9282f"}


@dataclass(frozen=True, slots=True)
class SignalRule:
    level: SignalLevel
    hours: float
    mm: float


#: The national rules, most severe first (the first that matches wins).
NATIONAL_RULES: tuple[SignalRule, ...] = (
    SignalRule(SignalLevel.RED, 3, 100),
    SignalRule(SignalLevel.ORANGE, 3, 50),
    SignalRule(SignalLevel.YELLOW, 6, 50),
    SignalRule(SignalLevel.BLUE, 12, 50),
)


def rain_total(readings: Iterable[tuple[float, float | None]], now: float, hours: float) -> float:
    """Rain in mm reported within (now − hours, now]. Duplicate time stamps count once (a resent
    report), readings after ``now`` and non-finite or negative amounts are ignored."""
    start = now - hours * HOUR_S
    by_time: dict[float, float] = {}
    for at, mm in readings:
        if mm is None or not math.isfinite(mm) or mm < 0:
            continue
        if start < at <= now:
            by_time[at] = mm
    # fsum and rounding to a micrometre: gauges resolve 0.1 mm, and a total that adds up to
    # exactly 50 mm must not miss the rule by a floating-point hair (30 × 50/30 ≠ 50 in floats).
    return round(math.fsum(by_time.values()), 6)


def signal_for_totals(
    totals_by_hours: dict[float, float], rules: tuple[SignalRule, ...] = NATIONAL_RULES
) -> SignalLevel | None:
    """The most severe level whose rule the totals meet (``{3: mm, 6: mm, 12: mm}``)."""
    for rule in rules:
        if totals_by_hours.get(rule.hours, 0.0) >= rule.mm:
            return rule.level
    return None


def signal_from_gauge(
    readings: Iterable[tuple[float, float | None]],
    now: float,
    rules: tuple[SignalRule, ...] = NATIONAL_RULES,
) -> tuple[SignalLevel | None, dict[float, float]]:
    """Level from one gauge's readings, with the totals it was judged on."""
    series = list(readings)
    totals = {h: rain_total(series, now, h) for h in sorted({r.hours for r in rules})}
    return signal_for_totals(totals, rules), totals


def max_level(levels: Iterable[SignalLevel | None]) -> SignalLevel | None:
    best: SignalLevel | None = None
    for level in levels:
        if level is not None and (best is None or level.rank > best.rank):
            best = level
    return best


#: Defence guidance (防御指南) for traffic police, per level, as checklist items. Higher levels
#: include the actions of the lower ones that still matter; each item is something a dispatcher
#: can do and tick off.
DEFENCE_GUIDANCE: dict[SignalLevel, tuple[str, ...]] = {
    SignalLevel.BLUE: (
        "通知各大队关注雨情，检查易涝点和下穿隧道的监测设备",
        "排水抢险警力和拖车待命",
        "通过广播、新媒体发布雨天出行提示",
    ),
    SignalLevel.YELLOW: (
        "派警力到 12 条下穿隧道入口值守",
        "在道路积水点设置警示标志和锥桶",
        "发布交通提示：绕行易涝路段",
        "联系市政排水部门，确认泵站运行",
    ),
    SignalLevel.ORANGE: (
        "对积水超过警告阈值的下穿隧道实施交通管制",
        "派铁骑到重点积水点疏导交通（金水路、花园路、未来路）",
        "发布路况通告：封闭路段及绕行方案",
        "启动应急抢险车辆，协助拖离涉水熄火车辆",
        "通知积水点责任人到岗",
    ),
    SignalLevel.RED: (
        "封闭全部下穿隧道及积水超过封闭阈值的路段",
        "全员上岗，启动防汛应急预案",
        "发布通告：非必要不出行",
        "联动消防、应急部门开展救援，转移被困人员",
        "每 30 分钟向指挥中心报告积水点和隧道状态",
    ),
}


def checklist_for(level: SignalLevel) -> tuple[str, ...]:
    return DEFENCE_GUIDANCE[level]
