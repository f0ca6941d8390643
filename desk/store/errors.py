"""Errors a workspace can raise; each carries a message a dispatcher can read (中文)."""

from __future__ import annotations

from pathlib import Path


class WorkspaceError(Exception):
    """A workspace cannot be used. ``user_message`` is shown in the UI; ``str()`` goes to the log."""

    def __init__(self, path: Path, user_message: str, detail: str = "") -> None:
        super().__init__(f"{path}: {detail or user_message}")
        self.path = path
        self.user_message = user_message


class WorkspaceCorrupt(WorkspaceError):
    """The file is not a readable SQLite database, or fails its integrity check. Never overwritten."""


class WorkspaceTooNew(WorkspaceError):
    """The file was written by a newer desk (it has migrations this version does not know)."""


class WorkspaceForeign(WorkspaceError):
    """The file is a SQLite database with other data in it, not a desk workspace: desk refuses to
    add its tables to it unless asked to (``Workspace.open(create=True)``, ``desk --create``)."""
