"""The accident dock driven like a dispatcher would: queue → 受理 → 定责 → 推送理赔 → 结案 with
the keyboard and buttons, then the stored PDF is read back; screenshots go to the artefacts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desk.domain.accidents import CaseState, LiabilityLevel
from desk.services.accidents import AccidentService
from desk.services.context import AppContext
from desk.store import Workspace
from tests.accidents.helpers import OFFICER_SETTINGS, pdf_text, ready_case


@pytest.fixture
def ui(workspace: Workspace, qapp) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """A UiContext on a small real workspace (the demo city is not needed here)."""
    from desk.ui.app import apply_look
    from desk.ui.bus import QtChangeBus
    from desk.ui.context import UiContext
    from desk.ui.feed import FeedHub

    apply_look(qapp)
    app_ctx = AppContext(workspace=workspace, demo=False, settings=dict(OFFICER_SETTINGS))
    qbus = QtChangeBus(workspace.bus)
    hub = FeedHub(workspace)
    ui = UiContext(app_ctx, qbus, hub)
    yield ui
    hub.shutdown()
    qbus.detach()


def type_text(widget, text: str) -> None:  # type: ignore[no-untyped-def]
    """Chinese arrives through the input method: a commit string, as a real IME sends it."""
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication

    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def press(panel, qtbot, key) -> None:  # type: ignore[no-untyped-def]
    """Alt+<key> as the dispatcher presses it (shortcuts need the window active)."""
    if not panel.isActiveWindow():
        panel.activateWindow()
        qtbot.waitUntil(panel.isActiveWindow)
    qtbot.keyClick(panel.workspace, key, Qt.KeyboardModifier.AltModifier)


def _panel(ui, qtbot):  # type: ignore[no-untyped-def]
    from desk.ui.accidents import AccidentPanel

    panel = AccidentPanel(ui)
    qtbot.addWidget(panel, before_close_func=lambda w: w.teardown())
    panel.resize(1500, 900)
    panel.show()
    qtbot.waitExposed(panel)
    # Shortcuts only fire in the active window.
    panel.activateWindow()
    qtbot.waitUntil(panel.isActiveWindow)
    return panel


def test_queue_to_closed_with_keyboard(ui, qtbot, artifacts_dir: Path) -> None:  # type: ignore[no-untyped-def]
    svc: AccidentService = ui.app.service(AccidentService)
    older = ready_case(svc, key="older")
    newer = ready_case(svc, key="newer")
    panel = _panel(ui, qtbot)
    assert panel.model.rowCount() == 2
    # Longest waiting first.
    assert panel.model.entry(0).id == older

    panel.table.setFocus()
    press(panel, qtbot, Qt.Key.Key_N)
    assert panel.workspace.current_id() == older
    ws = panel.workspace
    assert ws.buttons[CaseState.ACCEPTED].isEnabled() and not ws.buttons[CaseState.CLOSED].isEnabled()

    press(panel, qtbot, Qt.Key.Key_A)  # 受理
    assert svc.get(older).state is CaseState.ACCEPTED
    assert "受理" in panel.model.data(panel.model.index(panel.model.row_of(older), 2))

    # Deciding without liabilities is refused with the reason shown.
    press(panel, qtbot, Qt.Key.Key_D)
    assert svc.get(older).state is CaseState.ACCEPTED
    assert "每一方都必须确定责任" in ws.blockers.text()

    # The suggestion (rear-end: 甲方 is the rear car) is offered and applied.
    assert "追尾" in ws.suggestion_label.text()
    qtbot.mouseClick(ws.apply_suggestion, Qt.MouseButton.LeftButton)
    assert ws.combination_label.text() == "责任组合合法"
    ws.tabs.setCurrentIndex(0)
    qtbot.wait(150)  # let queued layout requests and child shows run before the grab
    panel.grab().save(str(artifacts_dir / "accident_case.png"))

    press(panel, qtbot, Qt.Key.Key_D)  # 定责
    case = svc.get(older)
    assert case.state is CaseState.DECIDED
    assert [p.liability for p in case.parties] == [LiabilityLevel.FULL, LiabilityLevel.NONE]
    assert ws.tabs.currentIndex() == 2 and ws.pdf_doc.pageCount() >= 1
    qtbot.wait(150)
    panel.grab().save(str(artifacts_dir / "accident_document.png"))

    qtbot.mouseClick(ws.buttons[CaseState.CLAIM_PUSHED], Qt.MouseButton.LeftButton)
    assert ws.insurance.rowCount() == 2
    assert ws.insurance.item(0, 3).text() == "待推送"
    press(panel, qtbot, Qt.Key.Key_C)  # 结案
    assert svc.get(older).state is CaseState.CLOSED
    qtbot.waitUntil(lambda: panel.model.row_of(older) == -1)
    assert panel.model.rowCount() == 1 and panel.model.entry(0).id == newer

    pdf = svc.reprint(older, "decision")
    assert pdf.exists()
    text = pdf_text(pdf)
    for needle in ("豫A12345", "豫AD12345", "全部责任", "无责任", case.case_no):
        assert needle in text
    assert [r.state for r in svc.state_log(older)] == [
        CaseState.REPORTED, CaseState.ACCEPTED, CaseState.DECIDED, CaseState.CLAIM_PUSHED,
        CaseState.CLOSED]


def test_typing_is_saved_as_draft_and_validated(ui, qtbot) -> None:  # type: ignore[no-untyped-def]
    svc: AccidentService = ui.app.service(AccidentService)
    panel = _panel(ui, qtbot)
    case_id = panel.new_case_at(34.8068, 113.6773)
    ws = panel.workspace
    assert ws.current_id() == case_id
    assert svc.get(case_id).place == "花园路与三全路交叉口"  # nearest intersection
    form = ws._party_forms[0]
    type_text(form.plate, "豫AI2345")
    assert "I和O" in form.errors.text() and not form.errors.isHidden()
    type_text(form.name, "王强")
    qtbot.waitUntil(lambda: svc.get(case_id).parties[0].name == "王强", timeout=3000)
    assert svc.get(case_id).parties[0].plate == "豫AI2345"  # kept as typed, blocks a decision
    # Switching cases flushes pending typing at once.
    qtbot.keyClicks(form.phone, "13800138000")
    panel.new_case_at(None, None)
    assert svc.get(case_id).parties[0].phone == "13800138000"


def test_ineligible_case_goes_to_general_procedure_and_asks_for_units(ui, qtbot) -> None:  # type: ignore[no-untyped-def]
    svc: AccidentService = ui.app.service(AccidentService)
    cid = ready_case(svc, key="hurt", eligibility={"property_damage_only": False})
    panel = _panel(ui, qtbot)
    panel.open_case(cid)
    assert "不符合快处条件" in panel.workspace.eligibility_label.text()
    with qtbot.waitSignal(ui.sig_nearest_units_requested, timeout=2000) as blocker:
        assert panel.workspace.request_transition(CaseState.GENERAL_PROCEDURE,
                                                  reason="事故造成人员伤亡")
    assert blocker.args == [pytest.approx(34.8068), pytest.approx(113.6773)]
    assert svc.get(cid).state is CaseState.GENERAL_PROCEDURE
    assert ui.workspace.count("accident_incidents") == 1


def test_overdue_rows_turn_amber_then_red(ui, qtbot) -> None:  # type: ignore[no-untyped-def]
    now = [1_795_305_600.0]
    ui.app.clock = lambda: now[0]
    svc: AccidentService = ui.app.service(AccidentService)
    cid = ready_case(svc, key="late")
    panel = _panel(ui, qtbot)
    urgency = lambda: panel.model.data(panel.model.index(0, 0), panel.model.URGENCY_ROLE)  # noqa: E731
    assert urgency() == "ok"
    now[0] += 61
    panel.model.tick()
    assert urgency() == "amber"
    assert panel.model.data(panel.model.index(0, 0)) == "01:01"
    now[0] += 60
    panel.model.tick()
    assert urgency() == "red"
    assert panel.model.data(panel.model.index(0, 0), Qt.ItemDataRole.BackgroundRole) is not None
    panel.open_case(cid)
    panel.workspace.request_transition(CaseState.ACCEPTED)
    qtbot.waitUntil(lambda: urgency() == "ok")  # 2 min of the 5-minute decision target


def test_filter_and_feed_and_kpi_export(ui, qtbot, tmp_path: Path, artifacts_dir: Path) -> None:  # type: ignore[no-untyped-def]
    from desk.demo.accidents import AccidentStream

    panel = _panel(ui, qtbot)
    stream = AccidentStream(seed=9)
    from desk.services.accidents import local_day_start

    day = local_day_start(ui.app.clock())  # today's reports, whatever day the test runs
    events = [stream.report(day + 60.0 + i * 97) for i in range(12)]
    svc: AccidentService = ui.app.service(AccidentService)
    for event in events:  # what the runtime's feed router does with accident.report
        svc.on_report_event(event)
    # The panel learns of the new cases from the change bus only.
    qtbot.waitUntil(lambda: panel.model.total() == 12)
    plate = events[3].data["parties"][1]["plate"]
    type_text(panel.filter, plate)
    assert 1 <= panel.model.rowCount() < 12
    assert all(plate in panel.model.entry(r).plates for r in range(panel.model.rowCount()))
    panel.filter.clear()
    panel.state_filter.setCurrentIndex(2)  # 待定责
    assert panel.model.rowCount() == 0
    panel.state_filter.setCurrentIndex(0)
    out = tmp_path / "daily.pdf"
    with qtbot.waitSignal(panel.kpi.sig_exported, timeout=10000) as done:
        panel.kpi.export_pdf(out)
    assert done.args == [str(out), ""]
    panel.right_tabs.setCurrentWidget(panel.kpi)
    assert panel.kpi.values["total"].text() == "12"
    qtbot.wait(100)
    panel.grab().save(str(artifacts_dir / "accident_kpi.png"))
    assert "轻微交通事故快处日报" in pdf_text(out)


def test_panel_in_the_demo_city_shows_the_demo_feed(ui_context, qtbot, qapp, artifacts_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """The demo stream is a Qt-free Feed (the runtime's job demo.accidents); its batches reach
    the service, and the panel shows the cases (last 10 minutes backfilled). The panel owns no
    timer that creates cases."""
    import threading

    from desk.demo.accidents import AccidentDemoFeed
    from desk.feeds.base import FeedBatch
    from desk.services.accidents import local_day_start
    from desk.ui.app import apply_look

    apply_look(qapp)
    day = local_day_start(1_795_305_600.0)
    ui_context.app.clock = lambda: day + 8 * 3600.0  # 08:00, the morning peak
    panel = _panel(ui_context, qtbot)
    assert panel.model.total() == 0  # nothing runs inside the panel
    batches: list[FeedBatch] = []
    arrived = threading.Event()

    def sink(batch: FeedBatch) -> None:  # a feed thread: hand over, like the runtime's queue
        batches.append(batch)
        arrived.set()

    feed = AccidentDemoFeed(clock=ui_context.app.clock, tick_s=0.01, backfill_s=600.0)
    assert feed.name == "demo.accidents"
    feed.start(sink)
    assert arrived.wait(10)
    feed.stop()
    svc = ui_context.app.service(AccidentService)
    for batch in batches:  # on the GUI thread, as the runtime's pump does
        for event in batch.events:
            svc.on_report_event(event)
    # ~36 reports/hour at 08:00: a 10-minute backfill almost surely brings some.
    qtbot.waitUntil(lambda: panel.model.total() >= 1)
    assert ui_context.workspace.count("accident_evidence") >= 3 * panel.model.total()
    panel.next_case()
    assert panel.workspace.case is not None
    qtbot.wait(100)
    panel.grab().save(str(artifacts_dir / "accident_demo.png"))


def test_evidence_viewer_zooms_photos_and_explains_missing_codecs(ui, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from desk.demo.accidents import _png
    from desk.domain.accidents import EvidenceKind
    from desk.ui.accidents import evidence_view

    svc: AccidentService = ui.app.service(AccidentService)
    cid = ready_case(svc, key="media")
    import random

    svc.add_evidence(cid, _png(random.Random(1), "front_side"), EvidenceKind.OTHER_PHOTO,
                     filename="scene.png")
    svc.add_evidence(cid, b"\x00\x00\x00\x18ftypmp42 not really a video", EvidenceKind.VIDEO,
                     filename="call.mp4")
    monkeypatch.setattr(evidence_view, "_video_widget", lambda parent: (None, "no codec"))
    panel = _panel(ui, qtbot)
    panel.open_case(cid)
    viewer = panel.workspace.evidence
    panel.workspace.tabs.setCurrentWidget(panel.workspace.evidence_tab)
    assert viewer.list.count() == 5
    viewer.list.setCurrentRow(3)  # the real PNG
    assert viewer.stack.currentIndex() == 0
    before = viewer.image.zoom
    viewer.image.zoom_by(1.25)
    assert viewer.image.zoom == pytest.approx(before * 1.25)
    viewer.list.setCurrentRow(4)  # the video
    assert "无法在此播放" in viewer.message.text() and "call.mp4" in viewer.message.text()
    assert not viewer.open_external.isHidden()
    viewer.list.setCurrentRow(0)  # the test's fake "PNG" bytes cannot be decoded
    assert "无法显示" in viewer.message.text()
