"""Reads of the carrying-out stage, with the prefetches that keep query counts flat."""

from __future__ import annotations

import datetime
import functools
import itertools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar

from django.db.models import Model, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.base import ModelState
from django.db.models.sql.constants import MULTI
from django.utils import timezone

from kinerja.organisasi.models import Instansi, Pegawai, Periode, PeriodePenilaian, User
from kinerja.organisasi.selectors import today as org_today
from kinerja.pelaksanaan.models import BukaKunci, Realisasi, RencanaAksi
from kinerja.perencanaan.models import Indikator, IndikatorTargetPeriode, Rhk, Skp
from kinerja.rules import Konsolidasi, Polaritas
from kinerja.rules import realisasi as realisasi_rules
from kinerja.rules.alur import Status
from kinerja.rules.capaian import KONSOLIDASI_RENTANG, KONSOLIDASI_RENTANG_DEFAULT
from kinerja.rules.types import JenisRhk

_M = TypeVar("_M", bound=Model)

# =========================================================================================================
# Realisasi page
# =========================================================================================================


def angka_tampil(nilai: Decimal | None, tempat: int | None = None) -> str:
    """``1250.5000`` -> ``1.250,5`` (Indonesian separators, no trailing zeros); ``tempat`` rounds to that
    many decimals first (for consolidated averages)."""
    if nilai is None:
        return ""
    if tempat is not None:
        nilai = nilai.quantize(Decimal(1).scaleb(-tempat), rounding=ROUND_HALF_UP)
    teks = f"{nilai.normalize():f}"
    bulat, _, pecahan = teks.partition(".")
    tanda = "-" if bulat.startswith("-") else ""
    bulat = bulat.lstrip("-")
    kelompok = []
    while len(bulat) > 3:
        kelompok.insert(0, bulat[-3:])
        bulat = bulat[:-3]
    kelompok.insert(0, bulat)
    return tanda + ".".join(kelompok) + ("," + pecahan if pecahan else "")


def nama_pengubah(orang: User | None) -> str:
    """The name shown after "oleh": the pegawai's full name, else the account's name or username, else
    "sistem" (as ``perencanaan/skp/_oleh.html``; built here once per row instead of an include per row)."""
    if orang is None:
        return "sistem"
    if orang.pegawai:
        return str(orang.pegawai.nama_lengkap)
    return orang.get_full_name() or orang.username


KELAS_WARNA = {"baik": "text-bg-success", "sedang": "text-bg-warning", "kurang": "text-bg-danger"}


@dataclass
class BarisIndikator:
    """One indikator in one periode: its target, realisasi, capaian of the periode and year to date."""

    indikator: Indikator
    target: str
    realisasi: Realisasi | None
    capaian: Decimal | None = None
    kumulatif: realisasi_rules.Kumulatif | None = None
    nama_kumulatif: str = ""
    form: Any = None  # the view attaches the entry form when the row is editable
    # the row's links, filled by the view once per page (`views._tautan_baris`), not a `{% url %}` per row
    url_simpan: str = ""
    url_bukti: str = ""
    url_bukti_halaman: str = ""
    html: str = ""  # the row's markup on the realisasi page, written by the view (`baris_html`)

    @property
    def numerik(self) -> bool:
        return self.indikator.target_angka is not None

    @property
    def versi(self) -> int:
        return self.realisasi.versi if self.realisasi else 0

    @property
    def warna(self) -> str:
        return realisasi_rules.warna_capaian(self.capaian)

    @property
    def warna_kumulatif(self) -> str:
        return realisasi_rules.warna_capaian(self.kumulatif.capaian if self.kumulatif else None)

    @property
    def kelas(self) -> str:
        return KELAS_WARNA.get(self.warna, "")

    @property
    def kelas_kumulatif(self) -> str:
        return KELAS_WARNA.get(self.warna_kumulatif, "")

    @property
    def oleh(self) -> str:
        """Who entered the realisasi, for "Terakhir diubah ... oleh ..." (`nama_pengubah`)."""
        return nama_pengubah(self.realisasi.diisi_oleh) if self.realisasi else ""

    @property
    def realisasi_tampil(self) -> str:
        r = self.realisasi
        if r is None:
            return ""
        if r.nilai_angka is not None:
            return f"{angka_tampil(r.nilai_angka)} {self.indikator.satuan}".strip()
        return r.nilai_teks

    @property
    def kumulatif_tampil(self) -> str:
        k = self.kumulatif
        if k is None:
            return ""
        satuan = self.indikator.satuan
        jumlah = f" · {k.jumlah_periode} periode"
        if k.target is None:
            return f"{angka_tampil(k.realisasi, 2)} {satuan}".strip() + jumlah
        return f"{angka_tampil(k.realisasi, 2)} dari {angka_tampil(k.target, 2)} {satuan}".strip() + jumlah


