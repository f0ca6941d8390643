"""desk — 交管指挥桌面, a desktop control-room application for traffic-police command centres."""

__version__ = "0.1.0"


def _import_sqlite_utils_lean() -> None:
    """Import sqlite-utils without pandas and numpy. sqlite-utils imports both at import time when
    they are installed (ortools pulls them in) only to recognise their values in inserts, which
    desk never passes; that cost about a second of every start (issue 17). Blocking the two for
    this one import leaves them importable later for the code that really uses them."""
    import sys

    if "sqlite_utils" in sys.modules:
        return
    blocked = [name for name in ("pandas", "numpy") if name not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        import sqlite_utils  # noqa: F401
    finally:
        for name in blocked:
            if sys.modules.get(name) is None:
                del sys.modules[name]


_import_sqlite_utils_lean()
