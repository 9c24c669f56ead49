"""The Windows version resource comes from ``klaten_desktop.__version__`` and is valid PyInstaller input."""

from __future__ import annotations

import ast
import importlib
import sys
import types
from pathlib import Path

import pytest

from klaten_desktop import __version__
from klaten_desktop.version_info import version_file_text, version_tuple, write_version_file


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0.1.0", (0, 1, 0, 0)),
        ("1.2", (1, 2, 0, 0)),
        ("2026.11.3.7", (2026, 11, 3, 7)),
        ("1.4.0rc1", (1, 4, 0, 0)),
        ("1.4.0.dev3", (1, 4, 0, 0)),
    ],
)
def test_version_tuple(text: str, expected: tuple[int, int, int, int]) -> None:
    assert version_tuple(text) == expected


@pytest.mark.parametrize("text", ["", "versi", "70000.1"])
def test_version_tuple_rejects_what_windows_cannot_hold(text: str) -> None:
    with pytest.raises(ValueError):
        version_tuple(text)


def _parse(text: str) -> tuple[dict[str, str], dict[str, object]]:
    """The StringStruct pairs and the FixedFileInfo keywords of a version file."""
    tree = ast.parse(text, mode="eval")
    strings: dict[str, str] = {}
    fixed: dict[str, object] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id == "StringStruct":
                key, value = (ast.literal_eval(arg) for arg in node.args)
                strings[key] = value
            elif node.func.id == "FixedFileInfo":
                fixed = {kw.arg: ast.literal_eval(kw.value) for kw in node.keywords if kw.arg}
    return strings, fixed


def test_version_file_carries_the_single_version_source(tmp_path: Path) -> None:
    path = write_version_file(tmp_path / "v" / "version.txt", original_filename="klaten-desktop-cli.exe")
    strings, fixed = _parse(path.read_text(encoding="utf-8"))
    assert strings["FileVersion"] == __version__
    assert strings["ProductVersion"] == __version__
    assert strings["ProductName"] == "Klaten Desktop"
    assert strings["CompanyName"] == "Pemerintah Kabupaten Klaten"
    assert strings["OriginalFilename"] == "klaten-desktop-cli.exe"
    assert strings["InternalName"] == "klaten-desktop-cli"
    assert fixed["filevers"] == version_tuple(__version__)
    assert fixed["prodvers"] == version_tuple(__version__)


def test_version_file_for_a_release_candidate() -> None:
    strings, fixed = _parse(version_file_text(version="1.4.0rc1"))
    assert strings["FileVersion"] == "1.4.0rc1"
    assert fixed["filevers"] == (1, 4, 0, 0)


def test_pyinstaller_reads_the_file_and_builds_the_binary_resource(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What ``EXE(version=...)`` does on Windows, run here: PyInstaller's own loader and serializer.

    Its module imports ``pefile`` and ``win32api`` (Windows only) at the top; neither is used by these two steps.
    """
    compat = pytest.importorskip("PyInstaller.compat")
    monkeypatch.setitem(sys.modules, "pefile", types.ModuleType("pefile"))
    monkeypatch.setattr(compat, "win32api", None, raising=False)
    monkeypatch.delitem(sys.modules, "PyInstaller.utils.win32.versioninfo", raising=False)
    versioninfo = importlib.import_module("PyInstaller.utils.win32.versioninfo")  # dropped again at teardown

    info = versioninfo.load_version_info_from_text_file(str(write_version_file(tmp_path / "version.txt")))
    major, minor, patch, build = version_tuple(__version__)
    assert (info.ffi.fileVersionMS, info.ffi.fileVersionLS) == ((major << 16) | minor, (patch << 16) | build)
    raw = info.toRaw()
    for text in (__version__, "Klaten Desktop", "Pemerintah Kabupaten Klaten", "KlatenDesktop.exe", "042104B0"):
        assert text.encode("utf-16-le") in raw
