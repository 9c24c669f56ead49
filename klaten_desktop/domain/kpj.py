"""Nomor KPJ (BPJS Ketenagakerjaan membership number). Usually 11 digits (docs/domain.md 1.5, probable)."""

from __future__ import annotations

import re

from klaten_desktop.domain.validation import CheckResult

KPJ_LENGTH = 11

_STRIP_RE = re.compile(r"[\s.\-'\u00a0]")


def normalize_kpj(text: str) -> str:
    return _STRIP_RE.sub("", text)


def check_kpj(kpj: str, field: str = "nomor_kpj") -> CheckResult:
    if not kpj or not kpj.strip():
        return CheckResult.error(field, "kpj_empty", "Nomor KPJ wajib diisi.")
    if not (kpj.isascii() and kpj.isdigit()):
        return CheckResult.error(field, "kpj_digits", "Nomor KPJ hanya boleh berisi angka 0-9.")
    if len(kpj) != KPJ_LENGTH:
        return CheckResult.warning(
            field,
            "kpj_length",
            f"Nomor KPJ biasanya {KPJ_LENGTH} digit (terisi {len(kpj)} digit). "
            "Periksa kembali dengan kartu peserta; bila memang benar, nomor ini boleh tetap disimpan.",
        )
    return CheckResult()