@dataclass
class BarisRhk:
    rhk: Rhk
    nomor: str
    rencana_aksi: list[RencanaAksi]
    indikator: list[BarisIndikator] = field(default_factory=list)
    html_rencana: str = ""  # the rencana aksi block on the realisasi page, written by the view (`baris_html`)
    html_indikator: str = (
        ""  # its indikator rows (and suggestions) on the realisasi page, written by the view
    )


@dataclass
class HalamanRealisasi:
    skp: Skp
    periode: PeriodePenilaian
    periode_list: list[PeriodePenilaian]
    status: realisasi_rules.StatusPengisian
    status_rencana: realisasi_rules.StatusPengisian
    buka_kunci: BukaKunci | None
    rhk: list[BarisRhk]

    @property
    def jumlah_indikator(self) -> int:
        return sum(len(r.indikator) for r in self.rhk)

    @property
    def jumlah_terisi(self) -> int:
        return sum(1 for r in self.rhk for i in r.indikator if i.realisasi is not None)


def periode_list(periode: Periode | int, pegawai_id: int | None = None) -> list[PeriodePenilaian]:
    """The periode's periods in order (with the periode and its instansi). With ``pegawai_id``, each also
    carries ``buka_kunci_aktif``: that pegawai's unlock valid now (the longest running) or None, found in the
    same query and read in one more only when there is one (see `buka_kunci_aktif`). A `Periode` given with
    its instansi loaded is taken as it is (not joined and read again)."""
    dimuat = isinstance(periode, Periode) and Periode.instansi.is_cached(periode)  # type: ignore[attr-defined]
    qs = PeriodePenilaian.objects.filter(periode=periode).order_by("nomor")
    if not dimuat:
        qs = qs.select_related("periode__instansi")
    daftar = list(qs) if pegawai_id is None else _dengan_buka_kunci(qs, pegawai_id)
    if dimuat:
        for p in daftar:
            p.periode = periode  # type: ignore[assignment]
    return daftar


def _dengan_buka_kunci(qs: QuerySet[PeriodePenilaian], pegawai_id: int) -> list[PeriodePenilaian]:
    """The periods, each with the pegawai's unlock valid now: its id in the same query (one subquery;
    three, one per column, cost more to compile than the periods' read), the unlocks themselves only when
    one is active (one more query, rare)."""
    now = timezone.now()
    aktif = BukaKunci.objects.filter(
        pegawai_id=pegawai_id, periode_penilaian=OuterRef("pk"), berlaku_sampai__gt=now
    ).order_by("-berlaku_sampai")
    daftar = list(qs.annotate(_buka_id=Subquery(aktif.values("pk")[:1])))
    ids = [p._buka_id for p in daftar if p._buka_id is not None]  # type: ignore[attr-defined]
    buka = BukaKunci.objects.in_bulk(ids) if ids else {}
    for p in daftar:
        b = buka.get(p._buka_id)  # type: ignore[attr-defined]
        if b is not None:
            b.periode_penilaian = p
        p.buka_kunci_aktif = b  # type: ignore[attr-defined]
        p.buka_kunci_untuk = pegawai_id  # type: ignore[attr-defined]
    return daftar


def buka_kunci_dimuat(
    periode_penilaian: PeriodePenilaian, pegawai_id: int, sekarang: datetime.datetime | None
) -> BukaKunci | None | bool:
    """The unlock `periode_list(..., pegawai_id)` loaded with the periode, or False when it was not loaded
    for this pegawai (or a fixed ``sekarang`` asks for another instant): the caller then looks it up."""
    if sekarang is not None or getattr(periode_penilaian, "buka_kunci_untuk", None) != pegawai_id:
        return False
    return periode_penilaian.buka_kunci_aktif  # type: ignore[attr-defined,no-any-return]


