"""Reads of the evaluation stage, with query counts that stay flat in the size of the group."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, fields
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Case, Exists, F, JSONField, OuterRef, Subquery, When
from django.utils import timezone

from kinerja.organisasi.models import Pegawai, Penempatan, Periode, PeriodePenilaian, UnitKerja
from kinerja.pelaksanaan.models import Realisasi
from kinerja.penilaian.aturan.selectors import aturan_berlaku, aturan_dari, aturan_versi, dengan_aturan
from kinerja.penilaian.models import (
    AturanDistribusi,
    CapaianOrganisasiUnit,
    Evaluasi,
    FinalisasiKelompok,
    JenisEvaluasi,
    RatingRhk,
)
from kinerja.perencanaan.models import Skp
from kinerja.rules import JenisPenempatan
from kinerja.rules import distribusi as distribusi_rules
from kinerja.rules import evaluasi as alur
from kinerja.rules import rating as rating_rules
from kinerja.rules.alur import Status as StatusSkp
from kinerja.rules.types import CapaianOrganisasi, Predikat


@dataclass(frozen=True, eq=False)
class AnggotaKelompok:
    """A member's evaluation as plain values, read as `Evaluasi` names them: what the group page, its
    chart and check, and the group's permissions read (`kelompok(..., ringkas=True)`)."""

    pk: int
    pegawai_id: int
    pegawai_nama: str
    pegawai_nip: str
    pegawai_jabatan: str
    penilai_id: int | None
    penilai_nama: str
    atasan_penilai_id: int | None
    instansi_id: int
    unit_dipimpin_id: int | None
    status: str
    rating_hasil: str
    rating_perilaku: str
    saran_hasil: str
    saran_perilaku: str
    predikat: str
    alasan_ubah_hasil: str
    alasan_ubah_perilaku: str
    disesuaikan_atasan_alasan: str

    @property
    def is_final(self) -> bool:
        return self.status == alur.Status.FINAL.value

    @property
    def hasil_diubah_dari_saran(self) -> bool:
        return rating_rules.diubah_dari_saran(self.rating_hasil, self.saran_hasil)

    @property
    def perilaku_diubah_dari_saran(self) -> bool:
        return rating_rules.diubah_dari_saran(self.rating_perilaku, self.saran_perilaku)


# The columns read for `AnggotaKelompok`, in its order: its fields are named as on `Evaluasi`.
KOLOM_ANGGOTA = tuple(f.name for f in fields(AnggotaKelompok))


@dataclass(frozen=True)
class SkpBelumDibuka:
    """An approved SKP of a member whose evaluation is not opened yet, as plain values named as on `Skp`
    (`kelompok(..., ringkas=True)`)."""

    pk: int
    pegawai_id: int
    pegawai_nama: str
    pegawai_nip: str
    pegawai_jabatan: str
    penilai_id: int | None
    atasan_penilai_id: int | None


KOLOM_BELUM_DIBUKA = tuple(f.name for f in fields(SkpBelumDibuka))


