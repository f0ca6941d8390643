"""``desk --self-test`` in a fresh process: demo city, real map page, Leaflet, no network."""

from __future__ import annotations

import os
import subprocess
import sys


def test_self_test_passes_offline(tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", DESK_DATA_DIR=str(tmp_path))
    proc = subprocess.run([sys.executable, "-m", "desk", "--self-test"], capture_output=True,
                          text=True, timeout=300, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "self-test passed" in proc.stderr
    assert "Leaflet 1.9.3" in proc.stderr
    assert "no network" in proc.stderr
