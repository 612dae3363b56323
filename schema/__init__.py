"""Schema stage: the Parquet tables (names, columns, types, docs) and their storage.

Imports nothing from the other stages.
"""

from schema.dictionary import data_dictionary_markdown
from schema.io import read_table, replace_documents, to_arrow, write_tables_atomically
from schema.tables import TABLES, Column, Table

__all__ = [
    "TABLES",
    "Column",
    "Table",
    "data_dictionary_markdown",
    "read_table",
    "replace_documents",
    "to_arrow",
    "write_tables_atomically",
]
