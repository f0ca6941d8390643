"""desk-central's ops, change feed and counts over real HTTP: idempotency, conflicts, epochs."""

from __future__ import annotations

import uuid
from typing import Any

from tests.central.conftest import Central


def op(entity: str, entity_id: str, kind: str = "insert", patch: dict[str, Any] | None = None,
       base_rev: int = 0, hlc: str = "0001700000000000.0000000001.test") -> dict[str, Any]:
    return {"op_id": uuid.uuid4().hex, "entity": entity, "entity_id": entity_id, "op": kind,
            "patch": patch, "base_rev": base_rev, "hlc": hlc}


def post(central: Central, who: str, ops: list[dict[str, Any]], origin: str = "nodeA",
         ns: str = "live") -> dict[str, Any]:
    with central.client(who) as c:
        r = c.post("/ops", json={"ns": ns, "origin": origin, "ops": ops})
    assert r.status_code == 200, r.text
    return dict(r.json())


def test_replayed_op_returns_stored_result_and_changes_nothing(central: Central) -> None:
    first = op("stations", "ST-replay", patch={"name": "回放大队", "kind": "brigade"})
    a = post(central, "dispatcher", [first])["results"][0]
    assert a["status"] == "applied" and a["rev"] == 1 and not a["replayed"]
    with central.client("dispatcher") as c:
        head_before = c.get("/changes", params={"since": 0, "limit": 1}).json()["head"]
    b = post(central, "dispatcher", [first])["results"][0]
    assert b["replayed"] and b["seq"] == a["seq"] and b["rev"] == a["rev"]
    with central.client("dispatcher") as c:
        head_after = c.get("/changes", params={"since": 0, "limit": 1}).json()["head"]
        counts = c.get("/counts").json()["counts"]
    assert head_after == head_before
    assert counts["stations"] >= 1


def test_stale_operational_edit_gets_conflict_with_server_record(central: Central) -> None:
    post(central, "dispatcher", [op("units", "U-c", patch={"call_sign": "铁骑9", "status": "available",
                                                           "station_id": "S1"})])
    r1 = post(central, "dispatcher", [op("units", "U-c", "update", {"status": "dispatched"},
                                         base_rev=1)], origin="nodeA")["results"][0]
    assert r1["status"] == "applied" and r1["rev"] == 2
    r2 = post(central, "dispatcher", [op("units", "U-c", "update",
                                         {"status": "on_scene", "call_sign": "铁骑九"},
                                         base_rev=1, hlc="0001700000000001.0000000001.b")],
              origin="nodeB")["results"][0]
    assert r2["status"] == "conflict" and r2["code"] == 409
    assert r2["conflict_fields"] == ["status"]
    # The descriptive field merged (later stamp), the operational one kept the server's value.
    assert r2["record"]["status"] == "dispatched" and r2["record"]["call_sign"] == "铁骑九"


def test_descriptive_field_older_stamp_loses(central: Central) -> None:
    post(central, "dispatcher", [op("water_points", "W-m", patch={"name": "甲", "kind": "underpass"},
                                    hlc="0001700000000005.0000000001.a")])
    post(central, "dispatcher", [op("water_points", "W-m", "update", {"name": "乙"}, base_rev=1,
                                    hlc="0001700000000009.0000000001.a")], origin="a")
    res = post(central, "dispatcher", [op("water_points", "W-m", "update", {"name": "丙"},
                                          base_rev=1, hlc="0001700000000007.0000000001.b")],
               origin="b")["results"][0]
    assert res["status"] == "merged" and res["record"]["name"] == "乙"


