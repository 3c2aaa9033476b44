"""Reads of catatan kegiatan: the week view, the choices of the entry form, the suggested realisasi."""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from kinerja.organisasi.models import PeriodePenilaian
from kinerja.pelaksanaan.models import CatatanKegiatan, RencanaAksi
from kinerja.pelaksanaan.selectors import angka_tampil
from kinerja.perencanaan.models import Indikator, Rhk, Skp
from kinerja.rules import Konsolidasi
from kinerja.rules.alur import Status
from kinerja.rules.jadwal import NAMA_BULAN
from kinerja.rules.types import JenisRhk

NAMA_HARI = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
_MINGGU = re.compile(r"(\d{4})-W(\d{1,2})")


def senin_dari(minggu: str | None, hari_ini: datetime.date | None = None) -> datetime.date:
    """Monday of the ISO week ``YYYY-Www`` (``?minggu=2026-W48``); this week when absent or invalid."""
    if minggu and (m := _MINGGU.fullmatch(minggu.strip())):
        try:
            return datetime.date.fromisocalendar(int(m[1]), int(m[2]), 1)
        except ValueError:
            pass
    hari_ini = hari_ini or timezone.localdate()
    return hari_ini - datetime.timedelta(days=hari_ini.weekday())


def kode_minggu(senin: datetime.date) -> str:
    tahun, minggu, _ = senin.isocalendar()
    return f"{tahun}-W{minggu:02d}"


def judul_minggu(senin: datetime.date) -> str:
    """``23 – 29 November 2026`` / ``30 November – 6 Desember 2026``."""
    minggu = senin + datetime.timedelta(days=6)
    akhir = f"{minggu.day} {NAMA_BULAN[minggu.month - 1]} {minggu.year}"
    if senin.month == minggu.month:
        return f"{senin.day} – {akhir}"
    if senin.year == minggu.year:
        return f"{senin.day} {NAMA_BULAN[senin.month - 1]} – {akhir}"
    return f"{senin.day} {NAMA_BULAN[senin.month - 1]} {senin.year} – {akhir}"


def durasi_menit(c: CatatanKegiatan) -> int:
    """The stored time spent; for rows saved before it was stored, from the hours (docs/rules.md §34)."""
    if c.durasi_menit is not None:
        return c.durasi_menit
    if c.jam_mulai is None or c.jam_selesai is None:
        return 0
    return (c.jam_selesai.hour * 60 + c.jam_selesai.minute) - (c.jam_mulai.hour * 60 + c.jam_mulai.minute)


def durasi_tampil(menit: int) -> str:
    if menit <= 0:
        return ""
    jam, sisa = divmod(menit, 60)
    if jam and sisa:
        return f"{jam} j {sisa} m"
    return f"{jam} jam" if jam else f"{sisa} menit"


def _output_tampil(per_satuan: dict[str, Decimal]) -> list[str]:
    return [f"{angka_tampil(v)} {s}".strip() for s, v in sorted(per_satuan.items()) if v]


@dataclass
class Hari:
    tanggal: datetime.date
    catatan: list[CatatanKegiatan] = field(default_factory=list)
    menit: int = 0
    output: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))

    @property
    def nama(self) -> str:
        return f"{NAMA_HARI[self.tanggal.weekday()]}, {self.tanggal.day} {NAMA_BULAN[self.tanggal.month - 1]}"

    @property
    def durasi(self) -> str:
        return durasi_tampil(self.menit)

    @property
    def output_tampil(self) -> list[str]:
        return _output_tampil(self.output)

    @property
    def hari_ini(self) -> bool:
        return self.tanggal == timezone.localdate()

    @property
    def nanti(self) -> bool:
        return self.tanggal > timezone.localdate()

    @property
    def akhir_pekan(self) -> bool:
        return self.tanggal.weekday() >= 5


