"""The build files agree with each other and with the app: spec, build script, installer, release script.

The PyInstaller build itself runs in CI through ``scripts/build.py --ci`` (about a minute), not in this suite.
"""

from __future__ import annotations

import functools
import importlib.util
import re
import sys
from pathlib import Path, PureWindowsPath
from types import ModuleType

import pytest

from klaten_desktop.runtime.paths import APP_AUTHOR, APP_DIR_NAME

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "build.spec"
ISS = ROOT / "scripts" / "windows" / "klaten-desktop.iss"
RELEASE = ROOT / "scripts" / "windows" / "release.ps1"
INDONESIAN = ROOT / "scripts" / "windows" / "Indonesian.isl"
INSTALLER_CI = ROOT / "scripts" / "windows" / "installer.sh"


@functools.cache
def _build_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("klaten_build", ROOT / "scripts" / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["klaten_build"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


# --- build.spec ---------------------------------------------------------------------------------------------


def test_spec_is_valid_python_with_the_agreed_settings() -> None:
    text = SPEC.read_text(encoding="utf-8")
    compile(text, str(SPEC), "exec")
    assert re.search(r'APP_NAME = "KlatenDesktop"', text)
    assert re.search(r'CLI_NAME = "klaten-desktop-cli"', text)
    assert text.count("upx=False") == 2  # the executables and the COLLECT
    assert "console=False" in text and "console=True" in text
    assert "exclude_binaries=True" in text  # one folder, not one file
    assert "COLLECT(" in text and text.count("EXE(") == 2


def test_spec_paths_are_relative_to_the_spec_file() -> None:
    text = SPEC.read_text(encoding="utf-8")
    assert "ROOT = Path(SPECPATH)" in text
    assert "getcwd" not in text
    assert not re.search(r"""["'](/(home|work|usr|opt|tmp|root|srv)\b|[A-Za-z]:[\\/])""", text), "absolute path"


def test_build_script_names_match_the_spec() -> None:
    build = _build_script()
    text = SPEC.read_text(encoding="utf-8")
    assert f'APP_NAME = "{build.APP_NAME}"' in text
    assert f'CLI_NAME = "{build.CLI_NAME}"' in text


# --- scripts/build.py: what a bundle must and must not hold ------------------------------------------------


def _fake_bundle(root: Path, *, migrations: bool = True, checker: bool = True, extra: tuple[str, ...] = ()) -> Path:
    build = _build_script()
    bundle = root / "KlatenDesktop"
    internal = bundle / "_internal"
    for exe in (build.APP_NAME, build.CLI_NAME):
        (bundle / f"{exe}{build.EXE_SUFFIX}").parent.mkdir(parents=True, exist_ok=True)
        (bundle / f"{exe}{build.EXE_SUFFIX}").write_bytes(b"exe")
    icon = internal / "resources" / "icons" / "klaten-desktop.ico"
    icon.parent.mkdir(parents=True)
    icon.write_bytes(b"ico")
    if checker:
        (bundle / "verifikasi").mkdir()
        (bundle / "verifikasi" / "klaten_verify.py").write_text("", encoding="utf-8")
    if migrations:
        versions = internal / "klaten_desktop" / "db" / "migrations" / "versions"
        versions.mkdir(parents=True)
        (versions.parent / "env.py").write_text("", encoding="utf-8")
        (versions / "0001_initial.py").write_text("", encoding="utf-8")
    for relative in extra:
        path = internal / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")
    return bundle


def test_complete_bundle_has_no_problems(tmp_path: Path) -> None:
    assert _build_script().check_contents(_fake_bundle(tmp_path)) == []


def test_bundle_without_migrations_is_refused(tmp_path: Path) -> None:
    problems = _build_script().check_contents(_fake_bundle(tmp_path, migrations=False))
    assert problems == ["skrip migrasi Alembic (env.py, versions/*.py) tidak ikut dikemas"]


def test_bundle_without_the_verification_checker_is_refused(tmp_path: Path) -> None:
    problems = _build_script().check_contents(_fake_bundle(tmp_path, checker=False))
    assert problems == ["verifikasi/klaten_verify.py (pemeriksa kode QR untuk BPJS) tidak ikut dikemas"]


def test_spec_puts_the_verification_checker_next_to_the_programs() -> None:
    text = SPEC.read_text(encoding="utf-8")
    assert 'VERIFY_DIR = Path(coll.name) / "verifikasi"' in text
    assert 'ROOT / "docs" / "verification" / "klaten_verify.py", ROOT / "docs" / "verification.md"' in text
    assert (ROOT / "docs" / "verification" / "klaten_verify.py").is_file() and (
        ROOT / "docs" / "verification.md"
    ).is_file()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("pytest/__init__.pyc", "pytest ikut dikemas (alat pengembangan)"),
        (
            "PySide6/Qt/lib/libQt6WebEngineCore.so.6",
            "modul Qt yang tidak dipakai ikut dikemas: libQt6WebEngineCore.so.6",
        ),
        ("PySide6/Qt6Quick.dll", "modul Qt yang tidak dipakai ikut dikemas: Qt6Quick.dll"),
    ],
)
def test_bundle_with_unwanted_parts_is_refused(tmp_path: Path, extra: str, message: str) -> None:
    assert _build_script().check_contents(_fake_bundle(tmp_path, extra=(extra,))) == [message]


