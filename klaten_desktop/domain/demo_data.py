"""Synthetic demo officials for trying the application (never real people).

NIKs are built from the desa's kecamatan code, the birth date (+40 for women) and a serial that is unique
per (kecamatan, birth date), so they are valid and never collide. Names are common Javanese names.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from klaten_desktop.domain.enums import FundingSource, Jabatan, Sex
from klaten_desktop.domain.months import YearMonth
from klaten_desktop.domain.wilayah import Wilayah

MALE_NAMES = (
    "Sumarno", "Joko Santoso", "Bambang", "Tri Hartono", "Wahyu", "Agus", "Slamet", "Purwanto", "Sugiyono",
    "Suparno", "Mulyono", "Sutrisno", "Haryanto", "Budi", "Sukirman", "Warsito", "Suyatno", "Darmanto",
    "Eko", "Heru", "Teguh", "Sarjono", "Paimin", "Ngadiman", "Sukardi", "Wiyono", "Supardi", "Marjuki",
    "Tukiman", "Sriyanto", "Dwi", "Yulianto", "Giyanto", "Kuncoro", "Parjo", "Sumadi", "Triyono", "Suwarno",
    "Ahmad", "Muhammad", "Rahmat", "Nur Hadi", "Gunawan", "Hadi", "Samidi", "Wagiman", "Sigit", "Bayu",
)  # fmt: skip
FEMALE_NAMES = (
    "Sri Wahyuni", "Suparmi", "Siti Aminah", "Suharti", "Endang", "Sri Lestari", "Tri Wahyuni", "Sumiyati",
    "Wartini", "Sukarni", "Partini", "Sulastri", "Suwarni", "Dwi Astuti", "Rini", "Yuni", "Sri Mulyani",
    "Lestari", "Ngatini", "Tumini", "Sutarmi", "Siti Fatimah", "Nur Aini", "Retno", "Wulandari", "Kartini",
    "Sumarni", "Rahayu", "Sri Rejeki", "Puji Astuti", "Murtini", "Harini", "Suprapti", "Sunarsih",
)  # fmt: skip
SURNAMES = (
    "Santoso", "Hartono", "Wibowo", "Susilo", "Prasetyo", "Nugroho", "Setiawan", "Purnomo", "Widodo",
    "Raharjo", "Saputro", "Hidayat", "Kurniawan", "Wijaya", "Sulistyo", "Utomo", "Handoko", "Rahmawati",
    "Lestari", "Handayani", "Wahyudi", "Subagyo", "Suryono", "Riyanto",
)  # fmt: skip
FEMALE_SURNAMES = ("Rahmawati", "Lestari", "Handayani", "Wahyuningsih", "Purwanti", "Astuti", "Rahayu")
DUKUH = (
    "Krajan", "Ngemplak", "Sidowayah", "Karanganyar", "Tegalrejo", "Gondang", "Jetis", "Kwarasan", "Ngawen",
    "Kebonagung", "Sumberejo", "Bendan", "Tanjung", "Gumulan", "Pokoh", "Dukuh", "Kalangan", "Ngaran",
)  # fmt: skip
BIRTH_PLACES = ("Klaten",) * 12 + ("Boyolali", "Sukoharjo", "Yogyakarta", "Sleman", "Surakarta", "Wonogiri")

MOBILE_PREFIXES = (
    "0812",
    "0813",
    "0821",
    "0822",
    "0852",
    "0853",
    "0856",
    "0857",
    "0858",
    "0877",
    "0878",
    "0895",
)


@dataclass(frozen=True)
class DemoEnrollment:
    submitted_on: date
    registered_on: date | None
    nomor_kpj: str | None
    funding: FundingSource
    paid_through: YearMonth | None
    ended_on: date | None


@dataclass(frozen=True)
class DemoOfficial:
    nik: str
    nama: str
    tempat_lahir: str
    tanggal_lahir: date
    jenis_kelamin: Sex
    alamat: str
    desa_kode: str
    rw: int | None
    rt: int | None
    jabatan: Jabatan
    term_start: date
    term_end: date
    sk_nomor: str
    sk_tanggal: date
    telepon: str | None
    enrollment: DemoEnrollment | None


_Slot = tuple[Jabatan, int, int | None]


def _rw_slots(rng: random.Random, rw: int) -> list[_Slot]:
    slots: list[_Slot] = [(Jabatan.ketua_rw, rw, None)]
    slots.extend((Jabatan.ketua_rt, rw, rt) for rt in range(1, rng.randint(2, 6) + 1))
    if rng.random() < 0.15:
        slots.append((Jabatan.sekretaris, rw, None))
    if rng.random() < 0.10:
        slots.append((Jabatan.bendahara, rw, None))
    return slots


def _quotas(sizes: list[int], n: int) -> list[int]:
    """Split n over desa proportionally to their number of slots (largest remainder)."""
    total = sum(sizes)
    raw = [n * s for s in sizes]
    quotas = [r // total for r in raw]
    remainders = sorted(range(len(sizes)), key=lambda i: (-(raw[i] % total), i))
    for i in remainders[: n - sum(quotas)]:
        quotas[i] += 1
    return quotas


def generate_demo(desa: Sequence[Wilayah], n: int, *, today: date, seed: int = 2026) -> list[DemoOfficial]:
    """Deterministic demo officials spread over ``desa`` (desa or kelurahan rows); exactly ``n`` of them."""
    if n < 0:
        raise ValueError("Jumlah data contoh tidak boleh negatif.")
    if n == 0:
        return []
    villages = [w for w in desa if w.is_desa or w.is_kelurahan]
    if not villages:
        raise ValueError("Data contoh memerlukan paling sedikit satu desa atau kelurahan.")
    rng = random.Random(seed)
    structure, rw_count = _structure(rng, len(villages), n)
    quotas = _quotas([len(s) for s in structure], n)
    maker = _Maker(rng, today)
    result: list[DemoOfficial] = []
    for village, slots, quota, rws in zip(villages, structure, quotas, rw_count, strict=True):
        dukuh = [maker.choice(DUKUH) for _ in range(rws if quota else 0)]
        result.extend(maker.official(village, dukuh, slot) for slot in slots[:quota])
    return result


def _structure(rng: random.Random, villages: int, n: int) -> tuple[list[list[_Slot]], list[int]]:
    """Each desa's RWs with their RT slots, grown until there is room for ``n`` officials."""
    structure: list[list[_Slot]] = []
    rw_count: list[int] = []
    for _ in range(villages):
        count = rng.randint(3, 12)
        slots: list[_Slot] = []
        for rw in range(1, count + 1):
            slots.extend(_rw_slots(rng, rw))
        structure.append(slots)
        rw_count.append(count)
    total = sum(len(s) for s in structure)
    while total < n:
        for i in range(villages):
            rw_count[i] += 1
            if rw_count[i] > 999:
                raise ValueError("Jumlah data contoh terlalu besar untuk jumlah desa yang dipilih.")
            extra = _rw_slots(rng, rw_count[i])
            structure[i].extend(extra)
            total += len(extra)
    return structure, rw_count


