"""Incremental, parallel, deterministic batch runs; ente and period from outside the text."""

from __future__ import annotations

import datetime as dt
import json
import re
import types
from pathlib import Path

import pandas as pd
import pytest

import schema
from piao import metadata, pipeline
from piao.cli import main

ROOT = Path(__file__).resolve().parents[2]
TEXT_SOURCE = ROOT / "data" / "raw" / "portomaggiore_piao_2023-2025_allegato1.txt"


def write_variants(folder: Path, variant, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"doc{number:02d}.txt" for number in range(count)]
    for number, path in enumerate(paths):
        path.write_bytes(variant(number))
    return paths


def without_time(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    return {
        name: frame.drop(columns=["extracted_at"], errors="ignore")
        for name, frame in tables.items()
    }


def written_tables(out: Path) -> set[str]:
    """The tables a run wrote to ``out`` (those with rows stored)."""
    return {name for name in schema.TABLES if schema.read_table(name, out) is not None}


def assert_same_tables(first: Path, second: Path) -> None:
    """Both runs wrote every table: a table one of them failed to write would otherwise be
    compared as two empty frames."""
    assert written_tables(first) == written_tables(second) == set(schema.TABLES)


def test_unchanged_documents_are_skipped_and_changed_ones_redone(tmp_path, variant, tables_in):
    paths = write_variants(tmp_path / "in", variant, 3)
    out = tmp_path / "out"
    assert len(pipeline.run([tmp_path / "in"], out).written) == 3
    before = tables_in(out)

    again = pipeline.run([tmp_path / "in"], out)
    assert again.written == [] and again.failed == {}
    assert again.skipped == dict.fromkeys(paths, "unchanged")
    pd.testing.assert_frame_equal(tables_in(out)["documents"], before["documents"])

    paths[1].write_bytes(variant(1) + b"\n\n\n\n\n\n\n\n\n\n")  # new bytes, new doc_id
    changed = pipeline.run([tmp_path / "in"], out)
    assert [d.path for d in changed.written] == [paths[1]]
    assert len(tables_in(out)["documents"]) == 3  # the new version replaced the old one


def test_force_redoes_everything_in_place(tmp_path, variant, tables_in):
    write_variants(tmp_path / "in", variant, 2)
    out = tmp_path / "out"
    pipeline.run([tmp_path / "in"], out)
    before = tables_in(out)
    forced = pipeline.run([tmp_path / "in"], out, force=True)
    assert len(forced.written) == 2
    assert written_tables(out) == set(schema.TABLES)
    after = tables_in(out)
    assert set(after) == set(before)
    assert (after["documents"].extracted_at > before["documents"].extracted_at).all()
    for name, frame in without_time(after).items():
        pd.testing.assert_frame_equal(frame, without_time(before)[name], obj=name)


def test_new_pipeline_version_redoes_documents(tmp_path, variant, monkeypatch, tables_in):
    write_variants(tmp_path / "in", variant, 1)
    pipeline.run([tmp_path / "in"], tmp_path / "out")
    monkeypatch.setattr(pipeline, "PIPELINE_VERSION", "99.0")
    assert len(pipeline.run([tmp_path / "in"], tmp_path / "out").written) == 1
    assert list(tables_in(tmp_path / "out")["documents"].pipeline_version) == ["99.0"]


def test_same_rows_in_same_order_with_1_or_2_workers(tmp_path, variant, tables_in):
    write_variants(tmp_path / "in", variant, 5)
    one = pipeline.run([tmp_path / "in"], tmp_path / "one", workers=1)
    two = pipeline.run([tmp_path / "in"], tmp_path / "two", workers=2, flush_every=2)
    assert [d.path for d in one.written] == [d.path for d in two.written]
    assert_same_tables(tmp_path / "one", tmp_path / "two")
    serial, parallel = without_time(tables_in(tmp_path / "one")), tables_in(tmp_path / "two")
    for name, frame in without_time(parallel).items():
        pd.testing.assert_frame_equal(frame, serial[name], obj=name)


def test_chunked_writes_give_the_rows_of_one_write(tmp_path, variant, tables_in):
    write_variants(tmp_path / "in", variant, 4)
    pipeline.run([tmp_path / "in"], tmp_path / "once", flush_every=100)
    pipeline.run([tmp_path / "in"], tmp_path / "chunks", flush_every=1)
    assert_same_tables(tmp_path / "once", tmp_path / "chunks")
    once, chunks = without_time(tables_in(tmp_path / "once")), tables_in(tmp_path / "chunks")
    for name, frame in without_time(chunks).items():
        pd.testing.assert_frame_equal(frame, once[name], obj=name)


def test_progress_is_called_once_per_input(tmp_path, variant):
    write_variants(tmp_path / "in", variant, 2)
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    seen: list[str] = []
    pipeline.run([tmp_path / "in"], tmp_path / "out", progress=lambda o: seen.append(o.status))
    assert sorted(seen) == ["failed", "written", "written"]


# ente and period --------------------------------------------------------------------------


def documents_row(out: Path) -> dict:
    return schema.read_pandas("documents", out).iloc[-1].to_dict()


def test_sidecar_wins_over_the_document_and_says_so(tmp_path, variant):
    path = tmp_path / "doc.txt"
    path.write_bytes(variant(0))
    sidecar = tmp_path / "doc.txt.meta.json"
    sidecar.write_text(json.dumps({"ente": "Comune di Portomaggiore", "period": "2024-2026"}))
    pipeline.run([path], tmp_path / "out", defaults=metadata.Metadata(ente="Comune di Altro"))
    row = documents_row(tmp_path / "out")
    assert row["ente"] == "Comune di Portomaggiore"
    assert (row["period_start"], row["period_end"]) == (dt.date(2024, 1, 1), dt.date(2026, 12, 31))
    quality = schema.read_pandas("quality", tmp_path / "out")
    assert list(quality[quality.rule == "metadata_override"].message) == [
        "period from the sidecar metadata file ('2024-2026') used instead of the "
        "document's ('2023-2025')"
    ]


def test_changed_sidecar_redoes_the_document(tmp_path, variant):
    path = tmp_path / "doc.txt"
    path.write_bytes(variant(0))
    pipeline.run([path], tmp_path / "out")
    (tmp_path / "doc.txt.meta.json").write_text('{"ente": "Comune di Portomaggiore"}')
    assert len(pipeline.run([path], tmp_path / "out").written) == 1
    assert documents_row(tmp_path / "out")["ente"] == "Comune di Portomaggiore"
    assert pipeline.run([path], tmp_path / "out").skipped == {path: "unchanged"}


def test_cli_options_fill_what_the_document_does_not_say(tmp_path, capsys):
    text = re.sub(r"\b20\d\d\s*[-/]\s*20\d\d\b", "", TEXT_SOURCE.read_text(encoding="utf-8"))
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    argv = ["extract", str(path), "--out", str(tmp_path / "out"), "--workers", "1"]
    assert main([*argv, "--ente", "Comune di Portomaggiore", "--period", "2023-25"]) == 0
    row = documents_row(tmp_path / "out")
    assert row["ente"] == "Comune di Portomaggiore"
    assert (row["period_start"], row["period_end"]) == (dt.date(2023, 1, 1), dt.date(2025, 12, 31))


def test_document_period_wins_over_cli_option(tmp_path, variant):
    path = tmp_path / "doc.txt"
    path.write_bytes(variant(0))
    defaults = metadata.Metadata(period=metadata.parse_period("2030-2032"))
    pipeline.run([path], tmp_path / "out", defaults=defaults)
    assert documents_row(tmp_path / "out")["period_start"] == dt.date(2023, 1, 1)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("{not json", "bad metadata file doc.txt.meta.json: Expecting property name"),
        ('{"period": "2025"}', "plan period '2025' is not like 2023-2025"),
        ('{"ente": "X", "anno": 1}', "unknown keys anno (expected ente, period)"),
    ],
)
def test_bad_sidecar_fails_that_document_only(tmp_path, variant, content, reason):
    path, other = tmp_path / "doc.txt", tmp_path / "other.txt"
    path.write_bytes(variant(0))
    other.write_bytes(variant(1))
    (tmp_path / "doc.txt.meta.json").write_text(content)
    result = pipeline.run([tmp_path], tmp_path / "out")
    assert [d.path for d in result.written] == [other]
    assert reason in result.failed[path]


