"""Storage and identity end to end: partitioned folders, migration, corrupt files, one
document per source path, unique keys, and documents told apart by their metadata."""

from __future__ import annotations

import json
import os
import shutil
from collections import Counter
from pathlib import Path

import duckdb
import pandas as pd
import polars
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import schema
from piao import pipeline
from piao.cli import main

ROOT = Path(__file__).resolve().parents[2]
TEXT_SOURCE = ROOT / "data" / "raw" / "portomaggiore_piao_2023-2025_allegato1.txt"
SECTOR_COUNTS = {"STAFF": 5, "SAP": 16, "FIN": 10, "TEC": 17}


def extract(*argv: str | Path) -> int:
    return main(["extract", *map(str, argv), "--workers", "1"])


def group_files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.glob("*/*/*.parquet")}


def test_adding_a_document_writes_new_files_and_rewrites_none(tmp_path, variant):
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    for number in range(6):
        (folder / f"d{number}.txt").write_bytes(variant(number))
    pipeline.run([folder], out)
    before = group_files(out)

    (folder / "new.txt").write_bytes(variant(99))
    result = pipeline.run([folder], out)
    new_id = result.written[0].doc_id
    after = group_files(out)
    assert {name: after[name] for name in before} == before  # nothing rewritten
    added = sorted(set(after) - set(before))
    assert [name.rsplit("/", 1)[0] for name in added] == sorted(
        f"{name}/{schema.io.group_of(new_id, name)}" for name in schema.TABLES
    )
    assert len({name.rsplit("/", 1)[1] for name in added}) == 1  # one write id


def test_folders_read_by_pandas_duckdb_and_the_loader(tmp_path, variant):
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    for number in range(3):
        (folder / f"d{number}.txt").write_bytes(variant(number))
    pipeline.run([folder], out)
    assert len(pd.read_parquet(out / "objectives")) == 3 * 48
    glob = (out / "objectives" / "*" / "*.parquet").as_posix()
    rows = duckdb.sql(
        f"select sector_code, count(*) from read_parquet('{glob}', hive_partitioning=true) "
        "group by 1"
    ).fetchall()
    assert dict(rows) == {code: 3 * count for code, count in SECTOR_COUNTS.items()}
    assert schema.read_table("objectives", out).num_rows == 3 * 48
    frame = polars.read_parquet(glob)
    assert frame.height == 3 * 48 and frame["weight"].sum() == 3 * 200


def test_loader_never_shows_rows_of_a_document_that_documents_does_not_list(tmp_path, variant):
    out = tmp_path / "out"
    (tmp_path / "a.txt").write_bytes(variant(0))
    pipeline.run([tmp_path / "a.txt"], out)
    (written,) = (out / "objectives").glob("*/part-*.parquet")
    committed = pq.read_table(written)
    uncommitted = committed.set_column(
        0, "doc_id", pa.array(["ff" + "0" * 14] * committed.num_rows, pa.string())
    )
    target = out / "objectives" / "ff" / "part-0.parquet"
    target.parent.mkdir()
    pq.write_table(uncommitted, target)  # as a crash before documents' rename leaves it
    stale = written.parent / schema.io.part_name(schema.io.write_id_of(written) - 1)
    pq.write_table(committed, stale)  # as a crash before a replaced document's rows went
    assert schema.read_table("objectives", out).num_rows == 48
    with duckdb.connect() as connection:
        source = schema.duckdb_source("objectives", out)
        assert connection.sql(f"select count(*) from ({source})").fetchall() == [(48,)]


def test_legacy_single_file_folder_is_migrated_once(tmp_path, variant, capsys):
    out = tmp_path / "out"
    (tmp_path / "a.txt").write_bytes(variant(0))
    document = pipeline.process_document(tmp_path / "a.txt")
    out.mkdir()
    for name, table in schema.TABLES.items():  # the earlier layout: one file per table
        rows = document.records.get(name, [])
        arrow = schema.to_arrow(table, rows)
        if name == "documents":
            arrow = arrow.drop_columns(["source_path"])  # a column the earlier schema lacked
        pq.write_table(arrow, out / f"{name}.parquet")
    assert schema.read_table("objectives", out).num_rows == 48  # readable before migrating

    (tmp_path / "b.txt").write_bytes(variant(1))
    assert extract(tmp_path / "b.txt", "--out", out) == 0
    err = capsys.readouterr().err
    assert err.count("migrated") == 1 and "(1 document;" in err
    assert not [
        p for p in out.glob("*.parquet") if p.stem in schema.TABLES
    ]  # lineage, changes: derived
    assert len(schema.read_table("documents", out)) == 2
    assert schema.read_table("objectives", out).num_rows == 96
    assert extract(tmp_path / "b.txt", "--out", out) == 0
    assert "migrated" not in capsys.readouterr().err


