"""Small modal questions the inbox and the 派警 dialog ask (a reason, a note).

Widgets hold the prompt as an attribute (``self.ask_text = ask_text``) so a caller can swap it;
tests drive the real ``QInputDialog`` instead, by filling and accepting it from a timer.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget

#: ``ask(parent, title, label, text)`` → the text entered, or None when cancelled.
TextPrompt = Callable[[QWidget, str, str, str], "str | None"]


def ask_text(parent: QWidget, title: str, label: str, text: str = "") -> str | None:
    """One line of text from a modal ``QInputDialog``; None when the user cancels."""
    value, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, text)
    return value if ok else None