def test_bundle_size_counts_every_file(tmp_path: Path) -> None:
    bundle = _fake_bundle(tmp_path, extra=("big.bin",))
    (bundle / "_internal" / "big.bin").write_bytes(b"\0" * 2_000_000)
    size_mb, count = _build_script().bundle_size(bundle)
    assert count == 7
    assert 2.0 < size_mb < 2.1


# --- the Windows installer ----------------------------------------------------------------------------------


def _iss() -> str:
    return ISS.read_text(encoding="ascii")  # Inno Setup reads a script without BOM as ANSI: keep it ASCII


def _iss_sections() -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current = ""
    for raw in _iss().splitlines():
        line = raw.strip()
        if not line or line.startswith(";"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
            sections.setdefault(current, [])
        else:
            sections.setdefault(current, []).append(line)
    return sections


def _setup() -> dict[str, str]:
    return dict(line.split("=", 1) for line in _iss_sections()["Setup"])


def test_installer_is_per_user_without_admin_rights() -> None:
    setup = _setup()
    assert setup["PrivilegesRequired"] == "lowest"
    assert "PrivilegesRequiredOverridesAllowed" not in setup
    assert setup["DefaultDirName"] == r"{localappdata}\Programs\KlatenDesktop"
    assert re.fullmatch(r"\{\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}", setup["AppId"])
    assert setup["AppVersion"] == "{#AppVersion}"  # from the single version source, never typed in


def test_installer_never_touches_the_data_folder() -> None:
    sections = _iss_sections()
    assert "UninstallDelete" not in sections
    for line in sections.get("InstallDelete", []):
        assert re.search(r'Name: "\{app\}\\', line), line
    code = "\n".join(line for lines in sections.values() for line in lines)
    assert APP_AUTHOR not in code
    assert "{userappdata}" not in code
    # platformdirs puts the data in %LOCALAPPDATA%\<author>\<app>: apart from the program folder.
    data = PureWindowsPath("{localappdata}", APP_AUTHOR, APP_DIR_NAME)
    program = PureWindowsPath(_setup()["DefaultDirName"])
    assert not data.is_relative_to(program) and not program.is_relative_to(data)


def test_installer_paths_point_at_the_build_output() -> None:
    text = _iss()
    setup = _setup()
    icon = (ISS.parent / PureWindowsPath(setup["SetupIconFile"]).as_posix()).resolve()
    assert icon == ROOT / "resources" / "icons" / "klaten-desktop.ico"
    source = re.search(r'#define SourceDir "(.+)"', text)
    assert source is not None
    bundle = (ISS.parent / PureWindowsPath(source.group(1)).as_posix()).resolve()
    assert bundle == ROOT / "dist" / _build_script().APP_NAME
    assert '#define AppExe "KlatenDesktop.exe"' in text


def test_installer_describes_both_set_ups_before_installing() -> None:
    """The page shown before installing tells a single PC from an office server; it is read as ANSI by Inno
    Setup (no BOM), so it stays ASCII like the .iss."""
    info = ISS.parent / _setup()["InfoBeforeFile"]
    text = info.read_text(encoding="ascii")
    assert "Satu PC" in text and "Server kantor (PostgreSQL)" in text and "Letak basis data" in text
    assert "Uji sambungan" in text and "CREATE DATABASE" in text


def test_release_script_builds_tests_and_compiles_this_installer() -> None:
    text = RELEASE.read_text(encoding="utf-8")
    assert "scripts\\build.py" in text
    assert '"/DAppVersion=$Version"' in text
    assert "scripts\\windows\\klaten-desktop.iss" in text
    assert "KlatenDesktop-$Version-setup.exe" in text
    assert re.search(r"OutputBaseFilename=KlatenDesktop-\{#AppVersion\}-setup", _iss())


def _isl_messages() -> dict[str, str]:
    text = INDONESIAN.read_text(encoding="ascii")  # read without a BOM: keep it ASCII like the .iss
    section, messages = "", {}
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("["):
            section = line
        elif section == "[Messages]" and "=" in line and not line.startswith(";"):
            key, value = line.split("=", 1)
            messages[key] = value
    return messages


def test_installer_wizard_speaks_indonesian() -> None:
    # Inno Setup ships no Indonesian.isl: ours is loaded after Default.isl (a newer message falls back to English);
    # scripts/windows/installer.sh checks it against the Default.isl of the pinned Inno Setup in CI.
    assert 'Name: "id"; MessagesFile: "compiler:Default.isl,Indonesian.isl"' in _iss()
    text = INDONESIAN.read_text(encoding="ascii")
    assert "LanguageID=$0421" in text
    messages = _isl_messages()
    assert len(messages) > 250
    assert messages["ButtonNext"] == "&Lanjut >"
    assert messages["ButtonInstall"] == "&Pasang"
    assert "[name]" in messages["WelcomeLabel1"]
    assert messages["WindowsVersionNotSupported"].startswith("Program ini tidak mendukung versi Windows")


def test_installer_ci_script_knows_the_bundle_and_the_installer() -> None:
    text = INSTALLER_CI.read_text(encoding="utf-8")
    build = _build_script()
    assert f"CLI_EXE={build.CLI_NAME}.exe" in text
    assert f"GUI_EXE={build.APP_NAME}.exe" in text
    assert "/DAppVersion=$1" in text and "KlatenDesktop-$1-setup.exe" in text
    assert f"{APP_AUTHOR}/{APP_DIR_NAME}" in text and "Programs/KlatenDesktop" in text


@pytest.mark.skipif(sys.platform == "win32", reason="the windowed program is not run on Windows")
def test_windowed_program_must_start(tmp_path: Path) -> None:
    build = _build_script()
    good = tmp_path / "KlatenDesktop"
    good.write_text("#!/bin/sh\necho 'Klaten Desktop 9.8.7'\n", encoding="utf-8")
    good.chmod(0o755)
    assert build.check_gui_program(good, "9.8.7") == []
    broken = tmp_path / "rusak"
    broken.write_text(
        "#!/bin/sh\necho 'libQt6Gui.so.6: cannot open shared object file' >&2\nexit 127\n", encoding="utf-8"
    )
    broken.chmod(0o755)
    assert build.check_gui_program(broken, "9.8.7") == [
        "rusak --version gagal (kode 127): libQt6Gui.so.6: cannot open shared object file"
    ]


def test_spec_ships_the_offline_guide_with_its_pictures() -> None:
    """Bantuan › Panduan reads resources/help/ at run time: build.spec ships every file under resources/."""
    text = SPEC.read_text(encoding="utf-8")
    assert 'for path in _files(ROOT / "resources", ["**/*"]):' in text
    assert "datas.append((str(path), str(path.parent.relative_to(ROOT))))" in text
    guide = ROOT / "resources" / "help" / "panduan.html"
    assert guide.is_file()
    pictures = re.findall(r'<img src="([^"]+)"', guide.read_text(encoding="utf-8"))
    assert pictures and all((guide.parent / p).is_file() for p in pictures)
