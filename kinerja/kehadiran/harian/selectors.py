"""Reads of the pegawai's days (docs/rules.md §27): one month as a calendar with its taps and requests, the
summary of a date range, the atasan's board of today, the admin's monthly recap per unit. Every read is a
fixed number of queries whatever the number of pegawai or days (`kinerja.kehadiran.selectors.hari_pegawai`
reads the days of many pegawai at once)."""

from __future__ import annotations

import calendar
import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone

from kinerja.kehadiran import selectors as hadir
from kinerja.kehadiran.models import Ketidakhadiran, KoreksiKehadiran, StatusPengajuan
from kinerja.organisasi.models import Pegawai, Periode
from kinerja.organisasi.selectors import bawahan_langsung, bawahan_semua_qs
from kinerja.rules.jenis_hari import KETIDAKHADIRAN, JenisHari, StatusHari

#: Absence kinds in the order of `JenisHari` (summary columns).
JENIS_ABSEN: tuple[JenisHari, ...] = tuple(j for j in JenisHari if j in KETIDAKHADIRAN)


@dataclass
class Ringkasan:
    """A date range of one pegawai, counted over the days already passed."""

    hari_kerja: int = 0
    hadir: int = 0
    tl_kali: int = 0
    tl_menit: int = 0
    psw_kali: int = 0
    psw_menit: int = 0
    tanpa_rekaman: int = 0
    tk: int = 0
    absen: Counter[JenisHari] = field(default_factory=Counter)

    @property
    def absen_baris(self) -> list[tuple[str, int]]:
        return [(j.label, self.absen[j]) for j in JENIS_ABSEN if self.absen[j]]

    @property
    def absen_semua(self) -> list[int]:
        return [self.absen[j] for j in JENIS_ABSEN]

    def tambah(self, lain: Ringkasan) -> None:
        for nama in (
            "hari_kerja",
            "hadir",
            "tl_kali",
            "tl_menit",
            "psw_kali",
            "psw_menit",
            "tanpa_rekaman",
            "tk",
        ):
            setattr(self, nama, getattr(self, nama) + getattr(lain, nama))
        self.absen.update(lain.absen)


def ringkas(hari: Iterable[StatusHari], hari_ini: datetime.date) -> Ringkasan:
    """Count the days up to ``hari_ini`` (later days have not happened: never TK)."""
    r = Ringkasan()
    for h in hari:
        if h.tanggal > hari_ini or not h.hari_kerja:
            continue
        r.hari_kerja += 1
        if h.jenis is JenisHari.HADIR:
            r.hadir += 1
            if h.menit_tl:
                r.tl_kali += 1
                r.tl_menit += h.menit_tl
            if h.menit_psw:
                r.psw_kali += 1
                r.psw_menit += h.menit_psw
            if h.tanpa_masuk or h.tanpa_pulang:
                r.tanpa_rekaman += 1
        elif h.jenis is JenisHari.TK:
            r.tk += 1
        elif h.jenis in KETIDAKHADIRAN:
            r.absen[h.jenis] += 1
    return r


@dataclass(frozen=True)
class Hari:
    """One cell of the calendar: the day's status as shown, its taps, whether it is still to come."""

    tanggal: datetime.date
    status: StatusHari | None
    tap: list[datetime.datetime]
    nanti: bool
    di_bulan: bool

    @property
    def label(self) -> str:
        if not self.di_bulan or self.status is None:
            return ""
        s = self.status
        if s.jenis is JenisHari.BUKAN_HARI_KERJA:
            return "Libur"
        if self.nanti and s.jenis in (JenisHari.TK, JenisHari.HADIR):
            return "Belum berlangsung"
        if s.jenis is JenisHari.HADIR:
            if s.tanpa_masuk:
                return "Tanpa rekaman masuk"
            if s.tanpa_pulang:
                return "Tanpa rekaman pulang"
            if s.menit_tl and s.menit_psw:
                return f"Terlambat {s.menit_tl} menit, pulang cepat {s.menit_psw} menit"
            if s.menit_tl:
                return f"Terlambat {s.menit_tl} menit"
            if s.menit_psw:
                return f"Pulang cepat {s.menit_psw} menit"
            return "Hadir"
        if s.jenis is JenisHari.TK:
            return "TK (tanpa keterangan)"
        return s.jenis.label

    @property
    def warna(self) -> str:
        """A Bootstrap colour name of the day's kind."""
        if not self.di_bulan or self.status is None:
            return "light"
        s = self.status
        if s.jenis in (JenisHari.BUKAN_HARI_KERJA, JenisHari.LIBUR, JenisHari.CUTI_BERSAMA):
            return "secondary"
        if self.nanti and s.jenis in (JenisHari.TK, JenisHari.HADIR):
            return "light"
        if s.jenis is JenisHari.TK:
            return "danger"
        if s.jenis is JenisHari.HADIR:
            return "warning" if (s.menit_tl or s.menit_psw or s.tanpa_masuk or s.tanpa_pulang) else "success"
        return "info"

    @property
    def boleh_koreksi(self) -> bool:
        s = self.status
        return bool(
            self.di_bulan
            and not self.nanti
            and s is not None
            and s.hari_kerja
            and (
                s.jenis is JenisHari.TK
                or (
                    s.jenis is JenisHari.HADIR
                    and (s.tanpa_masuk or s.tanpa_pulang or s.menit_tl or s.menit_psw)
                )
            )
        )


