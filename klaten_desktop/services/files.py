"""The one way to write an output file (exports, error workbooks, sync packages, letters, certificates, recaps,
attendance sheets, key files): a temporary file, flushed to disk (file and folder), given its mode, then one
atomic rename. The temporary file is made in the process's private scratch folder inside the data folder
(:func:`use_scratch`, set at start by services/bootstrap.py; what a killed run left there is removed at the next
start) and renamed into place from there; a target on another disk (a flash disk) gets a copy beside it first.
Nothing half-written is ever left under the target's name, and an OS error
(disk full, file open in another program, read-only folder) comes out as an Indonesian
:class:`EnvironmentProblem`.

- :func:`write_atomically` ``(target, write)``: ``write(temp_path)`` makes the file (xlsxwriter, reportlab ...).
- :func:`write_bytes` ``(target, data)``: bytes already in memory.
- :func:`staged` ``(target, data)``: two steps, for a file that must not exist unless a database change was
  committed (issued documents): the bytes are written and flushed to a temporary name first; ``place()`` renames
  it into place after the commit; leaving the block without ``place()`` removes the temporary file.
"""

from __future__ import annotations

import atexit
import contextlib
import errno
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any, TypeVar

from klaten_desktop.runtime.paths import PRIVATE_FILE_MODE
from klaten_desktop.services.errors import EnvironmentProblem, UserError, environment_message

T = TypeVar("T")

#: The mode of a new output file (the temporary file ``mkstemp`` makes is readable by its owner only).
NEW_FILE_MODE = 0o644
_LOCK_NAME = ".aktif"

#: What an OS error means, for the errors :func:`environment_message` has no sentence for.
_ERRNO_REASONS: dict[int, str] = {
    errno.EISDIR: "sudah ada folder dengan nama itu. Pilih nama berkas lain",
    errno.ENAMETOOLONG: "nama berkas terlalu panjang. Pilih nama yang lebih pendek",
    errno.ENOENT: "folder tujuan tidak ditemukan. Pilih folder lain",
    errno.ENOTDIR: "salah satu bagian jalurnya bukan folder. Pilih folder lain",
    errno.EINVAL: 'nama berkas memuat tanda yang tidak diperbolehkan (misalnya : * ? " < > |). Pilih nama lain',
    errno.EROFS: "folder itu hanya dapat dibaca (misalnya CD atau flashdisk yang dikunci). Pilih folder lain",
    errno.EFBIG: "berkas terlalu besar untuk disk itu. Simpan di disk lain",
    errno.EIO: "terjadi gangguan pada disk. Periksa disk atau flashdisk itu, lalu coba lagi",
    errno.EEXIST: "sudah ada berkas atau folder dengan nama itu. Pilih nama berkas lain",
}
if hasattr(errno, "EDQUOT"):
    _ERRNO_REASONS[errno.EDQUOT] = "jatah ruang disk Anda sudah habis. Kosongkan ruang disk lalu coba lagi"

#: The workbooks made inside the current :func:`write_atomically` (their temporary folders are removed there).
_WORKBOOKS: ContextVar[list[tuple[Any, str]] | None] = ContextVar("klaten_workbooks", default=None)


#: This process's scratch folder (by its data folder's scratch root) and the open lock file that says it is in use.
_SCRATCH: dict[Path, tuple[Path, Any]] = {}


def use_scratch(root: Path) -> Path:
    """Make this process's private folder inside ``root`` (``AppPaths.scratch``) the home of every temporary file,
    after removing the folders of runs that ended (a crash, a power cut). Returns the folder.

    Each process has a folder of its own holding an open, locked file: a folder whose lock is free belongs to a
    run that ended, so a second program on the same data folder (the command line beside the window) never removes
    the files of one still writing.
    """
    root = Path(root)
    if root not in _SCRATCH:
        release_scratch()  # one data folder per process: let go of an earlier one
        clean_scratch(root)
        folder = Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=root))  # mode 0o700
        _SCRATCH[root] = (folder, _hold(folder / _LOCK_NAME))
    return _SCRATCH[root][0]


@atexit.register
def release_scratch() -> None:
    """At a normal exit, or when the data folder is let go (the self-test's temporary one): close the lock file and
    remove this process's scratch folder (nothing is written now; on Windows the open lock file would keep it)."""
    for folder, handle in _SCRATCH.values():
        handle.close()
        shutil.rmtree(folder, ignore_errors=True)
    _SCRATCH.clear()


def clean_scratch(root: Path) -> list[Path]:
    """Remove the folders in ``root`` whose run ended (their lock is free); returns what was removed."""
    removed: list[Path] = []
    with contextlib.suppress(OSError):
        for folder in list(root.iterdir()):
            if folder.is_dir() and not _in_use(folder / _LOCK_NAME):
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder)
            elif folder.is_file():
                with contextlib.suppress(OSError):
                    folder.unlink()
                    removed.append(folder)
    return removed


