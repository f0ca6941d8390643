"""Alerts (告警) from every source: severity, the state machine new → acknowledged → assigned →
resolved, and folding of duplicates of a still-open alert into a counter."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    """How urgent an alert is. Values are stored; ``rank`` orders the inbox (0 = most urgent).

    - red (红): act now — a road must close, a tunnel floods, a red rainstorm signal; plays a sound.
    - orange (橙): act within minutes — warning depth, rapid rise, a post left unstaffed.
    - yellow (黄): watch — caution depth, a stale unit, an overdue case.
    - blue (蓝): information — a camera offline, a blue signal.
    """

    RED = "red"
    ORANGE = "orange"
    YELLOW = "yellow"
    BLUE = "blue"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]

    @property
    def label(self) -> str:
        return _SEVERITY_LABELS[self]


_SEVERITY_RANK = {Severity.RED: 0, Severity.ORANGE: 1, Severity.YELLOW: 2, Severity.BLUE: 3}
_SEVERITY_LABELS = {
    Severity.RED: "红色", Severity.ORANGE: "橙色", Severity.YELLOW: "黄色", Severity.BLUE: "蓝色",
}

#: "info" is accepted as an alias of blue, so callers from other features can say what they mean.
SEVERITY_ALIASES = {"info": Severity.BLUE}


def parse_severity(value: str) -> Severity:
    """The Severity named by ``value`` ("red", "orange", "yellow", "blue" or "info")."""
    key = value.strip().lower()
    if key in SEVERITY_ALIASES:
        return SEVERITY_ALIASES[key]
    try:
        return Severity(key)
    except ValueError:
        raise ValueError(f"未知的告警级别：{value}") from None


class AlertState(StrEnum):
    NEW = "new"  # 新告警
    ACKNOWLEDGED = "acknowledged"  # 已确认
    ASSIGNED = "assigned"  # 已指派
    RESOLVED = "resolved"  # 已处置

    @property
    def label(self) -> str:
        return _STATE_LABELS[self]

    @property
    def is_open(self) -> bool:
        return self is not AlertState.RESOLVED


_STATE_LABELS = {
    AlertState.NEW: "新告警",
    AlertState.ACKNOWLEDGED: "已确认",
    AlertState.ASSIGNED: "已指派",
    AlertState.RESOLVED: "已处置",
}


class AlertAction(StrEnum):
    RAISE = "raise"
    FOLD = "fold"
    ACKNOWLEDGE = "acknowledge"
    ASSIGN = "assign"
    RESOLVE = "resolve"

    @property
    def label(self) -> str:
        return _ACTION_LABELS[self]


_ACTION_LABELS = {
    AlertAction.RAISE: "产生",
    AlertAction.FOLD: "重复合并",
    AlertAction.ACKNOWLEDGE: "确认",
    AlertAction.ASSIGN: "指派",
    AlertAction.RESOLVE: "处置完毕",
}

#: Which state each action may start from, and where it leads. Skipping ahead is allowed (a red
#: alert may be assigned straight away: assigning implies the dispatcher has seen it), going back
#: is not, and a resolved alert is final — a new occurrence raises a new alert.
_TRANSITIONS: dict[AlertAction, tuple[frozenset[AlertState], AlertState]] = {
    AlertAction.ACKNOWLEDGE: (frozenset({AlertState.NEW}), AlertState.ACKNOWLEDGED),
    AlertAction.ASSIGN: (
        frozenset({AlertState.NEW, AlertState.ACKNOWLEDGED, AlertState.ASSIGNED}),
        AlertState.ASSIGNED,
    ),
    AlertAction.RESOLVE: (
        frozenset({AlertState.NEW, AlertState.ACKNOWLEDGED, AlertState.ASSIGNED}),
        AlertState.RESOLVED,
    ),
}


class AlertTransitionError(ValueError):
    """An action that the alert's current state does not allow (message in Chinese for the UI)."""


def next_state(state: AlertState, action: AlertAction) -> AlertState:
    """The state after ``action``; raises ``AlertTransitionError`` when not allowed."""
    if action not in _TRANSITIONS:
        raise AlertTransitionError(f"无法对告警执行“{action.label}”")
    allowed, target = _TRANSITIONS[action]
    if state not in allowed:
        raise AlertTransitionError(f"告警当前为“{state.label}”，不能{action.label}")
    return target


class AlertKind(StrEnum):
    """Known sources of alerts; other features may use their own dotted names too."""

    WATER_THRESHOLD = "water.threshold"
    WATER_RISE = "water.rise"
    RAIN_SIGNAL = "rain.signal"
    RAIN_ASSESSMENT = "rain.assessment"  # 雨量内部研判 per district (desk.services.rainstorm)
    UNIT_OFFLINE = "unit.offline"
    UNIT_STALE = "unit.stale"
    CAMERA_OFFLINE = "camera.offline"
    ACCIDENT_OVERDUE = "accident.overdue"
    DUTY_UNSTAFFED = "duty.unstaffed"
    DUTY_OFF_POST = "duty.off_post"
    CENTRAL = "central.alert"
    CONGESTION = "traffic.congestion"
    CROWD = "crowd"


