"""Builds the frozen Linux one-folder bundle with PyInstaller and runs it: `desk --self-test`
(demo city, map page, Leaflet, no network) and `desk-central --help`. Slow: a few minutes."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_frozen_bundle_builds_and_passes_its_self_test(tmp_path: Path) -> None:
    pytest.importorskip("PyInstaller", reason="install the [package] extra to build bundles")
    env = dict(os.environ, DESK_PYTHON=sys.executable, DESK_DIST=str(tmp_path / "dist"),
               DESK_BUILD=str(tmp_path / "build"), QT_QPA_PLATFORM="offscreen",
               DESK_DATA_DIR=str(tmp_path / "data"))
    proc = subprocess.run(["bash", str(ROOT / "packaging" / "build.sh")], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=1700)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output[-4000:]
    bundle = tmp_path / "dist" / "desk"
    assert (bundle / "desk").is_file() and (bundle / "desk-central").is_file()
    assert "self-test passed" in output
    size = re.search(r"desk bundle: .* \((\d+) MB\)", output)
    assert size is not None, output[-2000:]
    # Bundled data must be found from the frozen location, not from this checkout.
    internal = bundle / "_internal"
    assert (internal / "maps" / "zhengzhou.geojson").is_file()
    assert (internal / "resources" / "theme" / "dark.qss").is_file()
    assert (internal / "resources" / "i18n" / "desk_en.qm").is_file()
    assert any((internal / "resources" / "scenarios").glob("*.yaml"))
    central = subprocess.run([str(bundle / "desk-central"), "--help"], capture_output=True,
                             text=True, timeout=120)
    assert central.returncode == 0 and "desk-central" in central.stdout
