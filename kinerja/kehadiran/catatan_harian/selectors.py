"""Reads of the catatan kegiatan day by day (docs/rules.md §34): a pegawai's day with the week's totals,
and the atasan's board of bawahan who have not logged. Working days are the instansi's calendar: Monday to
Friday minus its holidays (libur nasional, cuti bersama); a day of an approved absence (cuti, dinas luar,
izin, sakit, tugas belajar) is not a day the pegawai is expected to log.

Flat: a fixed number of queries whatever the number of catatan or bawahan.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q
from django.utils import timezone

from kinerja.kehadiran.harian.selectors import bawahan_tim
from kinerja.kehadiran.models import HariLibur, Ketidakhadiran, StatusPengajuan
from kinerja.organisasi.models import Pegawai
from kinerja.pelaksanaan.catatan.selectors import NAMA_HARI, durasi_menit
from kinerja.pelaksanaan.models import CatatanKegiatan
from kinerja.rules.catatan import format_durasi, hari_kerja
from kinerja.rules.jadwal import NAMA_BULAN


def tanggal_dari(teks: str | None, hari_ini: datetime.date | None = None) -> datetime.date:
    """``?tanggal=YYYY-MM-DD``; today when absent, unreadable or in the future."""
    hari_ini = hari_ini or timezone.localdate()
    try:
        t = datetime.date.fromisoformat((teks or "").strip())
    except ValueError:
        return hari_ini
    return min(t, hari_ini)


def tanggal_tampil(t: datetime.date) -> str:
    return f"{NAMA_HARI[t.weekday()]}, {t.day} {NAMA_BULAN[t.month - 1]} {t.year}"


def libur_instansi(instansi_id: int, dari: datetime.date, sampai: datetime.date) -> set[datetime.date]:
    """The instansi's holidays between the dates (one query)."""
    return set(
        HariLibur.objects.filter(instansi_id=instansi_id, tanggal__range=(dari, sampai)).values_list(
            "tanggal", flat=True
        )
    )


def hari_absen(
    pegawai_ids: Iterable[int], dari: datetime.date, sampai: datetime.date
) -> dict[int, set[datetime.date]]:
    """The days of approved absences per pegawai between the dates (one query)."""
    hasil: dict[int, set[datetime.date]] = defaultdict(set)
    for pid, mulai, selesai in Ketidakhadiran.objects.filter(
        pegawai_id__in=list(pegawai_ids),
        status=StatusPengajuan.DISETUJUI,
        mulai__lte=sampai,
        selesai__gte=dari,
    ).values_list("pegawai_id", "mulai", "selesai"):
        t = max(mulai, dari)
        while t <= min(selesai, sampai):
            hasil[pid].add(t)
            t += datetime.timedelta(days=1)
    return hasil


# --- the pegawai's day -----------------------------------------------------------------------------------


@dataclass
class HariRingkas:
    """One day of the week strip."""

    tanggal: datetime.date
    menit: int = 0
    jumlah: int = 0
    kerja: bool = True
    dipilih: bool = False
    nanti: bool = False

    @property
    def singkat(self) -> str:
        return NAMA_HARI[self.tanggal.weekday()][:3]

    @property
    def durasi(self) -> str:
        return format_durasi(self.menit)


@dataclass
class Harian:
    tanggal: datetime.date
    catatan: list[CatatanKegiatan]
    minggu: list[HariRingkas]
    hari_ini: datetime.date
    libur: bool = False
    absen: bool = False

    @property
    def judul(self) -> str:
        return tanggal_tampil(self.tanggal)

    @property
    def menit(self) -> int:
        return sum(durasi_menit(c) for c in self.catatan)

    @property
    def total(self) -> str:
        return format_durasi(self.menit) or "0 menit"

    @property
    def total_minggu(self) -> str:
        return format_durasi(sum(h.menit for h in self.minggu)) or "0 menit"

    @property
    def sebelumnya(self) -> datetime.date:
        return self.tanggal - datetime.timedelta(days=1)

    @property
    def berikutnya(self) -> datetime.date | None:
        besok = self.tanggal + datetime.timedelta(days=1)
        return besok if besok <= self.hari_ini else None

    @property
    def kode_minggu(self) -> str:
        tahun, minggu, _ = self.tanggal.isocalendar()
        return f"{tahun}-W{minggu:02d}"


