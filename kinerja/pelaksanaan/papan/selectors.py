"""Monitoring boards: the penilai's board of bawahan, the unit roll-up with drill-down, the
admin's progress pengisian per unit, and the RHK roll-up (an atasan RHK with the capaian of the bawahan
RHK that intervene it).

Everything is loaded in a fixed number of bulk queries whatever the number of pegawai: the SKP of the
year, their RHK, the rencana aksi of the periode, the indikator with their targets and this year's
realisasi (with a bukti count), and one aggregate over umpan balik. Capaian are computed with
`kinerja.rules.realisasi` the same way as the realisasi page (`selectors.baris_indikator`; a test checks
that the two agree).

Definitions (shown on the pages too):

* realisasi terisi: indikator of the SKP with a realisasi for the periode (n of m);
* capaian s.d. periode: the mean of the year-to-date capaian of the numeric indikator that have one;
* terlambat: a periode up to the one shown whose deadline has passed with realisasi missing, or a
  realisasi entered late (under an admin unlock);
* umpan balik: messages on the pegawai's SKP by someone other than the pegawai (their replies do not
  count); "in the periode" means attached to that periode, or unattached and written during it.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from django.db import connection, connections, router
from django.db.models import Count, DateTimeField, Exists, F, IntegerField, Max, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.template.defaultfilters import floatformat
from django.utils import timezone

from kinerja.common import cache
from kinerja.common.replika import dari_replika
from kinerja.common.tanggal import tanggal_panjang
from kinerja.organisasi import selectors as org
from kinerja.organisasi.models import (
    Instansi,
    Pegawai,
    Penempatan,
    Periode,
    PeriodePenilaian,
    UnitKerja,
    User,
)
from kinerja.pelaksanaan.models import BuktiDukung, Realisasi, RencanaAksi, UmpanBalik
from kinerja.pelaksanaan.selectors import KELAS_WARNA, angka_tampil, konsolidasi_rentang
from kinerja.perencanaan.models import Indikator, Rhk, Skp
from kinerja.rules import JenisPenempatan, Konsolidasi, Polaritas
from kinerja.rules import realisasi as realisasi_rules
from kinerja.rules.alur import Status
from kinerja.rules.capaian import KONSOLIDASI_RENTANG_DEFAULT

DUA = Decimal("0.01")


def rata_rata(nilai: Iterable[Decimal]) -> Decimal | None:
    daftar = list(nilai)
    if not daftar:
        return None
    return (sum(daftar, Decimal(0)) / len(daftar)).quantize(DUA, rounding=ROUND_HALF_UP)


def persen(bagian: int, total: int) -> int | None:
    return round(100 * bagian / total) if total else None


def kelas_capaian(nilai: Decimal | None) -> str:
    return KELAS_WARNA.get(realisasi_rules.warna_capaian(nilai), "")


def _skp_berlaku(skp: Skp) -> bool:
    """Realisasi belong to an SKP that is (or was, before a revision) agreed by the penilai."""
    return skp.status == Status.DISETUJUI.value or skp.disetujui_pada is not None


# =========================================================================================================
# One row per pegawai
# =========================================================================================================


@dataclass
class BarisPapan:
    """What the boards show of one pegawai for one periode."""

    pegawai: Pegawai
    jabatan: str
    unit_id: int | None
    skp: Skp | None = None
    jumlah_rhk: int = 0
    rhk_beraksi: int = 0
    jumlah_indikator: int = 0
    terisi: int = 0
    bukti: int = 0
    capaian: Decimal | None = None
    jumlah_capaian: int = 0  # numeric indikator counted in `capaian`
    terakhir_diisi: datetime.datetime | None = None
    umpan_balik_terakhir: datetime.datetime | None = None
    umpan_balik_periode: int = 0
    diisi_terlambat: int = 0
    tunggakan: list[str] = field(default_factory=list)  # periods past their deadline with gaps
    url: str = ""  # the row's link (realisasi of the periode, or the SKP), filled by `views._tautan`

    @property
    def skp_disetujui(self) -> bool:
        return self.skp is not None and self.skp.status == Status.DISETUJUI.value

    @property
    def berlaku(self) -> bool:
        return self.skp is not None and _skp_berlaku(self.skp)

    @property
    def lengkap(self) -> bool:
        return self.berlaku and self.jumlah_indikator > 0 and self.terisi >= self.jumlah_indikator

    @property
    def belum_isi(self) -> bool:
        return not self.lengkap

    @property
    def terlambat(self) -> bool:
        return bool(self.tunggakan) or self.diisi_terlambat > 0

    @property
    def di_bawah_target(self) -> bool:
        return self.capaian is not None and self.capaian < 100

    @property
    def persen_terisi(self) -> int | None:
        return persen(self.terisi, self.jumlah_indikator)

    @property
    def kelas(self) -> str:
        return kelas_capaian(self.capaian)

    def tampilan(self) -> dict[str, Any]:
        """What the board's table (`papan/_tabel.html`) shows of the row, computed once: a dict, so that each
        cell is one lookup (no include or filter per cell). Numbers always shown are given as text: with
        USE_THOUSAND_SEPARATOR off, what the template renders of an int, without its localisation per cell.
        Call it after `views._tautan` set the url."""
        skp = self.skp
        status = skp.get_status_display() if skp is not None else ""
        return {
            "nama": self.pegawai.nama_lengkap,
            "jabatan": self.jabatan,
            "url": self.url,
            "skp": skp is not None,
            "berlaku": self.berlaku,
            "status_kelas": KELAS_STATUS.get(skp.status, "text-bg-secondary") if skp is not None else "",
            "status": status,
            "status_ringkas": f"SKP {status.lower()}" if skp is not None else "SKP belum dibuat",
            "tunggakan": ", ".join(self.tunggakan),
            "diisi_terlambat": self.diisi_terlambat,
            "rhk_beraksi": str(self.rhk_beraksi),
            "jumlah_rhk": str(self.jumlah_rhk),
            "rencana_aksi_kurang": self.rhk_beraksi < self.jumlah_rhk,
            "terisi": str(self.terisi),
            "jumlah_indikator": str(self.jumlah_indikator),
            "persen_terisi": str(self.persen_terisi or 0),
            "lengkap": self.lengkap,
            "bukti": str(self.bukti),
            "capaian": floatformat(self.capaian, "-1") if self.capaian is not None else "",
            "kelas": self.kelas,
            "jumlah_capaian": str(self.jumlah_capaian),
            "umpan_balik": tanggal_panjang(self.umpan_balik_terakhir),
            "terakhir_diisi": tanggal_panjang(self.terakhir_diisi),
        }


#: The badge class of an SKP status (`perencanaan/skp/_status.html`; any other status: secondary).
KELAS_STATUS = {
    Status.DISETUJUI.value: "text-bg-success",
    Status.DIAJUKAN.value: "text-bg-primary",
    Status.DIKEMBALIKAN.value: "text-bg-warning",
}


@dataclass
class _Ind:
    """An indikator as the boards need it, loaded with plain value queries (no model instances: at
    thousands of rows the per-object prefetch machinery costs more than the database)."""

    pk: int
    rhk_id: int
    target_angka: Decimal | None
    target_atas: Decimal | None
    polaritas: str
    konsolidasi: str
    target: dict[int, Decimal | None] = field(default_factory=dict)  # periode nomor -> target
    realisasi: dict[int, tuple[Any, ...]] = field(default_factory=dict)  # periode pk -> (angka, terlambat,
    # diubah_pada, jumlah bukti)


def _pilih_skp(skp_list: list[Skp], pp: PeriodePenilaian) -> Skp | None:
    """The SKP shown for the periode: an agreed one covering it (latest), else the latest of the year."""
    menutup = [s for s in skp_list if s.mulai <= pp.selesai and s.selesai >= pp.mulai]
    for daftar in ([s for s in menutup if _skp_berlaku(s)], menutup, skp_list):
        if daftar:
            return max(daftar, key=lambda s: (s.mulai, s.pk))
    return None


def _baca_indikator(indikator: QuerySet[Indikator], *lain: str) -> dict[int, tuple[_Ind, tuple[Any, ...]]]:
    """One query: the indikator in board order, each with its period targets (joined: a row per target)
    and the values of the further columns ``lain``."""
    per_pk: dict[int, tuple[_Ind, tuple[Any, ...]]] = {}
    for pk, rhk_id, angka, atas, polaritas, konsolidasi, nomor, target, *nilai in indikator.order_by(
        "rhk_id", "urutan", "pk"
    ).values_list(
        "pk",
        "rhk_id",
        "target_angka",
        "target_angka_atas",
        "polaritas",
        "konsolidasi",
        "target_periode__nomor",
        "target_periode__target_angka",
        *lain,
    ):
        item = per_pk.get(pk)
        if item is None:
            item = per_pk[pk] = (_Ind(pk, rhk_id, angka, atas, polaritas, konsolidasi), tuple(nilai))
        if nomor is not None:
            item[0].target[nomor] = target
    return per_pk


def _muat_indikator(indikator: QuerySet[Indikator], periode_id: int) -> list[_Ind]:
    """Two queries: the indikator with their period targets (`_baca_indikator`), this year's realisasi
    with a bukti count."""
    per_pk = {pk: ind for pk, (ind, _) in _baca_indikator(indikator).items()}
    daftar = list(per_pk.values())
    for ind_id, pp_id, angka, terlambat, diubah, bukti in (
        Realisasi.objects.filter(indikator__in=indikator, periode_penilaian__periode_id=periode_id)
        .values_list("indikator_id", "periode_penilaian_id", "nilai_angka", "terlambat", "diubah_pada")
        .annotate(jumlah_bukti=Count("bukti"))
        .order_by()
    ):
        per_pk[ind_id].realisasi[pp_id] = (angka, terlambat, diubah, bukti)
    return daftar


def _kumulatif(ind: _Ind, pp: PeriodePenilaian, daftar: list[PeriodePenilaian]) -> Decimal | None:
    """Year-to-date capaian of a numeric indikator up to `pp`, as on the realisasi page
    (`selectors.baris_indikator`): range targets keep their range, others use the period targets."""
    if ind.target_angka is None:
        return None
    rentang = (ind.target_angka, ind.target_atas) if ind.target_atas is not None else None
    nilai = []
    for p in daftar:
        if p.nomor > pp.nomor:
            break
        r = ind.realisasi.get(p.pk)
        t = ind.target_angka if rentang else ind.target.get(p.nomor)
        nilai.append(realisasi_rules.NilaiPeriode(r[0] if r else None, t))
    k = realisasi_rules.capaian_kumulatif(
        nilai,
        Konsolidasi(ind.konsolidasi),
        Polaritas(ind.polaritas),
        rentang,
        konsolidasi_rentang_bawaan=konsolidasi_rentang(ind.konsolidasi, pp)
        if rentang
        else KONSOLIDASI_RENTANG_DEFAULT,
    )
    return k.capaian if k else None


def _umpan_balik(pegawai_ids: list[int], periode: Periode, pp: PeriodePenilaian) -> dict[int, dict[str, Any]]:
    """Per pegawai: the last feedback on their SKP of the year and how many fall in the periode."""
    tz = timezone.get_current_timezone()
    awal = datetime.datetime.combine(pp.mulai, datetime.time.min, tzinfo=tz)
    akhir = datetime.datetime.combine(pp.selesai + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    di_periode = Q(periode_penilaian=pp) | Q(periode_penilaian__isnull=True, pada__gte=awal, pada__lt=akhir)
    rows = (
        UmpanBalik.objects.filter(skp__pegawai_id__in=pegawai_ids, skp__periode=periode)
        .exclude(oleh__pegawai_id=F("skp__pegawai_id"))
        .values("skp__pegawai_id")
        .annotate(terakhir=Max("pada"), di_periode=Count("pk", filter=di_periode))
        .order_by()
    )
    return {r["skp__pegawai_id"]: r for r in rows}


def _hitung_realisasi(
    row: BarisPapan,
    skp_id: int,
    ind: _Ind,
    pp: PeriodePenilaian,
    sampai: set[int],
    terisi_per: dict[tuple[int, int], int],
) -> None:
    """Count one indikator's realisasi into its pegawai's row: filled per period (``terisi_per``), the latest
    edit, the late ones up to ``pp`` (``sampai``), and this period's filled and evidence."""
    for pp_id, (_, terlambat, diubah, bukti) in ind.realisasi.items():
        terisi_per[(skp_id, pp_id)] += 1
        if row.terakhir_diisi is None or diubah > row.terakhir_diisi:
            row.terakhir_diisi = diubah
        if terlambat and pp_id in sampai:
            row.diisi_terlambat += 1
        if pp_id == pp.pk:
            row.terisi += 1
            row.bukti += bukti


