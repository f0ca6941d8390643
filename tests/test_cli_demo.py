"""`desk --demo` from the command line: generates the demo city into its own workspace (never the
default live one), plans today's roster, opens the window and exits cleanly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from desk.store import Workspace


def test_desk_demo_starts_generates_and_exits(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", DESK_DATA_DIR=str(tmp_path),
               XDG_CONFIG_HOME=str(tmp_path / "config"))
    shot = tmp_path / "window.png"
    proc = subprocess.run(
        [sys.executable, "-m", "desk", "--demo", "--screenshot", str(shot), "--quit-after", "8"],
        capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert shot.stat().st_size > 50_000
    assert not (tmp_path / "workspace.sqlite").exists()  # the live workspace was not touched
    with Workspace.open(tmp_path / "demo.sqlite") as ws:
        assert ws.count("cameras") == 9432
        assert ws.count("water_points") == 415
        assert ws.count("duty_assignments") > 50
    assert "demo roster" in proc.stderr
