"""Generates the demo city on a worker thread while a progress dialog keeps the GUI alive."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, QThread, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

log = logging.getLogger(__name__)


class _DemoWorker(QObject):
    sig_progress = Signal(int, str)
    sig_done = Signal(str)  # "" on success, else a message for the user

    def __init__(self, path: Path) -> None:
        super().__init__()
        self._path = path

    def run(self) -> None:
        # The worker opens its own connection: a sqlite3 connection belongs to one thread.
        from desk.demo.city import generate_demo_city
        from desk.store import Workspace, WorkspaceError

        try:
            with Workspace.open(self._path) as ws:
                generate_demo_city(ws, progress=self.sig_progress.emit)
        except WorkspaceError as exc:
            log.error("demo city generation failed: %s", exc)
            self.sig_done.emit(exc.user_message)
            return
        except Exception as exc:
            log.exception("demo city generation failed")
            self.sig_done.emit(str(exc))
            return
        self.sig_done.emit("")


def generate_demo_with_progress(path: Path, parent: QWidget | None = None) -> bool:
    """Generate the demo city into ``path``; returns True on success. Blocks with a live dialog."""
    dialog = QProgressDialog(
        QCoreApplication.translate("DemoLoader", "正在生成郑州演示城市…"), "", 0, 100, parent
    )
    dialog.setCancelButton(None)
    dialog.setMinimumDuration(0)
    dialog.setWindowTitle("desk")
    thread = QThread()
    worker = _DemoWorker(path)
    worker.moveToThread(thread)
    loop = QEventLoop()
    result: list[str] = []

    class Relay(QObject):
        """Lives on the GUI thread, so the worker's signals arrive queued here: a plain
        function slot would run on the worker thread and touch the dialog's timers from there."""

        @Slot(int, str)
        def on_progress(self, percent: int, text: str) -> None:
            dialog.setValue(percent)
            dialog.setLabelText(text)

        @Slot(str)
        def on_done(self, message: str) -> None:
            result.append(message)
            loop.quit()

    relay = Relay()
    worker.sig_progress.connect(relay.on_progress)
    worker.sig_done.connect(relay.on_done)
    thread.started.connect(worker.run)
    thread.start()
    if not result:
        loop.exec()
    thread.quit()
    thread.wait()
    dialog.close()
    if result and result[0]:
        QMessageBox.critical(
            parent, "desk", QCoreApplication.translate("DemoLoader", "生成演示城市失败：") + result[0]
        )
        return False
    return True
