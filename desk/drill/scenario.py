"""Drill scenario files (演练剧本): a YAML master scenario events list, loaded and validated with
messages that name the file, the line and the field.

The format is documented for trainers in ``resources/docs/drill.md``. Parsing walks PyYAML's
composed node tree rather than ``safe_load``'s plain values, for two reasons: every node keeps its
line (so each error can say where), and time fields are read from the raw text — YAML 1.1 would
otherwise turn ``2:30`` into the sexagesimal integer 150 and ``02:30`` into a string.
"""

from __future__ import annotations

import logging
import math
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import sqlite_utils
import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

log = logging.getLogger(__name__)

#: Inject kinds a scenario may use, with their Chinese labels (shown in the UI and the report).
INJECT_KINDS: dict[str, str] = {
    "rain_warning": "暴雨预警",
    "water_depth": "积水水深",
    "accident": "事故报警",
    "unit_offline": "警力离线",
    "camera_offline": "摄像机离线",
    "congestion": "拥堵",
    "crowd": "大客流",
    "message": "文字消息",
}

#: Trainee action kinds that expected actions can ask for (DrillActionLog kinds).
ACTION_KINDS: dict[str, str] = {
    "dispatch": "派警",
    "accept": "受理事故",
    "decide": "责任认定",
    "acknowledge": "确认告警",
    "checklist": "勾选处置清单",
    "notify": "通知责任人",
    "close_tunnel": "封闭隧道/道路",
}

RAIN_LEVELS: dict[str, str] = {"blue": "蓝色", "yellow": "黄色", "orange": "橙色", "red": "红色"}
CONGESTION_LEVELS: dict[str, str] = {"slow": "缓行", "congested": "拥堵", "severe": "严重拥堵"}

_TOP_KEYS = {"id", "title", "briefing", "base", "start_at", "duration", "late_credit", "injects", "video"}
_INJECT_COMMON = {"id", "at", "kind", "note", "expect"}
_EXPECT_KEYS = {"id", "action", "target", "within", "weight", "count", "text"}

_ID_RE = re.compile(r"^[A-Za-z0-9_.\-]{1,64}$")
_TIME_RE = re.compile(r"^(?:T\s*\+\s*)?(?:(\d+):)?(\d{1,3}):(\d{2})$")
_CLOCK_RE = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


# -- values ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ExpectedAction:
    """What a trainee should do after an inject: ``count`` actions of kind ``action`` (on
    ``target``, or on anything when ``None``) within ``within_s`` drill seconds of the inject."""

    id: str
    action: str
    within_s: float
    weight: float = 1.0
    target: str | None = None
    count: int = 1
    text: str = ""
    line: int = 0

    @property
    def label(self) -> str:
        kind = ACTION_KINDS.get(self.action, self.action)
        return self.text or f"{kind} {self.target or ''}".strip()


@dataclass(frozen=True, slots=True)
class Inject:
    """One scenario event at ``at_s`` drill seconds after T+0."""

    id: str
    at_s: float
    kind: str
    data: dict[str, Any]
    note: str = ""
    expect: tuple[ExpectedAction, ...] = ()
    line: int = 0

    @property
    def label(self) -> str:
        """The trainer's note, or a short Chinese description built from the data."""
        return self.note or describe_inject(self.kind, self.data)


@dataclass(frozen=True, slots=True)
class Scenario:
    id: str
    title: str
    briefing: str
    base: str
    injects: tuple[Inject, ...]
    start_at: str | None = None
    duration_s: float = 0.0
    late_credit: float = 0.5
    source: str = ""
    #: ``video: drill_streams:`` — camera id (or "*") → a local file or test stream URL, so
    #: trainees see "video" without touching the live platform.
    video_streams: dict[str, str] = field(default_factory=dict)

    @property
    def expected(self) -> list[tuple[Inject, ExpectedAction]]:
        return [(i, e) for i in self.injects for e in i.expect]

    @property
    def end_s(self) -> float:
        """When the drill is over: the declared duration, at least the last deadline."""
        last = 0.0
        for inject in self.injects:
            last = max(last, inject.at_s, *(inject.at_s + e.within_s for e in inject.expect))
        return max(self.duration_s, last)


