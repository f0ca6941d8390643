"""Entities and rules of the control room, in plain Python (no Qt, no SQL)."""