def baris_pegawai(
    penempatan: list[Penempatan],
    periode: Periode,
    pp: PeriodePenilaian,
    daftar: list[PeriodePenilaian],
    hari_ini: datetime.date | None = None,
) -> list[BarisPapan]:
    """A board row for each placement (definitif, one per pegawai), in six queries whatever their number."""
    hari_ini = hari_ini or timezone.localdate()
    pegawai_ids = [p.pegawai_id for p in penempatan]
    per_pegawai: dict[int, list[Skp]] = defaultdict(list)
    for s in Skp.objects.filter(periode=periode, pegawai_id__in=pegawai_ids).order_by("mulai", "pk"):
        per_pegawai[s.pegawai_id].append(s)
    rows: list[BarisPapan] = []
    for p in penempatan:
        skp = _pilih_skp(per_pegawai.get(p.pegawai_id, []), pp)
        rows.append(BarisPapan(p.pegawai, p.jabatan.nama, p.jabatan.unit_id, skp))
    berlaku = {r.skp.pk: r for r in rows if r.skp is not None and r.berlaku}
    skp_ids = list(berlaku)
    rhk_skp = dict(Rhk.objects.filter(skp_id__in=skp_ids).values_list("pk", "skp_id"))
    beraksi = set(
        RencanaAksi.objects.filter(rhk__skp_id__in=skp_ids, periode_penilaian=pp).values_list(
            "rhk_id", flat=True
        )
    )
    for rhk_id, skp_id in rhk_skp.items():
        row = berlaku[skp_id]
        row.jumlah_rhk += 1
        row.rhk_beraksi += rhk_id in beraksi

    sampai = {p.pk for p in daftar if p.nomor <= pp.nomor}
    capaian: dict[int, list[Decimal]] = defaultdict(list)
    terisi_per: dict[tuple[int, int], int] = defaultdict(int)  # (skp, periode) -> indikator filled
    for ind in _muat_indikator(Indikator.objects.filter(rhk__skp_id__in=skp_ids), periode.pk):
        skp_id = rhk_skp[ind.rhk_id]
        row = berlaku[skp_id]
        row.jumlah_indikator += 1
        _hitung_realisasi(row, skp_id, ind, pp, sampai, terisi_per)
        nilai = _kumulatif(ind, pp, daftar)
        if nilai is not None:
            capaian[skp_id].append(nilai)

    ub = _umpan_balik(pegawai_ids, periode, pp)
    for row in rows:
        u = ub.get(row.pegawai.pk)
        if u:
            row.umpan_balik_terakhir = u["terakhir"]
            row.umpan_balik_periode = u["di_periode"]
        if row.berlaku:
            _lengkapi_baris(row, capaian, terisi_per, daftar, sampai, hari_ini)
    return rows


