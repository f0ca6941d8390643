"""Journeys cross features, so they borrow the sync tests' real desk-central rig."""

from tests.sync.conftest import rig  # noqa: F401 - a fixture, used by name
