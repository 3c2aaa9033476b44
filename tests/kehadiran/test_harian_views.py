"""Pages of the pegawai's days, requests and boards (`kinerja.kehadiran.harian.views`)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from kinerja.kehadiran.harian import services
from kinerja.kehadiran.models import Ketidakhadiran, KoreksiKehadiran, Rekaman, StatusPengajuan, SumberRekaman
from kinerja.organisasi.models import User
from tests.builders import JabatanFactory, atasan_dan_bawahan, kabid_lain, klien, pegawai_di

pytestmark = pytest.mark.django_db

# The test clock (tests/conftest.py) is Sunday 6 December 2026, 10.00 WIB.
HARI_INI = datetime.date(2026, 12, 6)
SENIN = datetime.date(2026, 11, 30)


def _tap(pegawai, tanggal, jam):
    waktu = timezone.make_aware(datetime.datetime.combine(tanggal, datetime.time.fromisoformat(jam)))
    Rekaman.objects.create(pegawai=pegawai, waktu=waktu, sumber=SumberRekaman.MESIN)


@pytest.fixture
def tim():
    return atasan_dan_bawahan()


def _tambah_bawahan(tim, n):
    jabatan = tim.bawahan.penempatan.get().jabatan
    hasil = []
    for _ in range(n):
        p = pegawai_di(JabatanFactory(instansi=tim.instansi, unit=tim.bidang, parent=jabatan.parent))
        _tap(p, HARI_INI, "07:40:00")
        services.ajukan_ketidakhadiran(
            p.user,
            p,
            jenis="izin",
            mulai=HARI_INI + datetime.timedelta(days=1),
            selesai=HARI_INI + datetime.timedelta(days=1),
        )
        hasil.append(p)
    return hasil


def test_kehadiran_saya_calendar_never_shows_future_days_as_tk(tim):
    _tap(tim.bawahan, datetime.date(2026, 12, 1), "07:55:00")
    _tap(tim.bawahan, datetime.date(2026, 12, 1), "16:05:00")
    r = klien(tim.bawahan.user).get(reverse("kehadiran:saya") + "?bulan=2026-12")
    assert r.status_code == 200
    html = r.content.decode()
    assert 'data-tanggal="2026-12-01">Terlambat 25 menit' in html
    assert 'data-tanggal="2026-12-02">TK (tanpa keterangan)' in html
    assert 'data-tanggal="2026-12-07">Belum berlangsung' in html
    assert 'data-tanggal="2026-12-31">Belum berlangsung' in html
    b = r.context["b"]
    assert b.ringkasan.tk == 3  # 2, 3, 4 December; the 7th onwards have not happened
    assert b.ringkasan.tl_kali == 1 and b.ringkasan.tl_menit == 25


def test_calendar_permissions(tim, other_instansi):
    url = reverse("kehadiran:pegawai", args=[tim.bawahan.pk])
    assert klien(tim.atasan.user).get(url).status_code == 200
    assert klien(tim.kepala.user).get(url).status_code == 200
    assert klien(tim.admin).get(url).status_code == 200
    assert klien(kabid_lain(tim).user).get(url).status_code == 403
    assert klien(User.objects.get(username="admin-lain")).get(url).status_code == 403
    assert klien(tim.admin).get(reverse("kehadiran:saya")).status_code == 404  # no pegawai record


def test_calendar_queries_flat_in_taps_and_requests(tim, django_assert_max_num_queries):
    c = klien(tim.bawahan.user)
    c.get(reverse("kehadiran:saya"))  # the navigation bar is cached per user and day after the first page
    _tap(tim.bawahan, datetime.date(2026, 12, 1), "07:30:00")
    with django_assert_max_num_queries(12) as kecil:
        assert c.get(reverse("kehadiran:saya")).status_code == 200
    for t in range(2, 6):
        _tap(tim.bawahan, datetime.date(2026, 12, t), "07:30:00")
        _tap(tim.bawahan, datetime.date(2026, 12, t), "16:30:00")
    with django_assert_max_num_queries(12) as besar:
        assert c.get(reverse("kehadiran:saya")).status_code == 200
    assert len(besar.captured_queries) == len(kecil.captured_queries)


def test_requests_fragment_lists_and_permissions(tim, other_instansi):
    services.ajukan_ketidakhadiran(tim.bawahan.user, tim.bawahan, jenis="izin", mulai=SENIN, selesai=SENIN)
    url = reverse("kehadiran:pengajuan", args=[tim.bawahan.pk]) + "?bulan=2026-11"
    r = klien(tim.bawahan.user).get(url)
    assert r.status_code == 200 and "Batalkan" in r.content.decode()
    r = klien(tim.atasan.user).get(url)
    assert r.status_code == 200 and "Izin" in r.content.decode() and "Batalkan" not in r.content.decode()
    assert klien(kabid_lain(tim).user).get(url).status_code == 403
    assert klien(User.objects.get(username="admin-lain")).get(url).status_code == 403


def test_request_pages_post_and_show_errors(tim):
    c = klien(tim.bawahan.user)
    r = c.post(
        reverse("kehadiran:absen_ajukan"),
        {"jenis": "izin", "mulai": "2026-12-10", "selesai": "2026-12-09", "keterangan": ""},
    )
    assert r.status_code == 200 and "tidak boleh sebelum" in r.content.decode()
    r = c.post(
        reverse("kehadiran:absen_ajukan"), {"jenis": "izin", "mulai": "2026-12-09", "selesai": "2026-12-09"}
    )
    assert r.status_code == 302
    r = c.post(
        reverse("kehadiran:koreksi_ajukan"),
        {"tanggal": "2026-12-02", "jenis": "lupa", "masuk": "07:20", "pulang": "", "alasan": "Lupa"},
    )
    assert r.status_code == 302 and KoreksiKehadiran.objects.count() == 1
    r = c.post(
        reverse("kehadiran:koreksi_ajukan"),
        {"tanggal": "2026-12-07", "jenis": "lupa", "masuk": "07:20", "alasan": "x"},
    )
    assert "sudah lewat" in r.content.decode()
    k = Ketidakhadiran.objects.get()
    assert klien(tim.atasan.user).post(reverse("kehadiran:absen_batal", args=[k.pk])).status_code == 403
    assert c.post(reverse("kehadiran:absen_batal", args=[k.pk])).status_code == 302
    assert Ketidakhadiran.objects.get().status == StatusPengajuan.DIBATALKAN


def test_board_decides_and_stays_flat(tim, django_assert_max_num_queries, other_instansi):
    c = klien(tim.atasan.user)
    _tambah_bawahan(tim, 1)
    url = reverse("kehadiran:tim") + "?semua=1"
    c.get(url)  # warm the cached navigation bar and calendar
    with django_assert_max_num_queries(12) as kecil:
        r = c.get(url)
    assert r.status_code == 200
    _tambah_bawahan(tim, 6)
    c.get(url)  # the org writes dropped the instansi's cached reads
    with django_assert_max_num_queries(12) as besar:
        r = c.get(url)
    assert len(besar.captured_queries) == len(kecil.captured_queries)
    c.get(reverse("kehadiran:tim"))
    with django_assert_max_num_queries(12):
        r = c.get(reverse("kehadiran:tim"))
    assert len(r.context["baris"]) == 8 and len(r.context["absen"]) == 7
    k = r.context["absen"][0]
    assert (
        klien(kabid_lain(tim).user)
        .post(reverse("kehadiran:absen_putuskan", args=[k.pk]), {"setuju": "1"})
        .status_code
        == 403
    )
    assert (
        klien(User.objects.get(username="admin-lain"))
        .post(reverse("kehadiran:absen_putuskan", args=[k.pk]), {"setuju": "1"})
        .status_code
        == 403
    )
    r = c.post(reverse("kehadiran:absen_putuskan", args=[k.pk]), {"setuju": "0", "catatan": ""}, follow=True)
    assert "Tuliskan alasan penolakan." in r.content.decode()
    c.post(reverse("kehadiran:absen_putuskan", args=[k.pk]), {"setuju": "1"})
    k.refresh_from_db()
    assert k.status == StatusPengajuan.DISETUJUI


def test_board_all_levels_for_the_kepala(tim):
    r = klien(tim.kepala.user).get(reverse("kehadiran:tim") + "?semua=1")
    nama = {b.pegawai.pk for b in r.context["baris"]}
    assert nama == {tim.atasan.pk, tim.bawahan.pk}
    r = klien(tim.kepala.user).get(reverse("kehadiran:tim"))
    assert {b.pegawai.pk for b in r.context["baris"]} == {tim.atasan.pk}


def test_rekap_admin_only_and_flat(tim, django_assert_max_num_queries, other_instansi):
    url = reverse("kehadiran:rekap") + f"?bulan=2026-11&unit={tim.unit.pk}&sub=1"
    assert klien(tim.atasan.user).get(url).status_code == 403
    c = klien(tim.admin)
    c.get(url)  # warm the cached navigation bar and calendar
    with django_assert_max_num_queries(12) as kecil:
        r = c.get(url)
    assert r.status_code == 200 and len(r.context["baris"]) == 3
    _tambah_bawahan(tim, 5)
    c.get(url)  # the org writes dropped the instansi's cached reads
    with django_assert_max_num_queries(12) as besar:
        r = c.get(url)
    assert len(r.context["baris"]) == 8
    assert len(besar.captured_queries) == len(kecil.captured_queries)
    assert r.context["total"].hari_kerja == 8 * 21  # November 2026: 21 working days by Perpres 21/2023
    r = c.get(reverse("kehadiran:rekap") + f"?bulan=2026-11&unit={tim.bidang.pk}&sub=0")
    assert len(r.context["baris"]) == 7


def test_ringkasan_block_for_the_rating_page(tim, other_instansi):
    url = reverse("kehadiran:ringkasan", args=[tim.bawahan.pk]) + "?mulai=2026-11-01&selesai=2026-11-30"
    r = klien(tim.atasan.user).get(url)
    assert r.status_code == 200
    html = r.content.decode()
    assert "Kehadiran adalah bukti untuk nilai Akuntabel; bukan penilaian otomatis." in html
    assert r.context["r"].tk == 21
    assert klien(kabid_lain(tim).user).get(url).status_code == 403
    assert klien(User.objects.get(username="admin-lain")).get(url).status_code == 403


def test_bukti_served_only_to_those_who_may_view(tim, other_instansi):
    import io

    k = services.ajukan_ketidakhadiran(
        tim.bawahan.user,
        tim.bawahan,
        jenis="sakit",
        mulai=SENIN,
        selesai=SENIN,
        bukti=services.Unggahan(io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "surat.pdf", 15),
    )
    url = reverse("kehadiran:absen_bukti", args=[k.pk])
    for user in (tim.bawahan.user, tim.atasan.user, tim.admin):
        r = klien(user).get(url)
        assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"%PDF")
    assert klien(kabid_lain(tim).user).get(url).status_code == 403
    assert klien(User.objects.get(username="admin-lain")).get(url).status_code == 403


def test_ringkasan_of_an_annual_evaluation_covers_its_year(tim, other_instansi):
    base = reverse("kehadiran:ringkasan", args=[tim.bawahan.pk])
    c = klien(tim.atasan.user)
    r = c.get(base + f"?periode={tim.periode.pk}")
    assert (r.context["mulai"], r.context["selesai"]) == (
        datetime.date(tim.periode.tahun, 1, 1),
        datetime.date(tim.periode.tahun, 12, 31),
    )
    # another instansi's periode, or garbage: the current month as without one
    asing = User.objects.get(username="admin-lain").admin_instansi.periode.first()
    for nilai in ([] if asing is None else [asing.pk]) + ["x", "99999"]:
        r = c.get(base + f"?periode={nilai}")
        assert (r.context["mulai"], r.context["selesai"]) == (HARI_INI.replace(day=1), HARI_INI)
