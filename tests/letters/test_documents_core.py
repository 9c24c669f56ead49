"""The documents core (services/documents): one ``issue_documents`` for letters and certificates, the file
written only after the commit, numbers taken again when someone issued meanwhile, typed payloads that
round-trip, and the one atomic file writer."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from klaten_desktop.db.models import Document, RegisterEntry
from klaten_desktop.domain.months import YearMonth
from klaten_desktop.services import events
from klaten_desktop.services import office as office_service
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.documents import archive, issuing, register, schemas, verify
from klaten_desktop.services.errors import EnvironmentProblem
from klaten_desktop.services.events import certificates
from klaten_desktop.services.files import staged, write_bytes
from klaten_desktop.services.letters import issue
from tests.conftest import SENGON
from tests.letters.conftest import ReadPdf


def _count(ctx: ServiceContext, model: type) -> int:
    with ctx.read() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_letters_and_certificates_go_through_the_one_core(
    office: ServiceContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plans: list[issuing.Plan] = []
    real = issuing.issue_documents

    def spy(ctx: ServiceContext, actor: Any, plan: issuing.Plan, **kwargs: Any) -> issuing.Outcome:
        plans.append(plan)
        return real(ctx, actor, plan, **kwargs)

    monkeypatch.setattr(issue, "issue_documents", spy)
    monkeypatch.setattr(certificates, "issue_documents", spy)
    letters = issue.keterangan(office, SYSTEM, desa_kode=SENGON, out=tmp_path / "k.pdf")
    event = events.create(office, SYSTEM, title="Sosialisasi Uji", starts_at=office.now(), place="Balai Desa")
    events.add_from_registry(office, SYSTEM, event.id, desa_kode=SENGON)
    people = events.participants(office, event.id)[:2]
    events.set_attendance(office, SYSTEM, event.id, [p.id for p in people], True)
    office_service.update(office, SYSTEM, bpjs_branch_head="Contoh Kepala Cabang")
    certs = certificates.issue_certificates(office, SYSTEM, event.id, out=tmp_path / "s.pdf")
    assert [p.kind for p in plans] == ["keterangan", "sertifikat"]
    assert [p.numbering.sequence for p in plans][1] == "sertifikat"
    # both are in the archive, signed, and verify offline through the same verification
    for code in (letters.documents[0].kode_verifikasi, certs.certificates[0].kode_verifikasi):
        assert verify.check(office, code).ok
    kinds = {d.kind for d in archive.documents(office)}
    assert kinds == {"keterangan", "sertifikat"}


class _Boom(Exception):
    pass


def test_a_failure_between_render_and_commit_leaves_no_file_and_no_number(
    office: ServiceContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "keluar" / "k.pdf"

    def failing_store(*_args: Any, **_kwargs: Any) -> Any:
        raise _Boom("mati di tengah transaksi")

    monkeypatch.setattr(issuing, "_store", failing_store)
    with pytest.raises(_Boom):
        issue.keterangan(office, SYSTEM, desa_kode=SENGON, out=out)
    assert not out.exists() and list(out.parent.iterdir()) == []  # the rendered PDF was never placed
    assert _count(office, RegisterEntry) == 0 and _count(office, Document) == 0


def test_a_failing_renderer_leaves_nothing(office: ServiceContext, tmp_path: Path) -> None:
    def broken(payloads: Sequence[Mapping[str, Any]], **_kwargs: Any) -> Any:
        raise _Boom("renderer rusak")

    assert office.renderers is not None
    office.renderers = replace(office.renderers, letters=broken)
    folder = tmp_path / "keluar"
    folder.mkdir()
    with pytest.raises(_Boom):
        issue.keterangan(office, SYSTEM, desa_kode=SENGON, out=folder / "k.pdf")
    assert list(folder.iterdir()) == [] and _count(office, RegisterEntry) == 0


def test_numbers_taken_meanwhile_are_drafted_and_rendered_again(
    office: ServiceContext, tmp_path: Path, read_pdf: ReadPdf, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Someone issues between the drafting (no write) and the short write: the letter gets the next number."""
    assert office.renderers is not None
    real = office.renderers.letters
    calls: list[int] = []

    def render_and_meanwhile(payloads: Sequence[Mapping[str, Any]], **kwargs: Any) -> Any:
        calls.append(len(payloads))
        if len(calls) == 1:
            register.reserve(office, SYSTEM, "keterangan", count=1, note="nomor diambil pengguna lain")
        return real(payloads, **kwargs)

    office.renderers = replace(office.renderers, letters=render_and_meanwhile)
    person = issue.subjects(office, desa_kode=SENGON)
    registered = [p.id for p in person if p.nomor_kpj][:1]
    result = issue.keterangan(office, SYSTEM, official_ids=registered, out=tmp_path / "k.pdf")
    assert len(calls) == 2
    assert result.documents[0].nomor.startswith("400.10.3/002/")
    assert result.documents[0].nomor in " ".join(read_pdf(tmp_path / "k.pdf"))
    assert sorted(e.number for e in register.entries(office)) == [1, 2]


def test_payload_schemas_round_trip(office: ServiceContext, tmp_path: Path) -> None:
    issue.keterangan(office, SYSTEM, desa_kode=SENGON, out=tmp_path / "k.pdf")
    issue.iuran(office, SYSTEM, desa_kode=SENGON, period=issue_period(), out=tmp_path / "i.pdf")
    with office.read() as session:
        stored = list(session.scalars(select(Document.payload)))
    assert stored
    for text in stored:
        raw = json.loads(text)
        typed = schemas.loads(text)
        assert isinstance(typed, schemas.LetterPayloadV1) and typed.version == 1
        assert typed.to_json() == raw
        assert schemas.dumps(typed.to_json()) == text  # the archived text itself comes back
    iuran = [schemas.loads(t) for t in stored if json.loads(t)["kind"] == "iuran"]
    assert iuran and all(isinstance(p, schemas.LetterPayloadV1) and p.total_iuran for p in iuran)


def test_payload_schemas_refuse_what_fits_none() -> None:
    with pytest.raises(schemas.PayloadError, match="Versi isi arsip"):
        schemas.read({"v": 9, "kind": "keterangan"})
    with pytest.raises(schemas.PayloadError, match="tak dikenal: ganjil"):
        schemas.read({"v": 1, "kind": "sertifikat", "ganjil": 1})


def issue_period() -> tuple[YearMonth, YearMonth]:
    return YearMonth(2027, 1), YearMonth(2027, 12)


def test_the_one_writer_stages_then_places(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b.pdf"
    with staged(target, b"isi") as file:
        assert not target.exists() and file.temp.read_bytes() == b"isi"
        file.place()
    assert target.read_bytes() == b"isi"
    if os.name != "nt":  # POSIX permissions; Windows has only the read-only flag
        assert oct(target.stat().st_mode & 0o777) == oct(0o644)
    with pytest.raises(_Boom), staged(target, b"baru"):
        raise _Boom
    assert target.read_bytes() == b"isi" and [p.name for p in target.parent.iterdir()] == ["b.pdf"]
    write_bytes(target, b"lagi")
    assert target.read_bytes() == b"lagi"


def test_the_one_writer_speaks_indonesian_on_a_full_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(EnvironmentProblem) as failed:
        write_bytes(tmp_path / "x.pdf", b"isi")
    assert "disk" in str(failed.value).lower() and "No space" not in str(failed.value)
    assert list(tmp_path.iterdir()) == []
