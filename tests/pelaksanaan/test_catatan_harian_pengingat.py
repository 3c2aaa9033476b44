"""Reminders to log the catatan kegiatan (docs/rules.md §34): who gets one, once, by the instansi's choice.

Cast: tests/pelaksanaan/conftest.py (everyone has an approved SKP 2026 but the colleague). The reminder of
Thursday 26 November 2026 is about Wednesday 25 November.
"""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from kinerja.kehadiran.catatan_harian.services import kirim_pengingat_catatan, kunci_pengingat
from kinerja.kehadiran.catatan_harian.tasks import kirim_pengingat_catatan as tugas
from kinerja.kehadiran.models import HariLibur, Ketidakhadiran
from kinerja.notifikasi.models import Notifikasi
from kinerja.pelaksanaan.models import CatatanKegiatan
from kinerja.perencanaan.models import Skp

pytestmark = pytest.mark.django_db

RABU = datetime.date(2026, 11, 25)
KAMIS = datetime.date(2026, 11, 26)


def penerima(instansi) -> set[int]:  # type: ignore[no-untyped-def]
    """The reminded accounts of the cast's instansi (the test database holds others too)."""
    return set(
        Notifikasi.objects.filter(
            jenis="pengingat_catatan", penerima__pegawai__instansi=instansi
        ).values_list("penerima_id", flat=True)
    )


def test_siapa_diingatkan_sekali(tim, pemilik, penilai, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    pemilik.email = "pelaksana@contoh.go.id"
    pemilik.save()
    CatatanKegiatan.objects.create(
        pegawai=penilai.pegawai, skp=Skp.objects.get(pegawai=penilai.pegawai), tanggal=RABU, kegiatan="x"
    )
    # the kepala was on leave that day
    Ketidakhadiran.objects.create(
        pegawai=tim.kepala,
        jenis="dinas_luar",
        mulai=RABU,
        selesai=RABU,
        status="disetujui",
        diajukan_oleh=pemilik,
    )
    with django_capture_on_commit_callbacks(execute=True):
        pertama = kirim_pengingat_catatan(KAMIS)
    assert penerima(tim.instansi) == {
        pemilik.pk
    }  # not the one who logged, the one on leave, the colleague without SKP
    n = Notifikasi.objects.get(penerima=pemilik, jenis="pengingat_catatan")
    assert n.kunci == kunci_pengingat(pemilik.pegawai_id, RABU) and "25 November 2026" in n.judul
    assert "tanggal=2026-11-25" in n.tautan
    assert mail.outbox == []  # "aplikasi" everywhere: no email
    # again: nothing new (the command, the task)
    call_command("kirim_pengingat_catatan", "--tanggal", "2026-11-26")
    assert tugas.call("2026-11-26") == 0
    assert Notifikasi.objects.filter(jenis="pengingat_catatan").count() == pertama


def test_senin_mengingatkan_jumat_dan_libur_dilewati(tim, pemilik) -> None:  # type: ignore[no-untyped-def]
    HariLibur.objects.create(instansi=tim.instansi, tanggal=datetime.date(2026, 11, 27), nama="Libur uji")
    kirim_pengingat_catatan(datetime.date(2026, 11, 30))  # Monday: Friday is a holiday, so Thursday
    assert Notifikasi.objects.filter(kunci=kunci_pengingat(pemilik.pegawai_id, KAMIS)).exists()


def test_nonaktif_tidak_ada(tim, pemilik) -> None:  # type: ignore[no-untyped-def]
    tim.instansi.pengingat_catatan = "nonaktif"
    tim.instansi.save()
    kirim_pengingat_catatan(KAMIS)
    assert not penerima(tim.instansi)


def test_surel_hanya_bila_dipilih(tim, pemilik, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    tim.instansi.pengingat_catatan = "surel"
    tim.instansi.save()
    pemilik.email = "pelaksana@contoh.go.id"
    pemilik.save()
    with django_capture_on_commit_callbacks(execute=True):
        kirim_pengingat_catatan(KAMIS)
    surat = [m for m in mail.outbox if m.to == ["pelaksana@contoh.go.id"]]
    assert len(surat) == 1 and "25 November 2026" in surat[0].subject
    terkirim = len(mail.outbox)
    assert Notifikasi.objects.get(penerima=pemilik, jenis="pengingat_catatan").email_terkirim
    with django_capture_on_commit_callbacks(execute=True):
        kirim_pengingat_catatan(KAMIS)
    assert len(mail.outbox) == terkirim


def test_pengaturan_instansi_memuat_pilihan(tim) -> None:  # type: ignore[no-untyped-def]
    from kinerja.organisasi.forms import PengaturanInstansiForm

    form = PengaturanInstansiForm(instance=tim.instansi)
    assert "pengingat_catatan" in form.fields


@pytest.mark.parametrize("perintah", ["kirim_pengingat", "kirim_pengingat_catatan"])
def test_a_wrong_date_is_refused_with_its_format(perintah):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Format --tanggal: YYYY-MM-DD"):
        call_command(perintah, "--tanggal", "7/12/2026")
