"""The desa offered: those of the office's kecamatan, or all of Klaten (with their kecamatan) for the regency."""

from __future__ import annotations

from typing import NamedTuple

from klaten_desktop.gui.session import office_desa
from klaten_desktop.services import office, wilayah
from klaten_desktop.services.context import ServiceContext


class DesaChoice(NamedTuple):
    kode: str
    nama: str  # in the preview table
    label: str  # in the combo boxes


def desa_choices(ctx: ServiceContext) -> tuple[list[DesaChoice], str]:
    """(the desa, what "all of them" is called: "Kecamatan Prambanan" or "Kabupaten Klaten")."""
    data = office.get(ctx)
    rows = office_desa(ctx)
    if data is not None and data.kecamatan_nama:
        return [DesaChoice(r.kode, r.nama, r.label) for r in rows], f"Kecamatan {data.kecamatan_nama}"
    kecamatan = {k.kode: k.nama for k in wilayah.kecamatan(ctx)}
    choices = []
    for r in rows:
        kec = kecamatan.get(r.kode_induk, r.kode_induk)
        choices.append(DesaChoice(r.kode, f"{r.nama} ({kec})", f"{r.label} (Kec. {kec})"))
    return choices, "Kabupaten Klaten"
