"""Nobody in where they do not belong, nothing refused without a trace: tokens out of the logs,
device tokens bound to their unit, expiry/revocation/rotation, an audit row for every refused
write, read scoping by station and namespace, authentication before the body is read."""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from desk.central.auth import REDACTED
from desk.central.testing import CentralProcess
from tests.central.conftest import Central

HLC = "0001700000000000.0000000001.t"


def op(entity: str, entity_id: str, patch: dict[str, Any] | None, kind: str = "insert",
       base_rev: int = 0, op_id: str | None = None) -> dict[str, Any]:
    return {"op_id": op_id or uuid.uuid4().hex, "entity": entity, "entity_id": entity_id,
            "op": kind, "patch": patch, "base_rev": base_rev, "hlc": HLC}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def audit_rows(central: Central, after_id: int = 0, limit: int = 10_000) -> list[dict[str, Any]]:
    with central.client("admin") as c:
        rows = c.get("/admin/audit", params={"limit": limit}).json()
    return [r for r in rows if r["id"] > after_id]


def last_audit_id(central: Central) -> int:
    with central.client("admin") as c:
        rows = c.get("/admin/audit", params={"limit": 1}).json()
    return int(rows[0]["id"]) if rows else 0


@pytest.fixture(scope="module", autouse=True)
def fleet(central: Central) -> None:
    with central.client("dispatcher") as c:
        c.post("/ops", json={"origin": "trust", "ops": [
            op("units", f"U-t{i}", {"call_sign": f"铁骑T{i}", "status": "available",
                                    "station_id": "S1" if i < 2 else "S2",
                                    "device_id": f"DEV{i}"}) for i in range(3)
        ]}).raise_for_status()


# -- 1. tokens never reach a log ------------------------------------------------------------------


def test_no_token_appears_in_the_log_at_the_default_level(tmp_path: Path) -> None:
    """A probe of every way a token travels (query, header, body, issued and rotated in
    answers) against a central at the default ``--log-level info``; the log is then searched
    for every token issued and every wrong one tried."""
    log_path = tmp_path / "central.log"
    proc = CentralProcess(tmp_path / "c.sqlite", log_level="info", log_path=log_path)
    admin = proc.add_user("管理员", "admin")
    gateway = proc.add_user("网关", "device", unit_id="*")
    dispatcher = proc.add_user("调度员", "dispatcher")
    secrets = [admin, gateway, dispatcher, "wrong-token-ABCDEFGHIJKLMNOP"]
    proc.start()
    try:
        url = proc.url
        httpx.post(url + "/ops", headers=bearer(dispatcher), json={"origin": "p", "ops": [
            op("units", "U-log", {"call_sign": "日志1", "status": "available",
                                  "device_id": "DEV-LOG"})]}).raise_for_status()
        now = int(time.time())
        for path in ("/osmand", "/"):
            for token in (gateway, secrets[-1]):
                httpx.get(url + path, params={"id": "DEV-LOG", "lat": "34.7", "lon": "113.6",
                                              "timestamp": str(now), "token": token})
            httpx.post(url + path, params={"id": "DEV-LOG", "lat": "34.7", "lon": "113.6",
                                           "token": gateway})
            httpx.post(url + path, data={"id": "DEV-LOG", "lat": "34.7", "lon": "113.6",
                                         "token": gateway})
        for token in (admin, dispatcher, secrets[-1]):
            httpx.get(url + "/whoami", headers=bearer(token))
            httpx.get(url + "/changes", params={"token": token}, headers=bearer(token))
        made = httpx.post(url + "/admin/users", headers=bearer(admin),
                          json={"name": "新用户", "role": "dispatcher"}).json()["token"]
        rotated = httpx.post(url + "/admin/users/新用户/rotate", headers=bearer(admin),
                             json={}).json()["token"]
        secrets += [made, rotated]
        httpx.get(url + "/whoami", headers=bearer(made))  # now refused: rotated away
        httpx.get(url + "/changes?token=" + rotated)
    finally:
        proc.stop()
    text = log_path.read_text(encoding="utf-8")
    # The access log is on and prints the query lines, with the token redacted.
    assert '"GET /osmand?id=DEV-LOG' in text and "token=***" in text
    assert text.count('"GET /whoami') >= 4
    for secret in secrets:
        assert secret not in text


