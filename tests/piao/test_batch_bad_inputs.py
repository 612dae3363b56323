"""A folder with good and bad attachments: the good ones are extracted, each bad one is
reported in one line naming the file and the reason, and the run exits non-zero."""

from __future__ import annotations

import shutil
from pathlib import Path

from piao import pipeline
from piao.cli import main

ROOT = Path(__file__).resolve().parents[2]
TEXT_SOURCE = ROOT / "data" / "raw" / "portomaggiore_piao_2023-2025_allegato1.txt"
RULED = ROOT / "tests" / "fixtures" / "portomaggiore_ruled.pdf"


def test_each_bad_file_fails_alone_with_its_reason(tmp_path, bad_inputs, tables_in):
    expected = bad_inputs(tmp_path / "in")
    shutil.copy(TEXT_SOURCE, tmp_path / "in" / TEXT_SOURCE.name)
    (tmp_path / "in" / "latin1.txt").write_bytes(
        TEXT_SOURCE.read_text(encoding="utf-8").encode("cp1252")
    )
    result = pipeline.run([tmp_path / "in"], tmp_path / "out")

    assert set(result.failed) == set(expected)
    for path, reason in expected.items():
        assert reason in result.failed[path], path
        assert "\n" not in result.failed[path]
    assert [d.source_name for d in result.written] == ["latin1.txt", TEXT_SOURCE.name]
    tables = tables_in(tmp_path / "out")
    assert list(tables["documents"].source_name) == ["latin1.txt", TEXT_SOURCE.name]
    assert len(tables["objectives"]) == 2 * 48
    by_doc = tables["objectives"].groupby("doc_id").description.apply(list)
    assert by_doc.iloc[0] == by_doc.iloc[1]  # cp1252 read exactly as the UTF-8 original
    latin1_id = tables["documents"].doc_id.iloc[0]
    quality = tables["quality"]
    fallback = quality[(quality.doc_id == latin1_id) & (quality.rule == "encoding_fallback")]
    assert list(fallback.message.str.contains("read as cp1252")) == [True]


def test_cli_reports_one_line_per_bad_file_and_exits_1(tmp_path, bad_inputs, capsys):
    expected = bad_inputs(tmp_path / "in")
    shutil.copy(TEXT_SOURCE, tmp_path / "in" / TEXT_SOURCE.name)
    status = main(["extract", str(tmp_path / "in"), "--out", str(tmp_path / "out")])
    captured = capsys.readouterr()

    assert status == 1
    assert "Traceback" not in captured.err
    error_lines = captured.err.splitlines()
    assert len(error_lines) == len(expected)
    for line, (path, reason) in zip(error_lines, sorted(expected.items()), strict=True):
        assert line.startswith(f"piao: {path}: ")
        assert reason in line
    closing = captured.out.splitlines()[-1].split("; ")
    assert closing[0] == "1 extracted, 0 skipped as unchanged, 7 failed"

    assert main(["extract", str(tmp_path / "in"), "--out", str(tmp_path / "out")]) == 1
    rerun = capsys.readouterr()
    assert (
        rerun.out.splitlines()[-1].split("; ")[0] == "0 extracted, 1 skipped as unchanged, 7 failed"
    )


def test_only_good_files_exit_0(tmp_path, capsys):
    shutil.copy(TEXT_SOURCE, tmp_path / TEXT_SOURCE.name)
    assert main(["extract", str(tmp_path), "--out", str(tmp_path / "out")]) == 0
    assert capsys.readouterr().err == ""


def test_tab_rows_without_objective_header_write_nothing(tmp_path, bad_inputs):
    bad_inputs(tmp_path / "in")
    path = tmp_path / "in" / "tab_rows_no_header.txt"
    result = pipeline.run([path], tmp_path / "out")
    assert result.failed == {
        path: "no objective table found (1 table read, none has an objective header row)"
    }
    assert not (tmp_path / "out" / "documents.parquet").exists()


def test_a_bug_on_one_file_does_not_cost_the_others(tmp_path, monkeypatch):
    good, odd = tmp_path / "a.txt", tmp_path / "b.txt"
    shutil.copy(TEXT_SOURCE, good)
    odd.write_bytes(TEXT_SOURCE.read_bytes() + b"\n")
    real = pipeline.iter_records

    def broken_on_b(raw, *args, **kwargs):
        if raw.source_name == "b.txt":
            raise ZeroDivisionError("division by zero")
        return real(raw, *args, **kwargs)

    monkeypatch.setattr(pipeline, "iter_records", broken_on_b)
    result = pipeline.run([tmp_path], tmp_path / "out")
    assert [d.source_name for d in result.written] == ["a.txt"]
    assert result.failed == {
        odd: "unexpected error (ZeroDivisionError: division by zero); please report it"
    }


def test_same_content_twice_is_written_once(tmp_path):
    shutil.copy(TEXT_SOURCE, tmp_path / "a.txt")
    shutil.copy(TEXT_SOURCE, tmp_path / "b.txt")
    result = pipeline.run([tmp_path], tmp_path / "out")
    assert [d.source_name for d in result.written] == ["a.txt"]
    assert result.skipped == {tmp_path / "b.txt": f"same content as {tmp_path / 'a.txt'}"}


def test_done_when_folder_with_pdf_text_and_bad_inputs(tmp_path, bad_inputs, tables_in, capsys):
    """The bad-input acceptance run: shipped document, PDF fixture, one of each bad input."""
    expected = bad_inputs(tmp_path / "in")
    shutil.copy(TEXT_SOURCE, tmp_path / "in" / TEXT_SOURCE.name)
    shutil.copy(RULED, tmp_path / "in" / RULED.name)
    argv = ["extract", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--workers", "2"]

    assert main(argv) == 1
    first = capsys.readouterr()
    assert len(first.err.splitlines()) == len(expected)
    tables = tables_in(tmp_path / "out")
    assert sorted(tables["documents"].source_format) == ["pdf", "text"]
    assert tables["objectives"].groupby("doc_id").size().tolist() == [48, 48]

    assert main(argv) == 1
    rerun = capsys.readouterr()
    assert (
        rerun.out.splitlines()[-1].split("; ")[0] == "0 extracted, 2 skipped as unchanged, 7 failed"
    )
