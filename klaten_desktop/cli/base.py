"""Shared pieces of the command line: the Indonesian argument parser, argument types, JSON output."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TextIO

from klaten_desktop.domain.months import YearMonth
from klaten_desktop.runtime.server_config import ServerSetting
from klaten_desktop.services.context import ServiceContext
from klaten_desktop.services.errors import UserError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

Handler = Callable[[argparse.Namespace, ServiceContext, TextIO], int]
Subparsers = Any  # argparse._SubParsersAction, which typeshed marks private
_TRANSLATIONS = (
    (r"the following arguments are required: (.*)", r"argumen wajib belum diisi: \1"),
    (r"unrecognized arguments: (.*)", r"argumen tidak dikenal: \1"),
    (r"argument (\S+): invalid choice: (.*?) \(choose from (.*)\)", r"argumen \1: pilihan \2 tidak sah (pilih: \3)"),
    (r"argument (\S+): expected one argument", r"argumen \1 memerlukan satu nilai"),
    (r"argument (\S+): invalid (\w+) value: (.*)", r"argumen \1: nilai \3 tidak sah"),
    (r"one of the arguments (.*) is required", r"salah satu argumen \1 wajib diisi"),
    (r"argument (\S+): not allowed with argument (.*)", r"argumen \1 tidak boleh bersama \2"),
)


_HELP_WORDS = {
    "usage: ": "penggunaan: ",
    "positional arguments": "perintah dan argumen",
    "options": "opsi",
    "optional arguments": "opsi",
    "show this help message and exit": "tampilkan bantuan ini lalu keluar",
    "show program's version number and exit": "tampilkan versi program lalu keluar",
    "argument %(argument_name)s: %(message)s": "argumen %(argument_name)s: %(message)s",
}


def _indonesian(text: str) -> str:
    return _HELP_WORDS.get(text, text)


# argparse looks its own words up through the module-level gettext function at run time
argparse._ = _indonesian  # type: ignore[attr-defined]


class IndonesianArgumentParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        for pattern, replacement in _TRANSLATIONS:
            if re.fullmatch(pattern, message):
                message = re.sub(pattern, replacement, message)
                break
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: kesalahan: {message}\n")


def date_arg(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"tanggal {text!r} harus berformat YYYY-MM-DD") from None


def month_arg(text: str) -> YearMonth:
    try:
        return YearMonth.parse(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"bulan {text!r} harus berformat YYYY-MM") from None


def kecamatan_arg(text: str) -> str:
    if not re.fullmatch(r"33\.10\.\d{2}", text):
        raise argparse.ArgumentTypeError(f"kode kecamatan {text!r} harus seperti 33.10.01")
    return text


def desa_arg(text: str) -> str:
    if not re.fullmatch(r"33\.10\.\d{2}\.\d{4}", text):
        raise argparse.ArgumentTypeError(f"kode desa {text!r} harus seperti 33.10.01.2001")
    return text


def xlsx_path(text: str) -> Path:
    """The file the rejected rows of an import are written to: an Excel workbook (.xlsx), nothing else."""
    path = Path(text)
    if path.suffix.lower() != ".xlsx":
        raise argparse.ArgumentTypeError(f"berkas baris ditolak {text!r} harus berakhiran .xlsx (berkas Excel)")
    return path


def emit(out: TextIO, payload: Any) -> None:
    """One JSON object on one line."""
    out.write(json.dumps(payload, ensure_ascii=False, default=str) + "\n")


def add_command(sub: Subparsers, name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = sub.add_parser(name, help=help_text)
    parser.set_defaults(handler=handler)
    return parser


def stdin_is_console() -> bool:
    """True when a person can answer at the keyboard. On Windows ``isatty()`` is also true for NUL (a scheduled
    task's input), so the console is asked itself."""
    if sys.stdin is None or not sys.stdin.isatty():
        return False
    if sys.platform == "win32":
        import ctypes
        import msvcrt

        mode = ctypes.c_ulong()
        handle = msvcrt.get_osfhandle(sys.stdin.fileno())
        return bool(ctypes.windll.kernel32.GetConsoleMode(handle, ctypes.byref(mode)))
    return True


def ask_server_password(setting: ServerSetting, problem: str | None) -> str | None:
    """The database server's password typed at the console (server mode without a kept password); None when
    nobody is at the keyboard (a script: keep the password in the OS credential store, or set PGPASSWORD)."""
    if not stdin_is_console():
        return None
    if problem:
        sys.stderr.write(problem + "\n")
    return getpass.getpass(f"Kata sandi server basis data {setting.label} (pengguna {setting.user}): ")


def ask_yes(out: TextIO, question: str, *, refusal: str) -> bool:
    """Ask the person at the console to type 'ya'. Without one (a script, a scheduled task) raise ``refusal`` as a
    UserError, which says how to confirm on the command line (``--yes``)."""
    if not stdin_is_console():
        raise UserError(refusal)
    out.write(f"{question} Ketik 'ya' untuk melanjutkan: ")
    out.flush()
    return sys.stdin.readline().strip().lower() == "ya"
