"""The status of a pegawai's working day from the schedule, the holiday calendar, approved absences and
the day's taps (docs/rules.md §27). Pure: the caller reads the records; this module decides.

Order of the decision, and why:

1. A national holiday or cuti bersama is never a working day (Perpres 21/2023 and the national calendar;
   cuti bersama is legally cuti tahunan but is not cut, so it keeps its own kind) — unless the pegawai has
   a shift rostered on that date and :attr:`AturanKehadiran.shift_pada_libur` says a rostered shift is
   worked (hospitals, fire brigades).
2. A date without a schedule in force (weekend of a five-day unit, a shift worker's day off) is
   ``BUKAN_HARI_KERJA``. Taps on such a day change nothing.
3. An approved absence (cuti, dinas luar, izin, sakit, tugas belajar) covering the date excuses the day,
   even when there are taps: the atasan's approval is the record that counts.
4. Otherwise the taps in the day's window decide: HADIR with late (TL) and early-leave (PSW) minutes, or
   TK when there is none.

The numbers an instansi may read differently are in :class:`AturanKehadiran` with defaults.
"""

from __future__ import annotations

import calendar
import datetime
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Final

from kinerja.rules.jenis_hari import KETIDAKHADIRAN, JenisHari, StatusHari
from kinerja.rules.types import LabeledEnum

__all__ = [
    "ATURAN_BAKU",
    "AturanKehadiran",
    "CaraBacaTap",
    "HariLibur",
    "JadwalKerja",
    "JamKerja",
    "Ketidakhadiran",
    "VarianJadwal",
    "jadwal_perpres_21_2023",
    "jadwal_ramadan",
    "jam_berlaku",
    "status_bulan",
    "status_hari",
]

NAMA_HARI: Final = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


def _jam(t: datetime.time | datetime.datetime) -> str:
    """``07:55`` -> ``"07.55"`` (the Indonesian way of writing a time)."""
    return f"{t.hour:02d}.{t.minute:02d}"  # not strftime: called for every tap of an instansi's month


