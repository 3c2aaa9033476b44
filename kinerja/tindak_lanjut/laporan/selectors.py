"""Reads of the follow-up lists and the angka kredit report (docs/rules.md §19).

Only FINAL evaluations count. The follow-up lists come from the annual (tahunan) evaluations of a year;
"two years in a row" looks at the same pegawai's final annual predikat of the year before, whatever the
SKP. Angka kredit is computed for SKP whose jabatan is fungsional with a jenjang: the final annual
evaluation gives the year's angka kredit (authoritative); final periodic evaluations are shown as the
progress during the year and stand in, marked "sementara", for a year without a final annual one.

Query counts are flat in the number of rows: every list is a fixed number of queries.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from kinerja.common.tampil import nip_tampil
from kinerja.organisasi.models import Instansi, Periode, UnitKerja
from kinerja.organisasi.selectors import Pemangku, jabatan_dipegang, pimpinan_unit
from kinerja.penilaian.models import Evaluasi, JenisEvaluasi
from kinerja.perencanaan.models import Skp
from kinerja.permissions import is_admin_kepegawaian, is_superuser
from kinerja.rules.alur import Status as StatusSkp
from kinerja.rules.angka_kredit import angka_kredit, angka_kredit_gabungan
from kinerja.rules.angka_kredit_tahunan import (
    AngkaKreditTahun,
    BulanSebagian,
    angka_kredit_tahun,
    bulan_dalam_periode,
    bulan_dihitung,
    bulan_per_bagian,
)
from kinerja.rules.evaluasi import Status
from kinerja.rules.tindak_lanjut import PREDIKAT_SANKSI_DEFAULT, Kategori, tindak_lanjut
from kinerja.rules.types import Jenjang, Predikat

DITOLAK = "Laporan tindak lanjut hanya untuk admin kepegawaian dan pimpinan unit kerja."
DITOLAK_UNIT = "Anda hanya dapat melihat laporan unit kerja yang Anda pimpin beserta sub-unitnya."

# --- who may see -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cakupan:
    """What the user may see: the whole instansi (admin) or the units they head with their sub-units."""

    instansi: Instansi
    admin: bool
    unit_akar: tuple[UnitKerja, ...] = ()

    def boleh(self, unit: UnitKerja | None) -> bool:
        if self.admin:
            return unit is None or unit.instansi_id == self.instansi.pk
        return unit is not None and any(unit.path.startswith(a.path) for a in self.unit_akar)

    def unit_qs(self) -> QuerySet[UnitKerja]:
        qs = UnitKerja.objects.filter(instansi=self.instansi)
        if not self.admin:
            cond = Q()
            for a in self.unit_akar:
                cond |= Q(path__startswith=a.path)
            qs = qs.filter(cond)
        return qs.order_by("path")


def cakupan_laporan(user: Any, instansi_id: int | None = None) -> Cakupan:
    """The admin of an instansi sees all its units; the head of a unit (definitif, PLT or PLH) sees that
    unit and its sub-units; anyone else is refused (403). A superuser works on the instansi chosen on the
    dashboard (``instansi_id`` from the session), else the first one."""
    if not user.is_authenticated:
        raise PermissionDenied(DITOLAK)
    if is_admin_kepegawaian(user):
        return Cakupan(user.admin_instansi, True)
    if is_superuser(user):
        instansi = (
            Instansi.objects.filter(pk=instansi_id).first() if instansi_id else None
        ) or Instansi.objects.order_by("pk").first()
        if instansi is None:
            raise PermissionDenied(DITOLAK)
        return Cakupan(instansi, True)
    if not user.pegawai_id:
        raise PermissionDenied(DITOLAK)
    unit_ids = {j.unit_id for j in jabatan_dipegang(user.pegawai) if j.pimpinan_unit}
    if not unit_ids:
        raise PermissionDenied(DITOLAK)
    units = sorted(UnitKerja.objects.filter(pk__in=unit_ids).select_related("instansi"), key=lambda u: u.path)
    akar = tuple(u for u in units if not any(u is not o and u.path.startswith(o.path) for o in units))
    return Cakupan(akar[0].instansi, False, akar)


def pilih_unit(cakupan: Cakupan, unit_id: str | None) -> UnitKerja | None:
    """The unit asked for (``?unit=``): ``None`` is the whole instansi (admin only); a head without a
    choice gets the (first) unit they head. A unit outside the user's scope is refused (403)."""
    if not unit_id:
        return None if cakupan.admin else cakupan.unit_akar[0]
    try:
        pk = int(unit_id)
    except ValueError:
        raise PermissionDenied(DITOLAK_UNIT) from None
    unit = UnitKerja.objects.filter(pk=pk, instansi=cakupan.instansi).first()
    if unit is None or not cakupan.boleh(unit):
        raise PermissionDenied(DITOLAK_UNIT)
    return unit


