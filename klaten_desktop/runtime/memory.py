"""Give the memory a bulk load freed back to the operating system."""

from __future__ import annotations

import sys
from functools import cache


@cache
def _malloc_trim() -> object | None:
    """glibc's ``malloc_trim`` (Linux), or None where the C library has none (Windows, macOS, musl)."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes  # here, not at start-up (a few ms of the first paint)
    import ctypes.util

    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        return getattr(ctypes.CDLL(name), "malloc_trim", None)
    except OSError:
        return None


def release_free_memory() -> None:
    """After a bulk load (100,000 officials read in chunks, the database's page cache filled): return the freed heap
    pages to the system. glibc keeps them otherwise (measured: about 30 MB of resident memory at 100,000 officials);
    Windows' heap gives back freed pages by itself, so elsewhere this does nothing."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)  # type: ignore[operator]
