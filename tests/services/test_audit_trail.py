"""What the audit trail records beyond changes (logins, role changes, NIK reveals) and how the screen filters it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from klaten_desktop.domain.enums import Jabatan, Sex
from klaten_desktop.domain.official_rules import OfficialFields
from klaten_desktop.services import accounts, audit, audit_chain, officials
from klaten_desktop.services.context import Actor, ServiceContext

SRI = Actor("sri", "Sri Lestari", "operator")
BUDI = Actor("budi", "Budi", "operator")


def _fields(nik: str, rt: int) -> OfficialFields:
    return OfficialFields(
        nik=nik, nama="Sumarno", tempat_lahir="Klaten", tanggal_lahir=None, jenis_kelamin=Sex.L,
        alamat=None, desa_kode="33.10.01.2001", rw=2, rt=rt, jabatan=Jabatan.ketua_rt,
        term_start=dt.date(2024, 1, 1), term_end=dt.date(2028, 12, 31), sk_nomor=None, sk_tanggal=None,
        telepon=None,
    )  # fmt: skip


def test_logins_role_changes_and_reveals_are_recorded(ctx: ServiceContext) -> None:
    detail = officials.register(ctx, SRI, _fields("3310011205700001", 3))
    admin = accounts.create_first_admin(ctx, "sri", "Sri Lestari", "rahasia-sri-1")
    accounts.add_user(ctx, admin, "budi", "Budi", "pembaca", "rahasia-budi-1")
    accounts.authenticate(ctx, "sri", "rahasia-sri-1")
    with pytest.raises(accounts.LoginFailed):
        accounts.authenticate(ctx, "budi", "salah-salah-1")
    accounts.set_role(ctx, admin, "budi", "operator")
    audit.record_reveal(ctx, admin, "official", detail.id, purpose="cetak daftar BPJS")
    entries = audit.recent(ctx, limit=4)
    assert [(e.action, e.actor, e.entity_id) for e in entries] == [
        ("reveal_nik", "sri", detail.id),
        ("set_role", "sri", "budi"),
        ("login_failed", "budi", "budi"),
        ("login", "sri", "sri"),
    ]
    assert entries[0].action_label == "Lihat NIK lengkap"
    assert "3310011205700001" not in " ".join(f"{e.summary}{e.new_values}" for e in entries)
    assert entries[2].summary.startswith("Kata sandi salah")
    assert audit_chain.verify(ctx).broken is None


def test_the_filters_of_the_audit_screen(make_ctx: Callable[..., ServiceContext]) -> None:
    early = make_ctx(today=dt.date(2026, 3, 2))
    first = officials.register(early, SRI, _fields("3310011205700001", 3))
    early.dispose()
    ctx = make_ctx(today=dt.date(2026, 11, 24))
    officials.register(ctx, BUDI, _fields("3310012309800003", 4))
    actors, actions = audit.choices(ctx)
    assert {"sri", "budi"} <= set(actors) and "create" in actions
    by_budi = audit.recent(ctx, where=audit.AuditFilter(actor="budi"))
    assert by_budi and all(e.actor == "budi" for e in by_budi)
    in_march = audit.recent(ctx, where=audit.AuditFilter(since=dt.date(2026, 3, 1), until=dt.date(2026, 3, 2)))
    assert [e.entity_id for e in in_march if e.entity == "official"] == [first.id]
    about_first = audit.recent(ctx, where=audit.AuditFilter(official=first.id, action="create"))
    assert [e.entity_id for e in about_first] == [first.id]
    by_nik = audit.recent(ctx, where=audit.AuditFilter(official="3310 0112 0570 0001", action="create"))
    assert [e.entity_id for e in by_nik] == [first.id]
    by_name = audit.recent(ctx, where=audit.AuditFilter(official="sumar", action="create"))
    assert len(by_name) == 2
    assert audit.recent(ctx, where=audit.AuditFilter(until=dt.date(2026, 3, 1))) == []
