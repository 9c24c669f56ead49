"""The officials list kept column by column: 100,000 rows in about half the memory of 100,000 ``OfficialRow`` tuples.

A tuple per row costs 208 bytes before its values, and the values that differ on every row (the id, the telephone,
the KPJ number) one string object each (64-88 bytes). Here a column whose values repeat (names, desa, statuses,
dates, RT/RW numbers: a few to a few thousand distinct values) is one list of its distinct values and one array of
1-4 byte codes, one per row; the ids, telephones and KPJ numbers are each one string with an array of offsets;
the NIKs stay one string each (the search looks for typed digits in them). A row is made when asked for
(``store[i]``, an ``OfficialRow`` equal to the one read), a screenful at a time when a table is painted.

Measured at 100,000 officials (bench/bench_gui.py memory): see docs/performance.md.

Plain Python (no Qt): the store's worker builds it.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import accumulate, compress, islice, repeat
from operator import is_, not_
from typing import Any, overload

from klaten_desktop.services.records import OfficialRow

#: The fields kept as one string with offsets (differ on most rows, never searched row by row).
PACKED = ("id", "telepon", "nomor_kpj")
#: Kept as a list of strings: what typed digits are looked for in.
LISTED = ("nik",)
#: Rows taken at a time while building (their own strings and tuples are freed as the load goes).
_CHUNK = 1024


def _or_empty(value: str | None) -> str:
    return value or ""


def _small_codes(codes: array[int], distinct: int) -> array[int]:
    """``codes`` in the smallest unsigned array type holding ``distinct`` codes."""
    for typecode, limit in (("B", 1 << 8), ("H", 1 << 16)):
        if distinct <= limit:
            return array(typecode, codes)
    return codes


class _Coded:
    """A column of repeating values: the distinct values in order of first appearance and one code per row."""

    __slots__ = ("_index", "codes", "values")

    def __init__(self) -> None:
        self.values: list[Any] = []
        self.codes: array[int] = array("I")
        self._index: dict[Any, int] | None = {}

    def extend(self, values: Sequence[Any]) -> None:
        """Add a chunk of rows' values: C loops (a set difference, a map), no Python call per row."""
        index = self._index
        assert index is not None
        for value in dict.fromkeys(values).keys() - index.keys():  # the values not seen before (few), in any order
            index[value] = len(self.values)
            self.values.append(value)
        self.codes.extend(map(index.__getitem__, values))

    def finish(self) -> None:
        self._index = None
        self.codes = _small_codes(self.codes, len(self.values))

    def get(self, i: int) -> Any:
        return self.values[self.codes[i]]

    def code_of(self, value: Any) -> int:
        """The code of ``value``, or -1 when no row has it."""
        try:
            return self.values.index(value)
        except ValueError:
            return -1


class _Packed:
    """A column of strings (or None) that differ on most rows: one string and the offset of every row in it."""

    __slots__ = ("_chunks", "_none", "offsets", "text")

    def __init__(self) -> None:
        self.text = ""
        self.offsets: array[int] = array("I", [0])
        self._none = bytearray()
        self._chunks: list[str] = []

    def extend(self, values: Sequence[str | None]) -> None:
        """Add a chunk of rows' values (C loops: no Python call per row)."""
        none = bytes(map(is_, values, repeat(None)))
        self._none += none
        texts = list(compress(values, map(not_, none))) if any(none) else values
        self._chunks.append("".join(texts))  # type: ignore[arg-type]  # None left out above
        lengths = map(len, map(_or_empty, values)) if any(none) else map(len, values)  # type: ignore[arg-type]
        self.offsets.extend(islice(accumulate(lengths, initial=self.offsets[-1]), 1, None))

    def finish(self) -> None:
        self.text = "".join(self._chunks)
        self._chunks = []
        if not any(self._none):
            self._none = bytearray()

    def get(self, i: int) -> str | None:
        if self._none and self._none[i]:
            return None
        return self.text[self.offsets[i] : self.offsets[i + 1]]

    def find(self, value: str) -> int:
        """The first row holding ``value``, or -1: a C scan of the one string, not a string per row."""
        if not value:
            return next((i for i in range(len(self.offsets) - 1) if self.get(i) == value), -1)
        text, offsets, size = self.text, self.offsets, len(value)
        at = text.find(value)
        while at >= 0:
            row = bisect_right(offsets, at) - 1  # the last row starting here (rows before it may be empty)
            if row < len(offsets) - 1 and offsets[row] == at and offsets[row + 1] == at + size:
                return row
            at = text.find(value, at + 1)
        return -1


