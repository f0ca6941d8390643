"""Scenario files: the shipped samples load; broken files fail with file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from desk.drill import ScenarioError, load_scenario, parse_scenario, resolve_scenario
from desk.drill.scenario import parse_drill_time
from desk.store import Workspace

from .conftest import SCENARIOS

GOOD = """\
id: t1
title: 测试
injects:
  - id: A
    at: T+01:30
    kind: water_depth
    point: WP-001
    depth_cm: 30
    expect:
      - action: close_tunnel
        target: WP-001
        within: 5:00
        weight: 4
  - at: T+0:10
    kind: rain_warning
    level: red
"""


def issues_of(text: str) -> list[tuple[int, str, str]]:
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, "/x/broken.yaml")
    for issue in info.value.issues:
        assert issue.file == "broken.yaml"
        assert issue.line >= 1, issue
    return [(i.line, i.field, i.message) for i in info.value.issues]


@pytest.mark.parametrize("name", sorted(p.name for p in SCENARIOS.glob("*.yaml")))
def test_samples_load(name: str) -> None:
    scenario = load_scenario(SCENARIOS / name)
    assert scenario.injects and scenario.expected
    assert [i.at_s for i in scenario.injects] == sorted(i.at_s for i in scenario.injects)


def test_three_samples_shipped() -> None:
    titles = {load_scenario(p).title for p in SCENARIOS.glob("*.yaml")}
    assert any("暴雨红色预警" in t for t in titles)
    assert any("二七商圈" in t for t in titles)
    assert any("早高峰" in t for t in titles)


def test_good_file_parses_times_and_sorts() -> None:
    s = parse_scenario(GOOD, "good.yaml")
    assert [i.id for i in s.injects] == ["I02", "A"]
    assert s.injects[1].at_s == 90.0
    # "5:00" would be the YAML 1.1 integer 300 by accident; we read the raw text as 5 minutes.
    assert s.injects[1].expect[0].within_s == 300.0
    assert s.injects[1].expect[0].line == 10
    assert s.end_s == 390.0


def test_time_notation() -> None:
    assert parse_drill_time("T+02:30") == 150
    assert parse_drill_time("T+1:02:03") == 3723
    assert parse_drill_time("45") == 45
    for bad in ("T+2:75", "soon", "T+-1:00", "1:60:00"):
        with pytest.raises(ValueError):
            parse_drill_time(bad)


def test_yaml_syntax_error_names_line() -> None:
    found = issues_of("id: x\ntitle: t\ninjects:\n  - at: T+00:10\n    kind: [unclosed\n")
    assert found[0][0] in (5, 6)
    assert "YAML" in found[0][2]


def test_each_broken_field_is_reported_at_its_line() -> None:
    text = """\
id: bad id!
title: 坏剧本
injects:
  - id: A
    at: T+99:99
    kind: water_depth
    point: WP-001
    depth_cm: deep
  - id: A
    at: T+00:10
    kind: volcano
  - at: T+00:20
    kind: rain_warning
    level: purple
    colour: red
  - at: T+00:30
    kind: accident
    lon: 113.6
    place: 路口
    expect:
      - action: teleport
        within: soon
      - action: accept
"""
    found = issues_of(text)
    by_field = {f: line for line, f, _ in found}
    assert by_field["id"] == 1
    assert by_field["injects[1].at"] == 5
    assert by_field["injects[1].depth_cm"] == 8
    assert by_field["injects[2].kind"] == 11
    assert by_field["injects[3].level"] == 14
    assert by_field["injects[3].colour"] == 15
    assert by_field["injects[4].lat"] == 16  # missing: reported at the inject's first line
    assert by_field["injects[4].expect[1].action"] == 21
    assert by_field["injects[4].expect[1].within"] == 22
    assert by_field["injects[4].expect[2].within"] == 23
    # Every message is Chinese and the string form carries file:line.
    err = str(ScenarioError([]))
    assert "剧本文件有误" in err


def test_duplicate_inject_ids_reported() -> None:
    text = GOOD.replace("  - at: T+0:10", "  - id: A\n    at: T+0:10")
    found = issues_of(text)
    assert any("重复" in m and line == 14 for line, _, m in found)


def test_missing_injects_and_empty_file() -> None:
    assert issues_of("id: x\ntitle: t\n")[0][1] == "injects"
    assert issues_of("")[0][2] == "剧本文件为空"
    assert issues_of("- just\n- a list\n")[0][2].startswith("应为键值表")


def test_resolve_against_workspace(base_city: Path, tmp_path: Path) -> None:
    text = GOOD.replace("point: WP-001", "point_name: 测试隧道2").replace(
        "target: WP-001", "target: 测试隧道2")
    s = parse_scenario(text, "named.yaml")
    with Workspace.open(base_city) as ws:
        resolved = resolve_scenario(s, ws.db)
        inject = resolved.injects[1]
        assert inject.data["point_id"] == "WP-002"
        assert inject.expect[0].target == "WP-002"
        bad = parse_scenario(GOOD.replace("point: WP-001", "point: WP-999"), "bad.yaml")
        with pytest.raises(ScenarioError) as info:
            resolve_scenario(bad, ws.db)
    issue = info.value.issues[0]
    assert (issue.file, issue.line) == ("bad.yaml", 4)
    assert "WP-999" in issue.message


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario(tmp_path / "nope.yaml")
    assert "无法读取" in str(info.value)


def test_video_drill_streams_reach_the_drill_context(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A drill can point a camera at a local file or a test stream (issue 16); a bad entry is
    reported with its line like any other scenario mistake."""
    import pytest

    from desk.drill.scenario import ScenarioError, parse_scenario

    text = """
id: video-demo
title: 视频演练
video:
  drill_streams:
    CAM-00001: clips/tunnel.mp4
    "*": rtsp://127.0.0.1:8554/test
injects:
  - id: M1
    at: T+00:10
    kind: message
    text: 开始
"""
    scenario = parse_scenario(text, str(tmp_path / "video.yaml"))
    assert scenario.video_streams == {"CAM-00001": "clips/tunnel.mp4", "*": "rtsp://127.0.0.1:8554/test"}
    with pytest.raises(ScenarioError) as err:
        parse_scenario(text.replace("drill_streams", "streams"), "video.yaml")
    assert "drill_streams" in str(err.value.issues[0])
