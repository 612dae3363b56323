"""``piao dictionary [--out FILE]``: the data dictionary generated from :mod:`schema`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import schema


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "dictionary", help="print (or write) the data dictionary generated from the schemas"
    )
    parser.add_argument("--out", type=Path, help="write to this file instead of stdout")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    text = schema.data_dictionary_markdown()
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0
