"""The admin kepegawaian's items of the to-do list (docs/rules.md §32): the running periode's coming
deadlines (never a past one as the lead), the pegawai without a penilai to rate, open keberatan, failed
SIASN sends, background jobs and imports waiting; another instansi's admin sees none of them."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache

from kinerja.dashboard.tugas import ADMIN, Bahan, tugas_untuk
from kinerja.organisasi.models import ImporTertunda, User
from kinerja.pekerjaan.models import Pekerjaan
from kinerja.tindak_lanjut.keberatan.selectors import RingkasanBeranda
from tests import builders as b
from tests.conftest import perpanjang_batas_evaluasi

pytestmark = pytest.mark.django_db

HARI = datetime.date(2026, 12, 6)


def test_the_coming_deadlines_of_the_running_periode(demo_instansi) -> None:  # type: ignore[no-untyped-def]
    admin = User.objects.filter(admin_instansi=demo_instansi).first()
    items = tugas_untuk(admin, HARI, Bahan(admin_instansi=demo_instansi))
    jadwal = [t for t in items if t.judul.startswith("Batas")]
    assert jadwal and all(t.batas >= HARI for t in jadwal)  # type: ignore[operator]
    assert not [t for t in jadwal if "persetujuan SKP" in t.judul]  # January's is past
    assert jadwal[0].judul == "Batas pengisian realisasi Triwulan IV"
    assert jadwal[0].tautan.startswith("/organisasi/periode/")


def test_the_head_without_a_penilai_to_rate() -> None:
    tim = b.atasan_dan_bawahan()
    b.skp_disetujui(tim.kepala)
    perpanjang_batas_evaluasi(tim.instansi)
    items = {t.judul: t for t in tugas_untuk(tim.admin, HARI, Bahan(admin_instansi=tim.instansi))}
    item = items["Nilai pegawai tanpa pejabat penilai: evaluasi Triwulan III"]
    assert (item.keterangan, item.peran) == ("0 dari 1 dinilai", ADMIN)


def test_open_keberatan_and_failures(other_instansi) -> None:  # type: ignore[no-untyped-def]
    tim = b.atasan_dan_bawahan()
    Pekerjaan.objects.create(
        jenis="uji",
        judul="Ekspor",
        pemilik=tim.admin,
        instansi=tim.instansi,
        kunci="uji:1",
        fungsi="x",
        status="gagal",
    )
    ImporTertunda.objects.create(instansi=tim.instansi, user=tim.admin, nama_berkas="org.xlsx", isi=b"x")
    keberatan = RingkasanBeranda([], [], [], instansi_terbuka=3, instansi_terlambat=1)
    items = {
        t.judul: t
        for t in tugas_untuk(tim.admin, HARI, Bahan(admin_instansi=tim.instansi, keberatan=keberatan))
    }
    assert items["Keberatan instansi belum diputus"].keterangan == "3 terbuka, 1 melewati batas"
    assert items["Pekerjaan latar gagal"].tautan == "/pekerjaan/"
    assert items["Impor belum diterapkan"].jumlah == 1
    assert "Pengiriman SIASN gagal" not in items
    # the other instansi's admin sees none of this instansi's
    lain = User.objects.get(username="admin-lain")
    judul = [t.judul for t in tugas_untuk(lain, HARI, Bahan(admin_instansi=other_instansi))]
    assert judul == ["Buat periode kinerja 2026"]


def test_the_admin_dashboard_no_longer_leads_with_a_past_deadline(
    client_for, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client = client_for("admin")
    html = client.get("/").content.decode()
    assert "batas persetujuan SKP" not in html
    assert "Batas pengisian realisasi Triwulan IV" in html
    cache.clear()
    client.get("/")
    with django_assert_max_num_queries(12):
        client.get("/")
