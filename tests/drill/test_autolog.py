"""Trainee actions taken in the normal services (accept, decide, dispatch, close a tunnel) are
recorded from the change log with drill time and scored against the scenario's expectations."""

from __future__ import annotations

from pathlib import Path

from desk.drill.session import DrillSession
from desk.services.accidents import AccidentService
from desk.services.dispatch import DispatchService, Target

from .conftest import SCENARIOS, FakeTime


def test_actions_in_normal_services_are_scored(demo_city_file: Path, tmp_path: Path,
                                               fake_time: FakeTime) -> None:
    session = DrillSession.create(SCENARIOS / "morning_rush_accidents.yaml", base=demo_city_file,
                                  dest=tmp_path / "drill.sqlite", time_source=fake_time)
    ctx = session.app_context(actor="学员甲")
    accidents = ctx.service(AccidentService)
    dispatch = ctx.service(DispatchService)
    session.start(speed=1.0)
    session.jump_to_next_inject()  # M01 at T+00:30: a rear-end collision report
    fired = session.step()
    assert [f.item.id for f in fired] == ["M01"]
    # The FeedHub would hand the report to the accident service; do what it does.
    from desk.drill.runner import inject_batch

    for event in inject_batch(fired[0].item, ctx.clock()).events:
        accidents.on_feed_event(event)
    case_id = accidents.find_by_key("drill:M01")
    assert case_id is not None

    fake_time.advance(40)  # accepted 40 s after the report: within the 1-minute target
    accidents.accept(case_id)
    unit = ctx.workspace.db.execute(
        "SELECT id FROM units WHERE status = 'available' LIMIT 1").fetchone()[0]
    dispatch.dispatch(unit, Target("accident_cases", case_id, 34.79, 113.67, "花园路与三全路口"))
    # Telemetry and the drill's own writes are not trainee actions.
    session.flush()

    recorded = [(a.kind, a.target, a.actor, a.data.get("inject_id")) for a in session.actions.actions()]
    assert ("accept", case_id, "学员甲", "M01") in recorded
    assert ("dispatch", case_id, "学员甲", "M01") in recorded
    accept = next(a for a in session.actions.actions() if a.kind == "accept")
    assert abs(accept.at_s - (30 + 40)) < 1.0  # drill time, not wall time

    result = session.score()
    by_id = {r.expected.id: r for r in result.results}
    assert by_id["M01-ACCEPT"].outcome.value == "met"
    assert by_id["M01-ACCEPT"].response_s is not None and by_id["M01-ACCEPT"].response_s < 60
    assert by_id["M01-DECIDE"].outcome.value == "missed"  # never decided
    session.close()