KIND_LABELS: dict[str, str] = {
    AlertKind.WATER_THRESHOLD: "积水超阈值",
    AlertKind.WATER_RISE: "水位快速上涨",
    AlertKind.RAIN_SIGNAL: "暴雨预警",
    AlertKind.RAIN_ASSESSMENT: "雨量研判",
    AlertKind.UNIT_OFFLINE: "警力离线",
    AlertKind.UNIT_STALE: "定位过期",
    AlertKind.CAMERA_OFFLINE: "摄像机离线",
    AlertKind.ACCIDENT_OVERDUE: "事故超时",
    AlertKind.DUTY_UNSTAFFED: "岗位无人",
    AlertKind.DUTY_OFF_POST: "脱岗",
    "duty.no_show": "未到岗",  # desk.services.duty_supervision
    "duty.no_fix": "在岗无定位",
    AlertKind.CENTRAL: "指挥中心告警",
    AlertKind.CONGESTION: "道路拥堵",
    AlertKind.CROWD: "人员聚集",
}


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)


@dataclass(frozen=True, slots=True)
class Alert:
    """One alert as the inbox shows it. Times are POSIX seconds; ``count`` is 1 + folded repeats."""

    id: str
    kind: str
    severity: Severity
    source: str
    place: str
    message: str
    state: AlertState
    raised_at: float
    last_at: float
    count: int = 1
    dedup_key: str | None = None
    lat: float | None = None
    lon: float | None = None
    acked_by: str | None = None
    acked_at: float | None = None
    assigned_to: str | None = None
    assigned_at: float | None = None
    resolved_by: str | None = None
    resolved_at: float | None = None

    @property
    def is_open(self) -> bool:
        return self.state.is_open

    def sort_key(self) -> tuple[int, float]:
        """Inbox order: most severe first, then newest (by the latest occurrence) first."""
        return (self.severity.rank, -self.last_at)


def fold_severity(current: Severity, incoming: Severity) -> Severity:
    """A folded duplicate can escalate an open alert, never downgrade it."""
    return incoming if incoming.rank < current.rank else current


@dataclass(frozen=True, slots=True)
class AlertEvent:
    """Who did what to an alert, when."""

    alert_id: str
    at: float
    actor: str
    action: AlertAction
    note: str = ""


#: desk-central's ``POST /alerts`` levels (and a few synonyms) as inbox severities.
CENTRAL_LEVELS = {"critical": Severity.RED, "warning": Severity.ORANGE, "info": Severity.BLUE}

#: Congestion levels as the drill and traffic feeds name them (GA/T 115 grades 严重/中度/轻度
#: 拥堵 and 畅通 map onto these).
CONGESTION_LEVELS = {
    "severe": Severity.ORANGE, "严重": Severity.ORANGE, "严重拥堵": Severity.ORANGE,
    "heavy": Severity.ORANGE, "congested": Severity.YELLOW, "moderate": Severity.YELLOW,
    "中度": Severity.YELLOW, "中度拥堵": Severity.YELLOW, "拥堵": Severity.YELLOW,
    "slow": Severity.BLUE, "light": Severity.BLUE, "轻度": Severity.BLUE, "轻度拥堵": Severity.BLUE,
    "缓行": Severity.BLUE,
}
CONGESTION_LABELS = {Severity.ORANGE: "严重拥堵", Severity.YELLOW: "拥堵", Severity.BLUE: "缓行"}

#: Crowd sizes (people) from which a gathering is red / orange; below, yellow. A dense crowd of
#: ten thousand in a 商圈 is a crush risk that needs forces now.
CROWD_RED = 10_000
CROWD_ORANGE = 3_000


def central_severity(level: object) -> Severity:
    """The severity of a desk-central alert level (unknown levels are orange, never dropped)."""
    key = str(level or "").strip().lower()
    if key in CENTRAL_LEVELS:
        return CENTRAL_LEVELS[key]
    try:
        return parse_severity(key)
    except ValueError:
        return Severity.ORANGE


def congestion_severity(level: object) -> Severity:
    return CONGESTION_LEVELS.get(str(level or "").strip().lower(), Severity.YELLOW)


def crowd_severity(size: int | None) -> Severity:
    if size is not None and size >= CROWD_RED:
        return Severity.RED
    if size is not None and size >= CROWD_ORANGE:
        return Severity.ORANGE
    return Severity.YELLOW
