"""The pegawai's day of catatan and the atasan's board "Belum mencatat" (docs/rules.md §34): totals, the
week strip on the instansi's working days, who may see the board, and flat queries for 30 and 200 bawahan.

Cast: tests/pelaksanaan/conftest.py (kabid = penilai of the pelaksana and of the colleague). Time is frozen
at Wednesday 25 November 2026 10:00.
"""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kinerja.kehadiran.models import HariLibur, Ketidakhadiran
from kinerja.organisasi.models import User
from kinerja.pelaksanaan.models import CatatanKegiatan
from kinerja.perencanaan.models import Skp
from tests import builders as b

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime.datetime(2026, 11, 25, 10, 0))
SENIN = datetime.date(2026, 11, 23)
SELASA = datetime.date(2026, 11, 24)
RABU = datetime.date(2026, 11, 25)


@pytest.fixture(autouse=True)
def frozen(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


def client_of(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


def catat(pegawai_id: int, tanggal: datetime.date, menit: int | None = 60, teks: str = "Kegiatan") -> None:
    skp = Skp.objects.filter(pegawai_id=pegawai_id).first() or Skp.objects.first()
    CatatanKegiatan.objects.create(
        pegawai_id=pegawai_id, skp=skp, tanggal=tanggal, kegiatan=teks, durasi_menit=menit
    )


def test_hari_total_dan_pekan(pemilik) -> None:  # type: ignore[no-untyped-def]
    p = pemilik.pegawai
    catat(p.pk, RABU, 240, "Menyusun laporan")
    catat(p.pk, RABU, 165, "Rapat koordinasi")
    catat(p.pk, SENIN, 30)
    HariLibur.objects.create(instansi=p.instansi, tanggal=SELASA, nama="Libur uji")
    c = client_of(pemilik)
    html = c.get(reverse("kehadiran:catatan_hari")).content.decode()
    assert "Rabu, 25 November 2026" in html and "Total 6 jam 45 menit" in html
    assert "Menyusun laporan" in html and "4 jam" in html and "2 jam 45 menit" in html
    assert "30 menit" in html  # Monday in the week strip
    assert "libur/cuti" in html  # Tuesday is a holiday: not "belum ada"
    assert "Total 7 jam 15 menit" in html  # the week
    html = c.get(reverse("kehadiran:catatan_hari") + "?tanggal=2026-11-23").content.decode()
    assert "Senin, 23 November 2026" in html and "Total 30 menit" in html and "Menyusun laporan" not in html
    assert "?tanggal=2026-11-22" in html and "?tanggal=2026-11-24" in html
    # a date in the future or unreadable is today
    assert (
        "Rabu, 25 November 2026"
        in c.get(reverse("kehadiran:catatan_hari") + "?tanggal=2027-01-01").content.decode()
    )
    assert (
        "Rabu, 25 November 2026" in c.get(reverse("kehadiran:catatan_hari") + "?tanggal=x").content.decode()
    )
    # the week page links to the day
    assert reverse("kehadiran:catatan_hari") in c.get(reverse("pelaksanaan:catatan")).content.decode()


def test_hari_hanya_milik_sendiri(pemilik, rekan) -> None:  # type: ignore[no-untyped-def]
    catat(pemilik.pegawai_id, RABU, 60, "Rahasia pemilik")
    html = client_of(rekan).get(reverse("kehadiran:catatan_hari")).content.decode()
    assert "Rahasia pemilik" not in html and "Belum ada catatan" in html


def test_belum_mencatat_atasan(pemilik, penilai, rekan, tim) -> None:  # type: ignore[no-untyped-def]
    catat(pemilik.pegawai_id, RABU)
    catat(pemilik.pegawai_id, SENIN)
    catat(rekan.pegawai_id, SENIN)
    c = client_of(penilai)
    html = c.get(reverse("kehadiran:belum_mencatat")).content.decode()
    assert rekan.pegawai.nama in html and pemilik.pegawai.nama not in html  # today
    html = c.get(reverse("kehadiran:belum_mencatat") + "?lingkup=minggu").content.decode()
    # the pelaksana missed Tuesday, the colleague Tuesday and Wednesday
    assert pemilik.pegawai.nama in html and rekan.pegawai.nama in html
    assert "Kosong: Selasa, Rabu" in html and "Kosong: Selasa ·" in html
    assert "23 November 2026" in html  # the colleague's last catatan
    # an approved absence on Tuesday excuses it
    Ketidakhadiran.objects.create(
        pegawai=pemilik.pegawai,
        jenis="cuti_tahunan",
        mulai=SELASA,
        selesai=SELASA,
        status="disetujui",
        diajukan_oleh=pemilik,
    )
    html = c.get(reverse("kehadiran:belum_mencatat") + "?lingkup=minggu").content.decode()
    assert pemilik.pegawai.nama not in html
    # the monitoring page links to the board
    assert reverse("kehadiran:belum_mencatat") in c.get(reverse("pelaksanaan:papan")).content.decode()


def test_belum_mencatat_bukan_atasan_ditolak(pemilik, rekan, tim) -> None:  # type: ignore[no-untyped-def]
    assert client_of(pemilik).get(reverse("kehadiran:belum_mencatat")).status_code == 403
    assert client_of(rekan).get(reverse("kehadiran:belum_mencatat")).status_code == 403
    assert client_of(tim.admin).get(reverse("kehadiran:belum_mencatat")).status_code == 403
    # the kepala sees everyone below with ?semua=1, the kabid only as one of their direct bawahan
    html = client_of(tim.kepala.user).get(reverse("kehadiran:belum_mencatat") + "?semua=1").content.decode()
    assert pemilik.pegawai.nama in html


@pytest.mark.parametrize("jumlah", [30, 200])
def test_belum_mencatat_datar(penilai, pemilik, jumlah, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    jabatan = pemilik.pegawai.penempatan.get().jabatan
    baru = [b.pegawai_di(jabatan) for _ in range(jumlah - 2)]
    skp = Skp.objects.get(pegawai=pemilik.pegawai)
    CatatanKegiatan.objects.bulk_create(
        CatatanKegiatan(pegawai=p, skp=skp, tanggal=SENIN, kegiatan="x", durasi_menit=30) for p in baru[::2]
    )
    c = client_of(penilai)
    url = reverse("kehadiran:belum_mencatat") + "?lingkup=minggu"
    c.get(url)  # warm the caches
    with django_assert_max_num_queries(12):
        r = c.get(url)
    assert r.status_code == 200
    assert r.content.decode().count('class="list-group-item"') == jumlah