@dataclass
class Kelompok:
    """A rating group for one periode (or the year): its evaluations, the approved SKP still without an
    evaluation, the capaian organisasi that decides its pola distribusi, the counts per predikat and the
    distribution check (None until the capaian organisasi is set).

    The check (and the chart, the what-if and the documents built on it) uses the instansi's pola
    distribusi rules in force (`selectors_aturan.aturan_berlaku`), except for a FINAL group: when every
    evaluation is final and the group was finalised, the rules of the version recorded on its latest
    `FinalisasiKelompok` (``finalisasi.versi_aturan``), so a later change of the rules never rewrites a
    finalised group."""

    penilai: Pegawai | None
    unit: UnitKerja
    mode: str
    periode: Periode
    periode_penilaian: PeriodePenilaian | None
    evaluasi: list[Any]  # Evaluasi; AnggotaKelompok when read for the page (`kelompok(..., ringkas=True)`)
    belum_dibuka: list[Any]  # Skp; SkpBelumDibuka when read for the page (`kelompok(..., ringkas=True)`)
    capaian: CapaianOrganisasiUnit | None
    jumlah: dict[Predikat, int] = field(default_factory=dict)
    cek: distribusi_rules.DistribusiCheck | None = None
    #: The pola distribusi rules the group is checked against and their version (None: the regulation's
    #: defaults): those in force, or those the group was finalised with (see the class docstring).
    rules: distribusi_rules.Rules | None = None
    versi_aturan: int | None = None
    #: The version in force now (differs from ``versi_aturan`` when a final group predates a newer one).
    versi_berlaku: int | None = None
    #: The latest finalisation of a group whose every evaluation is final (None otherwise).
    finalisasi: FinalisasiKelompok | None = None
    #: Below this many pegawai in the curve it is advice only (`Instansi.minimal_kelompok_distribusi`, or
    #: the value a final group was finalised with; docs/rules.md §3.8).
    minimal: int = 0

    @property
    def pimpinan(self) -> list[Evaluasi]:
        """Members heading the group's unit: left out of its curve (`distribusi.dihitung_dalam_pola`)."""
        dalam = distribusi_rules.dihitung_dalam_pola
        return [e for e in self.evaluasi if not dalam(self.unit.pk, e.unit_dipimpin_id)]

    @property
    def dalam_pola(self) -> list[Evaluasi]:
        """The evaluations counted in the group's curve."""
        dalam = distribusi_rules.dihitung_dalam_pola
        return [e for e in self.evaluasi if dalam(self.unit.pk, e.unit_dipimpin_id)]

    @property
    def anggota_pola(self) -> int:
        """Pegawai of the group counted in its curve, rated or not (approved SKP not yet opened included)."""
        return len(self.dalam_pola) + len(self.belum_dibuka)

    def cek_untuk(self, capaian: CapaianOrganisasi) -> distribusi_rules.DistribusiCheck:
        """The group's counts checked under ``capaian`` (its own or a what-if), as `kelompok` checks them."""
        return distribusi_rules.check(
            capaian,
            self.jumlah,
            self.rules,
            minimal=self.minimal,
            anggota=self.anggota_pola,
            pimpinan=len(self.pimpinan),
        )

    @property
    def belum_dinilai(self) -> list[Evaluasi]:
        return [e for e in self.evaluasi if not e.predikat]

    @property
    def semua_final(self) -> bool:
        return bool(self.evaluasi) and not self.belum_dibuka and all(e.is_final for e in self.evaluasi)

    def pegawai_berpredikat(self, predikat: tuple[Predikat, ...] | list[Predikat]) -> list[Evaluasi]:
        wanted = {p.value for p in predikat}
        return [e for e in self.dalam_pola if e.predikat in wanted]

    def pelanggaran_dengan_nama(self) -> list[dict[str, Any]]:
        """The hard violations of the check (JSON-ready), each with ``pegawai``: the names in the predikat
        concerned (for an upper share: those over it), and ``di_luar``: the others (for a lower share or
        "harus ada": those who would have to move into it)."""
        if self.cek is None or not self.cek.applicable:
            return []
        hasil = []
        dalam_pola = self.dalam_pola
        for f in self.cek.violations:
            di_dalam = self.pegawai_berpredikat(f.predikat)
            sudah = {id(e) for e in di_dalam}
            hasil.append(
                {
                    "pesan": f.message,
                    "jenis": f.kind.value,
                    "predikat": [p.value for p in f.predikat],
                    "jumlah": f.actual,
                    "pegawai": [e.pegawai_nama for e in di_dalam],
                    "di_luar": [e.pegawai_nama for e in dalam_pola if e.predikat and id(e) not in sudah],
                }
            )
        return hasil

    def what_if(self) -> dict[CapaianOrganisasi, distribusi_rules.DistribusiCheck]:
        """The check of the same counts under every capaian organisasi (nothing is saved)."""
        return {c: self.cek_untuk(c) for c in CapaianOrganisasi}


def _skp_dinilai(
    penilai: Pegawai | None, periode: Periode, periode_penilaian: PeriodePenilaian | None
) -> Any:
    """The approved SKP this penilai rates in the periode (None: the SKP without a penilai)."""
    qs = Skp.objects.filter(periode=periode, status=StatusSkp.DISETUJUI.value)
    qs = qs.filter(penilai=penilai) if penilai is not None else qs.filter(penilai__isnull=True)
    if periode_penilaian is not None:
        qs = qs.filter(mulai__lte=periode_penilaian.selesai, selesai__gte=periode_penilaian.mulai)
    return qs


