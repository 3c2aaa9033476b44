"""The dashboard card "Keberatan atas predikat": what waits for each role, overdue ones flagged, and a
query count that does not grow with the number of keberatan."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kinerja.tindak_lanjut.models import Keberatan

from .keberatan_data import BAWAHAN_KABID, FUNGSIONAL, KABID, KEPALA, admin, ajukan, evaluasi_final, user_of

pytestmark = pytest.mark.django_db


def _beranda(user) -> str:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c.get("/").content.decode()


def test_each_role_sees_what_waits_for_them(demo_instansi):
    k = ajukan(evaluasi_final(FUNGSIONAL))
    assert "Menunggu <strong>penjelasan Anda</strong>" in _beranda(user_of(KABID))
    assert "Keberatan Anda atas" in _beranda(user_of(FUNGSIONAL))
    kepala = _beranda(user_of(KEPALA))
    assert "keputusan Anda" in kepala and k.pegawai.nama_lengkap in kepala
    html = _beranda(admin())
    assert "1 keberatan belum diputus" in html and "melewati batas waktu" not in html
    # Past both deadlines: flagged for the atasan and the admin.
    lalu = timezone.localdate() - datetime.timedelta(days=1)
    Keberatan.objects.filter(pk=k.pk).update(batas_penjelasan=lalu, batas_keputusan=lalu)
    assert "terlambat" in _beranda(user_of(KEPALA))
    assert "1 melewati batas waktu" in _beranda(admin())


def test_nothing_waiting_no_card(demo_instansi):
    assert "Keberatan atas predikat" not in _beranda(user_of(KABID))


def test_card_queries_do_not_grow_with_keberatan(demo_instansi):
    def hitung() -> int:
        c = Client()
        c.force_login(user_of(KEPALA))
        c.get("/")
        with CaptureQueriesContext(connection) as ctx:
            c.get("/")
        return len(ctx.captured_queries)

    ajukan(evaluasi_final(BAWAHAN_KABID[0]))
    satu = hitung()
    for nip in BAWAHAN_KABID[1:4]:
        ajukan(evaluasi_final(nip))
    assert hitung() == satu
