"""Reads of the evaluation pages (docs/rules.md §15): the penilai's list of bawahan per periode, the pegawai's
own evaluations, the admin's list of the instansi, and everything the page of one evaluation shows (target,
realisasi, capaian, bukti, umpan balik and periodic results per RHK and value; the change history).

Every function runs a fixed number of queries whatever the number of bawahan, RHK or history records.
"""

from __future__ import annotations

import datetime
import functools
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone

from kinerja.common import cache
from kinerja.common.riwayat import Perubahan, nama_pelaku
from kinerja.organisasi.models import Instansi, Pegawai, Periode, PeriodePenilaian, User
from kinerja.pelaksanaan import selectors as pelaksanaan
from kinerja.pelaksanaan.models import Realisasi
from kinerja.pelaksanaan.umpan_balik import selectors as umpan_balik
from kinerja.pelaksanaan.umpan_balik.models import UmpanBalik
from kinerja.penilaian import selectors as sel
from kinerja.penilaian.models import CapaianOrganisasiUnit, Evaluasi, JenisEvaluasi, RatingPerilaku, RatingRhk
from kinerja.perencanaan.models import Indikator, IndikatorTargetPeriode, Rhk, Skp
from kinerja.permissions import peran_evaluasi
from kinerja.rules import evaluasi as alur
from kinerja.rules.alur import Status as StatusSkp
from kinerja.rules.evaluasi import Peran, Status, Tahap, TahapEvaluasi, tahap_evaluasi
from kinerja.rules.perilaku import BERAKHLAK
from kinerja.rules.types import JenisRhk, Predikat, Rating

BELUM_DIBUKA = "belum_dibuka"
LABEL_STATUS = {BELUM_DIBUKA: "Belum dibuka", **{s.value: s.label for s in Status}}
KELAS_STATUS = {
    BELUM_DIBUKA: "text-bg-light border",
    Status.DRAFT.value: "text-bg-secondary",
    Status.DINILAI.value: "text-bg-primary",
    Status.FINAL.value: "text-bg-success",
    Status.DIBUKA_KEMBALI.value: "text-bg-warning",
}
KELAS_TAHAP = {
    Tahap.BELUM_DIBUKA: "text-bg-light border",
    Tahap.BELUM_DINILAI: "text-bg-light border",
    Tahap.DRAF: "text-bg-secondary",
    Tahap.SIAP_DITETAPKAN: "text-bg-info",
    Tahap.DINILAI: "text-bg-primary",
    Tahap.DIBUKA_KEMBALI: "text-bg-warning",
    Tahap.FINAL: "text-bg-success",
}
KELAS_PREDIKAT = {
    Predikat.SANGAT_BAIK.value: "text-bg-success",
    Predikat.BAIK.value: "text-bg-primary",
    Predikat.BUTUH_PERBAIKAN.value: "text-bg-warning",
    Predikat.KURANG.value: "text-bg-danger",
    Predikat.SANGAT_KURANG.value: "text-bg-dark",
}
LABEL_RATING = {r.value: r.label for r in Rating}
LABEL_PREDIKAT = {p.value: p.label for p in Predikat}
AKHIR = "akhir"


# --- tabs -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tab:
    """One tab of the list: a periode of the year's scheme, or the annual ("Akhir") evaluation."""

    kode: str  # the periode's nomor, or "akhir"
    nama: str
    periode_penilaian: PeriodePenilaian | None
    batas_evaluasi: datetime.date  # the deadline lock of its evaluations (rules.evaluasi.status_kunci)


def tabs(periode: Periode, daftar: list[PeriodePenilaian] | None = None) -> list[Tab]:
    """The tabs of the year (``daftar``: its periode penilaian when already read)."""
    daftar = pelaksanaan.periode_list(periode) if daftar is None else daftar
    return [Tab(str(p.nomor), p.nama, p, p.batas_evaluasi) for p in daftar] + [
        Tab(AKHIR, "Akhir (tahunan)", None, periode.batas_evaluasi_tahunan)
    ]


def select_tab(daftar: list[Tab], kode: str | None, hari_ini: datetime.date) -> Tab:
    """The tab named by ``?periode=`` (a nomor or "akhir"), else the last periode already ended (the one
    being evaluated), else the first."""
    for t in daftar:
        if kode and t.kode == kode:
            return t
    selesai = [t for t in daftar if t.periode_penilaian and t.periode_penilaian.selesai < hari_ini]
    if selesai:
        return selesai[-1]
    return daftar[0]


# --- status of one row --------------------------------------------------------------------------------------


def status_label(status: str) -> str:
    return LABEL_STATUS.get(status, status)


@dataclass(frozen=True)
class EvaluasiBaris:
    """The evaluation a row of the list links to, as the plain values the row shows."""

    pk: int
    status: str
    hasil_diubah_dari_saran: bool
    perilaku_diubah_dari_saran: bool


@dataclass
class BarisBawahan:
    """One bawahan in the penilai's list (or one pegawai in the admin's list). `_lengkapi` fills the counts
    and then the plain values the table shows, computed once per row (the template only reads them); the
    view adds the links (`url`)."""

    skp_id: int
    pegawai_id: int
    nama: str  # the SKP's pegawai_nama, pegawai_nip, pegawai_jabatan, penilai_nama
    nip: str
    jabatan: str
    penilai_nama: str
    evaluasi: EvaluasiBaris | None = None
    jumlah_rhk: int = 0
    rhk_tanpa_realisasi: int = 0  # RHK without realisasi for the periode and not marked "tidak ada"
    # Indikator with a realisasi for the periode, as the Pemantauan board counts them: "lengkap" means all.
    jumlah_indikator: int = 0
    indikator_terisi: int = 0
    # The one word for the row's state, as on the group page (docs/rules.md §15), and its badge class.
    status_label: str = ""
    status_kelas: str = ""
    keterangan_draf: str = ""  # the draft's explanation (shown only for the "draf" state)
    # Past the batas evaluasi without a running unlock: ratings can no longer change.
    terkunci: bool = False
    final: bool = False
    realisasi_lengkap: bool = False  # every indikator has a realisasi for the periode
    rating_hasil: str = ""  # labels ("" when not rated)
    rating_perilaku: str = ""
    predikat: str = ""
    predikat_kelas: str = ""
    url: str = ""  # the evaluation page, or the form opening it (set by the view)
    html: str = ""  # the row's markup in the list, written by the view (`baris_html`)

    @property
    def status(self) -> str:
        return self.evaluasi.status if self.evaluasi else BELUM_DIBUKA

    @classmethod
    def dari_skp(cls, skp: Skp) -> BarisBawahan:
        return cls(
            skp.pk, skp.pegawai_id, skp.pegawai_nama, skp.pegawai_nip, skp.pegawai_jabatan, skp.penilai_nama
        )


