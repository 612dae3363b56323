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
