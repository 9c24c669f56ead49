"""Writing output files safely: a temporary file in the same folder, then an atomic rename."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from klaten_desktop.services.errors import EnvironmentProblem, UserError, environment_message

T = TypeVar("T")


@contextmanager
def _temp_beside(target: Path) -> Iterator[Path]:
    folder = target.parent
    if not folder.is_dir():
        raise UserError(f"Folder {folder} tidak ada.")
    fd, name = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=target.suffix + ".tmp", dir=folder)
    os.close(fd)
    temp = Path(name)
    try:
        yield temp
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()


def write_atomically(target: Path | str, write: Callable[[Path], T]) -> T:
    """Call ``write(temp_path)`` and move the result over ``target``; nothing half-written is ever left.

    A locked target (open in Excel on Windows), a full disk or a read-only folder raise
    :class:`EnvironmentProblem` with an Indonesian message.
    """
    target = Path(target)
    try:
        with _temp_beside(target) as temp:
            result = write(temp)
            temp.replace(target)
            return result
    except OSError as exc:
        message = environment_message(exc)
        if message is None:
            message = f"Berkas {target.name} tidak dapat ditulis: {exc.strerror or exc}."
        raise EnvironmentProblem(message) from exc


def new_workbook(path: Path) -> object:
    """An xlsxwriter workbook that never turns text into formulas or links."""
    import xlsxwriter

    return xlsxwriter.Workbook(
        str(path),
        {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
    )
