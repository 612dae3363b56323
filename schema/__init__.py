"""Schema stage: the Parquet tables (names, columns, types, docs) and their storage.

Imports nothing from the other stages.
"""

from schema.dictionary import data_dictionary_markdown
from schema.io import (
    read_table,
    remove_stale_temps,
    replace_documents,
    to_arrow,
    write_tables_atomically,
)
from schema.tables import DERIVED_TABLES, DIFF_TABLES, TABLES, Column, Table

__all__ = [
    "DERIVED_TABLES",
    "DIFF_TABLES",
    "TABLES",
    "Column",
    "Table",
    "data_dictionary_markdown",
    "read_table",
    "remove_stale_temps",
    "replace_documents",
    "to_arrow",
    "write_tables_atomically",
]
