"""The whole window as `desk --demo` builds it (issue 17), each figure beside a baseline measured in
the same run.

1. Start to a painted map: `desk --demo` on an existing demo workspace, from spawning the process
   to the page reporting its first full draw with every layer ("map loaded" in the log), against
   a bare QtWebEngine window loading a blank page, spawned the same way. Goal: within 4x.
2. Memory after N seconds of the demo streaming: RSS and PSS summed over desk and its
   QtWebEngineProcess children (PSS counts shared pages once). Goal: RSS <= 700 MB.

Run: python bench/bench_window.py [--runs 3] [--seconds 60] [--scale 1]. `--scale 5` would need
a 5x city; the demo generator makes one city, so the figures printed say which was measured.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BLANK = r"""
import os, sys
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
import PySide6.QtWebEngineWidgets
from PySide6.QtCore import QUrl
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv)
view = QWebEngineView()
view.resize(1920, 1080)
view.loadFinished.connect(lambda ok: (print("BLANK-LOADED", flush=True), app.quit()))
view.load(QUrl("about:blank"))
view.show()
app.exec()
"""


def _env(data: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "QT_QPA_PLATFORM": env.get("QT_QPA_PLATFORM", "offscreen"),
        "QTWEBENGINE_DISABLE_SANDBOX": "1",
        "QTWEBENGINE_CHROMIUM_FLAGS": "--disable-gpu --disable-background-networking",
        "DESK_DATA_DIR": str(data), "HOME": str(data), "XDG_CONFIG_HOME": str(data / "config"),
    })
    return env


def _time_to_line(cmd: list[str], marker: str, env: dict[str, str], timeout: float = 180.0) -> float:
    """Seconds from spawning ``cmd`` until a line containing ``marker`` appears on its output."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, text=True)
    assert proc.stdout is not None
    try:
        for line in proc.stdout:
            if marker in line:
                return time.perf_counter() - t0
            if time.perf_counter() - t0 > timeout:
                break
        raise RuntimeError(f"{marker!r} never appeared from {cmd}")
    finally:
        proc.kill()
        proc.wait()


def _tree(pid: int) -> list[int]:
    out = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return out
    for child in children:
        out += _tree(int(child))
    return out


def _memory_kb(pid: int) -> tuple[int, int]:
    rss = pss = 0
    for p in _tree(pid):
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1])
        except OSError:
            continue
    return rss, pss


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=60.0, help="streaming time before memory")
    args = parser.parse_args()
    desk = str(Path(sys.executable).with_name("desk"))
    with tempfile.TemporaryDirectory(prefix="bench-window-") as tmp:
        data = Path(tmp)
        env = _env(data)
        print("generating the demo workspace once (not timed) …", flush=True)
        subprocess.run([desk, "--demo", "--quit-after", "1"], env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600)
        blank, full = [], []
        for _ in range(args.runs):
            blank.append(_time_to_line([sys.executable, "-c", BLANK], "BLANK-LOADED", env))
            full.append(_time_to_line([desk, "--demo", "--quit-after", "120"], "map loaded:", env))
        b, f = statistics.median(blank), statistics.median(full)
        print(f"start to painted map, demo city (median of {args.runs}): desk --demo {f:.2f} s; "
              f"bare QtWebEngine blank page {b:.2f} s; ratio {f / b:.1f}x (goal <= 4x)")
        print(f"  runs: desk {[round(x, 2) for x in full]}  blank {[round(x, 2) for x in blank]}")

        proc = subprocess.Popen([desk, "--demo", "--quit-after", str(args.seconds + 30)], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            time.sleep(args.seconds)
            rss, pss = _memory_kb(proc.pid)
        finally:
            proc.kill()
            proc.wait()
        bproc = subprocess.Popen([sys.executable, "-c", BLANK.replace("app.quit()", "None")], env=env,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            time.sleep(8)
            brss, bpss = _memory_kb(bproc.pid)
        finally:
            bproc.kill()
            bproc.wait()
        print(f"memory after {args.seconds:.0f} s of the demo streaming, all processes: "
              f"RSS {rss / 1024:.0f} MB, PSS {pss / 1024:.0f} MB (goal RSS <= 700 MB); "
              f"bare QtWebEngine window: RSS {brss / 1024:.0f} MB, PSS {bpss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
