"""Rencana aksi and realisasi services: capaian through the service, locks and unlocks, optimistic locking,
who may write. Time is frozen by passing `sekarang` (an aware datetime) to the services.

Cast (tests/builders.py `atasan_dan_bawahan`): the kepala's SKP (approved, kuantitatif: one numeric
indikator per RHK with targets per triwulan); the bawahan's SKP (approved, kualitatif), rated by the
atasan; a colleague of the bawahan whose SKP is still a draft.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kinerja.organisasi import services as org_services
from kinerja.organisasi.models import PeriodePenilaian, User
from kinerja.pelaksanaan import selectors, services
from kinerja.pelaksanaan.models import BukaKunci, Realisasi, RencanaAksi
from kinerja.perencanaan.models import Indikator, IndikatorTargetPeriode, Skp
from kinerja.rules import Skema
from tests import builders as b

pytestmark = pytest.mark.django_db

D = Decimal


def at(y: int, m: int, d: int, h: int = 10, mi: int = 0) -> datetime.datetime:
    """An aware local (Asia/Jakarta) time."""
    return timezone.make_aware(datetime.datetime(y, m, d, h, mi))


def tw(skp: Skp, nomor: int) -> PeriodePenilaian:
    return PeriodePenilaian.objects.select_related("periode").get(periode=skp.periode, nomor=nomor)


def indikator_of(skp: Skp) -> Indikator:
    return (
        Indikator.objects.filter(rhk__skp=skp)
        .select_related("rhk__skp__periode")
        .order_by("rhk__urutan", "urutan")
        .first()
    )  # type: ignore[return-value]


def _bangun() -> b.Tim:
    tim = b.atasan_dan_bawahan(kepala={"nama": "Hendra Gunawan", "gelar_depan": "Dr."})
    b.skp_disetujui(tim.kepala, target_angka=400, target_periode={1: 100, 2: 100, 3: 100, 4: 100})
    b.skp_disetujui(tim.atasan)
    b.skp_disetujui(tim.bawahan)
    return tim


# Kepala (Dr. Hendra Gunawan) → atasan → bawahan, each with an approved SKP of the year.
_tim, tim = b.pemeran_modul(_bangun, "tim")


@pytest.fixture
def kepala(tim: b.Tim) -> User:
    return tim.kepala.user


@pytest.fixture
def ind(tim: b.Tim) -> Indikator:
    """The kepala's first numeric indikator with targets 100 per triwulan, summed."""
    i = indikator_of(Skp.objects.get(pegawai=tim.kepala))
    Indikator.objects.filter(pk=i.pk).update(target_angka=400, konsolidasi="sum", polaritas="maximize")
    IndikatorTargetPeriode.objects.filter(indikator=i).update(target_angka=100)
    return Indikator.objects.select_related("rhk__skp__periode").get(pk=i.pk)


def baris(i: Indikator, nomor: int) -> selectors.BarisIndikator:
    skp = i.rhk.skp
    daftar = selectors.periode_list(skp.periode)
    fresh = selectors.indikator_qs(skp.periode).get(pk=i.pk)
    return selectors.baris_indikator(fresh, daftar[nomor - 1], daftar)


# --- capaian through the service --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("polaritas", "atas", "target_periode", "realisasi", "expected"),
    [
        ("maximize", None, 100, "80", D("80.00")),
        ("maximize", None, 100, "130", D("120.00")),  # cap 120
        ("minimize", None, 100, "80", D("120.00")),
        ("minimize", None, 100, "150", D("50.00")),
        ("stabilize", None, 100, "100", D("100.00")),
        ("stabilize", None, 100, "90", D("90.00")),
        ("maximize", None, 0, "0", D("100.00")),  # target 0: rules.capaian decides
        ("minimize", None, 0, "3", D("0.00")),
        ("maximize", 90, 100, "92", D("102.22")),  # range 80–90 (periode keeps the range)
        ("maximize", 90, 100, "85", D("100.00")),
        ("maximize", 90, 100, "70", D("87.50")),
    ],
)
def test_capaian_per_polaritas(ind, kepala, polaritas, atas, target_periode, realisasi, expected):  # type: ignore[no-untyped-def]
    fields = {"polaritas": polaritas, "target_angka_atas": atas}
    if atas is not None:
        fields["target_angka"] = 80
    Indikator.objects.filter(pk=ind.pk).update(**fields)
    IndikatorTargetPeriode.objects.filter(indikator=ind, nomor=1).update(target_angka=target_periode)
    ind.refresh_from_db()
    skp = ind.rhk.skp
    services.save_realisasi(ind, tw(skp, 1), kepala, nilai_angka=realisasi, sekarang=at(2026, 4, 2))
    assert baris(ind, 1).capaian == expected