def harian(pegawai: Pegawai, tanggal: datetime.date, hari_ini: datetime.date | None = None) -> Harian:
    """The pegawai's catatan of ``tanggal`` and the totals of its week, Monday to Sunday (3 queries)."""
    hari_ini = hari_ini or timezone.localdate()
    senin = tanggal - datetime.timedelta(days=tanggal.weekday())
    minggu_akhir = senin + datetime.timedelta(days=6)
    libur = libur_instansi(pegawai.instansi_id, senin, minggu_akhir)
    absen = hari_absen([pegawai.pk], senin, minggu_akhir).get(pegawai.pk, set())
    strip = [
        HariRingkas(
            t,
            kerja=hari_kerja(t, libur) and t not in absen,
            dipilih=t == tanggal,
            nanti=t > hari_ini,
        )
        for t in (senin + datetime.timedelta(days=i) for i in range(7))
    ]
    hari: list[CatatanKegiatan] = []
    for c in (
        CatatanKegiatan.objects.filter(pegawai=pegawai, tanggal__range=(senin, minggu_akhir))
        .select_related("rencana_aksi", "indikator")
        .order_by("tanggal", "jam_mulai", "pk")
    ):
        h = strip[(c.tanggal - senin).days]
        h.menit += durasi_menit(c)
        h.jumlah += 1
        if c.tanggal == tanggal:
            c.durasi = format_durasi(durasi_menit(c))  # type: ignore[attr-defined]
            hari.append(c)
    # A weekend day shows only when something was logged on it.
    strip = [h for h in strip if h.tanggal.weekday() < 5 or h.jumlah or h.dipilih]
    return Harian(tanggal, hari, strip, hari_ini, libur=tanggal in libur, absen=tanggal in absen)


# --- the atasan's board ----------------------------------------------------------------------------------


@dataclass
class BarisBelum:
    pegawai: Pegawai
    hari_ini: bool  # logged today
    hari_ini_wajib: bool  # today is a working day for them (not a holiday, not on leave)
    kosong: list[datetime.date] = field(default_factory=list)  # working days this week without catatan
    terakhir: datetime.date | None = None

    @property
    def belum_hari_ini(self) -> bool:
        return self.hari_ini_wajib and not self.hari_ini

    @property
    def kosong_tampil(self) -> str:
        return ", ".join(NAMA_HARI[t.weekday()] for t in self.kosong)

    @property
    def terakhir_tampil(self) -> str:
        if self.terakhir is None:
            return "belum pernah"
        return f"{self.terakhir.day} {NAMA_BULAN[self.terakhir.month - 1]} {self.terakhir.year}"


@dataclass
class PapanBelum:
    hari_ini: datetime.date
    hari_kerja: list[datetime.date]  # Monday .. today, working days of the instansi
    baris: list[BarisBelum]
    jumlah_bawahan: int

    @property
    def belum_hari_ini(self) -> list[BarisBelum]:
        return [b for b in self.baris if b.belum_hari_ini]

    @property
    def kosong_minggu_ini(self) -> list[BarisBelum]:
        return [b for b in self.baris if b.kosong]

    @property
    def judul_hari_ini(self) -> str:
        return tanggal_tampil(self.hari_ini)


def belum_mencatat(
    atasan: Pegawai, *, semua: bool = False, hari_ini: datetime.date | None = None
) -> PapanBelum:
    """Who of the atasan's bawahan (direct, or everyone below with ``semua``) has not logged today, and how
    many working days of this week (Monday to today) each left without a catatan, with their latest
    catatan's date. The bawahan read, then one holiday query, one absence query and one aggregate query
    over the catatan, whatever the number of bawahan."""
    hari_ini = hari_ini or timezone.localdate()
    tim, _ = bawahan_tim(atasan, semua=semua, hari_ini=hari_ini)
    senin = hari_ini - datetime.timedelta(days=hari_ini.weekday())
    libur = libur_instansi(atasan.instansi_id, senin, hari_ini)
    kerja = [
        t
        for t in (senin + datetime.timedelta(days=i) for i in range(hari_ini.weekday() + 1))
        if hari_kerja(t, libur)
    ]
    ids = [p.pk for p in tim]
    if not ids:
        return PapanBelum(hari_ini, kerja, [], 0)
    absen = hari_absen(ids, senin, hari_ini)
    per_hari = {f"h{i}": Count("pk", filter=Q(tanggal=t)) for i, t in enumerate(kerja)}
    agregat = {
        r["pegawai_id"]: r
        for r in CatatanKegiatan.objects.filter(pegawai_id__in=ids)
        .order_by()
        .values("pegawai_id")
        .annotate(terakhir=Max("tanggal"), hari_ini=Count("pk", filter=Q(tanggal=hari_ini)), **per_hari)
    }
    baris = []
    for p in tim:
        r = agregat.get(p.pk, {})
        cuti = absen.get(p.pk, set())
        baris.append(
            BarisBelum(
                p,
                hari_ini=bool(r.get("hari_ini")),
                hari_ini_wajib=hari_ini in kerja and hari_ini not in cuti,
                kosong=[t for i, t in enumerate(kerja) if t not in cuti and not r.get(f"h{i}")],
                terakhir=r.get("terakhir"),
            )
        )
    # Who needs a word first: most empty days, then the longest silence.
    baris.sort(key=lambda b: (-len(b.kosong), b.terakhir or datetime.date.min, b.pegawai.nama))
    return PapanBelum(hari_ini, kerja, baris, len(tim))