# The evaluation columns a row needs (`_lengkapi`).
KOLOM_EVALUASI = (
    "pk",
    "pegawai_id",
    "status",
    "rating_hasil",
    "saran_hasil",
    "rating_perilaku",
    "saran_perilaku",
    "predikat",
    "kunci_dibuka_sampai",
)


class _Periode:
    """What every row of one periode shares, worked out once per page: whether its ratings may be decided
    (`selectors.status_penetapan_periode`) and its deadline lock per admin unlock
    (`selectors.status_kunci_dari`; the same for every row without one)."""

    def __init__(self, periode: Periode, pp: PeriodePenilaian | None, sekarang: datetime.datetime) -> None:
        self.nama = sel.nama_periode_evaluasi(periode, pp)
        self.batas = pp.batas_evaluasi if pp is not None else periode.batas_evaluasi_tahunan
        self.sekarang = sekarang
        self.berakhir = sel.status_penetapan_periode(periode, pp, sekarang).terbuka
        self._terbuka: dict[datetime.datetime | None, bool] = {}

    def terbuka(self, kunci_dibuka_sampai: datetime.datetime | None) -> bool:
        hasil = self._terbuka.get(kunci_dibuka_sampai)
        if hasil is None:
            hasil = self._terbuka[kunci_dibuka_sampai] = sel.status_kunci_dari(
                self.nama, self.batas, kunci_dibuka_sampai, self.sekarang
            ).terbuka
        return hasil


_TAHAP_BELUM_DIBUKA = tahap_evaluasi(None, semua_dirating=False, ditetapkan=False, periode_berakhir=False)


def _tampilan(b: BarisBawahan, ev: dict[str, Any] | None, per: _Periode) -> None:
    """The row's plain values, from its evaluation's columns and counts."""
    if ev is None:
        t = _TAHAP_BELUM_DIBUKA
    else:
        t = sel.tahap_dari(
            ev["status"], ev["saran_hasil"], ev["saran_perilaku"], ev["predikat"], per.berakhir
        )
        b.terkunci = not per.terbuka(ev["kunci_dibuka_sampai"])
        b.final = ev["status"] == Status.FINAL.value
        b.rating_hasil = LABEL_RATING.get(ev["rating_hasil"], "") if ev["rating_hasil"] else ""
        b.rating_perilaku = LABEL_RATING.get(ev["rating_perilaku"], "") if ev["rating_perilaku"] else ""
        b.predikat = LABEL_PREDIKAT.get(ev["predikat"], "") if ev["predikat"] else ""
        b.predikat_kelas = KELAS_PREDIKAT.get(ev["predikat"], "")
    b.status_label = t.tahap.label
    b.status_kelas = KELAS_TAHAP.get(t.tahap, "text-bg-light")
    b.keterangan_draf = t.keterangan if t.tahap is Tahap.DRAF else ""
    b.realisasi_lengkap = b.indikator_terisi >= b.jumlah_indikator


# The SKP columns a row shows (`_tabel_bawahan.html`) or needs (`_lengkapi`), in `BarisBawahan`'s order.
KOLOM_BARIS = ("pk", "pegawai_id", "pegawai_nama", "pegawai_nip", "pegawai_jabatan", "penilai_nama")


def _skp_berlaku(qs: QuerySet[Skp], periode: Periode, pp: PeriodePenilaian | None) -> QuerySet[Skp]:
    """Approved SKP of the year covering the periode, one per pegawai: the latest starting in the periode
    (the annual evaluation: the last SKP of the year), as `selectors.kelompok` and `open_evaluasi` pick."""
    qs = qs.filter(periode=periode, status=StatusSkp.DISETUJUI.value)
    later = Skp.objects.filter(
        pegawai_id=OuterRef("pegawai_id"),
        periode=periode,
        status=StatusSkp.DISETUJUI.value,
        mulai__gt=OuterRef("mulai"),
    )
    if pp is not None:
        qs = qs.filter(mulai__lte=pp.selesai, selesai__gte=pp.mulai)
        later = later.filter(mulai__lte=pp.selesai)
    return qs.filter(~Exists(later))


def _evaluasi_qs(periode: Periode, pp: PeriodePenilaian | None) -> QuerySet[Evaluasi]:
    # periode and periode_penilaian ride along: each row shows the deadline lock (`BarisBawahan.terkunci`).
    qs = Evaluasi.objects.select_related("periode", "periode_penilaian")
    if pp is None:
        return qs.filter(periode=periode, jenis=JenisEvaluasi.TAHUNAN)
    return qs.filter(periode_penilaian=pp, jenis=JenisEvaluasi.PERIODIK)


def _realisasi_periode(periode: Periode, pp: PeriodePenilaian | None) -> QuerySet[Realisasi]:
    if pp is None:
        return Realisasi.objects.filter(periode_penilaian__periode=periode)
    return Realisasi.objects.filter(periode_penilaian=pp)