class _Maker:
    """Draws one demo official after another; the order of the draws is the seed's contract (same seed, same data)."""

    def __init__(self, rng: random.Random, today: date) -> None:
        self.rand = rng.random  # cheaper than rng.randint / rng.choice: this runs 100k times
        self.today = today
        self.current = YearMonth.of(today)
        self.lapsed = [self.current - k for k in range(11)]
        self.serials: dict[str, int] = {}
        self.kpj_counter = rng.randint(20_000_000_000, 25_000_000_000)
        self.sk_counter = 0
        self.latest_start_year = min(2025, today.year)
        self.earliest_start_year = min(2021, self.latest_start_year)

    def randint(self, a: int, b: int) -> int:
        return a + int(self.rand() * (b - a + 1))

    def choice(self, seq: Sequence[str]) -> str:
        return seq[int(self.rand() * len(seq))]

    def official(self, village: Wilayah, dukuh: list[str], slot: _Slot) -> DemoOfficial:
        jabatan, rw, rt = slot
        female = self.rand() < (0.12 if jabatan in (Jabatan.ketua_rt, Jabatan.ketua_rw) else 0.5)
        nama = self._name(female)
        birth = self.today - timedelta(days=self.randint(25 * 366 + 1, 75 * 365))
        nik = self._nik(village.nik_prefix or "331001", birth, female)
        dk = dukuh[rw - 1] if rw - 1 < len(dukuh) else self.choice(DUKUH)
        alamat = f"Dukuh {dk} RT {rt:03d}/RW {rw:03d}" if rt is not None else f"Dukuh {dk} RW {rw:03d}"
        telepon = None
        if self.rand() < 0.85:
            telepon = f"{self.choice(MOBILE_PREFIXES)}{self.randint(10_000_000, 99_999_999)}"
        start, term_end, sk_nomor, sk_tanggal = self._term()
        enrollment = self._enrollment(start, village.is_kelurahan) if self.rand() < 0.70 else None
        return DemoOfficial(
            nik=nik,
            nama=nama,
            tempat_lahir=self.choice(BIRTH_PLACES),
            tanggal_lahir=birth,
            jenis_kelamin=Sex.P if female else Sex.L,
            alamat=alamat,
            desa_kode=village.kode,
            rw=rw,
            rt=rt,
            jabatan=jabatan,
            term_start=start,
            term_end=term_end,
            sk_nomor=sk_nomor,
            sk_tanggal=sk_tanggal,
            telepon=telepon,
            enrollment=enrollment,
        )

    def _name(self, female: bool) -> str:
        if female:
            nama = self.choice(FEMALE_NAMES)
            return f"{nama} {self.choice(FEMALE_SURNAMES)}" if self.rand() < 0.35 else nama
        nama = self.choice(MALE_NAMES)
        if self.rand() < 0.45:
            nama = f"{nama} {self.choice(SURNAMES)}"
        return f"H. {nama}" if self.rand() < 0.04 else nama

    def _nik(self, prefix: str, birth: date, female: bool) -> str:
        dd = birth.day + 40 if female else birth.day
        key = f"{prefix}{dd:02d}{birth.month:02d}{birth.year % 100:02d}"
        serial = self.serials.get(key, 0) + 1
        self.serials[key] = serial
        return f"{key}{serial:04d}"

    def _term(self) -> tuple[date, date, str, date]:
        randint, today = self.randint, self.today
        start = date(randint(self.earliest_start_year, self.latest_start_year), randint(1, 12), randint(1, 28))
        if start > today:
            start = today - timedelta(days=randint(0, 300))
        term_end = date(start.year + 5, start.month, start.day) - timedelta(days=1)
        self.sk_counter += 1
        sk_tanggal = start - timedelta(days=randint(0, 20))
        sk_nomor = f"400.10.3.1/{(self.sk_counter - 1) % 999 + 1:03d}/{sk_tanggal.year}"
        return start, term_end, sk_nomor, sk_tanggal

    def _enrollment(self, start: date, is_kelurahan: bool) -> DemoEnrollment:
        rand, randint, today = self.rand, self.randint, self.today
        if is_kelurahan:
            funding = FundingSource.APBD
        else:
            f = rand()
            funding = FundingSource.ADD if f < 0.65 else FundingSource.APBDES if f < 0.93 else FundingSource.MANDIRI
        # most desa enrolled their RT/RW in the last two years, after the Perbup was socialised
        enrolled_from = max(start, today - timedelta(days=730))
        submitted = min(today, enrolled_from + timedelta(days=randint(10, 200)))
        registered: date | None = None
        kpj: str | None = None
        paid: YearMonth | None = None
        ended: date | None = None
        if rand() < 0.88:
            registered = submitted + timedelta(days=randint(7, 45))
            if registered > today:
                registered = None
        if registered is not None:
            self.kpj_counter += randint(1, 97)
            kpj = f"{self.kpj_counter:011d}"
            paid = max(self._paid_through(), YearMonth(registered.year, registered.month) - 1)
            if rand() < 0.03:
                span = (today - registered).days
                ended = registered + timedelta(days=randint(0, span)) if span > 0 else today
        return DemoEnrollment(submitted, registered, kpj, funding, paid, ended)

    def _paid_through(self) -> YearMonth:
        p, lapsed = self.rand(), self.lapsed
        if p < 0.45:
            return lapsed[0]
        if p < 0.75:
            return lapsed[1]
        if p < 0.85:
            return lapsed[2]
        if p < 0.90:
            return lapsed[3]
        return lapsed[self.randint(4, 10)]
