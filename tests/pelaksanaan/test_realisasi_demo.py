"""The demo's pelaksanaan seed: realisasi for the past periods with a realistic mix, idempotent."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from kinerja.demo import pelaksanaan as demo
from kinerja.pelaksanaan.models import BukaKunci, Realisasi, RencanaAksi
from kinerja.perencanaan.models import Skp
from kinerja.rules.alur import Status

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime.datetime(2026, 11, 24, 10, 0))


def test_seed_mengisi_periode_lampau_dan_idempoten(demo_instansi, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    demo.seed(demo_instansi)
    counts = (Realisasi.objects.count(), RencanaAksi.objects.count(), BukaKunci.objects.count())
    disetujui = Skp.objects.filter(status=Status.DISETUJUI.value)
    # Every approved SKP has realisasi for TW I and II; TW III is missing for a few (late).
    for skp in disetujui:
        nomor = set(
            Realisasi.objects.filter(indikator__rhk__skp=skp).values_list(
                "periode_penilaian__nomor", flat=True
            )
        )
        assert {1, 2} <= nomor and 4 not in nomor
        assert RencanaAksi.objects.filter(rhk__skp=skp, periode_penilaian__nomor=4).exists()
    tanpa_tw3 = [
        s
        for s in disetujui
        if not Realisasi.objects.filter(indikator__rhk__skp=s, periode_penilaian__nomor=3)
    ]
    assert 1 <= len(tanpa_tw3) <= 6
    assert Realisasi.objects.filter(terlambat=True).exists()  # entered under the admin's unlock
    assert BukaKunci.objects.filter(berlaku_sampai__gt=NOW).count() == 1  # one still open today
    assert Realisasi.objects.filter(narasi=demo.NARASI_KURANG).exists()  # some behind target
    assert (
        Realisasi.objects.filter(dibuat_pada__lt=NOW - datetime.timedelta(days=30)).count() > 100
    )  # backdated
    demo.seed(demo_instansi)
    assert counts == (Realisasi.objects.count(), RencanaAksi.objects.count(), BukaKunci.objects.count())
