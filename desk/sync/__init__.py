"""Offline-first sync with desk-central: outbox push, change-feed pull, conflicts."""
