"""Small data for tests: factory-boy factories for the core objects and a few helpers named after what a
test needs (`atasan_dan_bawahan()`, `skp_disetujui(pegawai)`, `evaluasi_final(skp)`, `keberatan(ev)`).

A test that uses these shows the few objects it is about instead of reaching into the demo instansi. The
session database still holds the demo (tests/conftest.py), so everything made here lives in its own
instansi with its own codes and NIPs (never the demo's). Objects with a workflow are made through the
real services (`organisasi.services`, `perencanaan.services`, `penilaian.services`,
`tindak_lanjut.keberatan.services`), so they are in states the product itself can produce; plain rows
(RHK, indikator, realisasi, rencana aksi) are made as models, as the demo seed and the import do.
"""

from __future__ import annotations

import datetime
import inspect
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any, Self, TypeVar

import factory
import pytest
from django.db import transaction
from django.db.models import Model
from django.test import Client
from django.utils import timezone
from factory.django import DjangoModelFactory

from kinerja.organisasi import services as org_services
from kinerja.organisasi.models import (
    Instansi,
    Jabatan,
    Pegawai,
    Penempatan,
    Periode,
    PeriodePenilaian,
    UnitKerja,
    User,
)
from kinerja.pelaksanaan.models import Realisasi, RencanaAksi
from kinerja.penilaian import selectors as penilaian_selectors
from kinerja.penilaian import services as penilaian_services
from kinerja.penilaian.kelompok import services as services_kelompok
from kinerja.penilaian.models import Evaluasi
from kinerja.perencanaan import services as skp_services
from kinerja.perencanaan.models import Indikator, IndikatorTargetPeriode, Rhk, Skp
from kinerja.rules.jadwal import Skema
from kinerja.rules.perilaku import BERAKHLAK
from kinerja.tindak_lanjut.keberatan import services as services_keberatan
from kinerja.tindak_lanjut.models import Keberatan

TAHUN = 2026  # the year of the suite's fixed clock (tests/conftest.py WAKTU_UJI)
TMT = datetime.date(2020, 1, 1)  # a placement that covers every year the tests plan in
# The four perspectives a JPT's SKP must cover (docs/rules.md "JPT perspectives").
PERSPEKTIF_JPT = ("penerima_layanan", "proses_bisnis", "penguatan_internal", "anggaran")


def _nip(n: int) -> str:
    """An 18-digit NIP (born 1 January 1966, TMT CPNS 20xx-01) no demo or generated pegawai has."""
    return f"19660101{2000 + (n // 1000) % 100:04d}011{n % 1000:03d}"


def jam(tanggal: datetime.date, pukul: int = 9) -> datetime.datetime:
    """An aware local (Asia/Jakarta) time on ``tanggal``: the ``sekarang`` the services take."""
    return timezone.make_aware(datetime.datetime.combine(tanggal, datetime.time(pukul)))


# --- organisation ---------------------------------------------------------------------------------------


class InstansiFactory(DjangoModelFactory):
    class Meta:
        model = Instansi

    kode = factory.Sequence(lambda n: f"UJI{n}")
    nama = factory.Sequence(lambda n: f"Dinas Uji {n}")
    kota = "Kota Uji"


class UnitKerjaFactory(DjangoModelFactory):
    """A unit kerja; the first of an instansi is its root (pass ``parent`` for the rest of the tree)."""

    class Meta:
        model = UnitKerja

    instansi = factory.SubFactory(InstansiFactory)
    kode = factory.Sequence(lambda n: f"U{n}")
    nama = factory.Sequence(lambda n: f"Unit Uji {n}")
    parent = None

    @classmethod
    def _create(cls, model_class: type[UnitKerja], *args: Any, **kwargs: Any) -> UnitKerja:
        return org_services.save_unit_kerja(model_class(*args, **kwargs))  # keeps the tree's path


