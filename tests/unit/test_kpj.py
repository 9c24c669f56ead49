from __future__ import annotations

from klaten_desktop.domain.kpj import check_kpj, normalize_kpj


def test_normalize() -> None:
    assert normalize_kpj(" 210-123.456 78 ") == "21012345678"


def test_check() -> None:
    assert check_kpj("21012345678").issues == ()
    r = check_kpj("")
    assert r.codes == ("kpj_empty",) and not r.ok
    r = check_kpj("2101234567X")
    assert r.codes == ("kpj_digits",) and not r.ok
    r = check_kpj("2101234567")
    assert r.ok and r.codes == ("kpj_length",)
    assert "11 digit" in r.warnings[0].message and "10 digit" in r.warnings[0].message
    assert r.warnings[0].field == "nomor_kpj"
    assert check_kpj("1", field="kpj").warnings[0].field == "kpj"
