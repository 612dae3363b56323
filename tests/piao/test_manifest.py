"""Whose an attachment is: sidecar, then manifest (manifest.csv in the folder or --manifest),
then the signer's organisation of a .p7m, then the printed text; documents.ente_source says
which (piao.manifest, piao.metadata)."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from types import ModuleType

import pytest

from piao.cli import main
from piao.manifest import ManifestError, read_manifest
from schema import read_table

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "data" / "raw" / "portomaggiore_piao_2023-2025_allegato1.txt"


def extract(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["extract", *args, "--workers", "1"])
    return status, out.getvalue(), err.getvalue()


def documents(clean: Path) -> dict[str, dict]:
    return {r["source_name"]: r for r in read_table("documents", clean).to_pylist()}


def copy(folder: Path, name: str, text: str | None = None) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text or SHIPPED.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def test_a_manifest_in_the_folder_names_the_ente_and_period(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    copy(raw, "sub/piano.txt")
    (raw / "manifest.csv").write_text(
        "\ufefffile;ente;period\nsub/piano.txt;COMUNE DI CODIGORO (FE);2023-2025\n",
        encoding="utf-8",
    )
    status, _out, err = extract(str(raw), "--out", str(tmp_path / "clean"))
    assert status == 0
    row = documents(tmp_path / "clean")["piano.txt"]
    assert (row["ente"], row["ente_source"], row["ente_key"]) == (
        "Comune di Codigoro",
        "manifest",
        "codigoro",
    )
    assert row["period_start"].year == 2023
    assert f"piao: skipped 1 file that is not an attachment: {raw / 'manifest.csv'}\n" in err
    objectives = read_table("objectives", tmp_path / "clean").to_pylist()
    assert {(r["ente"], r["plan_year"]) for r in objectives} == {("Comune di Codigoro", 2023)}


def test_a_sidecar_wins_over_the_manifest_given_by_option(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    path = copy(raw, "piano.txt")
    sidecar = {"ente": "Comune di Mesola", "period": "2023-2025"}
    Path(f"{path}.meta.json").write_text(json.dumps(sidecar), encoding="utf-8")
    manifest = tmp_path / "elenco.csv"
    manifest.write_text("file,ente,period\npiano.txt,Comune di Goro,\n", encoding="utf-8")
    status, _out, _err = extract(
        str(raw), "--out", str(tmp_path / "c"), "--manifest", str(manifest)
    )
    assert status == 0
    row = documents(tmp_path / "c")["piano.txt"]
    assert (row["ente"], row["ente_source"]) == ("Comune di Mesola", "sidecar")


def test_a_bad_manifest_stops_the_run_naming_its_line(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    copy(raw, "piano.txt")
    (raw / "manifest.csv").write_text("file,ente,period\npiano.txt,Comune di Goro,2025\n")
    status, _out, err = extract(str(raw), "--out", str(tmp_path / "c"))
    assert status == 1
    assert "manifest.csv, line 2: plan period '2025' is not like 2023-2025" in err


def test_a_manifest_naming_a_bare_file_name_twice_is_refused(tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("file,ente,period\na.txt,X,\na.txt,Y,\n", encoding="utf-8")
    with pytest.raises(ManifestError, match=r"line 3: a\.txt is named twice"):
        read_manifest(manifest)


def test_the_printed_name_gives_the_ente_when_nothing_else_does(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    copy(raw, "piano.txt", "**COMUNE DI CODIGORO**\n" + SHIPPED.read_text(encoding="utf-8"))
    assert extract(str(raw), "--out", str(tmp_path / "c"))[0] == 0
    row = documents(tmp_path / "c")["piano.txt"]
    assert (row["ente"], row["ente_source"]) == ("Comune di Codigoro", "text")


def test_the_signers_organisation_gives_the_ente_of_a_p7m(
    tmp_path: Path, make_p7m: ModuleType
) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "allegato.txt.p7m").write_bytes(make_p7m.sign(SHIPPED.read_bytes()))
    status, out, _err = extract(str(raw), "--out", str(tmp_path / "c"))
    assert status == 0
    row = documents(tmp_path / "c")["allegato.txt.p7m"]
    assert (row["ente"], row["ente_source"]) == ("Comune di Portomaggiore", "p7m")
    assert "without ente" not in out


def test_a_document_without_ente_is_counted_with_how_to_name_it(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    copy(raw, "piano.txt")
    status, out, _err = extract(str(raw), "--out", str(tmp_path / "c"))
    assert status == 0
    assert out.splitlines()[-2] == (
        "1 document without ente (never chained to other editions): name them in a "
        "manifest.csv (columns file,ente,period) beside the attachments, or pass --manifest "
        "FILE, and run piao extract again"
    )
