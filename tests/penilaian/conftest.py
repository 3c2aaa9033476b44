"""Helpers for the evaluation tests: the demo's approved SKP, realisasi entered directly (the entry rules
are tested in tests/pelaksanaan), and a penilai rating every RHK and value of an evaluation.

On small data (tests/builders.py): `tujuh`, the kabid's group of seven built once for the module that asks
for it, and `buka` to open an evaluation. A module on small data is marked ``data_kecil``: the autouse
`_batas_evaluasi` then leaves the demo's deadlines alone (its cast's are moved when it is built)."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable

import pytest
from django.utils import timezone

from kinerja.organisasi.models import Pegawai, PeriodePenilaian, User
from kinerja.pelaksanaan.models import Realisasi
from kinerja.penilaian import services
from kinerja.penilaian.models import Evaluasi
from kinerja.perencanaan.models import Indikator, Skp
from kinerja.rules.perilaku import BERAKHLAK
from tests import builders as b
from tests.conftest import DEMO_TODAY, perpanjang_batas_evaluasi

KEPALA = "197205141998031003"  # Kepala Badan: heads the instansi's top unit; no penilai
KABID = "197904182005012005"  # Kepala Bidang PKP: heads BPKP, rated by the kepala
KBMP = "197811302003121004"  # Kepala Bidang Mutasi dan Promosi: another unit's penilai
KSUBUM = "198103152006041002"  # Kepala Subbagian Umum: penilai of four
FUNGSIONAL = "198506282010012004"  # Ika, rated by the kabid
PELAKSANA = "199108162015031001"  # Rahmat, rated by the kabid
# The kabid's bawahan with an approved SKP (Wulan's is a draft, Dimas's was returned).
BAWAHAN_KABID = [
    "197510232001121002",
    FUNGSIONAL,
    "198712092011011003",
    "199304112019031003",
    "199601202020122002",
    "199910012024211001",
    PELAKSANA,
]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "data_kecil: the module rates a small cast whose evaluation deadlines were moved ahead when it was"
        " built, not the demo's (a demo case in it moves or sets the demo's itself)",
    )


@pytest.fixture(autouse=True)
def _batas_evaluasi(request: pytest.FixtureRequest) -> None:
    """Rating tests on the demo run with its evaluation deadlines ahead (`batas_evaluasi_terbuka`); a module
    marked ``data_kecil`` does not touch the demo's. The lock has its own tests, which override this fixture
    in their module."""
    if request.node.get_closest_marker("data_kecil") is None:
        request.getfixturevalue("batas_evaluasi_terbuka")


# The annual evaluation is decided after the year has ended (rules.evaluasi.status_penetapan): tests decide
# the demo year's annual ratings "on 5 January" of the next year.
SETELAH_TAHUN = timezone.make_aware(datetime.datetime(DEMO_TODAY.year + 1, 1, 5, 9))


def user_of(nip: str) -> User:
    return User.objects.select_related("pegawai").get(pegawai__nip=nip)


def skp_of(nip: str) -> Skp:
    return (
        Skp.objects.select_related("periode", "pegawai").filter(pegawai__nip=nip).order_by("-mulai").first()
    )  # type: ignore[return-value]


def tw(skp: Skp, nomor: int) -> PeriodePenilaian:
    return PeriodePenilaian.objects.select_related("periode").get(periode=skp.periode, nomor=nomor)


def isi_realisasi(skp: Skp, pp: PeriodePenilaian) -> None:
    """One realisasi per indikator of the SKP for the periode (at the target for numeric ones)."""
    for ind in Indikator.objects.filter(rhk__skp=skp).prefetch_related("target_periode"):
        target = next((t.target_angka for t in ind.target_periode.all() if t.nomor == pp.nomor), None)
        Realisasi.objects.get_or_create(
            indikator=ind,
            periode_penilaian=pp,
            defaults={
                "nilai_angka": target if ind.target_angka is not None else None,
                "nilai_teks": "" if ind.target_angka is not None else "Tercapai",
            },
        )


def nilai_semua(ev: Evaluasi, oleh: User, rhk: str | list[str], perilaku: str | list[str]) -> Evaluasi:
    """Rate every RHK (one rating for all, or one per RHK in order) and every BerAKHLAK value."""
    rows = list(ev.rating_rhk.order_by("urutan"))
    rhk_ratings = rhk if isinstance(rhk, list) else [rhk] * len(rows)
    for row, rating in zip(rows, rhk_ratings, strict=True):
        ev = services.rate_rhk(ev, row.rhk, rating, "", oleh)
    perilaku_ratings = perilaku if isinstance(perilaku, list) else [perilaku] * len(BERAKHLAK)
    for n, rating in zip(BERAKHLAK, perilaku_ratings, strict=True):
        ev = services.rate_perilaku(ev, n.kode, rating, "", oleh)
    return ev


@pytest.fixture
def siap(demo_instansi) -> Callable[..., Evaluasi]:  # type: ignore[no-untyped-def]
    """siap(nip, nomor=1) -> the opened periodic evaluation, with the realisasi of the periode entered."""

    def buka(nip: str, nomor: int | None = 1, oleh: User | None = None) -> Evaluasi:
        skp = skp_of(nip)
        pp = tw(skp, nomor) if nomor else None
        for p in [pp] if pp else [tw(skp, 1)]:
            isi_realisasi(skp, p)
        penilai = oleh or (user_of(skp.penilai.nip) if skp.penilai_id else User.objects.get(username="admin"))
        return services.open_evaluasi(skp, pp, penilai)

    return buka


# --- small data (tests/builders.py) ---------------------------------------------------------------------


@dataclasses.dataclass
class Tujuh(b.Pemeran):
    """The kabid's group of seven, each with an approved SKP: Ika Puspitasari (fungsional, the tim's
    bawahan, the one with an email), Andi Saputra, Rahmat Hidayat and four more pelaksana; the Kepala
    Bidang Mutasi heads a sibling bidang. The evaluation deadlines are ahead."""

    pelaksana: Pegawai  # Rahmat Hidayat
    kbmp: Pegawai

    @property
    def fungsional(self) -> Pegawai:
        return self.tim.bawahan

    def skp_bawahan(self) -> list[Skp]:
        """The seven SKP the kabid rates."""
        return list(
            Skp.objects.select_related("periode", "pegawai").filter(penilai=self.kabid).order_by("pk")
        )


def kelompok_kabid(tim: b.Tim) -> list[Pegawai]:
    """Six Pengolah Data under the tim's atasan (Rahmat Hidayat second), with the kepala, the atasan and
    the bawahan: each with an approved SKP of the year. Returns the six."""
    j_kabid = tim.atasan.penempatan.get().jabatan
    j_pelaksana = b.JabatanFactory(unit=tim.bidang, nama="Pengolah Data", parent=j_kabid)
    nama = [
        "Andi Saputra",
        "Rahmat Hidayat",
        "Sinta Maharani",
        "Teguh Prasetyo",
        "Wahyu Nugroho",
        "Yanti Lestari",
    ]
    pelaksana = [b.pegawai_di(j_pelaksana, nama=n) for n in nama]
    for peg in (tim.kepala, tim.atasan, tim.bawahan, *pelaksana):
        b.skp_disetujui(peg)
    return pelaksana


def _bangun_tujuh() -> Tujuh:
    tim = b.atasan_dan_bawahan(
        jenis_bawahan="fungsional",
        bawahan={"nama": "Ika Puspitasari", "gelar_belakang": "S.Psi., M.Psi.", "email": "ika@uji.go.id"},
    )
    pelaksana = kelompok_kabid(tim)
    bmp = b.UnitKerjaFactory(instansi=tim.instansi, parent=tim.unit, nama="Bidang Mutasi")
    j_kbmp = b.JabatanFactory(
        unit=bmp,
        nama="Kepala Bidang Mutasi",
        jenis="administrator",
        parent=tim.kepala.penempatan.get().jabatan,
        pimpinan_unit=True,
    )
    perpanjang_batas_evaluasi(tim.instansi)
    return Tujuh(tim, pelaksana[1], b.pegawai_di(j_kbmp))


# `Tujuh`, built once for the module that asks for it.
_tujuh, tujuh = b.pemeran_modul(_bangun_tujuh, "tujuh")


def buka(pegawai: Pegawai, nomor: int | None = 1) -> Evaluasi:
    """The evaluation of ``pegawai``'s latest SKP for Triwulan ``nomor`` (None: annual) opened by its
    penilai, with the realisasi of the periode (annual: of Triwulan I) entered unless they are there."""
    skp = Skp.objects.select_related("periode", "pegawai").filter(pegawai=pegawai).order_by("-mulai").first()
    assert skp is not None
    pp = tw(skp, nomor) if nomor else None
    isi_realisasi(skp, pp or tw(skp, 1))
    return services.open_evaluasi(skp, pp, b.penilai_dari(skp))
