"""The standalone checker (docs/verification/klaten_verify.py) run as its own program against letters and
certificates issued by the app, with the regency's bundle: valid, altered claim, wrong office key, unknown."""

from __future__ import annotations

import ast
import base64
import io
import json
from collections.abc import Callable

from klaten_desktop import cli
from klaten_desktop.domain.nik import mask_nik
from klaten_desktop.services import identity
from klaten_desktop.services.context import ServiceContext
from klaten_desktop.services.documents import archive, codes
from klaten_desktop.services.letters import issue
from klaten_desktop.services.sync import keys
from tests.conftest import PRAMBANAN
from tests.sync.conftest import exchange_keys, new_kecamatan
from tests.verification.conftest import CHECKER, Issued, run_checker


def _facts(out: str) -> dict[str, str]:
    """The "Label : value" lines of the checker's report."""
    return {k.strip(): v.strip() for k, _, v in (line.partition(" : ") for line in out.splitlines()) if v}


def test_the_checker_is_one_file_using_only_the_standard_library_and_cryptography() -> None:
    tree = ast.parse(CHECKER.read_text(encoding="utf-8"))
    modules = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    modules |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert {m.split(".")[0] for m in modules} == {
        "__future__", "argparse", "base64", "binascii", "datetime", "hashlib", "json", "re", "sys", "dataclasses",
        "pathlib", "typing", "cryptography",
    }  # fmt: skip
    assert "klaten_desktop" not in CHECKER.read_text(encoding="utf-8")


def test_a_letter_issued_by_the_app_is_sah_with_its_facts(issued: Issued) -> None:
    person = issue.subjects(
        issued.prambanan, official_ids=archive.document(issued.prambanan, issued.letter.id).subject_ids
    )[0]
    checked = run_checker(issued.bundle, issued.letter_qr)
    assert checked.code == 0, checked.out + checked.err
    assert checked.out.startswith(
        "HASIL: SAH\nTanda tangan digital sah: ditandatangani dengan kunci Kecamatan Prambanan."
    )
    facts = _facts(checked.out)
    assert facts["Jenis dokumen"] == "Surat Keterangan Kepesertaan (keterangan)"
    assert facts["Nomor"] == issued.letter.nomor and facts["Tanggal"] == "24 November 2026"
    assert facts["Kantor penerbit"] == f"Kecamatan Prambanan ({PRAMBANAN})"
    assert facts["Kode verifikasi"] == issued.letter.kode_verifikasi
    assert (facts["Desa"], facts["Jumlah pengurus"]) == ("Sengon", "1")
    assert facts["Nama pengurus"] == person.nama and facts["NIK (tersamar)"] == mask_nik(person.nik)
    assert facts["Nomor KPJ (tersamar)"] == codes.mask_kpj(person.nomor_kpj)
    assert person.nik not in checked.out
    assert facts["Sidik jari kunci"] == identity.public_identity(issued.prambanan).fingerprint
    assert checked.out.rstrip().endswith(
        f"Bundel dari Pemerintah Kabupaten Klaten, sidik jari {identity.public_identity(issued.regency).fingerprint}."
    )


def test_a_certificate_is_sah_and_a_scanner_may_split_the_text_over_lines(issued: Issued) -> None:
    qr = issued.certificate_qr
    checked = run_checker(issued.bundle, f"{qr[:100]}\n{qr[100:]}\n", stdin=True)
    assert checked.code == 0, checked.out + checked.err
    facts = _facts(checked.out)
    assert facts["Jenis dokumen"] == "Sertifikat Peserta Sosialisasi (sertifikat)"
    assert facts["Nomor"] == issued.certificate.nomor and facts["Nama peserta"] == issued.certificate.nama
    assert "Jumlah pengurus" not in facts


def test_an_altered_claim_is_tidak_sah(issued: Issued) -> None:
    decoded = codes.decode_qr(issued.letter_qr)
    assert decoded is not None
    _, claims, signature = decoded
    for change in ({"n": "400.10.3/999/Kec.Prb/2026"}, {"s": ["Orang Lain", *claims["s"][1:]]}, {"d": "2026-01-02"}):
        checked = run_checker(issued.bundle, codes.encode_qr({**claims, **change}, signature))
        assert checked.code == 1
        assert checked.out.startswith(
            "HASIL: TIDAK SAH\nTanda tangan digital tidak cocok dengan kunci Kecamatan Prambanan"
        )
        assert "isi kode QR telah diubah" in checked.out and "Nomor" not in _facts(checked.out)
    broken = run_checker(issued.bundle, issued.letter_qr[:-7])
    assert (broken.code, broken.out.splitlines()[1]) == (
        1,
        "Kode QR tidak terbaca utuh atau bukan kode Klaten Desktop; pindai ulang.",
    )


