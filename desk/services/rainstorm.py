"""Rainstorm signals in use: the OFFICIAL signals as received from the 气象台 (entered by hand,
read from CAP 1.2 files, or arriving as ``rain.signal`` feed events), each with the police
measures (处置措施) of the city's 防汛预案 as a checklist; and, separately, the internal assessment
(内部研判) of the rain gauges per district, which raises inbox alerts "雨量达到X色标准（内部研判）" and
never puts a signal in force.

Several official signals may be in force at once for different areas (red for 主城区, orange
for 上街区); the police response of a district follows the most severe one that covers it
(``response_levels``). A new signal supersedes the signals whose areas it covers; its checklist
keeps the measures already done and, on an upgrade, every unfinished one.
"""

from __future__ import annotations

import json
import logging
import math
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desk.domain.alerts import AlertKind
from desk.domain.cap import CapError, CapSignal, read_cap_path
from desk.domain.rainstorm import (
    HOUR_S,
    MEASURES_TITLE,
    NATIONAL_RULES,
    WHOLE_AREA,
    DistrictAssessment,
    GaugeTotals,
    SignalLevel,
    SignalRule,
    area_covers,
    assess_districts,
    measures_for,
    parse_level,
    split_areas,
)
from desk.domain.telemetry import SensorReading
from desk.feeds.base import FeedEvent
from desk.services.alerts import AlertService
from desk.services.context import AppContext

log = logging.getLogger(__name__)

#: Alert kind of the internal gauge assessment (the official signal uses ``rain.signal``).
RAIN_ASSESSMENT = AlertKind.RAIN_ASSESSMENT.value
DEFAULT_OFFICE = "气象台"
#: Sources of a recorded signal: 人工录入, CAP 文件, 联动/演练消息.
SOURCE_LABELS = {"manual": "人工录入", "cap": "CAP 文件", "feed": "预警消息"}


@dataclass(frozen=True, slots=True)
class RainSignal:
    """An official signal as received. ``districts`` empty means the office's whole area."""

    id: str
    level: SignalLevel
    source: str  # "manual" | "cap" | "feed"
    reason: str
    raised_at: float  # when it was recorded here
    raised_by: str
    lifted_at: float | None = None
    lifted_by: str | None = None
    office: str = DEFAULT_OFFICE
    districts: tuple[str, ...] = ()
    issued_at: float | None = None  # the office's own time (CAP ``sent``)
    identifier: str | None = None
    expires_at: float | None = None

    @property
    def areas_text(self) -> str:
        return "、".join(self.districts) if self.districts else "全市"

    @property
    def title(self) -> str:
        """E.g. 郑州市气象台发布暴雨红色预警信号（主城区、上街区）."""
        return f"{self.office}发布{self.level.label}信号（{self.areas_text}）"

    def covers(self, district: str) -> bool:
        return area_covers(self.districts, district)


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    id: str
    signal_id: str
    idx: int
    text: str
    done_at: float | None
    done_by: str | None
    key: str | None = None
    level: SignalLevel | None = None

    @property
    def done(self) -> bool:
        return self.done_at is not None


@dataclass(frozen=True, slots=True)
class GaugeJudgement:
    """The worst district's assessment (for one-line summaries)."""

    level: SignalLevel | None
    point_id: str | None
    totals: dict[float, float]
    district: str = ""


@dataclass
class CapImport:
    """What reading CAP files did: signals recorded, lifted, skipped and refused (with reasons)."""

    recorded: list[str] = field(default_factory=list)
    lifted: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (file name, reason)


_COLUMNS = ("id, level, source, reason, raised_at, raised_by, lifted_at, lifted_by, office, "
            "districts, issued_at, identifier, expires_at")


def _signal(r: Sequence[Any]) -> RainSignal:
    try:
        districts = tuple(json.loads(r[9])) if r[9] else ()
    except (TypeError, ValueError):
        districts = split_areas(str(r[9]))
    return RainSignal(r[0], SignalLevel(r[1]), r[2] or "manual", r[3] or "", r[4], r[5], r[6],
                      r[7], r[8] or DEFAULT_OFFICE, districts, r[10], r[11], r[12])


