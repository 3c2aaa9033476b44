"""Reads of the kehadiran stage shared by its features: the instansi's calendar as the rules want it and
the status of every pegawai's day over a date range (docs/rules.md §27). Pure reads; the decisions are in
`kinerja.rules.kehadiran`."""

from __future__ import annotations

import calendar
import datetime
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

from django.utils import timezone

from kinerja.common import cache
from kinerja.kehadiran.models import (
    HariLibur,
    JadwalKerja,
    JadwalShift,
    Ketidakhadiran,
    PengaturanKehadiran,
    Rekaman,
    StatusPengajuan,
    VarianJadwal,
)
from kinerja.organisasi.models import Penempatan, UnitKerja
from kinerja.rules import kehadiran as aturan_hadir
from kinerja.rules.jenis_hari import JenisHari, StatusHari
from kinerja.rules.types import JenisPenempatan

#: Pegawai read together when computing many (bounded memory: taps of a month for this many pegawai).
POTONGAN = 2000


def jadwal_dari_json(hari: Mapping[str, Any], nama: str = "") -> aturan_hadir.JadwalKerja:
    """A stored ``{"0": {"masuk": "07:30", "pulang": "16:00", "istirahat": 60}, …}`` as the rules'
    schedule."""
    return aturan_hadir.JadwalKerja(
        {
            int(k): aturan_hadir.JamKerja(
                datetime.time.fromisoformat(v["masuk"]),
                datetime.time.fromisoformat(v["pulang"]),
                int(v.get("istirahat", 0)),
            )
            for k, v in hari.items()
        },
        nama,
    )


def jadwal_ke_json(jadwal: aturan_hadir.JadwalKerja) -> dict[str, dict[str, Any]]:
    return {
        str(k): {
            "masuk": j.masuk.strftime("%H:%M"),
            "pulang": j.pulang.strftime("%H:%M"),
            "istirahat": j.istirahat_menit,
        }
        for k, j in sorted(jadwal.hari.items())
    }


def aturan_kehadiran(instansi_id: int) -> aturan_hadir.AturanKehadiran:
    """The instansi's reading of taps (`PengaturanKehadiran.aturan`), the defaults where unset."""
    simpan = (
        PengaturanKehadiran.objects.filter(instansi_id=instansi_id).values_list("aturan", flat=True).first()
    )
    if not simpan:
        return aturan_hadir.ATURAN_BAKU
    dikenal = {f.name for f in fields(aturan_hadir.AturanKehadiran)}
    nilai = {k: v for k, v in simpan.items() if k in dikenal}
    if "cara_baca" in nilai:
        nilai["cara_baca"] = aturan_hadir.CaraBacaTap(nilai["cara_baca"])
    return aturan_hadir.AturanKehadiran(**nilai)


@dataclass
class KalenderInstansi:
    """An instansi's calendar over a date range, read once for many pegawai."""

    instansi_id: int
    mulai: datetime.date
    selesai: datetime.date
    #: unit id → its parent's id (None at the top)
    induk: dict[int, int | None]
    #: unit id (None: the instansi's own) → weekly schedule
    jadwal: dict[int | None, aturan_hadir.JadwalKerja]
    #: (unit id or None, variant) pairs covering part of the range
    varian: list[tuple[int | None, aturan_hadir.VarianJadwal]]
    libur: dict[datetime.date, aturan_hadir.HariLibur]
    aturan: aturan_hadir.AturanKehadiran

    def rantai(self, unit_id: int | None) -> list[int | None]:
        """The unit and the units above it, nearest first, ending with None (the instansi)."""
        hasil: list[int | None] = []
        seen: set[int] = set()
        while unit_id is not None and unit_id not in seen:
            seen.add(unit_id)
            hasil.append(unit_id)
            unit_id = self.induk.get(unit_id)
        hasil.append(None)
        return hasil

    def jadwal_unit(self, unit_id: int | None) -> aturan_hadir.JadwalKerja | None:
        for u in self.rantai(unit_id):
            if u in self.jadwal:
                return self.jadwal[u]
        return None

    def varian_unit(self, unit_id: int | None) -> tuple[aturan_hadir.VarianJadwal, ...]:
        rantai = set(self.rantai(unit_id))
        return tuple(v for u, v in self.varian if u in rantai)