def test_capaian_sampai_periode_memakai_periode_yang_terisi(ind, kepala) -> None:  # type: ignore[no-untyped-def]
    skp = ind.rhk.skp
    services.save_realisasi(ind, tw(skp, 1), kepala, nilai_angka="90", sekarang=at(2026, 4, 2))
    services.save_realisasi(ind, tw(skp, 2), kepala, nilai_angka="100", sekarang=at(2026, 7, 1))
    b = baris(ind, 3)  # TW III not filled: year to date counts TW I and TW II only
    assert b.capaian is None
    assert b.kumulatif is not None
    assert (b.kumulatif.realisasi, b.kumulatif.target, b.kumulatif.capaian) == (D(190), D(200), D("95.00"))
    assert b.warna_kumulatif == "sedang"
    assert "190 dari 200" in b.kumulatif_tampil


def test_koma_desimal_dan_angka_wajib(ind, kepala) -> None:  # type: ignore[no-untyped-def]
    p = tw(ind.rhk.skp, 1)
    r = services.save_realisasi(ind, p, kepala, nilai_angka="1.250,5", sekarang=at(2026, 4, 2))
    assert r.nilai_angka == D("1250.5")
    for bad, pesan in (("", "angka"), ("-1", "negatif"), ("dua", "angka")):
        with pytest.raises(ValidationError) as exc:
            services.save_realisasi(ind, p, kepala, nilai_angka=bad, sekarang=at(2026, 4, 2))
        assert pesan in " ".join(exc.value.messages)


def test_kualitatif_wajib_teks(tim) -> None:  # type: ignore[no-untyped-def]
    i = indikator_of(Skp.objects.get(pegawai=tim.bawahan))
    p = tw(i.rhk.skp, 1)
    pelaksana = tim.bawahan.user
    with pytest.raises(ValidationError):
        services.save_realisasi(i, p, pelaksana, nilai_teks="  ", sekarang=at(2026, 4, 2))
    r = services.save_realisasi(
        i,
        p,
        pelaksana,
        nilai_teks="Seluruh surat tercatat",
        narasi="Lancar",
        sekarang=at(2026, 4, 2),
    )
    assert (r.nilai_teks, r.nilai_angka, r.versi, r.terlambat) == ("Seluruh surat tercatat", None, 1, False)
    assert r.diisi_oleh == pelaksana
    assert r.history.first().history_user == pelaksana


# --- locks and unlocks ------------------------------------------------------------------------------------


def test_batas_inklusif_lalu_terkunci(ind, kepala) -> None:  # type: ignore[no-untyped-def]
    p = tw(ind.rhk.skp, 1)
    assert p.batas_realisasi == datetime.date(2026, 4, 5)
    services.save_realisasi(ind, p, kepala, nilai_angka="10", sekarang=at(2026, 4, 5, 23, 59))
    with pytest.raises(ValidationError) as exc:
        services.save_realisasi(ind, p, kepala, nilai_angka="20", versi=1, sekarang=at(2026, 4, 6, 0, 1))
    assert exc.value.messages == [
        "Batas pengisian Triwulan I (5 April 2026) sudah lewat. Minta admin kepegawaian membuka kunci."
    ]
    assert Realisasi.objects.get(indikator=ind, periode_penilaian=p).nilai_angka == D(10)


