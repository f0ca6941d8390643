"""A whole drill without Qt: isolation of the live file, injects through the feed, scoring on a
scripted trainee, the after-action report, and replay."""

from __future__ import annotations

import base64
import hashlib
import re
import sqlite3
import zlib
from pathlib import Path

import pytest

from desk.drill import DrillActionError, DrillSession, Outcome, is_drill_workspace, score_drill
from desk.drill.actions import DrillAction
from desk.drill.replay import DrillReplay
from desk.drill.report import DrillReport, render_html, render_pdf
from desk.drill.scenario import load_scenario, parse_scenario, resolve_scenario
from desk.store import Workspace
from desk.store.errors import WorkspaceError

from .conftest import SCENARIOS, FakeTime


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def pdf_streams(data: bytes) -> list[bytes]:
    """reportlab's content streams, decoded (ASCII85 then Flate)."""
    out = []
    for raw in re.findall(rb"stream\r?\n(.*?)endstream", data, re.S):
        text = b"".join(raw.split())
        text = text.removesuffix(b"~>")
        out.append(zlib.decompress(base64.a85decode(text)))
    return out


def run_rainstorm(base: Path, dest: Path, fake: FakeTime) -> DrillSession:
    """The red-rainstorm sample, played by a scripted trainee with one late and one missed item."""
    session = DrillSession.create(SCENARIOS / "rainstorm_red.yaml", base=base, dest=dest,
                                  time_source=fake)
    session.start(speed=10)
    session.step()  # T+0 injects fire at once
    script = {
        # drill second: actions taken then (kind, target, data)
        30: [("acknowledge", "暴雨红色预警", {})],
        100: [("notify", "值班领导", {})],
        150: [("dispatch", "WP-001", {"unit_id": "U-0001"})],
        250: [("close_tunnel", "WP-001", {}), ("notify", "隧道责任人", {})],
        # WP-002 dispatch (due by 480) comes at 560: late by 80 s
        510: [("accept", "CASE-1", {"inject_id": "R06"})],
        560: [("dispatch", "WP-002", {"unit_id": "U-0002"})],
        # R06-DISPATCH (any target, by 660) and R07-CLOSE are never done: missed
    }
    while not session.feed.finished or session.clock.now() < 1200:
        fake.advance(1.0)  # 10 drill seconds per step at ×10
        session.step()
        now = session.clock.now()
        for at in [t for t in script if t <= now]:
            for kind, target, data in script.pop(at):
                session.actions.record(kind, target, float(at), "学员甲", data)
    return session


def test_live_file_untouched_and_drill_marked(base_city: Path, tmp_path: Path,
                                              fake_time: FakeTime) -> None:
    before = sha256(base_city)
    session = run_rainstorm(base_city, tmp_path / "drill.sqlite", fake_time)
    try:
        session.finish()
        assert is_drill_workspace(session.workspace)
        assert session.workspace.meta("drill_scenario") == "rainstorm-red"
        # Injects acted through the store like live data: readings landed in the drill copy.
        depths = session.workspace.db.execute(
            "SELECT point_id, depth_cm FROM sensor_readings ORDER BY at").fetchall()
        assert ("WP-001", 32.0) in depths and ("WP-003", 45.0) in depths
    finally:
        session.close()
    assert sha256(base_city) == before
    with Workspace.open(base_city) as live:
        assert live.count("sensor_readings") == 0
        assert live.count("drill_actions") == 0
        assert live.meta("drill") is None


def test_live_file_checksum_exactly_unchanged_by_drill(base_city: Path, tmp_path: Path,
                                                       fake_time: FakeTime) -> None:
    before = sha256(base_city)
    wal = base_city.with_name(base_city.name + "-wal")
    wal_before = sha256(wal) if wal.exists() else None
    session = run_rainstorm(base_city, tmp_path / "drill.sqlite", fake_time)
    session.finish()
    session.close()
    assert sha256(base_city) == before
    # A read-only WAL reader may leave an empty -wal file behind; it must never hold pages.
    if wal_before is None:
        assert not wal.exists() or wal.stat().st_size == 0
    else:
        assert sha256(wal) == wal_before


