"""`manage.py kirim_pengingat`: three days before a realisasi deadline, each pegawai with an approved SKP and
nothing entered for that periode gets one reminder; running it again the same day sends nothing new.

Cast (tests/pelaksanaan/conftest.py): kepala, atasan and bawahan (pemilik) with approved SKP 2026, and a
colleague without one.
"""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kinerja.notifikasi.models import Notifikasi
from kinerja.organisasi.models import User
from kinerja.pelaksanaan import services
from kinerja.perencanaan.models import Indikator, Skp
from tests import builders as b

pytestmark = pytest.mark.django_db


@pytest.fixture
def hanya_pemeran(tim: b.Tim) -> b.Tim:
    """The cast's instansi alone has active logins: the session database also holds the demo instansi,
    whose pegawai would be reminded too (inactive logins get no reminder)."""
    User.objects.exclude(pegawai__instansi=tim.instansi).update(is_active=False)
    return tim


def run(tanggal: str) -> str:
    out = StringIO()
    call_command("kirim_pengingat", tanggal=tanggal, stdout=out)
    return out.getvalue()


def test_reminders_go_to_those_with_nothing_entered_once_per_day(hanya_pemeran, pemilik, mailoutbox):
    skp_list = list(
        Skp.objects.filter(instansi=hanya_pemeran.instansi, status="disetujui", periode__tahun=2026)
    )
    assert skp_list
    # The pelaksana enters one realisasi of Triwulan IV: they are not reminded.
    skp = next(s for s in skp_list if s.pegawai_id == pemilik.pegawai_id)
    ind = Indikator.objects.filter(rhk__skp=skp).order_by("pk").first()
    tw4 = skp.periode.periode_penilaian.get(nomor=4)
    owner = pemilik
    services.save_realisasi(
        ind,
        tw4,
        owner,
        nilai_angka=1 if ind.target_angka is not None else None,
        nilai_teks="Selesai",
        sekarang=datetime.datetime(2026, 12, 20, 10, tzinfo=datetime.UTC),
    )
    out = run("2027-01-02")  # TW IV deadline is 5 January 2027: three days to go
    sent = Notifikasi.objects.filter(jenis="pengingat_realisasi")
    penerima = set(sent.values_list("penerima__pegawai_id", flat=True))
    harap = {
        s.pegawai_id
        for s in skp_list
        if s.pegawai_id != skp.pegawai_id and User.objects.filter(pegawai_id=s.pegawai_id).exists()
    }
    assert penerima == harap and len(penerima) == sent.count()
    assert f"terkirim: {len(harap)}" in out
    n = sent.first()
    assert "Triwulan IV 2026" in n.judul and "3 hari lagi" in n.judul and "5 Januari 2027" in n.isi
    assert n.tautan == "/realisasi/?periode=4" and n.kunci.endswith(":2027-01-02")
    # Idempotent the same day; a new reminder the next day.
    assert "terkirim: 0" in run("2027-01-02")
    assert sent.count() == len(harap)
    assert f"terkirim: {len(harap)}" in run("2027-01-03")
    assert (
        "besok" in Notifikasi.objects.filter(kunci__endswith=":2027-01-04").first().judul
        if run("2027-01-04")
        else True
    )


def test_nothing_outside_the_three_days_and_a_bad_date_is_refused(hanya_pemeran):
    assert "terkirim: 0" in run("2026-12-20")  # TW IV deadline still 16 days away
    assert "terkirim: 0" in run("2027-01-06")  # deadline passed: locked, no reminder
    assert not Notifikasi.objects.filter(jenis="pengingat_realisasi").exists()
    with pytest.raises(CommandError):
        run("06-01-2027")