def test_realisasi_belum_dapat_diisi_sebelum_periode_mulai_tetapi_rencana_aksi_boleh(ind, kepala) -> None:  # type: ignore[no-untyped-def]
    p = tw(ind.rhk.skp, 2)
    with pytest.raises(ValidationError, match="baru dapat diisi mulai 1 April 2026"):
        services.save_realisasi(ind, p, kepala, nilai_angka="10", sekarang=at(2026, 3, 20))
    aksi = services.save_rencana_aksi(ind.rhk, p, kepala, "Menyiapkan survei", sekarang=at(2026, 3, 20))
    assert aksi.versi == 1


def test_buka_kunci_mengizinkan_lalu_kedaluwarsa(ind, kepala, tim) -> None:  # type: ignore[no-untyped-def]
    admin = tim.admin
    skp = ind.rhk.skp
    p = tw(skp, 1)
    dibuka = at(2026, 4, 20, 9)
    kunci = services.buka_kunci(skp.pegawai, p, admin, "Diklat sampai batas pengisian", sekarang=dibuka)
    assert kunci.berlaku_sampai == dibuka + datetime.timedelta(days=tim.instansi.lama_buka_kunci_hari)
    assert kunci.history.first().history_user == admin
    r = services.save_realisasi(ind, p, kepala, nilai_angka="50", sekarang=at(2026, 4, 21))
    assert r.terlambat is True
    status = selectors.status_pengisian(skp.pegawai_id, p, sekarang=at(2026, 4, 21))
    assert status.boleh and status.terlambat and "dibuka kembali" in status.alasan
    with pytest.raises(ValidationError, match="sudah lewat"):
        services.save_realisasi(ind, p, kepala, nilai_angka="60", sekarang=at(2026, 4, 27, 9, 1))
    # Unlocking one pegawai does not open the periode for anyone else.
    pelaksana = indikator_of(Skp.objects.get(pegawai=tim.bawahan))
    with pytest.raises(ValidationError, match="sudah lewat"):
        services.save_realisasi(
            pelaksana, tw(pelaksana.rhk.skp, 1), tim.bawahan.user, nilai_teks="x", sekarang=at(2026, 4, 21)
        )


def test_hanya_admin_instansi_yang_membuka_kunci(ind, tim, other_instansi) -> None:  # type: ignore[no-untyped-def]
    skp = ind.rhk.skp
    p = tw(skp, 1)
    for user in (tim.atasan.user, tim.kepala.user, User.objects.get(username="admin-lain")):
        with pytest.raises(PermissionDenied):
            services.buka_kunci(skp.pegawai, p, user, "alasan")
    with pytest.raises(ValidationError):
        services.buka_kunci(skp.pegawai, p, tim.admin, "   ")
    assert not BukaKunci.objects.exists()


# --- optimistic locking -----------------------------------------------------------------------------------


def test_dua_tab_dengan_versi_sama_yang_kedua_ditolak(ind, kepala) -> None:  # type: ignore[no-untyped-def]
    p = tw(ind.rhk.skp, 1)
    first = services.save_realisasi(ind, p, kepala, nilai_angka="10", versi=0, sekarang=at(2026, 4, 2))
    assert first.versi == 1
    services.save_realisasi(
        ind, p, kepala, nilai_angka="11", versi=1, narasi="tab A", sekarang=at(2026, 4, 2)
    )
    with pytest.raises(ValidationError) as exc:
        services.save_realisasi(
            ind, p, kepala, nilai_angka="99", versi=1, narasi="tab B", sekarang=at(2026, 4, 2)
        )
    pesan = exc.value.messages[0]
    assert pesan.startswith("Data ini sudah diubah di tab/perangkat lain pada ")
    assert "oleh Dr. Hendra Gunawan" in pesan and pesan.endswith(
        "muat ulang halaman untuk melihat perubahan terbaru."
    )
    r = Realisasi.objects.get(pk=first.pk)
    assert (r.nilai_angka, r.narasi, r.versi) == (D(11), "tab A", 2)
    assert r.history.count() == 2


