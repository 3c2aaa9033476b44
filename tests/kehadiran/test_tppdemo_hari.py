"""`hari_pegawai` hands each day only the taps around it (bisected from the sorted month): night shifts
across midnight and the range's last day still see theirs, other days' taps never count."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from kinerja.kehadiran import selectors
from kinerja.kehadiran.models import JadwalShift, Rekaman, Shift, SumberRekaman
from kinerja.rules.jenis_hari import JenisHari
from tests.builders import InstansiFactory, JabatanFactory, UnitKerjaFactory, pegawai_di

pytestmark = pytest.mark.django_db

SENIN = datetime.date(2026, 3, 2)


def _tap(pegawai, waktu: str) -> None:
    w = timezone.make_aware(datetime.datetime.fromisoformat(waktu))
    Rekaman.objects.create(pegawai=pegawai, waktu=w, sumber=SumberRekaman.MESIN)


def test_night_shift_on_the_last_day_reads_the_next_mornings_tap_and_taps_stay_on_their_day():
    instansi = InstansiFactory()
    p = pegawai_di(JabatanFactory(instansi=instansi, unit=UnitKerjaFactory(instansi=instansi)))
    malam = Shift.objects.create(instansi=instansi, nama="Malam", masuk="22:00", pulang="06:00")
    jumat = SENIN + datetime.timedelta(days=4)
    JadwalShift.objects.create(pegawai=p, tanggal=jumat, shift=malam)
    _tap(p, "2026-03-02 07:20:00")  # Monday in
    _tap(p, "2026-03-02 16:10:00")  # Monday out
    _tap(p, "2026-03-03 07:25:00")  # Tuesday: in only
    _tap(p, "2026-03-06 21:50:00")  # Friday's night shift in …
    _tap(p, "2026-03-07 06:05:00")  # … and out the next morning, after the range
    kal = selectors.kalender(instansi.pk, SENIN, jumat)
    hari = selectors.hari_pegawai(kal, [p.pk])[p.pk]
    assert [h.jenis for h in hari] == [JenisHari.HADIR, JenisHari.HADIR, JenisHari.TK, JenisHari.TK] + [
        JenisHari.HADIR
    ]
    assert not hari[0].tanpa_pulang and hari[1].tanpa_pulang and not hari[1].tanpa_masuk
    assert not hari[4].tanpa_masuk and not hari[4].tanpa_pulang and hari[4].menit_tl == 0