def pilihan_unit(cakupan: Cakupan) -> list[tuple[int, str]]:
    """(pk, label indented by depth) of every unit the user may choose, in tree order (one query)."""
    rows = list(cakupan.unit_qs().values_list("pk", "nama", "depth"))
    dangkal = min((d for _, _, d in rows), default=0)
    return [(pk, "\u2003" * (d - dangkal) + nama) for pk, nama, d in rows]


def penandatangan(cakupan: Cakupan, unit: UnitKerja | None) -> Pemangku | None:
    """Who signs a list: the head of the chosen unit, or of the instansi's top unit for the whole instansi."""
    if unit is None:
        unit = UnitKerja.objects.filter(instansi=cakupan.instansi, parent=None).order_by("path").first()
    return pimpinan_unit(unit) if unit is not None else None


# --- years -------------------------------------------------------------------------------------------------


def _final(instansi: Instansi) -> QuerySet[Evaluasi]:
    return Evaluasi.objects.filter(instansi=instansi, status=Status.FINAL.value)


def tahun_periode(instansi: Instansi) -> list[int]:
    """Every year the instansi has a periode for, newest first."""
    return list(Periode.objects.filter(instansi=instansi).order_by("-tahun").values_list("tahun", flat=True))


def tahun_tahunan_final(instansi: Instansi) -> list[int]:
    """Years with at least one final annual evaluation, newest first."""
    return sorted(
        set(
            _final(instansi)
            .filter(jenis=JenisEvaluasi.TAHUNAN)
            .values_list("periode__tahun", flat=True)
            .distinct()
        ),
        reverse=True,
    )


def select_tahun(value: str | None, tersedia: list[int], bawaan: int | None) -> int | None:
    """The year asked for when it is one of ``tersedia``, else ``bawaan``."""
    try:
        tahun = int(value or "")
    except ValueError:
        return bawaan
    return tahun if tahun in tersedia else bawaan


def _dalam_unit(qs: QuerySet[Evaluasi], unit: UnitKerja | None) -> QuerySet[Evaluasi]:
    return qs if unit is None else qs.filter(unit__path__startswith=unit.path)


# --- follow-up lists -------------------------------------------------------------------------------------

URUTAN_KATEGORI = (Kategori.PENGHARGAAN, Kategori.PENGEMBANGAN, Kategori.PEMBINAAN, Kategori.TINJAUAN_SANKSI)


@dataclass(frozen=True)
class BarisTindakLanjut:
    evaluasi_id: int
    pegawai_id: int
    nama: str
    nip: str
    pangkat: str
    jabatan: str
    unit: str
    predikat: Predikat
    predikat_lalu: Predikat | None
    kategori: Kategori
    dua_tahun: bool
    keterangan: str

    @property
    def nip_tampil(self) -> str:
        return nip_tampil(self.nip)


@dataclass(frozen=True)
class KelompokTindakLanjut:
    kategori: Kategori
    baris: list[BarisTindakLanjut]

    @property
    def jumlah_dua_tahun(self) -> int:
        return sum(1 for b in self.baris if b.dua_tahun)


@dataclass(frozen=True)
class DaftarTindakLanjut:
    tahun: int
    unit: UnitKerja | None
    jumlah_final: int  # final annual evaluations of the year in scope
    predikat_sanksi: tuple[Predikat, ...]
    kelompok: list[KelompokTindakLanjut] = field(default_factory=list)

    @property
    def jumlah(self) -> int:
        return sum(len(k.baris) for k in self.kelompok)


def predikat_sanksi(instansi: Instansi) -> tuple[Predikat, ...]:
    """The instansi's predikat that count as not meeting the kinerja target (null = rules default)."""
    nilai = instansi.predikat_tinjauan_sanksi
    terpilih = {Predikat(p) for p in nilai} if nilai is not None else set(PREDIKAT_SANKSI_DEFAULT)
    return tuple(p for p in Predikat if p in terpilih)