@dataclass
class Bulan:
    pegawai: Pegawai
    mulai: datetime.date
    selesai: datetime.date
    minggu: list[list[Hari]]
    hari: list[Hari]
    ringkasan: Ringkasan

    @property
    def sebelumnya(self) -> str:
        return (self.mulai - datetime.timedelta(days=1)).strftime("%Y-%m")

    @property
    def berikutnya(self) -> str:
        return (self.selesai + datetime.timedelta(days=1)).strftime("%Y-%m")


def _per_hari(
    tap: dict[int, list[datetime.datetime]], mulai: datetime.date, selesai: datetime.date
) -> dict[int, dict[datetime.date, list[datetime.datetime]]]:
    """The taps `hari_pegawai` read, by calendar date, within the range shown."""
    hasil: dict[int, dict[datetime.date, list[datetime.datetime]]] = defaultdict(lambda: defaultdict(list))
    for pid, daftar in tap.items():
        for waktu in daftar:
            if mulai <= waktu.date() <= selesai:
                hasil[pid][waktu.date()].append(waktu)
    return hasil


def bulan_pegawai(pegawai: Pegawai, tahun: int, bulan: int, hari_ini: datetime.date | None = None) -> Bulan:
    """One pegawai's month for "Kehadiran saya" (about 10 queries)."""
    hari_ini = hari_ini or timezone.localdate()
    mulai = datetime.date(tahun, bulan, 1)
    selesai = datetime.date(tahun, bulan, calendar.monthrange(tahun, bulan)[1])
    kal = hadir.kalender_tersimpan(pegawai.instansi_id, mulai, selesai)
    unit = {pegawai.pk: unit_id} if (unit_id := getattr(pegawai, "unit_id", None)) is not None else None
    terbaca: dict[int, list[datetime.datetime]] = {}
    hari = hadir.hari_pegawai(kal, [pegawai.pk], unit=unit, tap_terbaca=terbaca)[pegawai.pk]
    status = {s.tanggal: s for s in hari}
    tap = _per_hari(terbaca, mulai, selesai).get(pegawai.pk, {})
    minggu = [
        [
            Hari(t, status.get(t), tap.get(t, []) if t.month == bulan else [], t > hari_ini, t.month == bulan)
            for t in pekan
        ]
        for pekan in calendar.Calendar(firstweekday=0).monthdatescalendar(tahun, bulan)
    ]
    hari = [h for pekan in minggu for h in pekan if h.di_bulan]
    return Bulan(pegawai, mulai, selesai, minggu, hari, ringkas(status.values(), hari_ini))


def pengajuan_bulan(
    pegawai_id: int, mulai: datetime.date, selesai: datetime.date
) -> tuple[list[Ketidakhadiran], list[KoreksiKehadiran]]:
    """The pegawai's absence and correction requests touching the month (withdrawn ones left out)."""
    absen = list(
        Ketidakhadiran.objects.filter(pegawai_id=pegawai_id, mulai__lte=selesai, selesai__gte=mulai)
        .exclude(status=StatusPengajuan.DIBATALKAN)
        .order_by("mulai", "pk")
    )
    koreksi = list(
        KoreksiKehadiran.objects.filter(pegawai_id=pegawai_id, tanggal__range=(mulai, selesai))
        .exclude(status=StatusPengajuan.DIBATALKAN)
        .order_by("tanggal", "pk")
    )
    return absen, koreksi


def pegawai_dengan_unit(pegawai_id: int, tanggal: datetime.date) -> Pegawai | None:
    """The pegawai with ``unit_id``, the unit of their definitif jabatan on ``tanggal`` (one query)."""
    from django.db.models import OuterRef, Subquery

    from kinerja.organisasi.models import Penempatan
    from kinerja.rules.types import JenisPenempatan

    unit = (
        Penempatan.objects.aktif_pada(tanggal)
        .filter(pegawai_id=OuterRef("pk"), jenis=JenisPenempatan.DEFINITIF.value)
        .order_by("-mulai")
        .values("jabatan__unit_id")[:1]
    )
    return Pegawai.objects.annotate(unit_id=Subquery(unit)).filter(pk=pegawai_id).first()


def ringkasan_pegawai(
    pegawai: Pegawai, mulai: datetime.date, selesai: datetime.date, hari_ini: datetime.date | None = None
) -> Ringkasan:
    """The summary of a date range (the rating page's block)."""
    hari_ini = hari_ini or timezone.localdate()
    kal = hadir.kalender_tersimpan(pegawai.instansi_id, mulai, selesai)
    return ringkas(hadir.hari_pegawai(kal, [pegawai.pk])[pegawai.pk], hari_ini)


