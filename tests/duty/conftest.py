"""A UiContext on a small synthetic city (the duty tests do not need the full demo city)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from desk.domain.duty.model import date_start
from desk.store import Workspace
from tests.duty.factory import build_city

MON = date_start(date(2026, 11, 16))


@pytest.fixture
def duty_ui(tmp_path: Path, qapp):  # type: ignore[no-untyped-def]
    from desk.services.context import AppContext
    from desk.ui.bus import QtChangeBus
    from desk.ui.context import UiContext
    from desk.ui.feed import FeedHub

    ws = Workspace.open(tmp_path / "duty.sqlite")
    build_city(ws, stations=2, officers=24, posts=8)
    app_ctx = AppContext(workspace=ws, clock=lambda: MON + 2 * 86400 + 8 * 3600)
    qbus = QtChangeBus(ws.bus)
    hub = FeedHub(ws)
    ui = UiContext(app_ctx, qbus, hub)
    yield ui
    hub.shutdown()
    qbus.detach()
    ws.close()


@pytest.fixture
def dark(qapp) -> Iterator[None]:  # type: ignore[no-untyped-def]
    qss = Path(__file__).resolve().parents[2] / "resources" / "theme" / "dark.qss"
    old = qapp.styleSheet()
    qapp.setStyleSheet(qss.read_text(encoding="utf-8"))
    yield
    qapp.setStyleSheet(old)
