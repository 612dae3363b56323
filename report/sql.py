"""DuckDB over the Parquet folder: one view per table of :data:`schema.TABLES` (and
``lineage`` once written)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import duckdb

import schema
from schema.tables import HISTORY_INDEX

DATABASE_NAME = "piao.duckdb"


def view_statements(data_dir: str | Path, *, absolute: bool = True) -> list[str]:
    """``CREATE OR REPLACE VIEW`` statements, one per table file present in ``data_dir``.

    Paths are absolute by default, so the views work whatever the current folder is.
    """
    directory = Path(data_dir)
    statements = []
    for name in schema.TABLES:
        source = schema.duckdb_source(name, directory, absolute=absolute)
        if source is None:
            continue
        statements.append(f'CREATE OR REPLACE VIEW "{name}" AS {source};')
    return statements


def derived_view_statements(data_dir: str | Path) -> list[str]:
    """``CREATE OR REPLACE VIEW`` statements for the tables computed across documents
    (``lineage``, ``changes``), when present: a folder of group files (a glob), or the
    single file an earlier version wrote."""
    statements = []
    written = (Path(data_dir) / HISTORY_INDEX).is_file()  # a table without rows has no file
    for name, table in schema.DERIVED_TABLES.items():
        folder = Path(data_dir) / table.folder_name
        path = Path(data_dir) / table.file_name
        if any(folder.glob("*/part-*.parquet")):
            path = folder.resolve() / "*" / "part-*.parquet"
        elif not path.is_file():
            if written:
                statements.append(f'CREATE OR REPLACE VIEW "{name}" AS {empty_select(table)};')
            continue
        text = path.resolve().as_posix().replace("'", "''")
        statements.append(
            f"CREATE OR REPLACE VIEW \"{name}\" AS SELECT * FROM read_parquet('{text}');"
        )
    return statements


#: DuckDB's names of the Arrow types of the derived tables' columns.
DUCKDB_TYPES = {
    "string": "VARCHAR",
    "int32": "INTEGER",
    "int64": "BIGINT",
    "double": "DOUBLE",
    "bool": "BOOLEAN",
    "date32[day]": "DATE",
}


def empty_select(table: schema.Table) -> str:
    """A ``SELECT`` of no rows with the table's columns and types: the view of a history
    table written without rows (no series with two editions: ``changes`` has no file)."""
    columns = ", ".join(
        f'CAST(NULL AS {DUCKDB_TYPES[str(field.type)]}) AS "{field.name}"' for field in table.schema
    )
    return f"SELECT {columns} WHERE false"


def connect(data_dir: str | Path, database: str | Path = ":memory:") -> duckdb.DuckDBPyConnection:
    """A DuckDB connection (in memory by default) with the views over ``data_dir``."""
    connection = duckdb.connect(str(database))
    for statement in view_statements(data_dir) + derived_view_statements(data_dir):
        connection.execute(statement)
    return connection


def create_database(data_dir: str | Path, database: str | Path | None = None) -> Path:
    """Write a DuckDB database file (default ``<data_dir>/piao.duckdb``) holding only the
    views, so that ``duckdb data/clean/piao.duckdb -c "select ... from objectives"`` works.

    The file is built aside and renamed into place: a reader never sees half a database.
    Raises FileNotFoundError when ``data_dir`` holds no table.
    """
    directory = Path(data_dir)
    if not view_statements(directory):
        raise FileNotFoundError(
            2, "no Parquet tables here (run `piao extract` first)", str(directory)
        )
    target = Path(database) if database is not None else directory / DATABASE_NAME
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(handle)
    temp = Path(temp_name)
    temp.unlink()  # DuckDB wants to create the file itself
    try:
        connect(directory, temp).close()
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)
        Path(f"{temp}.wal").unlink(missing_ok=True)
    return target