def test_systemd_unit_logs_no_secret() -> None:
    """The shipped unit logs to journald at the default level, which the test above covers:
    no token on its command line and no debug level (libraries print headers there)."""
    unit = (Path(__file__).parents[2] / "packaging/linux/desk-central.service").read_text()
    exec_line = next(line for line in unit.splitlines() if line.startswith("ExecStart="))
    assert "desk-central serve" in exec_line and "token" not in exec_line.lower()
    assert "debug" not in exec_line and "trace" not in exec_line


# -- 2. device tokens are bound to their unit ------------------------------------------------------


def test_device_token_reports_only_its_own_unit(central: Central) -> None:
    before = last_audit_id(central)
    now = time.time()
    tracker = central.tokens["tracker"]  # bound to U-t1 (device DEV1)
    with central.client("tracker") as c:
        ok = c.post("/telemetry", json={"fixes": [
            {"unit_id": "U-t1", "lat": 34.75, "lon": 113.62, "at": now}]})
        assert ok.status_code == 200 and ok.json()["stored_fixes"] == 1, ok.text
        other = c.post("/telemetry", json={"fixes": [
            {"unit_id": "U-t1", "lat": 34.75, "lon": 113.62, "at": now},
            {"unit_id": "U-t0", "lat": 34.75, "lon": 113.62, "at": now}]})
        assert other.status_code == 403 and other.json()["error"] == "other_unit"
        assert "绑定" in other.json()["reason"]
        readings = c.post("/telemetry", json={"readings": [
            {"point_id": "W-x", "at": now, "depth_cm": 3}]})
        assert readings.status_code == 403
    fix = {"lat": "34.75", "lon": "113.62", "timestamp": str(int(now)), "token": tracker}
    assert httpx.get(central.url + "/osmand", params={"id": "DEV1", **fix}).status_code == 200
    spoof = httpx.get(central.url + "/osmand", params={"id": "DEV0", **fix})
    assert spoof.status_code == 403 and spoof.json()["error"] == "other_unit"
    assert httpx.post(central.url + "/", params={"id": "DEV2", **fix}).status_code == 403
    denied = [a for a in audit_rows(central, before) if a["outcome"] == "denied"]
    assert len(denied) == 4
    assert {a["user"] for a in denied} == {"铁骑T1终端"}
    assert all(json.loads(a["detail"])["reason"] == "other_unit" for a in denied)
    # A device token issued before tokens were bound is refused until it is re-issued.
    legacy = central.proc.add_user("旧终端", "device")
    r = httpx.get(central.url + "/osmand", params={"id": "DEV1", **fix, "token": legacy})
    assert r.status_code == 403 and r.json()["error"] == "device_unbound"
    # The gateway is issued explicitly and may report for every unit.
    with central.client("device") as c:
        assert c.post("/telemetry", json={"fixes": [
            {"unit_id": f"U-t{i}", "lat": 34.7, "lon": 113.6, "at": now} for i in range(3)
        ]}).json()["stored_fixes"] == 3


def test_admin_api_refuses_device_tokens_without_a_binding(central: Central) -> None:
    with central.client("admin") as c:
        assert c.post("/admin/users", json={"name": "无绑定", "role": "device"}).status_code in (
            400, 422)
        made = c.post("/admin/users", json={"name": "终端T0", "role": "device",
                                            "unit_id": "U-t0"})
        assert made.status_code == 200, made.text
        assert c.post("/admin/users", json={"name": "x", "role": "dispatcher",
                                            "unit_id": "U-t0"}).status_code in (400, 422)
        users = {u["name"]: u for u in c.get("/admin/users").json()}
    assert users["终端T0"]["unit_id"] == "U-t0" and users["车载网关"]["unit_id"] == "*"
    assert users["终端T0"]["expires_at"] > time.time() + 300 * 86400  # 365 days by default


# -- 3. expiry, revocation, rotation ---------------------------------------------------------------


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "desk.central.cli", *args],
                          capture_output=True, text=True, timeout=120)


