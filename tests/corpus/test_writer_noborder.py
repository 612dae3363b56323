"""The shipped attachment by Writer with no border and justified body cells
(``make_writer_noborder.py``): its generator, and how piao reads it with and without the
column boundaries of a layout hints file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import make_writer_noborder
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from extract.pdf_columns import recording_layouts
from normalize.hints import with_layout
from piao.pipeline import process_document

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"
FOLDER = CORPUS / "portomaggiore"
PDF = FOLDER / "portomaggiore.writer-noborder.pdf"
#: Boundaries read off ``piao inspect PDF --png DIR`` (given with ``--layout``).
BOUNDARIES = FOLDER / "writer-noborder.boundaries.toml"
EXPECTED = json.loads((FOLDER / "expected.json").read_text(encoding="utf-8"))
EXPECTED_KEYS = {(o["sector_code"], o["objective_code"]) for o in EXPECTED["objectives"]}


def objective_keys(document) -> set[tuple[str, str]]:
    return {(o["sector_code"], o["objective_code"]) for o in document.records["objectives"]}


def test_committed_docx_is_regenerated_byte_for_byte(tmp_path):
    """Rerun make_writer_noborder.py after a change of the shipped rendering: the committed
    .docx (and its PDF) must follow."""
    path = tmp_path / "noborder.docx"
    make_writer_noborder.render_portomaggiore_docx(path)
    make_writer_noborder.borderless_justified(path)
    assert path.read_bytes() == make_writer_noborder.TARGET.read_bytes()


def test_docx_has_no_border_and_justified_body_cells_only():
    document = Document(str(make_writer_noborder.TARGET))
    assert len(document.tables) == 4
    for table in document.tables:
        edges = table._tbl.tblPr.find(qn("w:tblBorders"))
        assert {edge.get(qn("w:val")) for edge in edges} == {"nil"}
        margins = table._tbl.tblPr.find(qn("w:tblCellMar"))
        assert [m.get(qn("w:w")) for m in margins] == ["57", "57"]
        header = [make_writer_noborder.is_header_row(row) for row in table.rows]
        assert header[:3] == [True, True, True] and not any(header[3:])
        body = table.rows[3].cells[3].paragraphs[0]
        assert body.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
        assert table.rows[2].cells[3].paragraphs[0].alignment is None


def test_justified_cells_are_read_without_hints(tmp_path):
    """Justified text's stretched word spaces are not taken for gutters: every objective,
    no extra one, status ok (the corpus scores the fields)."""
    alone = tmp_path / PDF.name
    shutil.copyfile(PDF, alone)
    document = process_document(alone, engine="pdfium")
    row = document.records["documents"][0]
    assert objective_keys(document) == EXPECTED_KEYS
    assert len(document.records["items"]) == 136
    assert (row["status"], row["status_reasons"]) == ("ok", [])


def test_with_the_boundaries_of_a_hints_file_they_are_the_columns_read(tmp_path):
    """The boundaries given are the columns of every borderless table read, and every
    objective is read with them."""
    settings = with_layout(None, BOUNDARIES)
    given = settings.column_boundaries[0].xs
    assert len(given) == 10  # 11 columns
    with recording_layouts() as grids:
        document = process_document(PDF, engine="pdfium", settings=settings)
    assert len(grids) == 26  # every page but the title page
    assert {columns[1:-1] for page in grids.values() for columns, _, _ in page} == {given}
    row = document.records["documents"][0]
    assert objective_keys(document) == EXPECTED_KEYS
    assert len(document.records["items"]) == 136
    assert (row["status"], row["status_reasons"]) == ("ok", [])


def test_wrong_boundaries_misread_the_table_and_say_so(tmp_path):
    """Boundaries that cut the Indicatore column in two: the reading follows them, and the
    document comes out doubtful rather than ok."""
    hints = tmp_path / "wrong.toml"
    hints.write_text(
        "[boundaries]\nall = [105, 177, 245, 364, 420, 465, 547, 599, 657, 714, 754]\n",
        encoding="utf-8",
    )
    document = process_document(PDF, engine="pdfium", settings=with_layout(None, hints))
    row = document.records["documents"][0]
    assert row["status"] == "doubtful"
    assert row["status_reasons"]
