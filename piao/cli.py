"""``piao`` command line: parses arguments, runs a command, turns errors into one line.

The library never prints; the command modules in :mod:`piao.commands` are the only places
that talk to the terminal. Exit status: 0 success, 1 failure, 2 usage error, 130 interrupted.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from piao import __version__
from piao.commands import dictionary, diff, export, extract, lineage, report, sql

COMMANDS = (extract, dictionary, report, sql, diff, lineage, export)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="piao",
        description="Turn PIAO performance-objective attachments into Parquet tables.",
    )
    parser.add_argument("--version", action="version", version=f"piao {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        print("piao: interrupted; tables left as they were", file=sys.stderr)
        return 130
    except OSError as error:
        print(f"piao: {error.filename or ''}: {error.strerror or error}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