# corrupt table files ----------------------------------------------------------------------


def doc_id_of(out: Path, source_name: str) -> str:
    documents = schema.read_pandas("documents", out)
    return documents[documents.source_name == source_name].doc_id.item()


@pytest.fixture
def corrupt_out(tmp_path, variant) -> tuple[Path, Path, Path]:
    """An output folder of two documents whose objectives file for the first is truncated."""
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_bytes(variant(0))
    b.write_bytes(variant(3))
    out = tmp_path / "out"
    pipeline.run([a, b], out)
    (broken,) = (out / "objectives" / doc_id_of(out, "a.txt")[:2]).glob("part-*.parquet")
    os.truncate(broken, 100)
    return out, broken, a


def one_line_naming(err: str, broken: Path) -> None:
    lines = err.strip().splitlines()
    assert "Traceback" not in err
    assert any(
        line.startswith(f"piao: {broken}: corrupt table file (") and "--rebuild" in line
        for line in lines
    ), err


def test_corrupt_table_file_is_one_line_for_every_command(corrupt_out, tmp_path, capsys):
    out, broken, a = corrupt_out
    assert extract(a, "--out", out, "--force") == 1  # its rewrite reads the corrupt file
    one_line_naming(capsys.readouterr().err, broken)
    commands = [
        [
            "diff",
            doc_id_of(out, "a.txt"),
            str(a),
            "--data",
            str(out),
            "--out",
            str(tmp_path / "diff"),
        ],
        ["report", "--data", str(out), "--out", str(tmp_path / "r.html")],
        ["sql", "--data", str(out), "select count(*) from objectives"],
    ]
    for argv in commands:
        assert main(argv) == 1, argv
        one_line_naming(capsys.readouterr().err, broken)


def test_a_corrupt_file_an_add_does_not_read_costs_it_nothing_and_check_reports_it(
    corrupt_out, tmp_path, variant, capsys
):
    out, broken, a = corrupt_out
    assert extract(a, "--out", out) == 0  # unchanged: skipped, no file of its group read
    new = next(  # a document of another group than the corrupt file's
        path
        for number in range(10, 40)
        if (path := tmp_path / f"c{number}.txt").write_bytes(variant(number))
        and pipeline.document_id(pipeline.file_sha256(path))[:2] != broken.parent.name
    )
    added = pipeline.run([new], out)  # the write (the history after it reads its series)
    assert added.ok and [summary.path for summary in added.written] == [new]
    assert len(schema.read_table("documents", out, columns=["doc_id"])) == 3
    assert main(["check", "--data", str(out)]) == 1
    one_line_naming(capsys.readouterr().err, broken)


def test_rebuild_moves_the_file_aside_and_re_extracts_from_the_sources(corrupt_out, capsys):
    out, broken, _ = corrupt_out
    assert main(["extract", "--out", str(out), "--rebuild", "--workers", "1"]) == 0
    err = capsys.readouterr().err
    assert f"moved corrupt {broken}" in err
    assert (out / ".corrupt" / broken.relative_to(out)).stat().st_size == 100
    objectives = schema.read_pandas("objectives", out)
    assert objectives.groupby("doc_id").size().tolist() == [48, 48]
    assert schema.validate_tables(out, full=True) == []


