"""The office's private keys wrapped (issue #20): never in the clear in klaten.sqlite, its log or a backup; locked
until the key passphrase is given; clear keys of an older database wrapped at the first unlock; an encrypted key
backup restored on a fresh data folder signs a letter the regency verifies."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from klaten_desktop.app import open_context
from klaten_desktop.db.models import AuditLog
from klaten_desktop.domain.enums import OfficeRole
from klaten_desktop.runtime.paths import AppPaths
from klaten_desktop.services import backup, demo, identity, key_backup, key_protection, keywrap, office
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.documents import archive, verify
from klaten_desktop.services.errors import UserError
from klaten_desktop.services.letters import issue, options
from tests.conftest import PRAMBANAN, SENGON
from tests.sync.conftest import exchange_keys

PASS = "bambu runcing 1945"
BACKUP_PASS = "cadangan kunci kantor"


@pytest.fixture(autouse=True)
def cheap_scrypt(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A small scrypt cost for speed; the cost travels with every wrapped key, so reading follows it."""
    monkeypatch.setattr(keywrap, "SCRYPT_LOG2_N", 12)
    yield


def raw_keys(ctx: ServiceContext) -> list[bytes]:
    return [key_protection.private_raw(ctx, purpose) for purpose in key_protection.PURPOSES]


def assert_no_clear_keys(files: list[Path], secrets: list[bytes]) -> None:
    for path in files:
        data = path.read_bytes()
        assert b"PRIVATE KEY" not in data, path.name
        for secret in secrets:
            assert secret not in data, path.name


def database_files(ctx: ServiceContext) -> list[Path]:
    if ctx.on_server:
        pytest.skip("looks into the SQLite file and its log for key bytes; a server's files are the server's")
    assert ctx.database is not None
    return [p for p in ctx.database.parent.glob(ctx.database.name + "*") if p.is_file()]


def reopened(ctx: ServiceContext) -> ServiceContext:
    """The same database opened again, as by the next start of the app (a new process: no key unlocked)."""
    if ctx.on_server:
        folder = Path(tempfile.mkdtemp(prefix="klaten-lagi-"))
        url = ctx.engine.url.render_as_string(hide_password=False)
        return open_context(AppPaths(folder, database_url=url), clock=ctx.clock)
    assert ctx.database is not None
    return open_context(AppPaths(ctx.database.parent), clock=ctx.clock)


def test_protected_keys_are_in_no_file_and_a_new_session_is_locked(ctx: ServiceContext) -> None:
    secrets = raw_keys(ctx)
    assert key_protection.status(ctx).protection == keywrap.CLEAR
    assert any(b"PRIVATE KEY" in p.read_bytes() for p in database_files(ctx))  # the older form, before

    state = key_protection.protect(ctx, SYSTEM, PASS)
    assert (state.protection, state.unlocked) == (keywrap.SCRYPT, True)
    made = backup.create(ctx, reason="uji")
    assert_no_clear_keys([*database_files(ctx), made.path], secrets)

    again = reopened(ctx)
    try:
        assert key_protection.status(again) == key_protection.KeyStatus(keywrap.SCRYPT, unlocked=False)
        with pytest.raises(key_protection.KeysLocked):
            identity.signing_key(again)
        with pytest.raises(keywrap.WrongPassphrase):
            key_protection.unlock(again, SYSTEM, "bukan frasa sandinya")
        assert not key_protection.status(again).unlocked
        key_protection.unlock(again, SYSTEM, PASS)
        assert raw_keys(again) == secrets
        public = identity.public_identity(again)  # public keys stay readable without unlocking
        assert public.signing_public_b64 == identity.public_identity(ctx).signing_public_b64
        key_protection.lock(again)
        with pytest.raises(key_protection.KeysLocked):
            identity.encryption_key(again)
    finally:
        again.dispose()


def test_clear_keys_of_an_older_database_keep_signing_until_the_first_unlock_wraps_them(ctx: ServiceContext) -> None:
    signature = identity.signing_key(ctx).sign(b"surat")  # an upgraded database refuses nothing that worked
    secrets = raw_keys(ctx)
    ctx.unlocked_keys.clear()
    state = key_protection.unlock(ctx, SYSTEM, PASS)  # the first passphrase given wraps the clear keys
    assert (state.protection, state.unlocked) == (keywrap.SCRYPT, True)
    assert identity.signing_key(ctx).sign(b"surat") == signature  # Ed25519 is deterministic: the same key
    assert_no_clear_keys(database_files(ctx), secrets)


def test_a_short_passphrase_is_refused_and_nothing_changes(ctx: ServiceContext) -> None:
    with pytest.raises(UserError, match="minimal 10 karakter"):
        key_protection.protect(ctx, SYSTEM, "pendek")
    assert key_protection.status(ctx).protection == keywrap.CLEAR


def test_init_with_a_key_passphrase_never_writes_the_keys_in_the_clear(make_ctx: Callable[..., ServiceContext]) -> None:
    fresh = make_ctx("empty", name="baru")
    office.init(fresh, SYSTEM, role=OfficeRole.kecamatan, name="Kecamatan Prambanan", kecamatan_kode=PRAMBANAN,
                key_passphrase=PASS)  # fmt: skip
    assert key_protection.status(fresh) == key_protection.KeyStatus(keywrap.SCRYPT, unlocked=True)
    assert_no_clear_keys(database_files(fresh), raw_keys(fresh))


