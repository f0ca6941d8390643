"""``desk-central db …``: create, upgrade, inspect and prune the central database, and open a store
for the other commands with a clear message instead of a traceback.

    desk-central db upgrade --db postgresql://desk@db1/desk     (or --db central.sqlite)
    desk-central db status  --db URL
    desk-central db prune   --db URL --telemetry-days 90 --op-results-days 30
"""

from __future__ import annotations

import argparse
import logging
import sys
import time

from desk.central.storage import CentralStore
from desk.central.stores import StoreUnavailable, is_postgres, open_store, redact, upgrade_store

log = logging.getLogger(__name__)


def add_db_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser], default_db: str) -> None:
    db = sub.add_parser("db", help="create, upgrade and prune the database")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    for name, text in (("upgrade", "create the schema or apply pending migrations"),
                       ("status", "print the schema version")):
        p = db_sub.add_parser(name, help=text)
        p.add_argument("--db", default=default_db, help="SQLite file or postgresql:// URL")
    prune = db_sub.add_parser("prune", help="drop old telemetry partitions and op results")
    prune.add_argument("--db", default=default_db)
    prune.add_argument("--telemetry-days", type=float, default=90.0,
                       help="keep positions and readings this many days (0 = forever)")
    prune.add_argument("--op-results-days", type=float, default=30.0,
                       help="keep stored op results (idempotency) this many days (0 = forever)")


def open_store_or_exit(db: str) -> CentralStore:
    """The store for ``db``; on an unreachable database or a wrong schema: a log line and exit 2."""
    from desk.central.pg.migrate import SchemaError
    from desk.central.sqlite_schema import SqliteSchemaTooNew

    try:
        return open_store(db)
    except (StoreUnavailable, SchemaError, SqliteSchemaTooNew) as exc:
        log.error("desk-central: %s (%s)", exc, redact(db))
        raise SystemExit(2) from exc


def run_db(args: argparse.Namespace) -> int:
    from desk.central.pg.migrate import SchemaError
    from desk.central.sqlite_schema import SqliteSchemaTooNew

    try:
        if args.db_command == "upgrade":
            before, after = upgrade_store(args.db)
            sys.stdout.write(f"schema {before} -> {after}\n")
            return 0
        if args.db_command == "status":
            return _status(args.db)
        return _prune(args)
    except (StoreUnavailable, SchemaError, SqliteSchemaTooNew) as exc:
        log.error("desk-central db %s: %s (%s)", args.db_command, exc, redact(args.db))
        return 2
    except Exception as exc:  # an unreachable server raises psycopg's own errors here
        if is_postgres(args.db):
            log.error("desk-central db %s: %s (%s)", args.db_command,
                      str(exc).splitlines()[0] if str(exc) else type(exc).__name__, redact(args.db))
            return 2
        raise


def _status(db: str) -> int:
    if is_postgres(db):
        import psycopg

        from desk.central.pg.migrate import current_version, latest_version

        with psycopg.connect(db, connect_timeout=10) as conn:
            have = current_version(conn)
        sys.stdout.write(f"schema {have} (this desk-central: {latest_version()})\n")
        return 0 if have == latest_version() else 1
    from desk.central.sqlite_schema import sqlite_versions

    have, know = sqlite_versions(db)
    sys.stdout.write(f"schema {have} (this desk-central: {know})\n")
    return 0 if have == know else 1


def _prune(args: argparse.Namespace) -> int:
    from desk.central.pg.store import PostgresCentralStore, Retention

    keep = Retention(args.telemetry_days or None, args.op_results_days or None)
    if not is_postgres(args.db):
        from desk.central.sqlite_schema import prune_sqlite

        out = prune_sqlite(args.db, time.time(), keep)
    else:
        store = PostgresCentralStore(args.db, create=False)
        try:
            out = store.prune(time.time(), keep)
        finally:
            store.close()
    sys.stdout.write(" ".join(f"{k}={v}" for k, v in out.items()) + "\n")
    return 0
