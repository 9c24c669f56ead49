"""The Beranda without Qt: loading the figures (one load at a time, a refresh asked for meanwhile runs once it
ends), the chosen worklist and its rows, which worklist buttons are open for the selection and what they ask for,
the recap export, and every text the screen shows. The work that runs on a worker is a plain function here;
``section.py`` only lays out and binds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from klaten_desktop.domain.formatting import format_date, format_number, format_percent
from klaten_desktop.runtime.work import CancelCheck, Progress
from klaten_desktop.services import dashboard, recap, recap_files, worklists
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.dashboard import AreaFigures, DashboardData, TrendPoint
from klaten_desktop.services.worklists import WorklistRow

Work = Callable[[Progress, CancelCheck], Any]  # what runs on a worker

LOADING = "Memuat angka cakupan…"
NO_WORKLIST = "Pilih daftar kerja untuk melihat pengurusnya."
NOTHING_TODAY = "Tidak ada yang perlu segera ditindaklanjuti hari ini."
RECAP_FILES = "Dokumen PDF (*.pdf);;Lembar kerja Excel (*.xlsx)"
TILES = (  # key, caption
    ("pengurus", "Pengurus"),
    ("aktif", "Aktif"),
    ("menunggak", "Menunggak"),
    ("nonaktif", "Nonaktif"),
    ("diajukan", "Diajukan"),
    ("belum_terdaftar", "Belum terdaftar"),
    ("berakhir", "Berakhir"),
    ("cakupan", "Cakupan"),
)


@dataclass(frozen=True)
class Snapshot:
    """Everything the Beranda shows, read in one go on a worker."""

    data: DashboardData
    trend: list[TrendPoint]
    counts: dict[str, int]  # officials per worklist
    notices: list[str]


def gather(ctx: ServiceContext) -> Snapshot:
    """The figures, the trend, the worklist counts and today's notices (seconds over 100,000 officials)."""
    export_message = None
    try:
        from klaten_desktop.services.sync import export

        reminder = export.reminder(ctx)
        export_message = reminder.message if reminder.due else None
    except ImportError:  # a build without the sync feature
        export_message = None
    counts = dict(worklists.counts(ctx))
    return Snapshot(
        data=dashboard.figures(ctx),
        trend=list(dashboard.trend(ctx)),
        counts=counts,
        notices=[n.text for n in worklists.notices_today(ctx, export_message=export_message, precounted=counts)],
    )


@dataclass(frozen=True)
class WorklistActions:
    """The buttons under the worklist: open the officials, and the worklist's own next action."""

    open: bool
    action: bool
    action_label: str