def periode_berjalan_dan_daftar(
    instansi_id: int, pegawai_id: int | None = None
) -> tuple[Periode | None, list[PeriodePenilaian]]:
    """`perencanaan.selectors.periode_berjalan` (this year's periode, else the latest) and its
    `periode_list` (with ``pegawai_id``, each period with that pegawai's active unlock, as there), in one
    query when that periode has its periode penilaian (else three)."""
    tahun = org_today().year
    qs = PeriodePenilaian.objects.filter(periode__instansi_id=instansi_id).select_related("periode__instansi")
    # Sorted here (a few rows): with an ORDER BY Django hashes each of the ~40 selected columns to compile it.
    rows = sorted(
        qs.order_by() if pegawai_id is None else _dengan_buka_kunci(qs.order_by(), pegawai_id),
        key=lambda p: (-p.periode.tahun, p.nomor),
    )
    ini = [p for p in rows if p.periode.tahun == tahun]
    if ini:
        return ini[0].periode, ini
    periode = (
        Periode.objects.select_related("instansi").filter(instansi_id=instansi_id, tahun=tahun).first()
        or Periode.objects.select_related("instansi")
        .filter(instansi_id=instansi_id)
        .order_by("-tahun")
        .first()
    )
    if periode is None:
        return None, []
    return periode, [p for p in rows if p.periode_id == periode.pk]


def konsolidasi_rentang(konsolidasi: str, periode: PeriodePenilaian) -> Konsolidasi:
    """The instansi's choice for a range target's year to date when the indikator itself says "sum" (a
    range is never summed; docs/rules.md §4). Read only then, from the periode's instansi (loaded with
    `periode_list`, else fetched once and cached on that periode)."""
    if Konsolidasi(konsolidasi) in KONSOLIDASI_RENTANG:
        return KONSOLIDASI_RENTANG_DEFAULT  # not used: the indikator's own choice applies
    return Konsolidasi(periode.periode.instansi.konsolidasi_rentang)


def periode_bawaan(daftar: list[PeriodePenilaian], hari_ini: datetime.date | None = None) -> PeriodePenilaian:
    """The periode shown by default: the one running today, else the last one started, else the first."""
    hari_ini = hari_ini or timezone.localdate()
    for p in daftar:
        if p.mulai <= hari_ini <= p.selesai:
            return p
    mulai = [p for p in daftar if p.mulai <= hari_ini]
    return mulai[-1] if mulai else daftar[0]


def select_periode(daftar: list[PeriodePenilaian], nomor: str | None) -> PeriodePenilaian:
    """The periode named by ``?periode=N`` (ignored when not a periode of the year) or the default."""
    if nomor and nomor.isdigit():
        for p in daftar:
            if p.nomor == int(nomor):
                return p
    return periode_bawaan(daftar)


def skp_disetujui(pegawai: Pegawai, periode: Periode) -> list[Skp]:
    """The pegawai's approved SKP of the year, earliest first, with what the realisasi page shows of them:
    the jabatan read with them; the pegawai, the periode and (when loaded with it) its instansi are the ones
    given, not joined and read again."""
    instansi = periode.instansi if Periode.instansi.is_cached(periode) else None  # type: ignore[attr-defined]
    daftar = list(
        Skp.objects.filter(pegawai=pegawai, periode=periode, status=Status.DISETUJUI.value)
        .select_related("jabatan", *(() if instansi is not None else ("instansi",)))
        .order_by("mulai", "pk")
    )
    for s in daftar:
        s.pegawai = pegawai
        s.periode = periode
        if instansi is not None and s.instansi_id == instansi.pk:
            s.instansi = instansi
    return daftar


def skp_lain(skp: Skp) -> list[dict[str, Any]]:
    """The owner's other approved SKP of the year (after a change of jabatan), to switch between them: what
    the page's link shows of each (``pk``, ``pegawai_jabatan``, ``mulai``, ``selesai``), as plain rows."""
    return list(
        Skp.objects.filter(
            pegawai_id=skp.pegawai_id, periode_id=skp.periode_id, status=Status.DISETUJUI.value
        )
        .exclude(pk=skp.pk)
        .order_by("mulai")
        .values("pk", "pegawai_jabatan", "mulai", "selesai")
    )


def pilih_skp_realisasi(semua: list[Skp], periode_penilaian: PeriodePenilaian | None) -> Skp | None:
    """Of `skp_disetujui`, the one `skp_realisasi` names: the latest covering the periode, else the latest."""
    if periode_penilaian is not None:
        meliputi = [
            s for s in semua if s.mulai <= periode_penilaian.selesai and s.selesai >= periode_penilaian.mulai
        ]
        if meliputi:
            return max(meliputi, key=lambda s: s.mulai)
    return max(semua, key=lambda s: s.mulai) if semua else None


