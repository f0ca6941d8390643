"""Position history through a real ``desk-central serve`` on each backend (SQLite file; a
PostgreSQL URL): last fixes, tracks, who was near a place, paging and refusals beyond limits."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from desk.central.pg.testing import PostgresServer
from desk.central.testing import CentralProcess

# 郑州二七广场 and points north of it: 1° of latitude is about 111 km.
PLAZA = (34.7566, 113.6749)
NORTH_200M = (34.7566 + 200 / 111_000, 113.6749)
NORTH_900M = (34.7566 + 900 / 111_000, 113.6749)


@dataclass
class Rig:
    proc: CentralProcess
    dispatcher: httpx.Client
    trainer: httpx.Client
    t0: float

    def close(self) -> None:
        self.dispatcher.close()
        self.trainer.close()
        self.proc.stop()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def rig(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Rig]:
    tmp = tmp_path_factory.mktemp("hist")
    if request.param == "sqlite":
        db = str(tmp / "central.sqlite")
    else:
        server: PostgresServer = request.getfixturevalue("pg_server")
        db = server.create_database()
    proc = CentralProcess(db, heartbeat=0.5, log_path=tmp / "central.log")
    tokens = {r: proc.add_user(r, r, workstation=f"ws-{r}") for r in ("dispatcher", "trainer")}
    proc.start()
    clients = {r: httpx.Client(base_url=proc.url, timeout=15.0,
                               headers={"Authorization": f"Bearer {t}"}) for r, t in tokens.items()}
    d = clients["dispatcher"]
    ops = [{"op_id": uuid.uuid4().hex, "entity": "units", "entity_id": f"U{i}", "op": "insert",
            "patch": {"call_sign": f"巡逻{i}", "status": "idle"}, "base_rev": 0,
            "hlc": f"{int(time.time() * 1000):013d}.0000000000.ws1"} for i in range(1, 6)]
    res = d.post("/ops", json={"ns": "live", "origin": "ws1", "ops": ops})
    assert res.status_code == 200, res.text
    t0 = time.time() - 3600
    # U1 walks past the plaza; U2 stays 900 m north; U3..U5 report once far away.
    fixes = [{"unit_id": "U1", "lat": lat, "lon": PLAZA[1], "at": t0 + i * 60}
             for i, lat in enumerate([PLAZA[0] - 0.01, NORTH_200M[0], PLAZA[0] + 0.01])]
    fixes += [{"unit_id": "U2", "lat": NORTH_900M[0], "lon": NORTH_900M[1], "at": t0 + i * 60}
              for i in range(3)]
    fixes += [{"unit_id": f"U{i}", "lat": 30.6, "lon": 114.3, "at": t0 + 30} for i in (3, 4, 5)]
    res = d.post("/telemetry", json={"fixes": fixes, "readings": []})
    assert res.status_code == 200 and res.json()["stored_fixes"] == 9, res.text
    r = Rig(proc, d, clients["trainer"], t0)
    yield r
    r.close()


def test_last_fix_of_every_unit_paged(rig: Rig) -> None:
    first = rig.dispatcher.get("/history/last", params={"limit": 2}).json()
    assert [f["unit_id"] for f in first["fixes"]] == ["U1", "U2"] and first["next"] == "U2"
    assert first["fixes"][0]["lat"] == pytest.approx(PLAZA[0] + 0.01)  # the latest one
    rest = rig.dispatcher.get("/history/last", params={"after": first["next"], "limit": 5}).json()
    assert [f["unit_id"] for f in rest["fixes"]] == ["U3", "U4", "U5"] and rest["next"] is None


def test_track_of_several_units_between_two_times(rig: Rig) -> None:
    params: dict[str, object] = {"unit": ["U1", "U2"], "start": rig.t0, "end": rig.t0 + 121,
                                 "limit": 4}
    page = rig.dispatcher.get("/history/track", params=params).json()
    assert [(f["unit_id"], f["at"] - rig.t0) for f in page["fixes"]] == [
        ("U1", 0), ("U2", 0), ("U1", 60), ("U2", 60)]
    nxt = rig.dispatcher.get("/history/track", params={**params, "after": page["next"]}).json()
    assert [(f["unit_id"], f["at"] - rig.t0) for f in nxt["fixes"]] == [("U1", 120), ("U2", 120)]
    assert nxt["next"] is None
    one = rig.dispatcher.get("/history/track", params={**params, "unit": ["U1"],
                                                       "end": rig.t0 + 60}).json()
    assert [f["at"] - rig.t0 for f in one["fixes"]] == [0]


def test_who_was_near_a_place(rig: Rig) -> None:
    params = {"lat": PLAZA[0], "lon": PLAZA[1], "radius_m": 500, "start": rig.t0,
              "end": rig.t0 + 3600}
    found = rig.dispatcher.get("/history/near", params=params).json()
    assert [u["unit_id"] for u in found["units"]] == ["U1"]
    u1 = found["units"][0]
    assert (u1["fixes"], u1["first_at"] - rig.t0, u1["last_at"] - rig.t0) == (1, 60, 60)
    assert u1["closest_m"] == pytest.approx(200, abs=3)
    wider = rig.dispatcher.get("/history/near", params={**params, "radius_m": 1000}).json()
    assert [u["unit_id"] for u in wider["units"]] == ["U1", "U2"]
    assert wider["units"][1]["fixes"] == 3
    paged = rig.dispatcher.get("/history/near", params={**params, "radius_m": 1000,
                                                        "limit": 1}).json()
    assert [u["unit_id"] for u in paged["units"]] == ["U1"] and paged["next"] == "U1"
    before = rig.dispatcher.get("/history/near", params={**params, "end": rig.t0 + 30}).json()
    assert before["units"] == []


@pytest.mark.parametrize(("path", "params", "reason"), [
    ("/history/track", {"unit": ["U1"], "start": 100, "end": 100 + 8 * 86400}, "window_too_long"),
    ("/history/track", {"unit": ["U1"], "start": 200, "end": 100}, "bad_window"),
    ("/history/track", {"unit": [f"U{i}" for i in range(201)], "start": 0, "end": 10},
     "too_many_units"),
    ("/history/track", {"unit": ["U1"], "start": 0, "end": 10, "after": "x"}, "bad_cursor"),
    ("/history/near", {"lat": 34, "lon": 113, "radius_m": 60_000, "start": 0, "end": 10},
     "radius_too_large"),
    ("/history/near", {"lat": 34, "lon": 113, "radius_m": 100, "start": 0, "end": 2 * 86400},
     "window_too_long"),
])
def test_beyond_the_limits_is_refused_with_a_reason(rig: Rig, path: str, params: dict[str, object],
                                                     reason: str) -> None:
    res = rig.dispatcher.get(path, params=params)
    assert res.status_code == 422 and res.json()["error"] == reason
    assert res.json()["reason"]  # a Chinese sentence for the dispatcher
    too_big = rig.dispatcher.get("/history/last", params={"limit": 50_000})
    assert too_big.status_code == 422


def test_history_needs_a_reader_of_live_data(rig: Rig) -> None:
    assert httpx.get(rig.proc.url + "/history/last").status_code == 401
    res = rig.trainer.get("/history/last")
    assert res.status_code == 403 and res.json()["error"] == "trainer_live_read"


def test_served_from_the_chosen_backend(rig: Rig, tmp_path: Path) -> None:
    stats = rig.dispatcher.get("/telemetry/stats").json()
    assert stats["positions"] == 9
    if rig.proc.db.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(rig.proc.db) as conn:
            row = conn.execute("SELECT count(*) FROM positions").fetchone()
            assert row is not None and row[0] == 9
    else:
        assert Path(rig.proc.db).stat().st_size > 0
