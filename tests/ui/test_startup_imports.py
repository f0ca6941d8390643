"""What `desk` imports before the map shows: none of the heavy libraries that only some panels
or actions need (issue 17 measured a second or more for each at start-up)."""

from __future__ import annotations

import os
import subprocess
import sys

HEAVY = ("ortools", "reportlab", "openpyxl", "pyqtgraph", "pandas", "folium", "numpy")

CODE = """
import sys
import desk.ui.app, desk.ui.main_window, desk.app.runtime, desk.ui.map.panel
from desk.ui.map.page import page_html
page_html()
print(",".join(m for m in sys.argv[1:] if m in sys.modules))
"""


def test_start_up_imports_no_heavy_library(tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = dict(os.environ, DESK_DATA_DIR=str(tmp_path), QT_QPA_PLATFORM="offscreen")
    # The first start renders and caches the map page (folium); the second is a normal start.
    subprocess.run([sys.executable, "-c", CODE, *HEAVY], env=env, check=True, capture_output=True)
    out = subprocess.run([sys.executable, "-c", CODE, *HEAVY], env=env, check=True,
                         capture_output=True, text=True)
    assert out.stdout.strip() == "", f"imported at start-up: {out.stdout.strip()}"