class JabatanFactory(DjangoModelFactory):
    """A jabatan (pelaksana by default) in a unit; ``parent`` is the jabatan of its penilai."""

    class Meta:
        model = Jabatan

    unit = factory.SubFactory(UnitKerjaFactory)
    instansi = factory.SelfAttribute("unit.instansi")
    kode = factory.Sequence(lambda n: f"J{n}")
    nama = factory.Sequence(lambda n: f"Jabatan Uji {n}")
    jenis = "pelaksana"
    jenjang = ""
    parent = None
    pimpinan_unit = False
    unit_kerja_mandiri = False

    @classmethod
    def _create(cls, model_class: type[Jabatan], *args: Any, **kwargs: Any) -> Jabatan:
        return org_services.save_jabatan(model_class(*args, **kwargs))  # keeps the tree's path


class PegawaiFactory(DjangoModelFactory):
    """A pegawai and, as the product makes it, the login named by the NIP (``pegawai.user``)."""

    class Meta:
        model = Pegawai

    instansi = factory.SubFactory(InstansiFactory)
    nip = factory.Sequence(_nip)
    nama = factory.Sequence(lambda n: f"Pegawai Uji {n}")
    pangkat_golongan = "III/a"

    @classmethod
    def _create(cls, model_class: type[Pegawai], *args: Any, **kwargs: Any) -> Pegawai:
        return org_services.save_pegawai(model_class(*args, **kwargs))


class PenempatanFactory(DjangoModelFactory):
    """A definitif placement from `TMT`, open-ended (checked as the admin's page checks it)."""

    class Meta:
        model = Penempatan

    jabatan = factory.SubFactory(JabatanFactory)
    pegawai = factory.SubFactory(PegawaiFactory, instansi=factory.SelfAttribute("..jabatan.instansi"))
    jenis = "definitif"
    mulai = TMT
    selesai = None

    @classmethod
    def _create(cls, model_class: type[Penempatan], *args: Any, **kwargs: Any) -> Penempatan:
        return org_services.save_penempatan(model_class(*args, **kwargs))


class PeriodeFactory(DjangoModelFactory):
    """A year with its periode penilaian and default deadlines (`organisasi.services.create_periode`)."""

    class Meta:
        model = Periode

    instansi = factory.SubFactory(InstansiFactory)
    tahun = TAHUN
    skema = Skema.TRIWULANAN

    @classmethod
    def _create(cls, model_class: type[Periode], *args: Any, **kwargs: Any) -> Periode:
        return org_services.create_periode(kwargs["instansi"], kwargs["tahun"], Skema(kwargs["skema"]))


def periode_penilaian(periode: Periode, nomor: int) -> PeriodePenilaian:
    """The ``nomor``-th periode penilaian of a year (Triwulan ``nomor`` in the default scheme)."""
    return PeriodePenilaian.objects.select_related("periode").get(periode=periode, nomor=nomor)


def periode_tahun(instansi: Instansi, tahun: int = TAHUN) -> Periode:
    """The instansi's year ``tahun``, made when it does not exist yet."""
    return Periode.objects.filter(instansi=instansi, tahun=tahun).first() or PeriodeFactory(
        instansi=instansi, tahun=tahun
    )


def admin_instansi(instansi: Instansi, username: str | None = None) -> User:
    """An admin kepegawaian of ``instansi`` (a login without a pegawai record)."""
    return User.objects.create(username=username or f"admin-{instansi.kode.lower()}", admin_instansi=instansi)


def pegawai_di(jabatan: Jabatan, mulai: datetime.date = TMT, **fields: Any) -> Pegawai:
    """A new pegawai holding ``jabatan`` (definitif) from ``mulai``."""
    peg = PegawaiFactory(instansi=jabatan.instansi, **fields)
    PenempatanFactory(pegawai=peg, jabatan=jabatan, mulai=mulai)
    return peg


T = TypeVar("T")


