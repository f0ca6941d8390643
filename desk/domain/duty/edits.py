"""Roster edits as small immutable values. ``edit.apply(store)`` performs the edit and returns its
inverse, so undo is "apply the inverse" and redo is "apply the inverse's inverse" (Orange3's
pattern). The same edits run against the in-memory ``Roster`` and the service's database store."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from desk.domain.duty.model import Assignment


class AssignmentStore(Protocol):
    """What an edit needs from the thing it edits (``Roster``, or the service's write store)."""

    def get(self, assignment_id: str) -> Assignment | None: ...

    def add(self, a: Assignment) -> None: ...

    def remove(self, assignment_id: str) -> Assignment: ...

    def replace(self, a: Assignment) -> Assignment: ...


class Edit:
    """Base of all edits. ``label`` is the undo-menu text (中文)."""

    label: str = "编辑"

    def apply(self, store: AssignmentStore) -> Edit:
        raise NotImplementedError

    def assignments(self) -> tuple[Assignment, ...]:
        """Every assignment value the edit mentions (to find the officers and weeks it touches)."""
        raise NotImplementedError


@dataclass(frozen=True, slots=True)
class AddAssignment(Edit):
    assignment: Assignment
    label: str = "排班"

    def apply(self, store: AssignmentStore) -> Edit:
        store.add(self.assignment)
        return RemoveAssignment(self.assignment, label=self.label)

    def assignments(self) -> tuple[Assignment, ...]:
        return (self.assignment,)


@dataclass(frozen=True, slots=True)
class RemoveAssignment(Edit):
    assignment: Assignment
    label: str = "删除排班"

    def apply(self, store: AssignmentStore) -> Edit:
        removed = store.remove(self.assignment.id)
        return AddAssignment(removed, label=self.label)

    def assignments(self) -> tuple[Assignment, ...]:
        return (self.assignment,)


@dataclass(frozen=True, slots=True)
class ReplaceAssignment(Edit):
    """Move, resize, re-assign or (un)lock: the same id with new values."""

    after: Assignment
    label: str = "调整排班"

    def apply(self, store: AssignmentStore) -> Edit:
        before = store.replace(self.after)
        return ReplaceAssignment(before, label=self.label)

    def assignments(self) -> tuple[Assignment, ...]:
        return (self.after,)


@dataclass(frozen=True, slots=True)
class EditBatch(Edit):
    """Several edits as one undo step (auto-fill, copy last week). Applied in order; the inverse
    undoes them in reverse order. If one fails, those already applied are rolled back."""

    edits: tuple[Edit, ...]
    label: str = "批量排班"

    def apply(self, store: AssignmentStore) -> Edit:
        inverses: list[Edit] = []
        try:
            for e in self.edits:
                inverses.append(e.apply(store))
        except Exception:
            for inv in reversed(inverses):
                inv.apply(store)
            raise
        return EditBatch(tuple(reversed(inverses)), label=self.label)

    def assignments(self) -> tuple[Assignment, ...]:
        return tuple(a for e in self.edits for a in e.assignments())
