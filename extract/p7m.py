"""Signed envelopes: ``.p7m`` (CMS SignedData, the CAdES files Italian administrations publish).

An ``allegato.pdf.p7m`` is the attachment wrapped in a CMS ``SignedData`` structure together
with the signer's certificate. It comes DER-encoded (binary) or base64-encoded (with or without
PEM armour such as ``-----BEGIN PKCS7-----``), and is sometimes signed twice (an envelope inside
an envelope). :func:`unwrap` takes the envelopes off in memory with asn1crypto and returns the
signed content with the signers' names; :mod:`extract` then reads that content by what it is.

The signature is **not verified**: verifying needs the trust list of the Italian qualified
certificate authorities, which an offline run does not have. The signer is reported as the
certificate says, not as proven.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # asn1crypto is imported when an envelope is read (start-up time)
    from asn1crypto import cms

#: Envelopes taken off at most (a file nested deeper is not an attachment anyone publishes).
MAX_LAYERS = 4
#: PEM armour lines: ``-----BEGIN PKCS7-----``, ``-----END CMS-----`` and the like.
_ARMOUR = re.compile(rb"-----(?:BEGIN|END)[^-\r\n]*-----")
_BASE64_TEXT = re.compile(rb"[A-Za-z0-9+/=\s]+")


class EnvelopeError(ValueError):
    """A signed envelope whose content cannot be taken out; ``str()`` is the reason."""


@dataclass(frozen=True, slots=True)
class Signer:
    """A signer as its certificate's subject names them: common name and organisation."""

    name: str | None
    organization: str | None


@dataclass(frozen=True, slots=True)
class Envelope:
    """What a ``.p7m`` held: the signed bytes, the envelopes' signers (outermost first) and
    how many envelopes were taken off."""

    content: bytes
    signers: tuple[Signer, ...]
    layers: int

    @property
    def signer_name(self) -> str | None:
        return joined(signer.name for signer in self.signers)

    @property
    def signer_organization(self) -> str | None:
        return joined(signer.organization for signer in self.signers)


def joined(values) -> str | None:
    """Distinct non-empty values in order, joined by ``"; "`` (``None`` when there are none)."""
    distinct = list(dict.fromkeys(value for value in values if value))
    return "; ".join(distinct) if distinct else None


def der_of(data: bytes) -> bytes | None:
    """The DER/BER bytes of a base64 envelope (armour and line breaks ignored), ``data`` itself
    when it already starts like DER, else ``None``."""
    if data[:1] == b"\x30":
        return data
    if not _BASE64_TEXT.fullmatch(_ARMOUR.sub(b"", data)):
        return None
    try:
        decoded = base64.b64decode(b"".join(_ARMOUR.sub(b"", data).split()), validate=True)
    except (binascii.Error, ValueError):
        return None
    return decoded if decoded[:1] == b"\x30" else None


def signed_data(data: bytes) -> cms.SignedData | None:
    """The CMS ``SignedData`` of an envelope (DER or base64), ``None`` when ``data`` is not one."""
    der = der_of(data)
    if der is None:
        return None
    from asn1crypto import cms

    try:
        info = cms.ContentInfo.load(der)
        if info["content_type"].native != "signed_data":
            return None
        content = info["content"]
        content.native  # noqa: B018 (forces the lazy parse: a broken envelope fails here)
    except (ValueError, TypeError, KeyError):
        return None
    return content


def is_envelope(data: bytes) -> bool:
    """Whether ``data`` is a CMS SignedData envelope (DER or base64)."""
    return signed_data(data) is not None


def signers_of(data: cms.SignedData) -> tuple[Signer, ...]:
    """The subject (CN, O) of each signer's certificate, matched by issuer and serial number
    or by subject key identifier; the envelope's first certificate when none matches."""
    certificates = [
        choice.chosen for choice in data["certificates"] or [] if choice.name == "certificate"
    ]
    signers = []
    for info in data["signer_infos"]:
        certificate = matching_certificate(info["sid"], certificates)
        if certificate is None and certificates:
            certificate = certificates[0]
        if certificate is not None:
            subject = certificate.subject.native
            signers.append(
                Signer(
                    name=text_of(subject.get("common_name")),
                    organization=text_of(subject.get("organization_name")),
                )
            )
    return tuple(signers)


def matching_certificate(sid: cms.SignerIdentifier, certificates: list) -> object | None:
    """The certificate a signer identifier points to, if the envelope carries it."""
    for certificate in certificates:
        if sid.name == "issuer_and_serial_number":
            wanted = sid.chosen
            if (
                certificate.issuer == wanted["issuer"]
                and certificate.serial_number == wanted["serial_number"].native
            ):
                return certificate
        elif certificate.key_identifier == sid.chosen.native:
            return certificate
    return None


def text_of(value: object) -> str | None:
    """A subject attribute as one string (some certificates repeat an attribute)."""
    if value is None:
        return None
    if isinstance(value, list):
        return joined(str(item) for item in value)
    return str(value).strip() or None


def unwrap(data: bytes) -> Envelope:
    """Take every envelope off ``data`` (at most :data:`MAX_LAYERS`).

    Raises :class:`EnvelopeError` for an envelope without its content (a detached signature,
    whose signed file travels separately) or one nested deeper than :data:`MAX_LAYERS`.
    """
    signers: list[Signer] = []
    layers = 0
    content = data
    while (envelope := signed_data(content)) is not None:
        layers += 1
        if layers > MAX_LAYERS:
            raise EnvelopeError(f"signed envelopes nested more than {MAX_LAYERS} deep")
        signers += signers_of(envelope)
        inner = envelope["encap_content_info"]["content"]
        if inner is None or inner.native is None:
            raise EnvelopeError(
                "a detached signature: the signed file is not inside the .p7m envelope"
            )
        content = inner.native
    if layers == 0:
        raise EnvelopeError("not a CMS SignedData envelope")
    return Envelope(content=content, signers=tuple(signers), layers=layers)
