"""Where desk finds its bundled files and keeps its workspaces, in a source tree and when frozen."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def install_root() -> Path:
    """The folder holding ``resources/`` and ``maps/``.

    In a source checkout or an editable install that is the repository root; in a PyInstaller
    build it is the bundle folder (``sys._MEIPASS``), where the spec copies both folders.
    """
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    return install_root() / "resources"


def maps_dir() -> Path:
    return install_root() / "maps"


def user_data_dir() -> Path:
    """The per-user data folder (XDG on Linux, %APPDATA% on Windows); ``DESK_DATA_DIR`` overrides."""
    override = os.environ.get("DESK_DATA_DIR")
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming"))
    else:
        base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
    return base / "desk"


def default_workspace_path() -> Path:
    return user_data_dir() / "workspace.sqlite"
