#!/usr/bin/env python3
"""klaten_verify.py: memeriksa keaslian surat dan sertifikat Klaten Desktop tanpa internet.

Pemakaian:
    python klaten_verify.py --bundle bundel-verifikasi.json "KD1:GF6DOURZ..."
    python klaten_verify.py --bundle bundel-verifikasi.json -        (teks kode QR dibaca dari stdin)

Teks kode QR didapat dengan memindai kode QR pada surat atau sertifikat (aplikasi pemindai QR di ponsel, atau
pemindai USB). Bundel verifikasi dibuat oleh Pemerintah Kabupaten Klaten dengan
``klaten-desktop-cli keys export --bundle BERKAS``. Hasil: SAH, TIDAK SAH (dengan alasannya) atau TIDAK DIKENAL,
dan bila SAH, data surat yang ditandatangani. Kode keluar: 0 SAH, 1 TIDAK SAH, 2 TIDAK DIKENAL, 3 bundel atau
perintah salah.

Hanya memerlukan Python 3.10 atau lebih baru dan paket ``cryptography`` (pip install cryptography).
Format kode dan bundel dijelaskan di docs/verification.md.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import datetime
import hashlib
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

QR_PREFIX = "KD1:"
SIGNATURE_BYTES = 64
CLAIM_FIELDS = ("v", "c", "n", "d", "k", "o", "m", "t", "s0", "s1", "s2", "x", "r")
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
BUNDLE_FORMAT = "klaten-desktop-bundel-verifikasi"
BUNDLE_VERSION = 1
EXIT_SAH, EXIT_TIDAK_SAH, EXIT_TIDAK_DIKENAL, EXIT_ERROR = 0, 1, 2, 3

KIND_LABELS = {
    "pengantar": "Surat Pengantar Pendaftaran",
    "keterangan": "Surat Keterangan Kepesertaan",
    "iuran": "Surat Pemberitahuan Iuran",
    "sertifikat": "Sertifikat Peserta Sosialisasi",
}
MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip


class BundleError(Exception):
    """The bundle file cannot be used (message in Indonesian)."""


@dataclass(frozen=True)
class Office:
    install_id: str
    office_code: str
    role: str
    name: str
    signing_public_b64: str
    fingerprint: str


@dataclass
class Verdict:
    verdict: str  # "SAH", "TIDAK SAH" or "TIDAK DIKENAL"
    reason: str
    claims: dict[str, str] = field(default_factory=dict)
    office: Office | None = None

    @property
    def exit_code(self) -> int:
        return {"SAH": EXIT_SAH, "TIDAK SAH": EXIT_TIDAK_SAH}.get(self.verdict, EXIT_TIDAK_DIKENAL)


# ------------------------------------------------------------------------------------------------ the bundle


def _signature_ok(public_b64: str, message: bytes, signature: bytes) -> bool:
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_b64, validate=True))
        key.verify(signature, message)
    except (InvalidSignature, ValueError, binascii.Error):
        return False
    return True


def _fingerprint(signing_b64: str, encryption_b64: str) -> str:
    digest = hashlib.sha256(base64.b64decode(signing_b64) + base64.b64decode(encryption_b64)).hexdigest()[:40]
    return " ".join(digest[i : i + 4].upper() for i in range(0, 40, 4))


def load_bundle(raw: bytes) -> tuple[Office, list[Office]]:
    """(the office that made the bundle, every office in it) from the bundle file's bytes."""
    bad = BundleError("Berkas bundel verifikasi rusak atau bukan bundel Klaten Desktop.")
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise bad from None
    if not isinstance(document, dict) or document.get("format") != BUNDLE_FORMAT:
        raise bad
    if not isinstance(document.get("version"), int) or document["version"] > BUNDLE_VERSION:
        raise BundleError("Bundel dibuat oleh versi Klaten Desktop yang lebih baru; perbarui klaten_verify.py.")
    try:
        offices = [
            Office(
                str(o["install_id"]),
                str(o["office_code"]),
                str(o["role"]),
                str(o["name"]),
                str(o["signing_public_b64"]),
                _fingerprint(o["signing_public_b64"], o["encryption_public_b64"]),
            )
            for o in document["offices"]
        ]
        maker = next(o for o in offices if o.install_id == document["made_by"])
        body = {k: v for k, v in document.items() if k != "signature"}
        message = json.dumps(body, sort_keys=True, ensure_ascii=False).encode("utf-8")
        signature = base64.b64decode(document["signature"], validate=True)
    except (KeyError, TypeError, StopIteration, ValueError, binascii.Error):
        raise bad from None
    if not _signature_ok(maker.signing_public_b64, message, signature):
        raise BundleError("Tanda tangan bundel verifikasi tidak sah: berkas telah diubah. Minta bundel yang baru.")
    return maker, offices


