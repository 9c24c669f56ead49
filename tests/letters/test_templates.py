"""Templates: placeholder checks, versions, export/import, staff-defined kinds, preview with synthetic data."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.documents import archive
from klaten_desktop.services.errors import UserError
from klaten_desktop.services.letters import issue, templates
from klaten_desktop.services.letters.templates import LetterTemplate
from tests.conftest import SENGON
from tests.letters.conftest import ReadPdf


def test_builtin_templates_are_valid_and_listed(ctx: ServiceContext) -> None:
    listed = templates.list_templates(ctx)
    assert [t.kind for t in listed] == ["pengantar", "keterangan", "iuran"]
    for t in listed:
        assert templates.check(t) == [], t.kind
        assert t.version == 0


def test_misspelt_placeholder_is_caught_with_a_suggestion(ctx: ServiceContext) -> None:
    t = replace(templates.get(ctx, "keterangan"), body="Yang bernama {{nmaa}} dari desa {{ desa }} KPJ {{nomor kpj}}.")
    problems = templates.check(t)
    assert problems == [
        "Isi surat: isian {{nmaa}} tidak dikenal; maksud Anda {{nama}}?",
        "Isi surat: isian {{nomor kpj}} tidak dikenal; maksud Anda {{nomor_kpj}}?",
    ]
    with pytest.raises(UserError, match=r"isian \{\{nmaa\}\} tidak dikenal") as info:
        templates.save(ctx, SYSTEM, t)
    assert len(info.value.details) == 2
    assert templates.get(ctx, "keterangan").version == 0  # nothing saved


def test_placeholder_of_another_scope_and_broken_braces(ctx: ServiceContext) -> None:
    t = replace(templates.get(ctx, "pengantar"), hal="Pendaftaran {{nama}}", body="Isi {nama} dan {{desa}")
    problems = templates.check(t)
    assert "Hal: isian {{nama}} tidak tersedia untuk jenis surat ini (hanya untuk cakupan: pengurus)." in problems
    assert any(p.startswith("Isi surat: kurung kurawal tidak berpasangan") for p in problems)
    t = replace(templates.get(ctx, "keterangan"), body="Data: {{rincian}} di tengah kalimat.")
    assert templates.check(t) == ["Isi surat: {{rincian}} harus berdiri sendiri sebagai satu paragraf isi surat."]


def test_versions_history_and_restore(ctx: ServiceContext, tmp_path: Path, read_pdf: ReadPdf) -> None:
    base = templates.get(ctx, "keterangan")
    v1 = templates.save(ctx, SYSTEM, replace(base, sifat="Penting"))
    v2 = templates.save(ctx, SYSTEM, replace(base, tembusan=("Arsip",)))
    assert (v1.version, v2.version) == (1, 2)
    assert [t.version for t in templates.history(ctx, "keterangan")] == [0, 1, 2]
    assert templates.get(ctx, "keterangan").tembusan == ("Arsip",)
    v3 = templates.restore(ctx, SYSTEM, "keterangan", 1)
    assert v3.version == 3 and v3.sifat == "Penting" and v3.tembusan == base.tembusan
    assert v3.saved_by == "sistem"


def test_export_import_round_trip(make_ctx: object, tmp_path: Path) -> None:
    regency = make_ctx("kabupaten", name="kab")  # type: ignore[operator]
    kecamatan = make_ctx("kecamatan", name="kec")  # type: ignore[operator]
    custom = LetterTemplate(
        kind="undangan_sosialisasi",
        label="Undangan Sosialisasi",
        scope="daftar",
        hal="Undangan Sosialisasi BPJS Ketenagakerjaan",
        yth=("Pengurus RT/RW Desa {{desa}}",),
        di="Tempat",
        body="Dengan hormat,\n\nKami mengundang {{jumlah}} orang pengurus Desa {{desa}} (daftar terlampir).",
    )
    templates.save(regency, SYSTEM, custom)
    templates.save(regency, SYSTEM, replace(templates.get(regency, "iuran"), sifat="Segera"))
    path = tmp_path / "standar.json"
    assert templates.export_file(regency, path) == 4
    assert json.loads(path.read_text(encoding="utf-8"))["format"] == "klaten-desktop/templat-surat"

    result = templates.import_file(kecamatan, SYSTEM, path)
    assert set(result.saved) == {"iuran", "undangan_sosialisasi"}
    assert set(result.unchanged) == {"pengantar", "keterangan"}
    assert templates.get(kecamatan, "iuran").sifat == "Segera"
    assert templates.get(kecamatan, "undangan_sosialisasi").label == "Undangan Sosialisasi"
    again = templates.import_file(kecamatan, SYSTEM, path)
    assert again.saved == ()


def test_import_refuses_bad_files_and_saves_nothing(ctx: ServiceContext, tmp_path: Path) -> None:
    path = tmp_path / "rusak.json"
    path.write_text("{bukan json", encoding="utf-8")
    with pytest.raises(UserError, match="JSON tidak sah"):
        templates.import_file(ctx, SYSTEM, path)
    good = templates.get(ctx, "iuran").as_json()
    bad = {**templates.get(ctx, "pengantar").as_json(), "body": "{{nmaa}}", "sifat": "Segera"}
    path.write_text(json.dumps({"format": "klaten-desktop/templat-surat", "versi": 1, "templat": [good, bad]}))
    with pytest.raises(UserError, match="Templat pengantar"):
        templates.import_file(ctx, SYSTEM, path)
    assert templates.get(ctx, "iuran").version == 0


def test_staff_defined_kind_is_issued_with_its_own_numbers(
    office: ServiceContext, tmp_path: Path, read_pdf: ReadPdf
) -> None:
    templates.save(
        office,
        SYSTEM,
        LetterTemplate(
            kind="ucapan",
            label="Surat Ucapan Terima Kasih",
            scope="pengurus",
            hal="Ucapan Terima Kasih kepada {{nama}}",
            yth=("Sdr. {{nama}}", "{{jabatan}} Desa {{desa}}"),
            di="Tempat",
            body="Terima kasih atas pengabdian Saudara sebagai {{jabatan}}.\n\n{{rincian}}",
        ),
    )
    out = tmp_path / "ucapan.pdf"
    result = issue.issue(office, SYSTEM, "ucapan", desa_kode=SENGON, out=out)
    pages = read_pdf(out)
    people = issue.subjects(office, desa_kode=SENGON)
    assert len(result.documents) == len(people) == len(pages)
    assert f"Yth. Sdr. {people[0].nama}" in pages[0]
    assert archive.document(office, result.documents[0].id).payload.template_version == 1


def test_preview_uses_synthetic_people_only(office: ServiceContext, read_pdf: ReadPdf) -> None:
    real = {s.nama for s in issue.subjects(office)} | {s.nik for s in issue.subjects(office)}
    for kind in ("pengantar", "keterangan", "iuran"):
        pdf = issue.preview_pdf(office, templates.get(office, kind))
        text = " ".join(read_pdf(pdf))
        assert "Contoh Nama Pengurus" in text
        assert "(CONTOH)" in text
        assert not [word for word in real if f" {word} " in f" {text} "], kind
    with pytest.raises(UserError, match="Templat belum benar"):
        issue.preview_pdf(office, replace(templates.get(office, "iuran"), body="{{totl_iuran}}"))