@dataclass(frozen=True, slots=True)
class ScenarioIssue:
    """One problem in a scenario file: where it is and what is wrong (Chinese, for the trainer)."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


class ScenarioError(ValueError):
    """A scenario file that cannot be used; ``issues`` lists every problem found."""

    def __init__(self, issues: list[ScenarioIssue]) -> None:
        self.issues = issues
        super().__init__("剧本文件有误：\n" + "\n".join(str(i) for i in issues))


def describe_inject(kind: str, d: dict[str, Any]) -> str:
    def ref(*keys: str) -> str:
        return next((str(d[k]) for k in keys if d.get(k)), "")

    if kind == "rain_warning":
        return f"暴雨{RAIN_LEVELS.get(str(d.get('level')), '')}预警"
    if kind == "water_depth":
        return f"{ref('point_name', 'point', 'point_id')} 水深 {d.get('depth_cm', 0):g} 厘米"
    if kind == "accident":
        return f"{ref('place')} {ref('accident_type')}".strip()
    if kind == "unit_offline":
        return f"{ref('unit_call_sign', 'unit', 'unit_id')} 离线"
    if kind == "camera_offline":
        return f"{ref('camera_name', 'camera', 'camera_id')} 离线"
    if kind == "congestion":
        return f"{ref('road')} {CONGESTION_LEVELS.get(str(d.get('level')), '')}".strip()
    if kind == "crowd":
        return f"{ref('place')} 聚集约 {d.get('size') or 0} 人"
    if kind == "message":
        return ref("text")[:40]
    return INJECT_KINDS.get(kind, kind)


# -- parsing -----------------------------------------------------------------------------------


def parse_drill_time(text: str) -> float:
    """``T+mm:ss``, ``T+h:mm:ss``, ``mm:ss`` or plain seconds → seconds. Raises ValueError."""
    raw = text.strip()
    if re.fullmatch(r"\d+(\.\d+)?", raw):
        return float(raw)
    m = _TIME_RE.match(raw)
    if not m:
        raise ValueError(raw)
    hours, minutes, seconds = int(m.group(1) or 0), int(m.group(2)), int(m.group(3))
    if seconds >= 60 or (m.group(1) is not None and minutes >= 60):
        raise ValueError(raw)
    return float(hours * 3600 + minutes * 60 + seconds)


def load_scenario(path: Path | str) -> Scenario:
    """Read and validate a scenario file. Raises ``ScenarioError`` naming every problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError([ScenarioIssue(path.name, 0, "-", f"无法读取剧本文件：{exc}")]) from exc
    return parse_scenario(text, str(path))


def parse_scenario(text: str, source: str = "<剧本>") -> Scenario:
    parser = _Parser(Path(source).name)
    scenario = parser.parse(text, source)
    if parser.issues or scenario is None:
        for issue in parser.issues:
            log.warning("scenario issue: %s", issue)
        raise ScenarioError(parser.issues)
    return scenario


_MISSING = object()


