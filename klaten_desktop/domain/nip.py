"""NIP (Nomor Identitas Pegawai Negeri Sipil) of the signing camat (docs/domain.md section 5)."""

from __future__ import annotations

NIP_LENGTH = 18


def normalize_nip(text: str) -> str:
    """Drop the spaces of the usual grouping "19700101 199003 1 001"."""
    return "".join(text.split())


def nip_problem(nip: str) -> str | None:
    """An Indonesian message when a normalised NIP is not 18 digits, else None (an empty NIP is allowed)."""
    if nip and (not (nip.isascii() and nip.isdigit()) or len(nip) != NIP_LENGTH):
        return f"NIP terdiri dari {NIP_LENGTH} digit angka."
    return None
