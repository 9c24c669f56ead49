"""A minimal reader and writer of Klaten Desktop sync packages, written from docs/sync-format.md alone.

Only the standard library and ``cryptography``: nothing of the application is imported (a test checks), so
this module shows that the document is enough. The table list, columns, types and allowed values are read
from the document's generated section itself (:func:`read_spec`), so the rows are checked against what the
document says, not against the code.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import re
import struct
import uuid
import zipfile
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"KLTSYNC\x01"  # "the 7 ASCII bytes KLTSYNC then the byte 0x01"
INFO = b"klaten-desktop sync v1"
HEADER_KEYS = {
    "format_version",
    "kind",
    "sender_install",
    "sender_office",
    "recipient_install",
    "recipient_office",
    "sequence",
    "ephemeral_public",
    "nonce",
}
IDENTITY_KEYS = {
    "format",
    "version",
    "install_id",
    "office_code",
    "role",
    "name",
    "signing_public_b64",
    "encryption_public_b64",
    "signature",
}
_RAW = (serialization.Encoding.Raw, serialization.PublicFormat.Raw)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{6})?")


class Refused(Exception):
    """The package or file breaks a rule of the document."""


# ---------------------------------------------------------------- the document's generated section


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    nullable: bool
    allowed: tuple[str, ...]  # from "one of: `a`, `b`", empty when the document lists none


@dataclass(frozen=True)
class Spec:
    tables: tuple[str, ...]  # the closed list, parents first
    columns: dict[str, tuple[Column, ...]]
    schema_versions: tuple[str, ...]

    def is_json_text(self, table: str, column: str) -> bool:
        return any(c.name == column and "JSON" in c.type for c in self.columns[table])


def read_spec(document: str) -> Spec:
    """The tables, columns and schema versions as the document states them."""
    start = document.index("<!-- BEGIN GENERATED")
    section = document[start : document.index("<!-- END GENERATED -->")]
    tables = tuple(re.findall(r"^\d+\. `(\w+)`", section, flags=re.M))
    columns: dict[str, tuple[Column, ...]] = {}
    for block in re.split(r"^#### ", section, flags=re.M)[1:]:
        name = re.match(r"`(\w+)`", block)
        assert name is not None
        found = []
        for line in block.splitlines():
            cells = re.match(r"^\| `(\w+)` \| (.*?) \| (yes|no) \| (.*) \|$", line)
            if cells:
                listed = re.search(r"one of: ((?:`[^`]+`(?:, )?)+)", cells.group(4))
                allowed = tuple(re.findall(r"`([^`]+)`", listed.group(1))) if listed else ()
                found.append(Column(cells.group(1), cells.group(2), cells.group(3) == "yes", allowed))
        columns[name.group(1)] = tuple(found)
    versions = re.search(r"`schema_version` values this release reads[^:]*: (.*)\.", section)
    assert versions is not None
    return Spec(tables, columns, tuple(re.findall(r"`([^`]+)`", versions.group(1))))


# ---------------------------------------------------------------- identities


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text, validate=True)  # standard alphabet, padding, nothing else


@dataclass(frozen=True)
class Peer:
    install_id: str
    office_code: str
    role: str
    name: str
    signing_public: bytes
    encryption_public: bytes

    @property
    def fingerprint(self) -> str:
        digest = hashlib.sha256(self.signing_public + self.encryption_public).digest()[:20].hex().upper()
        return " ".join(digest[i : i + 4] for i in range(0, 40, 4))


@dataclass
class Installation:
    """An installation of this minimal tool: its own keys and install id."""

    office_code: str
    role: str
    name: str
    install_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    signing: Ed25519PrivateKey = field(default_factory=Ed25519PrivateKey.generate)
    encryption: X25519PrivateKey = field(default_factory=X25519PrivateKey.generate)

    @property
    def peer(self) -> Peer:
        return Peer(
            self.install_id,
            self.office_code,
            self.role,
            self.name,
            self.signing.public_key().public_bytes(*_RAW),
            self.encryption.public_key().public_bytes(*_RAW),
        )

    def identity_file(self) -> bytes:
        peer = self.peer
        body = {
            "format": "klaten-desktop-identitas",
            "version": 1,
            "install_id": peer.install_id,
            "office_code": peer.office_code,
            "role": peer.role,
            "name": peer.name,
            "signing_public_b64": b64(peer.signing_public),
            "encryption_public_b64": b64(peer.encryption_public),
        }
        signature = self.signing.sign(_signed_identity_bytes(body))
        return json.dumps({**body, "signature": b64(signature)}, ensure_ascii=False).encode("utf-8")


def _signed_identity_bytes(body: dict[str, Any]) -> bytes:
    """Members sorted, ", " and ": " separators, non-ASCII as itself, no newline at the end."""
    return json.dumps(body, sort_keys=True, ensure_ascii=False).encode("utf-8")


def read_identity_file(data: bytes) -> Peer:
    document = json.loads(data.decode("utf-8"))
    if set(document) != IDENTITY_KEYS or document["format"] != "klaten-desktop-identitas":
        raise Refused("not an identity file")
    if document["version"] != 1:
        raise Refused("identity file from a newer app")
    body = {k: v for k, v in document.items() if k != "signature"}
    signing = unb64(document["signing_public_b64"])
    Ed25519PublicKey.from_public_bytes(signing).verify(unb64(document["signature"]), _signed_identity_bytes(body))
    encryption = unb64(document["encryption_public_b64"])
    if len(signing) != 32 or len(encryption) != 32 or document["role"] not in ("kecamatan", "kabupaten"):
        raise Refused("bad identity file")
    return Peer(
        document["install_id"], document["office_code"], document["role"], document["name"], signing, encryption
    )


# ---------------------------------------------------------------- packages


@dataclass(frozen=True)
class Package:
    header: dict[str, Any]
    manifest: dict[str, Any]
    rows: dict[str, list[dict[str, Any]]]  # every table of the list, in storing order
    sha256: str
    entries: tuple[str, ...]
    entry_sizes: dict[str, int]


def _key(secret: bytes, ephemeral_public: bytes, recipient_public: bytes) -> AESGCM:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=ephemeral_public + recipient_public, info=INFO)
    return AESGCM(hkdf.derive(secret))


def read_package(data: bytes, me: Installation, senders: list[Peer], spec: Spec) -> Package:
    """Check and open a package addressed to ``me`` from one of the trusted ``senders``."""
    if data[:7] != MAGIC[:7]:
        raise Refused("not a package")
    if data[7] != 1:
        raise Refused("newer format")
    (h,) = struct.unpack(">I", data[8:12])
    header_bytes = data[12 : 12 + h]
    (c,) = struct.unpack(">Q", data[12 + h : 20 + h])
    if len(data) != 8 + 4 + h + 8 + c + 64:
        raise Refused("truncated or extra bytes")
    ciphertext = data[20 + h : 20 + h + c]
    header = json.loads(header_bytes.decode("utf-8"))
    if set(header) != HEADER_KEYS or header["format_version"] != 1 or header["kind"] not in ("data", "return"):
        raise Refused("bad header")
    sender = next((p for p in senders if p.install_id == header["sender_install"]), None)
    if sender is None or sender.office_code != header["sender_office"]:
        raise Refused("unknown sender")
    Ed25519PublicKey.from_public_bytes(sender.signing_public).verify(data[-64:], data[:-64])
    if header["recipient_install"] != me.install_id or header["recipient_office"] != me.office_code:
        raise Refused("for another installation")
    ephemeral = unb64(header["ephemeral_public"])
    secret = me.encryption.exchange(X25519PublicKey.from_public_bytes(ephemeral))
    key = _key(secret, ephemeral, me.peer.encryption_public)
    payload = key.decrypt(unb64(header["nonce"]), ciphertext, MAGIC + header_bytes)
    manifest, rows, entries, sizes = _read_zip(payload, header, spec)
    return Package(header, manifest, rows, hashlib.sha256(data).hexdigest(), entries, sizes)


def _read_zip(
    payload: bytes, header: dict[str, Any], spec: Spec
) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]], tuple[str, ...], dict[str, int]]:
    allowed = {"manifest.json", *(f"rows/{t}.jsonl" for t in spec.tables)}
    with zipfile.ZipFile(io.BytesIO(payload)) as zf:
        names = tuple(zf.namelist())
        if not set(names) <= allowed or "manifest.json" not in names or len(set(names)) != len(names):
            raise Refused(f"entries outside the closed list: {sorted(set(names) - allowed)}")
        contents = {name: zf.read(name) for name in names}
    manifest = json.loads(contents["manifest.json"].decode("utf-8"))
    same = {
        "format_version": header["format_version"],
        "kind": header["kind"],
        "sequence": header["sequence"],
        "office": header["sender_office"],
        "install_id": header["sender_install"],
        "recipient_office": header["recipient_office"],
        "recipient_install": header["recipient_install"],
    }
    if any(manifest[k] != v for k, v in same.items()):
        raise Refused("manifest does not match the header")
    if manifest["schema_version"] not in spec.schema_versions:
        raise Refused("schema version this reader was not written for")
    if not set(manifest["counts"]) <= set(spec.tables):
        raise Refused("counts name an unknown table")
    stream = manifest.get("stream_sha256")  # optional; when present: sequence - 1 hashes (or null), the last = previous
    if stream is not None:
        hashes_ok = all(h is None or (isinstance(h, str) and len(h) == 64) for h in stream)
        last = stream[-1] if stream else None
        if len(stream) != header["sequence"] - 1 or not hashes_ok or last != manifest["previous_sha256"]:
            raise Refused("stream_sha256 does not fit the sequence and previous_sha256")
    restored = manifest.get("restored")
    if restored is not None and not isinstance(restored.get("last_sequence_in_backup"), int):
        raise Refused("restored without last_sequence_in_backup")
    owner = header["sender_office"] if header["kind"] == "data" else header["recipient_office"]
    rows: dict[str, list[dict[str, Any]]] = {}
    for table in spec.tables:
        data = contents.get(f"rows/{table}.jsonl", b"")  # a missing entry is an empty table
        if data and not data.endswith(b"\n"):
            raise Refused("last line not ended by 0x0A")
        lines = [json.loads(line.decode("utf-8")) for line in data.split(b"\n") if line]
        if len(lines) != manifest["counts"].get(table, 0):
            raise Refused(f"{table}: line count differs from counts")
        for row in lines:
            check_row(spec, table, row, owner)
        rows[table] = lines
    return manifest, rows, names, {name: len(data) for name, data in contents.items()}


def check_row(spec: Spec, table: str, row: dict[str, Any], owner: str) -> None:
    """Exactly the document's keys, in its types, with its allowed values; JSON text columns decode."""
    columns = spec.columns[table]
    if list(row) != [c.name for c in columns]:
        raise Refused(f"{table}: keys {list(row)} are not the document's")
    if row["office_code"] != owner:
        raise Refused(f"{table}: row of another office")
    for column in columns:
        value = row[column.name]
        if value is None:
            if not column.nullable:
                raise Refused(f"{table}.{column.name} is null")
            continue
        _check_value(spec, table, column, value)


