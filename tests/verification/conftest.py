"""A Prambanan office that has issued a letter and certificates, a regency that trusts it, and the regency's
verification bundle; the standalone checker run as a separate program."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from klaten_desktop.services import demo, events, office
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.documents import archive
from klaten_desktop.services.documents.issuing import IssuedDocument
from klaten_desktop.services.events import certificates
from klaten_desktop.services.letters import issue, options
from klaten_desktop.services.sync import keys
from tests.conftest import SENGON
from tests.sync.conftest import exchange_keys

CHECKER = Path(__file__).resolve().parents[2] / "docs" / "verification" / "klaten_verify.py"


@dataclass(frozen=True)
class Issued:
    prambanan: ServiceContext
    regency: ServiceContext
    letter_pdf: Path
    certificate_pdf: Path
    letter: IssuedDocument
    certificate: certificates.CertificateRow
    letter_qr: str
    certificate_qr: str
    bundle: Path  # the regency's verification bundle: its own key and Prambanan's
    folder: Path


def qr_of(ctx: ServiceContext, document_id: str) -> str:
    verification = archive.document(ctx, document_id).payload.verification
    assert verification is not None
    return verification.qr


@pytest.fixture
def issued(make_ctx: Callable[..., ServiceContext], tmp_path: Path) -> Issued:
    prambanan = make_ctx("kecamatan", name="prambanan")
    demo.populate(prambanan, SYSTEM, 120, seed=7)
    options.set_allowed(prambanan, SYSTEM, True)  # demo officials in arrears too: the letter states their status
    office.update(prambanan, SYSTEM, bpjs_branch_head="Contoh Kepala Cabang, S.E.")
    letter_pdf, certificate_pdf = tmp_path / "keterangan.pdf", tmp_path / "sertifikat.pdf"
    letter = issue.keterangan(prambanan, SYSTEM, desa_kode=SENGON, out=letter_pdf).documents[0]
    event = events.create(
        prambanan, SYSTEM, title="Sosialisasi BPJS Ketenagakerjaan", starts_at=dt.datetime(2026, 11, 20, 9, 0),
        ends_at=dt.datetime(2026, 11, 20, 12, 0), place="Pendopo Kecamatan Prambanan",
    )  # fmt: skip
    events.add_from_registry(prambanan, SYSTEM, event.id, desa_kode=SENGON)
    people = events.participants(prambanan, event.id)[:2]
    events.set_attendance(prambanan, SYSTEM, event.id, [p.id for p in people], True)
    certificate = certificates.issue_certificates(prambanan, SYSTEM, event.id, out=certificate_pdf).certificates[0]
    regency = make_ctx("kabupaten", name="regency")
    exchange_keys(prambanan, regency, tmp_path / "kunci")
    bundle = tmp_path / "bundel-verifikasi.json"
    keys.export_bundle(regency, bundle)
    return Issued(
        prambanan, regency, letter_pdf, certificate_pdf, letter, certificate,
        qr_of(prambanan, letter.id), qr_of(prambanan, certificate.document_id), bundle, tmp_path,
    )  # fmt: skip


@dataclass(frozen=True)
class Checked:
    code: int
    out: str
    err: str


def run_checker(bundle: Path, text: str, *, stdin: bool = False) -> Checked:
    """The checker as the BPJS branch runs it: its own process, isolated mode (no PYTHONPATH, so the app's
    package cannot be imported from it)."""
    argv = [sys.executable, "-I", str(CHECKER), "--bundle", str(bundle), "-" if stdin else text]
    result = subprocess.run(argv, input=text if stdin else None, capture_output=True, text=True, encoding="utf-8",
                            timeout=60, check=False)  # fmt: skip
    return Checked(result.returncode, result.stdout, result.stderr)