def test_a_wrong_office_key_is_tidak_sah_naming_the_key(
    issued: Issued, make_ctx: Callable[..., ServiceContext]
) -> None:
    # Wedi signs a letter claiming to be Prambanan's: the bundle knows both keys and says whose key it was
    wedi = new_kecamatan(make_ctx, "wedi", "33.10.03", "Kecamatan Wedi")
    exchange_keys(wedi, issued.regency, issued.folder / "kunci")
    bundle = issued.folder / "bundel-2.json"
    keys.export_bundle(issued.regency, bundle)
    _, claims, _ = codes.decode_qr(issued.letter_qr) or (b"", {}, b"")
    forged = codes.encode_qr(claims, identity.signing_key(wedi).sign(codes.pack_claims(claims)))
    checked = run_checker(bundle, forged)
    assert checked.code == 1
    assert checked.out.splitlines()[1] == (
        f"Kunci tidak cocok: dokumen mengaku terbitan Kecamatan Prambanan ({PRAMBANAN}), tetapi ditandatangani "
        "dengan kunci Kecamatan Wedi (33.10.03)."
    )
    # a bundle whose Prambanan is another installation (another key) does not vouch for this letter
    other = new_kecamatan(make_ctx, "lain", PRAMBANAN, "Kecamatan Prambanan")
    regency = make_ctx("kabupaten", name="regency-2")
    exchange_keys(other, regency, issued.folder / "kunci-2")
    keys.export_bundle(regency, bundle)
    checked = run_checker(bundle, issued.letter_qr)
    assert checked.code == 1
    assert f"tidak cocok dengan kunci Kecamatan Prambanan ({PRAMBANAN}) dalam bundel" in checked.out
    assert identity.public_identity(other).fingerprint in checked.out


def test_unknown_office_or_bare_short_code_is_tidak_dikenal(
    issued: Issued, make_ctx: Callable[..., ServiceContext]
) -> None:
    wedi = new_kecamatan(make_ctx, "wedi", "33.10.03", "Kecamatan Wedi")
    exchange_keys(wedi, issued.regency, issued.folder / "kunci")
    wedi_bundle = issued.folder / "bundel-wedi.json"
    keys.export_bundle(wedi, wedi_bundle)  # at a kecamatan: its own key and the regency's
    unknown = run_checker(wedi_bundle, issued.certificate_qr)
    assert unknown.code == 2
    assert unknown.out.splitlines()[:2] == [
        "HASIL: TIDAK DIKENAL",
        f"Kantor penerbit {PRAMBANAN} tidak ada dalam bundel verifikasi. Minta bundel terbaru dari Pemerintah "
        "Kabupaten Klaten.",
    ]
    short = run_checker(issued.bundle, issued.letter.kode_verifikasi.lower())
    assert short.code == 2
    assert f"Kode pendek {issued.letter.kode_verifikasi} saja tidak memuat tanda tangan digital" in short.out
    assert "menu Verifikasi" in short.out
    garbage = run_checker(issued.bundle, "https://contoh.id/palsu")
    assert (garbage.code, garbage.out.splitlines()[1]) == (2, "Teks ini bukan kode verifikasi Klaten Desktop.")


def test_an_altered_or_foreign_bundle_is_refused(issued: Issued) -> None:
    document = json.loads(issued.bundle.read_text(encoding="utf-8"))
    assert document["format"] == "klaten-desktop-bundel-verifikasi" and document["version"] == 1
    assert [o["office_code"] for o in document["offices"]] == ["33.10", PRAMBANAN]
    assert all("private" not in key for o in document["offices"] for key in o)
    swapped = issued.bundle.with_name("diubah.json")
    forged_key = base64.b64encode(bytes(32)).decode("ascii")
    document["offices"][1]["signing_public_b64"] = forged_key
    swapped.write_text(json.dumps(document), encoding="utf-8")
    checked = run_checker(swapped, issued.letter_qr)
    assert (checked.code, checked.out) == (3, "")
    assert (
        checked.err.strip() == "Tanda tangan bundel verifikasi tidak sah: berkas telah diubah. Minta bundel yang baru."
    )
    identity_file = issued.folder / "identitas.json"
    keys.export_identity(issued.prambanan, identity_file)
    assert run_checker(identity_file, issued.letter_qr).code == 3
    assert "tidak dapat dibaca" in run_checker(issued.folder / "tidak-ada.json", issued.letter_qr).err


def test_keys_export_bundle_on_the_command_line(issued: Issued) -> None:
    out, err = io.StringIO(), io.StringIO()
    path = issued.folder / "cli-bundel.json"
    code = cli.run(cli.parse(["keys", "export", "--bundle", str(path)]), issued.regency, out=out, err=err)
    assert code == 0, err.getvalue()
    text = out.getvalue()
    assert f"Bundel verifikasi ditulis ke {path}: kunci publik 2 kantor." in text
    assert (
        f"{PRAMBANAN}  Kecamatan Prambanan  (sidik jari {identity.public_identity(issued.prambanan).fingerprint})"
        in text
    )
    assert run_checker(path, issued.letter_qr).code == 0
    out = io.StringIO()
    assert cli.run(cli.parse(["keys", "export", "--bundle", str(path), "--json"]), issued.prambanan, out=out) == 0
    shown = json.loads(out.getvalue())
    assert [o["office"] for o in shown["offices"]] == [PRAMBANAN, "33.10"]
    assert shown["made_by"]["name"] == "Kecamatan Prambanan"
