"""One CLI grammar: ``--data`` names the tables folder in every command, changed extraction
settings re-extract, ``piao sql`` reads a query from stdin, counts take the right plural."""

from __future__ import annotations

import os
import re
import select
import subprocess
import sys
from pathlib import Path

import pytest

import schema
from piao import cli

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "data" / "raw" / "portomaggiore_piao_2023-2025_allegato1.txt"
EDITION_2024 = ROOT / "tests" / "fixtures" / "portomaggiore_piao_2024-2026_allegato1.txt"


def objectives_in(data: Path) -> int:
    table = schema.read_table("objectives", data)
    return 0 if table is None else table.num_rows


def test_extract_writes_into_the_data_folder(tmp_path):
    assert cli.main(["extract", str(SHIPPED), "--data", str(tmp_path / "t")]) == 0
    assert objectives_in(tmp_path / "t") == 48


def test_extract_out_is_an_alias_of_data(tmp_path):
    assert cli.main(["extract", str(SHIPPED), "--out", str(tmp_path / "t")]) == 0
    assert objectives_in(tmp_path / "t") == 48


def documents_of(data: Path) -> list[dict]:
    table = schema.read_table("documents", data)
    assert table is not None
    return table.to_pylist()


def totals(output: str) -> str:
    """The counts of the closing line (before its findings and elapsed time)."""
    return output.splitlines()[-1].split("; ")[0]


def test_extract_stores_the_extraction_settings(tmp_path):
    assert cli.main(["extract", str(SHIPPED), "--data", str(tmp_path), "--engine", "text"]) == 0
    stored = documents_of(tmp_path)[0]["extraction_settings"]
    assert stored == "engine=text ocr=auto layout=none"


def test_another_engine_re_extracts_instead_of_skipping(tmp_path, capsys):
    assert cli.main(["extract", str(SHIPPED), "--data", str(tmp_path)]) == 0
    capsys.readouterr()
    assert cli.main(["extract", str(SHIPPED), "--data", str(tmp_path), "--engine", "text"]) == 0
    assert totals(capsys.readouterr().out) == "1 extracted, 0 skipped as unchanged, 0 failed"
    assert [row["extraction_settings"] for row in documents_of(tmp_path)] == [
        "engine=text ocr=auto layout=none"
    ]


def test_the_same_settings_skip_as_unchanged(tmp_path, capsys):
    assert cli.main(["extract", str(SHIPPED), "--data", str(tmp_path), "--ocr", "never"]) == 0
    capsys.readouterr()
    assert cli.main(["extract", str(SHIPPED), "--data", str(tmp_path), "--ocr", "never"]) == 0
    assert totals(capsys.readouterr().out) == "0 extracted, 1 skipped as unchanged, 0 failed"


def test_another_ocr_mode_re_extracts(tmp_path, capsys):
    assert cli.main(["extract", str(SHIPPED), "--data", str(tmp_path)]) == 0
    capsys.readouterr()
    assert cli.main(["extract", str(SHIPPED), "--data", str(tmp_path), "--ocr", "never"]) == 0
    assert totals(capsys.readouterr().out) == "1 extracted, 0 skipped as unchanged, 0 failed"


def test_an_edited_layout_hints_file_re_extracts(tmp_path, capsys):
    hints = tmp_path / "hints.toml"
    hints.write_text('[sectors]\nwords = ["SERVIZIO"]\n', encoding="utf-8")
    data = tmp_path / "t"
    arguments = ["extract", str(SHIPPED), "--data", str(data), "--layout", str(hints)]
    assert cli.main(arguments) == 0
    first = documents_of(data)[0]["extraction_settings"]
    hints.write_text('[sectors]\nwords = ["UFFICIO"]\n', encoding="utf-8")
    capsys.readouterr()
    assert cli.main(arguments) == 0
    assert totals(capsys.readouterr().out) == "1 extracted, 0 skipped as unchanged, 0 failed"
    second = documents_of(data)[0]["extraction_settings"]
    assert first.startswith("engine=auto ocr=auto layout=") and first != second
    assert "layout=none" not in first


