"""Rainstorm signals read from CAP 1.2 (OASIS Common Alerting Protocol) XML, the exchange format
of China's 国家突发事件预警信息发布系统 (GB/T 35965.1《应急信息交互协议 第1部分：预警信息》 is
built on it).

Only what desk records is read: identifier, sender and 发布单位 (``senderName``), sent time,
``status`` (Actual/Exercise/Test…), ``msgType`` (Alert/Update/Cancel), the level, the areas
(``areaDesc``) and the effective/expiry times. The level comes from, in order: a ``parameter``
that names it (预警级别/signalLevel/level/color), a colour word in ``severity`` (Red/红色…), the
headline or event text (…暴雨红色预警…), and last the standard CAP severity (Extreme/Severe/
Moderate/Minor = 红/橙/黄/蓝, the mapping of the national levels Ⅰ–Ⅳ). A message that is not
about a rainstorm (暴雨, event type code 11B03) is refused with a reason, never guessed.

Parsing uses the standard library's ElementTree on text the desk was handed; external entities
are not resolved by it, and a document with a DOCTYPE is refused outright.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from desk.domain.rainstorm import SignalLevel, parse_level, split_areas

CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2"
#: Event type code of 暴雨 in the national warning-release system's catalogue.
RAINSTORM_CODES = frozenset({"11B03"})
_SEVERITY = {"extreme": SignalLevel.RED, "severe": SignalLevel.ORANGE,
             "moderate": SignalLevel.YELLOW, "minor": SignalLevel.BLUE}
_LEVEL_PARAMS = {"预警级别", "预警等级", "级别", "signallevel", "level", "color", "colour",
                 "warninglevel"}


class CapError(ValueError):
    """A CAP document desk cannot take; the message is Chinese and names the reason."""


@dataclass(frozen=True, slots=True)
class CapSignal:
    """An official rainstorm signal as received in one CAP message."""

    identifier: str
    sender: str
    office: str  # 发布单位, e.g. 郑州市气象台
    sent_at: float
    status: str  # Actual | Exercise | System | Test | Draft
    msg_type: str  # Alert | Update | Cancel
    level: SignalLevel
    areas: tuple[str, ...]
    headline: str
    description: str
    effective_at: float | None
    expires_at: float | None
    references: tuple[str, ...]

    @property
    def is_cancel(self) -> bool:
        return self.msg_type.lower() == "cancel"

    @property
    def is_actual(self) -> bool:
        return self.status.lower() == "actual"


def parse_time(text: str | None) -> float | None:
    """A CAP date-time (``2026-07-20T17:30:00+08:00``) as POSIX seconds; CAP requires the zone.
    A time without one is read as China Standard Time (UTC+8)."""
    if not text or not text.strip():
        return None
    try:
        t = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise CapError(f"CAP 时间格式不正确：{text.strip()}") from exc
    if t.tzinfo is None:
        t = t.replace(tzinfo=dt.timezone(dt.timedelta(hours=8)))
    return t.timestamp()


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(el: ET.Element, name: str) -> ET.Element | None:
    for c in el:
        if _local(c.tag) == name:
            return c
    return None


def _children(el: ET.Element, name: str) -> list[ET.Element]:
    return [c for c in el if _local(c.tag) == name]


def _text(el: ET.Element | None, name: str) -> str:
    if el is None:
        return ""
    c = _child(el, name)
    return (c.text or "").strip() if c is not None else ""


def _level(info: ET.Element) -> SignalLevel:
    for p in _children(info, "parameter"):
        if _text(p, "valueName").lower() in _LEVEL_PARAMS:
            try:
                return parse_level(_text(p, "value"))
            except ValueError:
                pass
    severity = _text(info, "severity")
    for candidate in (severity, _text(info, "headline"), _text(info, "event")):
        try:
            return parse_level(candidate)
        except ValueError:
            pass
    if severity.lower() in _SEVERITY:
        return _SEVERITY[severity.lower()]
    raise CapError("CAP 消息中没有可识别的预警等级（severity/parameter/headline）")


def _is_rainstorm(info: ET.Element) -> bool:
    codes = {_text(c, "value").upper() for c in _children(info, "eventCode")}
    if codes & RAINSTORM_CODES:
        return True
    return "暴雨" in _text(info, "event") or "暴雨" in _text(info, "headline") \
        or _text(info, "event").lower() in {"rainstorm", "heavy rain"}


def parse_cap(xml_text: str | bytes) -> CapSignal:
    """The rainstorm signal of one CAP 1.2 document; ``CapError`` with the reason otherwise."""
    raw = xml_text.encode("utf-8") if isinstance(xml_text, str) else xml_text
    if b"<!DOCTYPE" in raw[:4096].upper() or b"<!ENTITY" in raw.upper():
        raise CapError("CAP 文件含 DOCTYPE/ENTITY 声明，拒绝读取")
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as exc:
        raise CapError(f"不是有效的 XML：{exc}") from exc
    if _local(root.tag) != "alert":
        raise CapError("不是 CAP 预警消息（根元素不是 alert）")
    ns = root.tag[1:].split("}", 1)[0] if root.tag.startswith("{") else ""
    if ns and ns != CAP_NS:
        raise CapError(f"不支持的 CAP 版本：{ns}（需要 CAP 1.2）")
    infos = _children(root, "info")
    if not infos:
        raise CapError("CAP 消息没有 info 段")
    # Several info blocks are the same warning in several languages: take Chinese first.
    infos.sort(key=lambda i: 0 if _text(i, "language").lower().startswith("zh") else 1)
    info = next((i for i in infos if _is_rainstorm(i)), None)
    if info is None:
        raise CapError(f"不是暴雨预警：{_text(infos[0], 'event') or _text(infos[0], 'headline')}")
    identifier = _text(root, "identifier")
    if not identifier:
        raise CapError("CAP 消息缺少 identifier")
    sent = parse_time(_text(root, "sent"))
    if sent is None:
        raise CapError("CAP 消息缺少发布时间 sent")
    areas: list[str] = []
    for area in _children(info, "area"):
        areas.extend(split_areas(_text(area, "areaDesc")))
    refs = tuple(r.split(",")[1] if r.count(",") >= 2 else r
                 for r in _text(root, "references").split())
    return CapSignal(
        identifier=identifier,
        sender=_text(root, "sender"),
        office=_text(info, "senderName") or _text(root, "sender"),
        sent_at=sent,
        status=_text(root, "status") or "Actual",
        msg_type=_text(root, "msgType") or "Alert",
        level=_level(info),
        areas=tuple(dict.fromkeys(areas)),
        headline=_text(info, "headline"),
        description=_text(info, "description"),
        effective_at=parse_time(_text(info, "effective") or _text(info, "onset")),
        expires_at=parse_time(_text(info, "expires")),
        references=refs,
    )


def read_cap_path(path: Path | str) -> list[tuple[Path, CapSignal | CapError]]:
    """Every ``*.xml`` of a folder (or the one file), in name order, each parsed or with the
    reason it was refused: one bad file never hides the others."""
    p = Path(path)
    files = sorted(p.glob("*.xml")) + sorted(p.glob("*.XML")) if p.is_dir() else [p]
    out: list[tuple[Path, CapSignal | CapError]] = []
    for f in files:
        try:
            out.append((f, parse_cap(f.read_bytes())))
        except CapError as exc:
            out.append((f, exc))
        except OSError as exc:
            out.append((f, CapError(f"无法读取文件：{exc.strerror or exc}")))
    return out
