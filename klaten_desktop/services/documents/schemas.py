"""The archived payloads, typed: one frozen dataclass per kind of document and payload version.

A document is archived as the JSON payload it was printed from (``document.payload``). Reprints and verification
read it back through :func:`read`, which gives the schema of its kind and version (``v`` in the JSON) and refuses
a payload that fits none; :meth:`to_json` gives back exactly the JSON that was archived, so the content digest
signed into the QR code stays the same. Nested parts whose shape the templates decide (the letterhead lines, the
body blocks, the attachment table) stay plain mappings.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from klaten_desktop.services.errors import UserError

CERTIFICATE_KIND = "sertifikat"


class PayloadError(UserError):
    """An archived payload that fits no schema (altered, or written by a newer version of the app)."""


@dataclass(frozen=True)
class Verification:
    """The verification block printed on a document: the short code, the signed QR string and its modules."""

    code: str
    qr: str
    modules: Mapping[str, Any] | None = None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Verification:
        return cls(str(data["code"]), str(data["qr"]), data.get("modules"))

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code, "qr": self.qr}
        if self.modules is not None:
            out["modules"] = dict(self.modules)
        return out


@dataclass(frozen=True)
class LetterPayloadV1:
    """A letter (pengantar, keterangan, iuran or a staff-defined kind), payload version 1."""

    kind: str
    kind_label: str
    template_version: int
    layout: str
    paper: str
    office_code: str
    kop: Mapping[str, Any]
    tempat: str
    tanggal: str
    tanggal_teks: str
    nomor: str
    sifat: str
    lampiran: str
    hal: str
    title: str
    yth: tuple[str, ...]
    di: str
    body: tuple[Mapping[str, Any], ...]
    signature: Mapping[str, Any]
    tembusan: tuple[str, ...]
    attachment: Mapping[str, Any] | None
    desa_kode: str | None = None
    periode: tuple[str, str] | None = None
    total_iuran: int | None = None
    verification: Verification | None = None
    kantor: str | None = None  # the issuing office (the PDF's author); absent before December 2026
    dibuat: str | None = None  # when it was issued (ISO, naive UTC: the PDF's creation date)
    version: Literal[1] = 1

    _REQUIRED = (
        "kind", "kind_label", "template_version", "layout", "paper", "office_code", "kop", "tempat", "tanggal",
        "tanggal_teks", "nomor", "sifat", "lampiran", "hal", "title", "yth", "di", "body", "signature",
        "tembusan", "attachment",
    )  # fmt: skip
    _OPTIONAL = ("desa_kode", "periode", "total_iuran", "verification", "kantor", "dibuat")

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> LetterPayloadV1:
        _check_keys(data, cls._REQUIRED, cls._OPTIONAL)
        periode = data.get("periode")
        return cls(
            **{k: data[k] for k in cls._REQUIRED if k not in ("yth", "body", "tembusan")},
            yth=tuple(data["yth"]),
            body=tuple(data["body"]),
            tembusan=tuple(data["tembusan"]),
            desa_kode=data.get("desa_kode"),
            periode=(str(periode[0]), str(periode[1])) if periode is not None else None,
            total_iuran=data.get("total_iuran"),
            verification=_verification(data),
            kantor=data.get("kantor"),
            dibuat=data.get("dibuat"),
        )

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"v": self.version}
        for key in self._REQUIRED:
            value = getattr(self, key)
            out[key] = list(value) if isinstance(value, tuple) else value
        if self.desa_kode is not None:
            out["desa_kode"] = self.desa_kode
        if self.periode is not None:
            out["periode"] = list(self.periode)
        if self.total_iuran is not None:
            out["total_iuran"] = self.total_iuran
        if self.verification is not None:
            out["verification"] = self.verification.to_json()
        _issued(out, self.kantor, self.dibuat)
        return out


def _issued(out: dict[str, Any], kantor: str | None, dibuat: str | None) -> None:
    if kantor is not None:
        out["kantor"] = kantor
    if dibuat is not None:
        out["dibuat"] = dibuat


@dataclass(frozen=True)
class CertificatePayloadV1:
    """A certificate of attendance of a socialization event, payload version 1."""

    kind_label: str
    office_code: str
    nomor: str
    tanggal: str
    tanggal_teks: str
    tempat: str
    title: str
    hal: str
    kop: Mapping[str, Any]
    event_id: str
    participant_id: str
    official_id: str | None
    nama: str
    peran: str
    acara: Mapping[str, Any]
    body: tuple[Mapping[str, Any], ...]
    signatures: tuple[Mapping[str, Any], ...]
    verification: Verification | None = None
    kantor: str | None = None
    dibuat: str | None = None
    kind: Literal["sertifikat"] = "sertifikat"
    version: Literal[1] = 1

    _REQUIRED = (
        "kind", "kind_label", "office_code", "nomor", "tanggal", "tanggal_teks", "tempat", "title", "hal", "kop",
        "event_id", "participant_id", "official_id", "nama", "peran", "acara", "body", "signatures",
    )  # fmt: skip
    _OPTIONAL = ("verification", "kantor", "dibuat")

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CertificatePayloadV1:
        _check_keys(data, cls._REQUIRED, cls._OPTIONAL)
        return cls(
            **{k: data[k] for k in cls._REQUIRED if k not in ("kind", "body", "signatures")},
            body=tuple(data["body"]),
            signatures=tuple(data["signatures"]),
            verification=_verification(data),
            kantor=data.get("kantor"),
            dibuat=data.get("dibuat"),
        )

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"v": self.version}
        for key in self._REQUIRED:
            value = getattr(self, key)
            out[key] = list(value) if isinstance(value, tuple) else value
        if self.verification is not None:
            out["verification"] = self.verification.to_json()
        _issued(out, self.kantor, self.dibuat)
        return out


Payload = LetterPayloadV1 | CertificatePayloadV1


def _check_keys(data: Mapping[str, Any], required: Sequence[str], optional: Sequence[str]) -> None:
    missing = [k for k in required if k not in data]
    unknown = sorted(set(data) - set(required) - set(optional) - {"v"})
    if missing or unknown:
        raise PayloadError(
            f"Isi arsip dokumen {data.get('nomor', '')} tidak sesuai bentuknya "
            f"(kurang: {', '.join(missing) or '-'}; tak dikenal: {', '.join(unknown) or '-'})."
        )


def _verification(data: Mapping[str, Any]) -> Verification | None:
    block = data.get("verification")
    return Verification.from_json(block) if block is not None else None


def read(data: Mapping[str, Any]) -> Payload:
    """The schema of an archived payload (a mapping read from JSON), by its kind and version."""
    version = data.get("v")
    if version != 1:
        raise PayloadError(f"Versi isi arsip dokumen {version!r} tidak dikenal; perbarui aplikasi.")
    if data.get("kind") == CERTIFICATE_KIND:
        return CertificatePayloadV1.from_json(data)
    return LetterPayloadV1.from_json(data)


def loads(text: str) -> Payload:
    """An archived payload from the JSON text stored in ``document.payload``."""
    return read(json.loads(text))


def dumps(payload: Mapping[str, Any]) -> str:
    """The JSON text archived for a payload (keys sorted, so equal payloads store equal text)."""
    return json.dumps(payload, ensure_ascii=False, sort_keys=True)


def dumps_list(values: Sequence[str]) -> str:
    """A list of names (a document's recipients) as archived."""
    return json.dumps(list(values), ensure_ascii=False)
