"""Opening a workspace file safely: WAL, migrations, and refusing corrupt, foreign or newer files.

The integrity check at open is cheap and constant-time (the header, the schema, the page count
against the file size); the full ``PRAGMA quick_check`` reads every page, which took 0.94 s at
225 MB on every start, so it runs at open only for files under ``FULL_CHECK_MAX_BYTES`` and
otherwise on demand (:meth:`Workspace.check_integrity`, ``open(verify=True)``).
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlite_utils
from sqlite_utils import Migrations

from desk.store.errors import WorkspaceCorrupt, WorkspaceError, WorkspaceForeign, WorkspaceTooNew
from desk.store.events import ChangeBus
from desk.store.schema import migration_sets
from desk.store.writes import WriteHook, WriteTx

log = logging.getLogger(__name__)

SQLITE_MAGIC = b"SQLite format 3\x00"
#: Files up to this size get the full ``PRAGMA quick_check`` at every open (a few tens of ms).
FULL_CHECK_MAX_BYTES = 32 * 1024 * 1024


class Workspace:
    """One workspace: a SQLite file plus the bus that announces its committed changes.

    A ``Workspace`` object belongs to the thread that opened it (sqlite3's rule). Worker threads
    open their own ``Workspace`` on the same path; WAL lets them read while another writes.
    """

    def __init__(self, path: Path, db: sqlite_utils.Database, bus: ChangeBus | None = None) -> None:
        self.path = path
        self.db = db
        self.bus = bus or ChangeBus()
        self._hooks: list[WriteHook] = []

    # -- opening -------------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: Path | str,
        *,
        bus: ChangeBus | None = None,
        extra_migrations: list[Migrations] | None = None,
        create: bool = False,
        verify: bool | None = None,
    ) -> Workspace:
        """Open (creating if absent or empty) and upgrade a workspace.

        Raises ``WorkspaceCorrupt`` for a file that is not a sound SQLite database,
        ``WorkspaceForeign`` for a SQLite file holding other data (unless ``create``: then the
        workspace's tables are added to it) and ``WorkspaceTooNew`` for one written by a newer
        build. None of these cases writes to the file. ``verify``: run the full page check
        (``None``: only for files under ``FULL_CHECK_MAX_BYTES``).
        """
        path = Path(path)
        sets = migration_sets() + list(extra_migrations or [])
        _check_header(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            conn = sqlite3.connect(str(path), timeout=30.0)
        except sqlite3.Error as exc:
            raise WorkspaceError(path, f"无法打开工作区文件：{path}", str(exc)) from exc
        try:
            _check_cheap(path, conn)
            if verify or (verify is None and _file_bytes(path) < FULL_CHECK_MAX_BYTES):
                _check_integrity(path, conn)
            if not create:
                _check_is_workspace(path, conn)
            _check_not_newer(path, conn, sets)
            conn.execute("PRAGMA journal_mode=WAL")
            # NORMAL is durable across application crashes in WAL mode; only an OS crash can lose
            # the last transactions, which the sync outbox would then re-send.
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            db = sqlite_utils.Database(conn)
            for migrations in sets:
                migrations.apply(db)
        except WorkspaceError:
            conn.close()
            raise
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise WorkspaceCorrupt(path, f"工作区文件已损坏，无法读取：{path}", str(exc)) from exc
        log.info("workspace opened: %s", path)
        return cls(path, db, bus)

    def close(self) -> None:
        self.db.conn.close()

    def check_integrity(self) -> None:
        """The full ``PRAGMA quick_check`` on demand (reads every page); ``WorkspaceCorrupt``."""
        _check_integrity(self.path, self.db.conn)

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing -------------------------------------------------------------------------------

    def add_write_hook(self, hook: WriteHook) -> None:
        """Run ``hook`` inside every write transaction for each change row (e.g. the sync outbox)."""
        self._hooks.append(hook)

    @contextmanager
    def write(self, actor: str, *, origin: object | None = None) -> Iterator[WriteTx]:
        """A transaction whose entity writes all log a change row; committed on normal exit,
        rolled back on an exception. The change set is published after the commit."""
        tx = WriteTx(self.db, actor, self._hooks)
        tx.origin = origin
        with self.db.atomic():
            yield tx
        self.bus.publish(tx.changeset())

    # -- reading helpers -----------------------------------------------------------------------

    def count(self, table: str, where: str | None = None, params: list[Any] | None = None) -> int:
        sql = f'SELECT count(*) FROM "{table}"' + (f" WHERE {where}" if where else "")
        return int(self.db.execute(sql, params or []).fetchone()[0])

    def meta(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return default if row is None else str(row[0])

    def schema_versions(self) -> dict[str, list[str]]:
        """Applied migrations per set, for the about box and bug reports."""
        rows = self.db.execute(
            "SELECT migration_set, name FROM _sqlite_migrations ORDER BY rowid"
        ).fetchall()
        out: dict[str, list[str]] = {}
        for migration_set, name in rows:
            out.setdefault(migration_set, []).append(name)
        return out


def _check_header(path: Path) -> None:
    """Refuse a non-empty file that is not SQLite before sqlite3 touches it."""
    if not path.exists():
        return
    if path.is_dir():
        raise WorkspaceError(path, f"工作区路径是一个文件夹，不是文件：{path}")
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise WorkspaceError(path, f"无法读取工作区文件：{path}", str(exc)) from exc
    if head and head != SQLITE_MAGIC:
        raise WorkspaceCorrupt(path, f"工作区文件已损坏或不是 desk 工作区：{path}", "bad header")


def _file_bytes(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _check_cheap(path: Path, conn: sqlite3.Connection) -> None:
    """Constant-time checks: the schema parses, and the file holds the pages it claims."""
    try:
        conn.execute("PRAGMA schema_version").fetchone()
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        pages = int(conn.execute("PRAGMA page_count").fetchone()[0])
        page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
    except sqlite3.DatabaseError as exc:
        raise WorkspaceCorrupt(path, f"工作区文件已损坏，无法读取：{path}", str(exc)) from exc
    wal = path.with_name(path.name + "-wal")
    have = _file_bytes(path) + (_file_bytes(wal) if wal.exists() else 0)
    if pages * page_size > have:
        raise WorkspaceCorrupt(path, f"工作区文件不完整（可能被截断），无法读取：{path}",
                               f"{pages} pages of {page_size} B in {have} B")


def _check_is_workspace(path: Path, conn: sqlite3.Connection) -> None:
    """Refuse a SQLite file with tables of its own and no desk migrations in it."""
    tables = {str(r[0]) for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}
    if not tables:
        return  # a new or empty file: it becomes a workspace
    if "_sqlite_migrations" in tables and conn.execute(
        "SELECT 1 FROM _sqlite_migrations WHERE migration_set LIKE 'desk.%' LIMIT 1"
    ).fetchone():
        return
    shown = ", ".join(sorted(tables)[:5]) + ("…" if len(tables) > 5 else "")
    raise WorkspaceForeign(
        path,
        f"该文件不是 desk 工作区，其中已有其他数据（{len(tables)} 个表：{shown}），desk 不会改动它：{path}。"
        "如确要在此文件中创建工作区，请使用 --create 启动。",
        f"foreign SQLite file with tables {sorted(tables)[:20]}",
    )


def _check_integrity(path: Path, conn: sqlite3.Connection) -> None:
    try:
        result = conn.execute("PRAGMA quick_check").fetchone()
    except sqlite3.DatabaseError as exc:
        raise WorkspaceCorrupt(path, f"工作区文件已损坏，无法读取：{path}", str(exc)) from exc
    if result is None or result[0] != "ok":
        detail = "quick_check: " + (str(result[0]) if result else "no answer")
        raise WorkspaceCorrupt(path, f"工作区文件未通过完整性检查：{path}", detail)


def _check_not_newer(path: Path, conn: sqlite3.Connection, sets: list[Migrations]) -> None:
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name='_sqlite_migrations'"
    ).fetchone()
    if not exists:
        return
    known = {(s.name, m.name) for s in sets for m in s._migrations}
    applied = conn.execute(
        "SELECT migration_set, name FROM _sqlite_migrations WHERE migration_set LIKE 'desk.%'"
    ).fetchall()
    unknown = [f"{s}/{n}" for s, n in applied if (s, n) not in known]
    if unknown:
        raise WorkspaceTooNew(
            path,
            f"该工作区由更新版本的 desk 创建，本版本无法打开：{path}。请升级 desk。",
            "unknown migrations: " + ", ".join(unknown),
        )