class _Parser:
    def __init__(self, file: str) -> None:
        self.file = file
        self.issues: list[ScenarioIssue] = []

    def err(self, node: Node | None, fld: str, message: str) -> None:
        line = node.start_mark.line + 1 if node is not None else 0
        self.issues.append(ScenarioIssue(self.file, line, fld, message))

    # -- node helpers --

    def mapping(self, node: Node, fld: str, allowed: set[str]) -> dict[str, tuple[Node, Node]]:
        if not isinstance(node, MappingNode):
            self.err(node, fld, "应为键值表（key: value）")
            return {}
        out: dict[str, tuple[Node, Node]] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            name = f"{fld}.{key}" if fld else key
            if key in out:
                self.err(key_node, name, "字段重复")
                continue
            if key not in allowed:
                hint = "、".join(sorted(allowed))
                self.err(key_node, name, f"未知字段（可用：{hint}）")
                continue
            out[key] = (key_node, value_node)
        return out

    def scalar(self, node: Node, fld: str) -> str | None:
        if not isinstance(node, ScalarNode):
            self.err(node, fld, "应为单个值")
            return None
        return str(node.value)

    def text(self, m: dict[str, tuple[Node, Node]], key: str, fld: str, *,
             required: bool, parent: Node) -> str | None:
        if key not in m:
            if required:
                self.err(parent, f"{fld}.{key}" if fld else key, "缺少必填字段")
            return None
        value = self.scalar(m[key][1], f"{fld}.{key}" if fld else key)
        if value is not None and required and not value.strip():
            self.err(m[key][1], f"{fld}.{key}" if fld else key, "不能为空")
            return None
        return value

    def number(self, m: dict[str, tuple[Node, Node]], key: str, fld: str, *, parent: Node,
               required: bool, minimum: float | None = None, maximum: float | None = None,
               default: float | None = None) -> float | None:
        name = f"{fld}.{key}"
        if key not in m:
            if required:
                self.err(parent, name, "缺少必填字段")
            return default
        node = m[key][1]
        raw = self.scalar(node, name)
        if raw is None:
            return default
        try:
            value = float(raw)
        except ValueError:
            self.err(node, name, f"应为数字，而不是“{raw}”")
            return default
        if not math.isfinite(value):
            self.err(node, name, "应为有限数字")
            return default
        if minimum is not None and value < minimum:
            self.err(node, name, f"不能小于 {minimum:g}")
            return default
        if maximum is not None and value > maximum:
            self.err(node, name, f"不能大于 {maximum:g}")
            return default
        return value

    def duration(self, node: Node, name: str) -> float | None:
        raw = self.scalar(node, name)
        if raw is None:
            return None
        try:
            return parse_drill_time(raw)
        except ValueError:
            self.err(node, name, f"时间格式应为 T+分:秒（如 T+02:30）或 时:分:秒，而不是“{raw}”")
            return None

    # -- document --

    def parse(self, text: str, source: str) -> Scenario | None:
        try:
            root = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else 0
            self.issues.append(ScenarioIssue(self.file, line, "-", f"YAML 语法错误：{exc.problem}"))
            return None
        except yaml.YAMLError as exc:
            self.issues.append(ScenarioIssue(self.file, 0, "-", f"YAML 语法错误：{exc}"))
            return None
        if root is None:
            self.issues.append(ScenarioIssue(self.file, 1, "-", "剧本文件为空"))
            return None
        top = self.mapping(root, "", _TOP_KEYS)
        if not top and self.issues:
            return None
        sid = self.text(top, "id", "", required=True, parent=root)
        if sid is not None and not _ID_RE.match(sid):
            self.err(top["id"][1], "id", "只能用字母、数字、-、_、.（最长 64 个字符）")
        title = self.text(top, "title", "", required=True, parent=root) or ""
        briefing = self.text(top, "briefing", "", required=False, parent=root) or ""
        base = self.text(top, "base", "", required=False, parent=root) or "demo"
        start_at = self.text(top, "start_at", "", required=False, parent=root)
        if start_at is not None and not _CLOCK_RE.match(start_at.strip()):
            self.err(top["start_at"][1], "start_at",
                     f"应为一天中的时刻 时:分（如 07:30），而不是“{start_at}”")
            start_at = None
        duration_s = 0.0
        if "duration" in top:
            duration_s = self.duration(top["duration"][1], "duration") or 0.0
        late_credit = self.number(top, "late_credit", "", parent=root, required=False,
                                  minimum=0.0, maximum=1.0, default=0.5)
        video_streams = self.video_streams(top)
        injects: list[Inject] = []
        if "injects" not in top:
            self.err(root, "injects", "缺少必填字段（至少一个注入事件）")
        else:
            node = top["injects"][1]
            if not isinstance(node, SequenceNode) or not node.value:
                self.err(node, "injects", "应为注入事件列表（至少一项，每项以 - 开头）")
            else:
                injects = list(self.injects(node))
        self.check_unique(injects)
        if self.issues:
            return None
        ordered = tuple(sorted(injects, key=lambda i: i.at_s))
        return Scenario(
            id=str(sid), title=title.strip(), briefing=briefing.strip(), base=base.strip(),
            injects=ordered, start_at=start_at.strip() if start_at else None,
            duration_s=duration_s, late_credit=float(late_credit or 0.0), source=source,
            video_streams=video_streams,
        )

    def video_streams(self, top: dict[str, tuple[Node, Node]]) -> dict[str, str]:
        if "video" not in top:
            return {}
        node = top["video"][1]
        if not isinstance(node, MappingNode):
            self.err(node, "video", "应为映射（drill_streams: 摄像机编号 → 视频文件或测试流）")
            return {}
        out: dict[str, str] = {}
        for key_node, value_node in node.value:
            if key_node.value != "drill_streams":
                self.err(key_node, "video", f"未知字段“{key_node.value}”（可用：drill_streams）")
                continue
            if not isinstance(value_node, MappingNode):
                self.err(value_node, "video.drill_streams", "应为 摄像机编号: 视频文件或流地址 的映射")
                continue
            for cam, src in value_node.value:
                if not isinstance(src, ScalarNode) or not str(src.value).strip():
                    self.err(src, f"video.drill_streams.{cam.value}", "应为视频文件路径或流地址")
                    continue
                out[str(cam.value)] = str(src.value).strip()
        return out

    def check_unique(self, injects: list[Inject]) -> None:
        seen: dict[str, int] = {}
        for inject in injects:
            if inject.id in seen:
                self.issues.append(ScenarioIssue(
                    self.file, inject.line, "injects.id",
                    f"注入编号“{inject.id}”重复（第 {seen[inject.id]} 行已用过）"))
            seen.setdefault(inject.id, inject.line)
            for e in inject.expect:
                if e.id in seen:
                    self.issues.append(ScenarioIssue(
                        self.file, e.line, "expect.id",
                        f"编号“{e.id}”重复（第 {seen[e.id]} 行已用过）"))
                seen.setdefault(e.id, e.line)

    def injects(self, seq: SequenceNode) -> Iterator[Inject]:
        for index, node in enumerate(seq.value):
            fld = f"injects[{index + 1}]"
            inject = self.inject(node, fld, index)
            if inject is not None:
                yield inject

    def inject(self, node: Node, fld: str, index: int) -> Inject | None:
        before = len(self.issues)
        if not isinstance(node, MappingNode):
            self.err(node, fld, "应为键值表（注入事件）")
            return None
        keys = {str(k.value) for k, _ in node.value}
        kind_raw = None
        for k, v in node.value:
            if k.value == "kind" and isinstance(v, ScalarNode):
                kind_raw = str(v.value)
        allowed = _INJECT_COMMON | _KIND_FIELDS.get(kind_raw or "", set())
        m = self.mapping(node, fld, allowed if kind_raw in _KIND_FIELDS else allowed | keys)
        iid = self.text(m, "id", fld, required=False, parent=node) or f"I{index + 1:02d}"
        if not _ID_RE.match(iid):
            self.err(m["id"][1], f"{fld}.id", "只能用字母、数字、-、_、.")
        at_s: float | None = None
        if "at" not in m:
            self.err(node, f"{fld}.at", "缺少必填字段（如 at: T+02:30）")
        else:
            at_s = self.duration(m["at"][1], f"{fld}.at")
        kind = self.text(m, "kind", fld, required=True, parent=node)
        if kind is not None and kind not in _KIND_FIELDS:
            self.err(m["kind"][1], f"{fld}.kind",
                     f"未知注入类型“{kind}”（可用：{'、'.join(INJECT_KINDS)}）")
            kind = None
        note = self.text(m, "note", fld, required=False, parent=node) or ""
        data = self.kind_data(kind, m, fld, node) if kind else {}
        expect: list[ExpectedAction] = []
        if "expect" in m:
            seq = m["expect"][1]
            if not isinstance(seq, SequenceNode):
                self.err(seq, f"{fld}.expect", "应为期望处置列表（每项以 - 开头）")
            else:
                for j, enode in enumerate(seq.value):
                    e = self.expected(enode, f"{fld}.expect[{j + 1}]", f"{iid}.E{j + 1}")
                    if e is not None:
                        expect.append(e)
        if len(self.issues) > before or at_s is None or kind is None:
            return None
        return Inject(iid, at_s, kind, data, note.strip(), tuple(expect), node.start_mark.line + 1)

    def kind_data(self, kind: str, m: dict[str, tuple[Node, Node]], fld: str,
                  node: Node) -> dict[str, Any]:
        data: dict[str, Any] = {}

        def need_one(*keys: str) -> None:
            present = [k for k in keys if k in m]
            if not present:
                self.err(node, f"{fld}.{keys[0]}", f"缺少必填字段（{' 或 '.join(keys)}）")
            elif len(present) > 1:
                self.err(m[present[1]][0], f"{fld}.{present[1]}", f"{' 与 '.join(keys)} 只能填一个")
            for k in present:
                value = self.text(m, k, fld, required=True, parent=node)
                if value is not None:
                    data[k] = value.strip()

        def coords() -> None:
            lat = self.number(m, "lat", fld, parent=node, required=True, minimum=-90, maximum=90)
            lon = self.number(m, "lon", fld, parent=node, required=True, minimum=-180, maximum=180)
            data["lat"], data["lon"] = lat, lon

        if kind == "rain_warning":
            level = self.text(m, "level", fld, required=True, parent=node)
            if level is not None and level not in RAIN_LEVELS:
                self.err(m["level"][1], f"{fld}.level",
                         f"预警级别应为 {'/'.join(RAIN_LEVELS)}（蓝/黄/橙/红），而不是“{level}”")
            data["level"] = level
        elif kind == "water_depth":
            need_one("point", "point_name")
            data["depth_cm"] = self.number(m, "depth_cm", fld, parent=node, required=True,
                                           minimum=0, maximum=2000)
            data["rain_mm"] = self.number(m, "rain_mm", fld, parent=node, required=False,
                                          minimum=0, maximum=2000)
        elif kind == "accident":
            coords()
            data["place"] = (self.text(m, "place", fld, required=True, parent=node) or "").strip()
            data["accident_type"] = (self.text(m, "accident_type", fld, required=False,
                                               parent=node) or "").strip()
            parties: list[dict[str, Any]] = []
            if "parties" in m:
                pnode = m["parties"][1]
                if not isinstance(pnode, SequenceNode):
                    self.err(pnode, f"{fld}.parties", "应为当事人列表（每项以 - 开头）")
                else:
                    for j, party in enumerate(pnode.value):
                        value = self.plain(party, f"{fld}.parties[{j + 1}]")
                        if not isinstance(value, dict):
                            self.err(party, f"{fld}.parties[{j + 1}]",
                                     "应为键值表（如 plate: 豫A12345）")
                        else:
                            parties.append(value)
            data["parties"] = parties
        elif kind == "unit_offline":
            need_one("unit", "unit_call_sign")
        elif kind == "camera_offline":
            need_one("camera", "camera_name")
        elif kind == "congestion":
            coords()
            data["road"] = (self.text(m, "road", fld, required=True, parent=node) or "").strip()
            level = self.text(m, "level", fld, required=False, parent=node) or "congested"
            if level not in CONGESTION_LEVELS:
                self.err(m["level"][1], f"{fld}.level",
                         f"拥堵级别应为 {'/'.join(CONGESTION_LEVELS)}，而不是“{level}”")
            data["level"] = level
        elif kind == "crowd":
            coords()
            data["place"] = (self.text(m, "place", fld, required=True, parent=node) or "").strip()
            size = self.number(m, "size", fld, parent=node, required=True, minimum=1)
            data["size"] = int(size) if size is not None else None
        elif kind == "message":
            data["text"] = (self.text(m, "text", fld, required=True, parent=node) or "").strip()
        return data

    def plain(self, node: Node, fld: str) -> Any:
        """A free-form value (accident parties): plain Python, scalars kept as text."""
        if isinstance(node, ScalarNode):
            return str(node.value)
        if isinstance(node, SequenceNode):
            return [self.plain(n, fld) for n in node.value]
        if isinstance(node, MappingNode):
            return {str(k.value): self.plain(v, fld) for k, v in node.value}
        return None

    def expected(self, node: Node, fld: str, default_id: str) -> ExpectedAction | None:
        before = len(self.issues)
        if not isinstance(node, MappingNode):
            self.err(node, fld, "应为键值表（期望处置）")
            return None
        m = self.mapping(node, fld, _EXPECT_KEYS)
        eid = self.text(m, "id", fld, required=False, parent=node) or default_id
        if not _ID_RE.match(eid):
            self.err(m["id"][1], f"{fld}.id", "只能用字母、数字、-、_、.")
        action = self.text(m, "action", fld, required=True, parent=node)
        if action is not None and action not in ACTION_KINDS:
            self.err(m["action"][1], f"{fld}.action",
                     f"未知处置类型“{action}”（可用：{'、'.join(ACTION_KINDS)}）")
        within: float | None = None
        if "within" not in m:
            self.err(node, f"{fld}.within", "缺少必填字段（期限，如 within: 03:00）")
        else:
            within = self.duration(m["within"][1], f"{fld}.within")
            if within is not None and within <= 0:
                self.err(m["within"][1], f"{fld}.within", "期限必须大于 0")
        weight = self.number(m, "weight", fld, parent=node, required=False, minimum=0.0,
                             maximum=100.0, default=1.0)
        count = self.number(m, "count", fld, parent=node, required=False, minimum=1,
                            maximum=100, default=1)
        if count is not None and count != int(count):
            self.err(m["count"][1], f"{fld}.count", "应为整数")
        target = self.text(m, "target", fld, required=False, parent=node)
        text = self.text(m, "text", fld, required=False, parent=node) or ""
        if len(self.issues) > before or action is None or within is None:
            return None
        return ExpectedAction(
            id=eid, action=action, within_s=within, weight=float(weight or 0.0),
            target=target.strip() if target else None, count=int(count or 1), text=text.strip(),
            line=node.start_mark.line + 1,
        )


