"""Test set-up shared by every test: headless Qt, QtWebEngine ready before the QApplication,
real workspaces in temporary folders, and a folder for screenshots and other artefacts."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

# Headless by default; a developer can still run with a real display by setting the variable.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu --no-sandbox --disable-background-networking")
if hasattr(os, "geteuid") and os.geteuid() == 0:
    # Chromium refuses to run its sandbox as root.
    os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")

# QtWebEngineWidgets must be imported, and custom URL schemes registered, before pytest-qt
# creates the QApplication.
import PySide6.QtWebEngineWidgets  # noqa: F401

from desk.ui.map.scheme import register_url_schemes

register_url_schemes()

from desk.store import Workspace  # noqa: E402

ARTIFACTS = Path(os.environ.get("DESK_TEST_ARTIFACTS", Path(__file__).parent / "_artifacts"))


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """Screenshots and generated documents land here for people to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    """A fresh, empty workspace in a real SQLite file."""
    ws = Workspace.open(tmp_path / "ws.sqlite")
    yield ws
    ws.close()


@pytest.fixture(scope="session")
def demo_city_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo city generated once per session; tests get their own copy (see demo_workspace)."""
    from desk.demo.city import generate_demo_city

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    with Workspace.open(path) as ws:
        generate_demo_city(ws)
        ws.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@pytest.fixture
def demo_workspace(demo_city_file: Path, tmp_path: Path) -> Iterator[Workspace]:
    """A private copy of the full Zhengzhou demo city, safe to write to."""
    path = tmp_path / "demo.sqlite"
    shutil.copyfile(demo_city_file, path)
    ws = Workspace.open(path)
    yield ws
    ws.close()


@pytest.fixture
def ui_context(demo_workspace: Workspace, qapp):  # type: ignore[no-untyped-def]
    """A UiContext on the demo city, with no live feed running."""
    from desk.services.context import AppContext
    from desk.ui.bus import QtChangeBus
    from desk.ui.context import UiContext
    from desk.ui.feed import FeedHub

    app_ctx = AppContext(workspace=demo_workspace, demo=True)
    qbus = QtChangeBus(demo_workspace.bus)
    hub = FeedHub(demo_workspace)
    ui = UiContext(app_ctx, qbus, hub)
    yield ui
    # Windows built on this context must stop (timers, pages) before its workspace closes;
    # qtbot would close them only after this fixture's teardown.
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    for widget in QApplication.topLevelWidgets():
        if hasattr(widget, "shutdown_panels"):
            widget.shutdown_panels()
        widget.close()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    hub.shutdown()
    qbus.detach()
