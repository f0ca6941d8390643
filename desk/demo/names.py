"""Realistic-looking Chinese names for the demo city's officers, stations and units (all invented)."""

from __future__ import annotations

import random

#: Common surnames, weighted roughly as they occur in Henan (王, 李, 张 and 刘 lead there as
#: nationally). Weights are relative.
SURNAMES: tuple[tuple[str, int], ...] = (
    ("王", 90), ("李", 85), ("张", 80), ("刘", 70), ("陈", 35), ("杨", 35), ("赵", 30),
    ("郭", 28), ("孙", 25), ("马", 24), ("朱", 18), ("胡", 16), ("高", 16), ("吕", 10),
    ("何", 10), ("罗", 8), ("宋", 12), ("郑", 10), ("徐", 12), ("周", 12), ("吴", 10),
    ("黄", 10), ("韩", 12), ("冯", 10), ("曹", 10), ("许", 10), ("邓", 6), ("田", 10),
    ("任", 8), ("程", 8), ("侯", 8), ("牛", 8), ("贾", 8), ("崔", 8), ("丁", 6), ("魏", 8),
    ("范", 6), ("苏", 6), ("秦", 6), ("常", 6), ("袁", 6), ("董", 6), ("杜", 6), ("谢", 5),
    ("武", 6), ("司", 4), ("申", 4), ("薛", 5), ("闫", 6), ("史", 5), ("付", 5), ("姚", 5),
)

#: Characters for given names. Officers in a traffic brigade are mostly men, so the list leans
#: that way without leaving women out.
GIVEN_CHARS: tuple[str, ...] = tuple(
    "伟强磊军勇杰涛明超鹏辉斌浩宇轩俊峰刚帅龙飞波亮建国华志文博凯阳晨旭东海林森鑫昊天泽嘉然瑞"
    "振兴宏伦毅松庆彬锋新永成学振力民坤琦鸿铭楠雷亚杭健"
    "雪静丽娜婷敏欣悦佳琳颖倩"
)

_NUMERALS = "一二三四五六七八九十"

#: Real 人民警察警衔 of a street force (二级警员 … 一级警督; 警监 are leaders, not on the street),
#: weighted like a traffic brigade's 民警.
RANKS: tuple[tuple[str, int], ...] = (
    ("二级警员", 6), ("一级警员", 16), ("三级警司", 18), ("二级警司", 20), ("一级警司", 18),
    ("三级警督", 12), ("二级警督", 7), ("一级警督", 3),
)

#: 辅警 (auxiliary police) have no 警衔: the ``rank`` column says 辅警. Their share of each kind
#: of unit's crew (they direct traffic at junctions, ride with 铁骑 and patrol cars; drones are
#: flown by 民警 pilots).
AUXILIARY = "辅警"
AUXILIARY_SHARE: dict[str, float] = {"foot_post": 0.6, "motorcycle": 0.35, "patrol_car": 0.4,
                                     "drone": 0.0}


_SURNAME_CHARS: tuple[str, ...] = tuple(s for s, _ in SURNAMES)
_SURNAME_WEIGHTS: tuple[int, ...] = tuple(w for _, w in SURNAMES)
_RANK_NAMES: tuple[str, ...] = tuple(r for r, _ in RANKS)
_RANK_WEIGHTS: tuple[int, ...] = tuple(w for _, w in RANKS)


def person_name(rng: random.Random) -> str:
    """A full name: one surname character and one or two given-name characters."""
    surname = rng.choices(_SURNAME_CHARS, weights=_SURNAME_WEIGHTS)[0]
    given_len = 1 if rng.random() < 0.3 else 2
    return surname + "".join(rng.choice(GIVEN_CHARS) for _ in range(given_len))


def rank(rng: random.Random, unit_kind: str = "") -> str:
    """A 警衔, or 辅警 with the unit kind's share. One draw from ``rng`` either way."""
    u = rng.random()
    aux = AUXILIARY_SHARE.get(unit_kind, 0.0)
    if u < aux:
        return AUXILIARY
    u = (u - aux) / (1.0 - aux) * sum(_RANK_WEIGHTS)
    for name, weight in zip(_RANK_NAMES, _RANK_WEIGHTS, strict=True):
        if u < weight:
            return name
        u -= weight
    return _RANK_NAMES[-1]


def chinese_ordinal(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (enough for squadron numbers)."""
    if not 1 <= n <= 99:
        raise ValueError(f"序号超出范围：{n}")
    if n <= 10:
        return _NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _NUMERALS[tens - 1]
    return head + "十" + (_NUMERALS[ones - 1] if ones else "")


#: Short forms used in call signs (呼号); a district not listed is shortened by its suffix.
_SHORT_NAMES = {"管城回族区": "管城", "郑东新区": "郑东", "高新区": "高新", "经开区": "经开"}


def district_short_name(district: str) -> str:
    """金水区 → 金水, 管城回族区 → 管城, 中牟县 → 中牟."""
    if district in _SHORT_NAMES:
        return _SHORT_NAMES[district]
    for suffix in ("新区", "区", "县", "市"):
        if district.endswith(suffix) and len(district) > len(suffix) + 1:
            return district[: -len(suffix)]
    return district


def brigade_name(district: str) -> str:
    """The traffic brigade (交警大队) of a district: 金水大队, 郑东新区大队."""
    if district.endswith("新区"):
        return district + "大队"
    return district_short_name(district) + "大队"
