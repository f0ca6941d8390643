"""Official rainstorm signals read from CAP 1.2 files (the format of China's 国家突发事件预警信息发布系统):
level from each place a message may carry it, areas, times in China Standard Time, Cancel
lifting the signal it references, refused messages named with their reason, nothing guessed."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from desk.domain.cap import CapError, parse_cap, read_cap_path
from desk.domain.rainstorm import SignalLevel
from desk.services.context import AppContext
from desk.services.rainstorm import RainstormService
from desk.store import Workspace
from tests.water.fixtures import add_points

SAMPLES = Path(__file__).with_name("cap")
CST = dt.timezone(dt.timedelta(hours=8))


def cap_xml(*, identifier: str = "ID-1", severity: str = "Severe", areas: str = "主城区",
            event: str = "暴雨", headline: str = "", status: str = "Actual",
            msg_type: str = "Alert", extra: str = "") -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>{identifier}</identifier><sender>郑州市气象台</sender>
  <sent>2026-07-20T17:30:00+08:00</sent><status>{status}</status><msgType>{msg_type}</msgType>
  <scope>Public</scope>
  <info><language>zh-CN</language><category>Met</category><event>{event}</event>
    <urgency>Immediate</urgency><severity>{severity}</severity><certainty>Likely</certainty>
    <senderName>郑州市气象台</senderName><headline>{headline}</headline>{extra}
    <area><areaDesc>{areas}</areaDesc></area></info>
</alert>"""


@pytest.mark.parametrize(
    ("kwargs", "level", "reason"),
    [
        ({"severity": "Extreme"}, SignalLevel.RED, "CAP severity Extreme = 红 (national level Ⅰ)"),
        ({"severity": "Severe"}, SignalLevel.ORANGE, "Severe = 橙 (Ⅱ)"),
        ({"severity": "Moderate"}, SignalLevel.YELLOW, "Moderate = 黄 (Ⅲ)"),
        ({"severity": "Minor"}, SignalLevel.BLUE, "Minor = 蓝 (Ⅳ)"),
        ({"severity": "Red"}, SignalLevel.RED, "a colour word in severity"),
        ({"severity": "Unknown", "headline": "郑州市气象台发布暴雨黄色预警信号"},
         SignalLevel.YELLOW, "the headline names the colour"),
        ({"severity": "Minor",
          "extra": "<parameter><valueName>预警级别</valueName><value>红色</value></parameter>"},
         SignalLevel.RED, "an explicit level parameter wins over severity"),
    ],
)
def test_level_from_a_cap_message(kwargs: dict[str, str], level: SignalLevel, reason: str) -> None:
    assert parse_cap(cap_xml(**kwargs)).level is level, reason


def test_sample_files_fields() -> None:
    red = parse_cap((SAMPLES / "zz_red_main_city.xml").read_bytes())
    assert red.level is SignalLevel.RED
    assert red.office == "郑州市气象台" and red.areas == ("主城区", "航空港区")
    assert red.sent_at == dt.datetime(2026, 7, 20, 17, 30, tzinfo=CST).timestamp()
    assert red.expires_at == dt.datetime(2026, 7, 21, 5, 30, tzinfo=CST).timestamp()
    assert red.is_actual and not red.is_cancel
    orange = parse_cap((SAMPLES / "aa_orange_shangjie.xml").read_bytes())
    # the Chinese info block is read, not the English one that comes first
    assert (orange.level, orange.areas, orange.office) == (SignalLevel.ORANGE, ("上街区",),
                                                          "郑州市气象台")
    cancel = parse_cap((SAMPLES / "mm_cancel_shangjie.xml").read_bytes())
    assert cancel.is_cancel and cancel.references == ("41010641600000_20260720160000",)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("<not xml", "不是有效的 XML"),
        ("<feed/>", "不是 CAP 预警消息"),
        (cap_xml(event="大风", headline="大风黄色预警"), "不是暴雨预警"),
        (cap_xml(severity="Unknown"), "没有可识别的预警等级"),
        (cap_xml().replace("urn:oasis:names:tc:emergency:cap:1.2",
                           "urn:oasis:names:tc:emergency:cap:1.1"), "CAP 1.2"),
        ('<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><alert/>', "DOCTYPE"),
    ],
)
def test_refused_messages_say_why(text: str, message: str) -> None:
    with pytest.raises(CapError, match=message):
        parse_cap(text)


def test_folder_reading_keeps_going_past_bad_files(tmp_path: Path) -> None:
    for f in SAMPLES.glob("*.xml"):
        shutil.copy(f, tmp_path / f.name)
    (tmp_path / "broken.xml").write_text("<alert", encoding="utf-8")
    got = read_cap_path(tmp_path)
    assert [p.name for p, _ in got] == sorted(p.name for p in tmp_path.glob("*.xml"))
    errors = {p.name for p, r in got if isinstance(r, CapError)}
    assert errors == {"broken.xml", "nn_gale_not_rain.xml"}


def test_service_imports_a_folder_in_order(workspace: Workspace) -> None:
    add_points(workspace)
    ctx = AppContext(workspace=workspace, clock=lambda: 1_784_540_000.0)
    rain = ctx.service(RainstormService)
    result = rain.import_cap(SAMPLES, "调度员甲")
    # aa (orange, 上街区) recorded; mm cancels it; nn is not a rainstorm; oo is an exercise in
    # a live workspace; zz (red, 主城区+航空港区) recorded.
    assert len(result.recorded) == 2 and len(result.lifted) == 1
    assert sorted(n for n, _ in result.refused) == ["nn_gale_not_rain.xml", "oo_exercise.xml"]
    [cur] = rain.in_force()
    assert cur.level is SignalLevel.RED and cur.source == "cap"
    assert cur.districts == ("主城区", "航空港区")
    assert cur.issued_at == dt.datetime(2026, 7, 20, 17, 30, tzinfo=CST).timestamp()
    # 主城区 covers the city districts of the water points, not a district it does not name
    assert rain.response_levels(["金水区", "二七区", "上街区"]) == {
        "金水区": SignalLevel.RED, "二七区": SignalLevel.RED, "上街区": None}
    again = rain.import_cap(SAMPLES, "调度员甲")
    assert again.recorded == [] and again.lifted == [] and len(again.duplicates) == 2


def test_exercise_messages_are_taken_in_a_drill(workspace: Workspace) -> None:
    add_points(workspace)
    ctx = AppContext(workspace=workspace, drill=True)
    result = ctx.service(RainstormService).import_cap(SAMPLES / "oo_exercise.xml", "学员")
    assert len(result.recorded) == 1 and result.refused == []