def _lengkapi(baris: list[BarisBawahan], periode: Periode, pp: PeriodePenilaian | None) -> None:
    """Attach the evaluation, the gate count (RHK still waiting for realisasi) and the indikator filled for
    the periode to each row: 2 queries (the evaluations as the columns a row shows)."""
    if not baris:
        return
    pegawai_ids = [b.pegawai_id for b in baris]
    evs = {
        e["pegawai_id"]: e
        for e in _evaluasi_qs(periode, pp)
        .select_related(None)
        .filter(pegawai_id__in=pegawai_ids)
        .order_by()
        .values(*KOLOM_EVALUASI)
    }
    # One row per (RHK, indikator), or (RHK, None) for an RHK without indikator: an RHK "has realisasi" when
    # one of its indikator has one for the periode; it is "marked" when its row on the pegawai's evaluation
    # of the periode (one per pegawai) says "tidak ada realisasi" with a reason.
    terisi = Exists(_realisasi_periode(periode, pp).filter(indikator=OuterRef("indikator__pk")))
    tanpa = RatingRhk.objects.filter(rhk=OuterRef("pk"), tanpa_realisasi=True).exclude(
        tanpa_realisasi_alasan=""
    )
    if pp is None:
        tanpa = tanpa.filter(evaluasi__periode=periode, evaluasi__jenis=JenisEvaluasi.TAHUNAN)
    else:
        tanpa = tanpa.filter(evaluasi__periode_penilaian=pp, evaluasi__jenis=JenisEvaluasi.PERIODIK)
    rhk_ada: dict[int, bool] = {}
    rhk_skp: dict[int, int] = {}
    ditandai: set[int] = set()
    indikator: dict[int, list[bool]] = defaultdict(list)
    for pk, skp_id, ind_id, ada_realisasi, ada_tanda in (
        Rhk.objects.filter(skp_id__in=[b.skp_id for b in baris])
        .annotate(ada=terisi, ditandai=Exists(tanpa))
        .values_list("pk", "skp_id", "indikator__pk", "ada", "ditandai")
        .order_by()
    ):
        rhk_skp[pk] = skp_id
        rhk_ada[pk] = rhk_ada.get(pk, False) or (ind_id is not None and ada_realisasi)
        if ada_tanda:
            ditandai.add(pk)
        if ind_id is not None:
            indikator[skp_id].append(ada_realisasi)
    per = _Periode(periode, pp, timezone.now())
    per_skp: dict[int, list[tuple[int, bool]]] = defaultdict(list)
    for pk, skp_id in rhk_skp.items():
        per_skp[skp_id].append((pk, rhk_ada[pk]))
    for b in baris:
        ev = evs.get(b.pegawai_id)
        if ev is not None:
            b.evaluasi = EvaluasiBaris(
                ev["pk"],
                ev["status"],
                bool(ev["rating_hasil"] and ev["saran_hasil"] and ev["rating_hasil"] != ev["saran_hasil"]),
                bool(
                    ev["rating_perilaku"]
                    and ev["saran_perilaku"]
                    and ev["rating_perilaku"] != ev["saran_perilaku"]
                ),
            )
        daftar = per_skp.get(b.skp_id, [])
        b.jumlah_rhk = len(daftar)
        # a mark counts only on an opened evaluation (none: nothing is marked yet)
        b.rhk_tanpa_realisasi = sum(1 for pk, a in daftar if not a and (ev is None or pk not in ditandai))
        b.jumlah_indikator = len(indikator.get(b.skp_id, []))
        b.indikator_terisi = sum(indikator.get(b.skp_id, []))
        _tampilan(b, ev, per)


def bawahan(penilai: Pegawai, periode: Periode, pp: PeriodePenilaian | None) -> list[BarisBawahan]:
    """The approved SKP this pegawai is penilai of in the periode (annual: the year), with their evaluation,
    status, ratings, predikat and gate count. Three queries for any number of bawahan (one without any)."""
    skp = (
        _skp_berlaku(Skp.objects.filter(penilai=penilai), periode, pp)
        .order_by("pegawai_nama", "pk")
        .values_list(*KOLOM_BARIS)
    )
    baris = [BarisBawahan(*s) for s in skp]
    _lengkapi(baris, periode, pp)
    return baris


def bawahan_belum_disetujui(penilai: Pegawai, periode: Periode) -> list[Skp]:
    """This year's SKP the pegawai is penilai of that are not approved (draft, submitted, returned): they
    cannot be evaluated, and the list says so instead of leaving them out silently. One query: every SKP of
    the pegawai with such an SKP (by the penilai's and the pegawai's indexes, whatever the size of the
    instansi), sorted out here: their SKP of this periode, unless one of them is approved."""
    belum = [s.value for s in StatusSkp if s is not StatusSkp.DISETUJUI]
    semua = list(
        Skp.objects.filter(
            pegawai_id__in=Skp.objects.filter(penilai=penilai, status__in=belum).values("pegawai_id")
        )
        # the columns sorted on and shown (its link, name and status): fewer to compile and read
        .only("pegawai_id", "pegawai_nama", "periode_id", "status", "penilai_id")
        .order_by("pegawai_nama", "pk")
    )
    disetujui = {
        s.pegawai_id for s in semua if s.periode_id == periode.pk and s.status == StatusSkp.DISETUJUI.value
    }
    return [
        s
        for s in semua
        if s.penilai_id == penilai.pk
        and s.periode_id == periode.pk
        and s.status != StatusSkp.DISETUJUI.value
        and s.pegawai_id not in disetujui
    ]


def tanpa_penilai(instansi: Instansi, periode: Periode, pp: PeriodePenilaian | None) -> list[BarisBawahan]:
    """The approved SKP without a penilai (the head of the instansi): the admin kepegawaian rates them."""
    skp = _skp_berlaku(Skp.objects.filter(instansi=instansi, penilai__isnull=True), periode, pp)
    baris = [BarisBawahan(*s) for s in skp.order_by("pegawai_nama", "pk").values_list(*KOLOM_BARIS)]
    _lengkapi(baris, periode, pp)
    return baris