@contextmanager
def sekali(django_db_blocker: Any, bangun: Callable[[], T]) -> Iterator[T]:
    """Build test data once for a module: ``bangun()`` runs inside a transaction rolled back at the end,
    and each test's own transaction is a savepoint inside it (what a test changes is undone after it).
    In a module-scoped fixture that depends on ``django_db_setup``:
    ``with sekali(django_db_blocker, atasan_dan_bawahan) as tim: yield tim``; a function-scoped fixture
    then hands each test fresh instances (`Tim.segar`)."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield bangun()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


# --- planning -------------------------------------------------------------------------------------------


class SkpFactory(DjangoModelFactory):
    """A draft SKP of a placed pegawai, made by the owner through `perencanaan.services.create_skp` (so
    the penilai, atasan penilai, model and identity snapshot follow from the organisation)."""

    class Meta:
        model = Skp

    pegawai = factory.LazyFunction(lambda: PenempatanFactory().pegawai)  # a pegawai with a jabatan
    periode = factory.LazyAttribute(lambda o: periode_tahun(o.pegawai.instansi))

    @classmethod
    def _create(cls, model_class: type[Skp], *args: Any, **kwargs: Any) -> Skp:
        pegawai, periode = kwargs["pegawai"], kwargs["periode"]
        tanggal = kwargs.get("tanggal") or datetime.date(periode.tahun, 1, 2)
        return skp_services.create_skp(pegawai, periode, pegawai.user, tanggal)


class RhkFactory(DjangoModelFactory):
    class Meta:
        model = Rhk

    skp = factory.SubFactory(SkpFactory)
    jenis = "utama"
    teks = factory.Sequence(lambda n: f"Tersusunnya dokumen uji ke-{n}")
    intervensi = None
    urutan = factory.Sequence(lambda n: n + 1)


class IndikatorFactory(DjangoModelFactory):
    """An indikator: kualitatif by default; ``target_angka`` (with ``target_periode``) makes it numeric.

    ``target_periode``: {nomor: target} for each periode penilaian (numbers or texts)."""

    class Meta:
        model = Indikator
        skip_postgeneration_save = True

    rhk = factory.SubFactory(RhkFactory)
    aspek = "kuantitas"
    teks = factory.Sequence(lambda n: f"Dokumen uji ke-{n} tersedia")
    target_teks = "Dokumen tersedia tepat waktu"
    target_angka = None
    satuan = ""
    polaritas = "maximize"
    konsolidasi = "sum"
    urutan = factory.Sequence(lambda n: n + 1)

    @factory.post_generation
    def target_periode(obj: Indikator, create: bool, extracted: dict[int, Any] | None, **kwargs: Any) -> None:  # noqa: N805
        if not create or not extracted:
            return
        for nomor, target in extracted.items():
            if isinstance(target, str):
                IndikatorTargetPeriode.objects.create(indikator=obj, nomor=nomor, target_teks=target)
            else:
                IndikatorTargetPeriode.objects.create(
                    indikator=obj, nomor=nomor, target_angka=Decimal(target)
                )


def skp_disetujui(
    pegawai: Pegawai,
    periode: Periode | None = None,
    *,
    rhk: Sequence[str] | None = None,
    target_angka: Decimal | int | None = None,
    target_periode: dict[int, Any] | None = None,
    tanggal: datetime.date | None = None,
) -> Skp:
    """An approved SKP of ``pegawai``: drafted, filled (one indikator per RHK), submitted and approved
    through the services, by the owner and the penilai (the admin when there is none).

    An RHK utama of a pegawai with a penilai intervenes the penilai's first RHK, so the penilai's SKP of
    the year must exist first (`skp_disetujui` the atasan before the bawahan). A JPT's RHK take the four
    perspectives in turn (one RHK each by default). A kuantitatif SKP takes ``target_angka`` (default 4)
    and ``target_periode`` (default an even split over the periode)."""
    periode = periode or periode_tahun(pegawai.instansi)
    skp = SkpFactory(pegawai=pegawai, periode=periode, tanggal=tanggal)
    pemilik = pegawai.user
    induk = skp_services.pilihan_intervensi(skp).first()
    jumlah = periode.periode_penilaian.count()
    jpt = skp.jabatan.is_jpt
    if rhk is None:
        rhk = (
            [f"Tersusunnya laporan {p.replace('_', ' ')} yang akurat" for p in PERSPEKTIF_JPT]
            if jpt
            else ["Tersusunnya laporan kinerja unit yang akurat"]
        )
    for i, teks in enumerate(rhk):
        perspektif = PERSPEKTIF_JPT[i % len(PERSPEKTIF_JPT)] if jpt else ""
        baris, _ = skp_services.save_rhk(skp, pemilik, teks=teks, intervensi=induk, perspektif=perspektif)
        if skp.is_kuantitatif:
            angka = Decimal(target_angka if target_angka is not None else 4)
            per = target_periode or {n: angka / jumlah for n in range(1, jumlah + 1)}
            skp_services.save_indikator(
                baris,
                pemilik,
                teks=f"Jumlah {teks.split()[1] if len(teks.split()) > 1 else 'hasil'}",
                aspek="kuantitas",
                target_angka=angka,
                satuan="dokumen",
                konsolidasi="sum",
                target_periode=per,
            )
        else:
            skp_services.save_indikator(
                baris,
                pemilik,
                teks="Hasil kerja tersedia tepat waktu",
                aspek="kuantitas",
                target_teks="Tersedia setiap periode",
                target_periode=target_periode or {n: "Tersedia" for n in range(1, jumlah + 1)},
            )
    skp_services.submit_skp(skp, pemilik)
    skp_services.approve_skp(skp, _penyetuju(skp))
    return Skp.objects.select_related("periode", "pegawai", "penilai").get(pk=skp.pk)


def _penyetuju(skp: Skp) -> User:
    if skp.penilai_id is not None:
        return User.objects.get(pegawai_id=skp.penilai_id)
    return User.objects.filter(admin_instansi_id=skp.instansi_id).first() or admin_instansi(skp.instansi)


# --- organisation with people ---------------------------------------------------------------------------


@dataclass
class Tim:
    """A small instansi: the kepala heads the root unit (JPT, unit kerja mandiri: kuantitatif SKP, no
    penilai); the atasan heads a bidang under it and is the penilai of the bawahan (the kepala is their
    atasan penilai); the admin is the instansi's admin kepegawaian."""

    instansi: Instansi
    unit: UnitKerja
    bidang: UnitKerja
    periode: Periode
    admin: User
    kepala: Pegawai
    atasan: Pegawai
    bawahan: Pegawai

    def pp(self, nomor: int) -> PeriodePenilaian:
        return periode_penilaian(self.periode, nomor)

    def segar(self) -> Tim:
        """The same cast re-read from the database (fresh instances for each test of a module that built
        the cast once, see `sekali`)."""
        return Tim(**{f.name: segar(getattr(self, f.name)) for f in fields(self)})


