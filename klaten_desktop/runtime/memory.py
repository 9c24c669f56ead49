"""Give the memory a bulk load freed back to the operating system."""

from __future__ import annotations

import sys
from functools import cache
from typing import Any

#: glibc's mallopt parameter for the size from which a block gets its own mapping (malloc.h: M_MMAP_THRESHOLD).
_M_MMAP_THRESHOLD = -3
#: ... and for how much free memory at the top of the heap it gives back there (M_TRIM_THRESHOLD).
_M_TRIM_THRESHOLD = -1
#: Blocks of this size and more (a list of 32,000 row numbers, a 100,000-row filter result: 800 KB) are mapped on
#: their own and given back the moment they are freed.
BIG_BLOCK = 256 * 1024


@cache
def _libc() -> Any | None:
    """glibc (Linux), or None where the C library has none of its functions (Windows, macOS, musl)."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes  # here, not at start-up (a few ms of the first paint)
    import ctypes.util

    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        return ctypes.CDLL(name)
    except OSError:
        return None


def _malloc_trim() -> Any | None:
    """glibc's ``malloc_trim``, or None."""
    return getattr(_libc(), "malloc_trim", None)


@cache
def return_big_blocks_at_once() -> None:
    """From now on, blocks of :data:`BIG_BLOCK` or more go back to the system as soon as they are freed.

    glibc starts with that threshold at 128 KiB but raises it (up to 32 MiB) each time such a block is freed, and
    then keeps the freed memory of the heap until it exceeds twice the threshold: the lists of 100,000 row numbers
    the officials tables make and drop on every sort, filter and load stayed resident. Setting it fixes it (and ends
    the raising). Measured with 100,000 officials in both tables, searched and sorted (bench_gui memory): about
    5 MB less resident. Does nothing where the C library is not glibc."""
    mallopt = getattr(_libc(), "mallopt", None)
    if mallopt is not None:
        mallopt(_M_MMAP_THRESHOLD, BIG_BLOCK)
        mallopt(_M_TRIM_THRESHOLD, BIG_BLOCK)


def release_free_memory() -> None:
    """After a bulk load (100,000 officials read in chunks, the database's page cache filled): return the freed heap
    pages to the system. glibc keeps them otherwise (measured: about 30 MB of resident memory at 100,000 officials);
    Windows' heap gives back freed pages by itself, so elsewhere this does nothing."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