def test_rebuild_keeps_the_rows_of_a_document_whose_source_is_gone(corrupt_out, capsys):
    out, _, a = corrupt_out
    lost = doc_id_of(out, "a.txt")
    a.unlink()
    assert main(["extract", "--out", str(out), "--rebuild"]) == 0
    err = capsys.readouterr().err
    assert f"lost rows of document {lost} (a.txt)" in err and "other rows are kept" in err
    assert sorted(schema.read_pandas("documents", out).source_name) == ["a.txt", "b.txt"]
    assert len(schema.read_pandas("objectives", out)) == 48  # a's were in the corrupt file
    assert len(schema.read_pandas("items", out)) == 2 * 136  # a's other rows are kept


def test_rebuild_restores_a_corrupt_documents_file_from_the_index(tmp_path, variant, capsys):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_bytes(variant(0))
    b.write_bytes(variant(3))
    out = tmp_path / "out"
    pipeline.run([a, b], out)
    lost = doc_id_of(out, "a.txt")
    (documents,) = (out / "documents" / lost[:2]).glob("part-*.parquet")
    os.truncate(documents, 50)
    a.unlink()
    assert main(["extract", "--out", str(out), "--rebuild"]) == 0
    err = capsys.readouterr().err
    assert f"restored {documents} from the index (1 document)" in err
    assert sorted(schema.read_pandas("documents", out).source_name) == ["a.txt", "b.txt"]
    assert len(schema.read_pandas("objectives", out)) == 2 * 48  # no row of a.txt lost


# one document per source path ------------------------------------------------------------


def test_edited_file_replaces_its_earlier_version(tmp_path, variant, capsys):
    path, out = tmp_path / "a.txt", tmp_path / "out"
    path.write_bytes(variant(0))
    assert extract(path, "--out", out) == 0
    old_id = schema.read_table("documents", out).to_pylist()[0]["doc_id"]
    path.write_bytes(variant(0).replace(b"Portomaggiore", b"Portomaggiora", 1))
    capsys.readouterr()
    assert extract(path, "--out", out, "-v") == 0
    output = capsys.readouterr().out
    assert f"| replaced {old_id}" in output
    assert "1 extracted (1 replaced)" in output
    documents = schema.read_pandas("documents", out)
    assert len(documents) == 1 and documents.doc_id[0] != old_id
    assert len(schema.read_pandas("objectives", out)) == 48
    assert set(pd.read_parquet(out / "objectives").doc_id) == {documents.doc_id[0]}


def test_keep_versions_keeps_both(tmp_path, variant):
    path, out = tmp_path / "a.txt", tmp_path / "out"
    path.write_bytes(variant(0))
    assert extract(path, "--out", out) == 0
    path.write_bytes(variant(1))
    assert extract(path, "--out", out, "--keep-versions") == 0
    assert list(schema.read_pandas("documents", out).source_name) == ["a.txt", "a.txt"]
    assert len(schema.read_pandas("objectives", out)) == 96


def test_renamed_file_updates_source_name(tmp_path, variant):
    path, out = tmp_path / "a.txt", tmp_path / "out"
    path.write_bytes(variant(0))
    pipeline.run([path], out)
    renamed = path.rename(tmp_path / "renamed.txt")
    result = pipeline.run([renamed], out)
    assert [d.source_name for d in result.written] == ["renamed.txt"]
    documents = schema.read_pandas("documents", out)
    assert list(documents.source_name) == ["renamed.txt"]
    assert documents.source_path[0] == renamed.resolve().as_posix()
    assert pipeline.run([renamed], out).skipped == {renamed: "unchanged"}


# unique keys ------------------------------------------------------------------------------


def repeated_sector_text() -> str:
    """The shipped document with its STAFF heading and table printed twice."""
    lines = TEXT_SOURCE.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if "(STAFF)" in line) - 2
    end = next(i for i, line in enumerate(lines) if "<b>totale</b>" in line) + 1
    return "\n".join(lines[:end] + lines[start:end] + lines[end:])