M = TypeVar("M", bound=Model)


def segar(obj: M) -> M:
    """``obj`` re-read from the database (a new instance)."""
    return type(obj)._default_manager.get(pk=obj.pk)


def atasan_dan_bawahan(
    instansi: Instansi | None = None,
    *,
    jenis_bawahan: str = "pelaksana",
    kepala: dict[str, Any] | None = None,
    atasan: dict[str, Any] | None = None,
    bawahan: dict[str, Any] | None = None,
) -> Tim:
    """The three-level chain every workflow needs (kepala → atasan → bawahan) in a new instansi, with the
    year `TAHUN` and its admin; nobody has an SKP yet. ``kepala``/``atasan``/``bawahan``: fields of that
    pegawai (e.g. ``{"nama": "Hendra Gunawan", "gelar_depan": "Dr."}``)."""
    instansi = instansi or InstansiFactory()
    unit = UnitKerjaFactory(instansi=instansi, nama=f"Badan {instansi.nama}")
    bidang = UnitKerjaFactory(instansi=instansi, parent=unit, nama="Bidang Uji")
    j_kepala = JabatanFactory(
        unit=unit,
        nama="Kepala Badan Uji",
        jenis="jpt_pratama",
        pimpinan_unit=True,
        unit_kerja_mandiri=True,
    )
    j_atasan = JabatanFactory(
        unit=bidang, nama="Kepala Bidang Uji", jenis="administrator", parent=j_kepala, pimpinan_unit=True
    )
    j_bawahan = JabatanFactory(
        unit=bidang,
        nama="Analis Uji" if jenis_bawahan == "fungsional" else "Pengolah Data Uji",
        jenis=jenis_bawahan,
        jenjang="ahli_pertama" if jenis_bawahan == "fungsional" else "",
        parent=j_atasan,
    )
    return Tim(
        instansi=instansi,
        unit=unit,
        bidang=bidang,
        periode=PeriodeFactory(instansi=instansi),
        admin=admin_instansi(instansi),
        kepala=pegawai_di(j_kepala, **{"pangkat_golongan": "IV/c", **(kepala or {})}),
        atasan=pegawai_di(j_atasan, **{"pangkat_golongan": "IV/a", **(atasan or {})}),
        bawahan=pegawai_di(j_bawahan, **(bawahan or {})),
    )


