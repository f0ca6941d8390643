"""A real desk-central subprocess on 127.0.0.1 per test module, with tokens for every role."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from desk.central.testing import CentralProcess


@dataclass
class Central:
    proc: CentralProcess
    tokens: dict[str, str]

    @property
    def url(self) -> str:
        return self.proc.url

    def client(self, who: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.tokens[who]}"} if who else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=15.0)


@pytest.fixture(scope="module")
def central(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Central]:
    db: Path = tmp_path_factory.mktemp("central") / "central.sqlite"
    proc = CentralProcess(db, heartbeat=0.5)
    tokens = {
        "admin": proc.add_user("管理员", "admin", workstation="ws-admin"),
        "dispatcher": proc.add_user("调度员甲", "dispatcher", workstation="ws-01"),
        "chief": proc.add_user("一中队长", "station_chief", station="S1", workstation="ws-s1"),
        "trainer": proc.add_user("培训员", "trainer", workstation="ws-train"),
        # A gateway forwards many trackers (issued explicitly); a tracker reports its own unit.
        "device": proc.add_user("车载网关", "device", unit_id="*"),
        "tracker": proc.add_user("铁骑T1终端", "device", unit_id="U-t1"),
    }
    proc.start()
    yield Central(proc, tokens)
    proc.stop()