def test_expired_token_gets_401_with_a_clear_reason(central: Central) -> None:
    old = central.proc.add_user("过期用户", "dispatcher", expires_at=time.time() - 1)
    r = httpx.get(central.url + "/whoami", headers=bearer(old))
    assert r.status_code == 401 and r.json()["error"] == "expired_token"
    assert "过期" in r.json()["reason"] and r.headers["www-authenticate"] == "Bearer"
    # Before the body is read, on a write, and on the OsmAnd query token alike.
    assert httpx.post(central.url + "/ops", headers=bearer(old),
                      json={"origin": "x", "ops": []}).json()["error"] == "expired_token"
    assert httpx.get(central.url + "/osmand", params={"id": "DEV1", "token": old}
                     ).json()["error"] == "expired_token"
    fresh = central.proc.add_user("未过期", "dispatcher", expires_at=time.time() + 3600)
    assert httpx.get(central.url + "/whoami", headers=bearer(fresh)).status_code == 200


def test_cli_rotate_and_revoke(central: Central) -> None:
    db = central.proc.db
    added = run_cli("user", "add", "轮换员", "--role", "dispatcher", "--db", db)
    assert added.returncode == 0, added.stderr
    first = added.stdout.strip()
    assert httpx.get(central.url + "/whoami", headers=bearer(first)).status_code == 200
    rotated = run_cli("user", "rotate", "轮换员", "--db", db)
    assert rotated.returncode == 0, rotated.stderr
    second = rotated.stdout.strip()
    assert second and second != first
    assert httpx.get(central.url + "/whoami", headers=bearer(first)).status_code == 401
    assert httpx.get(central.url + "/whoami", headers=bearer(second)).json()["name"] == "轮换员"
    revoked = run_cli("user", "revoke", "轮换员", "--db", db)
    assert revoked.returncode == 0, revoked.stderr
    r = httpx.get(central.url + "/whoami", headers=bearer(second))
    assert r.status_code == 401 and r.json()["error"] == "revoked_token"
    assert "吊销" in r.json()["reason"]
    assert run_cli("user", "rotate", "轮换员", "--db", db).returncode != 0  # revoked stays so
    assert run_cli("user", "revoke", "没有这人", "--db", db).returncode != 0
    listed = run_cli("user", "list", "--db", db).stdout
    assert any(line.startswith(tuple("0123456789")) and "轮换员" in line and "revoked" in line
               for line in listed.splitlines())
    actions = {(a["action"], a["target"]) for a in audit_rows(central)}
    assert {("user.rotate", "轮换员"), ("user.revoke", "轮换员")} <= actions
    # No secret in the command's own log output either.
    for out in (added, rotated, revoked):
        assert first not in out.stderr and second not in out.stderr


def test_admin_api_revokes_and_rotates(central: Central) -> None:
    with central.client("admin") as c:
        token = c.post("/admin/users", json={"name": "接口轮换", "role": "trainer"}).json()["token"]
        new = c.post("/admin/users/接口轮换/rotate", json={"expires_days": 1}).json()
        assert new["role"] == "trainer" and new["token"] != token
        assert httpx.get(central.url + "/whoami", headers=bearer(token)).status_code == 401
        assert httpx.get(central.url + "/whoami", headers=bearer(new["token"])).status_code == 200
        assert c.post("/admin/users/接口轮换/revoke").json() == {"name": "接口轮换", "revoked": 1}
        assert c.post("/admin/users/接口轮换/revoke").status_code == 404
    assert httpx.get(central.url + "/whoami",
                     headers=bearer(new["token"])).json()["error"] == "revoked_token"


# -- 4. every refused authenticated write is audited -----------------------------------------------


