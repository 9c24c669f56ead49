"""docs/verification.md is a contract: its sample is made again from the published seed, gives the printed
verdict with the checker and with the page's own few lines of Python, and its tables name what the code does."""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

from klaten_desktop.reports import qr
from klaten_desktop.services import identity
from klaten_desktop.services.documents import codes
from klaten_desktop.services.sync import keys
from tests.verification import sample
from tests.verification.conftest import CHECKER, Issued, run_checker

DOC = Path(__file__).resolve().parents[2] / "docs" / "verification.md"
TEXT = DOC.read_text(encoding="utf-8")
BLOCKS = dict(re.findall(r"<!-- contoh:(\w+) -->\n```\w*\n(.*?)```", TEXT, flags=re.S))


def _checker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("klaten_verify", CHECKER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["klaten_verify"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _table(heading: str) -> list[list[str]]:
    """The rows (cells, back quotes removed) of the first table under ``heading``."""
    section = TEXT.split(heading + "\n", 1)[1]
    table = re.search(r"\n(\|.*?)\n\n", section, flags=re.S)
    assert table is not None
    return [[c.strip().replace("`", "") for c in line.split("|")[1:-1]] for line in table[1].splitlines()[2:]]


def test_the_sample_is_made_from_the_published_seed() -> None:
    made = sample.make()
    assert set(BLOCKS) == {"python", "bundle", "qr", "hasil"}
    assert BLOCKS["bundle"].strip() == made.bundle and BLOCKS["qr"].strip() == made.qr
    assert f"`{sample.SEED_TEXT}`" in TEXT


def test_the_checker_gives_the_printed_verdict_on_the_sample(tmp_path: Path) -> None:
    bundle = tmp_path / "bundel-verifikasi.json"
    bundle.write_text(BLOCKS["bundle"], encoding="utf-8")
    checked = run_checker(bundle, BLOCKS["qr"].strip())
    assert (checked.code, checked.out, checked.err) == (0, BLOCKS["hasil"], "")
    decoded = codes.decode_qr(BLOCKS["qr"])
    assert decoded is not None
    _, claims, signature = decoded
    altered = codes.encode_qr({**claims, "n": claims["n"].replace("001", "002")}, signature)
    assert run_checker(bundle, altered).out.startswith("HASIL: TIDAK SAH\n")


def test_the_few_lines_of_python_verify_the_sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made = sample.make()
    (tmp_path / "bundel-verifikasi.json").write_text(made.bundle, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    printed = io.StringIO()

    def run(qr_text: str) -> str:
        (tmp_path / "kode-qr.txt").write_text(qr_text, encoding="utf-8")
        printed.seek(0)
        printed.truncate()
        with contextlib.redirect_stdout(printed):
            exec(compile(BLOCKS["python"], str(DOC), "exec"), {})
        return printed.getvalue().strip()

    assert run(made.qr[:90] + "\n" + made.qr[90:].lower()) == (
        "SAH 400.10.3/001/Kec.Cth/2026 2026-11-24 Contoh Nama Pengurus"
    )
    assert "SAH 400.10.3/001/Kec.Cth/2026 2026-11-24 Contoh Nama Pengurus" in TEXT
    _, claims, signature = codes.decode_qr(made.qr) or (b"", {}, b"")
    assert run(codes.encode_qr({**claims, "n": "400.10.3/002/Kec.Cth/2026"}, signature)).startswith("TIDAK SAH ")


def test_the_tables_name_what_the_code_does(issued: Issued) -> None:
    assert tuple(row[1] for row in _table("### The claims")) == codes.CLAIM_FIELDS
    exported = json.loads(issued.bundle.read_text(encoding="utf-8"))
    members = {row[0]: row[1] for row in _table("## The verification bundle")}
    assert set(members) == set(exported)
    assert sorted(exported["offices"][0]) == sorted(json.loads(BLOCKS["bundle"])["offices"][0])
    assert all(key in members["offices"] for key in exported["offices"][0])
    assert exported["offices"][0]["fingerprint"] == identity.public_identity(issued.regency).fingerprint
    verdicts = {row[0]: row[1] for row in _table("## The checker: klaten_verify.py")}
    assert verdicts == {"HASIL: SAH": "0", "HASIL: TIDAK SAH": "1", "HASIL: TIDAK DIKENAL": "2",
                        "(message on standard error)": "3"}  # fmt: skip
    assert f"modules of {qr.MODULE_MM} mm" in TEXT and f"quiet zone of {qr.QUIET_MODULES} modules" in TEXT
    assert "error correction level **M**" in TEXT and 'ec_level="M"' in Path(codes.__file__).read_text()


def test_the_checker_and_the_app_agree_on_the_format() -> None:
    checker = _checker()
    assert checker.CLAIM_FIELDS == codes.CLAIM_FIELDS and checker.QR_PREFIX == codes.QR_PREFIX
    assert checker.SIGNATURE_BYTES == codes.SIGNATURE_BYTES and checker.CROCKFORD == codes.CROCKFORD
    assert (checker.BUNDLE_FORMAT, checker.BUNDLE_VERSION) == (keys.BUNDLE_FORMAT, keys.BUNDLE_VERSION)
    assert checker.short_code("o1ab cdef-gi") == codes.group(codes.normalize_short_code("o1ab cdef-gi") or "")
    assert all(f"`{kind}`" in TEXT for kind in checker.KIND_LABELS)