def skp_realisasi(
    pegawai: Pegawai, periode: Periode, periode_penilaian: PeriodePenilaian | None
) -> Skp | None:
    """The pegawai's approved SKP of the year covering the periode (the latest when two do, e.g. after a
    change of jabatan mid-periode); without a periode, the latest approved SKP of the year."""
    qs = Skp.objects.filter(pegawai=pegawai, periode=periode, status=Status.DISETUJUI.value)
    if periode_penilaian is not None:
        qs = qs.filter(mulai__lte=periode_penilaian.selesai, selesai__gte=periode_penilaian.mulai)
    return qs.order_by("-mulai").first()


def _target_periode(indikator: Indikator, nomor: int) -> tuple[Decimal | None, str]:
    """The indikator's target of periode `nomor` (from the prefetched targets, read once per indikator:
    each `.all()` of a prefetch builds a new queryset)."""
    per_nomor = getattr(indikator, "_target_per_nomor", None)
    if per_nomor is None:
        per_nomor = {t.nomor: (t.target_angka, t.target_teks) for t in indikator.target_periode.all()}
        indikator._target_per_nomor = per_nomor  # type: ignore[attr-defined]
    return per_nomor.get(nomor, (None, ""))  # type: ignore[no-any-return]


def baris_indikator(
    indikator: Indikator,
    periode: PeriodePenilaian,
    daftar: list[PeriodePenilaian],
    ganti: Realisasi | None = None,
) -> BarisIndikator:
    """The row of one indikator; needs ``target_periode`` and ``realisasi`` (this year's) prefetched, or
    loaded as `halaman_realisasi` does (``daftar_realisasi`` and the targets by number set on it).
    ``ganti``: a realisasi just saved, taken instead of the prefetched one of its periode."""
    dimuat = getattr(indikator, "daftar_realisasi", None)
    per_periode = {
        r.periode_penilaian_id: r for r in (indikator.realisasi.all() if dimuat is None else dimuat)
    }
    if ganti is not None:
        per_periode[ganti.periode_penilaian_id] = ganti
    realisasi = per_periode.get(periode.pk)
    satuan = indikator.satuan
    if indikator.target_angka is None:
        _, teks = _target_periode(indikator, periode.nomor)
        return BarisIndikator(indikator, teks or indikator.target_teks, realisasi)
    polaritas = Polaritas(indikator.polaritas)
    rentang = None
    if indikator.target_angka_atas is not None:
        rentang = (indikator.target_angka, indikator.target_angka_atas)
        target = f"{angka_tampil(rentang[0])}–{angka_tampil(rentang[1])} {satuan}".strip()
        target_periode: Decimal | None = indikator.target_angka
    else:
        target_periode, _ = _target_periode(indikator, periode.nomor)
        target = f"{angka_tampil(target_periode)} {satuan}".strip() if target_periode is not None else ""
    baris = BarisIndikator(indikator, target, realisasi)
    if realisasi is not None and realisasi.nilai_angka is not None:
        baris.capaian = realisasi_rules.capaian_indikator(
            realisasi.nilai_angka,
            target_periode,
            polaritas,
            rentang[1] if rentang else None,
        )
    nilai = []
    for p in daftar:
        if p.nomor > periode.nomor:
            break
        r = per_periode.get(p.pk)
        t = indikator.target_angka if rentang else _target_periode(indikator, p.nomor)[0]
        nilai.append(realisasi_rules.NilaiPeriode(r.nilai_angka if r else None, t))
    baris.kumulatif = realisasi_rules.capaian_kumulatif(
        nilai,
        Konsolidasi(indikator.konsolidasi),
        polaritas,
        rentang,
        konsolidasi_rentang_bawaan=konsolidasi_rentang(indikator.konsolidasi, periode)
        if rentang
        else KONSOLIDASI_RENTANG_DEFAULT,
    )
    baris.nama_kumulatif = f"s.d. {periode.nama}"
    return baris


def indikator_prefetch(periode: Periode | int) -> tuple[Any, ...]:
    """What `indikator_qs` prefetches, for `prefetch_related_objects` on indikator already loaded.

    Ordered within one indikator only: the models' default orderings start with the indikator, which
    orders by its RHK, which orders by its SKP, which orders by its periode, and so would join those three
    tables into both queries (and sort by them) for nothing."""
    return (
        Prefetch("target_periode", queryset=IndikatorTargetPeriode.objects.order_by("nomor")),
        Prefetch(
            "realisasi",
            queryset=Realisasi.objects.filter(periode_penilaian__periode=periode)
            .select_related("diisi_oleh__pegawai")
            .order_by("periode_penilaian__nomor"),
        ),
    )


