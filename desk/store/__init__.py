"""The workspace store: one SQLite file per workspace, schema migrations, and the one write path."""

from desk.store.errors import WorkspaceCorrupt, WorkspaceError, WorkspaceTooNew
from desk.store.events import ChangeBus, ChangeSet
from desk.store.workspace import Workspace
from desk.store.writes import ChangeRow, WriteTx

__all__ = [
    "ChangeBus",
    "ChangeRow",
    "ChangeSet",
    "Workspace",
    "WorkspaceCorrupt",
    "WorkspaceError",
    "WorkspaceTooNew",
    "WriteTx",
]