# --- pelaksanaan ----------------------------------------------------------------------------------------


class RencanaAksiFactory(DjangoModelFactory):
    class Meta:
        model = RencanaAksi

    rhk = factory.SubFactory(RhkFactory)
    periode_penilaian = factory.LazyAttribute(lambda o: periode_penilaian(o.rhk.skp.periode, 1))
    teks = factory.Sequence(lambda n: f"Menyusun bahan uji ke-{n}")
    urutan = factory.Sequence(lambda n: n + 1)


class RealisasiFactory(DjangoModelFactory):
    """The realisasi of an indikator for a periode: at the periode's target for a numeric one."""

    class Meta:
        model = Realisasi

    indikator = factory.SubFactory(IndikatorFactory)
    periode_penilaian = factory.LazyAttribute(lambda o: periode_penilaian(o.indikator.rhk.skp.periode, 1))
    nilai_angka = factory.LazyAttribute(
        lambda o: (
            None
            if o.indikator.target_angka is None
            else o.indikator.target_periode.filter(nomor=o.periode_penilaian.nomor)
            .values_list("target_angka", flat=True)
            .first()
            or Decimal(1)
        )
    )
    nilai_teks = factory.LazyAttribute(lambda o: "" if o.indikator.target_angka is not None else "Tercapai")
    diisi_oleh = factory.LazyAttribute(lambda o: o.indikator.rhk.skp.pegawai.user)


def isi_realisasi(skp: Skp, pp: PeriodePenilaian) -> list[Realisasi]:
    """One realisasi per indikator of ``skp`` for ``pp`` (at the target), as if the pegawai filled it."""
    return [
        RealisasiFactory(indikator=ind, periode_penilaian=pp)
        for ind in Indikator.objects.filter(rhk__skp=skp)
    ]


# --- penilaian ------------------------------------------------------------------------------------------


def penilai_dari(skp: Skp) -> User:
    """Who rates ``skp``: its penilai, or the admin kepegawaian when it has none (the head of instansi)."""
    return _penyetuju(skp)


def saat_menilai(skp: Skp, pp: PeriodePenilaian | None) -> datetime.datetime:
    """A moment the evaluation may be decided: the day after the periode (annual: the year) ended, before
    its deadline."""
    selesai = pp.selesai if pp is not None else datetime.date(skp.periode.tahun, 12, 31)
    return jam(selesai + datetime.timedelta(days=1))


def evaluasi_dibuka(skp: Skp, pp: PeriodePenilaian | None = None, *, realisasi: bool = True) -> Evaluasi:
    """The evaluation of an approved SKP for ``pp`` (None: annual), opened by its penilai, with the
    realisasi of the periode (annual: of Triwulan I) filled first unless ``realisasi=False``."""
    if realisasi:
        isi_realisasi(skp, pp or periode_penilaian(skp.periode, 1))
    return penilaian_services.open_evaluasi(skp, pp, penilai_dari(skp))


def evaluasi_dinilai(
    skp: Skp,
    pp: PeriodePenilaian | None = None,
    *,
    hasil: str = "sesuai",
    perilaku: str = "sesuai",
    sekarang: datetime.datetime | None = None,
) -> Evaluasi:
    """An evaluation rated by its penilai: every RHK rated ``hasil``, every BerAKHLAK value ``perilaku``,
    the suggestions accepted (`penilaian.services.set_rating`)."""
    sekarang = sekarang or saat_menilai(skp, pp)
    ev = evaluasi_dibuka(skp, pp)
    oleh = penilai_dari(skp)
    for row in ev.rating_rhk.order_by("urutan"):
        ev = penilaian_services.rate_rhk(ev, row.rhk, hasil, "", oleh, sekarang=sekarang)
    for n in BERAKHLAK:
        ev = penilaian_services.rate_perilaku(ev, n.kode, perilaku, "", oleh, sekarang=sekarang)
    return penilaian_services.set_rating(ev, oleh, sekarang=sekarang)


