"""Answer the next modal dialog a click opens: fill a QInputDialog's text and accept it (or press
a QMessageBox's button), from a timer, the way a person would after the dialog appears."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox, QWidget


def answer_next_modal(text: str | None = None, *, accept: bool = True,
                      seen: list[str] | None = None, tries: int = 200) -> None:
    """Schedule an answer for the next modal dialog. ``seen`` collects each dialog's label."""

    def attempt(left: int) -> None:
        modal: QWidget | None = QApplication.activeModalWidget()
        if modal is None:
            if left > 0:
                QTimer.singleShot(10, lambda: attempt(left - 1))
            return
        if isinstance(modal, QInputDialog):
            if seen is not None:
                seen.append(modal.labelText())
            if text is not None:
                modal.setTextValue(text)
            (modal.accept if accept else modal.reject)()
        elif isinstance(modal, QMessageBox):
            if seen is not None:
                seen.append(modal.text())
            button = (QMessageBox.StandardButton.Yes if accept else QMessageBox.StandardButton.No)
            b = modal.button(button) or modal.button(
                QMessageBox.StandardButton.Ok if accept else QMessageBox.StandardButton.Cancel)
            if b is not None:
                b.click()
            else:
                (modal.accept if accept else modal.reject)()
        elif hasattr(modal, "accept"):
            (modal.accept if accept else modal.reject)()  # type: ignore[attr-defined]

    QTimer.singleShot(0, lambda: attempt(tries))