def indikator_qs(periode: Periode | int) -> QuerySet[Indikator]:
    """Indikator with their targets and this year's realisasi (with who entered them)."""
    return Indikator.objects.prefetch_related(*indikator_prefetch(periode))


@functools.cache
def _riwayat_aksi() -> Any:
    """The historical model of `RencanaAksi`, found once: each ``RencanaAksi.history`` builds a manager
    class (simple_history's descriptor)."""
    return RencanaAksi.history.model


def rencana_aksi_qs(periode_penilaian: PeriodePenilaian) -> QuerySet[RencanaAksi]:
    """The periode's rencana aksi, each annotated with ``diubah_oleh_id``: the author of its latest
    history record (a subquery in the same SELECT; `complete_pengubah` then loads those users at once)."""
    terakhir = _riwayat_aksi().objects.filter(id=OuterRef("pk")).order_by("-history_date", "-history_id")
    return (
        RencanaAksi.objects.filter(periode_penilaian=periode_penilaian)
        .annotate(diubah_oleh_id=Subquery(terakhir.values("history_user_id")[:1]))
        .order_by("urutan", "pk")
    )


def complete_pengubah(aksi: Iterable[RencanaAksi], dikenal: Iterable[User | None] = ()) -> None:
    """Set ``diubah_oleh`` (a User with its pegawai, or None) on rencana aksi from `rencana_aksi_qs`, for
    the "Diubah ... oleh ..." line: one query for all of them, none for the users in ``dikenal`` (already
    loaded with their pegawai, e.g. the reader or the realisasi authors)."""
    aksi = list(aksi)
    users = {u.pk: u for u in dikenal if u is not None and (not u.pegawai_id or _pegawai_dimuat(u))}
    ids = {a.diubah_oleh_id for a in aksi if a.diubah_oleh_id} - users.keys()  # type: ignore[attr-defined]
    if ids:
        users.update(User.objects.select_related("pegawai").in_bulk(ids))
    for a in aksi:
        a.diubah_oleh = users.get(a.diubah_oleh_id)  # type: ignore[attr-defined]
        a.oleh = nama_pengubah(a.diubah_oleh)  # type: ignore[attr-defined]


def _pegawai_dimuat(user: User) -> bool:
    return User.pegawai.is_cached(user)  # type: ignore[attr-defined]


def rencana_aksi_rhk(rhk: Rhk, periode_penilaian: PeriodePenilaian) -> list[RencanaAksi]:
    """The rencana aksi of one RHK in a periode, with who changed each last."""
    aksi = list(rencana_aksi_qs(periode_penilaian).filter(rhk=rhk))
    complete_pengubah(aksi)
    return aksi


@dataclass
class NilaiLalu:
    """A realisasi of another periode of the year on the realisasi page: only what the year-to-date
    capaian reads of it (`baris_indikator`)."""

    indikator_id: int
    periode_penilaian_id: int
    nilai_angka: Decimal | None


def _baris_model(model: type[_M], kolom: tuple[str, ...], nilai: Iterable[Any], db: str) -> _M:
    """A model instance of a row read with `values_list` (``kolom`` its attnames), as ``from_db`` would
    build it with the other fields deferred, without ``Model.__init__``'s walk over every field (a
    hundred-odd instances per realisasi page). These models have no ``pre_init``/``post_init`` receivers."""
    obj: _M = object.__new__(model)
    obj.__dict__.update(zip(kolom, nilai, strict=True))
    state = obj._state = ModelState()
    state.adding = False
    state.db = db
    return obj


def _kolom(model: type[Any], *nama: str) -> tuple[str, ...]:
    """The columns ``nama`` (attnames of the model, checked) in the model's field order."""
    dipilih = set(nama)
    kolom = tuple(f.attname for f in model._meta.concrete_fields if f.attname in dipilih)
    assert len(kolom) == len(dipilih), dipilih - set(kolom)
    return kolom