def _lengkapi_baris(
    row: BarisPapan,
    capaian: dict[int, list[Decimal]],
    terisi_per: dict[tuple[int, int], int],
    daftar: list[PeriodePenilaian],
    sampai: set[int],
    hari_ini: datetime.date,
) -> None:
    """The row's mean capaian and the periods past their deadline with gaps (an SKP in force)."""
    skp = row.skp
    assert skp is not None
    nilai = capaian.get(skp.pk, [])
    row.capaian, row.jumlah_capaian = rata_rata(nilai), len(nilai)
    for p in daftar:
        lewat = p.pk in sampai and p.batas_realisasi < hari_ini
        dalam_skp = p.mulai <= skp.selesai and p.selesai >= skp.mulai
        if lewat and dalam_skp and terisi_per[(skp.pk, p.pk)] < row.jumlah_indikator:
            row.tunggakan.append(p.nama)


# --- sort and filter ---------------------------------------------------------------------------------------

SARING = {
    "belum": ("Belum lengkap", lambda r: r.belum_isi),
    "terlambat": ("Terlambat", lambda r: r.terlambat),
    "bawah": ("Di bawah target", lambda r: r.di_bawah_target),
}
URUT = {"nama": "Nama", "capaian": "Capaian", "terakhir": "Terakhir diisi"}


def filter_and_sort(rows: list[BarisPapan], saring: str = "", urut: str = "nama") -> list[BarisPapan]:
    """Filter (belum / terlambat / bawah) and sort (nama; capaian lowest first; terakhir diisi latest first;
    rows without a value go last)."""
    if saring in SARING:
        rows = [r for r in rows if SARING[saring][1](r)]
    rows = sorted(rows, key=lambda r: (r.pegawai.nama.lower(), r.pegawai.pk))
    if urut == "capaian":
        rows.sort(key=lambda r: (r.capaian is None, r.capaian if r.capaian is not None else 0))
    elif urut == "terakhir":
        rows.sort(
            key=lambda r: (
                r.terakhir_diisi is None,
                -(r.terakhir_diisi.timestamp() if r.terakhir_diisi else 0),
            )
        )
    return rows


# =========================================================================================================
# Penilai board
# =========================================================================================================


@dari_replika()  # a board/rekap tolerates a second of lag (kinerja/common/replika.py)
def papan_penilai(
    penilai: Pegawai,
    periode: Periode,
    pp: PeriodePenilaian,
    daftar: list[PeriodePenilaian],
    hari_ini: datetime.date | None = None,
) -> list[BarisPapan]:
    """The pegawai this penilai rates today (`organisasi.selectors.bawahan_langsung`), one row each."""
    bawahan = org.bawahan_langsung(penilai)
    penempatan = [Penempatan(pegawai=b.pegawai, jabatan=b.jabatan, jenis=b.jenis) for b in bawahan]
    return baris_pegawai(penempatan, periode, pp, daftar, hari_ini)


# =========================================================================================================
# Unit roll-up (atasan penilai / pimpinan, admin)
# =========================================================================================================


