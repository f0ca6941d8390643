"""desk.sync, desk.central and the central stream feed import no Qt, not even indirectly."""

from __future__ import annotations

import subprocess
import sys


def test_sync_and_central_import_no_qt() -> None:
    code = (
        "import sys\n"
        "import desk.sync, desk.sync.engine, desk.central.app, desk.central.cli, "
        "desk.central.testing, desk.feeds.central_stream, desk.store.schema_sync\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('PySide6', 'shiboken6', 'pyqtgraph'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
