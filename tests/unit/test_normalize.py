"""How a name and a telephone number are stored: title case for ALL CAPS, 08... digits for a mobile."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klaten_desktop.domain.normalize import PhoneError, normalize_name, normalize_phone


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+62 812-3456-7890", "081234567890"),
        ("6281234567890", "081234567890"),
        ("81234567890", "081234567890"),
        (81234567890.0, "081234567890"),
        (81234567890, "081234567890"),
        ("0812.3456.7890", "081234567890"),
        ("(0272) 321456", "0272321456"),
        ("0272 321456", "0272321456"),
        ("0812345678", "0812345678"),
        ("08123456789012", "08123456789012"),
        ("+62 272 321456", "0272321456"),
        (None, None),
        ("", None),
        ("   ", None),
    ],
)
def test_normalize_phone(raw: str | int | float | None, expected: str | None) -> None:
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["0812345", "081234567890123", "08123abc456", "+1 555 1234567", "12345", "0012345678", 1.5, -81234567890],
)
def test_normalize_phone_rejects(raw: str | float) -> None:
    with pytest.raises(PhoneError, match=r"(?i)nomor"):
        normalize_phone(raw)


@given(st.one_of(st.text(max_size=25), st.floats(), st.integers(), st.none()))
def test_normalize_phone_only_phone_error(raw: str | float | int | None) -> None:
    try:
        result = normalize_phone(raw)
    except PhoneError:
        return
    assert result is None or (result.startswith("0") and result.isdigit() and 9 <= len(result) <= 14)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  SRI   WAHYUNI ", "Sri Wahyuni"),
        ("joko santoso", "Joko Santoso"),
        ("Joko SANTOSO", "Joko SANTOSO"),  # mixed case is the user's choice
        ("McDonald", "McDonald"),
        ("H. SUMARNO", "H. Sumarno"),
        ("HJ. SITI AMINAH", "Hj. Siti Aminah"),
        ("SUMARNO, S.PD.", "Sumarno, S.Pd."),
        ("drs. bambang", "Drs. Bambang"),
        ("AHMAD BIN SLAMET", "Ahmad bin Slamet"),
        ("MA'RUF", "Ma'ruf"),
        ("SITI NUR-AINI", "Siti Nur-Aini"),
        ("", ""),
    ],
)
def test_normalize_name(text: str, expected: str) -> None:
    assert normalize_name(text) == expected


@given(st.text(max_size=30))
def test_normalize_name_total(text: str) -> None:
    out = normalize_name(text)
    assert out == out.strip()
    assert "  " not in out