def write_probes(now: float) -> list[tuple[str, str, dict[str, Any]]]:
    fix = {"unit_id": "U-t0", "lat": 34.7, "lon": 113.6, "at": now}
    osm = {"id": "DEV0", "lat": "34.7", "lon": "113.6", "timestamp": str(int(now))}
    return [
        ("POST", "/ops", {"json": {"ns": "live", "origin": "p",
                                   "ops": [op("stations", "ST-probe", {"name": "探测"})]}}),
        ("POST", "/ops", {"json": {"ns": "drill", "origin": "p",
                                   "ops": [op("stations", "ST-probe", {"name": "探测"})]}}),
        ("POST", "/ops", {"json": {"ns": "live", "origin": "p",
                                   "ops": [op("units", "U-t2", {"status": "dispatched"},
                                              "update", 1)]}}),
        ("POST", "/telemetry", {"json": {"fixes": [fix]}}),
        ("POST", "/telemetry", {"json": {"fixes": [{**fix, "lon": False}]}}),
        ("GET", "/osmand", {"params": osm}),
        ("POST", "/osmand", {"params": osm}),
        ("GET", "/", {"params": osm}),
        ("POST", "/", {"data": osm}),
        ("POST", "/alerts", {"json": {"ns": "live", "message": "探测告警"}}),
        ("POST", "/alerts", {"json": {"ns": "drill", "message": "探测告警"}}),
        ("POST", "/alerts", {"json": {"ns": "live", "message": "探测", "lon": False}}),
        ("POST", "/insurance/CLAIM-none/ack", {"json": {"decision": "accepted"}}),
        ("POST", "/insurance/CLAIM-none/ack", {"json": {"decision": "rejected", "reason": ""}}),
        ("POST", "/admin/users", {"json": {"name": "探测", "role": "admin"}}),
        ("POST", "/admin/users/管理员/revoke", {}),
        ("POST", "/admin/users/管理员/rotate", {"json": {}}),
        ("POST", "/admin/epoch", {}),
        ("DELETE", "/ops", {}),
    ]


def test_every_refused_authenticated_write_is_audited(central: Central) -> None:
    with central.client("admin") as c:
        central.tokens.setdefault("insurer", c.post("/admin/users", json={
            "name": "探测保险", "role": "insurer", "station_id": "某保险"}).json()["token"])
    names = {"dispatcher": "调度员甲", "chief": "一中队长", "trainer": "培训员",
             "device": "车载网关", "tracker": "铁骑T1终端", "insurer": "探测保险"}
    refused = 0
    missing: list[str] = []
    admin = central.client("admin")
    probe_client = httpx.Client(base_url=central.url, timeout=30)

    def newest(after: int) -> list[dict[str, Any]]:
        return [a for a in admin.get("/admin/audit", params={"limit": 50}).json()
                if a["id"] > after]

    for role, name in names.items():
        for method, path, probe in write_probes(time.time()):
            kwargs = probe
            headers: dict[str, str] = bearer(central.tokens[role])
            if path in ("/", "/osmand") and method == "GET":
                # Trackers put the token in the query.
                kwargs, headers = {"params": {**probe["params"], "token": central.tokens[role]}}, {}
            rows = newest(0)
            before = rows[0]["id"] if rows else 0
            r = probe_client.request(method, path, headers=headers, **kwargs)
            per_op = [x for x in (r.json().get("results") or [])
                      if x["code"] == 403] if path == "/ops" and r.status_code == 200 else []
            if r.status_code < 400 and not per_op:
                continue
            assert r.status_code != 401 and r.status_code < 500, (role, path, r.text)
            refused += 1
            if not [a for a in newest(before) if a["user"] == name
                    and a["outcome"] in ("denied", "rejected")]:
                missing.append(f"{role} {method} {path} → {r.status_code} {r.text[:80]}")
    admin.close()
    probe_client.close()
    assert not missing, "\n".join(missing)
    assert refused >= 70, refused


# -- 5. reads scoped by station and namespace -------------------------------------------------------


