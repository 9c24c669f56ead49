"""The kop's logo is checked before it is stored: a whole PNG or JPEG of a sane size (services/documents)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from klaten_desktop.services.documents.letterhead import check_logo
from klaten_desktop.services.errors import UserError


def encoded(size: tuple[int, int], fmt: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (20, 90, 30)).save(buffer, fmt, **options)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        encoded((32, 4000), "PNG"),
        encoded((300, 200), "JPEG"),
        encoded((300, 200), "JPEG", progressive=True),
        encoded((64, 64), "PNG", optimize=True),
    ],
    ids=["png-32x4000", "jpeg", "jpeg-progressive", "png-optimized"],  # short ids: the id goes into an env variable
)
def test_whole_images_of_sane_size_pass(data: bytes) -> None:
    check_logo(data)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"GIF89a", "PNG atau JPEG"),
        (encoded((300, 200), "JPEG")[:400], "rusak atau tidak utuh: bukan gambar JPEG"),
        (encoded((300, 200), "PNG")[:-12], "rusak atau tidak utuh: bukan gambar PNG"),
        (encoded((31, 100), "PNG"), "31×100 piksel tidak wajar"),
        (encoded((4001, 40), "JPEG"), "4001×40 piksel"),
        (b"\xff\xd8" + b"\0" * 2_000_000, "terlalu besar"),
    ],
    ids=["gif", "jpeg-cut", "png-cut", "too-narrow", "too-wide", "too-big"],  # the id goes into an env variable
)
def test_broken_odd_or_huge_images_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(UserError, match=message):
        check_logo(data)


def test_a_flipped_byte_in_a_png_is_found() -> None:
    data = bytearray(encoded((64, 64), "PNG"))
    data[60] ^= 0xFF  # inside the image data: its CRC no longer matches
    with pytest.raises(UserError, match="rusak"):
        check_logo(bytes(data))
