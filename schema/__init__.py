"""Schema stage: the Parquet tables (names, columns, types, docs).

Imports nothing from the other stages. The store that keeps the tables on disk is the
``storage`` package; its public names (``read_table``, ``replace_documents`` ...) are also
reachable from here, looked up on first use, so that code written when the store lived in
``schema`` goes on working without ``import schema`` importing the store.
"""

from __future__ import annotations

import importlib

from schema.dictionary import data_dictionary_markdown
from schema.tables import DERIVED_TABLES, DIFF_TABLES, TABLES, Column, Table

#: Names of :mod:`storage` reachable as ``schema.<name>`` (and ``schema.io``).
STORAGE_NAMES = frozenset(
    {
        "CorruptTableError",
        "DocumentStream",
        "commit_staged",
        "committed_documents",
        "duckdb_source",
        "group_files",
        "group_index",
        "group_of",
        "matching_rows",
        "migrate_legacy",
        "move_aside",
        "read_file",
        "read_index_file",
        "read_pandas",
        "read_table",
        "remove_stale_temps",
        "replace_documents",
        "stage_table",
        "stored_doc_ids",
        "table_files",
        "to_arrow",
        "unique_keys",
        "validate_tables",
        "without_row_numbers",
        "without_rows",
        "write_tables_atomically",
    }
)


def __getattr__(name: str) -> object:
    """A name of the store (:data:`STORAGE_NAMES`), or the ``io`` module, on first use."""
    if name == "io":
        return importlib.import_module("schema.io")
    if name in STORAGE_NAMES:
        return getattr(importlib.import_module("storage"), name)
    raise AttributeError(f"module 'schema' has no attribute {name!r}")


__all__ = [
    "DERIVED_TABLES",
    "DIFF_TABLES",
    "TABLES",
    "Column",
    "Table",
    "data_dictionary_markdown",
    *sorted(STORAGE_NAMES),
]
