"""Marks strings for translation without translating them yet (for tables declared as data)."""

from __future__ import annotations


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Like Qt's macro of the same name (which PySide types as returning ``object``): returns
    ``text`` unchanged; pyside6-lupdate collects it under ``context``."""
    del context
    return text
