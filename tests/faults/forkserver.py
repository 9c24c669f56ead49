"""The fault tests' child process (POSIX only): imports the app once, then forks one grandchild per job.

Run as a script by :class:`tests.faults.harness.ForkServer`. It reads one JSON job a line on stdin and answers one
JSON line on stdout. A job runs real command lines (``klaten_desktop.app.main(argv)``, the same code as
``klaten-desktop ...``) one after another in a forked grandchild, with stdout and stderr sent to files, and after
each command appends ``<index> <exit code>`` to the job's side file (so the parent knows which commands finished,
i.e. committed). The grandchild is killed with SIGKILL in one of two ways:

- ``kill_at: [pattern, n]``: at the n-th event whose name starts with ``pattern``. Events are counted by test-only
  hooks installed in the grandchild, never in the app: every SQL statement SQLite starts (``sql:INSERT`` ...,
  through ``sqlite3.Connection.set_trace_callback``), every ``commit`` of a driver connection (``pre:commit`` and
  ``post:commit``), and file operations (``pre:``/``post:`` ``fsync``, ``replace``, ``rename``). The grandchild
  kills itself there with SIGKILL, so the point is exact and reproducible.
- ``delay``: this process kills it after that many seconds, counted from the "started" marker the grandchild
  writes once its hooks are set.

``record``: a file the grandchild writes the names of all its events into (a calibration run without a kill).
``fsize``: RLIMIT_FSIZE for the grandchild (a full disk where no size-limited file system can be mounted).
"""

from __future__ import annotations

import importlib
import json
import os
import signal
import sqlite3
import sqlite3.dbapi2
import sys
import time
from typing import Any

_events: list[str] = []
_kill: tuple[str, int] | None = None
_seen = 0


def _hit(name: str) -> None:
    global _seen
    _events.append(name)
    if _kill is not None and name.startswith(_kill[0]):
        _seen += 1
        if _seen == _kill[1]:
            os.kill(os.getpid(), signal.SIGKILL)


def _trace(statement: str) -> None:
    word = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else "?"
    _hit("sql:" + (word if word.isalpha() else "--"))


class _Connection(sqlite3.Connection):
    def commit(self) -> None:
        _hit("pre:commit")
        super().commit()
        _hit("post:commit")


def _install_hooks() -> None:
    real_connect = sqlite3.connect

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        kwargs.setdefault("factory", _Connection)
        conn = real_connect(*args, **kwargs)
        conn.set_trace_callback(_trace)
        return conn

    sqlite3.connect = connect  # type: ignore[assignment]
    sqlite3.dbapi2.connect = connect  # type: ignore[assignment]  # what SQLAlchemy's pysqlite dialect calls

    def wrap(name: str) -> None:
        real = getattr(os, name)

        def hooked(*args: Any, **kwargs: Any) -> Any:
            _hit(f"pre:{name}")
            result = real(*args, **kwargs)
            _hit(f"post:{name}")
            return result

        setattr(os, name, hooked)

    for name in ("fsync", "replace", "rename"):
        wrap(name)


def _grandchild(job: dict[str, Any], started_fd: int) -> None:
    global _kill
    out = os.open(job["stdout"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    err = os.open(job["stderr"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(out, 1)
    os.dup2(err, 2)
    side = os.open(job["side"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    if job.get("fsize") is not None:
        import resource

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (job["fsize"], job["fsize"]))
    if job.get("kill_at"):
        _kill = (str(job["kill_at"][0]), int(job["kill_at"][1]))
    _install_hooks()
    from klaten_desktop.app import main

    os.write(started_fd, b"s")
    os.close(started_fd)
    for index, argv in enumerate(job["commands"]):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse
            code = exc.code if isinstance(exc.code, int) else 2
        except BaseException:  # a crash: the traceback goes to the stderr file, as it would at a console
            import traceback

            traceback.print_exc()
            code = 99
        sys.stdout.flush()
        sys.stderr.flush()
        os.write(side, f"{index} {code}\n".encode())
        if code != 0 and job.get("stop_on_failure", True):
            break
    if job.get("record"):
        with open(job["record"], "w", encoding="utf-8") as f:  # noqa: PTH123 - no pathlib import here
            f.write("\n".join(_events))
    os._exit(0)


def _run(job: dict[str, Any]) -> dict[str, Any]:
    read_fd, write_fd = os.pipe()
    sys.stdout.flush()
    began = time.monotonic()
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        try:
            _grandchild(job, write_fd)
        finally:
            os._exit(98)
    os.close(write_fd)
    started = os.read(read_fd, 1) == b"s"
    os.close(read_fd)
    ready = time.monotonic()
    delay = job.get("delay")
    if started and delay is not None:
        deadline = ready + float(delay)
        while time.monotonic() < deadline:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                return _answer(status, began, ready)
            time.sleep(0.002)
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    return _answer(status, began, ready)


def _answer(status: int, began: float, ready: float) -> dict[str, Any]:
    end = time.monotonic()
    killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else None
    return {"killed": killed, "exit": code, "seconds": end - ready, "startup": ready - began}


def main() -> None:
    # everything a command needs, imported once (the grandchildren share it)
    import klaten_desktop.app
    import klaten_desktop.cli
    import klaten_desktop.db.models
    import klaten_desktop.reports.certificate_pdf
    import klaten_desktop.reports.letters
    import klaten_desktop.services.imports
    import klaten_desktop.services.sync.importer

    klaten_desktop.app.build_renderers()
    # what the commands import or load lazily: paid for once here, not in every grandchild
    for lazy in (
        "cryptography.hazmat.primitives.asymmetric.ed25519",
        "cryptography.hazmat.primitives.asymmetric.x25519",
        "cryptography.hazmat.primitives.ciphers.aead",
        "cryptography.hazmat.primitives.kdf.hkdf",
        "python_calamine",
        "reportlab.pdfgen.canvas",
        "segno",
        "xlsxwriter",
    ):
        importlib.import_module(lazy)
    from klaten_desktop.reports import fonts

    fonts.register()
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    for line in sys.stdin:
        if not line.strip():
            continue
        answer = _run(json.loads(line))
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
