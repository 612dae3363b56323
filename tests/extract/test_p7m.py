"""Signed ``.p7m`` envelopes (CMS SignedData): the content is read as if it had come unwrapped.

The envelopes are made at test time by ``tests/fixtures/make_p7m.py`` (self-signed
certificate, DER, PEM-armoured and bare base64, signed once or twice).
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest

import normalize
from extract import p7m, read_document
from extract.errors import UnsupportedFormatError

ROOT = Path(__file__).resolve().parents[2]
TEXT_SOURCE = ROOT / "data" / "raw" / "portomaggiore_piao_2023-2025_allegato1.txt"
RULED = ROOT / "tests" / "fixtures" / "portomaggiore_ruled.pdf"
AT = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
COMPARED = ("sectors", "objectives", "items", "dates", "quality", "cells")


@cache
def unwrapped_records(path: Path) -> dict[str, list[dict]]:
    """The normalised records of the unwrapped file, without the document id."""
    return records_of(read_document(path))


def records_of(document) -> dict[str, list[dict]]:
    out = normalize.normalize_document(document, extracted_at=AT)
    return {
        name: [{k: v for k, v in record.items() if k != "doc_id"} for record in out.table(name)]
        for name in COMPARED
    }


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("source", "encoding", "source_format"),
    [
        (TEXT_SOURCE, "der", "text+p7m"),
        (TEXT_SOURCE, "pem", "text+p7m"),
        (TEXT_SOURCE, "base64", "text+p7m"),
        (RULED, "der", "pdf+p7m"),
        (RULED, "base64", "pdf+p7m"),
    ],
    ids=["text-der", "text-pem", "text-base64", "pdf-der", "pdf-base64"],
)
def test_envelope_gives_the_tables_of_its_content(
    tmp_path: Path, make_p7m: ModuleType, source: Path, encoding: str, source_format: str
) -> None:
    signed = make_p7m.sign(source.read_bytes(), encoding=encoding)
    path = write(tmp_path, f"allegato{source.suffix}.p7m", signed)
    document = read_document(path)
    assert document.source_format == source_format
    assert document.source_name == "allegato" + source.suffix + ".p7m"
    assert document.signer_name == "ROSSI MARIO"
    assert document.signer_organization == "Comune di Portomaggiore"
    assert not [note for note in document.notes if note.rule == "extension_mismatch"]
    records = records_of(document)
    assert len(records["objectives"]) == 48
    assert records == unwrapped_records(source)


def test_envelope_signed_twice_names_both_signers(tmp_path: Path, make_p7m: ModuleType) -> None:
    signed = make_p7m.sign_twice(TEXT_SOURCE.read_bytes(), encoding="base64")
    document = read_document(write(tmp_path, "allegato.txt.p7m.p7m", signed))
    assert document.source_format == "text+p7m"
    assert document.signer_name == "BIANCHI ANNA; ROSSI MARIO"
    assert document.signer_organization == (
        "Unione dei Comuni Valli e Delizie; Comune di Portomaggiore"
    )
    assert records_of(document) == unwrapped_records(TEXT_SOURCE)


def test_signer_goes_into_documents(tmp_path: Path, make_p7m: ModuleType) -> None:
    signed = make_p7m.sign(TEXT_SOURCE.read_bytes())
    document = read_document(write(tmp_path, "allegato.txt.p7m", signed))
    (record,) = normalize.normalize_document(document, extracted_at=AT).table("documents")
    assert record["source_format"] == "text+p7m"
    assert record["signer_name"] == "ROSSI MARIO"
    assert record["signer_organization"] == "Comune di Portomaggiore"
    assert record["doc_id"] == document.doc_id != read_document(TEXT_SOURCE).doc_id


def test_unsigned_document_has_no_signer() -> None:
    document = read_document(TEXT_SOURCE)
    assert (document.signer_name, document.signer_organization) == (None, None)


def test_unwrap_returns_the_exact_content(make_p7m: ModuleType) -> None:
    content = RULED.read_bytes()
    envelope = p7m.unwrap(make_p7m.sign_twice(content, encoding="pem"))
    assert envelope.content == content
    assert envelope.layers == 2
    assert [signer.name for signer in envelope.signers] == ["BIANCHI ANNA", "ROSSI MARIO"]


def test_plain_text_is_not_an_envelope() -> None:
    assert not p7m.is_envelope(TEXT_SOURCE.read_bytes())
    assert not p7m.is_envelope(b"MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA")


def test_envelope_of_binary_data_is_one_line(tmp_path: Path, make_p7m: ModuleType) -> None:
    """A .p7m whose content is not an attachment (an image) fails in one line."""
    image = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    path = write(tmp_path, "firma.png.p7m", make_p7m.sign(image))
    with pytest.raises(UnsupportedFormatError) as caught:
        read_document(path)
    assert str(caught.value) == (
        f"{path}: the signed envelope (.p7m) holds binary data, not an attachment piao reads"
    )


def test_detached_signature_is_one_line(tmp_path: Path, make_p7m: ModuleType) -> None:
    """A detached signature carries no content: the signed file travels separately."""
    key, certificate = make_p7m.self_signed(*make_p7m.SIGNER)
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.serialization import pkcs7

    detached = (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(b"contenuto")
        .add_signer(certificate, key, hashes.SHA256())
        .sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.DetachedSignature])
    )
    path = write(tmp_path, "allegato.pdf.p7m", detached)
    with pytest.raises(UnsupportedFormatError) as caught:
        read_document(path)
    assert str(caught.value) == (
        f"{path}: signed envelope (.p7m): a detached signature: "
        "the signed file is not inside the .p7m envelope"
    )
