"""Fixtures for batch runs: variants of the shipped document, one of each bad input."""

from __future__ import annotations

import functools
import io
import os
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest

import schema
from extract.ocr import ocr_available

ROOT = Path(__file__).resolve().parents[2]
TEXT_SOURCE = ROOT / "data" / "raw" / "portomaggiore_piao_2023-2025_allegato1.txt"
FIXTURES = ROOT / "tests" / "fixtures"
RULED = FIXTURES / "portomaggiore_ruled.pdf"

#: Bad input file name -> the words its one-line reason must hold.
BAD_INPUTS = {
    "empty.txt": "the file is empty",
    "truncated.pdf": "truncated or corrupt",
    "encrypted.pdf": "encrypted",
    # OCR finds no text in the drawn grid; without Tesseract the file is refused for want of it.
    "scanned.pdf": "no text layer" if ocr_available() else "needs OCR, and Tesseract",
    "word_renamed.pdf": "a DOCX document that cannot be opened, damaged or incomplete",
    "tab_rows_no_header.txt": "no objective table found (1 table read, none has an objective",
    "letter.txt": "no objective table found",
}


def text_variant(number: int) -> bytes:
    """The shipped document with ``number`` trailing blank lines: same tables, other SHA."""
    return TEXT_SOURCE.read_bytes() + b"\n" * number


def write_bad_inputs(folder: Path, make_pdfs: ModuleType) -> dict[Path, str]:
    """One file of each kind of bad input in ``folder``; returns path -> expected reason."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "empty.txt").write_bytes(b"")
    pdf = RULED.read_bytes()
    (folder / "truncated.pdf").write_bytes(pdf[: len(pdf) // 2])
    make_pdfs.write_encrypted_pdf(folder / "encrypted.pdf")
    make_pdfs.write_image_only_pdf(folder / "scanned.pdf", pages=2)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    (folder / "word_renamed.pdf").write_bytes(buffer.getvalue())
    (folder / "tab_rows_no_header.txt").write_text(
        "Elenco fornitori\n\nnome\tcittà\timporto\nRossi\tFerrara\t100\n", encoding="utf-8"
    )
    (folder / "letter.txt").write_text("Gentile sindaco,\n\nsi trasmette il piano.\n")
    return {folder / name: reason for name, reason in BAD_INPUTS.items()}


def counts_of_two_runs(script: str, work: Path) -> list[int]:
    """The number a counting ``script`` (``piao.cli.main`` run under a counter, the count
    printed last) prints for each of two ``piao extract`` runs of the text attachment,
    bytecode and piao's compile caches written under ``work`` as a user's Python writes them."""
    environment = {
        key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"
    }
    environment["PYTHONPYCACHEPREFIX"] = str(work / "bytecode")
    counts = []
    for run in ("first", "second"):
        command = [sys.executable, "-c", script, "extract", str(TEXT_SOURCE)]
        command += ["--out", str(work / run), "--force"]
        done = subprocess.run(
            command, env=environment, capture_output=True, text=True, cwd=ROOT, check=True
        )
        counts.append(int(done.stdout.split()[-1]))
    return counts


def read_tables(out_dir: Path) -> dict[str, pd.DataFrame]:
    """Every table in ``out_dir``, read with the one loader."""
    return {name: schema.read_pandas(name, out_dir) for name in schema.TABLES}


@pytest.fixture
def bad_inputs(make_pdfs: ModuleType) -> Callable[[Path], dict[Path, str]]:
    return functools.partial(write_bad_inputs, make_pdfs=make_pdfs)


@pytest.fixture
def variant() -> Callable[[int], bytes]:
    return text_variant


@pytest.fixture
def tables_in() -> Callable[[Path], dict[str, pd.DataFrame]]:
    return read_tables


@pytest.fixture
def two_runs_counted() -> Callable[[str, Path], list[int]]:
    return counts_of_two_runs