def test_station_chief_sees_personal_data_of_own_station_cases_only(central: Central) -> None:
    with central.client("dispatcher") as c:
        c.post("/ops", json={"origin": "acc", "ops": [
            op("accident_cases", "C-own", {"case_no": "一中队案", "assigned_unit_id": "U-t0"}),
            op("accident_cases", "C-other", {"case_no": "二中队案", "assigned_unit_id": "U-t2"}),
            op("accident_cases", "C-tagged", {"case_no": "标注案", "station_id": "S1"}),
            op("accident_parties", "P-own", {"case_id": "C-own", "name": "甲", "plate": "豫A1",
                                             "id_number": "410100199001011234",
                                             "phone": "13800000001"}),
            op("accident_parties", "P-other", {"case_id": "C-other", "name": "乙",
                                               "plate": "豫A2",
                                               "id_number": "410100199001015678",
                                               "phone": "13800000002"}),
            op("accident_parties", "P-tagged", {"case_id": "C-tagged", "name": "丙",
                                                "id_number": "410100199001019999",
                                                "phone": "13800000003"}),
        ]}).raise_for_status()

    def parties(who: str) -> dict[str, dict[str, Any]]:
        with central.client(who) as c:
            feed = c.get("/changes", params={"since": 0, "limit": 10_000}).json()
        assert "410100199001015678" not in json.dumps(feed) or who != "chief"
        return {ch["entity_id"]: ch["data"] for ch in feed["changes"]
                if ch["entity"] == "accident_parties" and ch["op"] == "insert"}

    # Later edits travel as the changed fields only; they are scoped by the stored party's case.
    with central.client("dispatcher") as c:
        c.post("/ops", json={"origin": "acc", "ops": [
            op("accident_parties", "P-own", {"phone": "13900000001"}, "update", 1),
            op("accident_parties", "P-other", {"phone": "13900000002"}, "update", 1),
        ]}).raise_for_status()
        feed = c.get("/changes", params={"since": 0, "limit": 10_000}).json()["changes"]
    with central.client("chief") as c:
        chief_feed = c.get("/changes", params={"since": 0, "limit": 10_000}).json()["changes"]
    updates = {ch["entity_id"]: ch["data"] for ch in chief_feed
               if ch["entity"] == "accident_parties" and ch["op"] == "update"}
    assert updates["P-own"]["phone"] == "13900000001"
    assert updates["P-other"]["phone"] == REDACTED
    assert any(ch["entity_id"] == "P-other" and ch["op"] == "update" and
               ch["data"]["phone"] == "13900000002" for ch in feed)
    chief = parties("chief")
    assert chief["P-own"]["id_number"] == "410100199001011234"
    assert chief["P-tagged"]["phone"] == "13800000003"
    assert chief["P-other"]["id_number"] == REDACTED and chief["P-other"]["phone"] == REDACTED
    assert chief["P-other"]["plate"] == "豫A2"  # what the case needs stays
    disp = parties("dispatcher")
    assert disp["P-other"]["id_number"] == "410100199001015678"


def test_trainer_replaying_a_live_op_id_does_not_get_the_live_record(central: Central) -> None:
    live_id = uuid.uuid4().hex
    with central.client("dispatcher") as c:
        live = c.post("/ops", json={"origin": "live", "ops": [
            op("units", "U-t0", {"call_sign": "实战机密", "status": "dispatched"}, "update", 1,
               op_id=live_id)]}).json()["results"][0]
    assert live["status"] in ("applied", "merged", "conflict")
    with central.client("trainer") as c:
        r = c.post("/ops", json={"ns": "drill", "origin": "drill", "ops": [
            op("units", "U-t0", {"call_sign": "演练车"}, "update", 1, op_id=live_id)]})
    assert r.status_code == 200
    got = r.json()["results"][0]
    assert not got["replayed"]
    assert "实战机密" not in json.dumps(got)
    assert got["reason"] == "not_found"  # the drill namespace has no such unit


# -- 6. authenticate before the body, caps per route ------------------------------------------------


def raw_request(url: str, head: str, timeout: float = 10.0) -> str:
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as s:
        s.sendall(head.encode())
        chunks = []
        while True:
            try:
                data = s.recv(65536)
            except TimeoutError:
                break
            if not data:
                break
            chunks.append(data)
            if b"\r\n\r\n" in b"".join(chunks) and b"}" in data:
                break
    return b"".join(chunks).decode("utf-8", "replace")