@dataclass
class RingkasanUnit:
    """Counts over a set of board rows (one unit, its subtree, or the whole instansi)."""

    unit: UnitKerja | None
    pegawai: int = 0
    skp_disetujui: int = 0
    berlaku: int = 0  # pegawai whose SKP is agreed (realisasi can be entered)
    indikator: int = 0
    terisi: int = 0
    lengkap: int = 0
    beraksi: int = 0
    rhk: int = 0
    umpan_balik: int = 0  # pegawai with >= 1 umpan balik in the periode
    terlambat: int = 0
    di_bawah_target: int = 0
    _capaian: list[Decimal] = field(default_factory=list)

    def tambah(self, r: BarisPapan) -> None:
        self.pegawai += 1
        self.skp_disetujui += r.skp_disetujui
        if r.berlaku:
            self.berlaku += 1
            self.indikator += r.jumlah_indikator
            self.terisi += r.terisi
            self.lengkap += r.lengkap
            self.rhk += r.jumlah_rhk
            self.beraksi += r.rhk_beraksi
            self.umpan_balik += r.umpan_balik_periode > 0
        self.terlambat += r.terlambat
        self.di_bawah_target += r.di_bawah_target
        if r.capaian is not None:
            self._capaian.append(r.capaian)

    @property
    def capaian(self) -> Decimal | None:
        return rata_rata(self._capaian)

    @property
    def kelas(self) -> str:
        return kelas_capaian(self.capaian)

    @property
    def persen_skp(self) -> int | None:
        return persen(self.skp_disetujui, self.pegawai)

    @property
    def persen_terisi(self) -> int | None:
        return persen(self.terisi, self.indikator)

    @property
    def persen_aksi(self) -> int | None:
        return persen(self.beraksi, self.rhk)

    @property
    def persen_umpan_balik(self) -> int | None:
        return persen(self.umpan_balik, self.berlaku)


def penempatan_unit(unit: UnitKerja, lingkup: QuerySet[Pegawai] | None = None) -> list[Penempatan]:
    """Definitif placements today in the unit's subtree (only pegawai in `lingkup` when given)."""
    qs = (
        Penempatan.objects.aktif_pada(org.today())
        .filter(
            jabatan__unit__path__startswith=unit.path,
            jenis=JenisPenempatan.DEFINITIF.value,
            pegawai__aktif=True,
        )
        .select_related("pegawai", "jabatan")
        .order_by("jabatan__path", "pegawai__nama")
    )
    if lingkup is not None:
        qs = qs.filter(pegawai__in=lingkup)
    seen: set[int] = set()
    rows = []
    for p in qs:  # one definitif placement per pegawai (the data allows no more; stay safe)
        if p.pegawai_id not in seen:
            seen.add(p.pegawai_id)
            rows.append(p)
    return rows


@dataclass
class PapanUnit:
    unit: UnitKerja
    total: RingkasanUnit
    langsung: RingkasanUnit  # pegawai whose jabatan is in the unit itself
    sub_unit: list[RingkasanUnit]  # the child units, each rolled up over its subtree
    pegawai: list[BarisPapan]  # pegawai of the unit itself (drill-down)
    jalur: list[UnitKerja]  # ancestors from the top visible unit, for the breadcrumb


@dari_replika()  # a board/rekap tolerates a second of lag (kinerja/common/replika.py)
def papan_unit(
    unit: UnitKerja,
    periode: Periode,
    pp: PeriodePenilaian,
    daftar: list[PeriodePenilaian],
    lingkup: QuerySet[Pegawai] | None = None,
    hari_ini: datetime.date | None = None,
) -> PapanUnit:
    """The unit, its child units rolled up over their subtrees, and its own pegawai (flat query count)."""
    units = list(UnitKerja.objects.filter(path__startswith=unit.path).order_by("path"))
    anak = [u for u in units if u.parent_id == unit.pk]
    path_of = {u.pk: u.path for u in units}
    rows = baris_pegawai(penempatan_unit(unit, lingkup), periode, pp, daftar, hari_ini)
    total, langsung = RingkasanUnit(unit), RingkasanUnit(unit)
    sub = {u.pk: RingkasanUnit(u) for u in anak}
    sendiri = []
    for r in rows:
        total.tambah(r)
        if r.unit_id == unit.pk:
            langsung.tambah(r)
            sendiri.append(r)
            continue
        path = path_of.get(r.unit_id or 0, "")
        for u in anak:
            if path.startswith(u.path):
                sub[u.pk].tambah(r)
                break
    ids = [int(x) for x in unit.path.strip("/").split("/") if x]
    leluhur = {u.pk: u for u in UnitKerja.objects.filter(pk__in=ids)}
    jalur = [leluhur[i] for i in ids if i in leluhur]
    return PapanUnit(unit, total, langsung, [sub[u.pk] for u in anak], sendiri, jalur)


def unit_teratas(pegawai: Pegawai) -> list[UnitKerja]:
    """The units whose head jabatan this pegawai holds today (definitif, PLT or PLH), shallowest first."""
    return sorted(
        (j.unit for j in org.jabatan_dipegang(pegawai) if j.pimpinan_unit and j.unit_id),
        key=lambda u: (u.depth, u.path),
    )


# =========================================================================================================
# Admin: progress pengisian per unit
# =========================================================================================================


#: An instansi with more units than this shows its progres page two levels deep (the top units and the units
#: right below them); every other unit opens on demand (`progres_anak`). The xlsx always has every unit.
BATAS_BARIS = 60


@dataclass
class Progres:
    baris: list[RingkasanUnit]  # units in tree order (every unit, or the rows shown), own pegawai only
    total: RingkasanUnit
    ringkas: bool = False  # only the first two levels are listed; the rest opens on demand
    jumlah_unit: int = 0
    ada_anak: set[int] = field(default_factory=set)  # units with sub-units
    terbuka: set[int] = field(default_factory=set)  # listed units whose sub-units are listed too