# ------------------------------------------------------------------------------------------------ the code


def decode_qr(text: str) -> tuple[bytes, dict[str, str], bytes] | None:
    """(signed bytes, claims by field name, signature) from the QR text, or None when it is not whole."""
    text = text.strip()
    if not text.upper().startswith(QR_PREFIX):
        return None
    body = re.sub(r"\s", "", text[len(QR_PREFIX) :]).upper()
    try:
        raw = base64.b32decode(body + "=" * (-len(body) % 8))
    except (ValueError, binascii.Error):
        return None
    if len(raw) <= SIGNATURE_BYTES:
        return None
    signed, signature = raw[:-SIGNATURE_BYTES], raw[-SIGNATURE_BYTES:]
    try:
        fields = signed.decode("utf-8").split("|")
    except UnicodeDecodeError:
        return None
    if len(fields) != len(CLAIM_FIELDS) or fields[0] != "1":
        return None
    return signed, dict(zip(CLAIM_FIELDS, fields, strict=True)), signature


def short_code(text: str) -> str | None:
    cleaned = re.sub(r"[\s\-_.]", "", text.upper()).translate(str.maketrans("OILU", "011V"))
    if len(cleaned) != 10 or any(ch not in CROCKFORD for ch in cleaned):
        return None
    return f"{cleaned[:4]}-{cleaned[4:8]}-{cleaned[8:]}"


def check(text: str, offices: list[Office]) -> Verdict:
    """The verdict on a QR text (or a typed short code) against the offices of a bundle."""
    text = text.strip()
    if not text.upper().startswith(QR_PREFIX):
        code = short_code(text)
        if code is None:
            return Verdict("TIDAK DIKENAL", "Teks ini bukan kode verifikasi Klaten Desktop.")
        return Verdict(
            "TIDAK DIKENAL",
            f"Kode pendek {code} saja tidak memuat tanda tangan digital, sehingga tidak dapat diperiksa dengan "
            "bundel. Pindai kode QR pada dokumen, atau minta kantor penerbit memeriksa kode ini di aplikasi "
            "Klaten Desktop (menu Verifikasi).",
        )
    decoded = decode_qr(text)
    if decoded is None:
        return Verdict("TIDAK SAH", "Kode QR tidak terbaca utuh atau bukan kode Klaten Desktop; pindai ulang.")
    signed, claims, signature = decoded
    issuers = [o for o in offices if o.office_code == claims["o"]]
    if not issuers:
        return Verdict(
            "TIDAK DIKENAL",
            f"Kantor penerbit {claims['o']} tidak ada dalam bundel verifikasi. Minta bundel terbaru dari "
            "Pemerintah Kabupaten Klaten.",
            claims,
        )
    for office in issuers:
        if _signature_ok(office.signing_public_b64, signed, signature):
            return Verdict(
                "SAH", f"Tanda tangan digital sah: ditandatangani dengan kunci {office.name}.", claims, office
            )
    for other in offices:
        if other.office_code != claims["o"] and _signature_ok(other.signing_public_b64, signed, signature):
            return Verdict(
                "TIDAK SAH",
                f"Kunci tidak cocok: dokumen mengaku terbitan {issuers[0].name} ({claims['o']}), tetapi "
                f"ditandatangani dengan kunci {other.name} ({other.office_code}).",
                claims,
            )
    prints = ", ".join(o.fingerprint for o in issuers)
    return Verdict(
        "TIDAK SAH",
        f"Tanda tangan digital tidak cocok dengan kunci {issuers[0].name} ({claims['o']}) dalam bundel "
        f"(sidik jari {prints}): isi kode QR telah diubah, atau dokumen ditandatangani dengan kunci lain.",
        claims,
    )


