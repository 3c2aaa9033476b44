"""Finalising a rating group tells each pegawai their predikat and the last day to object (in the app and
by email, after commit; one notice per pegawai and finalisation), and records the notice time that starts
the keberatan window (docs/rules.md §18).

Cast: `Tujuh` (tests/penilaian/conftest.py, built once for the module), the kabid's group of seven.
"""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from kinerja.notifikasi.models import Notifikasi
from kinerja.organisasi.models import Instansi, Pegawai
from kinerja.penilaian import services
from kinerja.penilaian.kelompok import services as services_kelompok
from kinerja.penilaian.models import Evaluasi
from kinerja.perencanaan.models import Skp
from kinerja.rules.types import Rating
from kinerja.tindak_lanjut.keberatan import selectors as selectors_keberatan
from tests import builders as b
from tests.penilaian.conftest import Tujuh, nilai_semua

pytestmark = [pytest.mark.django_db, pytest.mark.data_kecil]

S = Rating.SESUAI
# 00:30 WIB on 10 April 2026 is still 9 April in UTC: the notice is of 10 April, the last day 24 April.
SEKARANG = datetime.datetime(2026, 4, 9, 17, 30, tzinfo=datetime.UTC)


@pytest.fixture
def p(tujuh: Tujuh) -> Tujuh:
    return tujuh


def siap(p: Tujuh, pegawai: Pegawai) -> Evaluasi:
    """The opened TW I evaluation of ``pegawai``, with the realisasi entered."""
    skp = Skp.objects.select_related("periode", "pegawai").get(pegawai=pegawai)
    return b.evaluasi_dibuka(skp, p.tim.pp(1))


@pytest.fixture
def kelompok(p, monkeypatch):  # type: ignore[no-untyped-def]
    kabid = p.kabid.user
    for skp in p.skp_bawahan():
        services.set_rating(nilai_semua(siap(p, skp.pegawai), kabid, S, S), kabid)
    services.set_capaian_organisasi(p.tim.bidang, p.tim.periode, p.tim.pp(1), "istimewa", "", p.kepala.user)
    Instansi.objects.filter(pk=p.tim.instansi.pk).update(keberatan_periodik=True)
    monkeypatch.setattr("django.utils.timezone.now", lambda: SEKARANG)
    return p.kabid, p.tim.periode, p.tim.pp(1)


def _final(penilai, periode, pp):  # type: ignore[no-untyped-def]
    return services_kelompok.finalise_kelompok(penilai, periode, pp, penilai.user)


def test_finalising_notifies_each_pegawai_once_with_the_predikat_and_the_last_day(
    p, kelompok, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _final(*kelompok)
    notif = Notifikasi.objects.filter(jenis="evaluasi_final").select_related("penerima")
    assert notif.count() == len(p.skp_bawahan()) == 7
    ika = notif.get(penerima=p.fungsional.user)
    ev = Evaluasi.objects.get(pegawai=p.fungsional, periode_penilaian=kelompok[2])
    assert ika.kunci == f"evaluasi-final:{ev.pk}:1"
    assert ika.judul == "Predikat kinerja Triwulan I 2026: Baik"
    assert "paling lambat 24 April 2026" in ika.isi and "rating hasil kerja Sesuai Ekspektasi" in ika.isi
    assert ev.finalisasi_ke == 1 and ev.diberitahu_pada == ev.final_pada == SEKARANG
    # The window counts from the local date of the notice.
    assert selectors_keberatan.tanggal_terbit(ev) == datetime.date(2026, 4, 10)
    assert len(mail.outbox) == sum(1 for n in notif if n.penerima.email)
    assert any("paling lambat 24 April 2026" in m.body for m in mail.outbox)


def test_a_refused_finalisation_notifies_nobody(p):
    kabid = p.kabid.user
    services.set_rating(nilai_semua(siap(p, p.fungsional), kabid, S, S), kabid)
    with pytest.raises(ValidationError):
        services_kelompok.finalise_kelompok(p.kabid, p.tim.periode, p.tim.pp(1), kabid)
    assert not Notifikasi.objects.filter(jenis="evaluasi_final").exists()


def test_periodic_notice_without_a_keberatan_day_when_the_instansi_allows_annual_only(p, kelompok):
    Instansi.objects.filter(pk=p.tim.instansi.pk).update(keberatan_periodik=False)
    _final(*kelompok)
    ika = Notifikasi.objects.get(jenis="evaluasi_final", penerima=p.fungsional.user)
    assert "Baik" in ika.judul and "keberatan" not in ika.isi


def test_reopened_and_refinalised_gives_a_new_notice_and_a_new_window(p, kelompok):
    _final(*kelompok)
    ev = Evaluasi.objects.get(pegawai=p.fungsional, periode_penilaian=kelompok[2])
    services.reopen(ev, p.tim.admin, "Salah input rating perilaku.")
    _final(*kelompok)
    ev.refresh_from_db()
    assert ev.finalisasi_ke == 2
    kunci = set(
        Notifikasi.objects.filter(penerima=p.fungsional.user, jenis="evaluasi_final").values_list(
            "kunci", flat=True
        )
    )
    assert kunci == {f"evaluasi-final:{ev.pk}:1", f"evaluasi-final:{ev.pk}:2"}
