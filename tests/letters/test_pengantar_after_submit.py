"""One way through a submission: officials marked diajukan with "Ajukan" still get their surat pengantar, once."""

from __future__ import annotations

from pathlib import Path

import pytest

from klaten_desktop.domain.coverage import HEAD_POSTS
from klaten_desktop.services import enrollment
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.documents import register
from klaten_desktop.services.errors import UserError
from klaten_desktop.services.letters import issue
from tests.conftest import SENGON


def test_submitted_officials_without_a_pengantar_get_one_later(office: ServiceContext, tmp_path: Path) -> None:
    unenrolled = [s for s in issue.subjects(office, desa_kode=SENGON) if s.enrollment_id is None]
    chosen = [s.id for s in unenrolled if s.jabatan in HEAD_POSTS][:2]
    assert len(chosen) == 2
    assert enrollment.submit(office, SYSTEM, chosen).submitted == 2  # "Ajukan": diajukan, no letter yet
    waiting = issue.subjects(office, official_ids=chosen)
    assert all(s.needs_pengantar() for s in waiting)

    result = issue.pengantar(office, SYSTEM, desa_kode=SENGON, official_ids=chosen, out=tmp_path / "p.pdf")
    assert result.documents[0].subjects == 2 and result.submitted == 0  # listed; already submitted
    assert not any(s.needs_pengantar() for s in issue.subjects(office, official_ids=chosen))
    with pytest.raises(UserError, match="sudah diajukan dengan surat pengantar"):
        issue.pengantar(office, SYSTEM, official_ids=chosen, out=tmp_path / "again.pdf")

    # a voided pengantar does not count: the officials need one again
    register.void(office, SYSTEM, result.documents[0].nomor, reason="salah tanggal")
    again = issue.pengantar(office, SYSTEM, official_ids=chosen, out=tmp_path / "again.pdf")
    assert again.documents[0].subjects == 2


def test_a_registered_official_needs_no_pengantar(office: ServiceContext) -> None:
    registered = [s for s in issue.subjects(office, desa_kode=SENGON) if s.nomor_kpj and not s.ended_on]
    assert registered and not any(s.needs_pengantar() for s in registered)
