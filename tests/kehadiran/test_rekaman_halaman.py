"""The taps pages (`/kehadiran/mesin/`, `/kehadiran/impor/`): only the admin of the instansi, bounded
queries whatever the rows shown, errors shown without anything half-saved."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from kinerja.kehadiran.models import ImporKehadiran, MesinPresensi, PinMesin
from kinerja.pekerjaan.models import Status
from tests import builders as b

pytestmark = pytest.mark.django_db


@pytest.fixture
def tim():
    return b.atasan_dan_bawahan()


@pytest.fixture
def mesin(tim):
    m = MesinPresensi.objects.create(instansi=tim.instansi, nama="Lobi")
    PinMesin.objects.create(mesin=m, pin="1", pegawai=tim.bawahan)
    return m


def _urls(m) -> list[str]:
    i = ImporKehadiran.objects.create(
        instansi=m.instansi,
        jenis="attlog",
        mesin=m,
        nama_berkas="a.dat",
        sha256="0" * 64,
        dibuat_oleh=b.admin_instansi(m.instansi, "admin-2"),
    )
    return [
        "/kehadiran/mesin/",
        "/kehadiran/mesin/tambah/",
        f"/kehadiran/mesin/{m.pk}/",
        "/kehadiran/impor/",
        f"/kehadiran/impor/{i.pk}/",
        "/kehadiran/impor/template.xlsx",
    ]


def test_only_the_admin_of_the_instansi(tim, mesin):
    urls = _urls(mesin)
    for url in urls:
        assert b.klien(tim.admin).get(url).status_code == 200, url
    for user in [tim.bawahan.user, tim.atasan.user, tim.kepala.user]:
        for url in urls:
            assert b.klien(user).get(url).status_code == 403, (user, url)
    lain = b.admin_instansi(b.InstansiFactory(), "admin-lain")
    for url in urls:  # their own instansi's lists; never this instansi's machine or import
        r = b.klien(lain).get(url)
        assert r.status_code == 404 if url.split("/")[3].isdigit() else b"Lobi" not in r.content, url
    r = b.klien(lain).post(f"/kehadiran/mesin/{mesin.pk}/pin/", {"pin": "5", "nip": tim.atasan.nip})
    assert r.status_code in (403, 404) and not PinMesin.objects.filter(pin="5").exists()


@pytest.mark.parametrize("n", [2, 20])
def test_pages_cost_bounded_queries(tim, mesin, n, django_assert_max_num_queries):
    for k in range(n):
        m = MesinPresensi.objects.create(instansi=tim.instansi, nama=f"Mesin {k}")
        PinMesin.objects.create(
            mesin=mesin, pin=f"P{k}", pegawai=b.pegawai_di(b.JabatanFactory(instansi=tim.instansi))
        )
        ImporKehadiran.objects.create(
            instansi=tim.instansi,
            jenis="attlog",
            mesin=m,
            nama_berkas=f"{k}.dat",
            sha256="1" * 64,
            dibuat_oleh=tim.admin,
            ditolak=[{"baris": j, "isi": "x", "alasan": "y"} for j in range(n)],
            jumlah_ditolak=n,
        )
    c = b.klien(tim.admin)
    terakhir = ImporKehadiran.objects.order_by("-pk").first()
    for url in [
        "/kehadiran/mesin/",
        f"/kehadiran/mesin/{mesin.pk}/",
        "/kehadiran/impor/",
        f"/kehadiran/impor/{terakhir.pk}/",
    ]:
        c.get(url)  # warm the navigation cache
        with django_assert_max_num_queries(12):
            assert c.get(url).status_code == 200


def test_add_machine_pin_and_refused_upload(tim):
    c = b.klien(tim.admin)
    r = c.post(
        "/kehadiran/mesin/tambah/", {"nama": "Gerbang", "nomor_seri": "SN1", "lokasi": "", "aktif": "on"}
    )
    assert r.status_code == 302
    m = MesinPresensi.objects.get(nama="Gerbang")
    assert m.history.get().history_user == tim.admin
    r = c.post("/kehadiran/mesin/tambah/", {"nama": "Gerbang", "aktif": "on"})
    assert r.status_code == 200 and "sudah dipakai" in r.content.decode()
    r = c.post(f"/kehadiran/mesin/{m.pk}/pin/", {"pin": "7", "nip": "000000000000000000"})
    assert r.status_code == 422 and "bukan pegawai instansi ini" in r.content.decode()
    wb = Workbook()
    wb.active.append(["PIN", "NIP"])
    wb.active.append(["8", tim.bawahan.nip])
    wb.active.append(["9", "123"])
    buf = io.BytesIO()
    wb.save(buf)
    berkas = SimpleUploadedFile("pin.xlsx", buf.getvalue())
    r = c.post(f"/kehadiran/mesin/{m.pk}/pin/berkas/", {"berkas": berkas})
    assert r.status_code == 422 and "Baris 3: NIP 123" in r.content.decode()
    assert not PinMesin.objects.filter(mesin=m).exists()


def test_upload_runs_the_job_and_shows_the_result(tim, mesin, django_capture_on_commit_callbacks):
    c = b.klien(tim.admin)
    isi = b"1\t2026-11-02 07:55:00\t1\t0\t1\t0\r\n2\t2026-11-02 07:55:00\t1\t0\t1\t0\r\n"
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(
            "/kehadiran/impor/",
            {"jenis": "attlog", "mesin": mesin.pk, "berkas": SimpleUploadedFile("X_attlog.dat", isi)},
        )
    assert r.status_code == 302
    i = ImporKehadiran.objects.get()
    assert i.pekerjaan.status == Status.SELESAI
    html = c.get(r["Location"]).content.decode()
    assert "PIN 2 tidak terdaftar di mesin Lobi" in html and "Rekaman baru" in html
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(
            "/kehadiran/impor/",
            {"jenis": "attlog", "mesin": mesin.pk, "berkas": SimpleUploadedFile("X_attlog.dat", isi)},
        )
    assert "sudah pernah diimpor pada" in c.get(r["Location"]).content.decode()
    r = c.post("/kehadiran/impor/", {"jenis": "attlog", "berkas": SimpleUploadedFile("X_attlog.dat", isi)})
    assert r.status_code == 422 and "Pilih mesin presensi" in r.content.decode()
