"""Every feed event kind emitted anywhere in desk has exactly one consumer in the runtime.

The kinds are collected from the code itself (``FeedEvent("kind", …)`` and the central's
``{"kind": "…"}`` stream events), so a new source cannot add a kind nobody consumes.
"""

from __future__ import annotations

import ast
from pathlib import Path

import desk
from desk.app.runtime import Runtime
from desk.feeds.base import FeedEvent
from desk.services.context import AppContext
from desk.store import Workspace

ROOT = Path(desk.__file__).parent


def emitted_kinds() -> dict[str, list[str]]:
    """kind -> where it is emitted, read from the source of every module."""
    found: dict[str, list[str]] = {}
    for path in ROOT.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        rel = str(path.relative_to(ROOT))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "FeedEvent"
                    and node.args and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)):
                found.setdefault(node.args[0].value, []).append(rel)
            # desk-central's stream events are plain dicts with a literal "kind".
            if isinstance(node, ast.Dict) and rel.startswith("central"):
                for key, value in zip(node.keys, node.values, strict=False):
                    if (isinstance(key, ast.Constant) and key.value == "kind"
                            and isinstance(value, ast.Constant) and isinstance(value.value, str)
                            and "at" in {k.value for k in node.keys if isinstance(k, ast.Constant)}):
                        found.setdefault(value.value, []).append(rel)
    return found


def test_the_scan_finds_the_known_sources() -> None:
    kinds = emitted_kinds()
    # If this fails the scan is broken, and the next test would pass for nothing.
    assert {"accident.report", "rain.signal", "congestion", "crowd", "alert", "sync.changed",
            "unit.status", "camera.online"} <= set(kinds)


def test_every_emitted_kind_has_exactly_one_consumer(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "ws.sqlite") as ws:
        runtime = Runtime(AppContext(workspace=ws))
        missing = {k: where for k, where in emitted_kinds().items() if k not in runtime.router.kinds}
        assert not missing, f"feed event kinds with no consumer: {missing}"
        # register() refuses a second consumer of a kind; prove it does.
        try:
            runtime.router.register("rain.signal", "second", lambda e: None)
        except ValueError:
            pass
        else:
            raise AssertionError("a second consumer of a kind was accepted")


def test_an_unknown_kind_is_counted_and_logged(tmp_path: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    with Workspace.open(tmp_path / "ws.sqlite") as ws:
        runtime = Runtime(AppContext(workspace=ws))
        from desk.feeds.base import FeedBatch

        runtime.ingest(FeedBatch(events=(FeedEvent("weather.fog", 0.0, {"x": 1}),
                                         FeedEvent("weather.fog", 0.0, {"x": 2}))))
        assert runtime.router.unknown["weather.fog"] == 2
        assert "weather.fog" in caplog.text