@dataclass(frozen=True)
class JamKerja:
    """One day's working hours: ``masuk`` (start) and ``pulang`` (end), local time, and the break in
    minutes (excluded from the working time). ``pulang`` at or before ``masuk`` means the day ends after
    midnight (a night shift). ``nama``: the shift's name, shown in the reasons; empty for a plain schedule."""

    masuk: datetime.time
    pulang: datetime.time
    istirahat_menit: int = 0
    nama: str = ""

    def __post_init__(self) -> None:
        if self.masuk == self.pulang:
            raise ValueError("Jam masuk dan jam pulang tidak boleh sama.")
        if not 0 <= self.istirahat_menit < self._durasi_menit():
            raise ValueError("Lama istirahat harus 0 atau lebih dan kurang dari lama jam kerja.")

    @property
    def lewat_tengah_malam(self) -> bool:
        """The day ends on the next date."""
        return self.pulang < self.masuk

    def _durasi_menit(self) -> int:
        mulai = self.masuk.hour * 60 + self.masuk.minute
        akhir = self.pulang.hour * 60 + self.pulang.minute
        return (akhir - mulai) % (24 * 60)

    @property
    def menit_kerja(self) -> int:
        """Working minutes of the day, break excluded."""
        return self._durasi_menit() - self.istirahat_menit

    def rentang(self, tanggal: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
        """The start and end of this schedule on ``tanggal`` as datetimes (the end on the next date for a
        day past midnight)."""
        mulai = datetime.datetime.combine(tanggal, self.masuk)
        akhir_tanggal = tanggal + datetime.timedelta(days=1) if self.lewat_tengah_malam else tanggal
        return mulai, datetime.datetime.combine(akhir_tanggal, self.pulang)


@dataclass(frozen=True)
class JadwalKerja:
    """A weekly schedule: weekday (0 Monday … 6 Sunday) → the hours of that day. A weekday that is not a
    key is not a working day (five-day units leave out 5 and 6; a six-day unit serving the public keeps 5)."""

    hari: Mapping[int, JamKerja]
    nama: str = ""

    def __post_init__(self) -> None:
        if not set(self.hari) <= set(range(7)):
            raise ValueError("Hari dalam jadwal harus 0 (Senin) sampai 6 (Minggu).")

    def jam(self, tanggal: datetime.date) -> JamKerja | None:
        """The hours on ``tanggal``'s weekday, None when it is not a working day."""
        return self.hari.get(tanggal.weekday())

    @property
    def menit_seminggu(self) -> int:
        """Working minutes in a week, breaks excluded (Perpres 21/2023: 37 h 30 min = 2 250)."""
        return sum(j.menit_kerja for j in self.hari.values())


@dataclass(frozen=True)
class VarianJadwal:
    """A schedule that replaces the base one from ``mulai`` to ``selesai`` (both inclusive), e.g. Ramadan.
    It replaces the whole week: its own weekdays decide which days are working days."""

    nama: str
    mulai: datetime.date
    selesai: datetime.date
    jadwal: JadwalKerja

    def __post_init__(self) -> None:
        if self.selesai < self.mulai:
            raise ValueError("Tanggal selesai varian jadwal tidak boleh sebelum tanggal mulai.")

    def berlaku(self, tanggal: datetime.date) -> bool:
        return self.mulai <= tanggal <= self.selesai


@dataclass(frozen=True)
class HariLibur:
    """A date of the national calendar: a holiday (``JenisHari.LIBUR``) or cuti bersama."""

    tanggal: datetime.date
    nama: str
    jenis: JenisHari = JenisHari.LIBUR

    def __post_init__(self) -> None:
        if self.jenis not in (JenisHari.LIBUR, JenisHari.CUTI_BERSAMA):
            raise ValueError("Jenis hari libur harus libur nasional atau cuti bersama.")


@dataclass(frozen=True)
class Ketidakhadiran:
    """An approved absence from ``mulai`` to ``selesai`` (both inclusive). The caller passes only approved
    records; a request still waiting or refused excuses nothing."""

    jenis: JenisHari
    mulai: datetime.date
    selesai: datetime.date
    keterangan: str = ""

    def __post_init__(self) -> None:
        if self.jenis not in KETIDAKHADIRAN:
            raise ValueError(f"{self.jenis.label} bukan jenis ketidakhadiran.")
        if self.selesai < self.mulai:
            raise ValueError("Tanggal selesai ketidakhadiran tidak boleh sebelum tanggal mulai.")

    def meliputi(self, tanggal: datetime.date) -> bool:
        return self.mulai <= tanggal <= self.selesai


class CaraBacaTap(LabeledEnum):
    """How two or more taps of a day are read (a single tap is always read by the midpoint)."""

    AWAL_AKHIR = "awal_akhir", "Rekaman pertama masuk, rekaman terakhir pulang"
    TITIK_TENGAH = "titik_tengah", "Sebelum titik tengah jadwal masuk, sesudahnya pulang"


@dataclass(frozen=True)
class AturanKehadiran:
    """The points an instansi may read differently (docs/rules.md §27, each UNSURE with its default).

    - ``jendela_sebelum_menit`` / ``jendela_sesudah_menit``: a tap counts for the day when it lies from
      that many minutes before the start to that many after the end (the end on the next date for a night
      shift, so its pulang tap after midnight counts for the day the shift began).
    - ``cara_baca``: with two or more taps, the earliest is masuk and the latest pulang (``AWAL_AKHIR``),
      or the earliest before the schedule's midpoint is masuk and the latest from it on is pulang
      (``TITIK_TENGAH``). A single tap before the midpoint is masuk, from it on pulang, in both.
    - ``toleransi_tl_menit`` / ``toleransi_psw_menit``: minutes late (early) that count as 0; beyond them
      the whole minutes from the schedule count.
    - ``bulatkan_ke_atas``: seconds count, so 07.30.01 against 07.30 is 1 minute late; False counts whole
      minutes only (07.30.59 is on time).
    - ``shift_pada_libur``: a shift rostered on a holiday or cuti bersama is a working day.
    """

    jendela_sebelum_menit: int = 180
    jendela_sesudah_menit: int = 360
    cara_baca: CaraBacaTap = CaraBacaTap.AWAL_AKHIR
    toleransi_tl_menit: int = 0
    toleransi_psw_menit: int = 0
    bulatkan_ke_atas: bool = True
    shift_pada_libur: bool = True

    def __post_init__(self) -> None:
        angka = (
            self.jendela_sebelum_menit,
            self.jendela_sesudah_menit,
            self.toleransi_tl_menit,
            self.toleransi_psw_menit,
        )
        if any(n < 0 for n in angka):
            raise ValueError("Jendela dan toleransi tidak boleh negatif.")


ATURAN_BAKU: Final = AturanKehadiran()


def _j(masuk: str, pulang: str, istirahat: int) -> JamKerja:
    return JamKerja(datetime.time.fromisoformat(masuk), datetime.time.fromisoformat(pulang), istirahat)


def jadwal_perpres_21_2023() -> JadwalKerja:
    """Perpres 21/2023: Monday–Friday from 07.30, 37 h 30 min a week excluding breaks; break 60 min,
    Friday 90. So Monday–Thursday 07.30–16.00 and Friday 07.30–16.30 (7 h 30 min each)."""
    biasa = _j("07:30", "16:00", 60)
    return JadwalKerja(
        {0: biasa, 1: biasa, 2: biasa, 3: biasa, 4: _j("07:30", "16:30", 90)}, "Perpres 21/2023"
    )


def jadwal_ramadan() -> JadwalKerja:
    """Ramadan (Perpres 21/2023: 32 h 30 min a week from 08.00), with the hours of the MenPAN-RB circulars:
    Monday–Thursday 08.00–15.00 with 30 min break, Friday 08.00–15.30 with 60 min."""
    biasa = _j("08:00", "15:00", 30)
    return JadwalKerja({0: biasa, 1: biasa, 2: biasa, 3: biasa, 4: _j("08:00", "15:30", 60)}, "Ramadan")


def _varian(tanggal: datetime.date, varian: Iterable[VarianJadwal]) -> VarianJadwal | None:
    """The variant in force: of those covering the date, the one starting latest (the more specific),
    then the shorter, then by name, so the answer does not depend on the order given."""
    cocok = [v for v in varian if v.berlaku(tanggal)]
    if not cocok:
        return None
    return min(cocok, key=lambda v: (-v.mulai.toordinal(), v.selesai, v.nama))


def jam_berlaku(
    tanggal: datetime.date,
    *,
    jadwal: JadwalKerja | None,
    varian: Iterable[VarianJadwal] = (),
    shift: Mapping[datetime.date, JamKerja] | None = None,
) -> JamKerja | None:
    """The hours in force on ``tanggal`` for one pegawai, None when it is not a working day of theirs.

    A shift rostered for the date beats everything; then a dated variant covering the date (its own
    weekdays decide); then the base schedule. A pegawai only on shifts passes ``jadwal=None``: a date
    without a shift is a day off. Holidays are not looked at here (see :func:`status_hari`)."""
    if shift is not None and tanggal in shift:
        return shift[tanggal]
    v = _varian(tanggal, varian)
    if v is not None:
        return v.jadwal.jam(tanggal)
    return jadwal.jam(tanggal) if jadwal is not None else None


def _menit(detik: float, aturan: AturanKehadiran, toleransi: int) -> int:
    if detik <= 0:
        return 0
    menit = math.ceil(detik / 60) if aturan.bulatkan_ke_atas else math.floor(detik / 60)
    return 0 if menit <= toleransi else menit


def _teks_tap(label: str, tap: datetime.datetime, tanggal: datetime.date) -> str:
    teks = f"{label} {_jam(tap)}"
    return teks if tap.date() == tanggal else f"{teks} ({tap:%d-%m-%Y})"


def _baca_tap(
    tanggal: datetime.date, jam: JamKerja, tap: Iterable[datetime.datetime], aturan: AturanKehadiran
) -> StatusHari | None:
    mulai, akhir = jam.rentang(tanggal)
    awal_jendela = mulai - datetime.timedelta(minutes=aturan.jendela_sebelum_menit)
    akhir_jendela = akhir + datetime.timedelta(minutes=aturan.jendela_sesudah_menit)
    dalam = sorted({t for t in tap if awal_jendela <= t <= akhir_jendela})
    if not dalam:
        return None
    tengah = mulai + (akhir - mulai) / 2
    masuk: datetime.datetime | None
    pulang: datetime.datetime | None
    if len(dalam) >= 2 and aturan.cara_baca is CaraBacaTap.AWAL_AKHIR:
        masuk, pulang = dalam[0], dalam[-1]
    else:
        sebelum = [t for t in dalam if t < tengah]
        sesudah = [t for t in dalam if t >= tengah]
        masuk = sebelum[0] if sebelum else None
        pulang = sesudah[-1] if sesudah else None

    alasan: list[str] = []
    if jam.nama:
        alasan.append(f"Shift {jam.nama}: {_jam(jam.masuk)}–{_jam(jam.pulang)}")
    menit_tl = menit_psw = 0
    if masuk is None:
        alasan.append("Tidak ada rekaman masuk")
    else:
        menit_tl = _menit((masuk - mulai).total_seconds(), aturan, aturan.toleransi_tl_menit)
        teks = f"{_teks_tap('Masuk', masuk, tanggal)}, jadwal {_jam(jam.masuk)}"
        alasan.append(f"{teks}: terlambat {menit_tl} menit" if menit_tl else teks)
    if pulang is None:
        alasan.append("Tidak ada rekaman pulang")
    else:
        menit_psw = _menit((akhir - pulang).total_seconds(), aturan, aturan.toleransi_psw_menit)
        teks = f"{_teks_tap('Pulang', pulang, tanggal)}, jadwal {_jam(jam.pulang)}"
        alasan.append(f"{teks}: pulang sebelum waktu {menit_psw} menit" if menit_psw else teks)
    return StatusHari(
        tanggal,
        JenisHari.HADIR,
        hari_kerja=True,
        menit_tl=menit_tl,
        menit_psw=menit_psw,
        tanpa_masuk=masuk is None,
        tanpa_pulang=pulang is None,
        alasan=tuple(alasan),
    )


def status_hari(
    tanggal: datetime.date,
    *,
    jadwal: JadwalKerja | None,
    varian: Iterable[VarianJadwal] = (),
    shift: Mapping[datetime.date, JamKerja] | None = None,
    libur: Mapping[datetime.date, HariLibur] | None = None,
    ketidakhadiran: Iterable[Ketidakhadiran] = (),
    tap: Iterable[datetime.datetime] = (),
    aturan: AturanKehadiran = ATURAN_BAKU,
) -> StatusHari:
    """One pegawai's day (the order of the decision is in the module's docstring).

    ``tap``: the pegawai's records as naive local datetimes (machine taps and approved corrections alike);
    those outside the day's window are ignored, so the caller may pass a wider range; duplicates and order
    do not matter."""
    varian = tuple(varian)
    jam = jam_berlaku(tanggal, jadwal=jadwal, varian=varian, shift=shift)
    hari_libur = libur.get(tanggal) if libur is not None else None
    ber_shift = shift is not None and tanggal in shift
    if hari_libur is not None and not (ber_shift and aturan.shift_pada_libur):
        awalan = "Libur nasional" if hari_libur.jenis is JenisHari.LIBUR else "Cuti bersama"
        return StatusHari(
            tanggal, hari_libur.jenis, hari_kerja=False, alasan=(f"{awalan}: {hari_libur.nama}",)
        )
    if jam is None:
        return StatusHari(
            tanggal,
            JenisHari.BUKAN_HARI_KERJA,
            hari_kerja=False,
            alasan=(f"Bukan hari kerja ({NAMA_HARI[tanggal.weekday()]})",),
        )

    absen = sorted(
        (k for k in ketidakhadiran if k.meliputi(tanggal)),
        key=lambda k: (k.mulai, k.selesai, k.jenis.value, k.keterangan),
    )
    if absen:
        pilih = absen[0]
        teks = f"{pilih.jenis.label} (disetujui)"
        return StatusHari(
            tanggal,
            pilih.jenis,
            hari_kerja=True,
            alasan=(f"{teks}: {pilih.keterangan}" if pilih.keterangan else teks,),
        )

    hadir = _baca_tap(tanggal, jam, tap, aturan)
    if hadir is not None:
        v = _varian(tanggal, varian)
        if v is not None and not ber_shift:
            return replace(hadir, alasan=(f"Jadwal {v.nama}", *hadir.alasan))
        return hadir
    return StatusHari(
        tanggal,
        JenisHari.TK,
        hari_kerja=True,
        alasan=("Tanpa keterangan: tidak ada rekaman kehadiran dan tidak ada ketidakhadiran yang disetujui",),
    )


def status_bulan(
    tahun: int,
    bulan: int,
    *,
    jadwal: JadwalKerja | None,
    varian: Iterable[VarianJadwal] = (),
    shift: Mapping[datetime.date, JamKerja] | None = None,
    libur: Mapping[datetime.date, HariLibur] | None = None,
    ketidakhadiran: Iterable[Ketidakhadiran] = (),
    tap: Iterable[datetime.datetime] = (),
    aturan: AturanKehadiran = ATURAN_BAKU,
) -> list[StatusHari]:
    """The status of every date of the month, in date order. Pass the taps up to the morning after the
    month's last day, so that a night shift starting on the last day gets its pulang."""
    varian = tuple(varian)
    ketidakhadiran = tuple(ketidakhadiran)
    tap = tuple(tap)
    hari = calendar.monthrange(tahun, bulan)[1]
    return [
        status_hari(
            datetime.date(tahun, bulan, d),
            jadwal=jadwal,
            varian=varian,
            shift=shift,
            libur=libur,
            ketidakhadiran=ketidakhadiran,
            tap=tap,
            aturan=aturan,
        )
        for d in range(1, hari + 1)
    ]
