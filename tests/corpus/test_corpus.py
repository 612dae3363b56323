"""End to end over the layout-variation corpus: every layout, rendering and engine.

Each case reads one corpus document with ``piao.pipeline.process_document`` and checks the
corpus thresholds against its ``expected.json``: every expected objective and no extra one,
>= 98 % of fields, >= 97 % of items, of deadlines, of baselines (baseline, its year and
source) and of targets (the ``targets`` table: per year where printed by year).

Cases that miss them today are listed in ``known_gaps.json`` and marked ``xfail(strict=True)``:
a listed case that starts passing fails until its entry is removed, so the list can only
shrink. Rewrite it from the real state with ``tests/corpus/score_corpus.py --write-gaps``.
"""

from __future__ import annotations

import dataclasses
import functools
from pathlib import Path

import pytest
import score

HERE = Path(__file__).resolve().parent


CASES = score.cases()
GAPS = score.load_gaps()
SHIPPED = HERE.parents[1] / "data" / "raw" / "portomaggiore_piao_2023-2025_allegato1.txt"


@functools.cache
def scored(case):
    """Each case read and scored once for every test here (the corpus takes a while)."""
    return score.read_and_score(case)


def case_params() -> list:
    """One pytest param per case, strict-xfail when known_gaps.json lists it."""
    params = []
    for case in CASES:
        marks = []
        if case.id in GAPS:
            marks.append(pytest.mark.xfail(strict=True, reason=f"known gap: {GAPS[case.id]}"))
        params.append(pytest.param(case, id=case.id, marks=marks))
    return params


def test_corpus_renders_every_invented_plan_four_ways():
    """Ten or more invented administrations, each as text and as PDFs of three producers."""
    plans = {path.parent.name for path in score.CORPUS.glob("*/structure.json")}
    assert len(plans) >= 10
    for plan in plans:
        renderings = {case.rendering for case in CASES if case.layout == plan}
        assert renderings >= {"text", "reportlab", "writer", "calc"}, plan


def test_corpus_files_stay_small():
    """The corpus stays a small part of a clone: 6 MiB for some 30 administrations in four
    genres and two whole PIAO documents, no PDF over 160 KiB."""
    files = [path for path in score.CORPUS.rglob("*") if path.is_file()]
    assert sum(path.stat().st_size for path in files) <= 6 * 1024 * 1024
    assert all(path.stat().st_size <= 160 * 1024 for path in files if path.suffix == ".pdf")


def test_known_gaps_name_existing_cases():
    assert set(GAPS) <= {case.id for case in CASES}


@pytest.mark.parametrize("case", case_params())
def test_layout_is_read_within_the_corpus_thresholds(case):
    result = scored(case)
    detail = "\n".join(result.misses[:15])
    assert result.objectives.value == 1.0, f"objectives {result.objectives}\n{detail}"
    assert result.extra == 0, f"{result.extra} extra objectives\n{detail}"
    assert result.fields.value >= score.THRESHOLDS["fields"], f"fields {result.fields}\n{detail}"
    assert result.items.value >= score.THRESHOLDS["items"], f"items {result.items}\n{detail}"
    assert result.deadlines.value >= score.THRESHOLDS["deadlines"], (
        f"deadlines {result.deadlines}\n{detail}"
    )
    assert result.baselines.value >= score.THRESHOLDS["baselines"], (
        f"baselines {result.baselines}\n{detail}"
    )
    assert result.targets.value >= score.THRESHOLDS["targets"], (
        f"targets {result.targets}\n{detail}"
    )


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_case_is_never_wrong_in_silence(case):
    """Zero silent errors: a case read within the thresholds is ok, one that misses them is
    doubtful (documents.status)."""
    result = scored(case)
    expected = "ok" if result.passes else "doubtful"
    assert result.status == expected, f"{result.line()}\n" + "\n".join(result.reasons)


def test_shipped_document_is_ok():
    from piao.pipeline import process_document

    document = process_document(SHIPPED)
    row = document.records["documents"][0]
    assert (row["status"], row["status_reasons"]) == ("ok", [])
    assert row["text_coverage"] >= 0.99


# the proof: one column of one case deliberately misread -------------------------------------

PROOF_CASES = {case.id: case for case in CASES if case.layout == "altopiano"}


def header_swapped(raw, first: int, second: int):
    """``raw`` with the texts of two header cells swapped in every header row (the row that
    prints 'Indicatore'): the two columns are then read each as the other."""

    def swapped(row):
        if not any("Indicatore" in text for text in row.texts):
            return row
        cells = list(row.cells)
        cells[first], cells[second] = (
            dataclasses.replace(cells[first], text=row.cells[second].text),
            dataclasses.replace(cells[second], text=row.cells[first].text),
        )
        return dataclasses.replace(row, cells=tuple(cells))

    tables = [
        dataclasses.replace(table, rows=tuple(swapped(row) for row in table.rows))
        for table in raw.tables
    ]
    return dataclasses.replace(raw, tables=tuple(tables))


@pytest.mark.parametrize(
    ("case_id", "first", "second", "cause"),
    [
        ("altopiano/text/text", 5, 8, "column_contradicts_mapping: 3 of 3 cells read as weight"),
        ("altopiano/text/text", 3, 4, "column_contradicts_mapping: the indicator column prints"),
        ("altopiano/text/text", 3, 5, "column_contradicts_mapping: 3 of 3 cells read as deadline"),
        ("altopiano/text/text", 2, 3, "rows_without_code: 3 row(s) with data but no objective"),
        ("altopiano/reportlab/pdfium", 4, 5, "column_contradicts_mapping: 3 of 3 cells read as"),
    ],
    ids=[
        "tempi-peso",
        "indicatore-valore",
        "indicatore-tempi",
        "obiettivo-indicatore",
        "pdf-valore-tempi",
    ],
)
def test_a_misread_column_turns_the_document_doubtful(monkeypatch, case_id, first, second, cause):
    """The proof: the case's header corrupted so that two columns are read each as the
    other; the scores fall below the thresholds and the document says so, pointing at the
    cause, while the case read as printed is ok."""
    import extract

    case = PROOF_CASES[case_id]
    assert scored(case).status == "ok"  # read as printed (before the header is corrupted)
    read_document = extract.read_document
    monkeypatch.setattr(
        extract,
        "read_document",
        lambda *args, **kwargs: header_swapped(read_document(*args, **kwargs), first, second),
    )
    misread = score.read_and_score(case)
    assert not misread.passes
    assert misread.status == "doubtful"
    assert any(reason.startswith(cause) for reason in misread.reasons), misread.reasons
