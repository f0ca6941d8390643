"""The insurer hand-off endpoints on a real desk-central: listing, answers as data changes, roles,
scope, replays and refusals, audit."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from tests.central.conftest import Central


def op(entity: str, entity_id: str, patch: dict[str, Any], kind: str = "insert",
       base_rev: int = 0) -> dict[str, Any]:
    return {"op_id": uuid.uuid4().hex, "entity": entity, "entity_id": entity_id, "op": kind,
            "patch": patch, "base_rev": base_rev, "hlc": "0001700000000000.0000000001.test"}


def push_case(central: Central, tag: str) -> tuple[str, str, str]:
    """A decided case with two parties and two claims, written the way a desk's sync writes it."""
    case, pa, pb = f"case-{tag}", f"pa-{tag}", f"pb-{tag}"
    qa, qb = f"ins-a-{tag}", f"ins-b-{tag}"
    ops = [
        op("accident_cases", case, {"case_no": f"KC20250601-{tag}", "state": "claim_pushed",
                                    "place": "花园路与三全路交叉口", "accident_type": "rear_end",
                                    "reported_at": 1.7e9, "decided_at": 1.7e9 + 240}),
        op("accident_parties", pa, {"case_id": case, "seq": 1, "name": "张伟", "plate": "豫A12345",
                                    "phone": "13800138000", "insurer": "人保财险",
                                    "liability": "full"}),
        op("accident_parties", pb, {"case_id": case, "seq": 2, "name": "李娜",
                                    "plate": "豫AD12345", "insurer": "平安产险",
                                    "liability": "none"}),
        op("accident_insurance_queue", qa, {"case_id": case, "party_id": pa, "insurer": "人保财险",
                                            "policy_no": "P-1", "status": "queued",
                                            "queued_at": 1.7e9 + 300}),
        op("accident_insurance_queue", qb, {"case_id": case, "party_id": pb, "insurer": "平安产险",
                                            "policy_no": "P-2", "status": "queued",
                                            "queued_at": 1.7e9 + 300}),
    ]
    with central.client("dispatcher") as c:
        r = c.post("/ops", json={"origin": "ws-test", "ops": ops})
    assert r.status_code == 200, r.text
    assert [x["status"] for x in r.json()["results"]] == ["applied"] * 5
    return case, qa, qb


@pytest.fixture(scope="module")
def insurers(central: Central) -> dict[str, str]:
    return {
        "any": central.proc.add_user("理赔中心", "insurer", workstation="ins-01"),
        "picc": central.proc.add_user("人保理赔", "insurer", station="人保财险"),
    }


def ins_client(central: Central, token: str) -> httpx.Client:
    return httpx.Client(base_url=central.url, headers={"Authorization": f"Bearer {token}"},
                        timeout=15.0)


def queue_ids(client: httpx.Client) -> set[str]:
    r = client.get("/insurance/queue")
    assert r.status_code == 200, r.text
    return {c["id"] for c in r.json()}


