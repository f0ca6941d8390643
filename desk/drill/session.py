"""A drill session (演练会话): scenario + drill workspace + clock + inject feed + action log + score.

How the app runs a drill (``desk --drill SCENARIO``)::

    session = DrillSession.create("resources/scenarios/rainstorm_red.yaml", base=live_db_path)
    ctx = session.app_context()                # drill=True, clock=session.clock.wall
    runtime = Runtime(ctx); session.attach_runtime(runtime)  # drill.* events reach the session
    ui.feed.set_feed(session.feed)             # injects arrive like live data, routed by the runtime
    ... DrillControls(ui, session) starts, pauses, speeds up; trainees work in the normal panels ...
    session.finish(); session.report(lessons) → HTML/PDF

The live workspace is only ever read, through SQLite's backup API (``desk.drill.workspace``).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from desk.drill.actions import DrillActionLog
from desk.drill.autolog import ChangeLogRecorder
from desk.drill.clock import DrillClock, TimeSource, drill_epoch
from desk.drill.runner import DrillFeed, Fired
from desk.drill.scenario import Inject, Scenario, parse_scenario, resolve_scenario
from desk.drill.scoring import ScoreResult, score_drill
from desk.drill.workspace import create_drill_workspace
from desk.feeds.base import FeedBatch, FeedEvent
from desk.paths import user_data_dir
from desk.services.context import AppContext
from desk.store.workspace import Workspace

log = logging.getLogger(__name__)


def default_drill_dir() -> Path:
    return user_data_dir() / "drills"


class DrillSession:
    """One drill run in its own workspace. Belongs to the thread that created it (sqlite's rule);
    the feed fires on its own thread and hands fired injects over through a queue."""

    def __init__(
        self,
        workspace: Workspace,
        scenario: Scenario,
        run_id: str,
        clock: DrillClock,
    ) -> None:
        self.workspace = workspace
        self.scenario = scenario
        self.run_id = run_id
        self.clock = clock
        self.actions = DrillActionLog(run_id, workspace, clock)
        self._pending_fired: list[Fired[Inject]] = []
        self._lock = threading.Lock()
        self.feed = DrillFeed(scenario, clock, on_fired=self._queue_fired)
        self._autolog: ChangeLogRecorder | None = None
        self.messages: list[str] = []
        self._finished = workspace.db.execute(
            "SELECT finished_at FROM drill_runs WHERE id = ?", [run_id]
        ).fetchone()[0] is not None

    # -- making and opening ------------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        scenario_path: Path | str,
        *,
        base: Path | str | None = None,
        dest: Path | str | None = None,
        time_source: TimeSource = time.monotonic,
        now: float | None = None,
    ) -> DrillSession:
        """Load the scenario, copy its base into a new drill workspace, and get ready (the clock
        is not started). ``base`` overrides the scenario's ``base:``; "demo" generates the demo
        city into the drill workspace. Raises ``ScenarioError`` / ``WorkspaceError``."""
        scenario_path = Path(scenario_path)
        text = scenario_path.read_text(encoding="utf-8")
        scenario = parse_scenario(text, str(scenario_path))
        base_path = _base_path(scenario, scenario_path, base)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        run_id = f"{scenario.id}-{stamp}"
        dest_path = Path(dest) if dest else default_drill_dir() / f"{run_id}.sqlite"
        ws = create_drill_workspace(base_path, dest_path, scenario_id=scenario.id, run_id=run_id)
        try:
            scenario = resolve_scenario(scenario, ws.db)
            epoch = drill_epoch(scenario.start_at, scenario.end_s, now)
            with ws.write(actor="drill") as tx:
                tx.insert("drill_runs", {
                    "id": run_id, "scenario_id": scenario.id, "title": scenario.title,
                    "base": str(base_path) if base_path else "demo", "source": str(scenario_path),
                    "scenario_text": text, "epoch": epoch, "started_at": time.time(),
                    "finished_at": None, "end_s": scenario.end_s,
                })
        except Exception:
            ws.close()
            raise
        log.info("drill created: %s in %s", run_id, dest_path)
        return cls(ws, scenario, run_id, DrillClock(source=time_source, epoch=epoch))

    @classmethod
    def open(cls, path: Path | str, *, time_source: TimeSource = time.monotonic) -> DrillSession:
        """Reopen a recorded drill workspace (for the report or a replay)."""
        ws = Workspace.open(path)
        row = ws.db.execute(
            "SELECT id, scenario_text, source, epoch FROM drill_runs ORDER BY started_at DESC"
        ).fetchone()
        if row is None:
            ws.close()
            raise ValueError(f"不是演练工作区（没有演练记录）：{path}")
        scenario = resolve_scenario(parse_scenario(row[1], row[2]), ws.db)
        return cls(ws, scenario, row[0], DrillClock(source=time_source, epoch=row[3]))

    def app_context(self, **kwargs: Any) -> AppContext:
        """The AppContext panels get during the drill: drill=True, the drill clock, and this
        session's action log as the ``DrillActionLog`` service."""
        ctx = AppContext(workspace=self.workspace, drill=True, clock=self.clock.wall, **kwargs)
        if self.scenario.video_streams:
            # The video service plays these instead of the cameras' real streams in a drill.
            ctx.settings["video.drill_streams"] = {
                cam: _drill_stream(src, self.scenario.source)
                for cam, src in self.scenario.video_streams.items()}
        # AppContext has no public registration yet; the service cache is the contract.
        ctx._services[DrillActionLog] = self.actions
        ctx._services[DrillSession] = self
        if self._autolog is None:
            # Trainee actions are recorded from what they change, whichever screen they use.
            self._autolog = ChangeLogRecorder(self.workspace, self.actions)
        return ctx

    # -- running -------------------------------------------------------------------------------

    @property
    def finished(self) -> bool:
        return self._finished

    def start(self, speed: float = 1.0) -> None:
        self.clock.start(speed)

    def next_inject(self) -> Inject | None:
        due = self.feed.next_due()
        if due is None:
            return None
        return next((i for i in self.scenario.injects if i.at_s == due), None)

    def jump_to_next_inject(self) -> float | None:
        """Move drill time to the next inject's due time (it then fires at once)."""
        due = self.feed.next_due()
        if due is not None and due > self.clock.now():
            self.clock.jump_to(due)
        return due

    def step(self) -> list[Fired[Inject]]:
        """Headless firing step (no Qt, no thread): fire what is due, apply it, write records."""
        fired = self.feed.poll(sink=self.apply_batch)
        self.flush()
        return fired

    def attach_runtime(self, runtime: Any) -> None:
        """Let ``runtime`` (a ``desk.app.Runtime`` on this session's context) route this drill's
        events: ``drill.inject`` and ``drill.message`` come back here, everything else goes to the
        service that consumes it live (one consumer per kind, drill or not)."""
        self.runtime = runtime
        runtime.drill = self

    def _ensure_runtime(self) -> Any:
        runtime = getattr(self, "runtime", None)
        if runtime is None:
            from desk.app.runtime import Runtime

            runtime = Runtime(self.app_context(actor="trainee"))
            self.attach_runtime(runtime)
        return runtime

    def apply_batch(self, batch: FeedBatch) -> None:
        """Headless (no Qt): what the app's runtime does with a fired inject's batch."""
        self._ensure_runtime().ingest(batch, now=max(time.time(), self.clock.wall()))

    def on_batch(self, batch: FeedBatch) -> None:
        """After the runtime handled a batch (GUI thread): write the fired-inject records."""
        self.flush()

    def on_inject_event(self, event: FeedEvent) -> None:
        """``drill.inject``: an inject fired; its record is written with the next flush."""
        log.info("drill inject fired: %s (%s)", event.data.get("inject_id"), event.data.get("label"))

    def on_message_event(self, event: FeedEvent) -> None:
        """``drill.message``: a trainer's message to the trainees (shown by the drill panel)."""
        self.messages.append(str(event.data.get("text", "")))

    def flush(self) -> None:
        """Write fired injects and queued actions (owner thread)."""
        with self._lock:
            pending, self._pending_fired = self._pending_fired, []
        if pending:
            with self.workspace.write(actor="drill", origin=self) as tx:
                tx.insert_many("drill_injects_fired", [
                    {"id": f"{self.run_id}:{f.item.id}", "run_id": self.run_id,
                     "inject_id": f.item.id, "kind": f.item.kind, "label": f.item.label,
                     "due_s": f.due_s, "fired_s": f.fired_s, "lateness_ms": f.lateness_ms,
                     "data": json.dumps(f.item.data, ensure_ascii=False, default=str)}
                    for f in pending
                ])
        self.actions.flush()

    def finish(self) -> ScoreResult:
        """End the drill: stop the clock and the feed, write everything, score it."""
        self.clock.pause()
        self.feed.stop()
        self.flush()
        if not self._finished:
            with self.workspace.write(actor="drill") as tx:
                tx.update("drill_runs", self.run_id,
                          {"finished_at": time.time(), "end_s": self.clock.now()})
            self._finished = True
        log.info("drill finished: %s at %.1f", self.run_id, self.clock.now())
        return self.score()

    # -- results -------------------------------------------------------------------------------

    def fired_times(self) -> dict[str, float]:
        self.flush()
        return {
            r[0]: float(r[1]) for r in self.workspace.db.execute(
                "SELECT inject_id, fired_s FROM drill_injects_fired WHERE run_id = ?",
                [self.run_id])
        }

    def score(self) -> ScoreResult:
        return score_drill(self.scenario, self.fired_times(), self.actions.actions())

    def save_lessons(self, text: str, author: str = "trainer") -> None:
        """Store the trainer's lessons-learned text (经验教训) for the report."""
        exists = self.workspace.db.execute(
            "SELECT 1 FROM drill_lessons WHERE id = ?", [self.run_id]).fetchone()
        with self.workspace.write(actor=author, origin=self) as tx:
            record = {"text": text, "author": author, "updated_at": time.time()}
            if exists:
                tx.update("drill_lessons", self.run_id, record)
            else:
                tx.insert("drill_lessons", {"id": self.run_id, "run_id": self.run_id, **record})

    def lessons(self) -> str:
        row = self.workspace.db.execute(
            "SELECT text FROM drill_lessons WHERE id = ?", [self.run_id]).fetchone()
        return str(row[0]) if row and row[0] else ""

    def close(self) -> None:
        self.feed.stop()
        if self._autolog is not None:
            self._autolog.stop()
        self.workspace.close()

    def _queue_fired(self, fired: list[Fired[Inject]]) -> None:
        with self._lock:
            self._pending_fired.extend(fired)


def _drill_stream(src: str, scenario_source: str) -> str:
    """A stream URL as written, or a file path relative to the scenario file made absolute."""
    if "://" in src or Path(src).is_absolute() or not scenario_source:
        return src
    return str((Path(scenario_source).parent / src).resolve())


def _base_path(scenario: Scenario, scenario_path: Path, base: Path | str | None) -> Path | None:
    if base is not None:
        return None if str(base) == "demo" else Path(base)
    if scenario.base == "demo":
        return None
    candidate = Path(scenario.base)
    return candidate if candidate.is_absolute() else scenario_path.parent / candidate
