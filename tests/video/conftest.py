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