def kalender(instansi_id: int, mulai: datetime.date, selesai: datetime.date) -> KalenderInstansi:
    """The calendar the rules need (4–5 queries whatever the number of pegawai). An instansi without a
    schedule of its own works by Perpres 21/2023 (docs/rules.md §27)."""
    induk = dict(UnitKerja.objects.filter(instansi_id=instansi_id).values_list("pk", "parent_id"))
    jadwal: dict[int | None, aturan_hadir.JadwalKerja] = {
        unit_id: jadwal_dari_json(hari, nama)
        for unit_id, hari, nama in JadwalKerja.objects.filter(instansi_id=instansi_id).values_list(
            "unit_id", "hari", "nama"
        )
    }
    jadwal.setdefault(None, aturan_hadir.jadwal_perpres_21_2023())
    varian = [
        (unit_id, aturan_hadir.VarianJadwal(nama, m, s, jadwal_dari_json(hari, nama)))
        for unit_id, nama, m, s, hari in VarianJadwal.objects.filter(
            instansi_id=instansi_id, mulai__lte=selesai, selesai__gte=mulai
        ).values_list("unit_id", "nama", "mulai", "selesai", "hari")
    ]
    libur = {
        t: aturan_hadir.HariLibur(t, nama, JenisHari(jenis))
        for t, nama, jenis in HariLibur.objects.filter(
            instansi_id=instansi_id, tanggal__range=(mulai, selesai)
        ).values_list("tanggal", "nama", "jenis")
    }
    return KalenderInstansi(
        instansi_id, mulai, selesai, induk, jadwal, varian, libur, aturan_kehadiran(instansi_id)
    )


def lingkup_kalender(instansi_id: int) -> list[str]:
    """The cache scopes of what `kalender` reads: its own (schedules, variants, holidays, settings; dropped
    by `kinerja.kehadiran.receivers`) and the instansi's (units, dropped by every organisasi write)."""
    return [cache.scope("kalender-kehadiran", instansi_id), cache.instansi(instansi_id)]


def kalender_tersimpan(instansi_id: int, mulai: datetime.date, selesai: datetime.date) -> KalenderInstansi:
    """`kalender` through the project's cache: the per-instansi pieces are the same for every pegawai, and
    a page that shows one pegawai (or one team) should not read them each time."""
    return cache.cached(
        f"kalender-kehadiran:{mulai}:{selesai}",
        lingkup_kalender(instansi_id),
        lambda: kalender(instansi_id, mulai, selesai),
    )


def unit_pegawai(pegawai_ids: Iterable[int], tanggal: datetime.date) -> dict[int, int]:
    """Each pegawai's unit on ``tanggal``: the unit of their definitif jabatan (absent when none)."""
    return dict(
        Penempatan.objects.aktif_pada(tanggal)
        .filter(pegawai_id__in=list(pegawai_ids), jenis=JenisPenempatan.DEFINITIF.value)
        .order_by("mulai")
        .values_list("pegawai_id", "jabatan__unit_id")
    )


def _potong(ids: Sequence[int], n: int) -> Iterable[Sequence[int]]:
    for i in range(0, len(ids), n):
        yield ids[i : i + n]