_KIND_FIELDS: dict[str, set[str]] = {
    "rain_warning": {"level"},
    "water_depth": {"point", "point_name", "depth_cm", "rain_mm"},
    "accident": {"lat", "lon", "place", "accident_type", "parties"},
    "unit_offline": {"unit", "unit_call_sign"},
    "camera_offline": {"camera", "camera_name"},
    "congestion": {"road", "lat", "lon", "level"},
    "crowd": {"place", "lat", "lon", "size"},
    "message": {"text"},
}


# -- resolving references against a workspace -----------------------------------------------------

_REF_TABLES: dict[str, tuple[str, str, str, str]] = {
    # inject field -> (table, column matched, resolved data key, Chinese noun)
    "point": ("water_points", "id", "point_id", "积水监测点"),
    "point_name": ("water_points", "name", "point_id", "积水监测点"),
    "unit": ("units", "id", "unit_id", "警力单元"),
    "unit_call_sign": ("units", "call_sign", "unit_id", "警力单元"),
    "camera": ("cameras", "id", "camera_id", "摄像机"),
    "camera_name": ("cameras", "name", "camera_id", "摄像机"),
}


def resolve_scenario(scenario: Scenario, db: sqlite_utils.Database) -> Scenario:
    """Turn names into the workspace's ids (``point_name`` → ``point_id`` ...) and check every id
    exists. Raises ``ScenarioError`` with the inject's line for anything not found, so a scenario
    written against one city fails clearly on another.

    Expected-action targets naming a water point, unit or camera (by id or name) are resolved to
    its id too; other targets (a person to notify, a checklist item) stay as written.
    """
    file = Path(scenario.source).name or "<剧本>"
    issues: list[ScenarioIssue] = []
    lookups: dict[tuple[str, str], dict[str, str]] = {}

    def lookup(table: str, column: str) -> dict[str, str]:
        key = (table, column)
        if key not in lookups:
            try:
                rows = db.execute(f'SELECT "{column}", id FROM "{table}"').fetchall()
            except sqlite3.Error:
                rows = []
            lookups[key] = {str(v): str(i) for v, i in rows if v is not None}
        return lookups[key]

    def resolve_target(target: str | None) -> str | None:
        if target is None:
            return None
        for table, column in (("water_points", "id"), ("water_points", "name"), ("units", "id"),
                              ("units", "call_sign"), ("cameras", "id"), ("cameras", "name")):
            found = lookup(table, column).get(target)
            if found is not None:
                return found
        return target

    injects: list[Inject] = []
    for inject in scenario.injects:
        data = dict(inject.data)
        for fld, (table, column, out_key, noun) in _REF_TABLES.items():
            if fld not in data:
                continue
            found = lookup(table, column).get(str(data[fld]))
            how = "编号" if column == "id" else "名称"
            if found is None:
                issues.append(ScenarioIssue(
                    file, inject.line, f"{inject.id}.{fld}",
                    f"工作区中找不到{noun}“{data[fld]}”（按{how}查找）"))
            else:
                data[out_key] = found
        expect = tuple(replace(e, target=resolve_target(e.target)) for e in inject.expect)
        injects.append(replace(inject, data=data, expect=expect))
    if issues:
        raise ScenarioError(issues)
    return replace(scenario, injects=tuple(injects))