def test_the_prompt_of_the_cli_unlocks_a_locked_key_when_signing(ctx: ServiceContext) -> None:
    key_protection.protect(ctx, SYSTEM, PASS)
    again = reopened(ctx)
    asked: list[str] = []

    def ask() -> str:
        asked.append("frasa")
        return PASS

    again.ask_key_passphrase = ask
    try:
        identity.signing_key(again)
        identity.encryption_key(again)
        assert asked == ["frasa"]
    finally:
        again.dispose()


@pytest.mark.skipif(not keywrap.dpapi_available(), reason="the Windows data protection API exists only on Windows")
def test_windows_protects_the_keys_for_this_user(ctx: ServiceContext) -> None:
    secrets = raw_keys(ctx)
    state = key_protection.protect_at_start(ctx, SYSTEM)
    assert state is not None and (state.protection, state.unlocked) == (keywrap.DPAPI, True)
    assert_no_clear_keys(database_files(ctx), secrets)
    again = reopened(ctx)
    try:
        assert raw_keys(again) == secrets  # opened by Windows for the same user, without a passphrase
    finally:
        again.dispose()


def test_dpapi_wrapped_keys_elsewhere_say_to_restore_from_the_key_backup(ctx: ServiceContext) -> None:
    if keywrap.dpapi_available():
        pytest.skip("on Windows the same user opens them")
    with ctx.write() as session:  # a database copied from a Windows PC
        for row in key_protection._rows(session).values():
            row.private_pem = keywrap.PREFIX + keywrap.DPAPI + ":AAAA"
    with pytest.raises(UserError, match="keys restore"):
        identity.signing_key(ctx)


def test_a_key_backup_restored_on_a_fresh_data_folder_signs_a_letter_the_regency_verifies(
    make_ctx: Callable[..., ServiceContext], tmp_path: Path
) -> None:
    old_pc = make_ctx("kecamatan", name="lama")
    regency = make_ctx("kabupaten", name="kabupaten")
    exchange_keys(old_pc, regency, tmp_path / "kunci")
    key_protection.protect(old_pc, SYSTEM, PASS)
    saved = tmp_path / "cadangan-kunci.json"
    key_backup.backup(old_pc, SYSTEM, saved, BACKUP_PASS)
    assert_no_clear_keys([saved], raw_keys(old_pc))

    new_pc = make_ctx("empty", name="baru")
    office.init(new_pc, SYSTEM, role=OfficeRole.kecamatan, name="Kecamatan Prambanan", kecamatan_kode=PRAMBANAN,
                key_passphrase="frasa komputer baru", camat_nama="Drs. Contoh Camat, M.Si.",
                camat_nip="197001011990031001", camat_pangkat="Pembina Tk. I (IV/b)")  # fmt: skip
    assert identity.public_identity(new_pc).fingerprint != identity.public_identity(old_pc).fingerprint
    with pytest.raises(UserError, match="Frasa sandi cadangan kunci salah"):
        key_backup.restore(new_pc, SYSTEM, saved, "bukan frasa sandinya", "frasa komputer baru")
    restored = key_backup.restore(new_pc, SYSTEM, saved, BACKUP_PASS, "frasa komputer baru")
    assert restored.fingerprint == identity.public_identity(old_pc).fingerprint
    assert raw_keys(new_pc) == raw_keys(old_pc)
    assert_no_clear_keys(database_files(new_pc), raw_keys(old_pc))

    demo.populate(new_pc, SYSTEM, 120, seed=7)
    options.set_allowed(new_pc, SYSTEM, True)
    letter = issue.keterangan(new_pc, SYSTEM, desa_kode=SENGON, out=tmp_path / "surat.pdf").documents[0]
    verification = archive.document(new_pc, letter.id).payload.verification
    assert verification is not None
    checked = verify.check(regency, verification.qr)
    assert checked.ok, checked.reason
    assert checked.content is not None and checked.content.nomor == letter.nomor


def test_a_key_backup_of_another_office_is_refused(make_ctx: Callable[..., ServiceContext], tmp_path: Path) -> None:
    regency = make_ctx("kabupaten", name="kabupaten")
    saved = tmp_path / "cadangan-kunci.json"
    key_backup.backup(regency, SYSTEM, saved, BACKUP_PASS)
    kecamatan = make_ctx("kecamatan", name="kecamatan")
    before = identity.public_identity(kecamatan).fingerprint
    with pytest.raises(UserError, match="bukan kantor ini"):
        key_backup.restore(kecamatan, SYSTEM, saved, BACKUP_PASS, PASS)
    assert identity.public_identity(kecamatan).fingerprint == before


def test_a_damaged_key_backup_is_refused(ctx: ServiceContext, tmp_path: Path) -> None:
    saved = tmp_path / "cadangan-kunci.json"
    key_backup.backup(ctx, SYSTEM, saved, BACKUP_PASS)
    text = saved.read_text(encoding="utf-8").replace('"fingerprint": "', '"fingerprint": "0', 1)
    saved.write_text(text, encoding="utf-8")
    with pytest.raises(UserError, match="salah, atau berkas itu diubah"):
        key_backup.restore(ctx, SYSTEM, saved, BACKUP_PASS, PASS)
    with ctx.read() as session:
        actions = list(session.scalars(select(AuditLog.action).where(AuditLog.entity == "identity_key")))
    assert actions == ["kunci_dicadangkan"]
