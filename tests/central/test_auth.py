"""Auth: no token, wrong token, a station chief outside the station, a trainer on live data —
refused with a JSON reason, nothing written, and an audit row where one belongs."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.central.conftest import Central


def op(entity: str, entity_id: str, patch: dict[str, Any] | None, kind: str = "insert",
       base_rev: int = 0) -> dict[str, Any]:
    return {"op_id": uuid.uuid4().hex, "entity": entity, "entity_id": entity_id, "op": kind,
            "patch": patch, "base_rev": base_rev, "hlc": "0001700000000000.0000000001.t"}


def audit(central: Central) -> list[dict[str, Any]]:
    with central.client("admin") as c:
        return list(c.get("/admin/audit", params={"limit": 1000}).json())


def head(central: Central, ns: str = "live") -> int:
    with central.client("admin") as c:
        return int(c.get("/counts", params={"ns": ns}).json()["head"])


def test_no_token_and_wrong_token_are_401_with_reason(central: Central) -> None:
    before = head(central)
    body = {"ns": "live", "origin": "x", "ops": [op("stations", "ST-anon", {"name": "x"})]}
    for headers in ({}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic abc"}):
        r = httpx.post(central.url + "/ops", json=body, headers=headers)
        assert r.status_code == 401, r.text
        assert r.json()["error"] in ("missing_token", "bad_token") and r.json()["reason"]
        assert r.headers["www-authenticate"] == "Bearer"
    for path in ("/changes", "/counts", "/whoami", "/stream", "/admin/audit", "/telemetry/stats"):
        assert httpx.get(central.url + path).status_code == 401
    assert httpx.post(central.url + "/telemetry", json={"fixes": []}).status_code == 401
    assert httpx.get(central.url + "/osmand", params={"id": "d", "lat": 1, "lon": 1}).status_code == 401
    assert head(central) == before


def test_station_chief_cannot_write_another_station(central: Central) -> None:
    with central.client("dispatcher") as c:
        c.post("/ops", json={"origin": "d", "ops": [
            op("units", "U-s2", {"call_sign": "二中队1", "status": "available", "station_id": "S2"}),
            op("units", "U-s1", {"call_sign": "一中队1", "status": "available", "station_id": "S1"}),
        ]}).raise_for_status()
    before = head(central)
    with central.client("chief") as c:
        r = c.post("/ops", json={"origin": "chief", "ops": [
            op("units", "U-s2", {"status": "dispatched"}, "update", 1),
            op("units", "U-s1", {"station_id": "S2"}, "update", 1),
            op("units", "U-new", {"call_sign": "偷偷", "station_id": "S2"}),
            op("water_points", "W-chief", {"name": "积水点"}),
            op("stations", "S2", {"name": "改名"}, "update", 1),
        ]})
    assert r.status_code == 200
    results = r.json()["results"]
    assert [x["code"] for x in results] == [403] * 5
    assert {x["reason"] for x in results} <= {"other_station", "no_station_scope"}
    assert head(central) == before  # nothing written
    denied = [a for a in audit(central) if a["user"] == "一中队长" and a["outcome"] == "denied"]
    assert {a["target"] for a in denied} >= {"live/units/U-s2", "live/units/U-s1",
                                             "live/units/U-new", "live/water_points/W-chief"}
    # Their own station's unit is fine.
    with central.client("chief") as c:
        ok = c.post("/ops", json={"origin": "chief", "ops": [
            op("units", "U-s1", {"status": "dispatched"}, "update", 1)]}).json()["results"][0]
    assert ok["status"] == "applied"


def test_trainer_cannot_write_or_read_live_data(central: Central) -> None:
    before = head(central)
    with central.client("trainer") as c:
        r = c.post("/ops", json={"ns": "live", "origin": "t",
                                 "ops": [op("stations", "ST-t", {"name": "演练"})]})
        assert r.status_code == 403 and r.json()["error"] == "trainer_live_write"
        assert "演练" in r.json()["reason"]
        assert c.get("/changes", params={"ns": "live"}).status_code == 403
        assert c.post("/alerts", json={"ns": "live", "message": "假警报"}).status_code == 403
        assert c.post("/telemetry", json={"fixes": []}).status_code == 403
    assert head(central) == before
    rows = [a for a in audit(central) if a["user"] == "培训员" and a["outcome"] == "denied"]
    assert any(a["action"] == "ops" for a in rows)


def test_roles_limit_admin_endpoints_and_device_tokens(central: Central) -> None:
    for who in ("dispatcher", "chief", "trainer", "device"):
        with central.client(who) as c:
            assert c.get("/admin/users").status_code == 403
            assert c.post("/admin/users", json={"name": "x", "role": "admin"}).status_code == 403
    with central.client("device") as c:
        assert c.post("/ops", json={"origin": "d", "ops": []}).status_code == 403
        assert c.get("/changes").status_code == 403


def test_admin_issues_tokens_and_every_write_is_audited(central: Central) -> None:
    with central.client("admin") as c:
        r = c.post("/admin/users", json={"name": "调度员乙", "role": "dispatcher",
                                         "workstation": "ws-02"})
        assert r.status_code == 200
        token = r.json()["token"]
        assert c.post("/admin/users", json={"name": "x", "role": "station_chief"}).status_code == 400
    new = httpx.Client(base_url=central.url, headers={"Authorization": f"Bearer {token}"})
    assert new.get("/whoami").json() == {"name": "调度员乙", "role": "dispatcher",
                                         "station_id": None, "workstation": "ws-02"}
    new.post("/ops", json={"origin": "n", "ops": [op("stations", "ST-aud", {"name": "审计"})]})
    new.close()
    rows = audit(central)
    mine = [a for a in rows if a["user"] == "调度员乙"]
    assert mine and mine[0]["workstation"] == "ws-02" and mine[0]["target"] == "live/stations/ST-aud"
    assert mine[0]["action"] == "op.insert" and mine[0]["outcome"] == "applied"
    assert any(a["action"] == "user.add" and a["target"] == "调度员乙" for a in rows)
