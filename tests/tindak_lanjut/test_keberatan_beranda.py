"""The dashboard card "Keberatan atas predikat": what waits for each role, overdue ones flagged, and a
query count that does not grow with the number of keberatan.

Cast: the keberatan cast of tests/tindak_lanjut/conftest.py (kepala → kabid → Ika and six colleagues)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kinerja.penilaian.models import Evaluasi
from kinerja.rules.realisasi import format_tanggal
from kinerja.tindak_lanjut.models import Keberatan
from tests.tindak_lanjut.keberatan_data import ajukan, evaluasi_final, user_of

pytestmark = pytest.mark.django_db


def _beranda(user) -> str:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c.get("/").content.decode()


def test_each_role_sees_what_waits_for_them(pemeran):
    k = ajukan(evaluasi_final(pemeran.ika.nip))
    assert "Menunggu <strong>penjelasan Anda</strong>" in _beranda(user_of(pemeran.kabid.nip))
    assert "Keberatan Anda atas" in _beranda(user_of(pemeran.ika.nip))
    kepala = _beranda(user_of(pemeran.kepala.nip))
    assert "keputusan Anda" in kepala and k.pegawai.nama_lengkap in kepala
    html = _beranda(pemeran.admin)
    assert "1 keberatan belum diputus" in html and "melewati batas waktu" not in html
    # Past both deadlines: flagged for the atasan and the admin.
    lalu = timezone.localdate() - datetime.timedelta(days=1)
    Keberatan.objects.filter(pk=k.pk).update(batas_penjelasan=lalu, batas_keputusan=lalu)
    assert "terlambat" in _beranda(user_of(pemeran.kepala.nip))
    assert "1 melewati batas waktu" in _beranda(pemeran.admin)


def test_nothing_waiting_no_card(pemeran):
    assert "Keberatan atas predikat" not in _beranda(pemeran.kabid.user)


def test_card_queries_do_not_grow_with_keberatan(pemeran):
    def hitung() -> int:
        c = Client()
        c.force_login(user_of(pemeran.kepala.nip))
        c.get("/")
        with CaptureQueriesContext(connection) as ctx:
            c.get("/")
        return len(ctx.captured_queries)

    ajukan(evaluasi_final(pemeran.bawahan_kabid[0]))
    satu = hitung()
    for nip in pemeran.bawahan_kabid[1:4]:
        ajukan(evaluasi_final(nip))
    assert hitung() == satu


# --- "Predikat kinerja saya": the result and the last day to object --------------------------------------


def test_pegawai_sees_the_predikat_and_the_last_day_to_object(pemeran):
    hari = timezone.localdate()
    ev = evaluasi_final(pemeran.ika.nip)
    Evaluasi.objects.filter(pk=ev.pk).update(diberitahu_pada=timezone.now())
    html = _beranda(user_of(pemeran.ika.nip))
    batas = format_tanggal(hari + datetime.timedelta(days=14))
    assert "Predikat kinerja saya" in html and "Akhir (tahunan)" in html and ">Baik</strong>" in html
    assert f"Keberatan dapat diajukan paling lambat <strong>{batas}</strong>" in html
    assert f"/tindak-lanjut/keberatan/ajukan/{ev.pk}/" in html
    # Window over: the last day is still shown, without the button.
    lalu = timezone.now() - datetime.timedelta(days=30)
    Evaluasi.objects.filter(pk=ev.pk).update(diberitahu_pada=lalu)
    html = _beranda(user_of(pemeran.ika.nip))
    akhir = format_tanggal(timezone.localdate(lalu) + datetime.timedelta(days=14))
    assert f"Masa pengajuan keberatan berakhir {akhir}" in html
    assert f"/tindak-lanjut/keberatan/ajukan/{ev.pk}/" not in html
    assert "Predikat kinerja saya" not in _beranda(user_of(pemeran.kabid.nip))  # nothing final for her


def test_predikat_card_queries_do_not_grow_with_results(pemeran):
    def hitung() -> int:
        c = Client()
        c.force_login(user_of(pemeran.ika.nip))
        c.get("/")
        with CaptureQueriesContext(connection) as ctx:
            c.get("/")
        return len(ctx.captured_queries)

    ajukan(evaluasi_final(pemeran.ika.nip))
    satu = hitung()
    evaluasi_final(pemeran.ika.nip, tahunan=False)
    html = _beranda(user_of(pemeran.ika.nip))
    assert "Triwulan I" in html and "Akhir (tahunan)" in html
    assert hitung() == satu