def list_tindak_lanjut(instansi: Instansi, tahun: int, unit: UnitKerja | None) -> DaftarTindakLanjut:
    """The follow-up lists of ``tahun`` for ``unit`` with its sub-units (``None``: the whole instansi).
    Two queries, whatever the number of pegawai."""
    sanksi = predikat_sanksi(instansi)
    ini = list(
        _dalam_unit(_final(instansi).filter(jenis=JenisEvaluasi.TAHUNAN, periode__tahun=tahun), unit)
        .exclude(predikat="")
        .order_by("pegawai_nama", "pk")
    )
    lalu = dict(
        _final(instansi)
        .filter(
            jenis=JenisEvaluasi.TAHUNAN,
            periode__tahun=tahun - 1,
            pegawai_id__in=[e.pegawai_id for e in ini],  # one pegawai per final annual row
        )
        .exclude(predikat="")
        .values_list("pegawai_id", "predikat")
    )
    per_kategori: dict[Kategori, list[BarisTindakLanjut]] = defaultdict(list)
    for ev in ini:
        riwayat = {tahun: Predikat(ev.predikat)}
        if ev.pegawai_id in lalu:
            riwayat[tahun - 1] = Predikat(lalu[ev.pegawai_id])
        hasil = tindak_lanjut(tahun, riwayat, sanksi)
        if hasil is None:
            continue
        per_kategori[hasil.kategori].append(
            BarisTindakLanjut(
                evaluasi_id=ev.pk,
                pegawai_id=ev.pegawai_id,
                nama=ev.pegawai_nama,
                nip=ev.pegawai_nip,
                pangkat=ev.pegawai_pangkat,
                jabatan=ev.pegawai_jabatan,
                unit=ev.pegawai_unit,
                predikat=Predikat(ev.predikat),
                predikat_lalu=riwayat.get(tahun - 1),
                kategori=hasil.kategori,
                dua_tahun=hasil.dua_tahun,
                keterangan=hasil.keterangan,
            )
        )
    kelompok = [
        KelompokTindakLanjut(
            k, sorted(per_kategori[k], key=lambda b: (not b.dua_tahun, b.nama, b.evaluasi_id))
        )
        for k in URUTAN_KATEGORI
    ]
    return DaftarTindakLanjut(tahun, unit, len(ini), sanksi, kelompok)


# --- angka kredit ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BagianPeriodik:
    nama: str
    nomor: int
    jabatan: str
    jenjang: Jenjang
    predikat: Predikat
    bulan: int
    nilai: Decimal


@dataclass(frozen=True)
class BagianTahunan:
    jabatan: str
    jenjang: Jenjang | None  # None: not a jabatan fungsional, earns nothing
    mulai: datetime.date
    selesai: datetime.date
    bulan: int


@dataclass(frozen=True)
class AngkaKreditSetahun:
    tahun: int
    periodik: list[BagianPeriodik]
    periodik_jumlah: Decimal | None  # the periodic parts together (progress), None without any
    predikat_tahunan: Predikat | None
    bagian_tahunan: list[BagianTahunan]
    tahunan: AngkaKreditTahun | None  # from the final annual evaluation (authoritative)
    nilai: Decimal  # the year's angka kredit: annual when final, else the periodic progress
    sementara: bool  # no final annual evaluation yet: ``nilai`` is the periodic progress
    kumulatif: Decimal  # running total up to and including this year

    @property
    def periodik_beberapa_jabatan(self) -> bool:
        """The periodic parts fall in more than one jabatan (a mutation): name the jabatan of each."""
        return len({p.jabatan for p in self.periodik}) > 1


@dataclass(frozen=True)
class BarisAngkaKredit:
    pegawai_id: int
    nama: str
    nip: str
    jabatan: str
    jenjang: Jenjang
    unit: str
    tahun_ini: AngkaKreditSetahun
    riwayat: list[AngkaKreditSetahun]  # every year up to the chosen one, oldest first

    @property
    def nip_tampil(self) -> str:
        return nip_tampil(self.nip)

    @property
    def kumulatif(self) -> Decimal:
        return self.tahun_ini.kumulatif

    @property
    def kumulatif_sementara(self) -> bool:
        return any(t.sementara for t in self.riwayat)

    @property
    def tahun_awal(self) -> int:
        return self.riwayat[0].tahun


