"""The ``desk-central`` command: serve the API, and issue user tokens.

    desk-central serve --db central.sqlite --host 127.0.0.1 --port 8765 [--cert C --key K]
    desk-central --db central.sqlite --port 8765            (same as serve)
    desk-central user add 张三 --role dispatcher --workstation ws-01 --db central.sqlite
    desk-central user add 人保理赔 --role insurer --company 中国人保 --db central.sqlite
    desk-central user add 车载终端7 --role device --unit U7 --db central.sqlite
    desk-central user add 接入网关 --role device --gateway --db central.sqlite
    desk-central user rotate 张三 --db central.sqlite      (prints a new token; the old one stops)
    desk-central user revoke 张三 --db central.sqlite
    desk-central user list --db central.sqlite

Tokens expire after ``--expires-days`` (default 365; 0 = never). No token ever reaches a log:
the access log and every other log line go through :class:`RedactSecrets`.

``DESK_CENTRAL_TEST_MODE=1`` (or ``--test-mode``) enables the fault-injection endpoint for tests.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys
import time
from collections.abc import Sequence

from desk.central.auth import GATEWAY
from desk.central.dbcli import add_db_commands, open_store_or_exit, run_db
from desk.central.storage import ROLES, CentralStore
from desk.domain.telemetry import DEFAULT_MAX_AGE_S

log = logging.getLogger(__name__)

DEFAULT_DB = "desk-central.sqlite"
DEFAULT_EXPIRES_DAYS = 365.0

_SECRETS = (
    # token=… in a query string (OsmAnd trackers), access_token=… alike.
    (re.compile(r"((?:access_)?token=)[^&\s\"']+", re.IGNORECASE), r"\1***"),
    # Authorization: Bearer … / Basic … wherever a header is printed.
    (re.compile(r"(\b(?:bearer|basic)\s+)[A-Za-z0-9._~+/=-]+", re.IGNORECASE), r"\1***"),
    (re.compile(r"((?:authorization|x-api-key)['\"]?\s*[:=]\s*['\"]?)[^'\"\s,}]+",
                re.IGNORECASE), r"\1***"),
)


def redact(text: str) -> str:
    """``text`` with every token, bearer credential and Authorization value replaced by ***."""
    for pattern, repl in _SECRETS:
        text = pattern.sub(repl, text)
    return text


class RedactSecrets(logging.Filter):
    """A handler filter that rewrites each record with its secrets redacted (uvicorn's access
    log prints the full query string, which for OsmAnd trackers holds the token)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def install_redaction() -> None:
    """Put :class:`RedactSecrets` on every handler of the root and uvicorn loggers."""
    for name in ("", "uvicorn", "uvicorn.access", "uvicorn.error"):
        for handler in logging.getLogger(name).handlers:
            if not any(isinstance(f, RedactSecrets) for f in handler.filters):
                handler.addFilter(RedactSecrets())


def _serve_parser(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", default=DEFAULT_DB,
                        help="SQLite file (created if absent) or postgresql:// URL")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--cert", help="TLS certificate (PEM)")
    parser.add_argument("--key", help="TLS private key (PEM)")
    parser.add_argument("--test-mode", action="store_true",
                        default=os.environ.get("DESK_CENTRAL_TEST_MODE") == "1",
                        help="enable fault injection (tests only)")
    parser.add_argument("--heartbeat", type=float, default=15.0, help="stream keep-alive seconds")
    parser.add_argument("--log-level", default="info")
    parser.add_argument("--max-fix-age", type=float, default=DEFAULT_MAX_AGE_S / 86400,
                        metavar="DAYS",
                        help="refuse positions and readings older than this many days "
                             "(default 7; 0 = no limit)")


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
    add.add_argument("--unit", help="device: the one unit this token may report positions for")
    add.add_argument("--gateway", action="store_true",
                     help="device: a gateway that may report for every unit")
    add.add_argument("--expires-days", type=float, default=DEFAULT_EXPIRES_DAYS,
                     help="the token stops working after this many days (0 = never)")
    add.add_argument("--db", default=DEFAULT_DB)
    rotate = user_sub.add_parser("rotate", help="print a new token for a user; the old one stops")
    rotate.add_argument("name")
    rotate.add_argument("--expires-days", type=float, default=DEFAULT_EXPIRES_DAYS)
    rotate.add_argument("--db", default=DEFAULT_DB)
    revoke = user_sub.add_parser("revoke", help="revoke every token of a user")
    revoke.add_argument("name")
    revoke.add_argument("--db", default=DEFAULT_DB)
    lst = user_sub.add_parser("list", help="list users")
    lst.add_argument("--db", default=DEFAULT_DB)
    add_db_commands(sub, DEFAULT_DB)
    return parser


