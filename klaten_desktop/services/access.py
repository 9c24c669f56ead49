"""Who may do what: the roles, their permissions, and the one check every service entry point makes.

A service that changes something or reveals protected data starts with ``require(actor, Permission.X)``; a refused
call raises :class:`AccessDenied` (a ``UserError``, so the GUI and the CLI show its Indonesian message) before it
touches the database. The GUI hides what a role may not do with :func:`allowed`, but the services decide.
"""

from __future__ import annotations

from enum import StrEnum

from klaten_desktop.services.context import Actor
from klaten_desktop.services.errors import UserError


class Role(StrEnum):
    admin = "admin"
    operator = "operator"
    pembaca = "pembaca"  # viewer: read, search, print reports
    sistem = "sistem"  # the program itself (no person): the CLI before any account exists


ROLE_LABELS = {Role.admin: "Admin", Role.operator: "Operator", Role.pembaca: "Pembaca", Role.sistem: "Sistem"}
PERSON_ROLES = (Role.admin, Role.operator, Role.pembaca)


class Permission(StrEnum):
    # admin
    users = "mengelola akun pengguna"
    office_settings = "mengubah pengaturan kantor"
    templates = "mengubah templat surat"
    keys = "mengelola kunci sinkronisasi"
    tariffs = "mengubah tarif dan UMK"
    restore = "memulihkan cadangan"
    maintenance = "memperbaiki basis data dan mengisi data contoh"
    # operator
    registry = "mengubah data pengurus RT/RW"
    enrollment = "mencatat kepesertaan dan iuran"
    events = "mengelola kegiatan dan sertifikat"
    letters = "menerbitkan surat"
    import_export = "mengimpor dan mengekspor data"
    sync = "mengirim dan menerima paket sinkronisasi"
    reveal_nik = "melihat NIK lengkap"
    backup = "membuat cadangan basis data"
    # everyone
    read = "melihat dan mencari data"
    reports = "mencetak laporan"


_VIEWER = frozenset({Permission.read, Permission.reports})
_OPERATOR = _VIEWER | {
    Permission.registry,
    Permission.enrollment,
    Permission.events,
    Permission.letters,
    Permission.import_export,
    Permission.sync,
    Permission.reveal_nik,
    Permission.backup,
}
_ALL = frozenset(Permission)

#: What each role may do. An admin may also do an operator's work (a small office may have one person).
ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    Role.admin: _ALL,
    Role.operator: frozenset(_OPERATOR),
    Role.pembaca: _VIEWER,
    Role.sistem: _ALL,
}


class AccessDenied(UserError):
    """The acting user's role may not do this."""


def allowed(actor: Actor, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS.get(actor.role, frozenset())


def require(actor: Actor, permission: Permission) -> None:
    """Refuse ``actor`` unless its role grants ``permission`` (the first line of a service entry point)."""
    if not allowed(actor, permission):
        label = ROLE_LABELS.get(Role(actor.role), actor.role) if actor.role in Role.__members__ else actor.role
        raise AccessDenied(
            f"Akses ditolak: peran {label} ({actor.display_name}) tidak boleh {permission.value}. "
            "Minta pengguna dengan peran yang sesuai, atau admin kantor."
        )
