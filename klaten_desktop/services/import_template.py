"""The import template the app hands to desa: no macros, a Petunjuk sheet, dropdowns, NIK as text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from klaten_desktop.domain.enums import Jabatan
from klaten_desktop.services import office, wilayah
from klaten_desktop.services.context import ServiceContext
from klaten_desktop.services.errors import UserError
from klaten_desktop.services.files import new_workbook, write_atomically
from klaten_desktop.services.imports.columns import FIELD_LABELS

TEMPLATE_FIELDS = (
    "no", "nik", "nama", "tempat_lahir", "tanggal_lahir", "jenis_kelamin", "alamat", "desa", "rt", "rw",
    "jabatan", "telepon", "term_start", "term_end", "sk_nomor", "sk_tanggal", "email", "nama_ibu_kandung",
)  # fmt: skip
DATA_SHEET = "Data Pengurus"
ROWS = 1_000
_TEXT_FIELDS = ("nik", "nama", "tempat_lahir", "alamat", "desa", "rt", "rw", "telepon", "sk_nomor", "jenis_kelamin",
                "email", "nama_ibu_kandung")  # fmt: skip
_DATE_FIELDS = ("tanggal_lahir", "term_start", "term_end", "sk_tanggal")

PETUNJUK = (
    "PETUNJUK PENGISIAN DAFTAR KETUA RT/RW",
    "",
    "1. Isi satu baris untuk setiap pengurus pada lembar 'Data Pengurus', mulai baris ke-2. Jangan mengubah "
    "judul kolom.",
    "2. NIK: 16 digit angka sesuai KTP. Kolom NIK sudah berformat Teks; jangan diubah menjadi Angka, karena "
    "Excel hanya menyimpan 15 digit dan digit terakhir berubah menjadi 0.",
    "3. Nama: sesuai KTP, boleh dengan gelar.",
    "4. Tanggal lahir dan tanggal lain: tulis HH-BB-TTTT, misalnya 17-08-1968.",
    "5. Jenis kelamin: pilih L (laki-laki) atau P (perempuan).",
    "6. Desa: pilih dari daftar.",
    "7. RT dan RW: angka saja, misalnya 3 atau 003. Ketua RW tidak diisi nomor RT.",
    "8. Jabatan: pilih Ketua RT, Ketua RW, Sekretaris, Bendahara atau Lainnya.",
    "9. Nomor HP: diawali 08, misalnya 081234567890.",
    "10. Email dan nama ibu kandung: tidak wajib; boleh dikosongkan.",
    "11. Baris kosong dan baris tanda tangan di bawah tabel diabaikan.",
    "",
    "Data yang sudah ada (NIK sama) diperbarui; isian yang dikosongkan tidak menghapus data lama.",
    "Baris yang ditolak dikembalikan dalam berkas dengan kolom 'Alasan Ditolak' untuk diperbaiki lalu dikirim lagi.",
)


def write_template(ctx: ServiceContext, out_path: Path | str) -> None:
    """Write the template for this office: desa of its kecamatan ("Nama (Kecamatan)" for the regency)."""
    data = office.get(ctx)
    if data is None:
        raise UserError("Kantor belum diatur; jalankan 'init' terlebih dahulu.")
    kec_names = {k.kode: k.nama for k in wilayah.kecamatan(ctx)}
    desa_rows = wilayah.desa(ctx, data.kecamatan_kode)
    if data.kecamatan_kode is None:
        choices = [f"{d.nama} ({kec_names.get(d.kode_induk, d.kode_induk)})" for d in desa_rows]
    else:
        choices = [d.nama for d in desa_rows]

    def write(path: Path) -> None:
        wb: Any = new_workbook(path)
        ws = wb.add_worksheet(DATA_SHEET)
        guide = wb.add_worksheet("Petunjuk")
        lists = wb.add_worksheet("Daftar")
        head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
        text = wb.add_format({"num_format": 49})
        date = wb.add_format({"num_format": "dd-mm-yyyy"})
        for c, field in enumerate(TEMPLATE_FIELDS):
            ws.write_string(0, c, FIELD_LABELS[field], head)
            fmt = text if field in _TEXT_FIELDS else date if field in _DATE_FIELDS else None
            ws.set_column(c, c, 22 if field in ("nik", "nama", "alamat", "desa") else 14, fmt)
        ws.freeze_panes(1, 0)
        col = {f: i for i, f in enumerate(TEMPLATE_FIELDS)}
        lists.write_string(0, 0, "Desa")
        for r, name in enumerate(choices, start=1):
            lists.write_string(r, 0, name)
        lists.write_string(0, 1, "Jabatan")
        for r, j in enumerate(Jabatan, start=1):
            lists.write_string(r, 1, j.label)
        lists.hide()

        def dropdown(field: str, source: str | list[str], title: str) -> None:
            c = col[field]
            ws.data_validation(
                1, c, ROWS, c,
                {"validate": "list", "source": source, "error_title": title,
                 "error_message": "Pilih salah satu isian dari daftar.", "input_title": title},
            )  # fmt: skip

        dropdown("jenis_kelamin", ["L", "P"], "Jenis kelamin")
        dropdown("jabatan", f"=Daftar!$B$2:$B${len(Jabatan) + 1}", "Jabatan")
        if choices:
            dropdown("desa", f"=Daftar!$A$2:$A${len(choices) + 1}", "Desa")
        c = col["nik"]
        ws.data_validation(
            1, c, ROWS, c,
            {"validate": "length", "criteria": "==", "value": 16, "error_title": "NIK",
             "error_message": "NIK harus 16 digit angka sesuai KTP."},
        )  # fmt: skip
        guide.set_column(0, 0, 110)
        wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        bold = wb.add_format({"bold": True, "font_size": 13})
        for r, line in enumerate(PETUNJUK):
            guide.write_string(r, 0, line, bold if r == 0 else wrap)
        wb.close()

    write_atomically(out_path, write)