def test_delete_is_a_tombstone_in_the_feed(central: Central) -> None:
    post(central, "dispatcher", [op("police_rooms", "PR-d", patch={"name": "岗亭"})])
    res = post(central, "dispatcher", [op("police_rooms", "PR-d", "delete", base_rev=1)])
    assert res["results"][0]["status"] == "applied"
    with central.client("dispatcher") as c:
        feed = c.get("/changes", params={"since": 0, "limit": 10_000}).json()
    rows = [ch for ch in feed["changes"] if ch["entity_id"] == "PR-d"]
    assert [r["op"] for r in rows] == ["insert", "delete"] and rows[1]["data"] is None
    assert feed["epoch"] and feed["more"] is False
    again = post(central, "dispatcher", [op("police_rooms", "PR-d", "update", {"name": "x"},
                                            base_rev=2)])["results"][0]
    # An edit of a deleted record is a conflict for a person (keep it: re-create), not lost.
    assert again["status"] == "conflict" and again["code"] == 409 and again["reason"] == "deleted"


def test_bad_op_is_rejected_alone(central: Central) -> None:
    ops = [op("no_such_table", "x", patch={"a": 1}),
           op("stations", "ST-ok", patch={"name": "好的"}),
           op("stations", "ST-bad", patch={"bad field": 1}),
           op("stations", "ST-nf", "update", {"name": "不存在"}, base_rev=3)]
    res = post(central, "dispatcher", ops)["results"]
    assert [r["status"] for r in res] == ["rejected", "applied", "rejected", "rejected"]
    assert [r["reason"] for r in res] == ["unknown_entity", None, "bad_field_name", "not_found"]


def test_change_feed_pages(central: Central) -> None:
    post(central, "dispatcher", [op("cameras", f"CAM-p{i}", patch={"name": f"卡口{i}"})
                                 for i in range(25)])
    seen: list[int] = []
    since = 0
    with central.client("dispatcher") as c:
        while True:
            page = c.get("/changes", params={"since": since, "limit": 7}).json()
            seen += [ch["seq"] for ch in page["changes"]]
            since = page["last_seq"]
            if not page["more"]:
                break
    assert seen == sorted(seen) and len(seen) == len(set(seen)) and len(seen) >= 25
    assert since == page["head"]


def test_sql_and_script_text_is_stored_verbatim(central: Central) -> None:
    nasty = "'); DROP TABLE records; -- <script>alert(1)</script>"
    res = post(central, "dispatcher", [op("stations", "ST-x'; --", patch={"name": nasty})])
    assert res["results"][0]["status"] == "applied"
    with central.client("dispatcher") as c:
        feed = c.get("/changes", params={"since": 0, "limit": 10_000}).json()
        counts = c.get("/counts").json()["counts"]
    assert any(ch["data"] and ch["data"].get("name") == nasty for ch in feed["changes"])
    assert counts["stations"] >= 1


def test_drill_namespace_is_separate(central: Central) -> None:
    res = post(central, "trainer", [op("stations", "ST-drill", patch={"name": "演练中队"})],
               ns="drill")
    assert res["results"][0]["status"] == "applied"
    with central.client("dispatcher") as c:
        live = c.get("/counts", params={"ns": "live"}).json()["counts"]
        drill = c.get("/counts", params={"ns": "drill"}).json()["counts"]
    assert drill == {"stations": 1}
    assert "ST-drill" not in str(live)


def test_epoch_rotation_is_admin_only_and_visible(central: Central) -> None:
    with central.client("dispatcher") as c:
        before = c.get("/counts").json()["epoch"]
        assert c.post("/admin/epoch").status_code == 403
    with central.client("admin") as c:
        new = c.post("/admin/epoch").json()["epoch"]
        assert new != before
        assert c.get("/changes").json()["epoch"] == new
        assert c.get("/health").json()["epoch"] == new


def test_openapi_operation_ids_are_unique(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import warnings

    from desk.central.app import create_app
    from desk.central.storage import SqliteCentralStore

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # FastAPI warns on a duplicate operation id
        doc = create_app(SqliteCentralStore(tmp_path / "c.sqlite")).openapi()
    ids = [op["operationId"] for path in doc["paths"].values() for op in path.values()]
    assert len(ids) == len(set(ids))
    assert {"osmand_get", "osmand_post"} <= set(ids)