@pytest.fixture(scope="module")
def tables(tmp_path_factory) -> Path:
    """The shipped document extracted once."""
    data = tmp_path_factory.mktemp("tables")
    assert cli.main(["extract", str(SHIPPED), "--data", str(data)]) == 0
    return data


def piao(*arguments: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """``piao`` in a subprocess whose stdin is ``stdin`` (a pipe: not a terminal)."""
    return subprocess.run(
        [sys.executable, "-m", "piao", *arguments],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_sql_runs_the_query_piped_on_stdin(tables):
    query = "select count(*) as n from objectives;\n"
    done = piao("sql", "--data", str(tables), "--csv", stdin=query)
    assert (done.returncode, done.stdout.splitlines()) == (0, ["n", "48"])
    assert not (tables / "piao.duckdb").exists()


def test_sql_runs_the_query_of_the_query_option(tables, capsys):
    query = "select count(*) as n from sectors"
    assert cli.main(["sql", "--data", str(tables), "--csv", "-q", query]) == 0
    assert capsys.readouterr().out.splitlines() == ["n", "4"]


def test_sql_refuses_a_query_given_twice(tables, capsys):
    assert cli.main(["sql", "--data", str(tables), "select 1", "-q", "select 2"]) == 2
    assert capsys.readouterr().err.strip() == "piao: sql: give the query once (QUERY or -q)"


def test_sql_with_an_empty_stdin_writes_the_database_and_counts_every_view(tmp_path):
    data = tmp_path / "t"
    assert cli.main(["extract", str(SHIPPED), str(EDITION_2024), "--data", str(data)]) == 0
    assert cli.main(["lineage", "--data", str(data)]) == 0  # lineage and changes: 2 views more
    done = piao("sql", "--data", str(data))
    database = data / "piao.duckdb"
    assert done.stdout.strip() == (
        f"wrote {database} ({len(schema.TABLES) + 2} views); open it with: duckdb {database}"
    )


def test_lineage_counts_one_edition_in_the_singular(tables, capsys):
    assert cli.main(["lineage", "--data", str(tables)]) == 0
    assert capsys.readouterr().out.splitlines()[0] == (
        "comune-di-portomaggiore/allegato1: 1 edition (Comune di Portomaggiore 2023); 48 lineages"
    )


def test_a_run_prints_no_line_per_document_and_closes_with_findings_and_time(tmp_path, capsys):
    assert cli.main(["extract", str(SHIPPED), "--data", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"wrote {len(schema.TABLES)} tables to {tmp_path}/"
    counts, findings, seconds = lines[-1].split("; ")
    assert counts == "1 extracted, 0 skipped as unchanged, 0 failed"
    assert findings == "findings: 2 errors, 29 warnings, 3 info"  # the 34 of the shipped plan
    assert re.fullmatch(r"\d+\.\d s", seconds)
    assert not [line for line in lines if SHIPPED.name in line]


def test_a_rerun_prints_no_skipped_line_per_document(tmp_path, capsys):
    assert cli.main(["extract", str(SHIPPED), str(EDITION_2024), "--data", str(tmp_path)]) == 0
    capsys.readouterr()
    assert cli.main(["extract", str(SHIPPED), str(EDITION_2024), "--data", str(tmp_path)]) == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert len(lines) == 2 and lines[0].startswith("1 document without ente")
    assert totals(captured.out) == "0 extracted, 2 skipped as unchanged, 0 failed"
    assert captured.err == ""


def test_verbose_prints_one_line_per_document(tmp_path, capsys):
    assert cli.main(["extract", str(SHIPPED), "--data", str(tmp_path), "-v"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith(f"{SHIPPED.name} [")
    assert "objectives 48, items 136, dates 210" in first
    assert first.endswith("| quality: 2 errors, 29 warnings, 3 info")


def test_files_that_are_not_attachments_get_one_note(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "piano.txt").write_bytes(SHIPPED.read_bytes())
    for name in ("README.md", "note.csv", "logo.png"):
        (folder / name).write_text("x")
    assert cli.main(["extract", str(folder), "--data", str(tmp_path / "t")]) == 0
    assert capsys.readouterr().err == (
        f"piao: skipped 3 files that are not an attachment: {folder}/README.md, "
        f"{folder}/logo.png, {folder}/note.csv\n"
    )


def test_the_note_names_ten_files_and_counts_the_rest(tmp_path):
    from piao.commands.extract import not_attachments_line

    paths = [Path(f"p{n:02d}.png") for n in range(12)]
    line = not_attachments_line(paths)
    assert line.startswith("skipped 12 files that are not an attachment: p00.png, p01.png")
    assert line.endswith("p09.png and 2 more")
    assert not_attachments_line(paths, every=True).endswith("p10.png, p11.png")


def test_a_terminal_sees_one_progress_line_updated_in_place(tmp_path):
    done, terminal = on_a_terminal("extract", str(SHIPPED), "--data", str(tmp_path / "t"))
    assert done.returncode == 0
    assert terminal == f"\r\x1b[K[1/1] {SHIPPED.name}\r\x1b[K"


def read_all(fd: int) -> bytes:
    """What was written to the terminal whose other end is ``fd`` (then closed): Linux
    says EIO once the writer is gone."""
    written = b""
    try:
        while select.select([fd], [], [], 1)[0] and (chunk := os.read(fd, 65536)):
            written += chunk
    except OSError:
        pass
    finally:
        os.close(fd)
    return written


def on_a_terminal(*arguments: str) -> tuple[subprocess.CompletedProcess[str], str]:
    """``piao`` in a subprocess whose stderr is a terminal: (the run, what the terminal got)."""
    pty = pytest.importorskip("pty")
    primary, secondary = pty.openpty()
    with open(secondary, "w", closefd=True) as terminal:
        done = subprocess.run(
            [sys.executable, "-m", "piao", *arguments],
            stderr=terminal,
            stdout=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            check=False,
            timeout=300,
        )
    return done, read_all(primary).decode()


def test_export_shows_each_table_on_the_progress_line(tables, tmp_path):
    done, terminal = on_a_terminal(
        "export", "--data", str(tables), "--format", "csv", "--out", str(tmp_path / "csv")
    )
    assert done.returncode == 0
    steps = terminal.split("\r\x1b[K")
    assert steps[1] == "reading the tables"
    assert re.fullmatch(r"\[ ?1/\d+\] documents", steps[2])
    assert steps[-1] == ""  # erased at the end
    assert re.fullmatch(r"wrote \d+ tables \(\d+ rows\) to .*; \d+\.\d s\n", done.stdout)


def test_report_shows_each_page_on_the_progress_line(tables, tmp_path):
    done, terminal = on_a_terminal("report", "--data", str(tables), "--out", str(tmp_path / "r"))
    assert done.returncode == 0
    steps = terminal.split("\r\x1b[K")
    assert steps[1:4] == ["reading the tables", "pairing the editions", "[1/3] index.html"]
    assert steps[-2:] == ["[3/3] writing the pages", ""]
    assert done.stdout.startswith(f"wrote {tmp_path / 'r' / 'index.html'} and 2 pages; ")


def test_export_and_report_write_nothing_on_stderr_when_it_is_no_terminal(tables, tmp_path):
    out = tmp_path / "x.xlsx"
    done = piao("export", "--data", str(tables), "--format", "xlsx", "--out", str(out))
    assert (done.returncode, done.stderr) == (0, "")
    done = piao("report", "--data", str(tables), "--out", str(tmp_path / "r"))
    assert (done.returncode, done.stderr) == (0, "")


def test_report_takes_a_doc_id_prefix(tables, tmp_path, capsys):
    doc_id = documents_of(tables)[0]["doc_id"]
    page = tmp_path / "one.html"
    assert cli.main(["report", "--data", str(tables), "--doc", doc_id[:4], "--out", str(page)]) == 0
    assert capsys.readouterr().out == f"wrote {page}\n"
    assert "Portomaggiore" in page.read_text(encoding="utf-8")
