"""``piao dictionary [--out FILE]``: the data dictionary generated from :mod:`schema`."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

import schema


def register(commands: argparse._SubParsersAction, summary: str) -> None:
    parser = commands.add_parser(
        "dictionary",
        help=summary,
        description="Print the data dictionary (every table and column, its type and "
        "meaning), generated from the schemas, as Markdown; --out writes it to a file "
        "(docs/data-dictionary.md is made so).",
    )
    parser.add_argument("--out", type=Path, help="write to this file (default: print to stdout)")
    parser.set_defaults(run=run)


def write_atomically(path: Path, text: str) -> None:
    """Write through a temp file in the same folder, renamed over ``path``: never half a
    file. The folder must exist (a typo in it must not create folders)."""
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def run(args: argparse.Namespace) -> int:
    text = schema.data_dictionary_markdown()
    if not args.out:
        sys.stdout.write(text)
        return 0
    if not args.out.parent.is_dir():
        print(f"piao: {args.out.parent}: no such folder", file=sys.stderr)
        return 1
    write_atomically(args.out, text)
    return 0
