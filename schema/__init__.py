"""Schema stage: the Parquet tables (names, columns, types, docs) and their storage.

Imports nothing from the other stages.
"""

from schema.dictionary import data_dictionary_markdown
from schema.io import (
    CorruptTableError,
    DocumentStream,
    duckdb_source,
    migrate_legacy,
    move_aside,
    read_pandas,
    read_table,
    remove_stale_temps,
    replace_documents,
    stored_doc_ids,
    to_arrow,
    unique_keys,
    validate_tables,
    write_tables_atomically,
)
from schema.tables import DERIVED_TABLES, DIFF_TABLES, TABLES, Column, Table

__all__ = [
    "DERIVED_TABLES",
    "DIFF_TABLES",
    "TABLES",
    "Column",
    "CorruptTableError",
    "DocumentStream",
    "Table",
    "data_dictionary_markdown",
    "duckdb_source",
    "migrate_legacy",
    "move_aside",
    "read_pandas",
    "read_table",
    "remove_stale_temps",
    "replace_documents",
    "stored_doc_ids",
    "to_arrow",
    "unique_keys",
    "validate_tables",
    "write_tables_atomically",
]
