"""The application context handed to every panel: the workspace and the services built on it."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from desk.store.workspace import Workspace

S = TypeVar("S")


@dataclass
class AppContext:
    """What a panel needs to work: the open workspace, a clock, settings, and shared services.

    ``service(cls)`` builds a service once per context as ``cls(ctx)`` and hands the same instance
    to every panel, so features can find each other's services without a central wiring file.
    ``drill`` is True in a drill workspace: everything drawn or exported must carry the DRILL mark.
    """

    workspace: Workspace
    actor: str = "dispatcher"
    workstation: str = "ws-local"
    demo: bool = False
    drill: bool = False
    settings: dict[str, Any] = field(default_factory=dict)
    clock: Callable[[], float] = time.time
    _services: dict[type, Any] = field(default_factory=dict, repr=False)

    def service(self, cls: type[S]) -> S:
        if cls not in self._services:
            self._services[cls] = cls(self)  # type: ignore[call-arg]
        return self._services[cls]  # type: ignore[no-any-return]

    def has_service(self, cls: type) -> bool:
        return cls in self._services