def test_unauthenticated_body_is_refused_before_it_is_read(central: Central) -> None:
    # 10 MB announced, not a byte sent: the answer can only come if nobody waits for the body.
    head = (f"POST /ops HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            f"Content-Length: {10 * 1024 * 1024}\r\n\r\n")
    answer = raw_request(central.url, head)
    assert answer.startswith("HTTP/1.1 401"), answer[:200]
    assert "missing_token" in answer
    bad = raw_request(central.url, head.replace("Host: x", "Host: x\r\nAuthorization: Bearer nope"))
    assert bad.startswith("HTTP/1.1 401") and "bad_token" in bad


def test_bodies_are_capped_per_route_with_a_json_reason(central: Central) -> None:
    before = last_audit_id(central)
    with central.client("dispatcher") as c:
        big = c.post("/alerts", json={"message": "x" * 100_000})
        assert big.status_code == 413 and big.json()["error"] == "too_large"
        assert "64 KB" in big.json()["reason"]
    assert any(a["user"] == "调度员甲" and a["target"] == "/alerts" and a["outcome"] == "rejected"
               for a in audit_rows(central, before))
    with central.client("dispatcher") as c:
        # The same size is fine where batches belong.
        ok = c.post("/telemetry", json={"fixes": [
            {"unit_id": "U-t0", "lat": 34.7, "lon": 113.6, "at": time.time()}] * 1000})
        assert ok.status_code == 200
        osm = c.post("/osmand", content=b"id=DEV0&lat=1&lon=1&" + b"x" * 20_000,
                     headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert osm.status_code == 413


def test_positions_table_after_unknown_values(central: Central) -> None:
    """−1 speed/bearing = unknown (NULL), 720° folds to 0°, 1970 and tomorrow refused."""
    token = central.tokens["tracker"]
    now = int(time.time())
    base = {"id": "DEV1", "lat": "34.70001", "lon": "113.60001", "token": token}
    r = httpx.post(central.url + "/", params={**base, "timestamp": str(now), "speed": "-1",
                                              "bearing": "-1"})
    assert r.status_code == 200, r.text
    r = httpx.get(central.url + "/", params={**base, "lat": "34.70002", "timestamp": str(now),
                                             "bearing": "720", "speed": "10"})
    assert r.status_code == 200, r.text
    for ts, reason in (("1", "too_old"), (str(now - 8 * 86400), "too_old"),
                       (str(now + 86400), "future_time")):
        r = httpx.get(central.url + "/", params={**base, "timestamp": ts})
        assert r.status_code == 400 and r.json()["error"] == reason, r.text
    conn = sqlite3.connect(central.proc.db)
    rows = dict(((round(lat, 5)), (heading, speed)) for lat, heading, speed in conn.execute(
        "SELECT lat, heading, speed_kmh FROM positions WHERE unit_id = 'U-t1'"))
    conn.close()
    assert rows[34.70001] == (None, None)
    assert rows[34.70002][0] == 0.0 and rows[34.70002][1] == pytest.approx(18.52)


def test_booleans_and_strings_are_not_numbers(central: Central) -> None:
    with central.client("dispatcher") as c:
        for body in ({"message": "x", "lon": False, "lat": 34.7},
                     {"message": "x", "lat": "34.7"}):
            assert c.post("/alerts", json=body).status_code == 422
        assert c.post("/telemetry", json={"fixes": [
            {"unit_id": "U-t0", "lat": True, "lon": 113.6, "at": time.time()}]}).status_code == 422
        assert c.post("/ops", json={"origin": "o", "ops": [
            {**op("stations", "ST-b", {"name": "b"}), "base_rev": True}]}).status_code == 422
        # Ints are numbers.
        assert c.post("/alerts", json={"message": "整数坐标", "lat": 34, "lon": 113}
                      ).status_code == 200


def test_405_lists_every_method_of_the_path(central: Central) -> None:
    with central.client("admin") as c:
        allow = c.request("OPTIONS", "/admin/users").headers["allow"]
        assert {m.strip() for m in allow.split(",")} >= {"GET", "POST"}
        allow = c.put("/osmand").headers["allow"]
        assert {m.strip() for m in allow.split(",")} >= {"GET", "POST"}
        r = c.delete("/")
        assert r.status_code == 405 and "POST" in r.headers["allow"]


def test_openapi_states_the_enforced_constraints(central: Central) -> None:
    doc = httpx.get(central.url + "/openapi.json").json()
    osm = {p["name"]: p for p in doc["paths"]["/osmand"]["get"]["parameters"]}
    assert osm["id"]["required"] and osm["id"]["schema"]["minLength"] == 1
    assert osm["lat"]["schema"]["maximum"] == 90
    assert "/" in doc["paths"] and "post" in doc["paths"]["/"]
    schemas = doc["components"]["schemas"]
    user = json.dumps(schemas["UserRequest"])
    assert '"const": "station_chief"' in user and '"minLength": 1' in user
    ack = json.dumps(schemas["AckRequest"])
    assert '"const": "rejected"' in ack and '"required": ["reason"]' in ack
