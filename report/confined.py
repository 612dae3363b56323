"""``piao sql`` confined: queries read the tables and nothing else.

A query typed by the analyst (or pasted from somewhere) runs in DuckDB, which can read any
file (``read_text('/etc/hostname')``), write files (``COPY ... TO``), attach databases and
install extensions from the network. By default ``piao sql`` therefore:

* runs only queries: statements of the types in :data:`QUERY_STATEMENTS` (``SELECT``, with
  ``FROM``-first, ``DESCRIBE``, ``SHOW``, ``SUMMARIZE``, and ``EXPLAIN``); ``COPY``,
  ``ATTACH``, ``INSTALL``, ``LOAD``, ``SET``, ``CREATE`` and the others are refused before
  anything runs (a ``COPY`` into the tables folder would add rows to the tables);
* lets DuckDB open files only under the tables folder (``allowed_directories`` then
  ``enable_external_access = false``, which also stops extension installs and loads), with
  the configuration locked.

``piao sql --unsafe`` lifts both, for the analyst who means it.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

#: The statement types a confined query may hold (DuckDB's ``StatementType`` names).
QUERY_STATEMENTS = frozenset({"SELECT", "EXPLAIN"})


class RefusedQuery(ValueError):
    """A query holding statements other than queries, refused before it runs."""


def statement_types(query: str) -> list[str]:
    """The type of each statement in ``query`` (``SELECT``, ``COPY``, ...), in order."""
    return [
        str(statement.type).rsplit(".", 1)[-1] for statement in duckdb.extract_statements(query)
    ]


def check_query(query: str) -> None:
    """Raise :class:`RefusedQuery` (one line) when ``query`` holds a statement that is not a
    query (see the module doc)."""
    refused = [kind for kind in statement_types(query) if kind not in QUERY_STATEMENTS]
    if refused:
        kinds = ", ".join(dict.fromkeys(refused))
        raise RefusedQuery(
            f"only queries run here (SELECT, DESCRIBE, SUMMARIZE, EXPLAIN); {kinds} refused "
            "(piao sql --unsafe runs any SQL; piao export writes CSV or Excel files)"
        )


def confine(connection: duckdb.DuckDBPyConnection, data_dir: str | Path) -> None:
    """Limit ``connection`` to reading files under ``data_dir``: no other file, no network,
    no extension install or load, and no setting can be changed back."""
    folder = Path(data_dir).resolve().as_posix().replace("'", "''")
    connection.execute(f"SET allowed_directories = ['{folder}/']")
    connection.execute("SET autoinstall_known_extensions = false")
    connection.execute("SET allow_community_extensions = false")
    connection.execute("SET enable_external_access = false")
    connection.execute("SET lock_configuration = true")


def one_line(error: BaseException) -> str:
    """A DuckDB error as one line: its first line (the rest quotes the internal SQL of the
    views and points at it with carets)."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__