def _expiry(days: float) -> float | None:
    return None if days <= 0 else time.time() + days * 86400


def serve(args: argparse.Namespace) -> int:
    import uvicorn

    from desk.central.app import create_app

    if bool(args.cert) != bool(args.key):
        log.error("--cert and --key go together")
        return 2
    store = open_store_or_exit(args.db)
    app = create_app(store, test_mode=args.test_mode, heartbeat_s=args.heartbeat,
                     max_fix_age_s=args.max_fix_age * 86400 if args.max_fix_age > 0 else None)
    config = uvicorn.Config(
        app, host=args.host, port=args.port, log_level=args.log_level,
        ssl_certfile=args.cert, ssl_keyfile=args.key,
        # Open event streams would otherwise hold a shutdown until their clients leave.
        timeout_graceful_shutdown=2,
    )
    # uvicorn configured its loggers just now (in Config): redact on all their handlers.
    install_redaction()
    try:
        uvicorn.Server(config).run()
    finally:
        store.close()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    install_redaction()
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in ("serve", "user", "db", "-h", "--help"):
        argv = ["serve", *argv]
    args = build_parser().parse_args(argv)
    if args.command == "serve":
        return serve(args)
    if args.command == "db":
        return run_db(args)
    store = open_store_or_exit(args.db)
    try:
        return _user_command(store, args)
    finally:
        store.close()


def _user_command(store: CentralStore, args: argparse.Namespace) -> int:
    """``user add|rotate|revoke|list``; a new token goes to stdout only, never to the log."""
    if args.user_command == "add":
        if args.role == "station_chief" and not args.station:
            log.error("a station_chief needs --station")
            return 2
        if args.role == "device" and bool(args.unit) == bool(args.gateway):
            log.error("a device token needs --unit UNIT (or --gateway for a gateway)")
            return 2
        if args.role != "device" and (args.unit or args.gateway):
            log.error("--unit and --gateway are for device tokens only")
            return 2
        unit = GATEWAY if args.gateway else args.unit
        expires = _expiry(args.expires_days)
        token = store.add_user(args.name, args.role, args.station, args.workstation,
                               unit_id=unit, expires_at=expires)
        store.audit(None, "user.add", args.name, "applied",
                    {"role": args.role, "station_id": args.station, "unit_id": unit,
                     "expires_at": expires, "via": "cli"})
        sys.stdout.write(token + "\n")
    elif args.user_command == "rotate":
        try:
            new = store.rotate_token(args.name, time.time(), _expiry(args.expires_days))
        except ValueError as exc:
            log.error("cannot rotate: %s; revoke the extra ones first", exc)
            return 2
        if new is None:
            log.error("no live user named %s", args.name)
            return 1
        store.audit(None, "user.rotate", args.name, "applied", {"via": "cli"})
        sys.stdout.write(new + "\n")
    elif args.user_command == "revoke":
        count = store.revoke_user(args.name, time.time())
        if not count:
            log.error("no live user named %s", args.name)
            return 1
        store.audit(None, "user.revoke", args.name, "applied", {"tokens": count, "via": "cli"})
        log.info("revoked %d token(s) of %s", count, args.name)
    else:
        for u in store.users():
            state = ("revoked" if u["revoked_at"] else
                     "expired" if u["expires_at"] and u["expires_at"] <= time.time() else "ok")
            until = (time.strftime("%Y-%m-%d", time.localtime(u["expires_at"]))
                     if u["expires_at"] else "never")
            sys.stdout.write(f"{u['id']}\t{u['name']}\t{u['role']}\t{u['station_id'] or ''}\t"
                             f"{u['workstation']}\t{u['unit_id'] or ''}\t{until}\t{state}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
