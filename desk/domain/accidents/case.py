"""The accident case (AccidentCase) and its parties (Party): what is recorded, what a draft may
lack, and what must be true before an officer may decide liability."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any

from desk.domain.accidents.eligibility import check_eligibility
from desk.domain.accidents.liability import (
    LiabilityLevel,
    LiabilitySuggestion,
    combination_problems,
)
from desk.domain.accidents.states import CaseState
from desk.domain.accidents.validators import phone_problem, plate_problem, resident_id_problem


class AccidentType(Enum):
    """事故形态 as the dispatcher picks it. ``initiator`` names the party whose action caused the
    collision for this type (the rear car in a rear-end collision)."""

    REAR_END = "rear_end"
    LANE_CHANGE = "lane_change"
    REVERSING = "reversing"
    DOOR_OPENING = "door_opening"
    FAILURE_TO_YIELD = "failure_to_yield"
    TURNING = "turning"
    PARKED_SCRAPE = "parked_scrape"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _TYPE_LABELS[self][0]

    @property
    def initiator(self) -> str:
        return _TYPE_LABELS[self][1]

    @classmethod
    def parse(cls, value: str | AccidentType | None) -> AccidentType:
        if isinstance(value, AccidentType):
            return value
        for kind in cls:
            if value in (kind.value, kind.name, kind.label):
                return kind
        return cls.OTHER


_TYPE_LABELS: dict[AccidentType, tuple[str, str]] = {
    AccidentType.REAR_END: ("追尾", "后车（追尾方）"),
    AccidentType.LANE_CHANGE: ("变道", "变更车道方"),
    AccidentType.REVERSING: ("倒车", "倒车方"),
    AccidentType.DOOR_OPENING: ("开关车门", "开关车门方"),
    AccidentType.FAILURE_TO_YIELD: ("路口未让行", "未按规定让行方"),
    AccidentType.TURNING: ("转弯未让直行", "转弯方"),
    AccidentType.PARKED_SCRAPE: ("刮擦停放车辆", "行驶方"),
    AccidentType.OTHER: ("其他", "—"),
}


class EvidenceKind(Enum):
    FRONT_SIDE = "front_side"
    REAR_SIDE = "rear_side"
    COLLISION_POINT = "collision_point"
    DOCUMENT = "document"
    OTHER_PHOTO = "other_photo"
    VIDEO = "video"

    @property
    def label(self) -> str:
        return _EVIDENCE_LABELS[self]


_EVIDENCE_LABELS = {
    EvidenceKind.FRONT_SIDE: "车前侧照片",
    EvidenceKind.REAR_SIDE: "车后侧照片",
    EvidenceKind.COLLISION_POINT: "碰撞部位照片",
    EvidenceKind.DOCUMENT: "证件照片",
    EvidenceKind.OTHER_PHOTO: "其他照片",
    EvidenceKind.VIDEO: "视频",
}

REQUIRED_PHOTOS: tuple[EvidenceKind, ...] = (
    EvidenceKind.FRONT_SIDE,
    EvidenceKind.REAR_SIDE,
    EvidenceKind.COLLISION_POINT,
)
"""The photos the 12123 flow asks for; without them liability cannot be decided."""

WEATHER = ("晴", "阴", "雨", "雪", "雾", "大风")
VEHICLE_TYPES = ("小型轿车", "小型普通客车", "小型越野客车", "轻型货车", "中型客车", "大型客车",
                 "重型货车", "出租车", "网约车", "新能源小型车", "其他")
COLLISION_POINTS = ("车头", "车尾", "左前", "右前", "左侧", "右侧", "左后", "右后")


@dataclass(slots=True)
class Party:
    """One party (当事人) to an accident: a driver and the vehicle driven."""

    id: str
    seq: int  # 1 = 甲方, 2 = 乙方 ...
    name: str = ""
    id_number: str = ""  # 身份证号 (also the driving-licence number in China)
    phone: str = ""
    vehicle_type: str = ""
    plate: str = ""
    insurer: str = ""
    policy_no: str = ""
    initiator: bool = False  # did this party's action cause the collision (per the type)?
    liability: LiabilityLevel | None = None

    @property
    def title(self) -> str:
        return party_title(self.seq)

    def problems(self) -> dict[str, str]:
        """Field → Chinese message for every field that is missing or malformed."""
        out: dict[str, str] = {}
        if not self.name.strip():
            out["name"] = "请填写当事人姓名"
        for key, check in (("id_number", resident_id_problem), ("phone", phone_problem),
                           ("plate", plate_problem)):
            problem = check(getattr(self, key))
            if problem:
                out[key] = problem
        if not self.insurer.strip():
            out["insurer"] = "请填写承保保险公司"
        if not self.policy_no.strip():
            out["policy_no"] = "请填写交强险保单号"
        return out


def party_title(seq: int) -> str:
    names = "甲乙丙丁戊己庚辛"
    return f"{names[seq - 1]}方" if 1 <= seq <= len(names) else f"第{seq}方"


@dataclass(slots=True)
class AccidentCase:
    """A minor-accident case. Times are epoch seconds; position WGS-84."""

    id: str
    case_no: str
    state: CaseState
    reported_at: float
    lat: float | None = None
    lon: float | None = None
    place: str = ""
    weather: str = ""
    accident_type: AccidentType = AccidentType.OTHER
    collision_points: tuple[str, ...] = ()
    narrative: str = ""
    parties: list[Party] = field(default_factory=list)
    eligibility: dict[str, bool | None] = field(default_factory=dict)
    liability_override_reason: str = ""
    officer: str = ""
    case_key: str = ""
    source: str = "manual"
    accepted_at: float | None = None
    decided_at: float | None = None
    closed_at: float | None = None
    incident_id: str | None = None
    updated_at: float = 0.0

    def plates(self) -> list[str]:
        return [p.plate for p in self.parties if p.plate]

    def levels(self) -> list[LiabilityLevel | None]:
        return [p.liability for p in self.parties]

    def with_state(self, state: CaseState) -> AccidentCase:
        return replace(self, state=state)


def suggest_liability(
    accident_type: AccidentType, parties: Sequence[Party]
) -> LiabilitySuggestion | None:
    """The liability the accident type suggests: the initiating party 全部, the others 无.

    No suggestion when the type names no initiator (其他), when nobody is marked as the initiator,
    or when several are (then it is the officer's judgement between 主次 and 同等).
    """
    if accident_type is AccidentType.OTHER or len(parties) < 2:
        return None
    initiators = [p for p in parties if p.initiator]
    if len(initiators) != 1:
        return None
    levels = tuple(
        LiabilityLevel.FULL if p.initiator else LiabilityLevel.NONE for p in parties
    )
    who = initiators[0].title
    basis = f"{accident_type.label}：{who}为{accident_type.initiator}，建议承担全部责任"
    return LiabilitySuggestion(levels, basis)


def decision_blockers(
    case: AccidentCase, evidence_kinds: Iterable[EvidenceKind | str]
) -> list[str]:
    """Everything that stops an officer deciding liability (定责), in Chinese. A draft may be
    saved with any of these open; a decision may not."""
    blockers: list[str] = []
    have = {EvidenceKind(k) if isinstance(k, str) else k for k in evidence_kinds}
    for kind in REQUIRED_PHOTOS:
        if kind not in have:
            blockers.append(f"缺少{kind.label}")
    if len(case.parties) < 2:
        blockers.append("至少需要两方当事人")
    for party in case.parties:
        for message in party.problems().values():
            blockers.append(f"{party.title}：{message}")
    result = check_eligibility(case.eligibility)
    if result.eligible is False:
        blockers.append(result.summary + "，应转一般程序")
    elif result.eligible is None:
        blockers.append(f"快处条件{result.summary}")
    blockers.extend(combination_problems(case.levels()))
    suggestion = suggest_liability(case.accident_type, case.parties)
    if (
        suggestion is not None
        and all(p.liability is not None for p in case.parties)
        and tuple(case.levels()) != suggestion.levels
        and not case.liability_override_reason.strip()
    ):
        blockers.append("责任认定与系统建议不一致，请填写调整理由")
    if not case.place.strip():
        blockers.append("请填写事故地点")
    return blockers


def settlement_blockers(
    case: AccidentCase, evidence_kinds: Iterable[EvidenceKind | str]
) -> list[str]:
    """What stops a 自行协商 agreement: the same facts, but the parties agree liability themselves,
    so a difference from the suggestion needs no officer's reason."""
    reason = case.liability_override_reason or "当事人协商"
    without_reason = replace(case, liability_override_reason=reason)
    return decision_blockers(without_reason, evidence_kinds)


def case_to_row(case: AccidentCase) -> dict[str, Any]:
    """The ``accident_cases`` row for a case (parties live in their own table)."""
    return {
        "id": case.id,
        "case_no": case.case_no,
        "case_key": case.case_key or case.id,
        "state": case.state.value,
        "lat": case.lat,
        "lon": case.lon,
        "place": case.place,
        "weather": case.weather,
        "accident_type": case.accident_type.value,
        "collision_points": list(case.collision_points),
        "narrative": case.narrative,
        "eligibility": dict(case.eligibility),
        "liability_override_reason": case.liability_override_reason,
        "officer": case.officer,
        "source": case.source,
        "reported_at": case.reported_at,
        "accepted_at": case.accepted_at,
        "decided_at": case.decided_at,
        "closed_at": case.closed_at,
        "incident_id": case.incident_id,
        "updated_at": case.updated_at,
    }


def party_to_row(case_id: str, party: Party) -> dict[str, Any]:
    return {
        "id": party.id,
        "case_id": case_id,
        "seq": party.seq,
        "name": party.name,
        "id_number": party.id_number,
        "phone": party.phone,
        "vehicle_type": party.vehicle_type,
        "plate": party.plate,
        "insurer": party.insurer,
        "policy_no": party.policy_no,
        "initiator": int(party.initiator),
        "liability": party.liability.value if party.liability else None,
    }


def party_from_row(row: dict[str, Any]) -> Party:
    return Party(
        id=str(row["id"]),
        seq=int(row["seq"]),
        name=row.get("name") or "",
        id_number=row.get("id_number") or "",
        phone=row.get("phone") or "",
        vehicle_type=row.get("vehicle_type") or "",
        plate=row.get("plate") or "",
        insurer=row.get("insurer") or "",
        policy_no=row.get("policy_no") or "",
        initiator=bool(row.get("initiator")),
        liability=LiabilityLevel.parse(row.get("liability")),
    )
