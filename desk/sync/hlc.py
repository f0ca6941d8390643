"""Hybrid logical clock stamps: wall-clock milliseconds, a logical counter and the writer's node.

Stamps are fixed-width strings, so ordering them as text orders them as clocks. The outbox trigger
builds the same format in SQL (see ``desk.store.schema_sync``), with the change-log sequence as the
counter and a floor raised by every stamp seen from the central, so a workstation whose wall clock
lags never loses every merge.
"""

from __future__ import annotations

from dataclasses import dataclass

_MS_WIDTH = 13
_COUNTER_WIDTH = 10

#: How far ahead of desk-central's clock a stamp may be, in seconds (Anki refuses a sync over five
#: minutes of skew). Further ahead, the central refuses the op and the desk refuses to push until
#: its clock is set right, so one fast clock can neither win every merge nor lift everyone's floor.
MAX_CLOCK_AHEAD_S = 300.0


@dataclass(frozen=True, order=True, slots=True)
class Stamp:
    ms: int
    counter: int
    node: str

    def __str__(self) -> str:
        return f"{self.ms:0{_MS_WIDTH}d}.{self.counter:0{_COUNTER_WIDTH}d}.{self.node}"


def format_stamp(ms: int, counter: int, node: str) -> str:
    return str(Stamp(ms, counter, node))


def parse_stamp(text: str) -> Stamp:
    """Parse a stamp; raises ``ValueError`` on anything else."""
    parts = text.split(".", 2)
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit() or not parts[2]:
        raise ValueError(f"not an HLC stamp: {text!r}")
    return Stamp(int(parts[0]), int(parts[1]), parts[2])


def stamp_ms(text: str) -> int | None:
    """The wall-clock milliseconds of a stamp, ``None`` when ``text`` is not a stamp."""
    try:
        return parse_stamp(text).ms
    except ValueError:
        return None


def clamp_stamp(text: str, max_ms: int) -> str:
    """``text`` with its milliseconds lowered to ``max_ms`` when it is later (counter and node
    kept, so stamps stay unique); unchanged otherwise."""
    stamp = parse_stamp(text)
    if stamp.ms <= max_ms:
        return text
    return format_stamp(max_ms, stamp.counter, stamp.node)


def is_stamp(text: str) -> bool:
    try:
        parse_stamp(text)
    except ValueError:
        return False
    return True
