"""A UiContext on a small real workspace (five water points, six cameras) with the dark theme,
for widget tests that must be fast and deterministic."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from desk.store import Workspace
from tests.water.fixtures import add_points


@pytest.fixture
def small_ui(tmp_path: Path, qapp):  # type: ignore[no-untyped-def]
    from desk.services.context import AppContext
    from desk.ui.app import apply_look
    from desk.ui.bus import QtChangeBus
    from desk.ui.context import UiContext
    from desk.ui.feed import FeedHub

    apply_look(qapp)
    ws = Workspace.open(tmp_path / "ws.sqlite")
    add_points(ws)
    ctx = AppContext(workspace=ws, demo=True, actor="调度员甲")
    qbus = QtChangeBus(ws.bus)
    hub = FeedHub(ws)
    ui = UiContext(ctx, qbus, hub)
    yield ui
    hub.shutdown()
    qbus.detach()
    # Deliver queued ChangeSets and deferred deletes while the database is still open, so no
    # widget of this test touches a closed workspace during the next test.
    from PySide6.QtCore import QCoreApplication, QEvent, QThreadPool

    QThreadPool.globalInstance().waitForDone(10_000)
    for _ in range(3):
        qapp.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    ws.close()


@pytest.fixture
def settings(tmp_path: Path) -> Iterator[QSettings]:
    """Per-test workstation settings in an ini file (never the developer's real settings)."""
    s = QSettings(str(tmp_path / "ws.ini"), QSettings.Format.IniFormat)
    yield s
    s.sync()
