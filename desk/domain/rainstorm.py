"""Rainstorm warning signals (暴雨预警信号) 蓝/黄/橙/红: the amounts behind each level, the
internal assessment (内部研判) of rain-gauge totals against them, the districts a signal covers, and
the police measures (处置措施) of the city's 防汛预案 for each level as a checklist.

Who says what (《气象灾害预警信号发布与传播办法》, 中国气象局令第16号, 统一发布制度): a signal is a
forecast ("将达…，或者已达…且降雨可能持续") issued only by a 气象台站 for named areas. desk records the
official signal as received (level, issuing office, time, areas) and never declares one itself;
gauge totals are an internal assessment, "雨量达到X色标准（内部研判）", per district.

Amounts (中国气象局《气象灾害预警信号及防御指南》; cities may tune them, so they are a parameter):
blue: ≥ 50 mm within 12 h; yellow: ≥ 50 mm within 6 h; orange: ≥ 50 mm within 3 h;
red: ≥ 100 mm within 3 h. A total exactly at the amount meets the level.

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
        """Black or white, whichever contrasts more with ``color`` (WCAG 2 contrast ratio)."""
        return readable_text_on(self.color)

    @property
    def standard_label(self) -> str:
        """The internal assessment's wording, e.g. 雨量达到橙色标准（内部研判）: never "预警"."""
        return f"雨量达到{_COLOR_NAMES[self]}标准（内部研判）"

    @property
    def color_name(self) -> str:
        return _COLOR_NAMES[self]

    @property
    def alert_severity(self) -> str:
        return self.value


