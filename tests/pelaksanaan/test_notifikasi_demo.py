"""The demo's evidence and feedback for the past periods: most realisasi carry a generated PDF (some a PNG,
some a link), penilai gave feedback from the phrase library and some pegawai replied; notifications of
that feedback are in the app; the seed mails nobody and is idempotent."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import F
from django.utils import timezone

from kinerja.common import berkas
from kinerja.demo import pelaksanaan as demo
from kinerja.notifikasi.models import Notifikasi
from kinerja.pelaksanaan.models import BuktiDukung, PustakaUmpanBalik, Realisasi, UmpanBalik

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime.datetime(2026, 11, 24, 10, 0))


def test_demo_evidence_and_feedback(demo_instansi, monkeypatch, mailoutbox):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    from kinerja.notifikasi.services import tanpa_email

    with tanpa_email():
        demo.seed(demo_instansi)
    realisasi = Realisasi.objects.filter(periode_penilaian__batas_realisasi__lt=NOW.date())
    dengan_bukti = realisasi.filter(bukti__isnull=False).distinct().count()
    assert 0.7 * realisasi.count() <= dengan_bukti < realisasi.count()  # most, not all
    pdf = BuktiDukung.objects.filter(tipe="application/pdf").first()
    with pdf.berkas.open("rb") as f:
        assert berkas.validate_berkas(f, pdf.nama_berkas, pdf.ukuran, 10).tipe == "application/pdf"
    png = BuktiDukung.objects.filter(tipe="image/png").first()
    with png.berkas.open("rb") as f:
        assert berkas.jenis_dari_isi(f) == "png"
    assert BuktiDukung.objects.filter(jenis="tautan", tautan__startswith="https://").exists()
    assert not BuktiDukung.objects.filter(diunggah_pada__gte=NOW - datetime.timedelta(days=1)).exists()

    pustaka = set(PustakaUmpanBalik.objects.values_list("teks", flat=True))
    roots = UmpanBalik.objects.filter(induk=None)
    assert roots.count() >= 10
    assert all(any(p in u.teks for p in pustaka) for u in roots)
    assert UmpanBalik.objects.filter(induk__isnull=False, oleh__pegawai_id=F("skp__pegawai_id")).exists()
    assert roots.filter(dibaca_pada=None).exists() and roots.exclude(dibaca_pada=None).exists()
    assert Notifikasi.objects.filter(jenis="umpan_balik").count() == UmpanBalik.objects.count()
    assert mailoutbox == []

    counts = (BuktiDukung.objects.count(), UmpanBalik.objects.count(), Notifikasi.objects.count())
    demo.seed(demo_instansi)
    assert (BuktiDukung.objects.count(), UmpanBalik.objects.count(), Notifikasi.objects.count()) == counts
