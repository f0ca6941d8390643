"""The case form as a dispatcher meets it: the mouse wheel never flips an answer, the layout
holds still when a case opens (the map keeps its width, every case button is shown whole, party
forms never overlap), at 1920×1080 and 1366×768; screenshots go to the artefacts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDockWidget,
    QLabel,
    QMainWindow,
    QWidget,
)

from desk.services.accidents import AccidentService
from desk.services.context import AppContext
from desk.store import Workspace
from tests.accidents.helpers import OFFICER_SETTINGS, ready_case


@pytest.fixture
def ui(workspace: Workspace, qapp) -> Iterator[object]:  # type: ignore[no-untyped-def]
    from desk.ui.app import apply_look
    from desk.ui.bus import QtChangeBus
    from desk.ui.context import UiContext
    from desk.ui.feed import FeedHub

    apply_look(qapp)
    app_ctx = AppContext(workspace=workspace, demo=False, settings=dict(OFFICER_SETTINGS))
    qbus = QtChangeBus(workspace.bus)
    hub = FeedHub(workspace)
    yield UiContext(app_ctx, qbus, hub)
    hub.shutdown()
    qbus.detach()


def _wheel(widget: QWidget, delta: int) -> None:
    pos = QPointF(widget.width() / 2, widget.height() / 2)
    event = QWheelEvent(pos, QPointF(widget.mapToGlobal(pos.toPoint())), QPoint(0, 0),
                        QPoint(0, delta), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def _value(widget: QWidget) -> object:
    if isinstance(widget, QComboBox):
        return (widget.currentIndex(), widget.currentText())
    assert isinstance(widget, QAbstractSpinBox)
    return widget.text()


def test_wheel_over_unfocused_combos_and_spin_boxes_changes_nothing(ui, qtbot) -> None:  # type: ignore[no-untyped-def]
    from desk.ui.accidents import AccidentPanel

    svc: AccidentService = ui.app.service(AccidentService)
    cid = ready_case(svc, key="wheel")
    # A plain combo box (no guard) does change with the wheel: the synthesized event is real.
    plain = QComboBox()
    plain.addItems(["未核实", "是", "否"])
    qtbot.addWidget(plain)
    plain.show()
    _wheel(plain, -120)
    assert plain.currentIndex() == 1

    panel = AccidentPanel(ui)
    qtbot.addWidget(panel, before_close_func=lambda w: w.teardown())
    panel.resize(1400, 900)
    panel.show()
    qtbot.waitExposed(panel)
    panel.open_case(cid)
    ws = panel.workspace
    widgets = [*ws.findChildren(QComboBox), *ws.findChildren(QAbstractSpinBox)]
    kinds = {type(w).__name__ for w in widgets}
    assert len(widgets) >= len(ws.checks) + 10 and "QDateTimeEdit" in kinds, kinds
    before = [_value(w) for w in widgets]
    stored = svc.get(cid)
    panel.table.setFocus()
    for widget in widgets:
        for delta in (-120, -120, 120, -360):
            _wheel(widget, delta)
    assert [_value(w) for w in widgets] == before
    ws.save_now()
    assert svc.get(cid).eligibility == stored.eligibility
    assert [p.liability for p in svc.get(cid).parties] == [p.liability for p in stored.parties]
    # Clicked into (focused), a combo still answers the wheel: only the accidental case is off.
    combo = ws.checks["vehicles_movable"]
    combo.setFocus()
    qtbot.waitUntil(combo.hasFocus)
    _wheel(combo, -120)
    assert combo.currentIndex() != before[widgets.index(combo)][0]  # type: ignore[index]


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1366, 768)])
def test_layout_holds_when_a_case_opens(ui, qtbot, artifacts_dir: Path, width: int,  # type: ignore[no-untyped-def]
                                        height: int) -> None:
    """The accidents dock beside a map stand-in, sized as the main window sizes it (the right
    dock at 34 % of the width). Opening a case, and a new case with its party forms, must not
    widen the dock, and must show every button whole."""
    from desk.ui.accidents import AccidentPanel

    svc: AccidentService = ui.app.service(AccidentService)
    cid = ready_case(svc, key=f"layout-{width}")
    window = QMainWindow()
    qtbot.addWidget(window)
    map_stand_in = QLabel("地图")
    map_stand_in.setAlignment(Qt.AlignmentFlag.AlignCenter)
    window.setCentralWidget(map_stand_in)
    panel = AccidentPanel(ui)
    dock = QDockWidget("事故快处", window)
    dock.setWidget(panel)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    window.resize(width, height)
    window.show()
    qtbot.waitExposed(window)
    window.resizeDocks([dock], [int(width * 0.34)], Qt.Orientation.Horizontal)
    qtbot.wait(200)
    map_before = map_stand_in.width()
    assert map_before >= width * 0.6

    panel.open_case(cid)
    qtbot.wait(1500)  # the jump came "a few seconds after a case opens"
    assert map_stand_in.width() == map_before, "opening a case squeezed the map"
    ws = panel.workspace
    for button in [*ws.buttons.values(), ws.reopen_btn]:
        if button.isHidden():
            continue
        assert button.width() >= button.sizeHint().width(), button.text()
        rect = button.geometry()
        assert button.parentWidget().rect().contains(rect), f"{button.text()} is cut off"
    window.grab().save(str(artifacts_dir / f"accident_case_{width}x{height}.png"))

    panel.new_case_at(None, None)
    qtbot.wait(50)
    forms = [f for f in ws._party_forms if f.isVisible()]
    assert len(forms) == 2
    a, b = (f.geometry() for f in forms)
    assert not a.intersects(b), "party forms overlap"
    qtbot.wait(1000)
    assert map_stand_in.width() == map_before
    window.grab().save(str(artifacts_dir / f"accident_new_case_{width}x{height}.png"))
    panel.teardown()
