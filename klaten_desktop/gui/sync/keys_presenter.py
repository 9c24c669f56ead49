"""The office keys without Qt: this office's public identity, the offices it trusts, exporting our key file and
trusting another office's after comparing fingerprints. The view is ``keys_panel.py``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from klaten_desktop.services import identity
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.identity import PublicIdentity
from klaten_desktop.services.sync import keys
from klaten_desktop.services.sync.keys import IdentityFile, PeerData


@dataclass(frozen=True)
class Keys:
    me: PublicIdentity
    peers: list[PeerData]


class KeysPresenter:
    def __init__(self, ctx: ServiceContext, actor: Actor, *, regency: bool) -> None:
        self.ctx = ctx
        self.actor = actor
        self.regency = regency

    @property
    def other(self) -> str:
        """Whose keys this office imports."""
        return "kecamatan" if self.regency else "kabupaten"

    def load(self) -> Keys:
        return Keys(identity.public_identity(self.ctx), keys.trusted_peers(self.ctx))

    def no_peers_text(self) -> str:
        if self.regency:
            return "Belum ada kunci kecamatan yang dipercaya. Impor berkas kunci dari setiap kecamatan."
        return "Kunci kabupaten belum diimpor: paket sinkronisasi belum dapat dibuat."

    def hint(self) -> str:
        return (
            "Berikan berkas kunci publik kantor ini kepada "
            + ("setiap kecamatan" if self.regency else "kantor kabupaten")
            + " (berkas ini tidak rahasia). Sebelum memercayai kunci kantor lain, cocokkan sidik jarinya "
            "dengan yang dibacakan petugas kantor itu lewat telepon."
        )

    def suggested_key_path(self) -> Path:
        return Path.home() / f"kunci-{identity.public_identity(self.ctx).office_code}.json"

    def export_key(self, path: Path) -> str:
        """Write our public key file; the message to show (with the fingerprint to read out)."""
        peer = keys.export_identity(self.ctx, path)
        return (
            f"Berkas kunci {peer.name} disimpan ke {path.name}.\n\nSidik jari:\n{peer.fingerprint}\n\n"
            "Bacakan sidik jari ini lewat telepon kepada kantor yang mengimpor berkas ini."
        )

    def read_key(self, path: Path) -> IdentityFile:
        return keys.read_identity(self.ctx, path)

    @staticmethod
    def compare_text(found: IdentityFile) -> str:
        """What the person compares with the fingerprint read out over the phone before trusting the key."""
        peer = found.peer
        text = (
            f"Kantor: {peer.name} ({peer.office_code})\n\nSidik jari:\n{peer.fingerprint}\n\n"
            "Minta petugas kantor itu membacakan sidik jari kuncinya lewat telepon. "
            "Percayai kunci ini hanya jika keduanya sama persis."
        )
        for old in found.replaces:
            text += f"\n\nKunci ini menggantikan kunci lama {old.name} (sidik jari {old.fingerprint})."
        if found.already_trusted:
            text += "\n\nKunci ini sudah dipercaya sebelumnya."
        return text

    def trust(self, found: IdentityFile) -> str:
        keys.trust(self.ctx, self.actor, found)
        return f"Kunci {found.peer.name} ({found.peer.office_code}) sekarang dipercaya."
