"""Storage: how the tables defined in :mod:`schema` are kept on disk.

One folder per table, one sub-folder per group of documents, Parquet files that plain
readers (pandas, DuckDB, polars) read as they are. This package holds the commit rule and
the loader (:mod:`storage.store`), the commit journal and crash recovery
(:mod:`storage.journal`) and the integrity checks (:mod:`storage.check`); ``schema`` keeps
the table definitions. docs/storage.md says why the store is its own rather than Delta Lake.
"""

from storage.index_file import read as read_index_file
from storage.journal import recover
from storage.store import (
    CorruptTableError,
    DocumentStream,
    commit_staged,
    committed_documents,
    compact,
    duckdb_source,
    group_files,
    group_index,
    group_of,
    matching_rows,
    migrate_legacy,
    move_aside,
    read_file,
    read_pandas,
    read_table,
    remove_stale_temps,
    replace_documents,
    stage_table,
    stored_doc_ids,
    table_files,
    to_arrow,
    unique_keys,
    validate_tables,
    without_row_numbers,
    without_rows,
    write_tables_atomically,
)

__all__ = [
    "CorruptTableError",
    "DocumentStream",
    "commit_staged",
    "committed_documents",
    "compact",
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
    "recover",
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
]
