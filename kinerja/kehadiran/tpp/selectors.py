"""Reads of the TPP feature: the pagu table and rule set in force, each pegawai's segments, events and
kinerja of a month, and the month's computation without writing it (docs/rules.md §28)."""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from kinerja.common import cache
from kinerja.kehadiran.models import (
    AturanTppInstansi,
    BulanTpp,
    HukumanDisiplinPegawai,
    PaguTpp,
    PengaturanKehadiran,
    PeristiwaDisiplin,
    TabelPaguTpp,
    TppPegawai,
)
from kinerja.kehadiran.selectors import KalenderInstansi, hari_pegawai, kalender_tersimpan, lingkup_kalender
from kinerja.organisasi.models import Penempatan
from kinerja.pelaksanaan.catatan.models import CatatanKegiatan
from kinerja.pelaksanaan.models import Realisasi
from kinerja.penilaian.models import Evaluasi, JenisEvaluasi
from kinerja.rules import tpp
from kinerja.rules.evaluasi import Status as StatusEvaluasi
from kinerja.rules.types import JenisPenempatan, Predikat


def rentang_bulan(tahun: int, bulan: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(tahun, bulan, 1), datetime.date(tahun, bulan, calendar.monthrange(tahun, bulan)[1])


def aturan_berlaku(instansi_id: int, tanggal: datetime.date) -> AturanTppInstansi | None:
    """The rule set in force on ``tanggal``: the latest version with ``berlaku_mulai`` on or before it."""
    return (
        AturanTppInstansi.objects.filter(instansi_id=instansi_id, berlaku_mulai__lte=tanggal)
        .order_by("-berlaku_mulai", "-versi")
        .first()
    )


def tabel_pagu_berlaku(instansi_id: int, tanggal: datetime.date) -> TabelPaguTpp | None:
    return (
        TabelPaguTpp.objects.filter(instansi_id=instansi_id, berlaku_mulai__lte=tanggal)
        .order_by("-berlaku_mulai", "-versi")
        .first()
    )


@dataclass(frozen=True)
class PetaPagu:
    """One pagu table's rows: a jabatan row beats its kelas row."""

    jabatan: dict[int, Decimal]
    kelas: dict[int, Decimal]

    def pagu(self, jabatan_id: int, kelas: int | None) -> Decimal | None:
        if jabatan_id in self.jabatan:
            return self.jabatan[jabatan_id]
        return self.kelas.get(kelas) if kelas is not None else None


def peta_pagu(tabel_id: int) -> PetaPagu:
    jab: dict[int, Decimal] = {}
    kelas: dict[int, Decimal] = {}
    for jabatan_id, k, pagu in PaguTpp.objects.filter(tabel_id=tabel_id).values_list(
        "jabatan_id", "kelas_jabatan", "pagu"
    ):
        if jabatan_id is not None:
            jab[jabatan_id] = pagu
        elif k is not None:
            kelas[k] = pagu
    return PetaPagu(jab, kelas)


@dataclass(frozen=True)
class Tempat:
    """A definitif placement clipped to the month."""

    jabatan_id: int
    jabatan: str
    kelas: int | None
    unit_id: int | None
    mulai: datetime.date
    selesai: datetime.date


def penempatan_bulan(
    instansi_id: int, tahun: int, bulan: int, pegawai_ids: Sequence[int] | None = None
) -> dict[int, list[Tempat]]:
    """Every pegawai with a definitif placement in the instansi during the month → their placements in
    date order, clipped to the month (one query)."""
    awal, akhir = rentang_bulan(tahun, bulan)
    qs = Penempatan.objects.filter(
        Q(selesai__isnull=True) | Q(selesai__gte=awal),
        mulai__lte=akhir,
        jenis=JenisPenempatan.DEFINITIF.value,
        jabatan__instansi_id=instansi_id,
    )
    if pegawai_ids is not None:
        qs = qs.filter(pegawai_id__in=list(pegawai_ids))
    hasil: dict[int, list[Tempat]] = defaultdict(list)
    for pid, jid, nama, kelas, unit_id, m, s in (
        qs.order_by("pegawai_id", "mulai")
        .values_list(
            "pegawai_id",
            "jabatan_id",
            "jabatan__nama",
            "jabatan__kelas_jabatan",
            "jabatan__unit_id",
            "mulai",
            "selesai",
        )
        .iterator(chunk_size=5000)
    ):
        hasil[pid].append(Tempat(jid, nama, kelas, unit_id, max(m, awal), min(s or akhir, akhir)))
    return dict(hasil)


def peristiwa_pegawai(
    pegawai_ids: Sequence[int], tahun: int, bulan: int
) -> dict[int, list[tpp.Peristiwa | tpp.HukumanDisiplin]]:
    """Apel/atribut events of the month and the hukuman decisions that may still cut it (36 months back,
    the longest a rule set allows)."""
    awal, akhir = rentang_bulan(tahun, bulan)
    hasil: dict[int, list[tpp.Peristiwa | tpp.HukumanDisiplin]] = defaultdict(list)
    for pid, t, jenis in (
        PeristiwaDisiplin.objects.filter(pegawai_id__in=list(pegawai_ids), tanggal__range=(awal, akhir))
        .order_by()
        .values_list("pegawai_id", "tanggal", "jenis")
    ):
        hasil[pid].append(tpp.Peristiwa(t, tpp.JenisPeristiwa(jenis)))
    sejak = datetime.date(tahun - 3, bulan, 1)
    for pid, t, tingkat in (
        HukumanDisiplinPegawai.objects.filter(pegawai_id__in=list(pegawai_ids), tanggal__range=(sejak, akhir))
        .order_by()
        .values_list("pegawai_id", "tanggal", "tingkat")
    ):
        hasil[pid].append(tpp.HukumanDisiplin(t, tpp.TingkatHukuman(tingkat)))
    return dict(hasil)


def batas_isi(instansi_id: int, tahun: int, bulan: int) -> datetime.date:
    """The last day to enter the month's catatan: day ``batas_isi_hari`` of the next month (docs/rules.md
    §28)."""
    hari = (
        PengaturanKehadiran.objects.filter(instansi_id=instansi_id)
        .values_list("batas_isi_hari", flat=True)
        .first()
    ) or 5
    th, bl = (tahun + 1, 1) if bulan == 12 else (tahun, bulan + 1)
    return datetime.date(th, bl, min(hari, calendar.monthrange(th, bl)[1]))


def sudah_isi(pegawai_ids: Sequence[int], tahun: int, bulan: int, batas: datetime.date) -> set[int]:
    """The pegawai whose month's entry was done by the end of ``batas`` (docs/rules.md §28.3): a catatan
    kegiatan dated in the month, or a realisasi of the periode penilaian covering the month saved from the
    month's first day on (two queries)."""
    awal, akhir = rentang_bulan(tahun, bulan)
    dari = timezone.make_aware(datetime.datetime.combine(awal, datetime.time()))
    sampai = timezone.make_aware(
        datetime.datetime.combine(batas + datetime.timedelta(days=1), datetime.time())
    )
    ids = list(pegawai_ids)
    catatan = (
        CatatanKegiatan.objects.filter(
            pegawai_id__in=ids, tanggal__range=(awal, akhir), dibuat_pada__lt=sampai
        )
        .order_by()
        .values_list("pegawai_id", flat=True)
        .distinct()
    )
    realisasi = (
        Realisasi.objects.filter(
            indikator__rhk__skp__pegawai_id__in=ids,
            periode_penilaian__mulai__lte=akhir,
            periode_penilaian__selesai__gte=awal,
            diubah_pada__gte=dari,
            diubah_pada__lt=sampai,
        )
        .order_by()
        .values_list("indikator__rhk__skp__pegawai_id", flat=True)
        .distinct()
    )
    return set(catatan) | set(realisasi)


def evaluasi_final(pegawai_ids: Sequence[int], tahun: int, bulan: int) -> dict[int, list[tpp.EvaluasiFinal]]:
    """The final evaluations with a predikat that may pay the month (one query): those of the month's year
    and the year before whose periode starts by the month's end (docs/rules.md §28.3)."""
    _, akhir = rentang_bulan(tahun, bulan)
    hasil: dict[int, list[tpp.EvaluasiFinal]] = defaultdict(list)
    for pid, jenis, th, pp_mulai, pp_selesai, pp_nama, final_pada, predikat in (
        Evaluasi.objects.filter(
            Q(periode_penilaian__isnull=True) | Q(periode_penilaian__mulai__lte=akhir),
            pegawai_id__in=list(pegawai_ids),
            status=StatusEvaluasi.FINAL.value,
            final_pada__isnull=False,
            periode__tahun__range=(tahun - 1, tahun),
        )
        .exclude(predikat="")
        .order_by()
        .values_list(
            "pegawai_id",
            "jenis",
            "periode__tahun",
            "periode_penilaian__mulai",
            "periode_penilaian__selesai",
            "periode_penilaian__nama",
            "final_pada",
            "predikat",
        )
    ):
        tahunan = jenis == JenisEvaluasi.TAHUNAN
        hasil[pid].append(
            tpp.EvaluasiFinal(
                mulai=datetime.date(th, 1, 1) if tahunan else pp_mulai,
                selesai=datetime.date(th, 12, 31) if tahunan else pp_selesai,
                final=timezone.localdate(final_pada),
                predikat=Predikat(predikat),
                tahunan=tahunan,
                nama=f"tahunan {th}" if tahunan else f"{pp_nama} {th}",
            )
        )
    return dict(hasil)


@dataclass(frozen=True)
class HitungPegawai:
    """One pegawai's computation: the result, or why it was skipped."""

    pegawai_id: int
    tempat: Tempat | None  # the last placement of the month (unit and jabatan of the row)
    hasil: tpp.HasilTpp | None = None
    alasan: str = ""
    #: The deadline has not passed, the rule set cuts a late entry and nothing is entered yet.
    perlu_isi: bool = False


def hitung(
    kal: KalenderInstansi,
    tempat: dict[int, list[Tempat]],
    aturan: tpp.AturanTpp,
    pagu: PetaPagu,
    tahun: int,
    bulan: int,
    hari_ini: datetime.date,
    batas: datetime.date | None = None,
) -> list[HitungPegawai]:
    """Compute (not write) the TPP of the pegawai in ``tempat`` (6 queries, whatever their number up to
    `kinerja.kehadiran.selectors.POTONGAN`; a CAPAIAN/PREDIKAT rule set reads the final evaluations
    instead of the catatan)."""
    ids = sorted(tempat)
    awal, akhir = rentang_bulan(tahun, bulan)
    hari = hari_pegawai(
        kal, ids, awal, akhir, unit={p: t[-1].unit_id for p, t in tempat.items() if t[-1].unit_id}
    )
    kejadian = peristiwa_pegawai(ids, tahun, bulan)
    batas = batas or batas_isi(kal.instansi_id, tahun, bulan)
    lewat = hari_ini > batas
    penuh = aturan.sumber_kinerja is tpp.SumberKinerja.PENUH
    isi = sudah_isi(ids, tahun, bulan, batas) if lewat and penuh else set()
    # Before the deadline only the estimate's warning needs it, and only when a late entry is cut.
    belum = (
        set(ids) - sudah_isi(ids, tahun, bulan, batas)
        if not lewat and penuh and aturan.terlambat_isi
        else set()
    )
    # CAPAIAN and PREDIKAT both read the evaluation's predikat: no monthly capaian exists (§28.3).
    evaluasi = evaluasi_final(ids, tahun, bulan) if not penuh else {}
    hasil: list[HitungPegawai] = []
    for pid in ids:
        daftar = tempat[pid]
        akhir_tempat = daftar[-1]
        segmen: list[tpp.Segmen] = []
        tanpa = [t.jabatan for t in daftar if pagu.pagu(t.jabatan_id, t.kelas) is None]
        if tanpa:
            hasil.append(
                HitungPegawai(pid, akhir_tempat, alasan="Tidak ada pagu untuk jabatan " + ", ".join(tanpa))
            )
            continue
        for t in daftar:
            p = pagu.pagu(t.jabatan_id, t.kelas)
            assert p is not None
            segmen.append(tpp.Segmen(t.mulai, t.selesai, p))
        if penuh:
            kinerja = tpp.KinerjaBulan(terlambat=lewat and pid not in isi)
        else:
            predikat, asal = tpp.pilih_predikat(evaluasi.get(pid, ()), awal, akhir)
            kinerja = tpp.KinerjaBulan(predikat=predikat, asal_predikat=asal)
        perlu = not lewat and pid in belum
        try:
            hari_p = tpp.hari_perkiraan(hari[pid], hari_ini)  # a month not over yet: docs/rules.md §28
            h = tpp.hitung_tpp(aturan, segmen, hari_p, kejadian.get(pid, ()), kinerja)
        except ValueError as e:
            hasil.append(HitungPegawai(pid, akhir_tempat, alasan=str(e)))
            continue
        hasil.append(HitungPegawai(pid, akhir_tempat, hasil=h, perlu_isi=perlu))
    return hasil


def bulan_tpp(instansi_id: int, tahun: int, bulan: int) -> BulanTpp | None:
    return BulanTpp.objects.filter(instansi_id=instansi_id, tahun=tahun, bulan=bulan).first()


def ids_terpotong(ids: Iterable[int], n: int) -> Iterable[list[int]]:
    daftar = list(ids)
    for i in range(0, len(daftar), n):
        yield daftar[i : i + n]


def lingkup_aturan(instansi_id: int) -> list[str]:
    """The cache scope of the instansi's rule set and pagu table versions (dropped by `receivers`)."""
    return [cache.scope("aturan-tpp", instansi_id)]


def batas_isi_tersimpan(instansi_id: int, tahun: int, bulan: int) -> datetime.date:
    return cache.cached(
        f"tpp-batas-isi:{tahun}-{bulan:02d}",
        lingkup_kalender(instansi_id),
        lambda: batas_isi(instansi_id, tahun, bulan),
    )


def _pagu_berlaku(instansi_id: int, tanggal: datetime.date) -> PetaPagu | None:
    """The rows of the pagu table in force read together with the choice of the table (one query; a
    second only when that table has no rows or there is none)."""
    tabel = (
        TabelPaguTpp.objects.filter(instansi_id=instansi_id, berlaku_mulai__lte=tanggal)
        .order_by("-berlaku_mulai", "-versi")
        .values("pk")[:1]
    )
    jab: dict[int, Decimal] = {}
    kelas: dict[int, Decimal] = {}
    baris = list(
        PaguTpp.objects.filter(tabel_id=Subquery(tabel)).values_list("jabatan_id", "kelas_jabatan", "pagu")
    )
    if not baris and not tabel.exists():
        return None
    for jabatan_id, k, pagu in baris:
        if jabatan_id is not None:
            jab[jabatan_id] = pagu
        elif k is not None:
            kelas[k] = pagu
    return PetaPagu(jab, kelas)


def dasar_tersimpan(instansi_id: int, tanggal: datetime.date) -> tuple[tpp.AturanTpp, PetaPagu] | None:
    """The rule set and the pagu rows in force on ``tanggal`` (cached; None when either is missing)."""

    def baca() -> tuple[tpp.AturanTpp, PetaPagu] | None:
        aturan = (
            AturanTppInstansi.objects.filter(instansi_id=instansi_id, berlaku_mulai__lte=tanggal)
            .order_by("-berlaku_mulai", "-versi")
            .values_list("aturan", flat=True)
            .first()
        )
        if aturan is None:
            return None
        pagu = _pagu_berlaku(instansi_id, tanggal)
        return None if pagu is None else (tpp.dari_dict(aturan), pagu)

    return cache.cached(f"tpp-dasar:{tanggal}", lingkup_aturan(instansi_id), baca)


def perkiraan(
    instansi_id: int, pegawai_id: int, tahun: int, bulan: int, batas: datetime.date | None = None
) -> HitungPegawai | None:
    """One pegawai's month computed live (the open month's estimate); None without a rule set or pagu
    table in force. The per-instansi reads come from the cache (docs/benchmarks.md)."""
    awal, akhir = rentang_bulan(tahun, bulan)
    dasar = dasar_tersimpan(instansi_id, awal)
    if dasar is None:
        return None
    tempat = penempatan_bulan(instansi_id, tahun, bulan, [pegawai_id])
    if pegawai_id not in tempat:
        return HitungPegawai(pegawai_id, None, alasan="Tidak ada penempatan definitif pada bulan ini")
    [h] = hitung(
        kalender_tersimpan(instansi_id, awal, akhir),
        tempat,
        dasar[0],
        dasar[1],
        tahun,
        bulan,
        timezone.localdate(),
        batas or batas_isi_tersimpan(instansi_id, tahun, bulan),
    )
    return h


def riwayat_pegawai(pegawai_id: int) -> list[TppPegawai]:
    return list(
        TppPegawai.objects.filter(pegawai_id=pegawai_id)
        .select_related("bulan")
        .only("pk", "bruto", "pagu", "bulan__tahun", "bulan__bulan", "bulan__ditutup", "pegawai_id")
        .order_by("-bulan__tahun", "-bulan__bulan")
    )


def baris_bulan(b: BulanTpp, unit_id: int | None = None) -> QuerySet[TppPegawai]:
    qs = TppPegawai.objects.filter(bulan=b).select_related("pegawai", "unit", "jabatan").defer("hasil")
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    return qs.order_by("unit__nama", "pegawai__nama")


def total_per_unit(b: BulanTpp) -> list[dict[str, Any]]:
    return list(
        TppPegawai.objects.filter(bulan=b)
        .values("unit_id", "unit__nama")
        .annotate(n=Count("pk"), pagu=Sum("pagu"), bruto=Sum("bruto"))
        .order_by("unit__nama")
    )


def baris_daftar(b: BulanTpp) -> Iterable[TppPegawai]:
    """Every row of the month for the payroll list, with what its columns need, read in chunks."""
    return (
        TppPegawai.objects.filter(bulan=b)
        .select_related("pegawai", "unit", "jabatan", "aturan", "tabel_pagu")
        .defer("aturan__aturan")
        .order_by("unit__nama", "pegawai__nama", "pk")
        .iterator(chunk_size=2000)
    )