def kelompok(
    penilai: Pegawai | None,
    periode_penilaian: PeriodePenilaian | None,
    *,
    periode: Periode | None = None,
    unit: UnitKerja | None = None,
    ringkas: bool = False,
) -> Kelompok:
    """The rating group of a penilai for a periode (``None`` + ``periode``: the annual evaluation).

    The group (CONFIG `Instansi.kelompok_distribusi`): ``penilai`` (default), the pegawai this penilai
    rates in one unit (the unit of the penilai's jabatan; a penilai who is also Plt. elsewhere has one
    group per unit: pass ``unit``); ``unit``, everyone rated by any penilai in that unit. ``penilai`` None
    is the group of the SKP without a penilai (the head of the instansi, rated by the admin).
    Four queries whatever the size of the group (the instansi's pola distribusi rules come with the
    capaian organisasi; one more query when the capaian is not set, one more for a final group: its
    finalisation with the rules of the recorded version).

    ``ringkas`` (the group page): the evaluations as `AnggotaKelompok` and the SKP not yet opened as
    `SkpBelumDibuka`, the columns the page and the permissions read, not models (nothing to save on them).
    """
    periode = periode_penilaian.periode if periode_penilaian is not None else periode
    if periode is None:
        raise ValidationError({"periode": "Periode wajib diisi untuk kelompok evaluasi tahunan."})
    mode = periode.instansi.kelompok_distribusi
    if unit is None:
        # The unit of the first SKP rated (its penilai's jabatan's, else its own), read in one query.
        unit_skp = Case(
            When(penilai_jabatan__isnull=False, then=F("penilai_jabatan__unit_id")), default=F("unit_id")
        )
        first = (
            _skp_dinilai(penilai, periode, periode_penilaian)
            .order_by("penilai_jabatan__unit__path", "unit__path")
            .annotate(unit_kelompok=unit_skp)
            .values("unit_kelompok")[:1]
        )
        unit = UnitKerja.objects.filter(pk=Subquery(first)).first()
        if unit is None and penilai is not None:
            from kinerja.organisasi import selectors as org

            utama = org.jabatan_utama(penilai)
            unit = utama.jabatan.unit if utama else None
    if unit is None:
        raise ValidationError(
            "Kelompok penilaian tidak dapat ditentukan: pegawai ini tidak menilai siapa pun."
        )
    evs = Evaluasi.objects.filter(periode=periode, unit_kelompok=unit)
    if periode_penilaian is None:
        evs = evs.filter(jenis=JenisEvaluasi.TAHUNAN)
    else:
        evs = evs.filter(periode_penilaian=periode_penilaian)
    if penilai is None:
        evs = evs.filter(penilai__isnull=True)
    elif mode == "unit":
        evs = evs.filter(
            penilai__isnull=False
        )  # the head of the instansi (no penilai) is not in a unit group
    else:
        evs = evs.filter(penilai=penilai)
    evs = evs.order_by("pegawai_nama", "pk")
    evaluasi: list[Any]
    if ringkas:
        evaluasi = [AnggotaKelompok(*baris) for baris in evs.values_list(*KOLOM_ANGGOTA)]
    else:
        evaluasi = list(evs)
        for e in evaluasi:  # every member shares the periode: no query per row for its state
            e.periode = periode
            if periode_penilaian is not None:
                e.periode_penilaian = periode_penilaian

    # Approved SKP of the group's members that have no evaluation yet (annual: the last SKP of each).
    skp_qs = Skp.objects.filter(periode=periode, status=StatusSkp.DISETUJUI.value)
    if penilai is None:
        skp_qs = skp_qs.filter(penilai__isnull=True)
    elif mode == "unit":
        skp_qs = skp_qs.filter(penilai__isnull=False)
    else:
        skp_qs = skp_qs.filter(penilai=penilai)
    skp_qs = skp_qs.filter(unit=unit) if penilai is None else skp_qs.filter(penilai_jabatan__unit=unit)
    if periode_penilaian is not None:
        skp_qs = skp_qs.filter(mulai__lte=periode_penilaian.selesai, selesai__gte=periode_penilaian.mulai)
        later = Skp.objects.filter(
            pegawai_id=OuterRef("pegawai_id"),
            periode=periode,
            status=StatusSkp.DISETUJUI.value,
            mulai__gt=OuterRef("mulai"),
            mulai__lte=periode_penilaian.selesai,
        )
    else:
        later = Skp.objects.filter(
            pegawai_id=OuterRef("pegawai_id"),
            periode=periode,
            status=StatusSkp.DISETUJUI.value,
            mulai__gt=OuterRef("mulai"),
        )
    sudah = {e.pegawai_id for e in evaluasi}
    skp_qs = skp_qs.filter(~Exists(later)).exclude(pegawai_id__in=sudah).order_by("pegawai_nama", "pk")
    belum_dibuka: list[Any] = (
        [SkpBelumDibuka(*baris) for baris in skp_qs.values_list(*KOLOM_BELUM_DIBUKA)]
        if ringkas
        else list(skp_qs)
    )
    belum_dibuka = [s for s in belum_dibuka if s.pegawai_id not in sudah]

    cap_qs = CapaianOrganisasiUnit.objects.filter(unit=unit, periode=periode).select_related(
        "ditetapkan_oleh__pegawai"
    )
    cap_qs = (
        cap_qs.filter(periode_penilaian__isnull=True)
        if periode_penilaian is None
        else cap_qs.filter(periode_penilaian=periode_penilaian)
    )
    capaian = dengan_aturan(cap_qs, periode.instansi_id).first()
    jumlah = {p: 0 for p in Predikat}
    for e in evaluasi:
        if e.predikat and distribusi_rules.dihitung_dalam_pola(unit.pk, e.unit_dipimpin_id):
            jumlah[Predikat(e.predikat)] += 1
    versi_berlaku, rules = (
        aturan_dari(capaian) if capaian is not None else aturan_berlaku(periode.instansi_id)
    )
    versi_aturan = versi_berlaku
    minimal = periode.instansi.minimal_kelompok_distribusi
    finalisasi = None
    if evaluasi and not belum_dibuka and all(e.is_final for e in evaluasi):
        finalisasi = finalisasi_dengan_aturan(periode, periode_penilaian, unit, mode, penilai).first()
        if finalisasi is not None:
            versi_aturan, rules = aturan_finalisasi(finalisasi)
            minimal = finalisasi.minimal_kelompok or 0
    kel = Kelompok(
        penilai=penilai,
        unit=unit,
        mode=mode,
        periode=periode,
        periode_penilaian=periode_penilaian,
        evaluasi=evaluasi,
        belum_dibuka=belum_dibuka,
        capaian=capaian,
        jumlah=jumlah,
        rules=rules,
        versi_aturan=versi_aturan,
        versi_berlaku=versi_berlaku,
        finalisasi=finalisasi,
        minimal=minimal,
    )
    if capaian is not None:
        kel.cek = kel.cek_untuk(capaian.nilai_enum)
    return kel


