"""Sync tests: a real desk-central subprocess per test, real workspace files, real HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desk.central.testing import CentralProcess
from desk.store import Workspace
from desk.sync.engine import SyncEngine
from desk.sync.outbox import install_outbox
from desk.sync.transport import CentralClient


class Rig:
    """A central plus helpers to open workstations against it."""

    def __init__(self, tmp: Path, proc: CentralProcess) -> None:
        self.tmp = tmp
        self.proc = proc
        self.admin = proc.add_user("管理员", "admin", workstation="ws-admin")
        self._open: list[Any] = []

    @property
    def url(self) -> str:
        return self.proc.url

    def token(self, name: str, role: str = "dispatcher", station: str | None = None) -> str:
        return self.proc.add_user(name, role, station, workstation=name)

    def workspace(self, name: str, *, enable: bool = True) -> Workspace:
        ws = Workspace.open(self.tmp / f"{name}.sqlite")
        if enable:
            install_outbox(ws)
        self._open.append(ws)
        return ws

    def engine(self, ws: Workspace, token: str | None = None, **kw: Any) -> SyncEngine:
        client = CentralClient(self.url, token or self.token(ws.path.stem), timeout=10.0)
        self._open.append(client)
        return SyncEngine(ws, client, **kw)

    def close(self) -> None:
        for thing in self._open:
            thing.close()


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[Rig]:
    proc = CentralProcess(tmp_path / "central.sqlite")
    r = Rig(tmp_path, proc)
    proc.start(timeout=90)
    yield r
    r.close()
    proc.stop()


@pytest.fixture(scope="module")
def module_rig(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Rig]:
    """One central for a whole module (each test opens its own workspaces and records)."""
    tmp = tmp_path_factory.mktemp("sync")
    proc = CentralProcess(tmp / "central.sqlite")
    r = Rig(tmp, proc)
    proc.start(timeout=90)
    yield r
    r.close()
    proc.stop()


def seed_city(ws: Workspace, actor: str = "seed") -> None:
    """A small city: two stations, four units, some cameras."""
    with ws.write(actor) as tx:
        tx.insert_many("stations", [
            {"id": "S1", "name": "金水一中队", "kind": "squadron", "parent_id": "B1"},
            {"id": "S2", "name": "二七二中队", "kind": "squadron", "parent_id": "B1"},
        ])
        tx.insert_many("units", [
            {"id": f"U{i}", "call_sign": f"铁骑{i}", "kind": "motorcycle", "status": "available",
             "station_id": "S1" if i <= 2 else "S2", "device_id": f"D{i}", "lat": 34.7,
             "lon": 113.6}
            for i in range(1, 5)
        ])
        tx.insert_many("cameras", [
            {"id": f"C{i}", "name": f"卡口{i}", "road": "金水路", "lat": 34.7, "lon": 113.6 + i / 1000,
             "online": 1}
            for i in range(1, 21)
        ])


def synced_rows(ws: Workspace, table: str, exclude: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    from desk.sync.rules import SYNC_RULES

    skip = set(SYNC_RULES[table].local_only) | set(exclude)
    rows = ws.db.execute(f'SELECT * FROM "{table}" ORDER BY id')
    names = [d[0] for d in rows.description]
    return [{k: v for k, v in zip(names, r, strict=True) if k not in skip} for r in rows]
