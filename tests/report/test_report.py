"""report/: loading, summary, charts and the HTML page, on the shipped document."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

import report
import schema
from piao import cli


@pytest.fixture(scope="module")
def tables(clean_dir: Path) -> dict[str, pd.DataFrame]:
    loaded = report.load_tables(clean_dir)
    return report.for_document(loaded, report.document_ids(loaded)[0])


def test_load_tables_has_the_schema_columns(clean_dir: Path) -> None:
    tables = report.load_tables(clean_dir)
    assert set(tables) == set(report.REPORT_TABLES)
    for name, frame in tables.items():
        assert list(frame.columns) == schema.TABLES[name].column_names


def test_load_tables_of_an_empty_folder_gives_empty_frames(tmp_path: Path) -> None:
    tables = report.load_tables(tmp_path)
    assert all(frame.empty for frame in tables.values())
    assert report.document_ids(tables) == []


def test_summary_of_the_shipped_document(tables, expected) -> None:
    info = report.summary(tables)
    assert [s.code for s in info.sectors] == list(expected.SECTORS)
    for sector in info.sectors:
        declared, count, _pages = expected.SECTORS[sector.code]
        assert (sector.weight_total, sector.declared_total, sector.objectives) == (
            declared,
            declared,
            count,
        )
        assert sector.totals_agree
    assert (info.objectives, info.items, info.lettered_items) == (48, 136, 122)
    assert (info.dates, info.findings, info.weight_total) == (210, 34, 200)
    assert info.invalid_dates == 2
    assert info.findings_by_severity["error"] == 2


def test_weight_by_sector_mission_adds_up_to_the_sector_totals(tables, expected) -> None:
    pivot = report.weight_by_sector_mission(tables["objectives"])
    assert list(pivot.index) == list(expected.SECTORS)
    assert pivot.sum(axis=1).to_dict() == {code: v[0] for code, v in expected.SECTORS.items()}
    assert pivot.loc["TEC", 9] == 57


def test_deadlines_are_valid_tempi_dates_without_duplicates(tables) -> None:
    due = report.deadlines(tables["dates"])
    assert not due.empty
    assert set(due["field"]) <= {"deadline", "period"}
    assert due["valid"].all()
    key = ["sector_code", "objective_code", "item_code", "item", "date"]
    assert not due.duplicated(key).any()
    assert (due["month"].dt.day == 1).all()
    assert due["date"].min() == pd.Timestamp("2023-01-14")


@pytest.mark.parametrize(
    ("draw", "title"),
    [
        (lambda t: report.weight_chart(t["objectives"]), "Peso per settore e missione"),
        (lambda t: report.deadline_chart(report.deadlines(t["dates"])), "Scadenze per mese"),
        (lambda t: report.quality_chart(t["quality"]), "Rilievi di qualità per regola"),
    ],
)
def test_charts_are_inline_svg_with_italian_text(tables, draw, title: str) -> None:
    svg = draw(tables)
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert title in svg  # text kept as text (svg.fonttype none)
    assert "<?xml" not in svg and "<!DOCTYPE" not in svg
    assert draw(tables) == svg  # deterministic


def test_charts_of_no_data_say_so(tmp_path: Path) -> None:
    empty = report.load_tables(tmp_path)
    for svg in (
        report.weight_chart(empty["objectives"]),
        report.deadline_chart(report.deadlines(empty["dates"])),
        report.quality_chart(empty["quality"]),
    ):
        assert "Nessun dato" in svg


def test_html_is_self_contained_and_shows_the_plan(tables) -> None:
    page = report.render_html(tables)
    assert page.startswith("<!doctype html>") and '<html lang="it">' in page
    assert page.count("<svg") >= 3
    assert "<script src" not in page and "<link" not in page and "@import" not in page
    assert 'src="http' not in page and "href='http" not in page and 'href="http' not in page
    assert page.count('<tr data-settore="') == 4 + 48  # sector rows + objective rows
    assert "48 obiettivi su 48" in page
    for label in ("Il piano in sintesi", "Obiettivi", "Rilievi di qualità", "Cerca"):
        assert label in page
    assert "impossible_date" in page and "p. " in page  # findings with their locations


def test_html_escapes_the_documents_text(tables) -> None:
    tampered = dict(tables)
    objectives = tables["objectives"].copy()
    objectives.loc[0, "title"] = "<script>alert(1)</script> & co"
    tampered["objectives"] = objectives
    page = report.render_html(tampered)
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page


def _two_documents(clean_dir: Path, out: Path) -> None:
    """A tables folder holding the shipped document twice, under two doc_ids."""
    merged = {}
    for name, table in schema.TABLES.items():
        arrow = schema.read_table(table, clean_dir)
        other = arrow.set_column(
            arrow.schema.get_field_index("doc_id"),
            table.schema.field("doc_id"),
            pa.array(["ffffffffffffffff"] * len(arrow), pa.string()),
        )
        merged[name] = pa.concat_tables([arrow, other])
    schema.write_tables_atomically(merged, out)


def test_cli_report_writes_one_page(clean_dir: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "pages" / "piano.html"
    assert cli.main(["report", "--data", str(clean_dir), "--out", str(out)]) == 0
    assert "48 obiettivi su 48" in out.read_text(encoding="utf-8")
    assert str(out) in capsys.readouterr().out


def test_cli_report_default_output_is_beside_the_tables(clean_dir: Path, tmp_path: Path) -> None:
    data = tmp_path / "clean"
    shutil.copytree(clean_dir, data)
    assert cli.main(["report", "--data", str(data)]) == 0
    assert (data / "report.html").exists()


def test_cli_report_writes_one_page_per_document(clean_dir: Path, tmp_path: Path) -> None:
    data = tmp_path / "two"
    _two_documents(clean_dir, data)
    out = tmp_path / "r.html"
    assert cli.main(["report", "--data", str(data), "--out", str(out)]) == 0
    pages = sorted(p.name for p in tmp_path.glob("r-*.html"))
    assert len(pages) == 2 and "r-ffffffffffffffff.html" in pages
    assert not out.exists()
    for page in tmp_path.glob("r-*.html"):
        assert "48 obiettivi su 48" in page.read_text(encoding="utf-8")
    assert (
        cli.main(["report", "--data", str(data), "--out", str(out), "--doc", "ffffffffffffffff"])
        == 0
    )
    assert out.exists()


def test_cli_report_fails_without_tables_or_with_an_unknown_doc(
    clean_dir: Path, tmp_path: Path, capsys
) -> None:
    assert cli.main(["report", "--data", str(tmp_path / "none")]) == 1
    assert "run `piao extract` first" in capsys.readouterr().err
    assert (
        cli.main(
            ["report", "--data", str(clean_dir), "--doc", "nope", "--out", str(tmp_path / "x.html")]
        )
        == 1
    )
    assert "no document nope" in capsys.readouterr().err


def test_html_folds_sectors_prints_and_speaks_italian(tables) -> None:
    page = report.render_html(tables)
    assert page.index('id="sintesi"') < page.index('id="settori"') < page.index('id="grafici"')
    assert page.count('<details class="settore"') == 4
    assert "SAP — SERVIZI ALLE PERSONE DEL COMUNE: 16 obiettivi, peso 66" in page
    assert "@media print" in page and "beforeprint" in page
    assert 'id="filtro-settore"' in page and 'id="filtro-scadenza"' in page
    assert '<option value="2023-T4">4° trimestre 2023</option>' in page
    # findings: Italian message shown, the English one kept as a tooltip
    assert "Sotto-voce 1.1.1 e): manca in valore indicatore" in page
    assert "title='1.1.1 e) missing from target'" in page
    assert "riga 5 della tabella" in page or "della tabella" in page
    assert "missing from target</td>" not in page


def test_item_shows_its_baseline_with_year_and_its_source():
    from report.html import _items_html

    items = pd.DataFrame(
        [
            {
                "item_code": "1.1.1",
                "item": None,
                "indicator": "Servizi attivi",
                "baseline": "12",
                "baseline_year": 2024,
                "target": "15",
                "deadline": None,
                "source": "Portale",
                "aligned": True,
            }
        ]
    )
    html = _items_html(items)
    assert "<b>Baseline 2024:</b> 12 · <b>Valore:</b> 15 · <b>Fonte:</b> Portale" in html
