"""The sync contract covers the workspace exactly: every table of a fresh workspace is declared
synced (each column operational, descriptive or local) or local-only with a reason, and no rule
names a table or column the workspace does not have."""

from __future__ import annotations

from pathlib import Path

import pytest

from desk.store import Workspace
from desk.sync.engine import SyncEngine
from desk.sync.rules import (
    LOCAL_TABLES,
    SYNC_RULES,
    EntityRule,
    SyncRulesError,
    check_rules,
    rule_problems,
    workspace_tables,
)
from desk.sync.transport import CentralClient


@pytest.fixture
def tables(tmp_path: Path) -> dict[str, list[str]]:
    ws = Workspace.open(tmp_path / "fresh.sqlite")
    try:
        return workspace_tables(ws.db)
    finally:
        ws.close()


def test_every_table_and_column_of_a_fresh_workspace_is_declared(
        tables: dict[str, list[str]]) -> None:
    assert rule_problems(tables) == []
    assert set(tables) == set(SYNC_RULES) | set(LOCAL_TABLES)
    assert all(reason.strip() for reason in LOCAL_TABLES.values())
    # What issue 12 asked for by name.
    for name in ("accident_incidents", "duty_shift_templates", "duty_unavailability",
                 "duty_post_requirements", "duty_rosters"):
        assert name in SYNC_RULES, name


def test_an_undeclared_table_or_column_is_an_error(tables: dict[str, list[str]]) -> None:
    grown = {**tables, "new_feature": ["id", "x"],
             "cameras": [*tables["cameras"], "brand_new_column"]}
    problems = rule_problems(grown)
    assert any("new_feature" in p for p in problems)
    assert any("cameras.brand_new_column" in p for p in problems)


def test_a_rule_naming_what_does_not_exist_is_an_error(tables: dict[str, list[str]],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(SYNC_RULES, "incidents", EntityRule("incidents"))
    monkeypatch.setitem(SYNC_RULES, "accident_cases", EntityRule(
        "accident_cases", operational=frozenset({"status", "liability"}),
        descriptive=SYNC_RULES["accident_cases"].descriptive))
    problems = rule_problems(tables)
    assert any("表 incidents 在工作区中不存在" in p for p in problems)
    assert any("accident_cases.status" in p for p in problems)
    assert any("accident_cases.liability" in p for p in problems)


def test_the_engine_refuses_a_workspace_the_rules_do_not_cover(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path / "ws.sqlite")
    client = CentralClient("http://127.0.0.1:9", "t")
    try:
        ws.db.execute("CREATE TABLE surprise (id TEXT PRIMARY KEY)")
        with pytest.raises(SyncRulesError) as info:
            SyncEngine(ws, client)
        assert "surprise" in str(info.value)
        ws.db.execute("DROP TABLE surprise")
        check_rules(ws.db)  # covered again
    finally:
        client.close()
        ws.close()
