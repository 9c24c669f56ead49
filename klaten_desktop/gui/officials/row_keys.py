"""What the officials tables search and sort on, made once per loaded list and shared by every table showing it.

The Pengurus RT/RW and Kepesertaan & Iuran tables show the same 100,000 rows: the lower-cased names and the NIKs
searched in, one flag per row for "still serving" and the sort orders already asked for live here once, not once per
table (measured: about 30 MB less at 100,000 rows). The store makes them on its loading thread, so opening a
section puts the rows in its table without walking them on the GUI thread.

Plain Python (no Qt): the store's worker builds it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from klaten_desktop.gui.officials.row_store import as_store
from klaten_desktop.runtime.memory import release_free_memory
from klaten_desktop.services.records import OfficialRow

#: How many sort orders (one list of row numbers each, 0.8 MB at 100,000 rows) are kept; the least recently used
#: goes first. Eight: a person going through four or five columns both ways finds them sorted already.
KEPT_ORDERS = 8
_DIGIT = re.compile(r"\d")


class SortKey(NamedTuple):
    """What a column sorts on: the OfficialRow ``field``, compared by ``of(value)`` (None: the value itself).

    ``of`` is applied once per distinct value, not once per row: a column's values repeat (381 desa names, a few
    thousand term dates among 100,000 rows), and the 100,000 key objects a per-row key made (a lower-cased copy of
    every desa name, an int for every date) were freed right after the sort but left the heap ~2 MB bigger for
    each column sorted (measured at 100,000 officials)."""

    field: str
    of: Callable[[Any], Any] | None = None


class RowKeys:
    """The rows of one load (kept by column: ``row_store.RowStore``) and what is derived from them: ``names``
    (lower-cased) and ``niks`` to search in, ``serving`` (1 for a serving official), ``index`` (0..n-1, the row
    numbers every order is made of) and sort orders."""

    def __init__(self, rows: Sequence[OfficialRow]) -> None:
        store = as_store(rows)
        self.rows = store
        self.made_from = rows  # the rows as given (the store itself, or the list it was made of)
        self.index = list(range(len(store)))
        # what a typed name is looked for in: one lower-cased string per distinct name (names repeat: "Sri
        # Lestari"), one reference to it per row (measured: a substring test per row beats picking rows by a name
        # code, which makes an int object per row)
        distinct, codes = store.coded("nama")
        lowered = [name.lower() for name in distinct]
        self.names = list(map(lowered.__getitem__, codes))
        self.niks = store.niks  # what typed digits are looked for in (the rows' own strings)
        # the rows whose name has a digit (rare): typed digits are looked for in their names too
        with_digit = {n for n, name in enumerate(lowered) if _DIGIT.search(name)}
        self.digit_names: frozenset[int] = frozenset(n for n, code in enumerate(codes) if code in with_digit)
        del lowered, with_digit
        statuses, status_codes = store.coded("term_status")
        serving = bytes(s == "menjabat" for s in statuses)
        self.serving = bytes(map(serving.__getitem__, status_codes))
        self.all_serving = all(self.serving)
        self._orders: dict[tuple[str, bool], list[int]] = {}
        self._ranks: dict[str, list[int]] = {}
        self._unique: set[str] = set()  # the columns whose keys all differ
        self._id_hint: dict[str, int] = {}

    def order(self, key: str, sort: SortKey, descending: bool) -> list[int]:
        """Every row number sorted by ``sort`` (stable: rows with the same key keep the load's order, in both
        directions). The list is shared: callers never change it."""
        found = self._orders.pop((key, descending), None)
        if found is None:
            rank = self._rank(key, sort)
            opposite = self._orders.get((key, not descending))
            if opposite is not None and key in self._unique:
                found = opposite[::-1]  # every key different: the other direction read backwards
            elif opposite is not None:
                # the other direction re-sorted: already in (reversed) runs, so much less work than a full sort
                found = sorted(opposite, key=rank.__getitem__, reverse=descending)
            else:
                found = sorted(self.index, key=rank.__getitem__, reverse=descending)
            while len(self._orders) >= KEPT_ORDERS:
                del self._orders[next(iter(self._orders))]
        self._orders[(key, descending)] = found  # the most recently used last
        return found

    def _rank(self, key: str, sort: SortKey) -> list[int]:
        """Per row, the place of its key among the column's distinct keys: both directions sort on these small
        ints, and the keys themselves (a lower-cased copy of every name) are not kept."""
        rank = self._ranks.get(key)
        if rank is None:
            store = self.rows
            if store.is_coded(sort.field):  # a key per distinct value, then each row's by its code
                distinct, codes = store.coded(sort.field)
                place, places = self._places(distinct, sort.of)
                by_code = list(map(place.__getitem__, distinct))
                # the int objects of ``index``, not new ones (there are never more distinct keys than rows)
                rank = list(map(by_code.__getitem__, codes))
                del by_code
            else:
                values = store.column(sort.field)
                place, places = self._places(values, sort.of)
                rank = list(map(place.__getitem__, values))
                del values
            if places == len(rank):
                self._unique.add(key)
            del place
            release_free_memory()  # the column's distinct values and their keys just freed
            self._ranks[key] = rank
        return rank

    def _places(self, values: list[Any], of: Callable[[Any], Any] | None) -> tuple[dict[Any, int], int]:
        """Each distinct value's place in the order of the keys (values with equal keys share one), and how many
        places there are."""
        if of is None:
            distinct_sorted = sorted(set(values))
            return dict(zip(distinct_sorted, self.index, strict=False)), len(distinct_sorted)
        distinct = list(set(values))
        keys = list(map(of, distinct))
        by_key = sorted(self.index[: len(distinct)], key=keys.__getitem__)  # the ints of ``index`` again
        if len(set(keys)) == len(keys):  # no two values share a key: their places are their positions
            return dict(zip(map(distinct.__getitem__, by_key), self.index, strict=False)), len(distinct)
        shared: dict[Any, int] = {}
        index = self.index
        n = -1
        last: Any = None
        for p in by_key:
            k = keys[p]
            if n < 0 or k != last:
                n += 1
                last = k
            shared[distinct[p]] = index[n]
        return shared, n + 1

    def position_of(self, official_id: str) -> int:
        """The row number of ``official_id`` in ``rows``, or -1 (remembered: a selection is looked up after every
        keystroke)."""
        rows = self.rows
        hint = self._id_hint.get(official_id)
        if hint is not None and hint < len(rows) and rows.id_at(hint) == official_id:
            return hint
        n = rows.position_of(official_id)
        if n >= 0:
            if len(self._id_hint) > 64:
                self._id_hint.clear()
            self._id_hint[official_id] = n
        return n