def evaluasi_final(
    skp: Skp,
    pp: PeriodePenilaian | None = None,
    *,
    hasil: str = "sesuai",
    perilaku: str = "sesuai",
    capaian: str = "baik",
    final_pada: datetime.datetime | None = None,
) -> Evaluasi:
    """A final evaluation of a pegawai who has a penilai and heads no unit (a head's rating hasil kerja
    follows the capaian of the unit: not built here): rated (`evaluasi_dinilai`), the capaian
    organisasi of the unit set by the level above, and the rating group finalised by the penilai
    (`penilaian.kelompok.services.finalise_kelompok`; a reason is given in case the pola distribusi warns).

    ``final_pada`` moves the moment it became final and the pegawai was told (the day a keberatan window
    counts from)."""
    if skp.penilai_id is None:
        raise ValueError("evaluasi_final: the SKP has no penilai (its group is finalised by the admin).")
    ev = evaluasi_dinilai(skp, pp, hasil=hasil, perilaku=perilaku)
    penilai = penilai_dari(skp)
    kel = penilaian_selectors.kelompok(skp.penilai, pp, periode=skp.periode)
    if kel.capaian is None:
        oleh, ppk = _penetap_capaian(kel.unit, skp.periode, pp)
        penilaian_services.set_capaian_organisasi(kel.unit, skp.periode, pp, capaian, "", oleh, ppk)
    services_kelompok.finalise_kelompok(skp.penilai, skp.periode, pp, penilai, "Kelompok uji yang kecil.")
    if final_pada is not None:
        Evaluasi.objects.filter(pk=ev.pk).update(final_pada=final_pada, diberitahu_pada=final_pada)
    return Evaluasi.objects.select_related("instansi", "periode", "periode_penilaian", "pegawai").get(
        pk=ev.pk
    )


def _penetap_capaian(unit: UnitKerja, periode: Periode, pp: PeriodePenilaian | None) -> tuple[User, Any]:
    """Who sets the unit's capaian organisasi (the head of the unit above; the admin, with the PPK's
    written decision, for the top unit)."""
    tanggal = pp.selesai if pp is not None else datetime.date(periode.tahun, 12, 31)
    penetap, _ = penilaian_selectors.penetap_capaian(unit, tanggal)
    if penetap.admin:
        admin = User.objects.filter(admin_instansi_id=unit.instansi_id).first() or admin_instansi(
            unit.instansi
        )
        return admin, penilaian_services.KeputusanPpk("Bupati Uji", "800/1/UJI", tanggal)
    return User.objects.get(pegawai_id=penetap.pegawai), None


# --- tindak lanjut --------------------------------------------------------------------------------------


def keberatan(
    ev: Evaluasi,
    alasan: str = "Capaian RHK saya melebihi target.",
    *,
    sekarang: datetime.datetime | None = None,
    lampiran: Iterable[services_keberatan.Unggahan] = (),
) -> Keberatan:
    """A keberatan filed by the evaluated pegawai on a final evaluation (`services_keberatan.ajukan`);
    ``sekarang`` defaults to the day after the evaluation became final."""
    assert ev.final_pada is not None, "keberatan: the evaluation is not final"
    sekarang = sekarang or ev.final_pada + datetime.timedelta(days=1)
    return services_keberatan.ajukan(ev, ev.pegawai.user, alasan, lampiran, sekarang=sekarang)


# --- more: perencanaan and tindak lanjut ----------------------------------------------------------------


