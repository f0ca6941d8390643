"""Offline-first sync with desk-central: outbox push, change-feed pull, conflicts."""

from desk.sync.engine import DecisionNeeded, SyncDecision, SyncEngine, SyncReport, SyncStatus
from desk.sync.outbox import (
    SYNC_ORIGIN,
    install_outbox,
    open_conflicts,
    pending_ops,
    rejected_ops,
    resolve_conflict,
)
from desk.sync.rules import SYNC_RULES, EntityRule
from desk.sync.transport import AuthError, CentralClient, RequestRejected, TransportError

__all__ = [
    "SYNC_ORIGIN",
    "SYNC_RULES",
    "AuthError",
    "CentralClient",
    "DecisionNeeded",
    "EntityRule",
    "RequestRejected",
    "SyncDecision",
    "SyncEngine",
    "SyncReport",
    "SyncStatus",
    "TransportError",
    "install_outbox",
    "open_conflicts",
    "pending_ops",
    "rejected_ops",
    "resolve_conflict",
]
