"""Wrapping the office's private keys so that a copied data folder does not carry them (docs/keys.md).

A private key is stored in ``identity_key.private_pem`` as text in one of three forms:

- ``KW1:dpapi:<base64>`` (Windows): the raw 32 key bytes protected by the Windows data protection API for the
  signed-in Windows user (``CryptProtectData``), with the key's purpose and public key as extra entropy;
- ``KW1:scrypt:<log2 N>:<r>:<p>:<salt>:<nonce>:<ciphertext>`` (elsewhere): AES-256-GCM over the raw key bytes with
  a key derived by scrypt from the office's key passphrase; the purpose and public key are the associated data;
- a clear PKCS#8 PEM: a database made before keys were wrapped, until its first unlock (``identity.protect``).

Plain functions over bytes and text: no database, no Qt. ``cryptography`` and ``ctypes`` are imported when used.
"""

from __future__ import annotations

import base64
import hashlib
import os
import sys

from klaten_desktop.services.errors import UserError

PREFIX = "KW1:"
DPAPI = "dpapi"
SCRYPT = "scrypt"
CLEAR = "terbuka"
#: scrypt cost (OWASP password storage cheat sheet: N = 2^17, r = 8, p = 1; about 128 MiB and a fraction of a
#: second once per unlock). Stored with every wrapped key, so a later change keeps old keys readable.
SCRYPT_LOG2_N = 17
SCRYPT_R = 8
SCRYPT_P = 1
MIN_PASSPHRASE = 10


class WrongPassphrase(UserError):
    """The passphrase does not open the wrapped key (the AES-GCM tag does not match)."""

    def __init__(self) -> None:
        super().__init__("Frasa sandi kunci salah. Kunci kantor tetap terkunci.")


def dpapi_available() -> bool:
    return sys.platform == "win32"


def kind_of(stored: str) -> str:
    """``dpapi``, ``scrypt`` or ``terbuka`` (a clear PEM of an older database)."""
    if stored.startswith(PREFIX + DPAPI + ":"):
        return DPAPI
    if stored.startswith(PREFIX + SCRYPT + ":"):
        return SCRYPT
    return CLEAR


