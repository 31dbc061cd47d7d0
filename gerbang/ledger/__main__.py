"""``python -m gerbang.ledger verify URL ...``: verify the public log from outside (see verifier.py).

Standard library, ``cryptography`` and ``gerbang.ledger.tlog`` only: no Django is imported.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from gerbang.ledger.tlog.errors import TlogError
from gerbang.ledger.verifier import StateError, verify


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m gerbang.ledger", description="Gerbang's public log.")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser(
        "verify",
        help="verify the log at URL: signature, tiles, leaves, growth since the last run, events",
        description="Verify the log served at URL (the site's address, e.g. https://gerbang.example/). "
        "Exit status: 0 consistent, 1 a problem found, 2 could not run.",
    )
    check.add_argument(
        "url", help="the site's address; the log is under <URL>/ledger/ and <URL>/api/v1/ledger/"
    )
    check.add_argument(
        "--key",
        action="append",
        default=[],
        metavar="VKEY",
        help="the log's verifier key (name+hexid+base64), obtained out of band; give it again for "
        "each key the log signed with before (the first is the current one)",
    )
    check.add_argument(
        "--keys",
        type=Path,
        action="append",
        default=[],
        metavar="FILE",
        help="a file of the log's keys with their periods, as /ledger/key lists them (checked out of band)",
    )
    check.add_argument(
        "--state",
        type=Path,
        help="JSON file of the last verified size, root and pinned key (read, then updated)",
    )
    check.add_argument(
        "--event",
        type=int,
        action="append",
        default=[],
        metavar="ID",
        help="check that this event is in the log",
    )
    check.add_argument(
        "--witness",
        action="append",
        default=[],
        metavar="KEY",
        help="a witness's verifier key; it must have cosigned",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        keys = list(args.key) + [path.read_text(encoding="utf-8") for path in args.keys]
    except OSError as error:
        print(f"error: the keys file: {error}", file=sys.stderr)
        return 2
    try:
        report = verify(args.url, keys=keys, state_path=args.state, events=args.event, witnesses=args.witness)
    except StateError as error:
        print(f"error: the state file: {error}", file=sys.stderr)
        return 2
    except TlogError as error:
        print(f"error: a key given: {error}", file=sys.stderr)
        return 2
    sys.stdout.write(report.text())
    return 0 if report.consistent else 1


if __name__ == "__main__":
    sys.exit(main())
