"""Local accounts: the first admin, Argon2id hashes, the growing delay after failed logins (with the injected
clock, no sleeping), disabling, roles, and the last admin kept."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, text

from klaten_desktop.db.models import AuditLog, User
from klaten_desktop.runtime.clock import FixedClock
from klaten_desktop.services import accounts
from klaten_desktop.services.access import AccessDenied
from klaten_desktop.services.accounts import LoginFailed, delay_after
from klaten_desktop.services.context import SYSTEM, Actor, ServiceContext
from klaten_desktop.services.errors import UserError
from tests.conftest import TODAY

PASSWORD = "sandi-admin-1"


@pytest.fixture
def clock(ctx: ServiceContext) -> FixedClock:
    ctx.clock = clock = FixedClock.on(TODAY)
    return clock


@pytest.fixture
def admin(ctx: ServiceContext, clock: FixedClock) -> Actor:
    return accounts.create_first_admin(ctx, "ana", "Ana Lestari", PASSWORD)


def _actions(ctx: ServiceContext) -> list[tuple[str, str]]:
    with ctx.read() as session:
        return [(r.actor, r.action) for r in session.scalars(select(AuditLog).order_by(AuditLog.id))]


def test_first_admin_then_only_an_admin_adds(ctx: ServiceContext, admin: Actor) -> None:
    assert admin == Actor("ana", "Ana Lestari", "admin")
    assert accounts.has_admin(ctx)
    with ctx.read() as session:
        stored = session.scalar(select(User.password_hash).where(User.username == "ana"))
    assert stored is not None and stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert PASSWORD not in stored
    with pytest.raises(UserError, match="sudah dibuat"):
        accounts.create_first_admin(ctx, "budi", "Budi", PASSWORD)
    accounts.add_user(ctx, admin, "oki", "Oki", "operator", "sandi-oki-1")
    oki = accounts.authenticate(ctx, "OKI ", "sandi-oki-1")
    assert oki.role == "operator"
    with pytest.raises(AccessDenied):
        accounts.add_user(ctx, oki, "pia", "Pia", "pembaca", "sandi-pia-1")
    assert [u.username for u in accounts.list_users(ctx, admin)] == ["ana", "oki"]


def test_no_account_means_no_admin(ctx: ServiceContext) -> None:
    assert not accounts.has_admin(ctx)
    with pytest.raises(UserError, match="minimal 8"):
        accounts.create_first_admin(ctx, "ana", "Ana", "pendek")
    assert not accounts.has_admin(ctx)


def test_delay_grows_and_is_capped() -> None:
    assert [delay_after(n).total_seconds() for n in range(7)] == [0, 0, 0, 5, 10, 20, 40]
    assert delay_after(30) == dt.timedelta(minutes=15)


def test_failed_logins_wait_on_the_clock(ctx: ServiceContext, admin: Actor, clock: FixedClock) -> None:
    for _ in range(2):
        with pytest.raises(LoginFailed, match=r"salah\.$"):
            accounts.authenticate(ctx, "ana", "keliru-sekali")
    with pytest.raises(LoginFailed, match="Coba lagi setelah 5 detik"):
        accounts.authenticate(ctx, "ana", "keliru-sekali")
    clock.moment += dt.timedelta(seconds=4)
    with pytest.raises(LoginFailed, match="Tunggu 1 detik"):  # even the right password waits
        accounts.authenticate(ctx, "ana", PASSWORD)
    clock.moment += dt.timedelta(seconds=1)
    with pytest.raises(LoginFailed, match="Coba lagi setelah 10 detik"):
        accounts.authenticate(ctx, "ana", "keliru-lagi")
    clock.moment += dt.timedelta(seconds=10)
    assert accounts.authenticate(ctx, "ana", PASSWORD) == admin
    with ctx.read() as session:
        user = session.scalar(select(User).where(User.username == "ana"))
        assert user is not None and user.failed_attempts == 0 and user.last_login_at == clock.moment
    actions = [a for _, a in _actions(ctx)]
    assert actions.count("login_failed") == 4 and actions.count("login_refused") == 1 and actions[-1] == "login"


def test_the_delay_is_per_account(ctx: ServiceContext, admin: Actor) -> None:
    accounts.add_user(ctx, admin, "oki", "Oki", "operator", "sandi-oki-1")
    for _ in range(3):
        with pytest.raises(LoginFailed):
            accounts.authenticate(ctx, "ana", "keliru")
    assert accounts.authenticate(ctx, "oki", "sandi-oki-1").username == "oki"


def test_unknown_name_is_audited_without_the_password(ctx: ServiceContext, admin: Actor) -> None:
    with pytest.raises(LoginFailed, match="Nama pengguna atau kata sandi salah"):
        accounts.authenticate(ctx, "siapa", "rahasia-dia")
    assert _actions(ctx)[-1] == ("tidak-dikenal", "login_failed")
    with ctx.read() as session:
        dumped = " ".join(str(v) for v in session.execute(text("SELECT * FROM audit_log")).all())
    assert "rahasia-dia" not in dumped and "siapa" not in dumped


def test_disabled_account_cannot_log_in(ctx: ServiceContext, admin: Actor) -> None:
    accounts.add_user(ctx, admin, "oki", "Oki", "operator", "sandi-oki-1")
    accounts.set_active(ctx, admin, "oki", False)
    with pytest.raises(LoginFailed, match="dinonaktifkan"):
        accounts.authenticate(ctx, "oki", "sandi-oki-1")
    accounts.set_active(ctx, admin, "oki", True)
    assert accounts.authenticate(ctx, "oki", "sandi-oki-1").role == "operator"


def test_the_last_admin_stays(ctx: ServiceContext, admin: Actor) -> None:
    with pytest.raises(UserError, match="Admin terakhir"):
        accounts.set_active(ctx, admin, "ana", False)
    with pytest.raises(UserError, match="Admin terakhir"):
        accounts.set_role(ctx, admin, "ana", "operator")
    accounts.add_user(ctx, admin, "budi", "Budi", "admin", "sandi-budi-1")
    accounts.set_role(ctx, admin, "ana", "operator")  # another admin exists now
    budi = accounts.authenticate(ctx, "budi", "sandi-budi-1")
    with pytest.raises(UserError, match="Admin terakhir"):
        accounts.set_active(ctx, budi, "budi", False)
    assert accounts.has_admin(ctx)


def test_admin_resets_a_password(ctx: ServiceContext, admin: Actor) -> None:
    accounts.add_user(ctx, admin, "oki", "Oki", "operator", "sandi-oki-1")
    for _ in range(3):
        with pytest.raises(LoginFailed):
            accounts.authenticate(ctx, "oki", "keliru")
    accounts.reset_password(ctx, admin, "oki", "sandi-baru-2")  # also ends the wait
    assert accounts.authenticate(ctx, "oki", "sandi-baru-2").username == "oki"
    with pytest.raises(LoginFailed):
        accounts.authenticate(ctx, "oki", "sandi-oki-1")
    assert ("ana", "reset_password") in _actions(ctx)


def test_bad_names_and_roles(ctx: ServiceContext, admin: Actor) -> None:
    for name in ("sistem", "A B", "x"):
        with pytest.raises(UserError, match="Nama pengguna"):
            accounts.add_user(ctx, admin, name, "Nama", "operator", "sandi-oki-1")
    with pytest.raises(UserError, match="Peran"):
        accounts.add_user(ctx, admin, "oki", "Oki", "sistem", "sandi-oki-1")
    with pytest.raises(UserError, match="sudah dipakai"):
        accounts.add_user(ctx, SYSTEM, "ana", "Ana", "admin", "sandi-oki-1")


def test_idle_lock_setting(ctx: ServiceContext, admin: Actor) -> None:
    assert accounts.idle_lock_minutes(ctx) == 10
    accounts.set_idle_lock_minutes(ctx, admin, 3)
    assert accounts.idle_lock_minutes(ctx) == 3
    with pytest.raises(UserError, match="0 sampai 240"):
        accounts.set_idle_lock_minutes(ctx, admin, -1)


def test_change_own_password_needs_the_current_one(ctx: ServiceContext, admin: Actor) -> None:
    with pytest.raises(LoginFailed):
        accounts.change_own_password(ctx, admin, "bukan-sandinya", "sandi-baru-9")
    accounts.change_own_password(ctx, admin, PASSWORD, "sandi-baru-9")
    assert accounts.authenticate(ctx, "ana", "sandi-baru-9") == admin
    assert ("ana", "change_password") in _actions(ctx)