def menilai_tahun_ini(pegawai: Pegawai, periode: Periode) -> bool:
    """Is this pegawai penilai of any approved SKP of the year (one query)?"""
    return Skp.objects.filter(penilai=pegawai, periode=periode, status=StatusSkp.DISETUJUI.value).exists()


def kelas(evs: list[Evaluasi]) -> list[Evaluasi]:
    """Set ``kelas_status`` and ``kelas_predikat`` (badge classes) on each evaluation, for the templates."""
    for e in evs:
        e.kelas_status = KELAS_STATUS.get(e.status, "")  # type: ignore[attr-defined]
        e.kelas_predikat = KELAS_PREDIKAT.get(e.predikat, "")  # type: ignore[attr-defined]
    return evs


# The labels of the evaluation's choices, as ``get_FOO_display`` gives them.
_LABEL_PILIHAN = {
    nama: {k: str(v) for k, v in Evaluasi._meta.get_field(nama).flatchoices}
    for nama in ("status", "rating_hasil", "rating_perilaku", "predikat")
}


@dataclass(frozen=True)
class EvaluasiSaya:
    """One of the pegawai's own evaluations in their list, as the plain values it shows."""

    pk: int
    nama: str  # the periode's name, or "Akhir (tahunan)"
    status: str  # label
    kelas_status: str
    rating_hasil: str  # labels ("" when not rated)
    rating_perilaku: str
    predikat: str
    kelas_predikat: str


def evaluasi_saya(pegawai: Pegawai, periode: Periode) -> list[EvaluasiSaya]:
    """The pegawai's own evaluations of the year: the periodic ones in order, then the annual one."""
    label = _LABEL_PILIHAN
    return [
        EvaluasiSaya(
            pk,
            nama or "Akhir (tahunan)",
            label["status"].get(status, status),
            KELAS_STATUS.get(status, ""),
            label["rating_hasil"].get(hasil, hasil),
            label["rating_perilaku"].get(perilaku, perilaku),
            label["predikat"].get(predikat, predikat),
            KELAS_PREDIKAT.get(predikat, ""),
        )
        for pk, nama, status, hasil, perilaku, predikat in Evaluasi.objects.filter(
            pegawai=pegawai, periode=periode
        )
        .order_by("jenis", "periode_penilaian__nomor")
        .values_list("pk", "periode_penilaian__nama", "status", "rating_hasil", "rating_perilaku", "predikat")
    ]


# --- admin: every evaluation of the instansi ------------------------------------------------------------


def list_instansi(
    instansi: Instansi, periode: Periode, pp: PeriodePenilaian | None, q: str = "", status: str = ""
) -> QuerySet[Skp]:
    """The instansi's approved SKP for the periode, annotated with their evaluation (``ev_id``,
    ``ev_status``; empty: not opened), searchable by name or NIP and filterable by status. Paginate it and
    pass the page to `baris_halaman`."""
    evs = _evaluasi_qs(periode, pp).filter(pegawai_id=OuterRef("pegawai_id"))
    qs = (
        _skp_berlaku(Skp.objects.filter(instansi=instansi), periode, pp)
        .annotate(ev_id=Subquery(evs.values("pk")[:1]), ev_status=Subquery(evs.values("status")[:1]))
        .order_by("pegawai_nama", "pk")
    )
    q = (q or "").strip()
    if q:
        qs = qs.filter(
            Q(pegawai_nama__icontains=q)
            | Q(pegawai_nip__icontains=q)
            | Q(penilai_nama__icontains=q)
            | Q(pegawai_unit__icontains=q)
        )
    if status == BELUM_DIBUKA:
        qs = qs.filter(ev_id__isnull=True)
    elif status in LABEL_STATUS:
        qs = qs.filter(ev_status=status)
    return qs


def baris_halaman(skp: list[Skp], periode: Periode, pp: PeriodePenilaian | None) -> list[BarisBawahan]:
    baris = [BarisBawahan.dari_skp(s) for s in skp]
    _lengkapi(baris, periode, pp)
    return baris


# --- the page of one evaluation -----------------------------------------------------------------------


@dataclass
class IndikatorEvaluasi:
    """One indikator: its row for the evaluated periode (annual: the last periode, whose ``kumulatif`` is
    the year to date) and, for the annual evaluation, its row in every periode."""

    indikator: Indikator
    baris: pelaksanaan.BarisIndikator
    per_periode: list[tuple[PeriodePenilaian, pelaksanaan.BarisIndikator]] = field(default_factory=list)

    @property
    def bukti(self) -> int:
        r = self.baris.realisasi
        return getattr(r, "jumlah_bukti", 0) if r else 0


@dataclass
class BarisRhkEvaluasi:
    row: RatingRhk
    nomor: str
    indikator: list[IndikatorEvaluasi]
    ada_realisasi: bool
    belum_siap: bool
    umpan_balik: list[umpan_balik.Kelompok] = field(default_factory=list)
    periodik: list[tuple[str, str]] = field(default_factory=list)  # annual: (periode, rating label)
    form: Any = None
    form_tanpa: Any = None
    galat: list[str] = field(default_factory=list)
    konflik: bool = False
    tersimpan: bool = False

    # The row's form addresses, built once (a `{% url %}` per use cost more).
    @cached_property
    def url_nilai(self) -> str:
        return reverse("penilaian:evaluasi_rhk", args=[self.row.evaluasi_id, self.row.pk])

    @cached_property
    def url_tanpa(self) -> str:
        return reverse("penilaian:evaluasi_tanpa_realisasi", args=[self.row.evaluasi_id, self.row.pk])

    @property
    def utama(self) -> bool:
        return self.row.rhk_jenis == JenisRhk.UTAMA.value

    @property
    def jumlah_umpan_balik(self) -> int:
        return sum(len(k.utas) for k in self.umpan_balik)


