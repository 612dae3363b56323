"""``piao`` command line: parses arguments, runs a command, turns errors into one line.

The library never prints; the command modules in :mod:`piao.commands` are the only places
that talk to the terminal. Exit status: 0 success, 1 failure, 2 usage error, 130 interrupted
(Ctrl-C, SIGINT), 143 terminated (SIGTERM).

Start-up is kept short: this module imports only the standard library, and only the module
of the command being run is imported (with the libraries it needs); ``piao --help`` lists the
commands from :data:`SUMMARIES` without importing any of them.
"""

from __future__ import annotations

import argparse
import atexit
import importlib
import os
import signal
import sys
from collections.abc import MutableMapping, Sequence
from typing import NoReturn

from piao import (
    __version__,
    allocator,
    arrow_import,
    code_cache,
    collector,
    deferred_imports,
    pattern_cache,
)

#: Command name -> one-line help, in the order ``piao --help`` lists them. Each command
#: lives in ``piao.commands.<name>`` with ``register(subparsers, summary)`` and ``run(args)``; its
#: parser's ``help`` is this same text (tests/piao/test_cli_startup.py checks it).
SUMMARIES = {
    "extract": "extract attachments (files or folders) into Parquet tables",
    "dictionary": "print (or write) the data dictionary generated from the schemas",
    "report": "write the HTML report: one page per document, or a folder with an index of "
    "administrations and editions",
    "sql": "query the tables with DuckDB (views named after the tables)",
    "diff": "compare editions of a plan: objectives added, removed, renumbered, moved, modified",
    "inspect": "show how each table of an attachment is read (header mapping, rows, objectives)",
    "lineage": "give each objective a lineage_id across the editions of its plan",
    "export": "write every table as CSV files or as one Excel workbook",
    "compact": "merge the small table files that many writes leave into full ones",
    "check": "read every table file in full (page checksums, types, commit rule) and report",
}

EXIT_FAILED, EXIT_INTERRUPTED = 1, 130


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where Ctrl-C would be so that a run stops the same clean way."""


def raise_terminated(signum: int, _frame: object) -> None:
    raise Terminated(signum)


def handle_termination() -> None:
    """Make SIGTERM stop a run as Ctrl-C does (tables left whole, exit 143, no traceback)."""
    signal.signal(signal.SIGTERM, raise_terminated)


def chosen_command(argv: Sequence[str]) -> str | None:
    """The command named on the command line (the first argument that is one), if any."""
    for argument in argv:
        if argument in SUMMARIES:
            return argument
        if not argument.startswith("-"):
            return None
    return None


class DefaultsHelpFormatter(argparse.HelpFormatter):
    """Help that ends each option's text with its default (``(default: data/clean)``),
    unless it has none (None, a flag's False) or the text already says it."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        if action.default in (None, False, argparse.SUPPRESS) or "default" in text.lower():
            return text
        return f"{text} (default: %(default)s)"


def build_parser(argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    """The parser; only the command named in ``argv`` is imported and registered in full
    (every command, when ``argv`` is not given: used by tests and documentation)."""
    parser = argparse.ArgumentParser(
        prog="piao",
        description="Turn PIAO performance-objective attachments into Parquet tables.",
    )
    parser.add_argument("--version", action="version", version=f"piao {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    wanted = chosen_command(argv) if argv else None
    for name, summary in SUMMARIES.items():
        if argv and name != wanted:
            commands.add_parser(name, help=summary)  # listed by --help, never parsed
        else:
            importlib.import_module(f"piao.commands.{name}").register(commands, SUMMARIES[name])
            command = commands.choices[name]
            command.formatter_class = DefaultsHelpFormatter
            command.description = command.description or summary[:1].upper() + summary[1:] + "."
    return parser


def stdout_closed_early() -> int:
    """``piao sql ... | head -1``: the reader went away. Like other CLIs, stop quietly with
    success; stdout is pointed at /dev/null so that Python's final flush cannot fail."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return 0


#: Environment set for piao's own process unless the user set it (its workers inherit it).
#: numpy, which pyarrow imports, starts an OpenBLAS thread pool that spins for a while:
#: 0.1 s of CPU per process for linear algebra piao never does (start-up time).
QUIET_LIBRARIES = {"OPENBLAS_NUM_THREADS": "1"}


def quiet_libraries(environment: MutableMapping[str, str] = os.environ) -> None:
    """Set :data:`QUIET_LIBRARIES` in ``environment`` where the user has not."""
    for name, value in QUIET_LIBRARIES.items():
        environment.setdefault(name, value)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    quiet_libraries()
    allocator.choose_system_pool()  # before pyarrow's import: a batch's memory (piao.allocator)
    deferred_imports.defer()  # the PDF libraries' seldom-used imports, on first use
    pattern_cache.install()  # patterns compiled by an earlier run are not compiled again
    code_cache.install()  # nor the methods of the dataclasses
    try:
        return run_command(argv)
    finally:
        pattern_cache.save()
        code_cache.save()


def console() -> NoReturn:
    """The ``piao`` program (its entry point, and ``python -m piao``): :func:`main`, then
    the process ends by :func:`exit_at_once`."""
    exit_at_once(main())


def exit_at_once(code: int) -> NoReturn:
    """End the process with ``code`` as Python's own exit does, but for its last step.

    The atexit handlers run (a batch's worker processes are joined, temporary folders
    removed) and the standard streams are flushed; the process then ends without freeing
    its objects one by one, which the system takes back whole (about 0.02 s of CPU after a
    PDF's ``piao extract``, a fiftieth of the run). A stream that cannot be flushed makes
    the status 120, as in Python's exit, and a closed one is left alone, as there. While
    another thread runs (none does at the end of piao's commands), or where the
    interpreter lacks the call that runs the handlers, it is Python's exit, which waits
    for the thread."""
    run_handlers = getattr(atexit, "_run_exitfuncs", None)
    threading = sys.modules.get("threading")
    if run_handlers is None or (threading is not None and threading.active_count() > 1):
        sys.exit(code)
    run_handlers()
    for stream in (sys.stdout, sys.stderr):
        if stream is None or getattr(stream, "closed", False):
            continue
        try:
            stream.flush()
        except OSError:
            code = code or 120
    os._exit(code)


def run_command(argv: list[str]) -> int:
    """Parse ``argv``, import and run its command; the errors that end it as one line."""
    try:
        handle_termination()
        hide_numpy = arrow_import.numpy_free(chosen_command(argv), argv)
        with collector.importing(), arrow_import.numpy_hidden(hide_numpy):  # the imports
            parser = build_parser(argv or ["--help"])
        args = parser.parse_args(argv)
        return int(args.run(args))
    except BrokenPipeError:
        return stdout_closed_early()
    except Terminated:
        print("piao: terminated; tables left as they were", file=sys.stderr)
        return 128 + signal.SIGTERM
    except KeyboardInterrupt:
        print("piao: interrupted; tables left as they were", file=sys.stderr)
        return EXIT_INTERRUPTED
    except OSError as error:
        print(f"piao: {error.filename or ''}: {error.strerror or error}", file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":  # pragma: no cover
    console()
