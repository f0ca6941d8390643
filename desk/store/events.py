"""What changed in a workspace, announced after each committed write so views refresh only that."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ChangeSet:
    """Entities (table names) and ids touched by one committed transaction.

    ``origin`` lets the panel that started a change skip its own refresh (Anki's pattern).
    """

    ids: dict[str, frozenset[str]] = field(default_factory=dict)
    actor: str = ""
    origin: object | None = None

    @property
    def entities(self) -> frozenset[str]:
        return frozenset(self.ids)

    def touches(self, *entities: str) -> bool:
        return any(e in self.ids for e in entities)

    @staticmethod
    def of(entity: str, ids: Iterable[str], actor: str = "") -> ChangeSet:
        return ChangeSet({entity: frozenset(ids)}, actor)


Listener = Callable[[ChangeSet], None]


class ChangeBus:
    """A tiny synchronous publish/subscribe hub. Listeners run on the publishing thread.

    The Qt adapter (``desk.ui.bus``) re-emits onto the GUI thread, so Qt-free code can publish from
    any thread.
    """

    def __init__(self) -> None:
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def publish(self, changes: ChangeSet) -> None:
        if not changes.ids:
            return
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(changes)
            except Exception:
                # One broken view must not stop the others from hearing about a change.
                log.exception("change listener %r failed", listener)