def kabid_lain(tim: Tim, bidang: str = "Bidang Lain", **pegawai: Any) -> Pegawai:
    """The head (administrator) of a second bidang (named ``bidang``) under the kepala, a peer of
    ``tim.atasan``; ``pegawai``: fields of that pegawai (e.g. ``nama="Sri Wahyuni"``)."""
    unit = UnitKerjaFactory(instansi=tim.instansi, parent=tim.unit, nama=bidang)
    jabatan = JabatanFactory(
        unit=unit,
        nama=f"Kepala {bidang}",
        jenis="administrator",
        parent=tim.kepala.penempatan.get().jabatan,
        pimpinan_unit=True,
    )
    return pegawai_di(jabatan, **{"pangkat_golongan": "IV/a", **pegawai})


def sasaran_dan_manual(
    unit: UnitKerja, oleh: User, tahun: int = TAHUN, *, kode: str = "1", target: Decimal | int = 12
) -> tuple[Any, Any]:
    """A sasaran strategis (proses bisnis) of ``unit`` and a Manual IKU under it with a yearly ``target``
    summed over four triwulan, written by ``oleh`` (the unit's head or the admin) through the services."""
    sasaran = skp_services.save_sasaran(
        unit,
        oleh,
        tahun=tahun,
        perspektif="proses_bisnis",
        kode=f"SS-{kode}",
        nama="Meningkatnya kualitas layanan unit uji",
    )
    per = Decimal(target) / 4
    manual = skp_services.save_manual(
        unit,
        oleh,
        tahun=tahun,
        sasaran=sasaran,
        kode=f"IKU-{kode}",
        nama="Jumlah layanan unit uji",
        satuan="layanan",
        konsolidasi="sum",
        target_tahun=Decimal(target),
        target_periode={n: per for n in range(1, 5)},
    )
    return sasaran, manual


# --- more: penilaian ------------------------------------------------------------------------------------


@dataclass
class Pemeran:
    """Base of a module's cast built around a `Tim`: the kepala and the kabid (the tim's atasan) by the
    names the tests use; a module's subclass adds its own people as fields (and names the tim's bawahan).
    Build it once with `sekali` and hand each test `segar()`."""

    tim: Tim

    @property
    def kepala(self) -> Pegawai:
        return self.tim.kepala

    @property
    def kabid(self) -> Pegawai:
        return self.tim.atasan

    def segar(self) -> Self:
        """The same cast re-read from the database (see `Tim.segar`)."""
        lain = {f.name: segar(getattr(self, f.name)) for f in fields(self) if f.name != "tim"}
        return type(self)(tim=self.tim.segar(), **lain)


def klien(user: User) -> Client:
    """A test client logged in as ``user``."""
    c = Client()
    c.force_login(user)
    return c


# --- shared test fixtures -------------------------------------------------------------------------------


def pemeran_modul(
    bangun: Callable[[], Any],
    nama: str,
    *,
    modul: str | None = None,
    segarkan: Callable[[Any], Any] | None = None,
) -> tuple[Any, Any]:
    """The two fixtures of a module whose cast is built once: ``modul`` (module scope, default
    ``"_" + nama``) runs ``bangun`` under `sekali`; ``nama`` hands each test ``segarkan(cast)`` (default: the
    cast's own ``.segar()``, see `Tim.segar` and `Pemeran.segar`; a dict of models, each re-read). Assign
    both at module level (or in a conftest) so pytest finds them:
    ``_tim, tim = b.pemeran_modul(_bangun, "tim")``."""
    nama_modul = modul or f"_{nama}"

    @pytest.fixture(scope="module", name=nama_modul)
    def _modul(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Any]:
        with sekali(django_db_blocker, bangun) as cast:
            yield cast

    def _segar(db: None, **fixtures: Any) -> Any:
        cast = fixtures[nama_modul]
        if segarkan is not None:
            return segarkan(cast)
        if isinstance(cast, dict):
            return {k: segar(v) for k, v in cast.items()}
        return cast.segar()

    # The module fixture by name in the signature (not `request.getfixturevalue`), so pytest sets it up
    # before the test's own transaction, as for any fixture of a wider scope.
    arg = inspect.Parameter.POSITIONAL_OR_KEYWORD
    _segar.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [inspect.Parameter("db", arg), inspect.Parameter(nama_modul, arg)]
    )
    return _modul, pytest.fixture(name=nama)(_segar)