@dataclass(frozen=True)
class LaporanAngkaKredit:
    tahun: int
    unit: UnitKerja | None
    baris: list[BarisAngkaKredit]
    aturan_bulan: BulanSebagian = BulanSebagian.TANGGAL_1  # the instansi's part-month rule (CONFIG)


def _jenjang(skp: Skp) -> Jenjang | None:
    """The jenjang the SKP was made in (its snapshot, docs/rules.md §19.3), never the jabatan row as edited
    later; an SKP without a snapshot (made by other means) reads its jabatan."""
    jenjang = skp.pegawai_jenjang or skp.jabatan.jenjang
    return Jenjang(jenjang) if jenjang else None


def _setahun(
    tahun: int,
    periodik: Iterable[Evaluasi],
    tahunan: Evaluasi | None,
    skp_tahun: list[Skp],
    kumulatif_lalu: Decimal,
    aturan: BulanSebagian,
) -> AngkaKreditSetahun | None:
    periodik = sorted(periodik, key=lambda e: e.periode_penilaian.nomor if e.periode_penilaian else 0)
    # A periodic predikat earns only the months of its periode that the pegawai's SKP cover, each month for
    # one SKP and at that SKP's jenjang, as the annual predikat below (docs/rules.md §5, §19.3).
    semua = {s.pk: s for s in skp_tahun}
    for ev in periodik:
        semua.setdefault(ev.skp_id, ev.skp)
    urut = sorted(semua.values(), key=lambda s: s.mulai)
    bulan_skp: dict[int, frozenset[int]] = {}
    if periodik:
        dihitung_skp = bulan_dihitung([(s.mulai, s.selesai) for s in urut], aturan)
        bulan_skp = {s.pk: b for s, b in zip(urut, dihitung_skp, strict=True)}
    bagian_p: list[BagianPeriodik] = []
    for ev in periodik:
        pp = ev.periode_penilaian
        if pp is None or not ev.predikat:
            continue
        predikat = Predikat(ev.predikat)
        bagian_ev: list[BagianPeriodik] = []
        for s in urut:
            bulan = bulan_dalam_periode(bulan_skp[s.pk], pp.mulai, pp.selesai)
            jenjang = _jenjang(s)
            if bulan and jenjang is not None:
                jabatan = ev.pegawai_jabatan if s.pk == ev.skp_id else s.pegawai_jabatan
                bagian_ev.append(
                    BagianPeriodik(
                        pp.nama,
                        pp.nomor,
                        jabatan,
                        jenjang,
                        predikat,
                        bulan,
                        angka_kredit(jenjang, predikat, bulan),
                    )
                )
        jenjang_ev = _jenjang(ev.skp)
        if not bagian_ev and jenjang_ev is not None:  # shown with 0 months: the SKP covers none of them
            bagian_ev.append(
                BagianPeriodik(
                    pp.nama, pp.nomor, ev.pegawai_jabatan, jenjang_ev, predikat, 0, Decimal("0.000")
                )
            )
        bagian_p.extend(bagian_ev)
    periodik_jumlah = None
    dihitung = [b for b in bagian_p if b.bulan]
    if dihitung and sum(b.bulan for b in dihitung) <= 12:
        periodik_jumlah = angka_kredit_gabungan([(b.jenjang, b.predikat, b.bulan) for b in dihitung])

    hasil_tahunan = None
    bagian_t: list[BagianTahunan] = []
    predikat_t = Predikat(tahunan.predikat) if tahunan is not None and tahunan.predikat else None
    if tahunan is not None and predikat_t is not None:
        # The annual SKP and the earlier approved SKP of the year (a mutation), as in the annual prefill.
        skp = [s for s in skp_tahun if s.pk != tahunan.skp_id and s.mulai < tahunan.skp.mulai] + [tahunan.skp]
        bulan = bulan_per_bagian([(s.mulai, s.selesai) for s in skp], aturan)
        bagian_t = [
            BagianTahunan(s.pegawai_jabatan, _jenjang(s), s.mulai, s.selesai, b)
            for s, b in zip(skp, bulan, strict=True)
        ]
        parts = [(b.jenjang, predikat_t, b.bulan) for b in bagian_t if b.jenjang is not None and b.bulan]
        if parts:
            hasil_tahunan = angka_kredit_tahun(parts)
    if hasil_tahunan is not None:
        nilai, sementara = hasil_tahunan.nilai, False
    elif periodik_jumlah is not None:
        nilai, sementara = periodik_jumlah, True
    else:
        return None
    return AngkaKreditSetahun(
        tahun,
        bagian_p,
        periodik_jumlah,
        predikat_t,
        bagian_t,
        hasil_tahunan,
        nilai,
        sementara,
        kumulatif_lalu + nilai,
    )


