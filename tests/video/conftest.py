"""Fixtures for the video tests: real stream servers on loopback, started and stopped here."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.video.streams import HlsServer, RtspServer
from tests.video.wvp_standin import WvpStandIn


@pytest.fixture
def rtsp_server() -> Iterator[RtspServer]:
    server = RtspServer(["cam1", "cam2", "cam3", "cam4"]).start()
    yield server
    server.kill()


@pytest.fixture
def hls_server(tmp_path: Path) -> Iterator[HlsServer]:
    server = HlsServer(tmp_path / "hls").start()
    yield server
    server.stop()


@pytest.fixture
def wvp() -> Iterator[WvpStandIn]:
    server = WvpStandIn().start()
    yield server
    server.stop()


@pytest.fixture
def ui(workspace, qapp):  # type: ignore[no-untyped-def]
    """A UiContext on an empty workspace (workstation ``ws-test``), no live feed."""
    from desk.services.context import AppContext
    from desk.ui.bus import QtChangeBus
    from desk.ui.context import UiContext
    from desk.ui.feed import FeedHub

    qbus = QtChangeBus(workspace.bus)
    hub = FeedHub(workspace)
    ctx = UiContext(AppContext(workspace=workspace, workstation="ws-test"), qbus, hub)
    yield ctx
    hub.shutdown()
    qbus.detach()