# ------------------------------------------------------------------------------------------------ output


def _date(text: str) -> str:
    try:
        d = datetime.date.fromisoformat(text)
    except ValueError:
        return text
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def _rupiah(text: str) -> str:
    try:
        n = int(text)
    except ValueError:
        return text
    return ("-" if n < 0 else "") + "Rp " + f"{abs(n):,}".replace(",", ".")


def facts(claims: dict[str, str], office: Office) -> list[tuple[str, str]]:
    """The document's facts from its signed claims, as (label, value) lines."""
    kind = claims["k"]
    certificate = kind == "sertifikat"
    rows = [
        ("Jenis dokumen", f"{KIND_LABELS[kind]} ({kind})" if kind in KIND_LABELS else kind),
        ("Nomor", claims["n"]),
        ("Tanggal", _date(claims["d"])),
        ("Kantor penerbit", f"{office.name} ({claims['o']})"),
        ("Kode verifikasi", short_code(claims["c"]) or claims["c"]),
    ]
    if claims["t"]:
        rows.append(("Desa", claims["t"]))
    if not certificate:
        rows.append(("Jumlah pengurus", claims["m"] or "0"))
    if claims["s0"]:
        rows.append(("Nama peserta" if certificate else "Nama pengurus", claims["s0"]))
        if claims["s1"]:
            rows.append(("NIK (tersamar)", claims["s1"]))
        if claims["s2"]:
            rows.append(("Nomor KPJ (tersamar)", claims["s2"]))
    if claims["r"]:
        rows.append(("Jumlah iuran", _rupiah(claims["r"])))
    rows.append(("Sidik isi arsip", claims["x"]))
    rows.append(("Sidik jari kunci", office.fingerprint))
    return rows


def report(verdict: Verdict) -> str:
    lines = [f"HASIL: {verdict.verdict}", verdict.reason]
    if verdict.verdict == "SAH" and verdict.office is not None:
        rows = facts(verdict.claims, verdict.office)
        width = max(len(label) for label, _ in rows)
        lines.append("")
        lines += [f"{label.ljust(width)} : {value}" for label, value in rows]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="klaten_verify.py", description="Periksa keaslian surat atau sertifikat Klaten Desktop (luring)."
    )
    parser.add_argument("--bundle", required=True, metavar="BERKAS", help="bundel verifikasi dari kabupaten")
    parser.add_argument("code", metavar="KODE", help="teks kode QR (KD1:...), kode pendek, atau - untuk stdin")
    args = parser.parse_args(argv)
    for stream in (sys.stdout, sys.stderr):
        reconfigure: Any = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")
    try:
        maker, offices = load_bundle(Path(args.bundle).read_bytes())
    except OSError as exc:
        sys.stderr.write(f"Berkas bundel tidak dapat dibaca: {exc.strerror or exc}\n")
        return EXIT_ERROR
    except BundleError as exc:
        sys.stderr.write(f"{exc}\n")
        return EXIT_ERROR
    text = sys.stdin.read() if args.code == "-" else args.code
    verdict = check(text, offices)
    sys.stdout.write(report(verdict))
    sys.stdout.write(f"\nBundel dari {maker.name}, sidik jari {maker.fingerprint}.\n")
    return verdict.exit_code


if __name__ == "__main__":
    sys.exit(main())
