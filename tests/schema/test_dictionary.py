"""docs/data-dictionary.md is generated from schema/ and documents every column."""

from __future__ import annotations

from pathlib import Path

import pytest

import schema

ROOT = Path(__file__).resolve().parents[2]
DICTIONARY = ROOT / "docs" / "data-dictionary.md"


def test_committed_dictionary_is_up_to_date() -> None:
    assert DICTIONARY.read_text(encoding="utf-8") == schema.data_dictionary_markdown(), (
        "docs/data-dictionary.md is stale: run `make dictionary`"
    )


@pytest.mark.parametrize("table", schema.TABLES.values(), ids=lambda t: t.name)
def test_every_table_and_column_is_described(table: schema.Table) -> None:
    assert table.description.strip()
    for column in table.columns:
        assert column.description.strip(), f"{table.name}.{column.name} has no description"
        assert f"| `{column.name}` |" in schema.dictionary.table_markdown(table)


def test_readme_links_the_dictionary() -> None:
    assert "(docs/data-dictionary.md)" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_table_of_a_documents_rows_stands_alone() -> None:
    from schema.tables import STANDALONE_TABLES, TABLES, stands_alone

    present = [name for name in STANDALONE_TABLES if name in TABLES]
    assert present[:4] == ["objectives", "items", "dates", "quality"]
    assert all(stands_alone(TABLES[name]) for name in present)
    assert not stands_alone(TABLES["documents"]) and not stands_alone(TABLES["cells"])
    for name in present:
        assert TABLES[name].column_names[-2:] == ["ente", "plan_year"], name
