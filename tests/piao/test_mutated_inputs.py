"""Hostile input, a property test: random byte mutations of the fixtures through the CLI.

Whatever the bytes, ``piao extract`` must: raise nothing (no traceback), exit 0 or 1, leave
the tables written before it readable and whole, and report any text it could not read
(a ``lost_character`` / ``encoding_fallback`` / ``nul_removed`` finding, or the file failed
with its reason). Inputs: the shipped text attachment, and a one-sector PDF rendered by the
committed fixture generator (tests/fixtures/make_pdfs.py) at test time.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import schema
from extract import read_document
from piao import pipeline
from piao.cli import main

ROOT = Path(__file__).resolve().parents[2]
TEXT_SOURCE = ROOT / "data" / "raw" / "portomaggiore_piao_2023-2025_allegato1.txt"
LOSS_RULES = {"lost_character", "encoding_fallback", "nul_removed"}

#: A mutation: (where, as a fraction of the length; a byte; what to do with it).
mutations = st.lists(
    st.tuples(
        st.floats(0, 1, exclude_max=True),
        st.integers(0, 255),
        st.sampled_from(["insert", "replace", "delete"]),
    ),
    min_size=1,
    max_size=6,
)


def mutate(data: bytes, edits: list[tuple[float, int, str]]) -> bytes:
    buffer = bytearray(data)
    for where, byte, how in edits:
        at = int(where * len(buffer))
        if how == "insert":
            buffer.insert(at, byte)
        elif how == "replace":
            buffer[at] = byte
        elif len(buffer) > 1:
            del buffer[at]
    return bytes(buffer)


@pytest.fixture(scope="module")
def earlier(tmp_path_factory) -> Path:
    """An output folder holding the shipped document: the output that must survive."""
    out = tmp_path_factory.mktemp("earlier") / "out"
    assert pipeline.run([TEXT_SOURCE], out).ok
    return out


@pytest.fixture(scope="module")
def small_pdf(tmp_path_factory, make_pdfs) -> bytes:
    """The first sector of the shipped document as a ruled PDF (two pages or so)."""
    document = read_document(TEXT_SOURCE)
    path = tmp_path_factory.mktemp("pdf") / "staff.pdf"
    make_pdfs.write_pdf(dataclasses.replace(document, tables=document.tables[:1]), path, True)
    return path.read_bytes()


def run_mutated(data: bytes, suffix: str, earlier: Path) -> tuple[int, str, Path]:
    """Extract ``data`` into a copy of ``earlier``: exit status, stderr, output folder."""
    work = Path(tempfile.mkdtemp(prefix="piao-mutated-"))
    out = work / "out"
    shutil.copytree(earlier, out)
    source = work / f"mutated{suffix}"
    source.write_bytes(data)
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
        status = main(["extract", str(source), "--out", str(out), "--workers", "1"])
    return status, stderr.getvalue(), out


def check_outcome(status: int, stderr: str, out: Path, earlier_doc_ids: set[str]) -> None:
    assert status in (0, 1), stderr
    assert "Traceback" not in stderr
    if status == 1:  # the file failed: one line naming it and why
        assert len(stderr.strip().splitlines()) == 1
        assert "mutated" in stderr
    tables = {name: schema.read_pandas(name, out) for name in schema.TABLES}
    assert earlier_doc_ids <= set(tables["documents"].doc_id)  # the earlier output is whole
    counts = tables["objectives"].groupby("doc_id").size()
    assert all(counts[doc_id] == 48 for doc_id in earlier_doc_ids)


def lost_text_reported(data: bytes, out: Path, earlier_doc_ids: set[str]) -> bool:
    """When the bytes cannot be read as they are (not UTF-8, NULs), the new document has a
    finding saying so."""
    readable = b"\x00" not in data
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        readable = False
    if readable:
        return True
    quality = schema.read_pandas("quality", out)
    new = quality[~quality.doc_id.isin(earlier_doc_ids)]
    return bool(set(new.rule) & LOSS_RULES)


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(edits=mutations)
def test_mutated_text_attachment(earlier, edits):
    doc_ids = set(schema.read_pandas("documents", earlier).doc_id)
    data = mutate(TEXT_SOURCE.read_bytes(), edits)
    status, stderr, out = run_mutated(data, ".txt", earlier)
    try:
        check_outcome(status, stderr, out, doc_ids)
        if status == 0:
            assert lost_text_reported(data, out, doc_ids)
    finally:
        shutil.rmtree(out.parent)


@settings(
    max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(edits=mutations)
def test_mutated_pdf_attachment(earlier, small_pdf, edits):
    doc_ids = set(schema.read_pandas("documents", earlier).doc_id)
    status, stderr, out = run_mutated(mutate(small_pdf, edits), ".pdf", earlier)
    try:
        check_outcome(status, stderr, out, doc_ids)
    finally:
        shutil.rmtree(out.parent)
