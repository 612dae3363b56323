"""report.status: a doubtful reading marked on the index and on the document's page."""

from __future__ import annotations

import pandas as pd

import report
from report.site import edition_pages, index_page
from report.status import document_status, status_mark, status_section


def doubtful(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The shipped document's tables, its documents row made doubtful."""
    documents = tables["documents"].copy()
    documents["status"] = "doubtful"
    documents["status_reasons_it"] = [["unmapped_data: 3 celle con dati in colonne [5]"]]
    return {**tables, "documents": documents}


def one_document(clean_dir):
    loaded = report.load_tables(clean_dir)
    return report.for_document(loaded, report.document_ids(loaded)[0])


def test_the_shipped_document_is_ok_and_unmarked(clean_dir) -> None:
    tables = one_document(clean_dir)
    assert document_status(tables) == ("ok", [])
    assert status_mark(tables) == "" and status_section(tables) == ""
    assert "Lettura dubbia" not in report.render_html(tables)


def test_tables_without_a_status_are_unmarked() -> None:
    tables = {"documents": pd.DataFrame({"doc_id": ["a"]})}
    assert document_status(tables) == (None, [])
    assert status_mark(tables) == ""


def test_a_doubtful_page_says_why_and_what_to_run(clean_dir) -> None:
    tables = doubtful(one_document(clean_dir))
    page = report.render_html(tables)
    assert '<section id="stato" class="dubbio">' in page
    assert "<li>unmapped_data: 3 celle con dati in colonne [5]</li>" in page
    source = tables["documents"].iloc[0]["source_path"]
    assert f"<code>piao inspect {source}</code>" in page


def test_the_index_marks_a_doubtful_document(clean_dir) -> None:
    tables = doubtful(report.load_tables(clean_dir))
    editions = pd.DataFrame(
        {
            "doc_id": tables["documents"]["doc_id"],
            "ente": ["Comune di Portomaggiore"],
            "series": ["comune-di-portomaggiore/allegato1"],
            "attachment": ["allegato1"],
            "edition": [2023],
            "edition_seq": [1],
            "source_name": tables["documents"]["source_name"],
        }
    )
    page = index_page(edition_pages(editions), tables, "oggi")
    assert "⚠ lettura dubbia" in page
