"""Who may do what, through the services: a table of action × role, each call allowed or refused with the
database unchanged (``services/access.py``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from klaten_desktop.db.models import AuditLog
from klaten_desktop.services import accounts, kode_pos, officials, tariff_settings
from klaten_desktop.services.access import AccessDenied, Permission, allowed
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.documents import register
from klaten_desktop.services.events import schedule
from klaten_desktop.services.letters import options as letter_options
from tests.conftest import SENGON
from tests.services.test_officials import fields

ADMIN = Actor("ana", "Ana", "admin")
OPERATOR = Actor("oki", "Oki", "operator")
VIEWER = Actor("pia", "Pia", "pembaca")
ROLES = {"admin": ADMIN, "operator": OPERATOR, "pembaca": VIEWER}

Action = Callable[[ServiceContext, Actor], object]
ACTIONS: dict[str, tuple[Action, set[str]]] = {
    "users_add": (
        lambda c, a: accounts.add_user(c, a, "baru", "Baru", "admin", "rahasia-123"),
        {"admin"},
    ),
    "idle_lock": (lambda c, a: accounts.set_idle_lock_minutes(c, a, 5), {"admin"}),
    "letter_options": (lambda c, a: letter_options.set_allowed(c, a, True), {"admin"}),
    "kode_pos": (lambda c, a: kode_pos.set_code(c, a, SENGON, "57454"), {"admin"}),
    "umk": (lambda c, a: tariff_settings.set_umk(c, a, 2031, 300_000_000, "SK Gubernur uji"), {"admin"}),
    "official": (lambda c, a: officials.register(c, a, fields()), {"admin", "operator"}),
    "event": (
        lambda c, a: schedule.create(c, a, title="Sosialisasi", starts_at=dt.datetime(2026, 12, 1, 9), place="Balai"),
        {"admin", "operator"},
    ),
    "reserve_number": (
        lambda c, a: register.reserve(c, a, "pengantar", note="Surat manual"),
        {"admin", "operator"},
    ),
}


def _audit_count(ctx: ServiceContext) -> int:
    with ctx.read() as session:
        return int(session.scalar(select(func.count()).select_from(AuditLog)) or 0)


@pytest.mark.parametrize("role", sorted(ROLES))
@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_action_by_role(ctx: ServiceContext, action: str, role: str) -> None:
    call, roles = ACTIONS[action]
    actor = ROLES[role]
    before = _audit_count(ctx)
    if role in roles:
        call(ctx, actor)
        assert _audit_count(ctx) > before
    else:
        with pytest.raises(AccessDenied, match=r"^Akses ditolak: peran"):
            call(ctx, actor)
        assert _audit_count(ctx) == before  # refused before touching the database


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
