"""The pegawai's items of the to-do list (docs/rules.md §32): the SKP to make or submit, the open realisasi
with its progress and window (an admin's reopening included), unread umpan balik, a predikat received and
its keberatan window, keberatan to explain or decide; the order; who sees what; the dashboard's cost."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from kinerja.dashboard.tugas import PENILAI, PIMPINAN, Bahan, tugas_untuk
from kinerja.organisasi.models import User
from kinerja.pelaksanaan.models import BukaKunci
from kinerja.perencanaan.skp.selectors import ringkasan_skp
from kinerja.rules.keberatan import StatusPengajuan
from kinerja.tindak_lanjut.keberatan.selectors import PredikatBeranda, RingkasanBeranda
from tests import builders as b

pytestmark = pytest.mark.django_db

HARI = datetime.date(2026, 12, 6)  # tests/conftest.py WAKTU_UJI


@pytest.fixture
def tim() -> b.Tim:
    t = b.atasan_dan_bawahan()
    b.skp_disetujui(t.kepala)
    b.skp_disetujui(t.atasan)
    b.skp_disetujui(t.bawahan)
    return t


def _tugas(user: User, **bahan: object) -> list:  # type: ignore[type-arg]
    pegawai = user.pegawai
    return tugas_untuk(user, HARI, Bahan(skp=ringkasan_skp(pegawai, rhk_semua=False), **bahan))  # type: ignore[arg-type]


def test_the_open_realisasi_with_its_progress_until_its_deadline(tim: b.Tim) -> None:
    user = tim.bawahan.user
    tw4 = tim.pp(4)
    [item] = _tugas(user)
    assert item.judul == "Realisasi Triwulan IV"
    assert (item.keterangan, item.selesai, item.jumlah) == ("0 dari 1 terisi", 0, 1)
    assert item.batas == tw4.batas_realisasi and not item.terlambat
    assert item.tautan == "/realisasi/?periode=4"
    b.isi_realisasi(tim.bawahan.skp.get(), tw4)
    assert _tugas(user) == []  # all entered: nothing left


def test_a_reopened_periode_until_the_unlock_ends_before_the_running_one(tim: b.Tim) -> None:
    sampai = timezone.now() + datetime.timedelta(days=3)
    BukaKunci.objects.create(
        pegawai=tim.bawahan,
        periode_penilaian=tim.pp(3),
        alasan="Cuti sakit",
        dibuka_oleh=tim.admin,
        berlaku_sampai=sampai,
    )
    items = _tugas(tim.bawahan.user)
    assert [t.judul for t in items] == ["Realisasi Triwulan III", "Realisasi Triwulan IV"]
    assert items[0].batas == timezone.localdate(sampai)


def test_no_skp_yet_is_overdue_and_first(tim: b.Tim) -> None:
    tim.bawahan.skp.all().delete()
    items = _tugas(tim.bawahan.user, umpan_balik_belum=2)
    assert items[0].judul == "Buat SKP 2026" and items[0].terlambat
    assert items[0].batas == tim.periode.batas_skp
    assert items[-1].judul == "Baca umpan balik" and items[-1].keterangan == "2 belum dibaca"
    assert "Realisasi Triwulan IV" not in [t.judul for t in items]  # no approved SKP: nothing to fill


def test_predikat_keberatan_and_their_deadlines_in_order(tim: b.Tim) -> None:
    ev = SimpleNamespace(pk=7, nama_periode="Triwulan III 2026", get_predikat_display=lambda: "Baik")
    predikat = [PredikatBeranda(ev, HARI, StatusPengajuan(True, "", datetime.date(2026, 12, 20)))]  # type: ignore[arg-type]

    def keberatan(pk: int, nama: str, penjelasan: datetime.date, keputusan: datetime.date) -> SimpleNamespace:
        return SimpleNamespace(
            pk=pk,
            pegawai=SimpleNamespace(nama_lengkap=nama),
            evaluasi=SimpleNamespace(nama_periode="Triwulan III 2026"),
            batas_penjelasan=penjelasan,
            batas_keputusan=keputusan,
        )

    ringkasan = RingkasanBeranda(
        milik=[],
        penjelasan=[keberatan(1, "Andi", datetime.date(2026, 12, 4), datetime.date(2026, 12, 20))],  # type: ignore[list-item]
        keputusan=[keberatan(2, "Budi", datetime.date(2026, 12, 1), datetime.date(2026, 12, 10))],  # type: ignore[list-item]
    )
    items = _tugas(tim.bawahan.user, predikat=predikat, keberatan=ringkasan)
    assert [t.judul for t in items] == [
        "Jelaskan keberatan Andi",  # overdue first
        "Putuskan keberatan Budi",
        "Predikat Triwulan III 2026 (Baik)",
        "Realisasi Triwulan IV",
    ]
    assert items[0].terlambat and items[0].peran == PENILAI and items[1].peran == PIMPINAN
    assert items[2].keterangan == "keberatan dapat diajukan" and items[2].tautan == "/penilaian/evaluasi/7/"


def test_each_sees_only_their_own_items(tim: b.Tim, other_instansi) -> None:  # type: ignore[no-untyped-def]
    # the atasan has no approved SKP with an open realisasi of the bawahan: their own only
    atasan_items = _tugas(tim.atasan.user)
    assert all(t.tautan == "/realisasi/?periode=4" for t in atasan_items if t.judul.startswith("Realisasi"))
    b.isi_realisasi(tim.atasan.skp.get(), tim.pp(4))
    assert not [t for t in _tugas(tim.atasan.user) if t.judul.startswith("Realisasi")]
    assert [t.judul for t in _tugas(tim.bawahan.user)] == ["Realisasi Triwulan IV"]  # the bawahan's stays
    lain = User.objects.get(username="admin-lain")
    items = tugas_untuk(lain, HARI, Bahan(admin_instansi=other_instansi))
    assert [t.judul for t in items] == ["Buat periode kinerja 2026"]  # nothing of the other instansi


def _client(nip: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(pegawai__nip=nip))
    return client


def test_the_pelaksana_dashboard_leads_with_the_list_and_stays_flat(
    demo_instansi, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client = _client("199108162015031001")
    html = client.get("/").content.decode()
    assert html.index("Yang perlu dikerjakan") < html.index('id="judul-profil"')
    assert "Realisasi Triwulan IV</a>: 0 dari" in html and "sampai <strong" in html
    # the documents to sign come after the page, as the list's last item
    assert 'hx-get="/dokumen/ttd/menunggu/kartu/?bentuk=tugas"' in html
    cache.clear()
    client.get("/")
    with django_assert_max_num_queries(12):
        client.get("/")
