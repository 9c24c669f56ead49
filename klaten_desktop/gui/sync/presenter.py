"""What the Sinkronisasi consoles share, free of Qt: the phases of a console, the long work it hands to the
screen's task runner (a :class:`Job`), and the base of every console's presenter.

A presenter holds a console's state and makes its service calls; its view only lays out widgets, binds them to
the presenter and runs its jobs (``common.run_job``). The screen runs one long task at a time (``TaskSlot``), so
every console also knows whether the screen is busy with another console's work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from klaten_desktop.services.context import Actor, ServiceContext

PACKAGE_SUFFIX = ".klsync"


class Phase(StrEnum):
    IDLE = "idle"
    """Nothing on screen to act on (no package can be made yet, no files chosen)."""
    PREVIEWING = "previewing"
    """The dry run of the chosen packages runs on a worker; nothing is written."""
    REVIEWING = "reviewing"
    """A preview waits for the person: what the next package holds, or the outcome of the dry run."""
    EXPORTING = "exporting"
    """A package is being written (on a worker)."""
    IMPORTING = "importing"
    """Packages are being imported (on a worker)."""


@dataclass(frozen=True)
class Job:
    """Long work for the screen's task runner: ``fn(progress, cancelled, *args)`` on a worker, shown as ``label``;
    while it runs the console is in ``phase``."""

    phase: Phase
    label: str
    fn: Callable[..., Any]
    args: tuple[Any, ...]
    cancellable: bool = True


def package_path(path: Path) -> Path:
    """The file a package is saved to: the name the person chose, with ``.klsync`` added when it lacks it."""
    if path.suffix.lower() != PACKAGE_SUFFIX:
        return path.with_name(path.name + PACKAGE_SUFFIX)
    return path


class ConsolePresenter:
    """The state every console shares: the phase of its own running job, whether the screen is busy (with this
    console's work or another's), the folder packages were last saved to."""

    def __init__(self, ctx: ServiceContext, actor: Actor) -> None:
        self.ctx = ctx
        self.actor = actor
        self.running: Phase | None = None
        self.busy = False
        self.folder: Path | None = None

    @property
    def phase(self) -> Phase:
        return self.running or self.settled()

    def settled(self) -> Phase:
        """The phase when none of this console's work runs (from what is on screen)."""
        return Phase.IDLE

    @property
    def free(self) -> bool:
        """No work runs on the screen: the console's actions may start."""
        return self.running is None and not self.busy

    def start(self, job: Job) -> None:
        """The view hands ``job`` to the task runner now."""
        if not self.free:
            raise RuntimeError(f"a console that is {self.phase} cannot start {job.phase}")
        self.running = job.phase

    def end(self) -> None:
        """The job ended (finished, failed or cancelled): the console settles on what is on screen."""
        self.running = None

    def save_path(self, chosen: Path) -> Path:
        """Where the package goes, and remember the folder for the next one."""
        path = package_path(chosen)
        self.folder = path.parent
        return path

    def suggested(self, name: str) -> Path:
        return (self.folder or Path.home()) / name
