"""Fixtures for the map tests: a loaded MapPanel on the demo city, and a synchronous JS helper."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

LOAD_TIMEOUT_MS = 30_000


def run_js(qtbot: Any, view: Any, expr: str, timeout: int = 10_000) -> Any:
    """Evaluate ``expr`` in the page and return its JSON value (runJavaScript gives '' for objects,
    so the page stringifies it)."""
    box: list[Any] = []
    view.page().runJavaScript(f"JSON.stringify({expr})", 0, box.append)
    qtbot.waitUntil(lambda: bool(box), timeout=timeout)
    text = box[0]
    return json.loads(text) if isinstance(text, str) and text else None


def wait_js(qtbot: Any, view: Any, expr: str, pred: Any, timeout: int = 15_000) -> Any:
    """Poll ``expr`` until ``pred(value)`` holds; returns the last value."""
    last: list[Any] = [None]

    def check() -> bool:
        last[0] = run_js(qtbot, view, expr)
        return bool(pred(last[0]))

    qtbot.waitUntil(check, timeout=timeout)
    return last[0]


@pytest.fixture(autouse=True)
def _delete_closed_widgets(qapp: Any) -> Iterator[None]:
    """Really delete the widgets pytest-qt closed (it only calls deleteLater), so every web page is
    gone before the app-owned profile; otherwise QtWebEngine warns at exit and may crash."""
    yield
    from PySide6.QtCore import QCoreApplication, QEvent

    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def map_panel(ui_context: Any, qtbot: Any, qapp: Any) -> Iterator[Any]:
    """A MapPanel on the demo city, shown and fully loaded (first state drawn)."""
    from desk.ui.app import apply_look
    from desk.ui.map.panel import MapPanel

    apply_look(qapp)  # the app's dark theme and CJK font, so screenshots show what users see
    panel = MapPanel(ui_context)
    qtbot.addWidget(panel)
    panel.resize(1280, 820)
    with qtbot.waitSignal(panel.sig_loaded, timeout=LOAD_TIMEOUT_MS):
        panel.show()
    yield panel
    panel.shutdown()
