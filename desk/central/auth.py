"""Who may do what on desk-central: bearer tokens, roles and the station scope of a chief.

Roles: ``dispatcher`` (live and drill data), ``station_chief`` (records of one station only),
``trainer`` (the drill namespace only), ``admin`` (everything, users and audit), and ``device``
(telemetry only: a GPS tracker or gateway), ``insurer`` (the insurer hand-off endpoints only,
optionally scoped to one insurance company). Refusals carry a reason code and a Chinese message.
"""

from __future__ import annotations

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