def _hold(lock: Path) -> Any:
    """Open and lock ``lock`` for the rest of the process (closed, and so freed, when the process ends)."""
    handle = lock.open("a+b")
    if sys.platform != "win32":
        import fcntl

        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    return handle  # on Windows an open file cannot be deleted, which is the lock


def _in_use(lock: Path) -> bool:
    """Whether a running process holds ``lock`` (a missing lock file: not in use)."""
    if sys.platform == "win32":
        try:
            lock.unlink(missing_ok=True)
        except PermissionError:
            return True
        return False
    import fcntl

    try:
        handle = lock.open("rb")
    except OSError:
        return False
    with handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True
    return False


def _scratch_folder() -> Path | None:
    """This process's scratch folder, or None before :func:`use_scratch` (tests, tools): the target's folder or
    the system's temporary folder is used then."""
    for folder, _lock in _SCRATCH.values():
        return folder if folder.is_dir() else None
    return None


@contextmanager
def _temp_beside(target: Path, *, scratch: bool = False) -> Iterator[Path]:
    """A temporary file for ``target``: in the scratch folder (``scratch``, once set) or beside the target."""
    folder = target.parent
    if not folder.is_dir():
        raise UserError(f"Folder {folder} tidak ada.")
    private = _scratch_folder() if scratch else None
    fd, name = tempfile.mkstemp(
        prefix=f".{target.stem[:40]}-", suffix=target.suffix + ".tmp", dir=private if private is not None else folder
    )
    os.close(fd)
    temp = Path(name)
    try:
        yield temp
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()


def _give_mode(temp: Path, target: Path, private: bool = False) -> None:
    """The mode the result will have: ``private`` (it holds NIKs) the owner's only; else an existing target keeps
    its own and a new file is readable by all.

    On Windows ``chmod`` only sets or clears the read-only flag: the result stays writable, with the folder's ACL.
    """
    try:
        mode = PRIVATE_FILE_MODE if private else stat.S_IMODE(target.stat().st_mode)
    except OSError:
        mode = NEW_FILE_MODE
    if sys.platform == "win32":
        mode |= stat.S_IWRITE
    with contextlib.suppress(OSError):  # a folder on a share or a FAT flash disk may not take modes
        temp.chmod(mode)


def _os_error(exc: BaseException) -> OSError | None:
    """The OS error behind ``exc``: itself, or the one xlsxwriter wraps in ``FileCreateError`` (a full disk while
    the workbook is closed)."""
    if isinstance(exc, OSError):
        return exc
    if "xlsxwriter" in sys.modules:
        from xlsxwriter.exceptions import FileCreateError

        if isinstance(exc, FileCreateError):
            inner = exc.args[0] if exc.args else None
            if isinstance(inner, OSError):
                return inner
            if isinstance(exc.__context__, OSError):
                return exc.__context__
    return None


def _short(name: str, limit: int = 60) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "\u2026"


def failure_message(exc: OSError, target: Path) -> str:
    """An Indonesian sentence for an OS error met while writing ``target``; never the system's English text."""
    code = exc.errno
    if code != errno.EROFS:  # environment_message speaks of the database for a read-only disk
        message = environment_message(exc)
        if message is not None:
            return message
    reason = _ERRNO_REASONS.get(code) if code is not None else None
    name = _short(target.name)
    if reason is not None:
        return f"Berkas {name} tidak dapat ditulis: {reason}."
    return (
        f"Berkas {name} tidak dapat ditulis. Periksa nama berkas dan foldernya (ada, tidak hanya-baca, "
        "disk tidak penuh), lalu coba lagi."
    )


def write_atomically(target: Path | str, write: Callable[[Path], T], *, private: bool = False) -> T:
    """Call ``write(temp_path)`` and move the result over ``target``; nothing half-written is ever left.

    ``temp_path`` is in the private scratch folder (once :func:`use_scratch` set it). ``private``: the file holds
    NIKs and is readable by its owner only (POSIX); else it keeps the mode of the file it replaces (a new file:
    ``NEW_FILE_MODE``). A locked target (open in
    Excel on Windows), a full disk or a read-only folder raise :class:`EnvironmentProblem` with an Indonesian
    message. Workbooks made with :func:`new_workbook` inside ``write`` have their temporary files removed here,
    whatever happens.
    """
    target = Path(target)
    workbooks: list[tuple[Any, str]] = []
    token = _WORKBOOKS.set(workbooks)
    try:
        with _temp_beside(target, scratch=True) as temp:
            try:
                result = write(temp)
            except BaseException as exc:
                _close_left_open(exc)
                raise
            _give_mode(temp, target, private)
            _sync_file(temp)
            _move_into_place(temp, target, private)
            return result
    except Exception as exc:
        os_error = _os_error(exc)
        if os_error is None:
            raise
        raise EnvironmentProblem(failure_message(os_error, target)) from exc
    finally:
        _WORKBOOKS.reset(token)
        for wb, folder in workbooks:
            _discard_workbook_files(wb, folder)


