"""Liability (事故责任) in a minor accident: the five levels, the lawful combinations, and the
suggestion an accident type gives."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum


class LiabilityLevel(Enum):
    """全部 / 主要 / 同等 / 次要 / 无 责任. ``value`` is stored; ``label`` is printed."""

    FULL = "full"
    MAJOR = "major"
    EQUAL = "equal"
    MINOR = "minor"
    NONE = "none"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @classmethod
    def parse(cls, value: str | LiabilityLevel | None) -> LiabilityLevel | None:
        """Accept the stored value, the enum name or the Chinese label; ``None``/'' is undecided."""
        if value is None or value == "":
            return None
        if isinstance(value, LiabilityLevel):
            return value
        for level in cls:
            if value in (level.value, level.name, level.label, level.label.removesuffix("责任")):
                return level
        raise ValueError(f"未知的责任等级：{value}")


_LABELS = {
    LiabilityLevel.FULL: "全部责任",
    LiabilityLevel.MAJOR: "主要责任",
    LiabilityLevel.EQUAL: "同等责任",
    LiabilityLevel.MINOR: "次要责任",
    LiabilityLevel.NONE: "无责任",
}


def combination_problems(levels: Sequence[LiabilityLevel | None]) -> list[str]:
    """What is wrong with this set of liabilities, in Chinese; empty when it is lawful.

    The rules (公安部令第146号 and practice):
    - every party has a level, and there are at least two parties;
    - one party at fault: that party has 全部 and everyone else 无;
    - several at fault: either all of them 同等, or 主要 together with 次要 (never 全部);
    - nobody at fault (意外): 无 for all is lawful.
    """
    problems: list[str] = []
    if len(levels) < 2:
        problems.append("至少需要两方当事人")
    if any(level is None for level in levels):
        problems.append("每一方都必须确定责任")
        return problems
    decided = [level for level in levels if level is not None]
    at_fault = [level for level in decided if level is not LiabilityLevel.NONE]
    full = at_fault.count(LiabilityLevel.FULL)
    equal = at_fault.count(LiabilityLevel.EQUAL)
    major = at_fault.count(LiabilityLevel.MAJOR)
    minor = at_fault.count(LiabilityLevel.MINOR)
    if full > 1:
        problems.append("不能有两方同时承担全部责任")
    if full and len(at_fault) > full:
        problems.append("一方承担全部责任时，其他各方应为无责任")
    if len(at_fault) == 1 and not full:
        problems.append(f"只有一方有责任时应为全部责任，而不是{at_fault[0].label}")
    if len(at_fault) >= 2 and not full:
        if equal and (major or minor):
            problems.append("同等责任不能与主要/次要责任混用")
        if major and not minor:
            problems.append("主要责任必须与次要责任对应")
        if minor and not major:
            problems.append("次要责任必须与主要责任对应")
    return problems


def is_valid_combination(levels: Sequence[LiabilityLevel | None]) -> bool:
    return not combination_problems(levels)


@dataclass(frozen=True, slots=True)
class LiabilitySuggestion:
    """What the accident type suggests, and why, for the officer to accept or change (with a
    reason)."""

    levels: tuple[LiabilityLevel, ...]
    basis: str