def _hitung(
    instansi: Instansi,
    periode: Periode,
    pp: PeriodePenilaian,
    daftar: list[PeriodePenilaian],
    hari_ini: datetime.date | None,
    units: list[UnitKerja],
    per_unit: dict[int, RingkasanUnit],
    total: RingkasanUnit | None,
) -> None:
    """Adds every pegawai placed (definitif, today) in ``units`` to its unit's row (and all of the instansi
    to ``total`` when given). A pegawai's row is their latest active definitif placement. Only pegawai with
    an SKP of the periode get a board row (`baris_pegawai`, Python work); the others count as one pegawai
    and nothing else (no SKP: nothing agreed, filled, late or below target), so they are read as plain
    (pegawai, unit) pairs. One query, plus eight when some pegawai have an SKP, whatever their number."""
    dasar = Penempatan.objects.aktif_pada(org.today()).filter(
        jabatan__instansi=instansi, jenis=JenisPenempatan.DEFINITIF.value, pegawai__aktif=True
    )
    if total is None:  # only the pegawai placed in these units (their latest placement may lie elsewhere)
        dasar = dasar.filter(pegawai_id__in=dasar.filter(jabatan__unit__in=units).values("pegawai_id"))
    ber_skp = Skp.objects.filter(periode=periode).values("pegawai_id")
    unit_of: dict[int, int | None] = {}
    dengan_skp: set[int] = set()
    for pegawai_id, unit_id, ada_skp in (
        dasar.annotate(ada_skp=Exists(Skp.objects.filter(periode=periode, pegawai_id=OuterRef("pegawai_id"))))
        .order_by("pegawai_id", "mulai")
        .values_list("pegawai_id", "jabatan__unit_id", "ada_skp")
    ):
        unit_of[pegawai_id] = unit_id  # the latest placement wins, as with the board rows
        if ada_skp:
            dengan_skp.add(pegawai_id)
    for pegawai_id, unit_id in unit_of.items():
        if pegawai_id in dengan_skp:
            continue
        if total is not None:
            total.pegawai += 1
        if unit_id in per_unit:
            per_unit[unit_id].pegawai += 1
    if not dengan_skp:
        return
    penempatan = (
        dasar.filter(pegawai_id__in=ber_skp)
        .select_related("pegawai", "jabatan")
        .order_by("pegawai_id", "mulai")
    )
    satu = list({p.pegawai_id: p for p in penempatan}.values())
    for r in baris_pegawai(satu, periode, pp, daftar, hari_ini):
        if total is not None:
            total.tambah(r)
        if r.unit_id in per_unit:
            per_unit[r.unit_id].tambah(r)


def progres_pengisian(
    instansi: Instansi,
    periode: Periode,
    pp: PeriodePenilaian,
    daftar: list[PeriodePenilaian],
    hari_ini: datetime.date | None = None,
    *,
    halaman: bool = False,
) -> Progres:
    """Every unit of the instansi (its own pegawai) and the whole instansi. ``halaman``: as the page lists
    it, only the first two levels when the instansi has more than `BATAS_BARIS` units. A constant number of
    queries; Python work only for the pegawai with an SKP of the periode."""
    units = list(UnitKerja.objects.filter(instansi=instansi).order_by("path"))
    per_unit = {u.pk: RingkasanUnit(u) for u in units}
    total = RingkasanUnit(None)
    _hitung(instansi, periode, pp, daftar, hari_ini, units, per_unit, total)
    ada_anak = {u.parent_id for u in units if u.parent_id}
    ringkas = halaman and len(units) > BATAS_BARIS
    tampil, terbuka = units, set()
    if ringkas:
        teratas = min(u.depth for u in units)
        tampil = [u for u in units if u.depth <= teratas + 1]
        terbuka = {u.pk for u in units if u.depth == teratas}
    return Progres([per_unit[u.pk] for u in tampil], total, ringkas, len(units), ada_anak, terbuka)


def progres_anak(
    instansi: Instansi,
    unit: UnitKerja,
    periode: Periode,
    pp: PeriodePenilaian,
    daftar: list[PeriodePenilaian],
    hari_ini: datetime.date | None = None,
) -> Progres:
    """The rows an opened unit of the page shows: the unit itself and the units right below it, each with its
    own pegawai (the same numbers as `progres_pengisian`). ``total`` is the opened unit's own row."""
    units = [unit, *UnitKerja.objects.filter(instansi=instansi, parent=unit).order_by("path")]
    per_unit = {u.pk: RingkasanUnit(u) for u in units}
    _hitung(instansi, periode, pp, daftar, hari_ini, units, per_unit, None)
    ada_anak = set(
        UnitKerja.objects.filter(parent__in=units[1:]).values_list("parent_id", flat=True).distinct()
    )
    if len(units) > 1:
        ada_anak.add(unit.pk)
    return Progres([per_unit[u.pk] for u in units], per_unit[unit.pk], True, len(units), ada_anak, {unit.pk})


# =========================================================================================================
# RHK roll-up: an atasan RHK with the capaian of the bawahan RHK that intervene it
# =========================================================================================================


class SkpRingkas(NamedTuple):
    """What the penilai's board reads of an RHK's SKP (plain values: no model instance per row)."""

    pegawai_id: int
    pegawai_nama: str
    mulai: datetime.date


class RhkRingkas(NamedTuple):
    """An RHK as the penilai's board reads it (`halaman_penilai`): plain values, the attributes of `Rhk` the
    board uses, with whether it has a rencana aksi in the periode."""

    pk: int
    skp_id: int
    intervensi_id: int | None
    jenis: str
    urutan: int
    teks: str
    skp: SkpRingkas
    beraksi: bool


@dataclass
class RhkBawahan:
    rhk: Rhk | RhkRingkas
    jumlah_indikator: int = 0
    terisi: int = 0
    capaian: Decimal | None = None
    url: str = ""  # the realisasi of the bawahan's SKP for the periode, filled by the view

    @property
    def kelas(self) -> str:
        return kelas_capaian(self.capaian)

    @property
    def ringkasan(self) -> str:
        """The capaian when numeric, else how many indikator are filled."""
        if self.capaian is not None:
            return f"{angka_tampil(self.capaian)}%"
        return f"{self.terisi} dari {self.jumlah_indikator} indikator terisi"


@dataclass
class RollupRhk:
    rhk: Rhk | RhkRingkas
    bawahan: list[RhkBawahan]

    @property
    def capaian(self) -> Decimal | None:
        return rata_rata(b.capaian for b in self.bawahan if b.capaian is not None)

    @property
    def kelas(self) -> str:
        return kelas_capaian(self.capaian)

    @property
    def terisi(self) -> int:
        return sum(b.terisi for b in self.bawahan)

    @property
    def jumlah_indikator(self) -> int:
        return sum(b.jumlah_indikator for b in self.bawahan)


# =========================================================================================================
# The penilai's board page in one pass: a fixed number of queries, whatever the bawahan and their RHK
# =========================================================================================================


@dataclass
class HalamanPenilai:
    semua: list[BarisPapan]
    unit_saya: list[UnitKerja]
    skp_saya: Skp | None  # the penilai's own SKP whose RHK roll up (`rollup_penilai`), loaded apart


