"""Thin QUndoCommands over the domain's duty edits and the service's configuration changes: each
stores the change and its inverse; repeated drags of the same bar merge into one undo step
(``mergeWith``)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from desk.domain.duty.edits import Edit
from desk.services.duty import ConfigChange

log = logging.getLogger(__name__)

#: Applies an edit (through the service, asking for a reason when needed) and returns its inverse;
#: returns None when the user cancelled or the edit was refused (already reported to the user).
Applier = Callable[[Edit], "Edit | None"]

MOVE_COMMAND_ID = 4701


class DutyEditCommand(QUndoCommand):
    """An edit already applied by the board (so a refused edit never enters the stack); ``redo``
    re-applies it after an undo, ``undo`` applies the inverse."""

    def __init__(self, applier: Applier, edit: Edit, inverse: Edit, *,
                 merge_key: str | None = None, on_failure: Callable[[], None] | None = None
                 ) -> None:
        super().__init__(edit.label)
        self._applier = applier
        self.edit = edit
        self.inverse = inverse
        self.merge_key = merge_key
        self._first = True
        self._on_failure = on_failure

    def redo(self) -> None:
        if self._first:  # push() calls redo(); the board applied the edit already
            self._first = False
            return
        inverse = self._applier(self.edit)
        if inverse is None:
            self._failed()
            return
        self.inverse = inverse

    def undo(self) -> None:
        edit = self._applier(self.inverse)
        if edit is None:
            self._failed()
            return
        self.edit = edit

    def _failed(self) -> None:
        self.setObsolete(True)
        if self._on_failure is not None:
            self._on_failure()

    def id(self) -> int:
        return MOVE_COMMAND_ID if self.merge_key else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, DutyEditCommand) or other.merge_key != self.merge_key:
            return False
        # Keep our inverse (the state before the first drag); take the latest edit.
        self.edit = other.edit
        return True


#: Applies a configuration change (leave, requirement, template) and returns its inverse, or
#: None when refused (already reported to the user).
ConfigApplier = Callable[[ConfigChange], "ConfigChange | None"]


class DutyConfigCommand(QUndoCommand):
    """A configuration change already applied by the board; undo applies the inverse."""

    def __init__(self, applier: ConfigApplier, change: ConfigChange, inverse: ConfigChange) -> None:
        super().__init__(change.label)
        self._applier = applier
        self.change = change
        self.inverse = inverse
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        inverse = self._applier(self.change)
        if inverse is None:
            self.setObsolete(True)
            return
        self.inverse = inverse

    def undo(self) -> None:
        change = self._applier(self.inverse)
        if change is None:
            self.setObsolete(True)
            return
        self.change = change
