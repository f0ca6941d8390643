"""Who may do what on desk-central: bearer tokens, roles and the station scope of a chief.

Roles: ``dispatcher`` (live and drill data), ``station_chief`` (records of one station only),
``trainer`` (the drill namespace only), ``admin`` (everything, users and audit), and ``device``
(telemetry only: a GPS tracker or gateway), ``insurer`` (the insurer hand-off endpoints only,
optionally scoped to one insurance company). Refusals carry a reason code and a Chinese message.

Tokens expire (``expires_at``), can be revoked (``desk-central user revoke``) and rotated
(``desk-central user rotate``: a new token, the old one stops working at once). A device token is
bound to the one unit it reports for (``--unit``); a gateway that forwards many trackers is issued
explicitly with ``--gateway``. Read scoping: a station chief sees the ID numbers and phones of the
parties of their own station's accident cases only (others are redacted, see
:func:`redact_parties`); op results are looked up within the caller's namespace.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from desk.central.storage import Principal
from desk.sync.rules import EntityRule

WRITE_ROLES = ("dispatcher", "station_chief", "trainer", "admin")
READ_ROLES = WRITE_ROLES
TELEMETRY_ROLES = ("dispatcher", "admin", "device")
INSURER_ROLES = ("insurer", "admin")

REASONS = {
    "missing_token": "缺少访问令牌（Authorization: Bearer …）",
    "bad_token": "访问令牌无效",
    "expired_token": "访问令牌已过期，请联系管理员重新签发（desk-central user rotate）",
    "revoked_token": "访问令牌已被吊销，请联系管理员重新签发",
    "device_unbound": "该设备令牌未绑定单位，请用 --unit（或网关用 --gateway）重新签发",
    "other_unit": "设备令牌只能上报其绑定单位的位置",
    "invalid_input": "请求内容无效",
    "too_large": "请求体过大",
    "role_forbidden": "当前角色无权执行此操作",
    "trainer_live_write": "培训员只能写入演练数据",
    "trainer_live_read": "培训员只能读取演练数据",
    "other_station": "中队长只能修改本中队的数据",
    "no_station_scope": "此类数据不属于任何中队，中队长无权修改",
    "other_insurer": "只能处理本保险公司的理赔",
    "not_found": "记录不存在",
    "already_acked": "该理赔已被答复，不能再次更改",
    "reason_required": "拒绝理赔必须填写原因",
    "conflict": "该理赔刚被他人答复，请刷新后重试",
}


def namespace_denial(who: Principal, ns: str, *, write: bool) -> str | None:
    """Whether ``who`` may touch namespace ``ns`` at all."""
    if who.role in ("device", "insurer"):
        # Neither sees the data feed: a device only reports, an insurer only its claims.
        return "role_forbidden"
    if who.role == "trainer" and ns != "drill":
        return "trainer_live_write" if write else "trainer_live_read"
    return None


GATEWAY = "*"
"""A device token's binding when it may report for every unit (an integration gateway)."""
#: Personal data of accident parties that only the case's own station (and non-chief roles) see.
PERSONAL_FIELDS = ("id_number", "phone")
REDACTED = "（无权查看）"


def device_denial(who: Principal, unit_id: str) -> str | None:
    """Whether ``who`` may report a position of ``unit_id`` (other roles than device: yes)."""
    if who.role != "device":
        return None
    if who.unit_id is None:
        return "device_unbound"
    if who.unit_id not in (GATEWAY, unit_id):
        return "other_unit"
    return None


def redact_parties(
    who: Principal, parties: list[dict[str, Any]], case_station: Mapping[str, str | None],
) -> int:
    """Blank the personal fields of accident parties a station chief may not see, in place:
    those of cases not of their station (``case_station``: case id → station, ``None`` when no
    station owns it). Returns how many records were redacted. Other roles see everything."""
    if who.role != "station_chief":
        return 0
    redacted = 0
    for data in parties:
        if case_station.get(str(data.get("case_id"))) == who.station_id:
            continue
        hit = False
        for name in PERSONAL_FIELDS:
            if data.get(name) not in (None, ""):
                data[name] = REDACTED
                hit = True
        redacted += hit
    return redacted


def authorize_op(  # noqa: PLR0917
    who: Principal, rule: EntityRule, ns: str, entity_id: str,
    existing: dict[str, Any] | None, patch: dict[str, Any] | None,
) -> str | None:
    """The per-record check run inside the ops transaction (it needs the stored record)."""
    denial = namespace_denial(who, ns, write=True)
    if denial:
        return denial
    if who.role != "station_chief":
        return None
    field = rule.station_field
    if field is None:
        return "no_station_scope"
    if field == rule.pk:
        return None if entity_id == who.station_id else "other_station"
    if existing is not None and existing.get(field) != who.station_id:
        return "other_station"
    if patch is not None and field in patch and patch[field] != who.station_id:
        return "other_station"
    if existing is None and (patch is None or patch.get(field) != who.station_id):
        return "other_station"
    return None