def _move_into_place(temp: Path, target: Path, private: bool) -> None:
    """Rename ``temp`` onto ``target``; from another disk (the scratch folder to a flash disk) through a copy
    beside the target, flushed before its own rename, so the target is still never half-written."""
    try:
        temp.replace(target)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        with _temp_beside(target) as near:
            shutil.copyfile(temp, near)
            _give_mode(near, target, private)
            _sync_file(near)
            near.replace(target)
    _sync_folder(target.parent)


def write_bytes(target: Path | str, data: bytes, *, private: bool = False) -> None:
    """Write ``data`` to ``target`` atomically (see :func:`write_atomically`); a missing folder is made."""
    target = Path(target)
    _make_folder(target)
    write_atomically(target, lambda temp: temp.write_bytes(data), private=private)


class Staged:
    """A file written under a temporary name (the scratch folder, once set), waiting for :meth:`place`."""

    def __init__(self, temp: Path, target: Path) -> None:
        self.temp = temp
        self.target = target
        self.placed = False

    def place(self) -> None:
        """Move the temporary file onto the target (a rename, or from another disk a copy renamed beside it; the
        folder flushed); OS errors as EnvironmentProblem."""
        try:
            _move_into_place(self.temp, self.target, private=False)
            self.placed = True
        except OSError as exc:
            raise EnvironmentProblem(failure_message(exc, self.target)) from exc


@contextmanager
def staged(target: Path | str, data: bytes) -> Iterator[Staged]:
    """Write ``data`` under a temporary name in the private scratch folder (flushed, with the final mode): a run
    killed before ``place()`` leaves nothing in the user's folder, and the next start removes what it left (letters
    hold NIKs). The caller commits what the file records and then calls ``place()``. Leaving the block otherwise
    removes the temporary file."""
    target = Path(target)
    _make_folder(target)
    with contextlib.ExitStack() as stack:
        try:
            temp = stack.enter_context(_temp_beside(target, scratch=True))
            temp.write_bytes(data)
            _give_mode(temp, target)
            _sync_file(temp)
        except OSError as exc:
            raise EnvironmentProblem(failure_message(exc, target)) from exc
        yield Staged(temp, target)


def _make_folder(target: Path) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise EnvironmentProblem(failure_message(exc, target)) from exc


def _sync_file(path: Path) -> None:
    """Flush a written file's data to the disk (a power cut after the rename must not leave an empty file)."""
    fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sync_folder(folder: Path) -> None:
    """Flush the folder entry of a rename (POSIX; Windows has no folder handles to flush)."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    except OSError:  # some file systems (network shares) refuse to flush a folder; the rename stands
        pass
    finally:
        os.close(fd)


def _close_left_open(exc: BaseException) -> None:
    """xlsxwriter leaves its zip package open when writing it fails (a full disk): close it, so the half-written
    temporary file can be removed (on Windows too) and no second error is printed when it is collected."""
    from zipfile import ZipFile

    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        tb = current.__traceback__
        while tb is not None:
            frame = tb.tb_frame
            if "xlsxwriter" in frame.f_code.co_filename:
                for value in list(frame.f_locals.values()):
                    if isinstance(value, ZipFile):
                        with contextlib.suppress(Exception):
                            value.close()
            tb = tb.tb_next
        current = current.__context__


def _discard_workbook_files(wb: Any, folder: str) -> None:
    """Close the temporary files a workbook may still hold open (its rows in constant_memory mode, a part being
    written when the disk filled up), so that its folder can be removed on Windows too; then remove it."""
    sheets = list(getattr(wb, "worksheets_objs", ()))
    for ws in sheets:
        if getattr(ws, "row_data_fh", None) is not None:
            opt_close = getattr(ws, "_opt_close", None)  # xlsxwriter's own, not public: guarded
            if callable(opt_close):
                with contextlib.suppress(Exception):
                    opt_close()
    for part in (wb, *sheets):
        handle = getattr(part, "fh", None)
        if handle is not None and hasattr(handle, "close"):
            with contextlib.suppress(Exception):
                handle.close()
    shutil.rmtree(folder, ignore_errors=True)


def new_workbook(path: Path, *, constant_memory: bool = False) -> object:
    """An xlsxwriter workbook that never turns text into formulas or links.

    Inside :func:`write_atomically` the workbook keeps its temporary files (rows in ``constant_memory`` mode,
    the parts of the package) in a folder of its own (``tmpdir``) inside the private scratch folder, removed when
    the write ends, also when it was cancelled or failed: those files hold NIKs and names. A killed run's folder
    goes at the next start (:func:`use_scratch`).
    """
    import xlsxwriter

    options: dict[str, object] = {
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
        "constant_memory": constant_memory,
    }
    workbooks = _WORKBOOKS.get()
    folder = tempfile.mkdtemp(prefix="klaten-xlsx-", dir=_scratch_folder()) if workbooks is not None else None
    if folder is not None:
        options["tmpdir"] = folder
    wb = xlsxwriter.Workbook(str(path), options)
    if workbooks is not None and folder is not None:
        workbooks.append((wb, folder))
    return wb