@dataclass
class BarisPerilaku:
    row: RatingPerilaku
    nama: str
    panduan: tuple[str, ...]
    umpan_balik: list[umpan_balik.Kelompok] = field(default_factory=list)
    periodik: list[tuple[str, str]] = field(default_factory=list)
    form: Any = None
    galat: list[str] = field(default_factory=list)
    konflik: bool = False
    tersimpan: bool = False

    @cached_property
    def url_nilai(self) -> str:
        """The row's form address, built once (a `{% url %}` per use cost more)."""
        return reverse("penilaian:evaluasi_perilaku", args=[self.row.evaluasi_id, self.row.kode])

    @property
    def jumlah_umpan_balik(self) -> int:
        return sum(len(k.utas) for k in self.umpan_balik)


@dataclass
class EntriRiwayat:
    """One changed record in the history: what (the evaluation, an RHK or a value), and its changes."""

    objek: str
    jenis: str  # "+" created, "~" changed, "-" deleted
    perubahan: list[Perubahan]


@dataclass
class BatchRiwayat:
    """The history records written by one user in one action (within a few seconds)."""

    pada: datetime.datetime
    oleh: str
    entri: list[EntriRiwayat] = field(default_factory=list)


@dataclass
class HalamanEvaluasi:
    evaluasi: Evaluasi
    peran: set[Peran]
    rhk: list[BarisRhkEvaluasi]
    perilaku: list[BarisPerilaku]
    belum_siap: list[RatingRhk]
    periode_list: list[PeriodePenilaian]
    periodik: list[Evaluasi]  # annual: every periodic evaluation of the year
    capaian_unit: CapaianOrganisasiUnit | None  # head of a unit: the capaian organisasi used
    kunci: alur.StatusKunci  # the deadline lock now
    penetapan: alur.StatusKunci  # may the ratings be decided now (the periode has ended)
    rhk_nomor: dict[int, str] = field(default_factory=dict)  # rating row -> "A.1", "B.2"

    @cached_property
    def url_umpan_balik(self) -> str:
        """The SKP's feedback page, linked under every row: built once (a `{% url %}` per row cost more)."""
        return reverse("pelaksanaan:umpan_balik_skp", args=[self.evaluasi.skp_id])

    @cached_property
    def riwayat(self) -> list[BatchRiwayat]:
        """The change history, read only when shown: the whole page shows it, the answer to a row saved with
        htmx does not. Three queries, or none when the evaluation was read with `dengan_jejak_riwayat` and
        its history has not grown since it was last shown (`kinerja.common.cache`: the key carries the
        newest history record of the evaluation, of its RHK rows and of its values, so any change of them,
        by whatever write, is a new key; a renamed user shows under the old name until the TTL)."""
        ev = self.evaluasi
        if not hasattr(ev, "jejak_evaluasi"):
            return riwayat(ev, self.rhk_nomor)
        jejak = f"{ev.jejak_evaluasi}.{ev.jejak_rhk}.{ev.jejak_perilaku}"
        return cache.cached(
            f"riwayat-evaluasi:{ev.pk}:{ev.versi}:{jejak}",
            [cache.scope("evaluasi", ev.pk)],
            lambda: riwayat(ev, self.rhk_nomor),
        )

    @property
    def dapat_diubah(self) -> bool:
        """Ratings may change: not final, and before the deadline (or unlocked by the admin)."""
        return self.evaluasi.status != Status.FINAL.value and self.kunci.terbuka

    @property
    def bisa_buka_kunci(self) -> bool:
        """The admin may unlock (or extend the unlock of) a non-final evaluation past its deadline."""
        return (
            Peran.ADMIN in self.peran
            and self.evaluasi.status != Status.FINAL.value
            and (not self.kunci.terbuka or self.kunci.terlambat)
        )

    @property
    def penilai(self) -> bool:
        return Peran.PENILAI in self.peran

    @property
    def bisa_nilai(self) -> bool:
        return self.penilai and self.dapat_diubah

    @property
    def bisa_sesuaikan(self) -> bool:
        ev = self.evaluasi
        return (
            Peran.ATASAN_PENILAI in self.peran
            and self.dapat_diubah
            and bool(ev.rating_hasil and ev.rating_perilaku)
        )

    @property
    def bisa_buka_kembali(self) -> bool:
        return Peran.ADMIN in self.peran and self.evaluasi.is_final

    @property
    def predikat_kelas(self) -> str:
        return KELAS_PREDIKAT.get(self.evaluasi.predikat, "")

    @cached_property
    def tahap(self) -> TahapEvaluasi:
        """The one word for the evaluation's state, as on the list and the group page (docs/rules.md §15)."""
        ev = self.evaluasi
        return alur.tahap_evaluasi(
            ev.status,
            semua_dirating=bool(ev.saran_hasil and ev.saran_perilaku),
            ditetapkan=bool(ev.predikat),
            periode_berakhir=self.penetapan.terbuka,
        )

    @property
    def status_kelas(self) -> str:
        return KELAS_TAHAP.get(self.tahap.tahap, "")

    @property
    def jumlah_dinilai(self) -> int:
        return sum(1 for r in self.rhk if r.row.rating)

    @property
    def perilaku_dinilai(self) -> int:
        return sum(1 for p in self.perilaku if p.row.rating)


