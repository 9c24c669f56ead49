"""What the self-test checks share: the scratch folder, the databases they opened, and how a check is named."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from klaten_desktop.runtime.paths import AppPaths
from klaten_desktop.services.bootstrap import open_context
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.renderers import Renderers

EXIT_OK, EXIT_FAILED = 0, 1
SELFTEST_FIXTURES = "selftest"  # resources/selftest/*.sqlite: schema fixtures shipped in the bundle
DEMO_OFFICIALS = 20
PRAMBANAN = "33.10.01"
LETTER_KINDS = ("pengantar", "keterangan", "iuran")
MAIN_WINDOW_TIMEOUT_S = 30


class Skip(Exception):
    """Raised by a check that cannot run here, with the reason (printed as LEWATI)."""


@dataclass
class SelfTestState:
    root: Path
    paths: AppPaths
    renderers: Renderers | None = None  # from the composition root (app.build_renderers)
    ctx: ServiceContext | None = None
    actor: Actor | None = None  # the admin the accounts check logged in (the main window opens as this person)
    opened: list[ServiceContext] = field(default_factory=list)

    @property
    def work(self) -> Path:
        """A scratch folder for files the checks write (PDFs, workbooks, packages)."""
        folder = self.root / "keluaran"
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def require_ctx(self) -> ServiceContext:
        if self.ctx is None:
            raise RuntimeError("basis data belum terbuka (pemeriksaan migrasi-baru gagal)")
        return self.ctx

    def open(self, paths: AppPaths) -> ServiceContext:
        ctx = open_context(paths, renderers=self.renderers)
        self.opened.append(ctx)
        return ctx

    def close(self) -> None:
        for ctx in self.opened:
            ctx.dispose()
        self.opened.clear()
        self.ctx = None


@dataclass(frozen=True)
class Check:
    name: str
    run: Callable[[SelfTestState], str | None]
