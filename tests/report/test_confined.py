"""``piao sql`` confined by default: only queries, reading only the tables folder; ``--unsafe``
lifts it; every error in one line (report.confined, piao/commands/sql.py)."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import duckdb
import pytest

import report
from piao import cli
from report.confined import RefusedQuery, check_query, confine, one_line, statement_types


def sql(data: Path, *args: str) -> int:
    return cli.main(["sql", "--data", str(data), *args])


def test_copy_is_refused_by_default_and_writes_nothing(
    clean_dir: Path, tmp_path: Path, monkeypatch, capsys
) -> None:
    monkeypatch.chdir(tmp_path)
    assert sql(clean_dir, "copy objectives to 'x.csv'") == 1
    assert capsys.readouterr().err == (
        "piao: sql: only queries run here (SELECT, DESCRIBE, SUMMARIZE, EXPLAIN); COPY refused "
        "(piao sql --unsafe runs any SQL; piao export writes CSV or Excel files)\n"
    )
    assert not (tmp_path / "x.csv").exists()


def test_unsafe_runs_the_copy(clean_dir: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    assert sql(clean_dir, "--unsafe", "copy objectives to 'x.csv'") == 0
    with (tmp_path / "x.csv").open(encoding="utf-8", newline="") as handle:
        assert len(list(csv.reader(handle))) == 1 + 48


@pytest.mark.parametrize(
    ("query", "kinds"),
    [
        ("attach 'other.duckdb'", "ATTACH"),
        ("install httpfs", "LOAD"),
        ("load httpfs", "LOAD"),
        ("set enable_external_access = true", "SET"),
        ("select 1; export database 'dump'", "EXPORT"),
        ("create table t as select 1", "CREATE"),
    ],
)
def test_statements_other_than_queries_are_refused(query: str, kinds: str) -> None:
    with pytest.raises(RefusedQuery, match=f"; {kinds} refused "):
        check_query(query)


def test_queries_of_every_form_are_allowed() -> None:
    queries = "select 1; from objectives; describe objectives; summarize items; explain select 1"
    assert statement_types(queries) == ["SELECT", "SELECT", "SELECT", "SELECT", "EXPLAIN"]
    check_query(queries)


def test_files_outside_the_tables_folder_cannot_be_read(clean_dir: Path, capsys) -> None:
    assert sql(clean_dir, "select * from read_text('/etc/hostname')") == 1
    err = capsys.readouterr().err
    assert err.startswith('piao: sql: Permission Error: Cannot access file "/etc/hostname"')
    assert err.count("\n") == 1


def test_a_confined_connection_reads_the_tables_and_cannot_be_unlocked(clean_dir: Path) -> None:
    with report.connect(clean_dir) as connection:
        confine(connection, clean_dir)
        assert connection.sql("select count(*) from objectives").fetchall() == [(48,)]
        with pytest.raises(duckdb.Error):
            connection.execute("set enable_external_access = true")
        with pytest.raises(duckdb.Error):
            connection.execute("set allowed_directories = ['/']")


def test_before_the_first_commit_the_error_is_one_line(
    clean_dir: Path, tmp_path: Path, capsys
) -> None:
    """A first run stopped after writing rows but before committing any document."""
    data = tmp_path / "data"
    shutil.copytree(clean_dir, data)
    shutil.rmtree(data / "documents")
    assert sql(data, "select count(*) from objectives") == 1
    assert capsys.readouterr().err == (
        f"piao: {data}: no document committed yet (a first run stopped early?): "
        "run `piao extract` again\n"
    )


def test_a_duckdb_error_is_one_line(clean_dir: Path, capsys) -> None:
    assert sql(clean_dir, "select nothing from objectives") == 1
    err = capsys.readouterr().err
    assert err.startswith("piao: sql: Binder Error: ") and err.count("\n") == 1


def test_one_line_keeps_the_first_line_only() -> None:
    error = duckdb.Error("IO Error: No files found\n\nLINE 1: ...read_parquet(\n        ^^^")
    assert one_line(error) == "IO Error: No files found"
