"""Writing output files safely: a temporary file beside the target, then one atomic rename.

A PDF still open in a viewer on Windows cannot be replaced: that comes out as an
:class:`EnvironmentProblem` with a clear message, and the old file is left as it was.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from klaten_desktop.services.errors import EnvironmentProblem, environment_message


def write_atomic(path: Path, data: bytes) -> None:
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise EnvironmentProblem(_message(exc, path)) from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        Path(tmp).replace(path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            Path(tmp).unlink()
        raise EnvironmentProblem(_message(exc, path)) from exc


def _message(exc: OSError, path: Path) -> str:
    known = environment_message(exc)
    if known and isinstance(exc, PermissionError):
        return f"Berkas {path.name} tidak dapat ditulis. {known}"
    return known or f"Berkas {path} tidak dapat ditulis: {exc.strerror or exc}."
