"""desk-central refuses exactly what ``desk.domain.limits`` says, with its reason codes, so the
workstation (which checks the same module before storing) never holds an edit that cannot sync."""

from __future__ import annotations

import uuid
from typing import Any

from desk.domain.limits import MAX_RECORD_BYTES, MAX_TEXT_CHARS, field_problem, limit_message
from tests.central.conftest import Central


def insert(central: Central, patch: dict[str, Any]) -> dict[str, Any]:
    sid = f"ST-lim-{uuid.uuid4().hex[:8]}"
    with central.client("dispatcher") as c:
        r = c.post("/ops", json={"origin": "lim", "ops": [{
            "op_id": uuid.uuid4().hex, "entity": "stations", "entity_id": sid, "op": "insert",
            "patch": patch, "base_rev": 0, "hlc": "0001700000000000.0000000001.t"}]})
    assert r.status_code == 200, r.text
    return dict(r.json()["results"][0])


def test_text_at_the_limit_syncs_one_more_character_does_not(central: Central) -> None:
    at_limit = {"name": "站" * MAX_TEXT_CHARS}
    over = {"name": "站" * (MAX_TEXT_CHARS + 1)}
    assert field_problem(at_limit) is None and field_problem(over) == "value_too_long"
    assert insert(central, at_limit)["status"] == "applied"
    refused = insert(central, over)
    assert (refused["status"], refused["code"], refused["reason"]) == (
        "rejected", 422, "value_too_long")
    assert str(MAX_TEXT_CHARS) in limit_message("value_too_long")


def test_a_record_over_the_byte_limit_is_refused_with_the_same_code(central: Central) -> None:
    # Every field within the text limit, the whole record over the byte limit.
    fields = MAX_RECORD_BYTES // (MAX_TEXT_CHARS * 3) + 1
    big = {f"note_{i}": "字" * MAX_TEXT_CHARS for i in range(fields)}
    assert field_problem(big) == "record_too_large"
    refused = insert(central, big)
    assert (refused["status"], refused["reason"]) == ("rejected", "record_too_large")
