"""The ``desk`` command: parse the command line, set up logging, start the app."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

import desk

log = logging.getLogger("desk")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="desk", description="交管指挥桌面 desk — traffic-police control-room desktop"
    )
    parser.add_argument("--version", action="version", version=f"desk {desk.__version__}")
    parser.add_argument("--db", type=Path, help="workspace file (default: the user's data folder)")
    parser.add_argument("--create", action="store_true",
                        help="make --db a workspace even if it is a SQLite file with other data")
    parser.add_argument(
        "--demo", action="store_true",
        help="use the Zhengzhou demo city (generated on first use) and start the simulator",
    )
    parser.add_argument("--lang", choices=("zh", "en"), default="zh", help="UI language")
    parser.add_argument("--central", dest="central_url", help="desk-central URL, e.g. https://central:8443")
    parser.add_argument("--token", dest="central_token", help="bearer token for desk-central")
    parser.add_argument(
        "--workstation", help="this workstation's name (default: the host name); used in case "
        "numbers and the audit log",
    )
    parser.add_argument("--offline", action="store_true", help="start in 离线工作 mode (no network)")
    parser.add_argument(
        "--drill", type=Path, metavar="SCENARIO",
        help="run a drill scenario (YAML) in its own drill workspace copied from --db or the demo city",
    )
    parser.add_argument(
        "--replay", type=Path, metavar="DRILL_FILE",
        help="replay a recorded drill workspace (演练回放) for the debrief",
    )
    parser.add_argument("--screenshot", type=Path, help="save a screenshot of the window and exit")
    parser.add_argument("--quit-after", dest="quit_after_s", type=float, help="exit after N seconds")
    parser.add_argument(
        "--self-test", action="store_true",
        help="headless check of this installation (demo city, map page, no network); exit 0 if good",
    )
    parser.add_argument("--log-level", default="INFO", help="DEBUG, INFO, WARNING …")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=getattr(logging, str(args.log_level).upper(), logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if args.self_test:
        from desk.ui.selftest import run_self_test

        return run_self_test()
    from desk.ui.app import LaunchOptions, run

    options = LaunchOptions(
        db=args.db, demo=args.demo, lang=args.lang, central_url=args.central_url,
        central_token=args.central_token, offline=args.offline, screenshot=args.screenshot,
        quit_after_s=args.quit_after_s, drill=args.drill, replay=args.replay, workstation=args.workstation,
        create=args.create,
    )
    return run(options)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
