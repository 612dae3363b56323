"""Where a ``piao extract`` of one PDF spends its instructions, stage by stage, against the
pypdfium2 floor: counts that the machine's load does not move.

Run: ``.venv/bin/python bench/bench_instructions.py [PDF ...]`` (default: the ruled and
the borderless fixtures; needs ``valgrind``). Each stage is a fresh process under
``valgrind --tool=callgrind`` that stops after it: the interpreter alone; the CLI's set-up
and imports (as ``piao.cli.main`` makes them, numpy hidden, the PDF libraries' seldom-used
imports deferred, patterns and dataclass methods from their caches); then the engine's
imports; then the reading (``extract.read_document``); then reading and normalising
(``pipeline.process_document``); then the whole ``piao extract`` (writing, the history,
the exit). A stage's cost is its count less the one before. The floor is
``bench/bench_pdf_floor.py``'s script. Every process runs as a user's shell runs it
(``bench/user_shell.py``), once untimed first.

Instruction counts rank work done, not time: a process that touches more memory waits
longer per instruction (page faults, cache misses), so the time ratio of
``bench/bench_pdf_floor.py`` is the figure that counts; these say where the work is.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from itertools import pairwise
from pathlib import Path

from bench_pdf_floor import FLOOR
from user_shell import user_environment

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FILES = (
    ROOT / "tests" / "fixtures" / "portomaggiore_ruled.pdf",
    ROOT / "tests" / "fixtures" / "portomaggiore_borderless.pdf",
)

#: One process that stops after stage ``argv[1]`` (0: nothing; 5: the whole command).
STAGE = """
import sys
from pathlib import Path
stage, path, out = int(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
if stage >= 1:
    from piao import allocator, arrow_import, code_cache, collector, deferred_imports, pattern_cache
    allocator.choose_system_pool(); deferred_imports.defer(); pattern_cache.install()
    code_cache.install()
    argv = ["extract", str(path), "--out", out, "--force"]
    with collector.importing(), arrow_import.numpy_hidden(arrow_import.numpy_free("extract", argv)):
        from piao.cli import build_parser
        parser = build_parser(argv)
if stage >= 2:
    import extract
    from extract import pdf_pdfium
if stage >= 3:
    collector.tune_collector()
    if stage == 3:
        extract.read_document(path)
    elif stage == 4:
        from piao import pipeline
        pipeline.process_document(path)
    else:
        args = parser.parse_args(argv)
        args.run(args)
        pattern_cache.save(); code_cache.save()
"""
STAGES = (
    "interpreter start",
    "the CLI path's imports",
    "the engine's imports",
    "reading",
    "normalising",
    "writing, history, exit",
)


def instructions(command: Sequence[str], environment: dict[str, str]) -> int:
    """The instructions callgrind counts for one run of ``command``."""
    run = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *command],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    found = re.search(r"Collected : (\d+)", run.stderr)
    if found is None:
        raise RuntimeError(f"no count from callgrind: {run.stderr[-300:]}")
    return int(found.group(1))


def stage_counts(path: Path, folder: Path, environment: dict[str, str]) -> list[int]:
    """The cumulative count after each stage (:data:`STAGES`), each stage run once
    untimed first, after one whole run (which leaves the bytecode and the patterns cached,
    as a user's first run does)."""
    commands = [
        [sys.executable, "-c", STAGE, str(stage), str(path), str(folder / "out")]
        for stage in range(len(STAGES))
    ]
    subprocess.run(commands[-1], env=environment, capture_output=True, check=True)
    counts = []
    for command in commands:
        subprocess.run(command, env=environment, capture_output=True, check=True)
        counts.append(instructions(command, environment))
    return counts


def report(path: Path, counts: Sequence[int], floor: int) -> str:
    """Lines: each stage's own instructions (millions), the whole, the floor, the ratio."""
    steps = [counts[0], *(after - before for before, after in pairwise(counts))]
    lines = [f"{path.name}:"]
    named = zip(STAGES, steps, strict=True)
    lines += [f"  {name:<24} {count / 1e6:8,.0f} M" for name, count in named]
    lines.append(f"  {'whole piao extract':<24} {counts[-1] / 1e6:8,.0f} M")
    lines.append(f"  {'pypdfium2 floor':<24} {floor / 1e6:8,.0f} M")
    lines.append(f"  ratio x{counts[-1] / floor:.2f}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path, default=list(DEFAULT_FILES))
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="piao-instructions-") as name:
        folder = Path(name)
        environment = user_environment(folder / "bytecode")
        for path in args.files:
            counts = stage_counts(path.resolve(), folder, environment)
            floor_command = [sys.executable, "-c", FLOOR, str(path)]
            subprocess.run(floor_command, env=environment, capture_output=True, check=True)
            print(report(path, counts, instructions(floor_command, environment)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