@dataclass
class Minggu:
    senin: datetime.date
    hari: list[Hari]

    @property
    def kode(self) -> str:
        return kode_minggu(self.senin)

    @property
    def judul(self) -> str:
        return judul_minggu(self.senin)

    @property
    def sebelumnya(self) -> str:
        return kode_minggu(self.senin - datetime.timedelta(days=7))

    @property
    def berikutnya(self) -> str | None:
        senin = self.senin + datetime.timedelta(days=7)
        return kode_minggu(senin) if senin <= timezone.localdate() else None

    @property
    def jumlah(self) -> int:
        return sum(len(h.catatan) for h in self.hari)

    @property
    def durasi(self) -> str:
        return durasi_tampil(sum(h.menit for h in self.hari))

    @property
    def output_tampil(self) -> list[str]:
        total: dict[str, Decimal] = defaultdict(Decimal)
        for h in self.hari:
            for s, v in h.output.items():
                total[s] += v
        return _output_tampil(total)


def minggu(pegawai_id: int, senin: datetime.date, skp: Skp | None = None) -> Minggu:
    """The pegawai's catatan of the week starting ``senin``, per day with totals (one query)."""
    hari = [Hari(senin + datetime.timedelta(days=i)) for i in range(7)]
    qs = CatatanKegiatan.objects.filter(
        pegawai_id=pegawai_id, tanggal__gte=senin, tanggal__lte=senin + datetime.timedelta(days=6)
    ).select_related("rencana_aksi__rhk", "indikator")
    if skp is not None:
        qs = qs.filter(skp=skp)
    for c in qs.order_by("tanggal", "jam_mulai", "pk"):
        h = hari[(c.tanggal - senin).days]
        c.durasi = durasi_tampil(durasi_menit(c))  # type: ignore[attr-defined]
        h.catatan.append(c)
        h.menit += durasi_menit(c)
        if c.jumlah_output is not None:
            h.output[c.satuan_output or (c.indikator.satuan if c.indikator else "")] += c.jumlah_output
    return Minggu(senin, hari)


# --- the entry form's choices ------------------------------------------------------------------------


def nomor_rhk(rhk_list: list[Rhk]) -> dict[int, str]:
    """``A.1``, ``A.2``, ``B.1`` … as on the SKP and realisasi pages (utama first, then tambahan)."""
    hitung = {JenisRhk.UTAMA.value: 0, JenisRhk.TAMBAHAN.value: 0}
    nomor = {}
    for r in sorted(rhk_list, key=lambda r: (r.jenis, r.urutan, r.pk)):
        hitung[r.jenis] = hitung.get(r.jenis, 0) + 1
        nomor[r.pk] = f"{'A' if r.jenis == JenisRhk.UTAMA.value else 'B'}.{hitung[r.jenis]}"
    return nomor


def _pendek(teks: str, n: int = 90) -> str:
    teks = " ".join(teks.split())
    return teks if len(teks) <= n else teks[: n - 1].rstrip() + "…"


def pilihan_untuk(
    pegawai_id: int, dari: datetime.date, sampai: datetime.date
) -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped choices "ra:<id>" (rencana aksi of the periods overlapping the dates) and "ind:<id>"
    (indikator) of the pegawai's approved SKP in force between ``dari`` and ``sampai``."""
    skp_list = list(
        Skp.objects.filter(
            pegawai_id=pegawai_id, status=Status.DISETUJUI.value, mulai__lte=sampai, selesai__gte=dari
        ).order_by("mulai")
    )
    if not skp_list:
        return []
    rhk_list = list(
        Rhk.objects.filter(skp__in=skp_list).prefetch_related(
            "indikator",
        )
    )
    nomor = nomor_rhk(rhk_list)
    aksi = (
        RencanaAksi.objects.filter(
            rhk__in=rhk_list, periode_penilaian__mulai__lte=sampai, periode_penilaian__selesai__gte=dari
        )
        .select_related("periode_penilaian")
        .order_by("periode_penilaian__nomor", "rhk__jenis", "rhk__urutan", "rhk__pk", "urutan", "pk")
    )
    grup: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for a in aksi:
        grup[f"Rencana aksi {a.periode_penilaian.nama}"].append(
            (f"ra:{a.pk}", f"{nomor[a.rhk_id]} · {_pendek(a.teks)}")
        )
    hasil = list(grup.items())
    ind = [
        (f"ind:{i.pk}", f"{nomor[r.pk]} · {_pendek(i.teks)}")
        for r in sorted(rhk_list, key=lambda r: nomor[r.pk])
        for i in r.indikator.all()
    ]
    if ind:
        hasil.append(("Langsung ke indikator", ind))
    return hasil