@functools.cache
def _sql_jejak(vendor: str) -> dict[str, str]:
    """The SQL of `dengan_jejak_riwayat`'s columns, written once per process (per database ``vendor``): the
    history models are reached through ``Model.history``, a manager simple_history builds afresh on each
    access (~0.1 ms each, on every page)."""
    q = connection.ops.quote_name
    ev = q(Evaluasi._meta.db_table)

    def terbaru(model: Any, kolom: str, luar: str) -> str:
        tabel = q(model._meta.db_table)
        return f"(SELECT MAX(h.{q('history_id')}) FROM {tabel} h WHERE h.{q(kolom)} = {ev}.{q(luar)})"  # noqa: S608

    umpan = q(UmpanBalik._meta.db_table)
    return {
        "jejak_evaluasi": terbaru(Evaluasi.history.model, "id", "id"),  # type: ignore[attr-defined]
        "jejak_rhk": terbaru(RatingRhk.history.model, "evaluasi_id", "id"),  # type: ignore[attr-defined]
        "jejak_perilaku": terbaru(RatingPerilaku.history.model, "evaluasi_id", "id"),  # type: ignore[attr-defined]
        "ada_umpan_balik": f"EXISTS(SELECT 1 FROM {umpan} u WHERE u.{q('skp_id')} = {ev}.{q('skp_id')})",  # noqa: S608
    }


def dengan_jejak_riwayat(qs: QuerySet[Evaluasi]) -> QuerySet[Evaluasi]:
    """Each evaluation with ``jejak_riwayat``: the ids of the newest history record of the evaluation, of its
    RHK rows and of its values, read in the same query (the key of the cached history), and
    ``ada_umpan_balik``: its SKP has umpan balik (`halaman_evaluasi` reads the threads only then).

    ``qs`` reads Evaluasi as its base table (no alias). The four columns are plain SQL (standard, the same
    on SQLite and PostgreSQL): as ORM subqueries they cost ~3 ms of query compilation on every page."""
    sql = _sql_jejak(connection.vendor)  # only table and column names of the models, quoted; no input
    return qs.annotate(
        jejak_evaluasi=RawSQL(sql["jejak_evaluasi"], (), output_field=IntegerField()),  # noqa: S611
        jejak_rhk=RawSQL(sql["jejak_rhk"], (), output_field=IntegerField()),  # noqa: S611
        jejak_perilaku=RawSQL(sql["jejak_perilaku"], (), output_field=IntegerField()),  # noqa: S611
        ada_umpan_balik=RawSQL(sql["ada_umpan_balik"], (), output_field=BooleanField()),  # noqa: S611
    )


def evaluasi_qs() -> QuerySet[Evaluasi]:
    return Evaluasi.objects.select_related(
        "periode",
        "periode_penilaian__periode",
        "skp__periode",
        "unit_dipimpin",
        "instansi",
        "penilai_eksternal",
    )


def _indikator_rhk(rhk_ids: list[int], daftar: list[PeriodePenilaian]) -> dict[int, list[Indikator]]:
    """The RHK's indikator in order, per RHK, each with its targets by number and ``daftar_realisasi``
    (this year's realisasi, by periode number, each with its number of bukti dukung and its periode
    penilaian from ``daftar``, the year's periods): three plain queries grouped here, children ordered
    within their parent (as `pelaksanaan.selectors._rhk_halaman`; prefetching them cost more)."""
    per_rhk: dict[int, list[Indikator]] = defaultdict(list)
    if not rhk_ids:
        return per_rhk
    indikator = list(Indikator.objects.filter(rhk_id__in=rhk_ids).order_by("urutan", "pk"))
    ids = [i.pk for i in indikator]
    target: dict[int, dict[int, tuple[Any, str]]] = defaultdict(dict)
    realisasi: dict[int, list[Realisasi]] = defaultdict(list)
    if ids:
        # Unordered: the default order (indikator, nomor) joins indikator, RHK, SKP and periode for a dict.
        for t in (
            IndikatorTargetPeriode.objects.filter(indikator_id__in=ids)
            .order_by()
            .values_list("indikator_id", "nomor", "target_angka", "target_teks")
        ):
            target[t[0]][t[1]] = (t[2], t[3])
        per_pk = {p.pk: p for p in daftar}
        for r in (
            Realisasi.objects.filter(indikator_id__in=ids, periode_penilaian_id__in=list(per_pk))
            .annotate(jumlah_bukti=Count("bukti"))
            .order_by()  # sorted below by periode number (one realisasi per indikator and periode)
        ):
            r.periode_penilaian = per_pk[r.periode_penilaian_id]
            realisasi[r.indikator_id].append(r)
    for i in indikator:
        i._target_per_nomor = target[i.pk]  # type: ignore[attr-defined]
        i.daftar_realisasi = sorted(realisasi[i.pk], key=lambda r: r.periode_penilaian.nomor)  # type: ignore[attr-defined]
        per_rhk[i.rhk_id].append(i)
    return per_rhk


def _nomor(rows: list[RatingRhk]) -> dict[int, str]:
    hitung: dict[str, int] = {}
    nomor = {}
    for r in rows:
        hitung[r.rhk_jenis] = hitung.get(r.rhk_jenis, 0) + 1
        nomor[r.pk] = f"{'A' if r.rhk_jenis == JenisRhk.UTAMA.value else 'B'}.{hitung[r.rhk_jenis]}"
    return nomor


FIELD_EVALUASI = {
    "status": "Status",
    "rating_hasil": "Rating hasil kerja",
    "saran_hasil": "Saran rating hasil kerja",
    "alasan_ubah_hasil": "Alasan rating hasil kerja berbeda dari saran",
    "rating_perilaku": "Rating perilaku kerja",
    "saran_perilaku": "Saran rating perilaku kerja",
    "alasan_ubah_perilaku": "Alasan rating perilaku kerja berbeda dari saran",
    "predikat": "Predikat kinerja",
    "capaian_organisasi": "Capaian organisasi unit yang dipimpin",
    "catatan": "Catatan",
    "rekomendasi": "Rekomendasi",
    "disesuaikan_atasan_alasan": "Alasan penyesuaian atasan pejabat penilai",
    "dibuka_kembali_alasan": "Alasan dibuka kembali",
}
FIELD_RHK = {
    "rating": "Rating",
    "catatan": "Catatan",
    "tanpa_realisasi": "Tidak ada realisasi",
    "tanpa_realisasi_alasan": "Alasan tidak ada realisasi",
}
FIELD_PERILAKU = {"rating": "Rating", "catatan": "Catatan"}
NAMA_PERILAKU = {n.kode: n.nama for n in BERAKHLAK}
_PILIHAN = {**LABEL_RATING, **LABEL_PREDIKAT, **LABEL_STATUS}


