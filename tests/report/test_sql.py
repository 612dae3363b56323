"""DuckDB views over the tables (report.sql, ``piao sql``) and the docs' example queries."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

import report
import schema
from piao import cli
from report import sql

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_queries() -> list[str]:
    """The ```sql blocks of the README and of every page of docs/."""
    pages = [README, *sorted((README.parent / "docs").glob("*.md"))]
    text = "\n".join(page.read_text(encoding="utf-8") for page in pages)
    return re.findall(r"```sql\n(.*?)```", text, re.S)


def test_one_view_per_table(clean_dir: Path) -> None:
    statements = report.view_statements(clean_dir)
    assert len(statements) == len(schema.TABLES)
    with report.connect(clean_dir) as connection:
        for name, table in schema.TABLES.items():
            ((count,),) = connection.sql(f'select count(*) from "{name}"').fetchall()
            assert count == schema.read_table(table, clean_dir).num_rows
            assert connection.sql(f'select * from "{name}"').columns == table.column_names


def test_no_views_for_an_empty_folder(tmp_path: Path) -> None:
    assert report.view_statements(tmp_path) == []
    with pytest.raises(FileNotFoundError):
        report.create_database(tmp_path)


def test_database_file_works_from_any_folder(
    clean_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = report.create_database(clean_dir, tmp_path / "piao.duckdb")
    monkeypatch.chdir(tmp_path)
    with duckdb.connect(str(path), read_only=True) as connection:
        rows = connection.sql(
            "select sector_code, sum(weight)::int from objectives group by 1 order by 2"
        ).fetchall()
    assert rows == [("STAFF", 19), ("FIN", 43), ("SAP", 66), ("TEC", 72)]
    report.create_database(clean_dir, path)  # re-running replaces it
    assert not list(tmp_path.glob(".piao.duckdb.*"))


def test_cli_sql_writes_the_database_beside_the_tables(tmp_path: Path, clean_dir: Path) -> None:
    data = tmp_path / "clean"
    data.mkdir()
    for table in schema.TABLES.values():
        shutil.copytree(clean_dir / table.name, data / table.name)
    assert cli.main(["sql", "--data", str(data)]) == 0
    with duckdb.connect(str(data / "piao.duckdb"), read_only=True) as connection:
        assert connection.sql("select count(*) from objectives").fetchall() == [(48,)]


def test_cli_sql_runs_a_query(clean_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    query = "select sector_code, sum(weight)::int as w from objectives group by 1 order by w"
    assert cli.main(["sql", "--data", str(clean_dir), query]) == 0
    out = capsys.readouterr().out
    assert "STAFF" in out and "72" in out
    assert cli.main(["sql", "--data", str(clean_dir), "--csv", query]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "sector_code,w",
        "STAFF,19",
        "FIN,43",
        "SAP,66",
        "TEC,72",
    ]


def test_cli_sql_reports_errors(
    clean_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["sql", "--data", str(clean_dir), "selec nothing"]) == 1
    assert "piao: sql:" in capsys.readouterr().err
    assert cli.main(["sql", "--data", str(tmp_path)]) == 1
    assert "run `piao extract` first" in capsys.readouterr().err


def test_cli_sql_prints_the_views(clean_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["sql", "--data", str(clean_dir), "--print"]) == 0
    out = capsys.readouterr().out
    assert out.count("CREATE OR REPLACE VIEW") == len(schema.TABLES)


def test_readme_has_three_example_queries() -> None:
    assert len(readme_queries()) >= 3


@pytest.fixture(scope="module")
def two_editions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped document and the derived 2024 edition, both with a sidecar naming the
    Comune di Portomaggiore, extracted, with lineage and changes written (`piao lineage`)."""
    import json
    import shutil

    from piao import cli, pipeline

    raw = tmp_path_factory.mktemp("two_raw")
    fixtures = README.parent / "tests" / "fixtures"
    for source, period in (
        (
            README.parent / "data" / "raw" / "portomaggiore_piao_2023-2025_allegato1.txt",
            "2023-2025",
        ),
        (fixtures / "portomaggiore_piao_2024-2026_allegato1.txt", "2024-2026"),
    ):
        shutil.copy(source, raw / source.name)
        meta = {"ente": "Comune di Portomaggiore", "period": period}
        (raw / f"{source.name}.meta.json").write_text(json.dumps(meta), encoding="utf-8")
    clean = tmp_path_factory.mktemp("two_clean")
    assert pipeline.run([raw], clean).ok
    assert cli.main(["lineage", "--data", str(clean)]) == 0
    return clean


@pytest.mark.parametrize("query", readme_queries())
def test_readme_query_runs_as_written(two_editions: Path, tmp_path: Path, query: str) -> None:
    """Each ```sql block of the README and docs/, run on the database file that `piao sql` writes
    (two editions of the shipped plan, lineage written)."""
    path = report.create_database(two_editions, tmp_path / "piao.duckdb")
    with duckdb.connect(str(path), read_only=True) as connection:
        connection.sql(query).fetchall()
        # the shipped plan is of 2023: seen from its last quarter, every query finds rows
        dated = query.replace("current_date", "date '2023-10-01'")
        assert connection.sql(dated).fetchall()


def test_history_views_read_the_group_folders(two_editions: Path) -> None:
    """``lineage`` and ``changes`` are folders of group files: their views read them all."""
    with sql.connect(two_editions) as connection:
        counted = {
            name: connection.sql(f"select count(*) from {name}").fetchall()[0][0]
            for name in ("lineage", "changes")
        }
    stored = {
        name: schema.read_table(schema.DERIVED_TABLES[name], two_editions).num_rows
        for name in ("lineage", "changes")
    }
    assert counted == stored
    assert counted["lineage"] == 96 and counted["changes"] > 0


def test_history_view_reads_the_single_file_of_the_earlier_layout(
    two_editions: Path, tmp_path: Path
) -> None:
    lineage = schema.read_table(schema.DERIVED_TABLES["lineage"], two_editions)
    pq.write_table(lineage, tmp_path / "lineage.parquet")
    assert sql.derived_view_statements(tmp_path)[0].endswith(
        f"read_parquet('{(tmp_path / 'lineage.parquet').resolve().as_posix()}');"
    )


def test_a_history_without_change_rows_has_an_empty_changes_view(
    two_editions: Path, tmp_path: Path
) -> None:
    """No series of two editions: ``changes`` has no file, its view no rows, every column."""
    data = tmp_path / "data"
    shutil.copytree(two_editions, data)
    shutil.rmtree(data / "changes")
    with sql.connect(data) as connection:
        relation = connection.sql("select * from changes")
        assert relation.columns == schema.DERIVED_TABLES["changes"].column_names
        assert relation.fetchall() == []