class RainstormService:
    """``ctx.service(RainstormService)``. The runtime calls ``evaluate_gauges(now)`` every 60 s
    and routes ``rain.signal`` feed events to ``on_signal_event``."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.ws = ctx.workspace
        rules = ctx.settings.get("rain.rules")
        self.rules: tuple[SignalRule, ...] = tuple(rules) if rules else NATIONAL_RULES
        # Running rain of each gauge over the longest rule window (gauge → time → mm), kept in
        # memory once the water service feeds it (``note_rain``): judging then reads nothing.
        self._rain: dict[str, dict[float, float]] | None = None
        self._fed = False

    # -- reading -------------------------------------------------------------------------------

    def in_force(self) -> list[RainSignal]:
        """Official signals in force, most severe first."""
        rows = self.ws.db.execute(
            f"SELECT {_COLUMNS} FROM rain_signals WHERE lifted_at IS NULL ORDER BY raised_at DESC"
        ).fetchall()
        return sorted((_signal(r) for r in rows), key=lambda s: -s.level.rank)

    def current(self) -> RainSignal | None:
        """The most severe official signal in force (None when none is)."""
        signals = self.in_force()
        return signals[0] if signals else None

    def history(self) -> list[RainSignal]:
        rows = self.ws.db.execute(
            f"SELECT {_COLUMNS} FROM rain_signals ORDER BY raised_at, rowid").fetchall()
        return [_signal(r) for r in rows]

    def checklist(self, signal_id: str) -> list[ChecklistItem]:
        rows = self.ws.db.execute(
            "SELECT id, signal_id, idx, text, done_at, done_by, key, level "
            "FROM rain_checklist_items WHERE signal_id = ? ORDER BY idx", [signal_id],
        ).fetchall()
        return [ChecklistItem(r[0], r[1], r[2], r[3], r[4], r[5], r[6],
                              SignalLevel(r[7]) if r[7] else None) for r in rows]

    def known_districts(self) -> list[str]:
        rows = self.ws.db.execute(
            "SELECT DISTINCT district FROM water_points WHERE district IS NOT NULL "
            "AND district != '' ORDER BY district").fetchall()
        return [str(r[0]) for r in rows]

    def response_levels(self, districts: Iterable[str] | None = None
                        ) -> dict[str, SignalLevel | None]:
        """The police response level of each district: the most severe official signal in force
        that covers it (None: no signal for that district)."""
        signals = self.in_force()
        names = list(districts) if districts is not None else self.known_districts()
        out: dict[str, SignalLevel | None] = {}
        for d in names:
            out[d] = next((s.level for s in signals if s.covers(d)), None)
        return out

    # -- official signals ----------------------------------------------------------------------

    def record_signal(
        self,
        level: SignalLevel | str,
        actor: str,
        *,
        office: str = DEFAULT_OFFICE,
        districts: Iterable[str] | str = (),
        issued_at: float | None = None,
        source: str = "manual",
        identifier: str | None = None,
        reason: str = "",
        cap_status: str | None = None,
        expires_at: float | None = None,
    ) -> str:
        """Record an official signal as received and put it in force for its districts;
        supersede the in-force signals it covers (their done measures carry over, and on an
        upgrade their unfinished ones stay open). Raises an inbox alert. Returns the id."""
        level = parse_level(level) if not isinstance(level, SignalLevel) else level
        areas = split_areas(districts) if isinstance(districts, str) else \
            tuple(dict.fromkeys(str(d).strip() for d in districts if str(d).strip()))
        office = office.strip() or DEFAULT_OFFICE
        now = self.ctx.clock()
        sid = f"rs-{uuid.uuid4().hex[:16]}"
        superseded: list[RainSignal] = []
        with self.ws.write(actor, origin=self) as tx:
            for cur in self.in_force():
                if cur.districts:
                    remaining = [a for a in cur.districts if not area_covers(areas, a)]
                else:  # the office's whole area: only another whole-area signal covers it
                    remaining = [] if not areas or any(a in WHOLE_AREA for a in areas) else ["*"]
                if not remaining:
                    tx.update("rain_signals", cur.id, {"lifted_at": now, "lifted_by": actor,
                                                      "superseded_by": sid})
                    superseded.append(cur)
                elif cur.districts and len(remaining) < len(cur.districts):
                    # Part of its area now has the new signal; the rest keeps the old one.
                    tx.update("rain_signals", cur.id,
                              {"districts": json.dumps(remaining, ensure_ascii=False)})
            tx.insert("rain_signals", {
                "id": sid, "level": level.value, "source": source, "reason": reason,
                "raised_at": now, "raised_by": actor, "lifted_at": None, "lifted_by": None,
                "office": office, "districts": json.dumps(list(areas), ensure_ascii=False),
                "issued_at": issued_at if issued_at is not None else now,
                "identifier": identifier, "cap_status": cap_status, "expires_at": expires_at,
                "superseded_by": None,
            })
            tx.insert_many("rain_checklist_items", self._carried_checklist(sid, level, superseded))
        signal = RainSignal(sid, level, source, reason, now, actor, office=office,
                            districts=areas, issued_at=issued_at, identifier=identifier)
        log.info("official rain signal recorded: %s (%s, by %s)", signal.title, source, actor)
        alerts = self.ctx.service(AlertService)
        for old in superseded:
            alerts.resolve_by_key(f"rain.signal:{old.id}", actor,
                                  note=f"已由{level.label}信号替代")
        alerts.raise_alert(
            AlertKind.RAIN_SIGNAL, level.alert_severity, office, signal.areas_text,
            f"{signal.title}，按{MEASURES_TITLE}执行" + (f"：{reason}" if reason else ""),
            dedup_key=f"rain.signal:{sid}", actor=actor,
        )
        return sid

    def _carried_checklist(self, sid: str, level: SignalLevel,
                           superseded: list[RainSignal]) -> list[dict[str, Any]]:
        old_items = [i for s in superseded for i in self.checklist(s.id)]
        done_by_key = {i.key or i.text: i for i in old_items if i.done}
        rows: list[dict[str, Any]] = []
        keys: set[str] = set()
        for m in measures_for(level):
            prev = done_by_key.get(m.key) or done_by_key.get(m.text)
            rows.append({"id": f"{sid}-{len(rows)}", "signal_id": sid, "idx": len(rows),
                         "text": m.text, "key": m.key, "level": m.from_level.value,
                         "done_at": prev.done_at if prev else None,
                         "done_by": prev.done_by if prev else None})
            keys.add(m.key)
        upgrade = any(level.rank > s.level.rank for s in superseded)
        if upgrade:
            for i in old_items:
                k = i.key or i.text
                if not i.done and k not in keys:
                    rows.append({"id": f"{sid}-{len(rows)}", "signal_id": sid, "idx": len(rows),
                                 "text": i.text, "key": k,
                                 "level": i.level.value if i.level else None,
                                 "done_at": None, "done_by": None})
                    keys.add(k)
        return rows

    def set_signal(self, level: SignalLevel | str, actor: str, *, source: str = "manual",
                   reason: str = "", office: str = DEFAULT_OFFICE,
                   districts: Iterable[str] | str = ()) -> str:
        """Record an official signal entered by hand (see ``record_signal``)."""
        return self.record_signal(level, actor, office=office, districts=districts,
                                  source=source, reason=reason)

    def lift(self, actor: str, signal_id: str | None = None) -> bool:
        """Lift (解除) a signal: ``signal_id`` or the most severe in force; False when none."""
        cur = next((s for s in self.in_force() if signal_id in (None, s.id)), None)
        if cur is None:
            return False
        with self.ws.write(actor, origin=self) as tx:
            tx.update("rain_signals", cur.id, {"lifted_at": self.ctx.clock(), "lifted_by": actor})
        self.ctx.service(AlertService).resolve_by_key(f"rain.signal:{cur.id}", actor,
                                                      note="预警信号已解除")
        log.info("rain signal %s lifted by %s", cur.title, actor)
        return True

    def tick(self, item_id: str, actor: str, done: bool = True) -> None:
        """Mark a checklist measure done (with who and when) or undo it."""
        patch = ({"done_at": self.ctx.clock(), "done_by": actor} if done
                 else {"done_at": None, "done_by": None})
        with self.ws.write(actor, origin=self) as tx:
            tx.update("rain_checklist_items", item_id, patch)

    def on_signal_event(self, event: FeedEvent) -> str | None:
        """A ``rain.signal`` feed event (a drill inject, a linked warning system): data has
        ``level`` and may have ``districts`` (list or "、"-separated), ``office``,
        ``issued_at``, ``identifier`` and ``msg_type`` ("cancel" lifts). Records the official
        signal, which shows the banner and raises an inbox alert. A bad event is logged and
        refused (None), never half-recorded."""
        data = dict(event.data or {})
        try:
            ident = str(data["identifier"]) if data.get("identifier") else None
            if str(data.get("msg_type", "")).lower() == "cancel":
                target = next((s for s in self.in_force()
                               if ident is not None and s.identifier == ident), None)
                return None if target is None or not self.lift("system", target.id) else target.id
            level = parse_level(data.get("level"))
            districts = data.get("districts") or data.get("areas") or ()
            if ident is not None and self._has_identifier(ident):
                return None
            return self.record_signal(
                level, "system", office=str(data.get("office") or DEFAULT_OFFICE),
                districts=districts if isinstance(districts, (str, list, tuple)) else (),
                issued_at=float(data.get("issued_at") or event.at), source="feed",
                identifier=ident, reason=str(data.get("note") or ""),
            )
        except (ValueError, TypeError) as exc:
            log.warning("rain.signal event refused: %s (%r)", exc, data)
            return None

    def _has_identifier(self, identifier: str) -> bool:
        return self.ws.db.execute("SELECT 1 FROM rain_signals WHERE identifier = ? LIMIT 1",
                                  [identifier]).fetchone() is not None

    def import_cap(self, path: Path | str, actor: str) -> CapImport:
        """Read one CAP 1.2 file or every ``*.xml`` in a folder: Alert/Update messages record a
        signal, Cancel lifts the one it references; a message already recorded is skipped; a
        test or exercise message is refused in a live workspace (accepted in a drill)."""
        result = CapImport()
        for file, parsed in read_cap_path(path):
            if isinstance(parsed, CapError):
                result.refused.append((file.name, str(parsed)))
                log.warning("CAP file %s refused: %s", file.name, parsed)
                continue
            reason = self._refuse_reason(parsed)
            if reason:
                result.refused.append((file.name, reason))
                log.warning("CAP file %s refused: %s", file.name, reason)
                continue
            if self._has_identifier(parsed.identifier):
                result.duplicates.append(parsed.identifier)
                continue
            if parsed.is_cancel:
                for s in self.in_force():
                    if s.identifier in parsed.references and self.lift(actor, s.id):
                        result.lifted.append(s.id)
                continue
            result.recorded.append(self.record_signal(
                parsed.level, actor, office=parsed.office, districts=parsed.areas,
                issued_at=parsed.sent_at, source="cap", identifier=parsed.identifier,
                reason=parsed.headline, cap_status=parsed.status,
                expires_at=parsed.expires_at))
        return result

    def _refuse_reason(self, s: CapSignal) -> str:
        status = s.status.lower()
        if status == "actual" or (self.ctx.drill and status == "exercise"):
            return ""
        return f"CAP 状态为 {s.status}（非正式预警），未记录"

    # -- gauges: internal assessment (内部研判) --------------------------------------------------

    def note_rain(self, readings: Iterable[SensorReading]) -> None:
        """Accepted readings with rain (the water service passes each batch on): the running
        totals are kept from here on, so ``evaluate_gauges`` reads nothing from the store."""
        if not self._fed:
            self._fed = True
            self._rain = None  # first load comes from the store and already holds this batch
            return
        if self._rain is None:
            return
        for r in readings:
            if r.rain_mm is not None and math.isfinite(r.rain_mm) and r.rain_mm >= 0:
                self._rain.setdefault(r.point_id, {})[r.at] = float(r.rain_mm)

    def _load_rain(self, now: float) -> dict[str, dict[float, float]]:
        longest = max(r.hours for r in self.rules) * HOUR_S
        rain: dict[str, dict[float, float]] = {}
        # ORDER BY id: a resent reading (same gauge and time) counts once, its last value.
        for pid, at, mm in self.ws.db.execute(
            "SELECT point_id, at, rain_mm FROM sensor_readings INDEXED BY "
            "idx_sensor_readings_rain_at WHERE rain_mm IS NOT NULL AND at > ? AND at <= ? "
            "ORDER BY id", [now - longest, now + 300.0]):
            rain.setdefault(pid, {})[float(at)] = float(mm)
        return rain

    def gauge_totals(self, now: float | None = None) -> list[GaugeTotals]:
        """Each gauge's rain over every rule window (half-open (now − h, now]). A resent
        reading (same gauge and time) counts once. Reads the rain readings of the longest
        window only (a partial index on time serves it; history does not matter), and once fed
        by the water service keeps them in memory instead."""
        now = self.ctx.clock() if now is None else now
        hours = sorted({r.hours for r in self.rules})
        longest = max(hours) * HOUR_S
        if self._fed:
            if self._rain is None:
                self._rain = self._load_rain(now)
            rain = self._rain
        else:
            rain = self._load_rain(now)
        districts = {str(r[0]): str(r[1] or "") for r in self.ws.db.execute(
            "SELECT id, district FROM water_points")}
        out: list[GaugeTotals] = []
        for pid, series in rain.items():
            for at in [a for a in series if a <= now - longest]:
                del series[at]  # fell out of every window for good
            if pid not in districts or not series:
                continue
            totals = {h: round(math.fsum(mm for at, mm in series.items()
                                         if now - h * HOUR_S < at <= now), 6) for h in hours}
            out.append(GaugeTotals(pid, districts[pid], totals))
        return out

    def judge_districts(self, now: float | None = None) -> dict[str, DistrictAssessment]:
        """Per district, the level its worst gauge's totals meet (内部研判)."""
        return assess_districts(self.gauge_totals(now), self.rules)

    def judge_gauges(self, now: float | None = None) -> GaugeJudgement:
        """The worst district's assessment (level, gauge, totals)."""
        best = GaugeJudgement(None, None, {})
        for a in self.judge_districts(now).values():
            if a.level is not None and (best.level is None or a.level.rank > best.level.rank):
                best = GaugeJudgement(a.level, a.point_id, a.totals, a.district)
        return best

    def assessments(self) -> dict[str, SignalLevel]:
        """The kept assessment per district (only districts whose rain meets a level)."""
        rows = self.ws.db.execute(
            "SELECT district, level FROM rain_district_assessment WHERE level IS NOT NULL"
        ).fetchall()
        return {str(d): SignalLevel(lv) for d, lv in rows}

    def evaluate_gauges(self, now: float | None = None) -> list[str]:
        """Judge the gauges per district and raise "雨量达到X色标准（内部研判）" for each district
        whose level went up; the kept assessment survives restarts, so nothing is raised twice.
        Never records or lifts an official signal. Returns the ids of the alerts raised."""
        now = self.ctx.clock() if now is None else now
        judged = self.judge_districts(now)
        kept = {str(r[0]): (r[1], r[2]) for r in self.ws.db.execute(
            "SELECT district, level, since FROM rain_district_assessment")}
        raised: list[tuple[DistrictAssessment, SignalLevel]] = []
        writes: list[tuple[str, dict[str, Any], bool]] = []
        for district in sorted(set(judged) | set(kept)):
            a = judged.get(district, DistrictAssessment(district, None, None, {}))
            old_value = kept.get(district, (None, None))[0]
            old = SignalLevel(old_value) if old_value else None
            if a.level == old:
                continue
            if a.level is not None and (old is None or a.level.rank > old.rank):
                raised.append((a, a.level))
            writes.append((district, {
                "district": district, "level": a.level.value if a.level else None,
                "point_id": a.point_id, "totals": json.dumps({f"{h:g}": v for h, v in
                                                              a.totals.items()}),
                "judged_at": now, "since": now}, district in kept))
        if writes:
            with self.ws.write("system", origin=self) as tx:
                for district, row, exists in writes:
                    if exists:
                        tx.update("rain_district_assessment", district, row, pk="district")
                    else:
                        tx.insert("rain_district_assessment", row, pk="district")
        ids: list[str] = []
        alerts = self.ctx.service(AlertService)
        for a, level in raised:
            totals = "，".join(f"{h:g} 小时 {mm:.1f} mm" for h, mm in sorted(a.totals.items()))
            ids.append(alerts.raise_alert(
                RAIN_ASSESSMENT, level.alert_severity, "雨量站", a.district or "未分区",
                f"{a.district} {self._point_name(a.point_id)} {totals}：{level.standard_label}。"
                "预警信号以气象台发布为准",
                dedup_key=f"rain.assessment:{a.district}",
            ))
            log.info("rain assessment %s: %s", a.district, level.standard_label)
        return ids

    def _point_name(self, point_id: str | None) -> str:
        if point_id is None:
            return ""
        row = self.ws.db.execute("SELECT name FROM water_points WHERE id = ?",
                                 [point_id]).fetchone()
        return str(row[0]) if row else point_id
