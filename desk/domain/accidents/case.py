"""The accident case (AccidentCase) and its parties (Party): what is recorded, what a draft may
lack, and what must be true before an officer may decide liability."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any

from desk.domain.accidents.eligibility import (
    EligibilityResult,
    Reason,
    Route,
    check_eligibility,
    route_refusals,
)
from desk.domain.accidents.liability import (
    LiabilityLevel,
    LiabilitySuggestion,
    combination_problems,
)
from desk.domain.accidents.states import CaseState
from desk.domain.accidents.validators import (
    LICENCE_CLASSES,
    identity_problem,
    licence_class_problem,
    parse_licence_classes,
    phone_problem,
    plate_problem,
)


class AccidentType(Enum):
    """事故情形: what the parties were doing (追尾, 变道, 倒车 …), as the dispatcher picks it. It is
    not the 事故形态 (``CollisionForm``, the GA code of how the vehicles met). ``initiator`` names
    the party whose action caused the collision for this situation (the rear car in 追尾)."""

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

    @property
    def default_form(self) -> CollisionForm | None:
        """The 事故形态 this situation usually produces (the dispatcher may change it)."""
        return _DEFAULT_FORMS.get(self)

    @property
    def violation(self) -> tuple[str, str]:
        """(违法行为/过错, 法律依据) of the initiating party in this situation; ('', '') for 其他.

        The articles are those of 《中华人民共和国道路交通安全法》 and its 实施条例 that the
        situation breaks; the officer confirms or rewrites them for the case."""
        return _VIOLATIONS.get(self, ("", ""))

    @classmethod
    def parse(cls, value: str | AccidentType | None) -> AccidentType:
        if isinstance(value, AccidentType):
            return value
        for kind in cls:
            if value in (kind.value, kind.name, kind.label):
                return kind
        return cls.OTHER


class CollisionForm(Enum):
    """事故形态 (how the vehicles met), in the terms of the GA traffic-accident information codes
    (GA/T 16.x 事故形态): kept apart from the 事故情形 (``AccidentType``)."""

    HEAD_ON = "head_on"
    SIDE = "side"
    REAR_END = "rear_end"
    SCRAPE_OPPOSITE = "scrape_opposite"
    SCRAPE_SAME = "scrape_same"
    STATIONARY_VEHICLE = "stationary_vehicle"
    FIXED_OBJECT = "fixed_object"
    RUN_OVER = "run_over"
    ROLLOVER = "rollover"
    FALL = "fall"
    FIRE = "fire"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _FORM_LABELS[self]

    @classmethod
    def parse(cls, value: str | CollisionForm | None) -> CollisionForm | None:
        if value is None or value == "":
            return None
        if isinstance(value, CollisionForm):
            return value
        for form in cls:
            if value in (form.value, form.name, form.label):
                return form
        return None


_FORM_LABELS: dict[CollisionForm, str] = {
    CollisionForm.HEAD_ON: "正面碰撞",
    CollisionForm.SIDE: "侧面碰撞",
    CollisionForm.REAR_END: "追尾碰撞",
    CollisionForm.SCRAPE_OPPOSITE: "对向刮擦",
    CollisionForm.SCRAPE_SAME: "同向刮擦",
    CollisionForm.STATIONARY_VEHICLE: "撞静止车辆",
    CollisionForm.FIXED_OBJECT: "撞固定物",
    CollisionForm.RUN_OVER: "碾压",
    CollisionForm.ROLLOVER: "翻车",
    CollisionForm.FALL: "坠车",
    CollisionForm.FIRE: "失火",
    CollisionForm.OTHER: "其他",
}

_DEFAULT_FORMS: dict[AccidentType, CollisionForm] = {
    AccidentType.REAR_END: CollisionForm.REAR_END,
    AccidentType.LANE_CHANGE: CollisionForm.SCRAPE_SAME,
    AccidentType.REVERSING: CollisionForm.REAR_END,
    AccidentType.DOOR_OPENING: CollisionForm.SIDE,
    AccidentType.FAILURE_TO_YIELD: CollisionForm.SIDE,
    AccidentType.TURNING: CollisionForm.SIDE,
    AccidentType.PARKED_SCRAPE: CollisionForm.STATIONARY_VEHICLE,
}

_VIOLATIONS: dict[AccidentType, tuple[str, str]] = {
    AccidentType.REAR_END: (
        "同车道行驶中未与前车保持足以采取紧急制动措施的安全距离",
        "《中华人民共和国道路交通安全法》第四十三条"),
    AccidentType.LANE_CHANGE: (
        "变更车道时影响相关车道内行驶的机动车正常行驶",
        "《中华人民共和国道路交通安全法实施条例》第四十四条第二款"),
    AccidentType.REVERSING: (
        "倒车时未察明车后情况，未确认安全",
        "《中华人民共和国道路交通安全法实施条例》第五十条"),
    AccidentType.DOOR_OPENING: (
        "开关车门妨碍其他车辆和行人通行",
        "《中华人民共和国道路交通安全法实施条例》第六十三条第（四）项"),
    AccidentType.FAILURE_TO_YIELD: (
        "通过交叉路口未按规定让行",
        "《中华人民共和国道路交通安全法》第四十四条、《中华人民共和国道路交通安全法实施条例》"
        "第五十二条"),
    AccidentType.TURNING: (
        "转弯时未让直行的车辆先行",
        "《中华人民共和国道路交通安全法实施条例》第五十一条第（七）项"),
    AccidentType.PARKED_SCRAPE: (
        "驾驶机动车未确保安全，与停放车辆发生碰撞",
        "《中华人民共和国道路交通安全法》第二十二条第一款"),
}

NO_FAULT = ("无导致事故发生的过错行为", "《道路交通事故处理程序规定》第六十条")
"""What the determination says for a party without fault (无责任)."""


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

WEATHER = ("晴", "阴", "雨", "雪", "雾", "大风", "沙尘", "冰雹")

VEHICLE_TYPE_CLASSES: dict[str, frozenset[str]] = {
    # 车辆类型 (GA 802) → the 准驾车型 any of which may drive it (C2: automatic small cars).
    "小型轿车": frozenset({"C1", "C2"}),
    "小型普通客车": frozenset({"C1", "C2"}),
    "小型越野客车": frozenset({"C1", "C2"}),
    "微型轿车": frozenset({"C1", "C2"}),
    "中型普通客车": frozenset({"B1"}),
    "大型普通客车": frozenset({"A1"}),
    "城市公交车": frozenset({"A3"}),
    "轻型普通货车": frozenset({"C1", "C2"}),
    "中型普通货车": frozenset({"B2"}),
    "重型普通货车": frozenset({"B2"}),
    "重型半挂牵引车": frozenset({"A2"}),
    "低速货车": frozenset({"C3"}),
    "三轮汽车": frozenset({"C4"}),
    "普通二轮摩托车": frozenset({"E"}),
    "普通三轮摩托车": frozenset({"D"}),
    "轻便摩托车": frozenset({"F"}),
}
NON_MOTOR_TYPES = ("电动自行车", "自行车", "人力三轮车", "残疾人机动轮椅车")
VEHICLE_TYPES: tuple[str, ...] = (*VEHICLE_TYPE_CLASSES, *NON_MOTOR_TYPES)
"""车辆类型 (GA 802 names for motor vehicles, then 非机动车). 出租车/网约车 are a 使用性质, not a
type."""

VEHICLE_USES = ("非营运", "出租客运", "预约出租客运", "公路客运", "旅游客运", "公交客运",
                "货运", "危险货物运输", "租赁", "校车", "警用", "消防", "救护", "工程救险",
                "营转非", "其他")
"""使用性质 as the 行驶证 records it (营运/非营运 and their kinds)."""

COLLISION_POINTS = ("车头", "车尾", "左前", "右前", "左侧", "右侧", "左后", "右后")

CONFIRM_METHODS: dict[str, str] = {
    "paper": "当事人在受理席当面书面签字确认",
    "phone": "电话确认",
    "scene": "现场书面签字确认",
}
"""How a party confirmed the 协议书 or received the 认定书. desk has no SMS gateway, so it never
records an SMS confirmation; a phone confirmation names the dispatcher and the time."""


def is_motor(vehicle_type: str) -> bool:
    """A motor vehicle (机动车), as opposed to a 非机动车 of ``NON_MOTOR_TYPES``."""
    return vehicle_type not in NON_MOTOR_TYPES


@dataclass(slots=True)
class Party:
    """One party (当事人) to an accident: a driver and the vehicle driven."""

    id: str
    seq: int  # 1 = 甲方, 2 = 乙方 ...
    name: str = ""
    id_number: str = ""  # 证件号码 (for a citizen the resident ID, also the licence number)
    phone: str = ""
    vehicle_type: str = ""  # 车辆类型 (GA 802) or a 非机动车 kind
    plate: str = ""
    insurer: str = ""
    policy_no: str = ""
    initiator: bool = False  # did this party's action cause the collision (per the type)?
    liability: LiabilityLevel | None = None
    vehicle_use: str = ""  # 使用性质 (营运/非营运 …)
    licence_type: str = "resident"  # 证件类型: key of validators.LICENCE_TYPES
    licence_no: str = ""  # 驾驶证号 when it is not the resident ID number
    permitted_class: str = ""  # 准驾车型 written on the licence (C1, A2 D …)
    fault: str = ""  # 过错/违法行为 as the determination states it
    legal_basis: str = ""  # 法律依据 of that determination
    confirm_method: str = ""  # key of CONFIRM_METHODS ('' = not confirmed)
    confirmed_by: str = ""  # the dispatcher who took a phone confirmation
    confirmed_at: float | None = None
    signature_refused: bool = False  # 拒绝签名 (noted on the document)

    @property
    def title(self) -> str:
        return party_title(self.seq)

    @property
    def motor(self) -> bool:
        return is_motor(self.vehicle_type)

    @property
    def licence_number(self) -> str:
        """The 驾驶证号 printed on documents: the ID number for a citizen."""
        return self.licence_no or (self.id_number if self.licence_type in ("", "resident") else "")

    def licence_problem(self) -> str | None:
        """第13条(一): 准驾车型 that does not cover the vehicle (None when it does, or when the
        licence class or the vehicle type is not known yet)."""
        if not self.motor or not self.permitted_class.strip():
            return None
        required = VEHICLE_TYPE_CLASSES.get(self.vehicle_type)
        if not required:
            return None
        problems = [licence_class_problem(self.permitted_class, r) for r in sorted(required)]
        if any(p is None for p in problems):
            return None
        return problems[0]

    def problems(self) -> dict[str, str]:
        """Field → Chinese message for every field that is missing or malformed. A 非机动车 has
        no plate, insurance or licence to check."""
        out: dict[str, str] = {}
        if not self.name.strip():
            out["name"] = "请填写当事人姓名"
        problem = identity_problem(self.licence_type, self.id_number)
        if problem:
            out["id_number"] = problem
        problem = phone_problem(self.phone)
        if problem:
            out["phone"] = problem
        if not self.vehicle_type.strip():
            out["vehicle_type"] = "请选择车辆类型"
        if not self.motor:
            return out
        problem = plate_problem(self.plate)
        if problem:
            out["plate"] = problem
        if not self.vehicle_use.strip():
            out["vehicle_use"] = "请选择使用性质"
        if self.licence_type not in ("", "resident") and not self.licence_no.strip():
            out["licence_no"] = "请填写驾驶证号（非居民身份证的当事人）"
        if not self.permitted_class.strip():
            out["permitted_class"] = "请填写准驾车型"
        elif not parse_licence_classes(self.permitted_class) <= LICENCE_CLASSES.keys():
            out["permitted_class"] = licence_class_problem(self.permitted_class, "C1") or ""
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
    occurred_at: float | None = None  # 事故发生时间 (not the report time)
    collision_form: CollisionForm | None = None  # 事故形态
    mediation_requested: bool = False  # 第25条: the parties jointly asked for on-the-spot mediation
    mediation_result: str = ""  # 调解结果 written on the 认定书
    doc_no: str = ""  # 文书编号 of the 认定书 / 协议书
    officer_badge: str = ""  # 警号 of the deciding officer
    issuing_unit: str = ""  # the 公安机关交通管理部门 issuing the 认定书

    def plates(self) -> list[str]:
        return [p.plate for p in self.parties if p.plate]

    def levels(self) -> list[LiabilityLevel | None]:
        return [p.liability for p in self.parties]

    def with_state(self, state: CaseState) -> AccidentCase:
        return replace(self, state=state)


def route_case(case: AccidentCase) -> EligibilityResult:
    """Where the checklist *and* the parties' data send the case (快处, 现场简易程序 or 一般程序).

    Beyond the checklist: a 准驾车型 that does not cover the party's vehicle is 第13条(一); a
    party without a vehicle (行人) falls outside 第19条."""
    base = check_eligibility(case.eligibility)
    reasons = list(base.reasons)
    for party in case.parties:
        problem = party.licence_problem()
        if problem and not any(r.key == "licences_valid" for r in reasons):
            reasons.append(Reason("licences_valid", f"{party.title}{problem}", "第13条（一）",
                                  Route.ON_SCENE))
    typed = [p for p in case.parties if p.vehicle_type]
    if typed and not any(p.motor for p in typed):
        reasons.append(Reason("vehicles_only", "无机动车参与，不属于第19条的自行协商情形",
                              "第19条", Route.ON_SCENE))
    if len(reasons) == len(base.reasons):
        return base
    return route_refusals(reasons, list(base.unanswered))


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


def default_fault(accident_type: AccidentType, party: Party) -> tuple[str, str]:
    """(过错/违法行为, 法律依据) to pre-fill for a party: the situation's violation for the party
    at fault, 无过错 for one without liability."""
    if party.liability is LiabilityLevel.NONE:
        return NO_FAULT
    if party.initiator or party.liability in (LiabilityLevel.FULL, LiabilityLevel.MAJOR):
        return accident_type.violation
    return ("", "")


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
    # 第24条: the 认定书 records the accident's time, weather, 事故形态 and 碰撞部位.
    if case.occurred_at is None:
        blockers.append("请填写事故发生时间")
    elif case.occurred_at > case.reported_at + 60:
        blockers.append("事故发生时间晚于报警时间，请核对")
    if not case.weather.strip():
        blockers.append("请选择天气")
    if case.collision_form is None:
        blockers.append("请选择事故形态")
    if not case.collision_points:
        blockers.append("请勾选碰撞部位")
    if len(case.parties) < 2:
        blockers.append("至少需要两方当事人")
    for party in case.parties:
        for message in party.problems().values():
            blockers.append(f"{party.title}：{message}")
    result = route_case(case)
    if result.eligible is False:
        blockers.append(result.summary)
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


def determination_blockers(case: AccidentCase) -> list[str]:
    """What an officer's 认定书 needs beyond the facts: each party's 过错/违法行为 and its legal
    basis (written as a determination), the officer's 警号 and the issuing department."""
    blockers: list[str] = []
    for party in case.parties:
        if party.liability is not None and party.liability is not LiabilityLevel.NONE:
            if not party.fault.strip():
                blockers.append(f"{party.title}：请填写过错/违法行为")
            if not party.legal_basis.strip():
                blockers.append(f"{party.title}：请填写法律依据")
    if case.mediation_requested and not case.mediation_result.strip():
        blockers.append("当事人共同申请当场调解，请填写调解结果（第25条）")
    return blockers


