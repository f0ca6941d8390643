"""desk's log file: rotated, in the data folder, so "详情见日志" points somewhere real.

The desktop launcher and the Windows bundle discard stderr; the file is what a support engineer
reads. Unhandled exceptions on any thread are written there with their traceback.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

log = logging.getLogger(__name__)

LOG_NAME = "desk.log"
MAX_BYTES = 5 * 1024 * 1024
BACKUPS = 5
FORMAT = "%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"

_handler: logging.Handler | None = None
ExceptionListener = Callable[[str], None]
_listeners: list[ExceptionListener] = []


def log_path(data_dir: Path) -> Path:
    return data_dir / "logs" / LOG_NAME


def setup_logging(data_dir: Path, *, level: int = logging.INFO, stderr: bool = True) -> Path:
    """Send the root logger to a rotated file (and stderr); idempotent. Returns the file's path."""
    global _handler
    path = log_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    root.setLevel(min(root.level or level, level) if root.handlers else level)
    if _handler is not None:
        root.removeHandler(_handler)
        _handler.close()
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS,
                                                   encoding="utf-8")
    handler.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(handler)
    _handler = handler
    if stderr and not any(isinstance(h, logging.StreamHandler) and not isinstance(h, logging.FileHandler)
                          for h in root.handlers):
        stream = logging.StreamHandler()
        stream.setFormatter(logging.Formatter(FORMAT))
        root.addHandler(stream)
    install_excepthooks()
    log.info("logging to %s", path)
    return path


def current_log_path() -> Path | None:
    handler = _handler
    if isinstance(handler, logging.FileHandler):
        return Path(handler.baseFilename)
    return None


def on_unhandled(listener: ExceptionListener) -> Callable[[], None]:
    """Call ``listener(summary)`` after an unhandled exception was logged (the UI shows a dialog)."""
    _listeners.append(listener)
    return lambda: _listeners.remove(listener) if listener in _listeners else None


def _report(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None,
            where: str) -> None:
    logging.getLogger("desk.unhandled").error("unhandled exception in %s", where,
                                              exc_info=(exc_type, exc, tb))
    summary = f"{exc_type.__name__}: {exc}"
    for listener in list(_listeners):
        try:
            listener(summary)
        except Exception:  # a broken listener must not hide the original error
            logging.getLogger("desk.unhandled").exception("exception listener failed")


def install_excepthooks() -> None:
    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        _report(exc_type, exc, tb, "main thread")

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None:
            return
        name = args.thread.name if args.thread else "?"
        _report(args.exc_type, args.exc_value, args.exc_traceback, f"thread {name}")

    sys.excepthook = hook
    threading.excepthook = thread_hook