class RowStore(Sequence[OfficialRow]):
    """Officials rows kept by column (see the module's text). ``store[i]`` is the i-th ``OfficialRow``."""

    def __init__(self, rows: Iterable[OfficialRow] = ()) -> None:
        self._coded: dict[str, _Coded] = {}
        self._packed: dict[str, _Packed] = {}
        self.niks: list[str] = []
        getters: list[Callable[[int], Any]] = []
        adders: list[Callable[[Sequence[Any]], None]] = []
        for field in OfficialRow._fields:
            if field in PACKED:
                packed = self._packed[field] = _Packed()
                getters.append(packed.get)
                adders.append(packed.extend)
            elif field in LISTED:
                getters.append(self.niks.__getitem__)
                adders.append(self.niks.extend)
            else:
                coded = self._coded[field] = _Coded()
                getters.append(coded.get)
                adders.append(coded.extend)
        self._getters = getters
        self._last: tuple[int, OfficialRow] | None = None
        source = iter(rows)
        while chunk := list(islice(source, _CHUNK)):
            # a chunk turned into its columns (one C call), each added by C loops: the loading thread holds the
            # interpreter a short while per chunk, so the window stays responsive while the list loads
            for add, values in zip(adders, zip(*chunk, strict=True), strict=True):
                add(values)
            del chunk
        for coded in self._coded.values():
            coded.finish()
        for packed in self._packed.values():
            packed.finish()

    def __len__(self) -> int:
        return len(self.niks)

    @overload
    def __getitem__(self, i: int) -> OfficialRow: ...

    @overload
    def __getitem__(self, i: slice) -> list[OfficialRow]: ...

    def __getitem__(self, i: int | slice) -> OfficialRow | list[OfficialRow]:
        last = self._last
        if last is not None and last[0] == i:  # a table asks for a row's cells one after another
            return last[1]
        if isinstance(i, slice):
            return [self[n] for n in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        row = OfficialRow._make([get(i) for get in self._getters])
        self._last = (i, row)
        return row

    def __iter__(self) -> Iterator[OfficialRow]:
        for i in range(len(self)):
            yield self[i]

    def column(self, field: str) -> list[Any]:
        """Every row's ``field``, in row order (a new list)."""
        coded = self._coded.get(field)
        if coded is not None:
            return list(map(coded.values.__getitem__, coded.codes))
        if field in LISTED:
            return list(self.niks)
        return list(map(self._packed[field].get, range(len(self))))

    def coded(self, field: str) -> tuple[list[Any], Sequence[int]]:
        """A repeating column's distinct values and each row's code (an index into them); not to be changed."""
        coded = self._coded[field]
        return coded.values, coded.codes

    def is_coded(self, field: str) -> bool:
        return field in self._coded

    def code_of(self, field: str, value: Any) -> int:
        """The code of ``value`` in the repeating column ``field``, or -1 when no row has it."""
        return self._coded[field].code_of(value)

    def matching(self, **values: Any) -> list[int]:
        """The row numbers whose repeating columns hold ``values`` (field=value), compared by code: no row made."""
        found: list[int] | None = None
        for field, value in values.items():
            code = self.code_of(field, value)
            if code < 0:
                return []
            codes = self.coded(field)[1]
            if found is None:
                found = [i for i, c in enumerate(codes) if c == code]
            else:
                found = [i for i in found if codes[i] == code]
        return list(range(len(self))) if found is None else found

    def id_at(self, i: int) -> str:
        official_id = self._packed["id"].get(i)
        assert official_id is not None
        return official_id

    def position_of(self, official_id: str) -> int:
        """The row number of ``official_id``, or -1."""
        return self._packed["id"].find(official_id)


def as_store(rows: Sequence[OfficialRow]) -> RowStore:
    """``rows`` kept by column (``rows`` itself when it is so already)."""
    return rows if isinstance(rows, RowStore) else RowStore(rows)