def _tampil(field_name: str, nilai: Any) -> str:
    if isinstance(nilai, bool):
        return "ya" if nilai else "tidak"
    if nilai in (None, ""):
        return "—"
    if field_name in (
        "status",
        "rating",
        "rating_hasil",
        "saran_hasil",
        "rating_perilaku",
        "saran_perilaku",
        "predikat",
    ):
        return _PILIHAN.get(nilai, str(nilai))
    if field_name == "capaian_organisasi":
        return str(nilai).replace("_", " ").capitalize()
    return str(nilai)


def riwayat(ev: Evaluasi, rhk_nomor: dict[int, str] | None = None, jeda_detik: int = 2) -> list[BatchRiwayat]:
    """The change history of the evaluation and its rating rows, newest first, batched by user and moment
    (one action writes the row and the evaluation). Three queries."""
    rhk_nomor = rhk_nomor or {}
    sumber = [
        (ev.history.filter(id=ev.pk), FIELD_EVALUASI, lambda h: "Evaluasi"),
        (
            RatingRhk.history.filter(evaluasi_id=ev.pk),
            FIELD_RHK,
            lambda h: f"RHK {rhk_nomor.get(h.id, '')} {h.rhk_teks[:60]}".replace("  ", " "),
        ),
        (
            RatingPerilaku.history.filter(evaluasi_id=ev.pk),
            FIELD_PERILAKU,
            lambda h: f"Perilaku: {NAMA_PERILAKU.get(h.kode, h.kode)}",
        ),
    ]
    semua: list[tuple[datetime.datetime, int, Any, EntriRiwayat]] = []
    for qs, fields, nama in sumber:
        sebelumnya: dict[int, Any] = {}
        for h in qs.select_related("history_user__pegawai").order_by("history_date", "history_id"):
            lama = sebelumnya.get(h.id)
            sebelumnya[h.id] = h
            if h.history_type == "-":
                perubahan: list[Perubahan] = []
            else:
                perubahan = [
                    Perubahan(label, _tampil(f, getattr(lama, f)) if lama else "—", _tampil(f, getattr(h, f)))
                    for f, label in fields.items()
                    if (getattr(lama, f) if lama else None) != getattr(h, f)
                    and not (lama is None and getattr(h, f) in ("", None, False))
                ]
                if h.history_type == "~" and not perubahan:
                    continue  # a save that changed nothing shown (the version, the snapshot)
            semua.append(
                (
                    h.history_date,
                    h.history_user_id or 0,
                    h.history_user,
                    EntriRiwayat(nama(h), h.history_type, perubahan),
                )
            )
    semua.sort(key=lambda x: x[0], reverse=True)
    batch: list[BatchRiwayat] = []
    kunci: tuple[int, datetime.datetime] | None = None
    for pada, user_id, user, entri in semua:
        if kunci is None or kunci[0] != user_id or (kunci[1] - pada).total_seconds() > jeda_detik:
            batch.append(BatchRiwayat(pada, nama_pelaku(user, "sistem")))
            kunci = (user_id, pada)
        batch[-1].entri.append(entri)
    for b in batch:
        b.entri.reverse()  # inside one action, in the order written
    return batch