def tahun_angka_kredit(instansi: Instansi) -> list[int]:
    """Years with a final evaluation of a jabatan fungsional with a jenjang, newest first."""
    return sorted(
        set(
            _final(instansi)
            .exclude(skp__jabatan__jenjang="", skp__pegawai_jenjang="")
            .values_list("periode__tahun", flat=True)
            .distinct()
        ),
        reverse=True,
    )


def laporan_angka_kredit(instansi: Instansi, tahun: int, unit: UnitKerja | None) -> LaporanAngkaKredit:
    """Angka kredit of ``tahun`` per pegawai evaluated that year in a jabatan fungsional (in ``unit`` with
    its sub-units, ``None``: the whole instansi), with every earlier year for the running total.
    Two queries, whatever the number of pegawai and years."""
    pegawai_ids = (
        _dalam_unit(_final(instansi).filter(periode__tahun=tahun), unit)
        .exclude(skp__jabatan__jenjang="", skp__pegawai_jenjang="")
        .values("pegawai_id")
    )
    evaluasi = list(
        _final(instansi)
        .filter(pegawai_id__in=pegawai_ids, periode__tahun__lte=tahun)
        .select_related("skp", "skp__jabatan", "periode", "periode_penilaian")
        .order_by("pegawai_id", "periode__tahun")
    )
    aturan = BulanSebagian(instansi.bulan_sebagian_angka_kredit)
    tahun_ada = {e.periode.tahun for e in evaluasi}
    skp_per: dict[tuple[int, int], list[Skp]] = defaultdict(list)
    if tahun_ada:
        for s in (
            Skp.objects.filter(
                instansi=instansi,
                pegawai_id__in=pegawai_ids,
                periode__tahun__in=tahun_ada,
                status=StatusSkp.DISETUJUI.value,
            )
            .select_related("jabatan", "periode")
            .order_by("mulai")
        ):
            skp_per[(s.pegawai_id, s.periode.tahun)].append(s)

    per_pegawai: dict[int, dict[int, list[Evaluasi]]] = defaultdict(lambda: defaultdict(list))
    for e in evaluasi:
        per_pegawai[e.pegawai_id][e.periode.tahun].append(e)

    baris: list[BarisAngkaKredit] = []
    for pegawai_id, per_tahun in per_pegawai.items():
        riwayat: list[AngkaKreditSetahun] = []
        kumulatif = Decimal("0.000")
        for th in sorted(per_tahun):
            evs = per_tahun[th]
            tahunan = next((e for e in evs if e.jenis == JenisEvaluasi.TAHUNAN), None)
            periodik = [e for e in evs if e.jenis == JenisEvaluasi.PERIODIK]
            satu = _setahun(th, periodik, tahunan, skp_per.get((pegawai_id, th), []), kumulatif, aturan)
            if satu is not None:
                riwayat.append(satu)
                kumulatif = satu.kumulatif
        if not riwayat or riwayat[-1].tahun != tahun:
            continue
        # Identity as at the latest final evaluation of the year in a jabatan fungsional.
        terakhir = max(
            (e for e in per_tahun[tahun] if _jenjang(e.skp)),
            key=lambda e: (
                e.jenis == JenisEvaluasi.TAHUNAN,
                e.periode_penilaian.nomor if e.periode_penilaian else 0,
            ),
        )
        baris.append(
            BarisAngkaKredit(
                pegawai_id=pegawai_id,
                nama=terakhir.pegawai_nama,
                nip=terakhir.pegawai_nip,
                jabatan=terakhir.pegawai_jabatan,
                jenjang=Jenjang(terakhir.skp.pegawai_jenjang or terakhir.skp.jabatan.jenjang),
                unit=terakhir.pegawai_unit,
                tahun_ini=riwayat[-1],
                riwayat=riwayat,
            )
        )
    baris.sort(key=lambda b: (b.unit, b.nama, b.pegawai_id))
    return LaporanAngkaKredit(tahun, unit, baris, aturan)
