"""Size limits of synced data, defined once for the workstation and desk-central alike.

A value the workstation accepts but the central refuses never syncs, and nobody is told; so both
sides check the same numbers from here: the local write path (outbox/services) refuses an edit
with :func:`field_problem`'s Chinese message before it is stored, and desk-central refuses the
same op with the same reason code.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

#: The longest text one field of a synced record may hold, in characters (a narrative, a note).
MAX_TEXT_CHARS = 10_000
#: The largest synced record, as compact UTF-8 JSON of all its fields, in bytes.
MAX_RECORD_BYTES = 128 * 1024
#: The most fields one record (or one op's patch) may carry.
MAX_FIELDS = 500

#: Reason codes (the central's ``OpResult.reason``) and their messages for the dispatcher.
LIMIT_REASONS = {
    "value_too_long": f"文字过长：单个字段最多 {MAX_TEXT_CHARS} 个字",
    "record_too_large": f"记录过大：单条记录最多 {MAX_RECORD_BYTES // 1024} KB",
    "too_many_fields": f"字段过多：单条记录最多 {MAX_FIELDS} 个字段",
}


def record_bytes(record: Mapping[str, Any]) -> int:
    """The size of ``record`` as the central stores it (compact JSON, UTF-8)."""
    text = json.dumps(dict(record), ensure_ascii=False, separators=(",", ":"), default=str)
    return len(text.encode("utf-8", "surrogatepass"))


def field_problem(record: Mapping[str, Any]) -> str | None:
    """The reason code (a key of :data:`LIMIT_REASONS`) why ``record`` — a whole record or the
    patch of an op — is over a limit, or ``None`` when it fits."""
    if len(record) > MAX_FIELDS:
        return "too_many_fields"
    for value in record.values():
        if isinstance(value, str) and len(value) > MAX_TEXT_CHARS:
            return "value_too_long"
    if record_bytes(record) > MAX_RECORD_BYTES:
        return "record_too_large"
    return None


def limit_message(reason: str) -> str:
    """The Chinese message for a limit reason code."""
    return LIMIT_REASONS.get(reason, reason)