def check_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise UserError(f"Frasa sandi kunci minimal {MIN_PASSPHRASE} karakter.", field="passphrase")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def derive(passphrase: str, salt: bytes, log2_n: int = SCRYPT_LOG2_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> bytes:
    """The 32-byte wrapping key of a passphrase (scrypt)."""
    n = 1 << log2_n
    return hashlib.scrypt(
        passphrase.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=129 * r * n + (1 << 20), dklen=32
    )


def _aad(purpose: str, public_b64: str) -> bytes:
    return f"klaten-desktop-kunci:{purpose}:{public_b64}".encode("ascii")


class Passphrase:
    """A passphrase with its derived keys cached by salt (one scrypt run per salt and unlock)."""

    def __init__(self, passphrase: str) -> None:
        self._passphrase = passphrase
        self._derived: dict[tuple[bytes, int, int, int], bytes] = {}

    def key(self, salt: bytes, log2_n: int, r: int, p: int) -> bytes:
        found = self._derived.get((salt, log2_n, r, p))
        if found is None:
            found = self._derived[(salt, log2_n, r, p)] = derive(self._passphrase, salt, log2_n, r, p)
        return found


def wrap_scrypt(raw: bytes, purpose: str, public_b64: str, secret: Passphrase, salt: bytes) -> str:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = os.urandom(12)
    sealed = AESGCM(secret.key(salt, SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P)).encrypt(nonce, raw, _aad(purpose, public_b64))
    fields = (str(SCRYPT_LOG2_N), str(SCRYPT_R), str(SCRYPT_P), _b64(salt), _b64(nonce), _b64(sealed))
    return PREFIX + SCRYPT + ":" + ":".join(fields)


def unwrap_scrypt(stored: str, purpose: str, public_b64: str, secret: Passphrase) -> bytes:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        log2_n, r, p, salt, nonce, sealed = stored[len(PREFIX + SCRYPT + ":") :].split(":")
        key = secret.key(_unb64(salt), int(log2_n), int(r), int(p))
        return AESGCM(key).decrypt(_unb64(nonce), _unb64(sealed), _aad(purpose, public_b64))
    except InvalidTag:
        raise WrongPassphrase from None
    except ValueError:
        raise UserError("Kunci kantor yang tersimpan rusak; pulihkan dari cadangan kunci (docs/keys.md).") from None


def wrap_dpapi(raw: bytes, purpose: str, public_b64: str) -> str:
    try:
        return PREFIX + DPAPI + ":" + _b64(_dpapi(raw, _aad(purpose, public_b64), protect=True))
    except OSError:
        raise UserError(
            "Windows tidak dapat melindungi kunci kantor untuk pengguna ini. Lindungi dengan frasa sandi kunci "
            "(Pengaturan › Sinkronisasi › Kunci kantor, atau: keys protect)."
        ) from None


def unwrap_dpapi(stored: str, purpose: str, public_b64: str) -> bytes:
    if not dpapi_available():
        raise UserError(
            "Kunci kantor ini dilindungi Windows untuk pengguna Windows di komputer asalnya. Pulihkan kunci dari "
            "berkas cadangan kunci (Pengaturan › Sinkronisasi › Kunci kantor, atau: keys restore BERKAS)."
        )
    try:
        return _dpapi(_unb64(stored[len(PREFIX + DPAPI + ":") :]), _aad(purpose, public_b64), protect=False)
    except (OSError, ValueError):
        raise UserError(
            "Kunci kantor tidak dapat dibuka oleh pengguna Windows ini (dilindungi untuk pengguna atau komputer "
            "lain). Pulihkan kunci dari berkas cadangan kunci (Pengaturan › Sinkronisasi › Kunci kantor, atau: "
            "keys restore BERKAS)."
        ) from None


def _dpapi(data: bytes, entropy: bytes, *, protect: bool) -> bytes:
    """``CryptProtectData``/``CryptUnprotectData`` for the current Windows user, through ctypes."""
    if sys.platform != "win32":
        raise OSError("Perlindungan data Windows hanya ada di Windows.")
    import ctypes

    class Blob(ctypes.Structure):
        _fields_ = [("cbData", ctypes.c_uint32), ("pbData", ctypes.c_void_p)]

    crypt32 = ctypes.WinDLL("crypt32", use_last_error=True)
    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    call = crypt32.CryptProtectData if protect else crypt32.CryptUnprotectData
    call.argtypes = [
        ctypes.POINTER(Blob), ctypes.c_wchar_p if protect else ctypes.c_void_p, ctypes.POINTER(Blob),
        ctypes.c_void_p, ctypes.c_void_p, ctypes.c_uint32, ctypes.POINTER(Blob),
    ]  # fmt: skip
    call.restype = ctypes.c_int
    kernel32.LocalFree.argtypes = [ctypes.c_void_p]
    kernel32.LocalFree.restype = ctypes.c_void_p
    data_buffer = ctypes.create_string_buffer(data, len(data))
    entropy_buffer = ctypes.create_string_buffer(entropy, len(entropy))
    blob_in = Blob(len(data), ctypes.addressof(data_buffer))
    blob_entropy = Blob(len(entropy), ctypes.addressof(entropy_buffer))
    blob_out = Blob()
    ui_forbidden = 0x1
    description = "Klaten Desktop" if protect else None
    if not call(
        ctypes.byref(blob_in), description, ctypes.byref(blob_entropy), None, None, ui_forbidden, ctypes.byref(blob_out)
    ):
        raise OSError(ctypes.get_last_error(), "CryptProtectData gagal")
    try:
        return ctypes.string_at(blob_out.pbData, blob_out.cbData)
    finally:
        kernel32.LocalFree(blob_out.pbData)


def clear_raw(pem: str) -> bytes:
    """The raw 32 private bytes of a clear PKCS#8 PEM (an older database)."""
    from cryptography.hazmat.primitives import serialization

    key = serialization.load_pem_private_key(pem.encode("ascii"), password=None)
    return key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