def _luminance(hex_color: str) -> float:
    h = hex_color.lstrip("#")
    channels = [int(h[i:i + 2], 16) / 255.0 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two ``#rrggbb`` colours (1 … 21)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def readable_text_on(background: str) -> str:
    """``#000000`` or ``#ffffff``: the text colour with the higher contrast on ``background``."""
    return ("#000000" if contrast_ratio(background, "#000000")
            >= contrast_ratio(background, "#ffffff") else "#ffffff")


_RANK = {SignalLevel.BLUE: 1, SignalLevel.YELLOW: 2, SignalLevel.ORANGE: 3, SignalLevel.RED: 4}
_COLOR_NAMES = {SignalLevel.BLUE: "蓝色", SignalLevel.YELLOW: "黄色", SignalLevel.ORANGE: "橙色",
                SignalLevel.RED: "红色"}
_SHORT = {SignalLevel.BLUE: "蓝", SignalLevel.YELLOW: "黄", SignalLevel.ORANGE: "橙",
          SignalLevel.RED: "红"}
#: Banner colours: each is dark or light enough that its text (``readable_text_on``) reaches a
#: contrast ratio of at least 4.5:1 (WCAG AA), tested.
_COLORS = {SignalLevel.BLUE: "#1858c8", SignalLevel.YELLOW: "#e3c21a",
           SignalLevel.ORANGE: "#f08c1e", SignalLevel.RED: "#c0161e"}


def parse_level(value: object) -> SignalLevel:
    """A level from ``red``/``Red``/``红``/``红色``/``暴雨红色预警`` …; ``ValueError`` (Chinese) else."""
    text = str(value or "").strip()
    low = text.lower()
    for level in SignalLevel:
        if low == level.value:
            return level
    for level in sorted(SignalLevel, key=lambda lv: -lv.rank):
        if _COLOR_NAMES[level] in text or text == _SHORT[level]:
            return level
    raise ValueError(f"无法识别的预警等级：{text or '（空）'}")


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


@dataclass(frozen=True, slots=True)
class GaugeTotals:
    """One gauge's totals over the rules' windows (hours → mm)."""

    point_id: str
    district: str
    totals: dict[float, float]


@dataclass(frozen=True, slots=True)
class DistrictAssessment:
    """内部研判 of one district: the level its worst gauge meets, that gauge and its totals."""

    district: str
    level: SignalLevel | None
    point_id: str | None
    totals: dict[float, float]


def assess_districts(gauges: Iterable[GaugeTotals],
                     rules: tuple[SignalRule, ...] = NATIONAL_RULES) -> dict[str, DistrictAssessment]:
    """Per district, the most severe level any of its gauges meets (a gauge speaks for its own
    district only: one gauge never decides for the city)."""
    out: dict[str, DistrictAssessment] = {}
    for g in gauges:
        level = signal_for_totals(g.totals, rules)
        cur = out.get(g.district)
        if cur is None or (level is not None and (cur.level is None or level.rank > cur.level.rank)):
            out[g.district] = DistrictAssessment(g.district, level, g.point_id, dict(g.totals))
    return out


# -- areas -----------------------------------------------------------------------------------

#: Names a signal may use for several districts at once (Zhengzhou's signals name e.g.
#: "主城区、航空港区、上街区"). A deployment can replace this with its own list.
AREA_GROUPS: dict[str, tuple[str, ...]] = {
    "主城区": ("中原区", "二七区", "管城回族区", "金水区", "惠济区", "郑东新区", "经开区", "高新区"),
    "市区": ("中原区", "二七区", "管城回族区", "金水区", "惠济区", "郑东新区", "经开区", "高新区"),
}
#: Areas meaning "everywhere this desk watches".
WHOLE_AREA = frozenset({"", "全市", "郑州市", "市区全域", "全市范围"})


def split_areas(text: str) -> tuple[str, ...]:
    """"主城区、航空港区,上街区" → ("主城区", "航空港区", "上街区") (、，, ; and spaces separate)."""
    for sep in "，,;；/ \n\t":
        text = text.replace(sep, "、")
    return tuple(dict.fromkeys(a.strip() for a in text.split("、") if a.strip()))


def area_covers(areas: Iterable[str], district: str,
                groups: dict[str, tuple[str, ...]] = AREA_GROUPS) -> bool:
    """Whether a signal naming ``areas`` covers ``district``. No area at all means the issuing
    office's whole area."""
    names = list(areas)
    if not names:
        return True
    for a in names:
        if a in WHOLE_AREA or a == district or district in groups.get(a, ()):
            return True
        # "金水" for "金水区", "管城区" for "管城回族区": the short forms people type.
        if len(a) >= 2 and (district.startswith(a.rstrip("区县市")) and a.rstrip("区县市")):
            return True
    return False


# -- police measures (处置措施) ---------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Measure:
    """One police measure of the city's 防汛预案 (处置措施). It applies from ``from_level`` up to
    ``until_level`` (inclusive; None = every higher level): a higher level keeps the lower
    levels' measures that still apply, and drops only those a stronger one replaces."""

    key: str
    text: str
    from_level: SignalLevel
    until_level: SignalLevel | None = None

    def applies_at(self, level: SignalLevel) -> bool:
        return self.from_level.rank <= level.rank and (
            self.until_level is None or level.rank <= self.until_level.rank)


_B, _Y, _O, _R = SignalLevel.BLUE, SignalLevel.YELLOW, SignalLevel.ORANGE, SignalLevel.RED

#: 处置措施 for traffic police, by level (a default; a city edits its own 防汛预案's list).
#: Tunnels: a 下穿隧道 is closed when its water reaches the closure depth (25 cm by default for
#: tunnels) at every level, and before that police stand at its entrances; the red drill
#: (resources/scenarios/rainstorm_red.yaml) scores exactly these actions.
RESPONSE_MEASURES: tuple[Measure, ...] = (
    Measure("watch", "通知各大队关注雨情，检查易涝点和下穿隧道的监测设备", _B),
    Measure("standby", "排水抢险警力和拖车待命", _B, _Y),
    Measure("tips", "通过广播、新媒体发布雨天出行提示", _B, _Y),
    Measure("tunnel-guard", "派警力到下穿隧道入口值守，做好随时封闭准备", _Y),
    Measure("signs", "在道路积水点设置警示标志和锥桶", _Y),
    Measure("detour", "发布交通提示：绕行易涝路段", _Y, _O),
    Measure("pumps", "联系市政排水部门，确认泵站运行", _Y),
    Measure("tunnel-close", "下穿隧道积水达到封闭水深立即封闭（派警对话框“封闭道路/隧道”）", _Y),
    Measure("tunnel-control", "对积水达到警告水深的下穿隧道实施交通管制（限流、引导绕行）", _O),
    Measure("hotspots", "派铁骑到重点积水点疏导交通（金水路、花园路、未来路）", _O),
    Measure("closures", "发布路况通告：封闭路段及绕行方案", _O),
    Measure("towing", "启动应急抢险车辆，协助拖离涉水熄火车辆", _O),
    Measure("wake", "通知积水点责任人到岗", _O),
    Measure("roads-close", "积水达到封闭水深的路段立即封闭，设置绕行", _R),
    Measure("all-hands", "全员上岗，按市防汛指挥部的应急响应启动防汛预案", _R),
    Measure("stay-home", "发布通告：非必要不出行", _R),
    Measure("rescue", "联动消防、应急部门开展救援，转移被困人员", _R),
    Measure("report", "每 30 分钟向指挥中心报告积水点和隧道状态", _R),
)

#: What the checklist is called on screen (not 防御指南: that is the public's guidance).
MEASURES_TITLE = "处置措施（市防汛预案）"


def measures_for(level: SignalLevel,
                 measures: tuple[Measure, ...] = RESPONSE_MEASURES) -> tuple[Measure, ...]:
    """Every measure that applies at ``level``, lower levels' first (a direct red includes the
    blue, yellow and orange measures that still apply)."""
    return tuple(sorted((m for m in measures if m.applies_at(level)),
                        key=lambda m: m.from_level.rank))


def checklist_for(level: SignalLevel) -> tuple[str, ...]:
    return tuple(m.text for m in measures_for(level))