# What the page shows of a realisasi of the shown periode (`BarisIndikator`, `baris_html`): not its creation
# time nor anything else (each datetime column read costs a parse per row).
_KOLOM_REALISASI = _kolom(
    Realisasi,
    "id",
    "indikator_id",
    "periode_penilaian_id",
    "nilai_angka",
    "nilai_teks",
    "narasi",
    "versi",
    "terlambat",
    "diisi_oleh_id",
    "diubah_pada",
)
_R_INDIKATOR, _R_PERIODE, _R_NILAI, _R_OLEH = (
    _KOLOM_REALISASI.index(k)
    for k in ("indikator_id", "periode_penilaian_id", "nilai_angka", "diisi_oleh_id")
)
_KOLOM_PENGISI = (
    "diisi_oleh__username",
    "diisi_oleh__first_name",
    "diisi_oleh__last_name",
    "diisi_oleh__pegawai_id",
    "diisi_oleh__pegawai__nama",
    "diisi_oleh__pegawai__gelar_depan",
    "diisi_oleh__pegawai__gelar_belakang",
)


def _realisasi_halaman(
    indikator_ids: list[int], periode_ids: list[int], periode_id: int
) -> list[Realisasi | NilaiLalu]:
    """This year's realisasi of the indikator, read as plain rows in one query: the shown periode's as
    `Realisasi` with only what the page shows (`_KOLOM_REALISASI`) and ``diisi_oleh`` (the user and their
    pegawai, with the fields `nama_pengubah` reads; one object per distinct user), the other periods' as
    `NilaiLalu`. Building three model objects per realisasi of the year cost more than the rest of the
    read."""
    n = len(_KOLOM_REALISASI)
    db = Realisasi.objects.db
    pengisi: dict[int, User] = {}
    hasil: list[Realisasi | NilaiLalu] = []
    # unordered: the model's ordering would join the indikator, RHK, SKP and periode only to sort by them
    qs = (
        Realisasi.objects.filter(indikator_id__in=indikator_ids, periode_penilaian_id__in=periode_ids)
        .order_by()
        .values_list(*_KOLOM_REALISASI, *_KOLOM_PENGISI)
    )
    # The rows as `values_list` gives them, but each column converted (`results_iter`) only where it is
    # used: three of the other periods' rows in four need only their number, not their time of change.
    compiler = qs.query.get_compiler(using=qs.db)
    hasil_mentah = compiler.execute_sql(MULTI)
    konversi = compiler.get_converters([s[0] for s in compiler.select[: compiler.col_count]])
    koneksi = compiler.connection
    semua = list(konversi.items())
    lalu = [(pos, k) for pos, k in semua if pos in (_R_INDIKATOR, _R_PERIODE, _R_NILAI)]
    for mentah in itertools.chain.from_iterable(hasil_mentah):
        row = list(mentah)
        for pos, (fungsi, ekspresi) in lalu:
            nilai = row[pos]
            for f in fungsi:
                nilai = f(nilai, ekspresi, koneksi)
            row[pos] = nilai
        if row[_R_PERIODE] != periode_id:
            hasil.append(NilaiLalu(row[_R_INDIKATOR], row[_R_PERIODE], row[_R_NILAI]))
            continue
        for pos, (fungsi, ekspresi) in semua:
            if pos not in (_R_INDIKATOR, _R_PERIODE, _R_NILAI):
                nilai = row[pos]
                for f in fungsi:
                    nilai = f(nilai, ekspresi, koneksi)
                row[pos] = nilai
        r = _baris_model(Realisasi, _KOLOM_REALISASI, row[:n], db)
        oleh_id = row[_R_OLEH]
        if oleh_id is not None:
            if oleh_id not in pengisi:
                username, depan, belakang, pegawai_id, nama, gelar_depan, gelar_belakang = row[n:]
                u = User(pk=oleh_id, username=username, first_name=depan, last_name=belakang)
                u.pegawai_id = pegawai_id
                u.pegawai = (
                    Pegawai(pk=pegawai_id, nama=nama, gelar_depan=gelar_depan, gelar_belakang=gelar_belakang)
                    if pegawai_id is not None
                    else None
                )
                pengisi[oleh_id] = u
            r.diisi_oleh = pengisi[oleh_id]
        hasil.append(r)
    return hasil


# What the page shows of an RHK and of an indikator (`BarisRhk`, `baris_indikator`, `baris_html`), read
# together in `_rhk_halaman`.
_KOLOM_RHK = _kolom(Rhk, "id", "jenis", "teks", "skp_id")
_KOLOM_INDIKATOR = _kolom(
    Indikator,
    "id",
    "rhk_id",
    "aspek",
    "teks",
    "target_angka",
    "target_angka_atas",
    "satuan",
    "target_teks",
    "polaritas",
    "konsolidasi",
)
# What the page and the API show of a rencana aksi (`baris_html.blok_rencana_aksi`, `api.pelaksanaan`).
_KOLOM_AKSI = _kolom(RencanaAksi, "id", "rhk_id", "teks", "urutan", "versi", "diubah_pada")


