"""The corpus generator's committed output matches its structures, and the structures add up."""

from __future__ import annotations

import make_corpus
import pytest
from committed import CORPUS, as_written, committed_text_and_tables

PLANS = make_corpus.PLANS


@pytest.mark.parametrize("plan", PLANS, ids=lambda plan: plan.slug)
def test_committed_text_and_expected_tables_are_regenerated(plan):
    """Edit structures.py, then rerun make_corpus.py: the committed files must follow."""
    text, tables = committed_text_and_tables(plan.slug)
    assert text == make_corpus.render_text(plan)
    assert tables == as_written(make_corpus.expected_plan(plan))


@pytest.mark.parametrize("plan", PLANS, ids=lambda plan: plan.slug)
def test_printed_weights_add_up_per_sector(plan):
    for sector in plan.sectors:
        if plan.layout.weights == "points":
            assert sum(o.weight for o in sector.objectives) == 100, sector.name
        if any(name == "pct" for name, _ in plan.layout.columns):
            total = sum(make_corpus.percent(o.pct) for o in sector.objectives)
            assert total == pytest.approx(100, abs=0.001), sector.name


def test_every_plan_has_its_own_slug_and_ente():
    assert len({plan.slug for plan in PLANS}) == len({plan.ente for plan in PLANS}) == len(PLANS)
    assert len(PLANS) >= 11


def test_cut_row_keeps_the_row_text_across_the_break():
    layout = make_corpus.Layout(columns=(), cut_words=2)
    row = make_corpus.Row([["Ob. 3 GESTIONE DEL PERSONALE. Piano"], ["a", "b", "c"]], "objective")
    first, rest = make_corpus.cut_row(layout, row)
    assert first.cells == [["Ob. 3"], ["a", "b"]]
    assert rest.cells == [["GESTIONE DEL PERSONALE. Piano"], ["c"]]


def test_spreadsheet_rows_wrap_long_words_on_lines_of_their_own():
    """A spreadsheet puts a word longer than the room left on a line of its own: "Peso
    ponderato" in a 7-character column takes 3 lines (Peso / pondera / to), and a row sized
    for 2 would let the word's tail overflow into the next row."""
    assert make_corpus.wrapped_line_count("Peso ponderato", 7) == 3
    assert make_corpus.wrapped_line_count("abc def", 7) == 1
    assert make_corpus.wrapped_line_count("", 7) == 1


def test_total_label_skips_a_weight_column_printed_first():
    plan = next(plan for plan in PLANS if plan.slug == "castelnuovo")
    total = make_corpus.sector_rows(plan.layout, plan.sectors[0], 0)[-1]
    assert total.kind == "total"
    assert total.cells[:2] == [["18"], ["TOTALE PESI"]]


def test_group_spans_only_the_columns_it_is_over():
    plan = next(plan for plan in PLANS if plan.slug == "rocca_serena")
    _banner, top, bottom = make_corpus.header_rows(plan.layout)
    assert top.spans == [(3, 4)] and top.cells[3] == ["MISURAZIONE"]
    assert bottom.cells[3:6] == [["Indicatore"], ["Valore target 2025"], []]
    assert 5 in top.vspans  # "Entro il" merged over both header rows


def test_dashes_list_a_cells_items_on_one_line():
    plan = next(plan for plan in PLANS if plan.slug == "serralunga")
    objective = plan.sectors[0].objectives[1]
    assert make_corpus.cell_lines(plan.layout, "indicator", objective, True) == [
        "Servizi on-line attivati - Pratiche presentate on-line"
    ]


def test_calc_prints_the_page_footer_on_every_page():
    """The footer is the sheet's page style (Calc prints it at the foot of each page), with
    Calc's page-number field; the PDF shows it on every page."""
    from openpyxl import load_workbook

    sheets = load_workbook(CORPUS / "valle_orba" / "valle_orba.calc.xlsx").worksheets
    assert {sheet.oddFooter.center.text for sheet in sheets} == {
        "Unione Montana Valle dell'Orba – PIAO 2025-2027 – pag. &P"
    }
    import pdfplumber

    with pdfplumber.open(CORPUS / "valle_orba" / "valle_orba.calc.pdf") as pdf:
        last_lines = [page.extract_text().splitlines()[-1] for page in pdf.pages]
    assert last_lines == [
        f"Unione Montana Valle dell'Orba – PIAO 2025-2027 – pag. {n}" for n in (1, 2, 3)
    ]