def dengan_aturan_finalisasi(qs: Any) -> Any:
    """``qs`` (of `FinalisasiKelompok`) annotated with the rules of the version each was finalised with, read
    back with `aturan_finalisasi` (no query of its own)."""
    versi = AturanDistribusi.objects.filter(
        instansi_id=OuterRef("instansi_id"), versi=OuterRef("versi_aturan")
    )
    return qs.annotate(
        aturan_versi_=F("versi_aturan"),
        aturan_data_=Subquery(versi.values("aturan")[:1], output_field=JSONField()),
    )


def finalisasi_dengan_aturan(
    periode: Periode,
    periode_penilaian: PeriodePenilaian | None,
    unit: UnitKerja,
    mode: str,
    penilai: Pegawai | None,
) -> Any:
    """The finalisations of one group, latest first, with their rules (`dengan_aturan_finalisasi`)."""
    if penilai is None:  # the group without a penilai is its own group in either mode (docs/rules.md §3.8)
        mode = "penilai"
    qs = FinalisasiKelompok.objects.filter(periode=periode, unit_kelompok=unit, kelompok=mode)
    qs = (
        qs.filter(periode_penilaian__isnull=True)
        if periode_penilaian is None
        else qs.filter(periode_penilaian=periode_penilaian)
    )
    if mode == "penilai":
        qs = qs.filter(penilai=penilai) if penilai is not None else qs.filter(penilai__isnull=True)
    return dengan_aturan_finalisasi(qs.select_related("oleh__pegawai")).order_by("-pada", "-pk")