def test_refuses_to_overwrite_existing_drill(base_city: Path, tmp_path: Path) -> None:
    dest = tmp_path / "d.sqlite"
    DrillSession.create(SCENARIOS / "rainstorm_red.yaml", base=base_city, dest=dest).close()
    with pytest.raises(WorkspaceError):
        DrillSession.create(SCENARIOS / "rainstorm_red.yaml", base=base_city, dest=dest)


def test_scripted_run_scores(base_city: Path, tmp_path: Path, fake_time: FakeTime) -> None:
    session = run_rainstorm(base_city, tmp_path / "drill.sqlite", fake_time)
    result = session.finish()
    by_id = {r.expected.id: r for r in result.results}
    assert by_id["R01-ACK"].outcome is Outcome.MET
    assert by_id["R03-DISPATCH"].outcome is Outcome.MET
    assert by_id["R03-DISPATCH"].response_s == pytest.approx(30.0)
    assert by_id["R05-DISPATCH"].outcome is Outcome.LATE
    assert by_id["R05-DISPATCH"].late_by_s == pytest.approx(80.0)
    assert by_id["R06-ACCEPT"].outcome is Outcome.MET  # matched through inject_id
    assert by_id["R06-DISPATCH"].outcome is Outcome.MISSED
    assert by_id["R07-CLOSE"].outcome is Outcome.MISSED
    # weights: met 1+2+3+4+2+2 = 14, late 3 × 0.5 = 1.5, missed 2+4; total 23
    assert result.total_weight == pytest.approx(23.0)
    assert result.points == pytest.approx(15.5)
    assert result.score == pytest.approx(100 * 15.5 / 23)
    # Injects fired exactly on their drill second (the fake clock steps land on them).
    fired = session.fired_times()
    assert fired["R04"] == pytest.approx(240.0)
    session.close()


def test_scoring_rules_without_a_workspace() -> None:
    s = parse_scenario("""\
id: s
title: t
late_credit: 0.25
injects:
  - {id: A1, at: "T+00:10", kind: message, text: x,
     expect: [{id: E1, action: accept, within: "01:00", weight: 2}]}
  - {id: A2, at: "T+00:20", kind: message, text: y,
     expect: [{id: E2, action: accept, within: "01:00", weight: 2},
              {id: E3, action: dispatch, target: P1, count: 2, within: "02:00"}]}
  - {id: A3, at: "T+50:00", kind: message, text: z,
     expect: [{id: E4, action: accept, within: "01:00"}]}
""")
    actions = [
        DrillAction("a", "accept", "c1", 5.0),  # before any inject: answers nothing
        DrillAction("b", "accept", "c1", 30.0),
        DrillAction("c", "accept", "c2", 100.0),  # E2 late by 20 s
        DrillAction("d", "dispatch", "P1", 40.0),
        DrillAction("e", "dispatch", "P2", 50.0),  # wrong target
        DrillAction("f", "dispatch", "P1", 90.0),
    ]
    r = score_drill(s, {"A1": 10.0, "A2": 20.0}, actions)
    out = {x.expected.id: x for x in r.results}
    assert out["E1"].outcome is Outcome.MET and out["E1"].action_ids == ("b",)
    assert out["E2"].outcome is Outcome.LATE and out["E2"].late_by_s == pytest.approx(20.0)
    assert out["E3"].outcome is Outcome.MET and out["E3"].action_ids == ("d", "f")
    assert out["E4"].outcome is Outcome.NOT_FIRED
    assert r.total_weight == 5.0
    assert r.points == pytest.approx(2 + 0.5 + 1)


def test_action_log_rejects_bad_input(base_city: Path, tmp_path: Path) -> None:
    session = DrillSession.create(SCENARIOS / "rainstorm_red.yaml", base=base_city,
                                  dest=tmp_path / "d.sqlite")
    with pytest.raises(DrillActionError):
        session.actions.record("teleport", "x", 1.0)
    with pytest.raises(DrillActionError):
        session.actions.record("notify", "x", float("nan"))
    assert session.workspace.count("drill_actions") == 0
    session.close()