def _rhk_halaman(skp: Skp, periode: PeriodePenilaian, daftar: list[PeriodePenilaian]) -> list[Rhk]:
    """The SKP's RHK in page order, each with ``daftar_indikator`` (in order, each with its targets by
    number and ``daftar_realisasi``: this year's realisasi, with who entered them) and ``aksi_periode``
    (the periode's rencana aksi, `rencana_aksi_qs`): four plain queries grouped here (the RHK with their
    indikator in one join), only the columns the page shows, children ordered within their parent (as
    `perencanaan.skp.selectors.rhk_skp`; prefetching them cost more than reading)."""
    db = Rhk.objects.db
    n = len(_KOLOM_RHK)
    rhk: list[Rhk] = []
    indikator: list[Indikator] = []
    for row in (
        Rhk.objects.filter(skp_id=skp.pk)
        .order_by("jenis", "urutan", "pk", "indikator__urutan", "indikator__pk")
        .values_list(*_KOLOM_RHK, *(f"indikator__{k}" for k in _KOLOM_INDIKATOR))
    ):
        if not rhk or rhk[-1].pk != row[_KOLOM_RHK.index("id")]:
            r = _baris_model(Rhk, _KOLOM_RHK, row[:n], db)
            r.skp = skp
            r.daftar_indikator = []  # type: ignore[attr-defined]
            rhk.append(r)
        if row[n + _KOLOM_INDIKATOR.index("id")] is not None:  # an RHK without indikator: NULLs
            i = _baris_model(Indikator, _KOLOM_INDIKATOR, row[n:], db)
            i.rhk = rhk[-1]
            rhk[-1].daftar_indikator.append(i)  # type: ignore[attr-defined]
            indikator.append(i)
    if not rhk:
        return rhk
    rhk_ids = [r.pk for r in rhk]
    ids = [i.pk for i in indikator]
    target: dict[int, dict[int, tuple[Decimal | None, str]]] = defaultdict(dict)
    realisasi: dict[int, list[Realisasi | NilaiLalu]] = defaultdict(list)
    if ids:
        # unordered (keyed by number): the model's ordering would join up to the periode to sort
        for t in (
            IndikatorTargetPeriode.objects.filter(indikator_id__in=ids)
            .order_by()
            .values_list("indikator_id", "nomor", "target_angka", "target_teks")
        ):
            target[t[0]][t[1]] = (t[2], t[3])
        periode_ids = [p.pk for p in daftar if p.periode_id == skp.periode_id]
        for ri in _realisasi_halaman(ids, periode_ids, periode.pk):
            realisasi[ri.indikator_id].append(ri)
    for i in indikator:
        i._target_per_nomor = target[i.pk]  # type: ignore[attr-defined]
        i.daftar_realisasi = realisasi[i.pk]  # type: ignore[attr-defined]
    aksi: dict[int, list[RencanaAksi]] = defaultdict(list)
    for row in (
        rencana_aksi_qs(periode).filter(rhk_id__in=rhk_ids).values_list(*_KOLOM_AKSI, "diubah_oleh_id")
    ):
        a = _baris_model(RencanaAksi, _KOLOM_AKSI, row[:-1], db)
        a.diubah_oleh_id = row[-1]  # type: ignore[attr-defined]
        aksi[a.rhk_id].append(a)
    for r in rhk:
        r.aksi_periode = aksi[r.pk]  # type: ignore[attr-defined]
    return rhk