def test_tab_lama_membuat_baris_yang_sudah_dibuat_tab_lain(ind, kepala) -> None:  # type: ignore[no-untyped-def]
    p = tw(ind.rhk.skp, 1)
    services.save_realisasi(ind, p, kepala, nilai_angka="10", versi=0, sekarang=at(2026, 4, 2))
    with pytest.raises(ValidationError, match="sudah diubah"):
        services.save_realisasi(ind, p, kepala, nilai_angka="20", versi=0, sekarang=at(2026, 4, 2))
    assert Realisasi.objects.get(indikator=ind, periode_penilaian=p).nilai_angka == D(10)


def test_rencana_aksi_versi_dan_hapus(ind, kepala) -> None:  # type: ignore[no-untyped-def]
    p = tw(ind.rhk.skp, 1)
    rhk = ind.rhk
    a = services.save_rencana_aksi(rhk, p, kepala, "Menyusun kuesioner", sekarang=at(2026, 4, 2))
    services.save_rencana_aksi(
        rhk, p, kepala, "Menyusun kuesioner v2", aksi=a, versi=1, sekarang=at(2026, 4, 2)
    )
    stale = RencanaAksi.objects.get(pk=a.pk)
    stale.versi = 1
    with pytest.raises(ValidationError, match="sudah diubah"):
        services.save_rencana_aksi(rhk, p, kepala, "Tab lama", aksi=stale, versi=1, sekarang=at(2026, 4, 2))
    with pytest.raises(ValidationError, match="sudah diubah"):
        services.delete_rencana_aksi(
            RencanaAksi.objects.get(pk=a.pk), kepala, versi=1, sekarang=at(2026, 4, 2)
        )
    assert RencanaAksi.objects.get(pk=a.pk).teks == "Menyusun kuesioner v2"
    with pytest.raises(ValidationError, match="wajib|Wajib"):
        services.save_rencana_aksi(rhk, p, kepala, "  ", sekarang=at(2026, 4, 2))
    services.delete_rencana_aksi(RencanaAksi.objects.get(pk=a.pk), kepala, versi=2, sekarang=at(2026, 4, 2))
    assert not RencanaAksi.objects.filter(pk=a.pk).exists()


# --- who may write, and for which periode -----------------------------------------------------------------


def test_bukan_pemilik_ditolak(ind, tim) -> None:  # type: ignore[no-untyped-def]
    p = tw(ind.rhk.skp, 1)
    for user in (tim.atasan.user, tim.admin):
        with pytest.raises(PermissionDenied):
            services.save_realisasi(ind, p, user, nilai_angka="1", sekarang=at(2026, 4, 2))
        with pytest.raises(PermissionDenied):
            services.save_rencana_aksi(ind.rhk, p, user, "x", sekarang=at(2026, 4, 2))
    assert not Realisasi.objects.exists()


def test_skp_belum_disetujui_ditolak(tim) -> None:  # type: ignore[no-untyped-def]
    kolega = b.pegawai_di(tim.bawahan.penempatan.get().jabatan)
    i = b.IndikatorFactory(rhk__skp=b.SkpFactory(pegawai=kolega))
    assert i.rhk.skp.status == "draft"
    with pytest.raises(ValidationError, match="sudah disetujui"):
        services.save_realisasi(i, tw(i.rhk.skp, 1), kolega.user, nilai_teks="x", sekarang=at(2026, 4, 2))


def test_periode_tahun_lain_dan_di_luar_masa_skp_ditolak(ind, kepala, tim) -> None:  # type: ignore[no-untyped-def]
    lain = org_services.create_periode(tim.instansi, 2031, Skema.TRIWULANAN)
    p_lain = PeriodePenilaian.objects.select_related("periode").get(periode=lain, nomor=1)
    with pytest.raises(ValidationError, match="bukan periode SKP"):
        services.save_realisasi(ind, p_lain, kepala, nilai_angka="1", sekarang=at(2026, 4, 2))
    Skp.objects.filter(pk=ind.rhk.skp_id).update(selesai=datetime.date(2026, 6, 30))
    ind = Indikator.objects.select_related("rhk__skp__periode").get(pk=ind.pk)
    with pytest.raises(ValidationError, match="di luar masa berlaku"):
        services.save_realisasi(ind, tw(ind.rhk.skp, 3), kepala, nilai_angka="1", sekarang=at(2026, 7, 2))