def test_unit_and_camera_offline_applied(base_city: Path, tmp_path: Path,
                                         fake_time: FakeTime) -> None:
    session = DrillSession.create(SCENARIOS / "spring_festival_erqi.yaml", base=base_city,
                                  dest=tmp_path / "d.sqlite", time_source=fake_time)
    session.start()
    while session.jump_to_next_inject() is not None:
        session.step()
    db = session.workspace.db
    assert db.execute("SELECT online FROM cameras WHERE id='CAM-00369'").fetchone()[0] == 0
    assert db.execute("SELECT online FROM units WHERE id='U-0001'").fetchone()[0] == 0
    assert session.workspace.count("drill_injects_fired") == 6
    lateness = [r[0] for r in db.execute("SELECT lateness_ms FROM drill_injects_fired")]
    assert lateness == [0.0] * 6
    session.close()


def test_report_has_timeline_score_and_drill_mark(base_city: Path, tmp_path: Path,
                                                  fake_time: FakeTime,
                                                  artifacts_dir: Path) -> None:
    session = run_rainstorm(base_city, tmp_path / "drill.sqlite", fake_time)
    result = session.finish()
    session.save_lessons("隧道封闭及时。\n涉水熄火车辆救援派警遗漏，需补充预案。")
    report = DrillReport.from_session(session)
    page = render_html(report)
    assert "演练 DRILL" in page
    assert f"{result.score:.1f} 分" in page
    assert "T+04:00" in page and "封闭隧道/道路：WP-001" in page
    assert "超时完成（超时 1分20秒）" in page
    assert "涉水熄火车辆救援派警遗漏" in page
    assert "<svg" in page
    (artifacts_dir / "drill_report.html").write_text(page, encoding="utf-8")
    pdf = render_pdf(report, artifacts_dir / "drill_report.pdf")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    # The DRILL band is drawn on every page: one content stream per page, each with the mark.
    pages = [st for st in pdf_streams(data) if b" Tf" in st]
    assert len(pages) >= 2
    assert all(b"(DRILL) Tj" in st for st in pages)
    session.close()


def test_reopen_and_replay_at_speed(base_city: Path, tmp_path: Path, fake_time: FakeTime) -> None:
    path = tmp_path / "drill.sqlite"
    session = run_rainstorm(base_city, path, fake_time)
    session.finish()
    expected_score = session.score().score
    session.close()
    again = DrillSession.open(path)
    assert again.score().score == pytest.approx(expected_score)
    fake = FakeTime()
    replay = DrillReplay.from_session(again, time_source=fake)
    replay.clock.start(speed=10)
    seen = []
    for _ in range(130):
        fake.advance(1.0)
        seen.extend(replay.poll())
    kinds = [e.item.kind for e in seen]
    assert kinds.count("inject") == 7
    assert kinds.count("action") == 7
    assert [e.due_s for e in seen] == sorted(e.due_s for e in seen)
    again.close()


def test_corrupt_base_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"not a database at all" * 100)
    with pytest.raises(WorkspaceError):
        DrillSession.create(SCENARIOS / "rainstorm_red.yaml", base=bad, dest=tmp_path / "d.sqlite")
    assert not (tmp_path / "d.sqlite").exists()
    assert sqlite3.sqlite_version


@pytest.mark.parametrize("name", sorted(p.name for p in SCENARIOS.glob("*.yaml")))
def test_samples_resolve_against_the_demo_city(demo_workspace: Workspace, name: str) -> None:
    """Every id and name in the shipped samples exists in the generated demo city."""
    scenario = resolve_scenario(load_scenario(SCENARIOS / name), demo_workspace.db)
    for inject in scenario.injects:
        if inject.kind == "water_depth":
            kind = demo_workspace.db.execute(
                "SELECT kind FROM water_points WHERE id = ?", [inject.data["point_id"]]
            ).fetchone()[0]
            if scenario.id == "rainstorm-red":
                assert kind == "tunnel"


def test_demo_base_generates_city_into_drill_workspace(tmp_path: Path,
                                                       fake_time: FakeTime) -> None:
    session = DrillSession.create(SCENARIOS / "rainstorm_red.yaml", dest=tmp_path / "d.sqlite",
                                  time_source=fake_time)
    try:
        assert session.workspace.count("water_points") == 415
        session.start()
        while session.jump_to_next_inject() is not None:
            session.step()
        assert session.workspace.count("sensor_readings", "point_id = 'WP-001'") >= 2
        assert is_drill_workspace(session.workspace)
    finally:
        session.close()