def aturan_finalisasi(fin: FinalisasiKelompok) -> tuple[int | None, distribusi_rules.Rules]:
    """``(versi, rules)`` a group was finalised with (a row loaded through `dengan_aturan_finalisasi`)."""
    if fin.versi_aturan is None or getattr(fin, "aturan_data_", None) is None:  # defaults / not annotated
        return fin.versi_aturan, aturan_versi(fin.instansi_id, fin.versi_aturan)
    return aturan_dari(fin)


def nama_evaluasi(ev: Evaluasi) -> str:
    return ev.periode_penilaian.nama if ev.periode_penilaian_id else f"tahunan {ev.periode.tahun}"  # type: ignore[union-attr]


def nama_periode_evaluasi(periode: Periode, pp: PeriodePenilaian | None) -> str:
    """`nama_evaluasi` of every evaluation of ``pp`` (None: the annual ones of ``periode``)."""
    return pp.nama if pp is not None else f"tahunan {periode.tahun}"


def status_kunci(ev: Evaluasi, sekarang: datetime.datetime | None = None) -> alur.StatusKunci:
    """Whether the ratings of ``ev`` may change now (the deadline lock and the admin's unlock)."""
    return status_kunci_dari(nama_evaluasi(ev), ev.batas_evaluasi, ev.kunci_dibuka_sampai, sekarang)


def status_kunci_dari(
    nama: str,
    batas: datetime.date,
    kunci_dibuka_sampai: datetime.datetime | None,
    sekarang: datetime.datetime | None = None,
) -> alur.StatusKunci:
    """`status_kunci` from plain values: the evaluation's name, deadline and the admin's unlock (a list of
    one periode reads them once for every row)."""
    lokal = timezone.localtime(sekarang if sekarang is not None else timezone.now())
    return alur.status_kunci(
        nama=nama,
        batas=batas,
        hari_ini=lokal.date(),
        sekarang=lokal,
        buka_kunci_sampai=timezone.localtime(kunci_dibuka_sampai) if kunci_dibuka_sampai else None,
    )


def akhir_evaluasi(ev: Evaluasi) -> datetime.date:
    if ev.periode_penilaian_id:
        return ev.periode_penilaian.selesai  # type: ignore[union-attr]
    return datetime.date(ev.periode.tahun, 12, 31)


def akhir_periode_evaluasi(periode: Periode, pp: PeriodePenilaian | None) -> datetime.date:
    return pp.selesai if pp is not None else datetime.date(periode.tahun, 12, 31)


def status_penetapan(ev: Evaluasi, sekarang: datetime.datetime | None = None) -> alur.StatusKunci:
    """Whether the ratings of ``ev`` may be decided now: after its periode (annual: the year) has ended."""
    return alur.status_penetapan(
        nama=nama_evaluasi(ev),
        selesai=akhir_evaluasi(ev),
        hari_ini=timezone.localtime(sekarang if sekarang is not None else timezone.now()).date(),
    )


def status_penetapan_periode(
    periode: Periode, pp: PeriodePenilaian | None, sekarang: datetime.datetime | None = None
) -> alur.StatusKunci:
    """`status_penetapan` of every evaluation of ``pp`` (None: the annual ones of ``periode``)."""
    return alur.status_penetapan(
        nama=nama_periode_evaluasi(periode, pp),
        selesai=akhir_periode_evaluasi(periode, pp),
        hari_ini=timezone.localtime(sekarang if sekarang is not None else timezone.now()).date(),
    )


def tahap(ev: Evaluasi, sekarang: datetime.datetime | None = None) -> alur.TahapEvaluasi:
    """The one word for the state of ``ev`` on every page (`rules.evaluasi.tahap_evaluasi`)."""
    return tahap_dari(
        ev.status, ev.saran_hasil, ev.saran_perilaku, ev.predikat, status_penetapan(ev, sekarang).terbuka
    )


def tahap_dari(
    status: str | None, saran_hasil: str, saran_perilaku: str, predikat: str, periode_berakhir: bool
) -> alur.TahapEvaluasi:
    """`tahap` from plain values (``periode_berakhir``: `status_penetapan_periode(...).terbuka`, the same for
    every evaluation of a periode)."""
    return alur.tahap_evaluasi(
        status,
        semua_dirating=bool(saran_hasil and saran_perilaku),
        ditetapkan=bool(predikat),
        periode_berakhir=periode_berakhir,
    )