def halaman_realisasi(
    skp: Skp,
    periode: PeriodePenilaian,
    daftar: list[PeriodePenilaian],
    sekarang: datetime.datetime | None = None,
    pembaca: User | None = None,
) -> HalamanRealisasi:
    """Everything the realisasi page shows for one SKP and periode, in a fixed number of queries: the RHK,
    their indikator, targets, realisasi and rencana aksi (five), plus who changed the rencana aksi last when
    they are neither `pembaca` (the reader, with their pegawai) nor someone who entered a realisasi shown
    (one more, else none). The active unlock comes with the periode when `periode_list` loaded it."""
    rhk_list = _rhk_halaman(skp, periode, daftar)
    buka = buka_kunci_dimuat(periode, skp.pegawai_id, sekarang)
    if buka is False:
        buka = buka_kunci_aktif(skp.pegawai_id, periode, sekarang)
    hitung = {JenisRhk.UTAMA.value: 0, JenisRhk.TAMBAHAN.value: 0}
    baris = []
    for r in rhk_list:
        hitung[r.jenis] = hitung.get(r.jenis, 0) + 1
        huruf = "A" if r.jenis == JenisRhk.UTAMA.value else "B"
        baris.append(
            BarisRhk(
                rhk=r,
                nomor=f"{huruf}.{hitung[r.jenis]}",
                rencana_aksi=r.aksi_periode,  # type: ignore[attr-defined]
                indikator=[baris_indikator(i, periode, daftar) for i in r.daftar_indikator],  # type: ignore[attr-defined]
            )
        )
    dikenal = [b.realisasi.diisi_oleh for r in baris for b in r.indikator if b.realisasi is not None]
    complete_pengubah(
        (a for r in rhk_list for a in r.aksi_periode),  # type: ignore[attr-defined]
        dikenal=[*dikenal, *([pembaca] if pembaca is not None else [])],
    )
    return HalamanRealisasi(
        skp=skp,
        periode=periode,
        periode_list=daftar,
        status=status_pengisian(skp.pegawai_id, periode, sekarang=sekarang, buka_kunci=buka),
        status_rencana=status_pengisian(
            skp.pegawai_id, periode, rencana=True, sekarang=sekarang, buka_kunci=buka
        ),
        buka_kunci=buka,
        rhk=baris,
    )


# =========================================================================================================
# Buka kunci (admin)
# =========================================================================================================


def buka_kunci_aktif_instansi(
    instansi: Instansi, sekarang: datetime.datetime | None = None
) -> list[BukaKunci]:
    now = sekarang or timezone.now()
    return list(
        BukaKunci.objects.filter(pegawai__instansi=instansi, berlaku_sampai__gt=now)
        .select_related("pegawai", "periode_penilaian__periode", "dibuka_oleh__pegawai")
        .order_by("berlaku_sampai")
    )


def buka_kunci_riwayat(
    instansi: Instansi, sekarang: datetime.datetime | None = None, n: int = 20
) -> list[BukaKunci]:
    now = sekarang or timezone.now()
    return list(
        BukaKunci.objects.filter(pegawai__instansi=instansi)
        .filter(~Q(berlaku_sampai__gt=now))
        .select_related("pegawai", "periode_penilaian__periode", "dibuka_oleh__pegawai")
        .order_by("-dibuka_pada")[:n]
    )


def buka_kunci_aktif(
    pegawai_id: int, periode_penilaian: PeriodePenilaian, sekarang: datetime.datetime | None = None
) -> BukaKunci | None:
    """The unlock of this pegawai and periode that is valid now (the longest running), if any."""
    return (
        BukaKunci.objects.filter(
            pegawai_id=pegawai_id,
            periode_penilaian=periode_penilaian,
            berlaku_sampai__gt=sekarang if sekarang is not None else timezone.now(),
        )
        .order_by("-berlaku_sampai")
        .first()
    )


def status_pengisian(
    pegawai_id: int,
    periode_penilaian: PeriodePenilaian,
    *,
    rencana: bool = False,
    sekarang: datetime.datetime | None = None,
    buka_kunci: BukaKunci | None | bool = False,
) -> realisasi_rules.StatusPengisian:
    """Whether the pegawai may enter realisasi (or rencana aksi, ``rencana=True``) for the periode now.

    ``buka_kunci``: the active unlock when the caller already loaded it (``None`` = there is none);
    the default ``False`` takes the one `periode_list(..., pegawai_id)` loaded with the periode, else looks
    it up.
    """
    if buka_kunci is False:
        buka_kunci = buka_kunci_dimuat(periode_penilaian, pegawai_id, sekarang)
    now = sekarang if sekarang is not None else timezone.now()
    if buka_kunci is False:
        buka_kunci = buka_kunci_aktif(pegawai_id, periode_penilaian, now)
    assert buka_kunci is None or isinstance(buka_kunci, BukaKunci)
    lokal = timezone.localtime(now)
    return realisasi_rules.status_pengisian(
        nama=periode_penilaian.nama,
        mulai=None if rencana else periode_penilaian.mulai,
        batas=periode_penilaian.batas_realisasi,
        hari_ini=lokal.date(),
        sekarang=lokal,
        buka_kunci_sampai=timezone.localtime(buka_kunci.berlaku_sampai) if buka_kunci else None,
    )