def _check_value(spec: Spec, table: str, column: Column, value: Any) -> None:
    where = f"{table}.{column.name}"
    if column.type == "integer":
        ok = type(value) is int
    elif column.type == "date":
        ok = isinstance(value, str) and _DATE.fullmatch(value) is not None
    elif column.type.startswith("timestamp"):
        ok = isinstance(value, str) and _TIMESTAMP.fullmatch(value) is not None
    elif column.type == "list of texts":
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
    else:
        ok = isinstance(value, str)
        limit = re.search(r"at most (\d+) character", column.type)
        if ok and limit and len(value) > int(limit.group(1)):
            raise Refused(f"{where} longer than the document allows")
    if not ok:
        raise Refused(f"{where}: {value!r} is not {column.type}")
    if column.allowed and str(value) not in column.allowed:
        raise Refused(f"{where}: {value!r} is not one of {column.allowed}")
    if spec.is_json_text(table, column.name):
        json.loads(value)


def write_package(
    *,
    me: Installation,
    to: Peer,
    kind: str,
    sequence: int,
    previous_sha256: str | None,
    rows: dict[str, list[dict[str, Any]]],
    spec: Spec,
    full: bool = False,
    magic_in_associated_data: bytes = MAGIC,
    stream_sha256: list[str | None] | None = None,
) -> bytes:
    """A package as the document describes it. Empty tables are left out (the document allows it), and so is the
    optional ``stream_sha256`` unless given."""
    manifest = {
        "format_version": 1,
        "kind": kind,
        "schema_version": spec.schema_versions[-1],
        "app_version": "minimal-1",
        "office": me.office_code,
        "office_name": me.name,
        "install_id": me.install_id,
        "recipient_office": to.office_code,
        "recipient_install": to.install_id,
        "sequence": sequence,
        "previous_sha256": previous_sha256,
        "full": full,
        "created_at": "2026-11-24T08:15:02Z",
        "counts": {t: len(rows[t]) for t in spec.tables if rows.get(t)},
    }
    if stream_sha256 is not None:
        manifest["stream_sha256"] = stream_sha256
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", json.dumps(manifest))
        for table in spec.tables:
            if rows.get(table):
                lines = (json.dumps(row, ensure_ascii=False, separators=(",", ":")) for row in rows[table])
                zf.writestr(f"rows/{table}.jsonl", "".join(line + "\n" for line in lines).encode("utf-8"))
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes(*_RAW)
    nonce = os.urandom(12)
    header = {
        "format_version": 1,
        "kind": kind,
        "sender_install": me.install_id,
        "sender_office": me.office_code,
        "recipient_install": to.install_id,
        "recipient_office": to.office_code,
        "sequence": sequence,
        "ephemeral_public": b64(ephemeral_public),
        "nonce": b64(nonce),
    }
    header_bytes = json.dumps(header).encode("utf-8")
    key = _key(
        ephemeral.exchange(X25519PublicKey.from_public_bytes(to.encryption_public)),
        ephemeral_public,
        to.encryption_public,
    )
    ciphertext = key.encrypt(nonce, buffer.getvalue(), magic_in_associated_data + header_bytes)
    signed = (
        MAGIC + struct.pack(">I", len(header_bytes)) + header_bytes + struct.pack(">Q", len(ciphertext)) + ciphertext
    )
    return signed + me.signing.sign(signed)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