def test_repeated_sector_table_gets_unique_keys_and_findings(tmp_path):
    path, out = tmp_path / "repeated.txt", tmp_path / "out"
    path.write_text(repeated_sector_text(), encoding="utf-8")
    pipeline.run([path], out)
    tables = {name: schema.read_pandas(name, out) for name in schema.TABLES}
    for name, table in schema.TABLES.items():
        assert not tables[name].duplicated(list(table.key)).any(), name
    objectives = tables["objectives"]
    staff = objectives[objectives.sector_code == "STAFF"].objective_code.tolist()
    assert staff == ["1.1.1", "1.1.2", "1.1.3", "1.3.1", "1.4.1"] + [
        f"{code}~2" for code in ["1.1.1", "1.1.2", "1.1.3", "1.3.1", "1.4.1"]
    ]
    duplicates = tables["quality"][tables["quality"].rule == "duplicate_key"]
    assert Counter(duplicates.location.str.split(" ").str[0]) == {
        "sectors": 1,
        "objectives": 5,
        "items": 18,
        "dates": 45,
        "targets": 18,  # one per item (no year printed)
    }
    assert sorted(tables["sectors"].sector_code) == ["FIN", "SAP", "STAFF", "STAFF~2", "TEC"]


def test_unique_keys_numbers_a_third_occurrence():
    row = {"doc_id": "d", "sector_code": "S", "objective_code": "1.1"}
    records, findings = schema.unique_keys({"objectives": [row, row, row]})
    assert [r["objective_code"] for r in records["objectives"]] == ["1.1", "1.1~2", "1.1~3"]
    assert [f["location"] for f in records["quality"]] == [
        "objectives (sector_code='S', objective_code='1.1') occurrence 2",
        "objectives (sector_code='S', objective_code='1.1') occurrence 3",
    ]
    assert len(findings) == 2


# identity and metadata --------------------------------------------------------------------


def test_same_bytes_other_sidecar_ente_are_separate_documents(tmp_path, capsys):
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    for name, ente in [("a", "Comune di A"), ("b", "Comune di B"), ("c", "Comune di C")]:
        shutil.copy(TEXT_SOURCE, folder / f"{name}.txt")
        (folder / f"{name}.txt.meta.json").write_text(json.dumps({"ente": ente}))
    shutil.copy(TEXT_SOURCE, folder / "d.txt")
    shutil.copy(TEXT_SOURCE, folder / "e.txt")
    assert extract(folder, "--out", out, "-v") == 0
    captured = capsys.readouterr()
    documents = schema.read_table("documents", out).to_pandas().replace({float("nan"): None})
    assert dict(zip(documents.source_name, documents.ente, strict=True)) == {
        "a.txt": "Comune di A",
        "b.txt": "Comune di B",
        "c.txt": "Comune di C",
        "d.txt": None,
    }
    assert documents.doc_id.nunique() == 4
    assert f"piao: {folder / 'e.txt'}: skipped, same content as {folder / 'd.txt'}" in captured.err
    assert "4 extracted, 0 skipped as unchanged, 1 skipped as duplicates" in captured.out


def test_shipped_document_has_its_ente(tmp_path):
    assert extract(TEXT_SOURCE.parent, "--out", tmp_path) == 0
    (row,) = schema.read_table("documents", tmp_path).to_pylist()
    assert row["ente"] == "Comune di Portomaggiore"
    assert row["source_name"] == TEXT_SOURCE.name


# piao compact -----------------------------------------------------------------------------


def table_files(out: Path) -> list[Path]:
    """The extracted tables' files (not the history's)."""
    return [p for p in out.glob("*/*/*.parquet") if p.parts[-3] in schema.TABLES]


def test_compact_command_merges_the_files_of_several_runs(tmp_path, variant, capsys):
    out = tmp_path / "out"
    for number in range(3):
        path = tmp_path / f"d{number}.txt"
        path.write_bytes(variant(number))
        assert extract(path, "--out", out) == 0
    files = len(table_files(out))  # the history's group files (lineage/<gg>/) are not merged
    capsys.readouterr()
    assert main(["compact", "--data", str(out)]) == 0
    merged = len(table_files(out))
    assert capsys.readouterr().out.strip() == f"{out}: {files} table files -> {merged}"
    assert merged <= files
    assert len(pd.read_parquet(out / "objectives")) == 3 * 48
    assert schema.read_table("objectives", out).num_rows == 3 * 48


def test_compact_command_on_a_folder_without_tables_is_one_line(tmp_path, capsys):
    assert main(["compact", "--data", str(tmp_path)]) == 1
    assert capsys.readouterr().err == (
        f"piao: {tmp_path}: no extracted tables (run `piao extract` first)\n"
    )