def capaian_unit(
    unit: UnitKerja | int, periode: Periode | int, periode_penilaian: PeriodePenilaian | None
) -> CapaianOrganisasiUnit | None:
    # One row at most (the unique constraints), read unordered: the default order joins periode and unit.
    qs = CapaianOrganisasiUnit.objects.filter(unit=unit, periode=periode).order_by()
    if periode_penilaian is None:
        qs = qs.filter(periode_penilaian__isnull=True)
    else:
        qs = qs.filter(periode_penilaian=periode_penilaian)
    return next(iter(qs[:1]), None)


def evaluasi_periode(periode: Periode, periode_penilaian: PeriodePenilaian | None) -> Any:
    qs = Evaluasi.objects.filter(periode=periode)
    if periode_penilaian is None:
        return qs.filter(jenis=JenisEvaluasi.TAHUNAN)
    return qs.filter(periode_penilaian=periode_penilaian)


def rhk_belum_siap(ev: Evaluasi) -> list[RatingRhk]:
    """The RHK rows that still block the rating: no realisasi for the periode (annual: in the year) and
    not marked "tidak ada realisasi" with a reason (`rules.evaluasi.siap_dinilai`)."""
    rows = list(ev.rating_rhk.all())
    realisasi = Realisasi.objects.filter(indikator__rhk_id__in=[r.rhk_id for r in rows if r.rhk_id])
    if ev.periode_penilaian_id:
        realisasi = realisasi.filter(periode_penilaian_id=ev.periode_penilaian_id)
    else:
        realisasi = realisasi.filter(periode_penilaian__periode_id=ev.periode_id)
    return rhk_belum_siap_dari(rows, set(realisasi.values_list("indikator__rhk_id", flat=True)))


def rhk_belum_siap_dari(rows: list[RatingRhk], ada: set[int]) -> list[RatingRhk]:
    """`rhk_belum_siap` from rows already read: ``ada`` holds the RHK with a realisasi that counts."""
    by_pk = {r.pk: r for r in rows}
    blok = alur.siap_dinilai(
        [r.pk for r in rows if r.rhk_id in ada],
        [r.pk for r in rows],
        {r.pk: r.tanpa_realisasi_alasan for r in rows if r.tanpa_realisasi},
    )
    return [by_pk[pk] for pk in blok]


def penetap_capaian(
    unit: UnitKerja, tanggal: datetime.date
) -> tuple[rating_rules.PenetapCapaian, int | None]:
    """Who sets ``unit``'s capaian organisasi on ``tanggal`` (`rules.rating.penetap_capaian_organisasi`)
    and the pegawai id of the unit's own head (who never sets it). One query whatever the depth: the units
    above come from the unit's materialised path, the head of each as `organisasi.selectors.pimpinan_unit`
    picks (definitif > PLT > PLH, then the earliest)."""
    rantai = [int(pk) for pk in unit.path.strip("/").split("/") if pk]
    if not rantai or rantai[-1] != unit.pk:  # a path not (yet) computed: walk up as the tree says
        rantai = [unit.pk]
        atas: UnitKerja | None = unit.parent if unit.parent_id else None
        while atas is not None:
            rantai.insert(0, atas.pk)
            atas = atas.parent if atas.parent_id else None
    urutan = {j.value: i for i, j in enumerate(JenisPenempatan)}
    calon = sorted(
        Penempatan.objects.aktif_pada(tanggal)
        .filter(jabatan__unit_id__in=rantai, jabatan__pimpinan_unit=True, pegawai__aktif=True)
        .values_list("jabatan__unit_id", "pegawai_id", "jenis", "mulai"),
        key=lambda p: (urutan.get(p[2], 9), p[3]),
    )
    kepala: dict[int, int] = {}
    for unit_id, pegawai_id, _jenis, _mulai in calon:
        kepala.setdefault(unit_id, pegawai_id)
    kepala_unit = kepala.get(unit.pk)
    kepala_atas = [kepala.get(pk) for pk in reversed(rantai[:-1])]
    return rating_rules.penetap_capaian_organisasi(kepala_unit, kepala_atas), kepala_unit
