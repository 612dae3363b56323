"""The data dictionary, generated from the schemas so that it can never drift from them."""

from __future__ import annotations

from schema.tables import DERIVED_TABLES, DIFF_TABLES, TABLES, Table


def _type_name(table: Table, name: str) -> str:
    return str(table.schema.field(name).type)


def location(table: Table) -> str:
    """Where the table is stored: a folder of group files (extraction) or one file (diff)."""
    if table.name in TABLES:
        return f"Folder: `{table.folder_name}/` (one `part-0.parquet` per group of documents)"
    if table.name in DERIVED_TABLES and table.name not in DIFF_TABLES:
        return f"Folder: `{table.folder_name}/` (one `part-00000000.parquet` per group of series)"
    return f"File: `{table.file_name}`"


def table_markdown(table: Table) -> str:
    lines = [
        f"## `{table.name}`",
        "",
        table.description,
        "",
        f"{location(table)} · key: ({', '.join(table.key)})",
        "",
        "| column | type | meaning | Italian heading |",
        "| --- | --- | --- | --- |",
    ]
    for column in table.columns:
        heading = column.heading_it.replace("|", "/") or "—"
        meaning = column.description.replace("|", "/")
        required = "" if column.nullable else " (never null)"
        lines.append(
            f"| `{column.name}` | {_type_name(table, column.name)}{required} | {meaning} "
            f"| {heading} |"
        )
    return "\n".join(lines)


def data_dictionary_markdown() -> str:
    """The whole data dictionary as Markdown (docs/data-dictionary.md is this, committed)."""
    header = (
        "# Data dictionary\n\n"
        "Generated from `schema/tables.py` by `piao dictionary`; do not edit by hand.\n"
        "Every table holds the rows of many documents, told apart by `doc_id`.\n"
    )
    extracted = "\n\n".join(table_markdown(t) for t in TABLES.values())
    compared = "\n\n".join(table_markdown(t) for t in DIFF_TABLES.values())
    diff_header = "# Comparing two editions\n\nWritten by `piao diff OLD NEW`, not by extraction.\n"
    derived = "\n\n".join(
        table_markdown(t) for name, t in DERIVED_TABLES.items() if name not in DIFF_TABLES
    )
    derived_header = (
        "# Across editions\n\nKept current in the tables folder by `piao extract` (and "
        "`piao lineage`): `lineage` below, and `changes` (as above) for every pair of "
        "consecutive editions of every series, each a folder (`lineage/`, `changes/`) "
        "with one `part-00000000.parquet` per group of series.\n"
    )
    return (
        header
        + "\n"
        + extracted
        + "\n\n"
        + diff_header
        + "\n"
        + compared
        + "\n\n"
        + derived_header
        + "\n"
        + derived
        + "\n"
    )