# --- the atasan's board ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class BarisTim:
    pegawai: Pegawai
    status: StatusHari | None
    masuk: datetime.datetime | None

    @property
    def keadaan(self) -> str:
        s = self.status
        if s is None:
            return "-"
        if s.jenis in KETIDAKHADIRAN:
            return s.jenis.label
        if not s.hari_kerja:
            return s.jenis.label
        if self.masuk is not None:
            return "Sudah merekam"
        return "Belum merekam"


def bawahan_tim(
    pegawai: Pegawai, *, semua: bool, hari_ini: datetime.date
) -> tuple[list[Pegawai], dict[int, int] | None]:
    """The atasan's direct bawahan (their penilai is this pegawai), or everyone below (``semua``), and
    their units when the org read already gave them (None: `hari_pegawai` reads them)."""
    if semua:
        return list(bawahan_semua_qs(pegawai, hari_ini).order_by("nama")), None
    langsung = bawahan_langsung(pegawai, hari_ini)
    tim = sorted({m.pegawai.pk: m.pegawai for m in langsung}.values(), key=lambda p: p.nama)
    return tim, {m.pegawai.pk: m.jabatan.unit_id for m in langsung}


def papan_tim(
    pegawai: Pegawai, *, semua: bool = False, hari_ini: datetime.date | None = None
) -> tuple[list[BarisTim], list[Ketidakhadiran], list[KoreksiKehadiran]]:
    """Today for each bawahan (absence, first tap, late minutes) and the requests waiting for a decision."""
    hari_ini = hari_ini or timezone.localdate()
    tim, unit = bawahan_tim(pegawai, semua=semua, hari_ini=hari_ini)
    ids = [p.pk for p in tim]
    baris: list[BarisTim] = []
    if ids:
        kal = hadir.kalender_tersimpan(pegawai.instansi_id, hari_ini, hari_ini)
        terbaca: dict[int, list[datetime.datetime]] = {}
        status = hadir.hari_pegawai(kal, ids, unit=unit, tap_terbaca=terbaca)
        tap = _per_hari(terbaca, hari_ini, hari_ini)
        for p in tim:
            taps = tap.get(p.pk, {}).get(hari_ini, [])
            baris.append(BarisTim(p, status[p.pk][0], taps[0] if taps else None))
    absen = list(
        Ketidakhadiran.objects.filter(pegawai_id__in=ids, status=StatusPengajuan.DIAJUKAN)
        .select_related("pegawai")
        .order_by("mulai", "pk")
    )
    koreksi = list(
        KoreksiKehadiran.objects.filter(pegawai_id__in=ids, status=StatusPengajuan.DIAJUKAN)
        .select_related("pegawai")
        .order_by("tanggal", "pk")
    )
    return baris, absen, koreksi


# --- the admin's monthly recap --------------------------------------------------------------------------


def pegawai_unit(
    instansi_id: int, unit_id: int | None, *, sub_unit: bool, tanggal: datetime.date
) -> QuerySet[Pegawai]:
    """Pegawai with a definitif jabatan in the unit (and below it, ``sub_unit``) on ``tanggal``."""
    from kinerja.organisasi.models import Penempatan, UnitKerja
    from kinerja.rules.types import JenisPenempatan

    aktif = Penempatan.objects.aktif_pada(tanggal).filter(jenis=JenisPenempatan.DEFINITIF.value)
    if unit_id is not None:
        unit = UnitKerja.objects.filter(pk=unit_id, instansi_id=instansi_id).first()
        if unit is None:
            return Pegawai.objects.none()
        if sub_unit:
            aktif = aktif.filter(Q(jabatan__unit_id=unit.pk) | Q(jabatan__unit__path__startswith=unit.path))
        else:
            aktif = aktif.filter(jabatan__unit_id=unit.pk)
    return Pegawai.objects.filter(instansi_id=instansi_id, pk__in=aktif.values("pegawai_id")).order_by(
        "nama", "pk"
    )


def rekap(
    instansi_id: int,
    pegawai: Sequence[Pegawai],
    mulai: datetime.date,
    selesai: datetime.date,
    hari_ini: datetime.date,
) -> list[tuple[Pegawai, Ringkasan]]:
    """Each pegawai's summary of the range (one read of the calendar, 4–5 queries for all days)."""
    if not pegawai:
        return []
    kal = hadir.kalender_tersimpan(instansi_id, mulai, selesai)
    hari = hadir.hari_pegawai(kal, [p.pk for p in pegawai])
    return [(p, ringkas(hari[p.pk], hari_ini)) for p in pegawai]


def bulan_batas(tahun: int, bulan: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(tahun, bulan, 1), datetime.date(tahun, bulan, calendar.monthrange(tahun, bulan)[1])


def tahun_periode(periode_id: str, instansi_id: int) -> int | None:
    """The year of a periode of the instansi given as a query value (None: empty, unknown or foreign)."""
    if not periode_id.isdigit():
        return None
    return (
        Periode.objects.filter(pk=int(periode_id), instansi_id=instansi_id)
        .values_list("tahun", flat=True)
        .first()
    )