def confirmation_blockers(case: AccidentCase) -> list[str]:
    """The 协议书 is the parties' own agreement: each party must have confirmed it, and the desk
    records how (never an SMS it did not send)."""
    return [f"{p.title}：尚未确认协议（请选择确认方式）" for p in case.parties
            if not p.confirm_method and not p.signature_refused]


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
        "occurred_at": case.occurred_at,
        "collision_form": case.collision_form.value if case.collision_form else None,
        "mediation_requested": int(case.mediation_requested),
        "mediation_result": case.mediation_result,
        "doc_no": case.doc_no,
        "officer_badge": case.officer_badge,
        "issuing_unit": case.issuing_unit,
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
        "vehicle_use": party.vehicle_use,
        "licence_type": party.licence_type,
        "licence_no": party.licence_no,
        "permitted_class": party.permitted_class,
        "fault": party.fault,
        "legal_basis": party.legal_basis,
        "confirm_method": party.confirm_method,
        "confirmed_by": party.confirmed_by,
        "confirmed_at": party.confirmed_at,
        "signature_refused": int(party.signature_refused),
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
        vehicle_use=row.get("vehicle_use") or "",
        licence_type=row.get("licence_type") or "resident",
        licence_no=row.get("licence_no") or "",
        permitted_class=row.get("permitted_class") or "",
        fault=row.get("fault") or "",
        legal_basis=row.get("legal_basis") or "",
        confirm_method=row.get("confirm_method") or "",
        confirmed_by=row.get("confirmed_by") or "",
        confirmed_at=row.get("confirmed_at"),
        signature_refused=bool(row.get("signature_refused")),
    )
