from __future__ import annotations

from klaten_desktop.domain.validation import CheckResult, Issue, Severity, error, warning


def test_check_result_partitions_and_merges() -> None:
    a = CheckResult.error("nik", "nik_length", "NIK salah")
    b = CheckResult.warning("nama", "nama_x", "Periksa nama")
    merged = a.merged(b, CheckResult())
    assert not merged.ok
    assert [i.code for i in merged.errors] == ["nik_length"]
    assert [i.code for i in merged.warnings] == ["nama_x"]
    assert merged.for_field("nama") == (Issue("nama", "nama_x", "Periksa nama", Severity.WARNING),)
    assert merged.has("nama_x") and not merged.has("other")
    assert merged.codes == ("nik_length", "nama_x")


def test_warnings_only_is_ok() -> None:
    result = CheckResult((warning("f", "c", "m"),))
    assert result.ok
    assert CheckResult().ok
    assert not CheckResult((error("f", "c", "m"),)).ok
    assert error("f", "c", "m").is_error
    assert Severity.ERROR.value == "error"