def test_insurer_lists_and_answers_claims(central: Central, insurers: dict[str, str]) -> None:
    case, qa, qb = push_case(central, "list")
    with ins_client(central, insurers["any"]) as ins:
        claims = {c["id"]: c for c in ins.get("/insurance/queue").json()}
        assert {qa, qb} <= set(claims)
        a = claims[qa]
        assert (a["case_no"], a["plate"], a["liability"], a["party_name"]) == (
            "KC20250601-list", "豫A12345", "full", "张伟")
        assert [p["plate"] for p in a["parties"]] == ["豫A12345", "豫AD12345"]
        with central.client("dispatcher") as c:
            head = c.get("/changes", params={"since": 0, "limit": 1}).json()["head"]

        r = ins.post(f"/insurance/{qa}/ack", json={"decision": "accepted", "claim_no": "RB-7"})
        assert r.status_code == 200, r.text
        assert r.json()["status"] == "accepted" and not r.json()["replayed"]
        r = ins.post(f"/insurance/{qb}/ack", json={"decision": "rejected", "reason": "  "})
        assert r.status_code == 400 and r.json()["error"] == "reason_required"
        r = ins.post(f"/insurance/{qb}/ack", json={"decision": "rejected", "reason": "保单已过期"})
        assert r.status_code == 200, r.text
        assert not {qa, qb} & queue_ids(ins)

        # Same answer again: a replay, nothing written. A different answer: refused.
        again = ins.post(f"/insurance/{qa}/ack", json={"decision": "accepted"})
        assert again.status_code == 200 and again.json()["replayed"]
        flip = ins.post(f"/insurance/{qb}/ack", json={"decision": "accepted"})
        assert flip.status_code == 409 and flip.json()["error"] == "already_acked"
        assert ins.post("/insurance/nope/ack", json={"decision": "accepted"}).status_code == 404

    # The answers are ordinary change-feed rows: the claims and a touch of their case.
    with central.client("dispatcher") as c:
        feed = c.get("/changes", params={"since": head}).json()["changes"]
    by_id = {(ch["entity"], ch["entity_id"]): ch for ch in feed}
    assert by_id[("accident_insurance_queue", qa)]["data"]["status"] == "accepted"
    assert by_id[("accident_insurance_queue", qa)]["data"]["insurer_claim_no"] == "RB-7"
    rejected = by_id[("accident_insurance_queue", qb)]["data"]
    assert (rejected["status"], rejected["ack_reason"], rejected["acked_by"]) == (
        "rejected", "保单已过期", "理赔中心")
    assert ("accident_cases", case) in by_id
    assert len([ch for ch in feed if ch["entity"] == "accident_insurance_queue"]) == 2

    with central.client("admin") as c:
        audit = c.get("/admin/audit", params={"limit": 200}).json()
    acks = [a for a in audit if a["action"] == "insurance.ack" and a["outcome"] == "applied"]
    assert {a["target"] for a in acks} >= {f"live/accident_insurance_queue/{qa}",
                                           f"live/accident_insurance_queue/{qb}"}
    assert all(a["role"] == "insurer" for a in acks)


def test_insurer_scoped_to_its_company(central: Central, insurers: dict[str, str]) -> None:
    _, qa, qb = push_case(central, "scope")
    with ins_client(central, insurers["picc"]) as picc:
        seen = queue_ids(picc)
        assert qa in seen and qb not in seen
        r = picc.post(f"/insurance/{qb}/ack", json={"decision": "accepted"})
        assert r.status_code == 403 and r.json()["error"] == "other_insurer"
    with ins_client(central, insurers["any"]) as ins:
        assert qb in queue_ids(ins)  # untouched by the refused answer


def test_roles_refused(central: Central, insurers: dict[str, str]) -> None:
    _, qa, _ = push_case(central, "roles")
    with central.client("dispatcher") as d:
        r = d.get("/insurance/queue")
        assert r.status_code == 403 and r.json()["error"] == "role_forbidden" and r.json()["reason"]
        r = d.post(f"/insurance/{qa}/ack", json={"decision": "accepted"})
        assert r.status_code == 403
    with central.client("admin") as c:
        audit = c.get("/admin/audit", params={"limit": 50}).json()
        assert any(a["action"] == "insurance.ack" and a["outcome"] == "denied"
                   and a["user"] == "调度员甲" for a in audit)
    with ins_client(central, insurers["any"]) as ins:
        assert qa in queue_ids(ins)
        # An insurer sees its claims, not the data feed, and writes nothing else.
        assert ins.get("/changes").status_code == 403
        assert ins.post("/ops", json={"origin": "x", "ops": []}).status_code == 403
    with httpx.Client(base_url=central.url, timeout=5.0) as anon:
        assert anon.get("/insurance/queue").status_code == 401
    # A station chief may not write accident records: no station owns them.
    with central.client("chief") as c:
        r = c.post("/ops", json={"origin": "o", "ops": [
            op("accident_cases", "case-chief", {"state": "reported", "station_id": "S1"})]})
        assert r.json()["results"][0]["code"] == 403


def test_admin_user_endpoint_issues_insurer_tokens(central: Central) -> None:
    with central.client("admin") as c:
        r = c.post("/admin/users", json={"name": "太保理赔", "role": "insurer",
                                         "station_id": "太平洋产险"})
    assert r.status_code == 200, r.text
    with ins_client(central, r.json()["token"]) as ins:
        who = ins.get("/whoami").json()
        assert who["role"] == "insurer" and who["station_id"] == "太平洋产险"
        assert ins.get("/insurance/queue").status_code == 200