def test_bad_cli_period_is_a_usage_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as caught:
        main(["extract", str(TEXT_SOURCE), "--out", str(tmp_path), "--period", "2025"])
    assert caught.value.code == 2
    assert "is not like 2023-2025" in capsys.readouterr().err


def test_pipeline_version_changes_with_the_code_of_the_stages(tmp_path):
    assert re.fullmatch(r"\d+\.\d+\.\d+\+[0-9a-f]{8}", pipeline.PIPELINE_VERSION)
    package = tmp_path / "stage"
    package.mkdir()
    (package / "__init__.py").write_text("x = 1\n")
    module = types.SimpleNamespace(__file__=str(package / "__init__.py"))
    before = pipeline.code_fingerprint([module])
    (package / "__init__.py").write_text("x = 2\n")
    assert pipeline.code_fingerprint([module]) != before


def stored_as_job_writes(job: pipeline.Job, ente: str | None) -> dict:
    """The tables' record of ``job``'s file, as a run without CLI defaults stored it."""
    done = pipeline.StoredDocument(
        pipeline.PIPELINE_VERSION, ente, None, pipeline.source_key(job.path), job.doc_id
    )
    return {job.doc_id: done}


def test_a_rerun_with_a_new_ente_redoes_a_document_stored_without_one(tmp_path):
    path = tmp_path / "doc.txt"
    path.write_bytes(b"x")
    plain = pipeline.Job(0, path, "0" * 64, metadata.NO_METADATA, metadata.Metadata())
    with_ente = pipeline.Job(
        0, path, "0" * 64, metadata.NO_METADATA, metadata.Metadata(ente="Comune di Altro")
    )
    assert pipeline.is_unchanged(plain, stored_as_job_writes(plain, None))
    assert not pipeline.is_unchanged(with_ente, stored_as_job_writes(with_ente, None))
    assert pipeline.is_unchanged(with_ente, stored_as_job_writes(with_ente, "Comune di X"))
