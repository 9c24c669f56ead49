"""Who may do what, through the services: a table of action × role, each call allowed or refused with the
database unchanged (``services/access.py``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from sqlalchemy import func, select

from klaten_desktop.db.models import AuditLog
from klaten_desktop.domain.months import YearMonth
from klaten_desktop.services import (
    accounts,
    audit_chain,
    demo,
    enrollment,
    exports,
    key_backup,
    kode_pos,
    officials,
    payments,
    recap,
    recap_files,
    settings,
    tariff_settings,
)
from klaten_desktop.services.access import AccessDenied, Permission, allowed
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.documents import register
from klaten_desktop.services.events import schedule
from klaten_desktop.services.imports.apply import apply_import
from klaten_desktop.services.imports.header import detect_mapping
from klaten_desktop.services.imports.plan import plan_import
from klaten_desktop.services.imports.reader import read_workbook
from klaten_desktop.services.letters import issue
from klaten_desktop.services.letters import options as letter_options
from klaten_desktop.services.sync.export import export as sync_export
from klaten_desktop.services.sync.importer import import_package
from tests.conftest import SENGON
from tests.services.test_officials import fields
from tests.sync.conftest import PRAMBANAN, exchange_keys, new_kecamatan

ADMIN = Actor("ana", "Ana", "admin")
OPERATOR = Actor("oki", "Oki", "operator")
VIEWER = Actor("pia", "Pia", "pembaca")
ROLES = {"admin": ADMIN, "operator": OPERATOR, "pembaca": VIEWER}
EVERYONE, STAFF, ADMIN_ONLY = {"admin", "operator", "pembaca"}, {"admin", "operator"}, {"admin"}


@dataclass
class World:
    """What an action is prepared in: the office (``ctx``), more installations, a folder for files."""

    ctx: ServiceContext
    make_ctx: Callable[..., ServiceContext]
    folder: Path


Call = Callable[[Actor], object]
#: An action: prepared by an admin (``prepare``), then tried by each role on the returned database.
Prepare = Callable[[World], tuple[ServiceContext, Call]]


def now(call: Callable[[ServiceContext, Actor], object]) -> Prepare:
    """An action that needs nothing prepared."""
    return lambda w: (w.ctx, lambda a: call(w.ctx, a))


def _official(w: World) -> str:
    return officials.register(w.ctx, ADMIN, fields()).id


def _export(w: World) -> tuple[ServiceContext, Call]:
    _official(w)
    return w.ctx, lambda a: exports.export_officials(w.ctx, a, w.folder / "pengurus.xlsx")


def _bpjs_list(w: World) -> tuple[ServiceContext, Call]:
    _official(w)
    return w.ctx, lambda a: exports.export_bpjs_list(w.ctx, a, w.folder / "bpjs.xlsx", nik=exports.NIK_MASKED)


def _import(w: World) -> tuple[ServiceContext, Call]:
    """A registry file read back after the name was changed in the app: importing it changes one row."""
    oid = _official(w)
    path = w.folder / "pengurus.csv"
    exports.export_officials(w.ctx, ADMIN, path)
    officials.update_official(w.ctx, ADMIN, oid, replace(fields(), nama="Sumarno Diganti"), expected_version=1)
    table = read_workbook(path)
    plan = plan_import(w.ctx, table, detect_mapping(table))
    assert plan.updated == 1
    return w.ctx, lambda a: apply_import(w.ctx, a, plan)


def _sync_pair(w: World) -> tuple[ServiceContext, ServiceContext]:
    kecamatan = new_kecamatan(w.make_ctx, "prambanan", PRAMBANAN, "Kecamatan Prambanan")
    regency = w.make_ctx("kabupaten", name="regency")
    exchange_keys(kecamatan, regency, w.folder / "kunci")
    demo.populate(kecamatan, ADMIN, 5, seed=1)
    return kecamatan, regency


def _sync_export(w: World) -> tuple[ServiceContext, Call]:
    kecamatan, _ = _sync_pair(w)
    return kecamatan, lambda a: sync_export(kecamatan, a, w.folder / "paket.klaten")


def _sync_import(w: World) -> tuple[ServiceContext, Call]:
    kecamatan, regency = _sync_pair(w)
    path = w.folder / "paket.klaten"
    sync_export(kecamatan, ADMIN, path)
    return regency, lambda a: import_package(regency, a, path)


def _letter(w: World) -> tuple[ServiceContext, Call]:
    demo.populate(w.ctx, ADMIN, 40, seed=7)
    letter_options.set_allowed(w.ctx, ADMIN, True)
    return w.ctx, lambda a: issue.pengantar(w.ctx, a, desa_kode=SENGON, out=w.folder / "pengantar.pdf")


def _enrolled(w: World) -> str:
    oid = _official(w)
    enrollment.register(w.ctx, ADMIN, oid, kpj="12345678901", start=dt.date(2026, 1, 5))
    return oid


def _payment(w: World) -> tuple[ServiceContext, Call]:
    oid = _enrolled(w)
    months = YearMonth(2026, 1), YearMonth(2026, 3)
    return w.ctx, lambda a: payments.record_payments(w.ctx, a, [oid], start=months[0], end=months[1])


def _void_payment(w: World) -> tuple[ServiceContext, Call]:
    oid = _enrolled(w)
    payments.record_payments(w.ctx, ADMIN, [oid], start=YearMonth(2026, 1), end=YearMonth(2026, 3))
    return w.ctx, lambda a: payments.void_payments(w.ctx, a, reason="salah catat", official_id=oid)


def _reveal_nik(w: World) -> tuple[ServiceContext, Call]:
    oid = _official(w)
    return w.ctx, lambda a: officials.reveal_nik(w.ctx, a, oid)


def _audit_purge(w: World) -> tuple[ServiceContext, Call]:
    settings.put(w.ctx, ADMIN, audit_chain.RETENTION_KEY, 1)
    return w.ctx, lambda a: audit_chain.purge(w.ctx, a)


def _recap(w: World) -> tuple[ServiceContext, Call]:
    _official(w)
    return w.ctx, lambda a: recap_files.write_recap(w.ctx, a, recap.recap(w.ctx), w.folder / "rekap.xlsx")


def _key_backup(w: World) -> tuple[ServiceContext, Call]:
    return w.ctx, lambda a: key_backup.backup(w.ctx, a, w.folder / "kunci.json", "frasa sandi panjang 123")


ACTIONS: dict[str, tuple[Prepare, set[str]]] = {
    "users_add": (now(lambda c, a: accounts.add_user(c, a, "baru", "Baru", "admin", "rahasia-123")), ADMIN_ONLY),
    "idle_lock": (now(lambda c, a: accounts.set_idle_lock_minutes(c, a, 5)), ADMIN_ONLY),
    "letter_options": (now(lambda c, a: letter_options.set_allowed(c, a, True)), ADMIN_ONLY),
    "kode_pos": (now(lambda c, a: kode_pos.set_code(c, a, SENGON, "57454")), ADMIN_ONLY),
    "umk": (now(lambda c, a: tariff_settings.set_umk(c, a, 2031, 300_000_000, "SK Gubernur uji")), ADMIN_ONLY),
    "key_backup": (_key_backup, ADMIN_ONLY),
    "audit_purge": (_audit_purge, ADMIN_ONLY),
    "demo_data": (now(lambda c, a: demo.populate(c, a, 3, seed=3)), ADMIN_ONLY),
    "official": (now(lambda c, a: officials.register(c, a, fields())), STAFF),
    "event": (
        now(
            lambda c, a: schedule.create(
                c, a, title="Sosialisasi", starts_at=dt.datetime(2026, 12, 1, 9), place="Balai"
            )
        ),
        STAFF,
    ),
    "reserve_number": (now(lambda c, a: register.reserve(c, a, "pengantar", note="Surat manual")), STAFF),
    "letter_issue": (_letter, STAFF),
    "payment": (_payment, STAFF),
    "void_payment": (_void_payment, STAFF),
    "reveal_nik": (_reveal_nik, STAFF),
    "export": (_export, STAFF),
    "export_bpjs": (_bpjs_list, STAFF),
    "import": (_import, STAFF),
    "sync_export": (_sync_export, STAFF),
    "sync_import": (_sync_import, STAFF),
    "recap": (_recap, EVERYONE),
}


#: Actions whose services do not run on the PostgreSQL server yet (docs/server-mode.md, "Not yet done").
SERVER_PENDING = frozenset({"import", "sync_export", "sync_import"})


def _audit_count(ctx: ServiceContext) -> int:
    with ctx.read() as session:
        return int(session.scalar(select(func.count()).select_from(AuditLog)) or 0)


@pytest.mark.parametrize("role", sorted(ROLES))
@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_action_by_role(
    ctx: ServiceContext, make_ctx: Callable[..., ServiceContext], tmp_path: Path, action: str, role: str
) -> None:
    if action in SERVER_PENDING and ctx.on_server:
        pytest.skip("sync packages and the spreadsheet import's fast path: not yet on PostgreSQL (docs/server-mode.md)")
    prepare, roles = ACTIONS[action]
    actor = ROLES[role]
    target, call = prepare(World(ctx, make_ctx, tmp_path))
    before = _audit_count(target)
    files = sorted(tmp_path.rglob("*"))
    if role in roles:
        call(actor)
        assert _audit_count(target) > before
    else:
        with pytest.raises(AccessDenied, match=r"^Akses ditolak: peran"):
            call(actor)
        assert _audit_count(target) == before  # refused before touching the database
        assert sorted(tmp_path.rglob("*")) == files  # and before writing a file


@pytest.mark.parametrize("role", sorted(ROLES))
def test_every_role_reads(ctx: ServiceContext, role: str) -> None:
    officials.register(ctx, ADMIN, fields())
    assert allowed(ROLES[role], Permission.read) and allowed(ROLES[role], Permission.reports)
    assert len(officials.list_rows(ctx)) == 1


def test_viewer_may_not_see_full_nik_but_operator_may() -> None:
    assert not allowed(VIEWER, Permission.reveal_nik)
    assert allowed(OPERATOR, Permission.reveal_nik)
    assert not allowed(OPERATOR, Permission.users)


def test_unknown_role_is_refused(ctx: ServiceContext) -> None:
    with pytest.raises(AccessDenied):
        officials.register(ctx, Actor("x", "X", "tamu"), fields())
