"""Rainstorm warning signals in force: set by hand or raised from rain gauges, each with its
defence-guidance checklist that dispatchers tick off with times."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

from desk.domain.alerts import AlertKind
from desk.domain.rainstorm import (
    HOUR_S,
    NATIONAL_RULES,
    SignalLevel,
    SignalRule,
    checklist_for,
    signal_from_gauge,
)
from desk.services.alerts import AlertService
from desk.services.context import AppContext

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RainSignal:
    id: str
    level: SignalLevel
    source: str  # "manual" (人工发布) or "gauge" (雨量站自动)
    reason: str
    raised_at: float
    raised_by: str
    lifted_at: float | None = None
    lifted_by: str | None = None


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    id: str
    signal_id: str
    idx: int
    text: str
    done_at: float | None
    done_by: str | None

    @property
    def done(self) -> bool:
        return self.done_at is not None


@dataclass(frozen=True, slots=True)
class GaugeJudgement:
    """What the gauges say now: the level and the gauge and totals that decided it."""

    level: SignalLevel | None
    point_id: str | None
    totals: dict[float, float]


class RainstormService:
    """The signal in force (at most one). ``ctx.service(RainstormService)``."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.ws = ctx.workspace
        rules = ctx.settings.get("rain.rules")
        self.rules: tuple[SignalRule, ...] = tuple(rules) if rules else NATIONAL_RULES

    # -- reading -------------------------------------------------------------------------------

    def current(self) -> RainSignal | None:
        row = self.ws.db.execute(
            "SELECT id, level, source, reason, raised_at, raised_by, lifted_at, lifted_by "
            "FROM rain_signals WHERE lifted_at IS NULL ORDER BY raised_at DESC LIMIT 1"
        ).fetchone()
        if row is None:
            return None
        return RainSignal(row[0], SignalLevel(row[1]), row[2], row[3] or "", row[4], row[5],
                          row[6], row[7])

    def history(self) -> list[RainSignal]:
        rows = self.ws.db.execute(
            "SELECT id, level, source, reason, raised_at, raised_by, lifted_at, lifted_by "
            "FROM rain_signals ORDER BY raised_at"
        ).fetchall()
        return [RainSignal(r[0], SignalLevel(r[1]), r[2], r[3] or "", r[4], r[5], r[6], r[7])
                for r in rows]

    def checklist(self, signal_id: str) -> list[ChecklistItem]:
        rows = self.ws.db.execute(
            "SELECT id, signal_id, idx, text, done_at, done_by FROM rain_checklist_items "
            "WHERE signal_id = ? ORDER BY idx", [signal_id],
        ).fetchall()
        return [ChecklistItem(*r) for r in rows]

    # -- writing -------------------------------------------------------------------------------

    def set_signal(
        self, level: SignalLevel | str, actor: str, *, source: str = "manual", reason: str = ""
    ) -> str:
        """Put ``level`` in force, lifting any current signal (a manual call may lower the level:
        the meteorological office downgrades signals too). Returns the new signal's id."""
        level = SignalLevel(level)
        now = self.ctx.clock()
        sid = f"rs-{uuid.uuid4().hex[:16]}"
        with self.ws.write(actor, origin=self) as tx:
            cur = self.current()
            if cur is not None:
                tx.update("rain_signals", cur.id, {"lifted_at": now, "lifted_by": actor})
            tx.insert("rain_signals", {
                "id": sid, "level": level.value, "source": source, "reason": reason,
                "raised_at": now, "raised_by": actor, "lifted_at": None, "lifted_by": None,
            })
            tx.insert_many("rain_checklist_items", [
                {"id": f"{sid}-{i}", "signal_id": sid, "idx": i, "text": text,
                 "done_at": None, "done_by": None}
                for i, text in enumerate(checklist_for(level))
            ])
        log.info("rain signal %s in force (%s by %s): %s", level.value, source, actor, reason)
        self.ctx.service(AlertService).raise_alert(
            AlertKind.RAIN_SIGNAL, level.alert_severity, "气象" if source == "manual" else "雨量站",
            "全市", f"{level.label}生效" + (f"：{reason}" if reason else ""),
            dedup_key=f"rain.signal:{level.value}", actor=actor,
        )
        return sid

    def lift(self, actor: str) -> bool:
        """Lift (解除) the signal in force; False when none was."""
        cur = self.current()
        if cur is None:
            return False
        with self.ws.write(actor, origin=self) as tx:
            tx.update("rain_signals", cur.id, {"lifted_at": self.ctx.clock(), "lifted_by": actor})
        log.info("rain signal %s lifted by %s", cur.level.value, actor)
        return True

    def tick(self, item_id: str, actor: str, done: bool = True) -> None:
        """Mark a checklist action done (with who and when) or undo it."""
        patch = ({"done_at": self.ctx.clock(), "done_by": actor} if done
                 else {"done_at": None, "done_by": None})
        with self.ws.write(actor, origin=self) as tx:
            tx.update("rain_checklist_items", item_id, patch)

    # -- gauges --------------------------------------------------------------------------------

    def judge_gauges(self, now: float | None = None) -> GaugeJudgement:
        """The level the rain gauges call for now (the worst gauge decides)."""
        now = self.ctx.clock() if now is None else now
        longest = max(r.hours for r in self.rules)
        rows = self.ws.db.execute(
            "SELECT point_id, at, rain_mm FROM sensor_readings "
            "WHERE rain_mm IS NOT NULL AND at > ? AND at <= ?", [now - longest * HOUR_S, now],
        ).fetchall()
        per_gauge: dict[str, list[tuple[float, float | None]]] = {}
        for pid, at, mm in rows:
            per_gauge.setdefault(pid, []).append((at, mm))
        best = GaugeJudgement(None, None, {})
        for pid, series in per_gauge.items():
            level, totals = signal_from_gauge(series, now, self.rules)
            if level is not None and (best.level is None or level.rank > best.level.rank):
                best = GaugeJudgement(level, pid, totals)
        return best

    def evaluate_gauges(self, now: float | None = None) -> str | None:
        """Raise a signal when the gauges call for a higher level than the one in force.
        Never lowers or lifts a signal by itself: that stays a person's decision."""
        judgement = self.judge_gauges(now)
        if judgement.level is None:
            return None
        cur = self.current()
        if cur is not None and cur.level.rank >= judgement.level.rank:
            return None
        totals = "，".join(f"{h:g} 小时 {mm:.1f} mm" for h, mm in sorted(judgement.totals.items()))
        name = self._point_name(judgement.point_id)
        return self.set_signal(judgement.level, "system", source="gauge",
                               reason=f"{name} 雨量：{totals}")

    def _point_name(self, point_id: str | None) -> str:
        if point_id is None:
            return ""
        row = self.ws.db.execute("SELECT name FROM water_points WHERE id = ?",
                                 [point_id]).fetchone()
        return str(row[0]) if row else point_id