def pilihan_terakhir(pegawai_id: int) -> str:
    """The target of the pegawai's most recent catatan, to preselect it in the quick-add form."""
    c = (
        CatatanKegiatan.objects.filter(pegawai_id=pegawai_id)
        .filter(Q(rencana_aksi__isnull=False) | Q(indikator__isnull=False))
        .order_by("-dibuat_pada", "-pk")
        .values("rencana_aksi_id", "indikator_id")
        .first()
    )
    if c is None:
        return ""
    return f"ra:{c['rencana_aksi_id']}" if c["rencana_aksi_id"] else f"ind:{c['indikator_id']}"


# --- the suggested realisasi ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Saran:
    jumlah: Decimal
    banyak: int  # how many catatan
    satuan: str

    @property
    def tampil(self) -> str:
        return f"{angka_tampil(self.jumlah)} {self.satuan}".strip()

    @property
    def isian(self) -> str:
        """The value as the realisasi input takes it (decimal comma, no thousands dots)."""
        return f"{self.jumlah.normalize():f}".replace(".", ",")


def saran_realisasi(
    skp: Skp, periode: PeriodePenilaian, indikator: Iterable[Indikator] | None = None
) -> dict[int, Saran]:
    """Sum of the output logged per numeric indikator of the SKP within the periode (one query).

    Only indikator whose periods add up (konsolidasi "sum"): an index or a percentage is not the sum of
    the outputs logged for it, so no suggestion is offered there. ``indikator``: the SKP's indikator when
    the caller loaded them (with their target, konsolidasi and satuan): the read then needs no join, and
    none is made when none of them can have a suggestion."""
    if indikator is not None:
        boleh = {
            i.pk: i.satuan
            for i in indikator
            if i.target_angka is not None and i.konsolidasi == Konsolidasi.SUM.value
        }
        if not boleh:
            return {}
        dijumlah = (
            CatatanKegiatan.objects.filter(
                skp=skp,
                indikator_id__in=list(boleh),
                jumlah_output__isnull=False,
                tanggal__gte=periode.mulai,
                tanggal__lte=periode.selesai,
            )
            .order_by()
            .values("indikator_id")
            .annotate(jumlah=Sum("jumlah_output"), banyak=Count("pk"))
            .values_list("indikator_id", "jumlah", "banyak")
        )
        return {i: Saran(jumlah, banyak, boleh[i]) for i, jumlah, banyak in dijumlah}
    baris = (
        CatatanKegiatan.objects.filter(
            skp=skp,
            indikator__isnull=False,
            indikator__target_angka__isnull=False,
            indikator__konsolidasi=Konsolidasi.SUM.value,
            jumlah_output__isnull=False,
            tanggal__gte=periode.mulai,
            tanggal__lte=periode.selesai,
        )
        .values("indikator_id", "indikator__satuan")
        .annotate(jumlah=Sum("jumlah_output"), banyak=Count("pk"))
    )
    return {b["indikator_id"]: Saran(b["jumlah"], b["banyak"], b["indikator__satuan"]) for b in baris}


def catatan_skp(
    skp: Skp,
    dari: datetime.date | None = None,
    sampai: datetime.date | None = None,
    senin: datetime.date | None = None,
) -> QuerySet[CatatanKegiatan]:
    """The catatan kegiatan of an SKP, between `dari` and `sampai` and/or in the week from `senin`, newest
    day first."""
    qs: QuerySet[CatatanKegiatan] = CatatanKegiatan.objects.filter(skp=skp)
    if dari is not None:
        qs = qs.filter(tanggal__gte=dari)
    if sampai is not None:
        qs = qs.filter(tanggal__lte=sampai)
    if senin is not None:
        qs = qs.filter(tanggal__gte=senin, tanggal__lte=senin + datetime.timedelta(days=6))
    return qs.order_by("-tanggal", "jam_mulai", "pk")
