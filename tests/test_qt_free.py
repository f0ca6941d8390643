"""The core packages must not import Qt: each is imported in a fresh interpreter that fails on
any attempt to load PySide6, shiboken6 or pyqtgraph."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys

import pytest

import desk

QT_FREE = ["domain", "store", "sync", "feeds", "central", "services", "demo", "drill", "app"]

GUARD = """
import importlib.abc, sys
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph'):
            raise ImportError('Qt imported from a Qt-free package: ' + name)
sys.meta_path.insert(0, Block())
import importlib
for name in sys.argv[1:]:
    importlib.import_module(name)
print('ok', len(sys.argv) - 1)
"""


def _modules(package: str) -> list[str]:
    try:
        pkg = importlib.import_module(f"desk.{package}")
    except ModuleNotFoundError:
        return []
    names = [pkg.__name__]
    for info in pkgutil.walk_packages(pkg.__path__, prefix=f"{pkg.__name__}."):
        names.append(info.name)
    return names


@pytest.mark.parametrize("package", QT_FREE)
def test_package_imports_no_qt(package: str) -> None:
    modules = _modules(package)
    if not modules:
        pytest.skip(f"desk.{package} does not exist yet")
    proc = subprocess.run([sys.executable, "-c", GUARD, *modules], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.strip() == f"ok {len(modules)}"


def test_guard_catches_a_qt_import() -> None:
    proc = subprocess.run([sys.executable, "-c", GUARD, "desk.ui.bus"], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode != 0
    assert "Qt imported" in proc.stderr
    assert desk.__version__