class DashboardPresenter:
    def __init__(self, ctx: ServiceContext, actor: Actor) -> None:
        self.ctx = ctx
        self.actor = actor  # who writes the recap file (audited)
        self.snapshot: Snapshot | None = None
        self.loading = False
        self._reload_pending = False
        self.worklist: str | None = None  # the chosen worklist's key
        self.rows: list[WorklistRow] = []  # the rows shown (of ``_rows_of``, until the chosen one's arrive)
        self._rows_of: str | None = None

    # --- the figures ------------------------------------------------------------------------------------------

    def start_loading(self) -> bool:
        """True when a load should start now; False when one runs (it runs again once this one ends)."""
        if self.loading:
            self._reload_pending = True
            return False
        self.loading = True
        return True

    def gather_work(self) -> Work:
        ctx = self.ctx

        def work(_progress: Progress, _cancelled: CancelCheck) -> Snapshot:
            return gather(ctx)

        return work

    def loaded(self, snapshot: Snapshot) -> bool:
        """The figures arrived; True when a refresh was asked for meanwhile (start it)."""
        self.snapshot = snapshot
        self.loading = False
        again, self._reload_pending = self._reload_pending, False
        return again

    def load_failed(self) -> None:
        self.loading = False
        self._reload_pending = False

    def as_of(self) -> str:
        """The caption beside the title: whose figures and of which day ("Memuat…" before the first arrive)."""
        if self.snapshot is None:
            return LOADING
        data = self.snapshot.data
        return f"{data.office_name} · keadaan per {format_date(data.as_of)}"

    def tile_values(self) -> dict[str, str]:
        """The tiles' texts by key (see ``TILES``); none before the first figures."""
        if self.snapshot is None:
            return {}
        counts = self.snapshot.data.total
        values = {key: format_number(counts.get(key)) for key, _ in TILES if key not in ("pengurus", "cakupan")}
        values["pengurus"] = format_number(counts.pengurus)
        values["cakupan"] = format_percent(counts.cakupan_persen)
        return values

    def areas(self) -> list[AreaFigures]:
        if self.snapshot is None:
            return []
        data = self.snapshot.data
        return list(data.kecamatan if data.is_kabupaten else data.desa)

    def area_label(self) -> str:
        return "Kecamatan" if self.snapshot and self.snapshot.data.is_kabupaten else "Desa/Kelurahan"

    def coverage_tab_title(self) -> str:
        return "Cakupan per kecamatan" if self.snapshot and self.snapshot.data.is_kabupaten else "Cakupan per desa"

    def notice(self) -> str:
        notices = self.snapshot.notices if self.snapshot else []
        if notices:
            return "Perlu perhatian hari ini:\n" + "\n".join(f"• {n}" for n in notices)
        return NOTHING_TODAY

    def worklist_label(self, key: str) -> str:
        """The worklist's title in the list, with its count once the figures are in."""
        title = worklists.BY_KEY[key].title
        if self.snapshot is None:
            return title
        return f"{title}  ({format_number(self.snapshot.counts[key])})"

    # --- the worklists ----------------------------------------------------------------------------------------

    def choose(self, key: str | None) -> bool:
        """The person chose a worklist (None: none); True when its rows are to be loaded."""
        self.worklist = key
        if key is None:
            self.rows, self._rows_of = [], None
        return key is not None

    def rows_work(self, key: str) -> Work:
        ctx = self.ctx

        def work(_progress: Progress, _cancelled: CancelCheck) -> list[WorklistRow]:
            return list(worklists.rows(ctx, key))

        return work

    def arrived(self, key: str, rows: Sequence[WorklistRow]) -> bool:
        """A worklist's rows arrived; False when the person chose another one meanwhile (they are dropped)."""
        if key != self.worklist:
            return False
        self.rows, self._rows_of = list(rows), key
        return True

    def title(self, *, loading: bool = False) -> str:
        if self.worklist is None:
            return NO_WORKLIST
        wl = worklists.BY_KEY[self.worklist]
        if loading:
            return f"{wl.title}: memuat…"
        return f"{wl.title}: {format_number(len(self.rows))} pengurus. {wl.description}"

    def actions(self) -> WorklistActions:
        """Open for the rows shown; the action only once the chosen worklist's own rows are in."""
        has_rows = bool(self.rows)
        if self.worklist is None:
            return WorklistActions(open=has_rows, action=False, action_label="Tindakan")
        own = has_rows and self._rows_of == self.worklist
        return WorklistActions(open=has_rows, action=own, action_label=worklists.BY_KEY[self.worklist].action_label)

    def chosen_ids(self, selected: Sequence[int]) -> list[str]:
        """The officials of the selected rows, or of every row when none is selected."""
        rows = sorted(set(selected)) or list(range(len(self.rows)))
        return [self.rows[r].official_id for r in rows]

    def open_request(self, selected: Sequence[int]) -> tuple[list[str], str] | None:
        """Which officials to show in the registry, under which title (None: nothing to open)."""
        if self.worklist is None:
            return None
        ids = self.chosen_ids(selected)
        return (ids, worklists.BY_KEY[self.worklist].title) if ids else None

    def action_request(self, selected: Sequence[int]) -> tuple[str, list[str]] | None:
        """The worklist's next action and the officials it is for (None: nothing to do)."""
        if self.worklist is None or not self.actions().action:
            return None
        ids = self.chosen_ids(selected)
        return (worklists.BY_KEY[self.worklist].action, ids) if ids else None

    def row_request(self, row: int) -> tuple[list[str], str]:
        """A row opened (double-click): that official, titled with their name."""
        official = self.rows[row]
        return [official.official_id], official.nama

    # --- the recap --------------------------------------------------------------------------------------------

    def recap_file(self) -> str:
        return f"rekap-cakupan-{self.ctx.today().isoformat()}.pdf"

    @staticmethod
    def recap_target(path: Path) -> Path:
        """The file to write: PDF unless the person asked for an xlsx."""
        return path if path.suffix.lower() in (".pdf", ".xlsx") else path.with_suffix(".pdf")

    def recap_work(self, path: Path) -> Work:
        ctx, actor, target = self.ctx, self.actor, self.recap_target(path)

        def work(progress: Progress, cancelled: CancelCheck) -> Path:
            # PDF or xlsx by the extension; nothing is left when cancelled
            return recap_files.write_recap(ctx, actor, recap.recap(ctx), target, progress=progress, cancelled=cancelled)

        return work

    @staticmethod
    def recap_report(written: Path) -> str:
        return f"Rekap cakupan disimpan di {written}."