def _angka_per_skp(pp: PeriodePenilaian, daftar: list[PeriodePenilaian]) -> dict[str, RawSQL]:
    """What the board counts of one SKP, as columns of the SKP query: the last umpan balik by someone other
    than its pegawai and how many fall in the periode (attached to it, or unattached and written during it;
    both summed per pegawai by the caller, as `_umpan_balik`), its RHK, those with a rencana aksi in the
    periode, and its indikator.

    ``qs`` must read Skp as its base table (no alias). Plain SQL, standard (the same on SQLite and
    PostgreSQL), of the models' table and column names: as ORM subqueries and an aggregate query of the RHK
    these cost ~3 ms of query building and compilation on every board (the SQL itself ~0.3 ms)."""
    q = connection.ops.quote_name
    skp = q(Skp._meta.db_table)
    ub, user, rhk = q(UmpanBalik._meta.db_table), q(User._meta.db_table), q(Rhk._meta.db_table)
    aksi, indikator = q(RencanaAksi._meta.db_table), q(Indikator._meta.db_table)
    realisasi, bukti = q(Realisasi._meta.db_table), q(BuktiDukung._meta.db_table)
    tz = timezone.get_current_timezone()
    awal = datetime.datetime.combine(pp.mulai, datetime.time.min, tzinfo=tz)
    akhir = datetime.datetime.combine(pp.selesai + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    waktu = connection.ops.adapt_datetimefield_value

    def kolom(sql: str, params: tuple[Any, ...] = (), jenis: Any = None) -> RawSQL:
        return RawSQL(sql, params, output_field=jenis or IntegerField())  # noqa: S611 — see below

    # Only the models' table and column names, quoted, go into the SQL; the values are parameters.
    # The umpan balik of the SKP not written by its own pegawai (their replies do not count):
    dari_ub = (
        f"FROM {ub} u WHERE u.{q('skp_id')} = {skp}.{q('id')} AND NOT EXISTS(SELECT 1 FROM {user} o "  # noqa: S608
        f"WHERE o.{q('id')} = u.{q('oleh_id')} AND o.{q('pegawai_id')} = {skp}.{q('pegawai_id')})"
    )
    dari_rhk = f"FROM {rhk} r WHERE r.{q('skp_id')} = {skp}.{q('id')}"
    di_periode = (
        f"(u.{q('periode_penilaian_id')} = %s OR "
        f"(u.{q('periode_penilaian_id')} IS NULL AND u.{q('pada')} >= %s AND u.{q('pada')} < %s))"
    )
    ada_aksi = (
        f"EXISTS(SELECT 1 FROM {aksi} a "  # noqa: S608
        f"WHERE a.{q('rhk_id')} = r.{q('id')} AND a.{q('periode_penilaian_id')} = %s)"
    )
    # The realisasi of the SKP's indikator (one per indikator and periode), for the periode with pk %s; the
    # indikator as a subquery (joined, SQLite without statistics would read the whole periode's realisasi):
    dari_realisasi = (
        f"FROM {realisasi} x WHERE x.{q('indikator_id')} IN (SELECT i.{q('id')} FROM {indikator} i "  # noqa: S608
        f"JOIN {rhk} r ON r.{q('id')} = i.{q('rhk_id')} WHERE r.{q('skp_id')} = {skp}.{q('id')}) "
        f"AND x.{q('periode_penilaian_id')}"
    )
    sampai = tuple(p.pk for p in daftar if p.nomor <= pp.nomor)
    terisi = {f"terisi_{p.pk}": kolom(f"(SELECT COUNT(*) {dari_realisasi} = %s)", (p.pk,)) for p in daftar}
    return {
        **terisi,
        "n_terlambat": kolom(
            f"(SELECT COUNT(*) {dari_realisasi} IN ({', '.join(['%s'] * len(sampai))}) "
            f"AND x.{q('terlambat')})",
            sampai,
        ),
        "n_bukti": kolom(
            f"(SELECT COUNT(*) FROM {bukti} b WHERE b.{q('realisasi_id')} IN "  # noqa: S608
            f"(SELECT x.{q('id')} {dari_realisasi} = %s))",
            (pp.pk,),
        ),
        "terakhir_diisi": kolom(
            f"(SELECT MAX(x.{q('diubah_pada')}) {dari_realisasi} IN ({', '.join(['%s'] * len(daftar))}))",
            tuple(p.pk for p in daftar),
            DateTimeField(),
        ),
        "ub_terakhir": kolom(f"(SELECT MAX(u.{q('pada')}) {dari_ub})", (), DateTimeField()),
        "ub_periode": kolom(
            f"(SELECT COUNT(*) {dari_ub} AND {di_periode})", (pp.pk, waktu(awal), waktu(akhir))
        ),
        "n_rhk": kolom(f"(SELECT COUNT(*) {dari_rhk})"),
        "n_beraksi": kolom(f"(SELECT COUNT(*) {dari_rhk} AND {ada_aksi})", (pp.pk,)),
        "n_indikator": kolom(
            f"(SELECT COUNT(*) FROM {indikator} i JOIN {rhk} r ON r.{q('id')} = i.{q('rhk_id')} "  # noqa: S608
            f"WHERE r.{q('skp_id')} = {skp}.{q('id')})"
        ),
    }


def _skp_saya(skp_list: list[Skp], pp: PeriodePenilaian) -> Skp | None:
    """As `pelaksanaan.selectors.skp_realisasi` for the periode, else for the year: the latest approved."""
    disetujui = [s for s in skp_list if s.status == Status.DISETUJUI.value]
    menutup = [s for s in disetujui if s.mulai <= pp.selesai and s.selesai >= pp.mulai]
    for daftar in (menutup, disetujui):
        if daftar:
            return max(daftar, key=lambda s: (s.mulai, s.pk))
    return None


#: A bawahan as the board needs them: (pegawai with only its name fields, jabatan name, unit id).
Bawahan = tuple[Pegawai, str, int | None]


def _tempat_penilai(penilai: Pegawai) -> tuple[list[UnitKerja], list[Bawahan]]:
    """The units the penilai heads and the pegawai they rate today (`organisasi.selectors.bawahan_langsung`):
    cached per penilai and day as plain values, dropped by any change to the instansi's units, jabatan,
    pegawai or placements (the scopes `kinerja.dashboard.invalidasi` drops on every such save). Nothing of
    the SKP, RHK or realisasi is cached: a bawahan's save shows on the board at once."""
    tanggal = org.today()

    def hitung() -> tuple[list[UnitKerja], list[tuple[Any, ...]]]:
        dipegang = [p.jabatan for p in org.penempatan_aktif(penilai, tanggal)]
        unit_saya = sorted(
            (j.unit for j in dipegang if j.pimpinan_unit and j.unit_id), key=lambda u: (u.depth, u.path)
        )
        bawahan = org.bawahan_langsung(penilai, tanggal, dipegang) if dipegang else []
        nilai = [
            (p.pk, p.nama, p.gelar_depan, p.gelar_belakang, b.jabatan.nama, b.jabatan.unit_id)
            for b in bawahan
            for p in (b.pegawai,)
        ]
        return unit_saya, nilai

    scopes = [cache.pegawai(penilai.pk), cache.instansi(penilai.instansi_id)]
    unit_saya, nilai = cache.cached(f"papan-tempat:{tanggal.isoformat()}", scopes, hitung)
    bawahan = [
        (Pegawai(pk=pk, nama=nama, gelar_depan=depan, gelar_belakang=belakang), jabatan, unit_id)
        for pk, nama, depan, belakang, jabatan, unit_id in nilai
    ]
    return unit_saya, bawahan


@dari_replika()  # a board/rekap tolerates a second of lag (kinerja/common/replika.py)
def halaman_penilai(
    penilai: Pegawai,
    periode: Periode,
    pp: PeriodePenilaian,
    daftar: list[PeriodePenilaian],
    hari_ini: datetime.date | None = None,
) -> HalamanPenilai:
    """Everything the penilai's board table shows, in four queries whatever the number of bawahan and RHK:
    the SKP of the year of the bawahan and of the penilai with what is counted of each (`_angka_per_skp`:
    umpan balik, RHK, rencana aksi, indikator), then over the SKP in force their realisasi counted per
    periode (`_hitung_realisasi_skp`), and the numeric indikator with their targets and values (the only
    ones with a capaian, computed by `kinerja.rules`). The penilai's placements, units headed and
    bawahan come from `_tempat_penilai` (cached per day). The rows are the same as `papan_penilai` (tests
    compare them); the roll-up of the penilai's RHK is `rollup_penilai`, loaded when it is opened."""
    hari_ini = hari_ini or timezone.localdate()
    unit_saya, bawahan = _tempat_penilai(penilai)
    pegawai_ids = [b[0].pk for b in bawahan]

    per_pegawai: dict[int, list[Skp]] = defaultdict(list)
    for s in (
        Skp.objects.filter(periode=periode, pegawai_id__in=[*pegawai_ids, penilai.pk])
        .only(*_KOLOM_SKP)
        .annotate(**_angka_per_skp(pp, daftar))
        .order_by("mulai", "pk")
    ):
        per_pegawai[s.pegawai_id].append(s)
    skp_saya = _skp_saya(per_pegawai.pop(penilai.pk, []), pp)

    rows: list[BarisPapan] = []
    for b_pegawai, b_jabatan, b_unit_id in bawahan:
        skp_list = per_pegawai.get(b_pegawai.pk, [])
        row = BarisPapan(b_pegawai, b_jabatan, b_unit_id, _pilih_skp(skp_list, pp))
        for s in skp_list:
            if s.ub_terakhir is not None and (
                row.umpan_balik_terakhir is None or s.ub_terakhir > row.umpan_balik_terakhir
            ):
                row.umpan_balik_terakhir = s.ub_terakhir
            row.umpan_balik_periode += s.ub_periode or 0
        rows.append(row)
    berlaku = {r.skp.pk: r for r in rows if r.skp is not None and r.berlaku}
    sampai = {p.pk for p in daftar if p.nomor <= pp.nomor}
    terisi_per: dict[tuple[int, int], int] = {}  # (skp, periode) -> indikator filled
    for skp_id, row in berlaku.items():
        angka: Any = row.skp
        row.jumlah_rhk, row.rhk_beraksi, row.jumlah_indikator = (
            angka.n_rhk,
            angka.n_beraksi,
            angka.n_indikator,
        )
        for p in daftar:
            terisi_per[(skp_id, p.pk)] = getattr(angka, f"terisi_{p.pk}")
        row.terisi, row.bukti = terisi_per[(skp_id, pp.pk)], angka.n_bukti
        row.diisi_terlambat, row.terakhir_diisi = angka.n_terlambat, angka.terakhir_diisi
    capaian: dict[int, list[Decimal]] = defaultdict(list)
    for skp_id, ind in _muat_angka(Indikator.objects.filter(rhk__skp_id__in=list(berlaku)), periode.pk):
        nilai = _kumulatif(ind, pp, daftar)
        if nilai is not None:
            capaian[skp_id].append(nilai)
    for row in berlaku.values():
        _lengkapi_baris(row, capaian, terisi_per, daftar, sampai, hari_ini)
    return HalamanPenilai(rows, unit_saya, skp_saya)


#: The SKP columns the board reads (`_pilih_skp`, `_skp_saya`, `BarisPapan`, the links, the roll-up).
_KOLOM_SKP = (
    "pk",
    "pegawai_id",
    "pegawai_nama",
    "periode_id",
    "status",
    "mulai",
    "selesai",
    "disetujui_pada",
)


def _muat_angka(indikator: QuerySet[Indikator], periode_id: int) -> list[tuple[int, _Ind]]:
    """The numeric ones of ``indikator`` (the only ones with a capaian), each with its SKP, its period
    targets and this year's realisasi values (``realisasi``: periode pk -> (angka,)). Two queries; the
    kualitatif indikator are only counted (in SQL: `_angka_per_skp`, `_rollup_cepat`)."""
    indikator = indikator.filter(target_angka__isnull=False)
    per_pk = {pk: (skp_id, ind) for pk, (ind, (skp_id,)) in _baca_indikator(indikator, "rhk__skp_id").items()}
    for ind_id, pp_id, angka in (
        Realisasi.objects.filter(indikator__in=indikator, periode_penilaian__periode_id=periode_id)
        .values_list("indikator_id", "periode_penilaian_id", "nilai_angka")
        .order_by()
    ):
        per_pk[ind_id][1].realisasi[pp_id] = (angka,)
    return list(per_pk.values())


@dari_replika()  # a board/rekap tolerates a second of lag (kinerja/common/replika.py)
def rollup_penilai(
    penilai: Pegawai, periode: Periode, pp: PeriodePenilaian, daftar: list[PeriodePenilaian]
) -> tuple[Skp | None, list[RollupRhk]]:
    """The penilai's own SKP shown on their board (`_skp_saya`) and the roll-up of its RHK from the agreed
    bawahan RHK that intervene them: five queries whatever the number of bawahan."""
    skp_saya = _skp_saya(
        list(Skp.objects.filter(periode=periode, pegawai=penilai).only(*_KOLOM_SKP).order_by("mulai", "pk")),
        pp,
    )
    return skp_saya, _rollup_cepat(skp_saya, pp, daftar) if skp_saya is not None else []


#: The roll-up's first query (`_rollup_cepat`): the RHK ``a`` of the penilai's SKP, each with the bawahan RHK
#: ``b`` intervening it and their SKP ``s`` when agreed (or agreed before a revision), of the periode and not
#: the penilai's own; per ``b`` its indikator, the numeric ones, and those with a realisasi in the periode
#: (the subqueries in the order of the columns, parameters in the order they appear). Parameters: the
#: periode penilaian, the periode, the agreed status, the penilai, their SKP. Names are quoted per database.
_SQL_ROLLUP = (
    "SELECT a.{id}, a.{jenis}, a.{urutan}, a.{teks}, b.{id}, b.{skp_id}, b.{jenis}, b.{urutan}, b.{teks}, "
    "s.{id}, s.{pegawai_id}, s.{pegawai_nama}, s.{mulai}, "
    "(SELECT COUNT(*) FROM {ind} i WHERE i.{rhk_id} = b.{id}), "
    "(SELECT COUNT(*) FROM {ind} i WHERE i.{rhk_id} = b.{id} AND i.{target_angka} IS NOT NULL), "
    "(SELECT COUNT(*) FROM {real} x WHERE x.{periode_penilaian_id} = %s "
    "AND x.{indikator_id} IN (SELECT i.{id} FROM {ind} i WHERE i.{rhk_id} = b.{id})) "
    "FROM {rhk} a LEFT JOIN {rhk} b ON b.{intervensi_id} = a.{id} "
    "LEFT JOIN {skp} s ON s.{id} = b.{skp_id} AND s.{periode_id} = %s "
    "AND (s.{status} = %s OR s.{disetujui_pada} IS NOT NULL) AND s.{pegawai_id} <> %s "
    "WHERE a.{skp_id} = %s "
    "ORDER BY a.{jenis}, a.{urutan}, a.{id}, s.{pegawai_nama}, s.{mulai}, b.{jenis}, b.{urutan}, b.{id}"
)
_KOLOM_ROLLUP = (
    "id",
    "jenis",
    "urutan",
    "teks",
    "skp_id",
    "pegawai_id",
    "pegawai_nama",
    "mulai",
    "rhk_id",
    "periode_penilaian_id",
    "indikator_id",
    "intervensi_id",
    "periode_id",
    "status",
    "disetujui_pada",
    "target_angka",
)


def _rollup_cepat(skp: Skp, pp: PeriodePenilaian, daftar: list[PeriodePenilaian]) -> list[RollupRhk]:
    """The roll-up of `rollup_penilai` in three queries of plain values, one when no bawahan RHK has a
    numeric indikator (a test compares it with a plain ORM reading of the same rule). First the RHK of
    ``skp``, each joined to the bawahan RHK intervening it with their SKP, their indikator, the numeric
    ones and those filled in ``pp`` counted in SQL: written as SQL so that the database starts from the
    few RHK of ``skp`` and follows `Rhk.intervensi` (with the SKP's periode as a filter of the join, SQLite
    without statistics scans every SKP of the periode instead: ~18 ms on 20 000 pegawai). A bawahan RHK of
    an SKP not agreed, of another periode or of the penilai themself joins no SKP and is left out. Then,
    only for the bawahan RHK with numeric indikator, those with their targets and values (the capaian, by
    `kinerja.rules`)."""
    conn = connections[router.db_for_read(Rhk)]
    q = conn.ops.quote_name
    nama = {k: q(k) for k in _KOLOM_ROLLUP}
    tabel = {
        k: q(m._meta.db_table)
        for k, m in (("rhk", Rhk), ("skp", Skp), ("ind", Indikator), ("real", Realisasi))
    }
    with conn.cursor() as cursor:
        cursor.execute(
            _SQL_ROLLUP.format(**nama, **tabel),
            [pp.pk, skp.periode_id, Status.DISETUJUI.value, skp.pegawai_id, skp.pk],
        )
        baris = cursor.fetchall()
    saya = SkpRingkas(skp.pegawai_id, skp.pegawai_nama, skp.mulai)
    hasil: list[RollupRhk] = []
    item: dict[int, RhkBawahan] = {}
    angka: list[int] = []  # the bawahan RHK with a numeric indikator (a capaian)
    for (
        pk,
        jenis,
        urutan,
        teks,
        b_pk,
        b_skp,
        b_jenis,
        b_urutan,
        b_teks,
        s_pk,
        pegawai,
        nm,
        mulai,
        n,
        n_angka,
        t,
    ) in baris:
        if not hasil or hasil[-1].rhk.pk != pk:
            hasil.append(RollupRhk(RhkRingkas(pk, skp.pk, None, jenis, urutan, teks, saya, False), []))
        if s_pk is None:  # no bawahan RHK, or one of an SKP left out
            continue
        if not isinstance(mulai, datetime.date):  # SQLite answers dates as text
            mulai = datetime.date.fromisoformat(mulai)
        r = RhkRingkas(b_pk, b_skp, pk, b_jenis, b_urutan, b_teks, SkpRingkas(pegawai, nm, mulai), False)
        item[b_pk] = it = RhkBawahan(r, jumlah_indikator=n, terisi=t)
        hasil[-1].bawahan.append(it)
        if n_angka:
            angka.append(b_pk)
    nilai: dict[int, list[Decimal]] = defaultdict(list)
    for _, ind in _muat_angka(Indikator.objects.filter(rhk_id__in=angka), skp.periode_id) if angka else ():
        c = _kumulatif(ind, pp, daftar)
        if c is not None:
            nilai[ind.rhk_id].append(c)
    for pk, it in item.items():
        it.capaian = rata_rata(nilai.get(pk, []))
    return hasil