def hari_pegawai(
    kal: KalenderInstansi,
    pegawai_ids: Sequence[int],
    mulai: datetime.date | None = None,
    selesai: datetime.date | None = None,
    *,
    unit: Mapping[int, int] | None = None,
    tap_terbaca: dict[int, list[datetime.datetime]] | None = None,
) -> dict[int, list[StatusHari]]:
    """The status of every date from ``mulai`` to ``selesai`` (the calendar's range by default) for each
    pegawai, in date order. Reads taps, approved absences and shifts ``POTONGAN`` pegawai at a time
    (4 queries each, plus one for the units when ``unit`` is not given). ``tap_terbaca``: filled with each
    pegawai's taps read (naive local time, sorted), for pages that show them without reading them again.

    Taps are read from the day before to two days after the range so that windows and night shifts at
    its edges see theirs; the day's window itself is decided by the rules."""
    mulai = mulai or kal.mulai
    selesai = selesai or kal.selesai
    hasil: dict[int, list[StatusHari]] = {}
    tanggal = [mulai + datetime.timedelta(days=i) for i in range((selesai - mulai).days + 1)]
    zona = timezone.get_current_timezone()
    # Each day gets only the taps from the day before to three days after it (the sorted list bisected):
    # its window (at most 12 h either side of a day that may end after midnight) lies inside, so the rules
    # see the same taps as with the whole range, without scanning a month of them for every day.
    tengah_malam = [datetime.datetime.combine(t, datetime.time()) for t in tanggal]
    satu, tiga = datetime.timedelta(days=1), datetime.timedelta(days=3)
    batas = [(m - satu, m + tiga) for m in tengah_malam]
    for ids in _potong(list(pegawai_ids), POTONGAN):
        unit_of = unit if unit is not None else unit_pegawai(ids, selesai)
        dari = timezone.make_aware(
            datetime.datetime.combine(mulai - datetime.timedelta(days=1), datetime.time())
        )
        sampai = timezone.make_aware(
            datetime.datetime.combine(selesai + datetime.timedelta(days=2), datetime.time())
        )
        tap: dict[int, list[datetime.datetime]] = defaultdict(list)
        for pid, waktu in (
            Rekaman.objects.filter(pegawai_id__in=ids, waktu__gte=dari, waktu__lt=sampai)
            .order_by()
            .values_list("pegawai_id", "waktu")
            .iterator(chunk_size=20000)
        ):
            # Naive local time as the rules want, the zone looked up once (a month is ~1 million taps).
            tap[pid].append(waktu.astimezone(zona).replace(tzinfo=None) if waktu.tzinfo else waktu)
        absen: dict[int, list[aturan_hadir.Ketidakhadiran]] = defaultdict(list)
        for pid, jenis, m, s, ket in (
            Ketidakhadiran.objects.filter(
                pegawai_id__in=ids, status=StatusPengajuan.DISETUJUI, mulai__lte=selesai, selesai__gte=mulai
            )
            .order_by()
            .values_list("pegawai_id", "jenis", "mulai", "selesai", "keterangan")
        ):
            absen[pid].append(aturan_hadir.Ketidakhadiran(JenisHari(jenis), m, s, ket))
        shift: dict[int, dict[datetime.date, aturan_hadir.JamKerja]] = defaultdict(dict)
        for pid, t, nama, masuk, pulang, ist in (
            JadwalShift.objects.filter(pegawai_id__in=ids, tanggal__range=(mulai, selesai))
            .order_by()
            .values_list(
                "pegawai_id",
                "tanggal",
                "shift__nama",
                "shift__masuk",
                "shift__pulang",
                "shift__istirahat_menit",
            )
        ):
            shift[pid][t] = aturan_hadir.JamKerja(masuk, pulang, ist, nama)
        for pid in ids:
            u = unit_of.get(pid)
            jadwal = kal.jadwal_unit(u)
            varian = kal.varian_unit(u)
            tap_p = sorted(tap.get(pid, []))
            if tap_terbaca is not None:
                tap_terbaca[pid] = tap_p
            absen_p = absen.get(pid, [])
            shift_p = shift.get(pid)
            hasil[pid] = [
                aturan_hadir.status_hari(
                    t,
                    jadwal=jadwal,
                    varian=varian,
                    shift=shift_p,
                    libur=kal.libur,
                    ketidakhadiran=absen_p,
                    tap=tap_p[bisect_left(tap_p, dari_t) : bisect_left(tap_p, sampai_t)] if tap_p else (),
                    aturan=kal.aturan,
                )
                for t, (dari_t, sampai_t) in zip(tanggal, batas, strict=True)
            ]
    return hasil


def status_bulan_pegawai(instansi_id: int, pegawai_id: int, tahun: int, bulan: int) -> list[StatusHari]:
    """One pegawai's month (the "Kehadiran saya" calendar). Days after today come out as TK: callers show
    them as not yet passed."""
    mulai = datetime.date(tahun, bulan, 1)
    selesai = datetime.date(tahun, bulan, calendar.monthrange(tahun, bulan)[1])
    kal = kalender(instansi_id, mulai, selesai)
    return hari_pegawai(kal, [pegawai_id])[pegawai_id]