def halaman_evaluasi(ev: Evaluasi, user: User) -> HalamanEvaluasi:
    """Everything the evaluation page shows, in a fixed number of queries (pass `evaluasi_qs()` rows)."""
    periode = ev.periode
    if periode.instansi_id == ev.instansi_id and Evaluasi.instansi.is_cached(ev):  # type: ignore[attr-defined]
        periode.instansi = ev.instansi  # read with the evaluation: `periode_list` then joins no instansi
    daftar = pelaksanaan.periode_list(periode)
    rows = list(ev.rating_rhk.order_by("urutan", "pk"))
    indikator_rhk = _indikator_rhk([x.rhk_id for x in rows if x.rhk_id], daftar)
    # What blocks the rating (`selectors.rhk_belum_siap`), from the realisasi just read: those of the
    # periode (annual: of the year) count.
    ada = {
        rhk_id
        for rhk_id, daftar_ind in indikator_rhk.items()
        for ind in daftar_ind
        for r in ind.daftar_realisasi
        if ev.periode_penilaian_id is None or r.periode_penilaian_id == ev.periode_penilaian_id
    }
    belum = sel.rhk_belum_siap_dari(rows, ada)
    belum_ids = {r.pk for r in belum}
    nomor = _nomor(rows)
    pp = ev.periode_penilaian
    acuan = pp or (daftar[-1] if daftar else None)

    # Umpan balik on this SKP, grouped per RHK (its own threads and those on its realisasi) and value.
    # Read with `dengan_jejak_riwayat`, the evaluation says whether there is any to read.
    ada = getattr(ev, "ada_umpan_balik", True)
    utas = list(umpan_balik.utas_qs().filter(skp_id=ev.skp_id)) if ada else []
    umpan_balik.prepare_utas(utas, user)
    rhk_nomor = {r.rhk_id: nomor[r.pk] for r in rows if r.rhk_id}
    kelompok_rhk: dict[int, list[umpan_balik.Kelompok]] = defaultdict(list)
    kelompok_perilaku: dict[str, list[umpan_balik.Kelompok]] = defaultdict(list)
    for k in umpan_balik.kelompokkan(utas, rhk_nomor):
        if k.jenis == "perilaku":
            kelompok_perilaku[k.utas[0].perilaku_kode].append(k)
        else:
            kelompok_rhk[k.kunci[2]].append(k)

    # Annual: every periodic evaluation of the year with its ratings per RHK and value.
    periodik: list[Evaluasi] = []
    per_rhk: dict[int, list[tuple[str, str]]] = defaultdict(list)
    per_kode: dict[str, list[tuple[str, str]]] = defaultdict(list)
    if ev.is_tahunan:
        periodik = kelas(
            list(
                Evaluasi.objects.filter(
                    pegawai_id=ev.pegawai_id, periode=periode, jenis=JenisEvaluasi.PERIODIK
                )
                .select_related("periode_penilaian__periode")
                .prefetch_related("rating_rhk", "rating_perilaku_set")
                .order_by("periode_penilaian__nomor")
            )
        )
        for p in periodik:
            for r in p.rating_rhk.all():
                if r.rhk_id and r.rating:
                    per_rhk[r.rhk_id].append((p.periode_penilaian.nama, LABEL_RATING[r.rating]))
            for r in p.rating_perilaku_set.all():
                if r.rating:
                    per_kode[r.kode].append((p.periode_penilaian.nama, LABEL_RATING[r.rating]))

    baris_rhk = []
    for row in rows:
        indikator = []
        if row.rhk_id and acuan is not None:
            for ind in indikator_rhk.get(row.rhk_id, []):
                utama = pelaksanaan.baris_indikator(ind, acuan, daftar)
                semua = (
                    [(p, pelaksanaan.baris_indikator(ind, p, daftar)) for p in daftar]
                    if ev.is_tahunan
                    else []
                )
                indikator.append(IndikatorEvaluasi(ind, utama, semua))
        if ev.is_tahunan:
            ada = any(b.realisasi for i in indikator for _, b in i.per_periode)
        else:
            ada = any(i.baris.realisasi for i in indikator)
        baris_rhk.append(
            BarisRhkEvaluasi(
                row=row,
                nomor=nomor[row.pk],
                indikator=indikator,
                ada_realisasi=ada,
                belum_siap=row.pk in belum_ids,
                umpan_balik=kelompok_rhk.get(row.rhk_id, []) if row.rhk_id else [],
                periodik=per_rhk.get(row.rhk_id, []) if row.rhk_id else [],
            )
        )

    perilaku_rows = {r.kode: r for r in ev.rating_perilaku_set.order_by("pk")}
    baris_perilaku = [
        BarisPerilaku(
            row=perilaku_rows[n.kode],
            nama=n.nama,
            panduan=n.panduan,
            umpan_balik=kelompok_perilaku.get(n.kode, []),
            periodik=per_kode.get(n.kode, []),
        )
        for n in BERAKHLAK
        if n.kode in perilaku_rows
    ]
    cap = sel.capaian_unit(ev.unit_dipimpin_id, ev.periode_id, pp) if ev.unit_dipimpin_id else None
    return HalamanEvaluasi(
        evaluasi=ev,
        peran=peran_evaluasi(ev, user),
        rhk=baris_rhk,
        perilaku=baris_perilaku,
        belum_siap=belum,
        periode_list=daftar,
        periodik=periodik,
        capaian_unit=cap,
        kunci=sel.status_kunci(ev),
        penetapan=sel.status_penetapan(ev),
        rhk_nomor={r.pk: nomor[r.pk] for r in rows},
    )


def halaman_baris(
    ev: Evaluasi, user: User, rows: list[RatingRhk], perilaku: list[RatingPerilaku], peran: set[Peran]
) -> HalamanEvaluasi:
    """The part of the page that a rating of one RHK or value saved with htmx re-renders (the row's form and
    badge, the header, the counters, the suggestions), from the rows already read (``rows``: every RHK row
    in page order; ``perilaku``: every value) and the user's roles: no query. The RHK rows carry no
    indikator, umpan balik or gate, which a rating does not change; the answer does not show them."""
    nomor = _nomor(rows)
    per_kode = {r.kode: r for r in perilaku}
    return HalamanEvaluasi(
        evaluasi=ev,
        peran=peran,
        rhk=[BarisRhkEvaluasi(r, nomor[r.pk], [], ada_realisasi=False, belum_siap=False) for r in rows],
        perilaku=[
            BarisPerilaku(per_kode[n.kode], n.nama, n.panduan) for n in BERAKHLAK if n.kode in per_kode
        ],
        belum_siap=[],
        periode_list=[],
        periodik=[],
        capaian_unit=None,
        kunci=sel.status_kunci(ev),
        penetapan=sel.status_penetapan(ev),
        rhk_nomor={r.pk: nomor[r.pk] for r in rows},
    )


@dataclass(frozen=True)
class Tetangga:
    """The previous and the next bawahan still to decide in the one-pass rating (docs/rules.md §33)."""

    sebelumnya: tuple[int, str] | None  # (evaluation id, pegawai's name)
    berikutnya: tuple[int, str] | None
    sisa: int  # evaluations of the group not decided yet, this one included when it is not


def tetangga(ev: Evaluasi) -> Tetangga:
    """Among the evaluations of the same penilai, periode and periode penilaian that are not decided yet (no
    predikat, not final), by the pegawai's name: the one before and the one after ``ev``. One query."""
    baris = list(
        Evaluasi.objects.filter(
            periode_id=ev.periode_id,
            periode_penilaian_id=ev.periode_penilaian_id,
            penilai_id=ev.penilai_id,
            penilai_eksternal_id=ev.penilai_eksternal_id,
        )
        .filter(Q(predikat="") | Q(pk=ev.pk))
        .exclude(status=Status.FINAL.value)
        .order_by("pegawai_nama", "pk")
        .values_list("pk", "pegawai_nama", "predikat")
    )
    kunci = (ev.pegawai_nama, ev.pk)
    sebelum = [(pk, nama) for pk, nama, _ in baris if (nama, pk) < kunci]
    sesudah = [(pk, nama) for pk, nama, _ in baris if (nama, pk) > kunci]
    sisa = sum(1 for pk, _, predikat in baris if not predikat)
    return Tetangga(sebelum[-1] if sebelum else None, sesudah[0] if sesudah else None, sisa)
