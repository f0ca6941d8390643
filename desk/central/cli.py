"""The ``desk-central`` command: serve the API, and issue user tokens.

    desk-central serve --db central.sqlite --host 127.0.0.1 --port 8765 [--cert C --key K]
    desk-central --db central.sqlite --port 8765            (same as serve)
    desk-central user add 张三 --role dispatcher --workstation ws-01 --db central.sqlite
    desk-central user add 人保理赔 --role insurer --company 中国人保 --db central.sqlite
    desk-central user list --db central.sqlite

``DESK_CENTRAL_TEST_MODE=1`` (or ``--test-mode``) enables the fault-injection endpoint for tests.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from desk.central.storage import ROLES, SqliteCentralStore

log = logging.getLogger(__name__)

DEFAULT_DB = "desk-central.sqlite"


def _serve_parser(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", default=DEFAULT_DB, help="SQLite file (created if absent)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--cert", help="TLS certificate (PEM)")
    parser.add_argument("--key", help="TLS private key (PEM)")
    parser.add_argument("--test-mode", action="store_true",
                        default=os.environ.get("DESK_CENTRAL_TEST_MODE") == "1",
                        help="enable fault injection (tests only)")
    parser.add_argument("--heartbeat", type=float, default=15.0, help="stream keep-alive seconds")
    parser.add_argument("--log-level", default="info")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="desk-central", description="交管指挥桌面中心端")
    sub = parser.add_subparsers(dest="command")
    _serve_parser(sub.add_parser("serve", help="run the HTTP API"))
    user = sub.add_parser("user", help="manage users and tokens")
    user_sub = user.add_subparsers(dest="user_command", required=True)
    add = user_sub.add_parser("add", help="add a user and print a new token")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--station", help="the station a station_chief is scoped to")
    # An insurer's scope is stored where a chief's station is: one scope per token.
    add.add_argument("--company", dest="station",
                     help="the insurance company an insurer is scoped to (optional)")
    add.add_argument("--workstation", default="", help="the workstation the token is for")
    add.add_argument("--db", default=DEFAULT_DB)
    lst = user_sub.add_parser("list", help="list users")
    lst.add_argument("--db", default=DEFAULT_DB)
    return parser


def serve(args: argparse.Namespace) -> int:
    import uvicorn

    from desk.central.app import create_app

    if bool(args.cert) != bool(args.key):
        log.error("--cert and --key go together")
        return 2
    store = SqliteCentralStore(args.db)
    app = create_app(store, test_mode=args.test_mode, heartbeat_s=args.heartbeat)
    config = uvicorn.Config(
        app, host=args.host, port=args.port, log_level=args.log_level,
        ssl_certfile=args.cert, ssl_keyfile=args.key,
        # Open event streams would otherwise hold a shutdown until their clients leave.
        timeout_graceful_shutdown=2,
    )
    try:
        uvicorn.Server(config).run()
    finally:
        store.close()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in ("serve", "user", "-h", "--help"):
        argv = ["serve", *argv]
    args = build_parser().parse_args(argv)
    if args.command == "serve":
        return serve(args)
    store = SqliteCentralStore(args.db)
    try:
        if args.user_command == "add":
            if args.role == "station_chief" and not args.station:
                log.error("a station_chief needs --station")
                return 2
            token = store.add_user(args.name, args.role, args.station, args.workstation)
            store.audit(None, "user.add", args.name, "applied",
                        {"role": args.role, "station_id": args.station, "via": "cli"})
            sys.stdout.write(token + "\n")
        else:
            for u in store.users():
                sys.stdout.write(f"{u['id']}\t{u['name']}\t{u['role']}\t{u['station_id'] or ''}\t"
                                 f"{u['workstation']}\n")
    finally:
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
