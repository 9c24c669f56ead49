"""Local accounts: Argon2id passwords, roles, login with a growing delay after failed attempts, the last admin kept.

The first account is made when none exists (``create_first_admin``: the setup wizard, the first start after the
upgrade, or ``users add`` on the command line); from then on every change needs an admin (``Permission.users``).
A login returns the :class:`Actor` that every later service call and audit entry carries. The counters live in
``app_user`` (revision ``0005_accounts``); the delay is counted with the context's clock, never by sleeping.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from klaten_desktop.db.models import User
from klaten_desktop.services import audit, settings
from klaten_desktop.services.access import PERSON_ROLES, ROLE_LABELS, Permission, Role, require
from klaten_desktop.services.context import SYSTEM, Actor, ServiceContext, session_now
from klaten_desktop.services.errors import NotFoundError, UserError

#: Argon2id, RFC 9106's second recommended option (t=3, 64 MiB, p=4), 16-byte salt, 32-byte hash: about 0.1 s on
#: an office PC, once per login. docs/accounts.md states the same numbers.
ARGON2_TIME_COST = 3
ARGON2_MEMORY_KIB = 65536
ARGON2_PARALLELISM = 4
HASHER = PasswordHasher(
    time_cost=ARGON2_TIME_COST,
    memory_cost=ARGON2_MEMORY_KIB,
    parallelism=ARGON2_PARALLELISM,
    hash_len=32,
    salt_len=16,
    type=Type.ID,
)

MIN_PASSWORD = 8
FREE_ATTEMPTS = 2  # failures before the first wait
FIRST_DELAY_SECONDS = 5  # after the third failure; doubled by each further failure
MAX_DELAY_SECONDS = 15 * 60
IDLE_LOCK_KEY = "akun.kunci_menit"
UNKNOWN_USER = "tidak-dikenal"  # the audit's actor of a login with a name no account has
_USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,59}")


class LoginFailed(UserError):
    """Wrong name or password, a disabled account, or a try during the wait after failed attempts."""


@dataclass(frozen=True)
class UserRow:
    username: str
    display_name: str
    role: str
    active: bool
    last_login_at: dt.datetime | None
    failed_attempts: int

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[Role(self.role)]

    def as_json(self) -> dict[str, object]:
        return {
            "username": self.username,
            "nama": self.display_name,
            "peran": self.role,
            "aktif": self.active,
            "login_terakhir": self.last_login_at.isoformat() if self.last_login_at else None,
            "gagal_berturut": self.failed_attempts,
        }


def delay_after(failures: int) -> dt.timedelta:
    """How long an account waits after ``failures`` failed attempts in a row: none for the first two, then 5 s
    doubling with each further failure, at most 15 minutes."""
    if failures <= FREE_ATTEMPTS:
        return dt.timedelta(0)
    seconds = FIRST_DELAY_SECONDS * 2 ** min(failures - FREE_ATTEMPTS - 1, 20)
    return dt.timedelta(seconds=min(seconds, MAX_DELAY_SECONDS))


def has_admin(ctx: ServiceContext) -> bool:
    """Whether an active admin account exists (False: the first start asks for one, the CLI runs as before)."""
    with ctx.read() as session:
        return _active_admins(session) > 0


def idle_lock_minutes(ctx: ServiceContext) -> int:
    return int(settings.get(ctx, IDLE_LOCK_KEY))


def set_idle_lock_minutes(ctx: ServiceContext, actor: Actor, minutes: int) -> None:
    if not 0 <= minutes <= 240:
        raise UserError("Batas waktu kunci harus 0 sampai 240 menit (0: tidak pernah mengunci).", field="menit")
    settings.put(ctx, actor, IDLE_LOCK_KEY, minutes)


def list_users(ctx: ServiceContext, actor: Actor) -> list[UserRow]:
    require(actor, Permission.users)
    with ctx.read() as session:
        rows = session.scalars(select(User).where(User.role != Role.sistem).order_by(User.username)).all()
        return [_row(u) for u in rows]


def create_first_admin(ctx: ServiceContext, username: str, display_name: str, password: str) -> Actor:
    """The first admin account, made while none exists (no default password); returns the new admin."""
    with ctx.write() as session:
        if _active_admins(session) > 0:
            raise UserError("Akun admin pertama sudah dibuat. Masuk dengan akun admin untuk menambah pengguna.")
        user = _insert(session, SYSTEM, username, display_name, Role.admin, password, summary="Akun admin pertama")
        user.last_login_at = ctx.now()
        return _actor(user)


def add_user(ctx: ServiceContext, actor: Actor, username: str, display_name: str, role: str, password: str) -> UserRow:
    require(actor, Permission.users)
    with ctx.write() as session:
        if _active_admins(session) == 0 and role != Role.admin:
            raise UserError("Akun pertama harus berperan admin.", field="peran")
        return _row(_insert(session, actor, username, display_name, role, password))


def set_active(ctx: ServiceContext, actor: Actor, username: str, active: bool) -> UserRow:
    """Disable (``active=False``) or enable an account; the last active admin cannot be disabled."""
    require(actor, Permission.users)
    with ctx.write() as session:
        user = _find(session, username)
        if not active:
            _keep_last_admin(session, user, "dinonaktifkan")
        old = bool(user.active)
        user.active = int(active)
        if active:
            user.failed_attempts = 0
        audit.record(
            session, actor, "enable_user" if active else "disable_user", "app_user", user.username,
            old={"aktif": old}, new={"aktif": active},
            summary=f"Akun {user.username} {'diaktifkan' if active else 'dinonaktifkan'}",
        )  # fmt: skip
        return _row(user)


def set_role(ctx: ServiceContext, actor: Actor, username: str, role: str) -> UserRow:
    require(actor, Permission.users)
    _check_role(role)
    with ctx.write() as session:
        user = _find(session, username)
        if role != Role.admin:
            _keep_last_admin(session, user, "diturunkan perannya")
        old = user.role
        user.role = role
        audit.record(
            session, actor, "set_role", "app_user", user.username, old={"peran": old}, new={"peran": role},
            summary=f"Peran {user.username}: {old} → {role}",
        )  # fmt: skip
        return _row(user)


def reset_password(ctx: ServiceContext, actor: Actor, username: str, password: str) -> UserRow:
    """An admin sets a new password for an account (and clears its failed attempts)."""
    require(actor, Permission.users)
    _check_password(password)
    with ctx.write() as session:
        user = _find(session, username)
        user.password_hash = HASHER.hash(password)
        user.failed_attempts = 0
        user.last_failed_at = None
        audit.record(
            session, actor, "reset_password", "app_user", user.username, summary=f"Kata sandi {user.username} diganti"
        )
        return _row(user)


def change_own_password(ctx: ServiceContext, actor: Actor, current: str, password: str) -> None:
    """Any user changes their own password, proving the current one."""
    _check_password(password)
    authenticate(ctx, actor.username, current)
    with ctx.write() as session:
        user = _find(session, actor.username)
        user.password_hash = HASHER.hash(password)
        audit.record(session, actor, "change_password", "app_user", user.username, summary="Kata sandi sendiri diganti")


def authenticate(ctx: ServiceContext, username: str, password: str) -> Actor:
    """The account's actor when the password is right; else :class:`LoginFailed`, with the failure audited.

    After :data:`FREE_ATTEMPTS` failures in a row the account waits :func:`delay_after` from its last failure
    (counted with ``ctx.now()``); a try within the wait is refused without checking the password.
    """
    name = username.strip().lower()
    now = ctx.now()
    refusal: str | None = None
    with ctx.write() as session:
        user = session.scalar(select(User).where(User.username == name, User.role != Role.sistem))
        if user is None or not user.password_hash:
            # the typed name is not kept: it may be a password typed into the wrong field
            _audit_login(session, UNKNOWN_USER, "login_failed", "Nama pengguna tidak dikenal")
            refusal = "Nama pengguna atau kata sandi salah."
        elif not user.active:
            _audit_login(session, user.username, "login_failed", "Akun nonaktif")
            refusal = "Akun ini dinonaktifkan. Hubungi admin kantor."
        else:
            wait = _remaining_wait(user, now)
            if wait > 0:
                _audit_login(session, user.username, "login_refused", f"Masih harus menunggu {wait} detik")
                refusal = f"Terlalu banyak percobaan gagal. Tunggu {wait} detik lalu coba lagi."
            elif not _verify(user, password):
                user.failed_attempts += 1
                user.last_failed_at = now
                _audit_login(session, user.username, "login_failed", f"Kata sandi salah ({user.failed_attempts}x)")
                refusal = "Nama pengguna atau kata sandi salah."
                wait = int(delay_after(user.failed_attempts).total_seconds())
                if wait:
                    refusal += f" Coba lagi setelah {wait} detik."
            else:
                user.failed_attempts = 0
                user.last_failed_at = None
                user.last_login_at = now
                _audit_login(session, user.username, "login", "Masuk")
                return _actor(user)
    raise LoginFailed(refusal)


def _remaining_wait(user: User, now: dt.datetime) -> int:
    if user.last_failed_at is None:
        return 0
    left = user.last_failed_at + delay_after(user.failed_attempts) - now
    return max(0, int(-(-left.total_seconds() // 1)))  # whole seconds, rounded up


def _verify(user: User, password: str) -> bool:
    try:
        HASHER.verify(user.password_hash or "", password)
    except (VerificationError, InvalidHashError):
        return False
    if HASHER.check_needs_rehash(user.password_hash or ""):
        user.password_hash = HASHER.hash(password)
    return True


def _audit_login(session: Session, username: str, action: str, summary: str) -> None:
    audit.record(
        session, Actor(username[:60], username, Role.sistem), action, "app_user", username[:36], summary=summary
    )


def _insert(
    session: Session, actor: Actor, username: str, display_name: str, role: str, password: str, *, summary: str = ""
) -> User:
    name = check_account(username, display_name, password)
    _check_role(role)
    if session.scalar(select(User.id).where(User.username == name)) is not None:
        raise UserError(f"Nama pengguna {name} sudah dipakai.", field="username")
    user = User(
        username=name,
        display_name=display_name.strip(),
        role=role,
        password_hash=HASHER.hash(password),
        active=1,
        failed_attempts=0,
        created_at=session_now(session),
    )
    session.add(user)
    session.flush()
    audit.record(
        session, actor, "add_user", "app_user", name,
        new={"nama_pengguna": name, "nama": user.display_name, "peran": role},
        summary=summary or f"Akun {name} ({role}) dibuat",
    )  # fmt: skip
    return user


def _check_role(role: str) -> None:
    if role not in PERSON_ROLES:
        raise UserError("Peran harus admin, operator atau pembaca.", field="peran")


def check_account(username: str, display_name: str, password: str) -> str:
    """The rules of a new account's name, full name and password, without writing anything (a form checks them
    before the account is made, the setup wizard before the office is); the user name as it is stored."""
    name = username.strip().lower()
    if not _USERNAME.fullmatch(name) or name in (Role.sistem, UNKNOWN_USER):
        raise UserError(
            "Nama pengguna 2–60 huruf kecil, angka, titik, garis bawah atau tanda hubung (bukan 'sistem' atau "
            "'tidak-dikenal').",
            field="username",
        )
    if not display_name.strip():
        raise UserError("Nama lengkap wajib diisi.", field="display_name")
    _check_password(password)
    return name


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise UserError(f"Kata sandi minimal {MIN_PASSWORD} karakter.", field="password")


def _find(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username.strip().lower(), User.role != Role.sistem))
    if user is None:
        raise NotFoundError(f"Pengguna {username} tidak ditemukan.")
    return user


def _active_admins(session: Session) -> int:
    return int(
        session.scalar(select(func.count()).select_from(User).where(User.role == Role.admin, User.active == 1)) or 0
    )


def _keep_last_admin(session: Session, user: User, what: str) -> None:
    if user.role == Role.admin and user.active and _active_admins(session) <= 1:
        raise UserError(f"Admin terakhir tidak boleh {what}: tambahkan admin lain lebih dulu.")


def _row(user: User) -> UserRow:
    return UserRow(
        user.username, user.display_name, user.role, bool(user.active), user.last_login_at, user.failed_attempts
    )


def _actor(user: User) -> Actor:
    return Actor(user.username, user.display_name, user.role)
