"""The inbox updates row by row (insert, change, move, remove; never a reset for one change),
a folded repeat's row shows the latest text and the counter, and blue rows do not look selected."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor

from desk.domain.alerts import Severity
from desk.services.alerts import AlertService
from desk.ui.alerts.model import AlertTableModel
from desk.ui.alerts.panel import AlertInboxPanel


def _cell(panel: AlertInboxPanel, alert_id: str, col: int) -> str:
    row = panel.model.row_of(alert_id)
    return str(panel.model.index(row, col).data())


def test_model_passes_qt_model_checks_through_inserts_moves_and_removals(qtmodeltester: Any, ui_context: Any) -> None:
    svc = ui_context.app.service(AlertService)
    model = AlertTableModel()
    ids = [svc.raise_alert("x", sev, "s", f"p{i}", f"m{i}", dedup_key=f"k{i}")
           for i, sev in enumerate(("blue", "red", "yellow", "orange", "blue"))]
    model.set_alerts(svc.open_alerts())
    qtmodeltester.check(model, force_py=True)
    # A fold escalates the first blue alert to red: it moves to the top.
    svc.raise_alert("x", "red", "s", "p0", "m0 again", dedup_key="k0")
    model.apply(svc.get_many([ids[0]]))  # type: ignore[arg-type]
    assert [a.id for a in model.alerts] == [a.id for a in svc.open_alerts()]
    svc.resolve(ids[2], "a")
    model.apply({ids[2]: svc.get(ids[2])})
    new = svc.raise_alert("x", "orange", "s", "p9", "m9", dedup_key="k9")
    model.apply({new: svc.get(new)})
    assert [a.id for a in model.alerts] == [a.id for a in svc.open_alerts()]
    qtmodeltester.check(model, force_py=True)
    assert model.resets == 1


def test_storm_of_changes_inserts_and_updates_rows_without_reset(qtbot: Any, ui_context: Any) -> None:
    svc = ui_context.app.service(AlertService)
    panel = AlertInboxPanel(ui_context)
    qtbot.addWidget(panel)
    resets: list[int] = []
    inserts: list[int] = []
    panel.model.modelReset.connect(lambda: resets.append(1))
    panel.model.rowsInserted.connect(lambda *_: inserts.append(1))
    first = svc.raise_alert("water.rise", "yellow", "积水监测", "农业路隧道", "水位快速上涨 1.0 cm/分钟，当前 12 cm",
                            dedup_key="water.rise:wp-x")
    for i in range(30):
        svc.raise_alert("water.threshold", "orange", "积水监测", f"点位{i}", f"水深 {20 + i} cm",
                        dedup_key=f"water.threshold:wp-{i}")
    svc.raise_alert("water.rise", "orange", "积水监测", "农业路隧道", "水位快速上涨 2.5 cm/分钟，当前 19 cm",
                    dedup_key="water.rise:wp-x")
    qtbot.waitUntil(lambda: len(panel.model.alerts) == 31, timeout=5000)
    qtbot.waitUntil(lambda: "2.5 cm" in _cell(panel, first, 4), timeout=5000)
    assert resets == []  # every change was rows, not a reset
    assert len(inserts) == 31
    assert _cell(panel, first, 4) == "水位快速上涨 2.5 cm/分钟，当前 19 cm"  # the latest text
    assert _cell(panel, first, 5) == "×2"
    assert _cell(panel, first, 0) == "橙色"  # escalated with the repeat
    assert [a.id for a in panel.model.alerts] == [a.id for a in svc.open_alerts()]
    # The selected alert's details follow its latest text as well.
    assert panel.select(first)
    svc.raise_alert("water.rise", "orange", "积水监测", "农业路隧道", "水位快速上涨 3.1 cm/分钟，当前 25 cm",
                    dedup_key="water.rise:wp-x")
    qtbot.waitUntil(lambda: "3.1 cm" in panel.detail_label.text(), timeout=5000)
    assert _cell(panel, first, 5) == "×3"
    assert panel.selected_alert().id == first  # type: ignore[union-attr]
    assert "重复合并" in panel.history.item(panel.history.count() - 1).text()


def test_blue_rows_are_not_painted_like_the_selection(qtbot: Any, ui_context: Any, qapp: Any) -> None:
    svc = ui_context.app.service(AlertService)
    blue = svc.raise_alert("camera.offline", "blue", "视频监控", "金水区", "金水区 3 路视频离线",
                           dedup_key="camera.offline:金水区")
    red = svc.raise_alert("water.threshold", "red", "积水监测", "京广路隧道", "水深 32 cm",
                          dedup_key="water.threshold:wp-1")
    panel = AlertInboxPanel(ui_context)
    qtbot.addWidget(panel)
    highlight = panel.table.palette().highlight().color()

    def hue_distance(a: QColor, b: QColor) -> int:
        d = abs(a.hslHue() - b.hslHue())
        return min(d, 360 - d)

    m = panel.model
    for col in range(1, m.columnCount()):
        brush = m.index(m.row_of(blue), col).data(Qt.ItemDataRole.BackgroundRole)
        if brush is not None:
            c = brush.color()
            assert c.hslSaturation() < 60 or hue_distance(c, highlight) > 40
    # The severity cell still says blue, and red rows keep their red wash.
    badge = m.index(m.row_of(blue), 0).data(Qt.ItemDataRole.BackgroundRole).color()
    assert badge.name() == "#1f6feb"
    assert m.index(m.row_of(red), 3).data(Qt.ItemDataRole.BackgroundRole).color().red() > 200
    assert Severity.BLUE.label == m.index(m.row_of(blue), 0).data()
    assert m.rowCount(QModelIndex()) == 2
