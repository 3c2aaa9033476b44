"""The instansi's calendar and taps read for the rules (`kinerja.kehadiran.selectors`)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from kinerja.kehadiran import selectors
from kinerja.kehadiran.models import (
    HariLibur,
    JadwalKerja,
    Ketidakhadiran,
    Rekaman,
    StatusPengajuan,
    SumberRekaman,
    VarianJadwal,
)
from kinerja.rules.jenis_hari import JenisHari
from tests.builders import InstansiFactory, JabatanFactory, UnitKerjaFactory, admin_instansi, pegawai_di

pytestmark = pytest.mark.django_db

SENIN = datetime.date(2026, 3, 2)


def _tap(pegawai, tanggal: datetime.date, jam: str) -> None:
    waktu = timezone.make_aware(datetime.datetime.combine(tanggal, datetime.time.fromisoformat(jam)))
    Rekaman.objects.create(pegawai=pegawai, waktu=waktu, sumber=SumberRekaman.MESIN)


@pytest.fixture
def dunia():
    instansi = InstansiFactory()
    induk = UnitKerjaFactory(instansi=instansi)
    anak = UnitKerjaFactory(instansi=instansi, parent=induk)
    kepala = JabatanFactory(instansi=instansi, unit=induk)
    p_induk = pegawai_di(kepala)
    p_anak = pegawai_di(JabatanFactory(instansi=instansi, unit=anak, parent=kepala))
    return instansi, induk, anak, p_induk, p_anak


def test_perpres_schedule_when_the_instansi_has_none(dunia, django_assert_max_num_queries):
    instansi, _, _, p, _ = dunia
    _tap(p, SENIN, "07:55:00")
    _tap(p, SENIN, "16:05:00")
    kal = selectors.kalender(instansi.pk, SENIN, SENIN + datetime.timedelta(days=6))
    with django_assert_max_num_queries(5):
        hari = selectors.hari_pegawai(kal, [p.pk])[p.pk]
    assert [h.jenis for h in hari] == [JenisHari.HADIR] + [JenisHari.TK] * 4 + [
        JenisHari.BUKAN_HARI_KERJA
    ] * 2
    assert hari[0].menit_tl == 25 and hari[0].menit_psw == 0


def test_unit_schedule_inherited_by_sub_units_and_variant_of_the_unit(dunia):
    instansi, induk, anak, p_induk, p_anak = dunia
    enam_hari = {str(d): {"masuk": "07:30", "pulang": "14:00", "istirahat": 0} for d in range(6)}
    JadwalKerja.objects.create(instansi=instansi, unit=induk, nama="Pelayanan", hari=enam_hari)
    ramadan = {str(d): {"masuk": "08:00", "pulang": "15:00", "istirahat": 30} for d in range(5)}
    VarianJadwal.objects.create(
        instansi=instansi, unit=anak, nama="Ramadan", mulai=SENIN, selesai=SENIN, hari=ramadan
    )
    _tap(p_anak, SENIN, "08:10:00")
    _tap(p_anak, SENIN, "15:00:00")
    sabtu = SENIN + datetime.timedelta(days=5)
    kal = selectors.kalender(instansi.pk, SENIN, sabtu)
    hari = selectors.hari_pegawai(kal, [p_induk.pk, p_anak.pk])
    assert hari[p_induk.pk][5].jenis is JenisHari.TK  # Saturday is a working day of the six-day unit
    assert hari[p_anak.pk][0].menit_tl == 10  # Ramadan from 08.00 for the sub-unit only
    assert hari[p_anak.pk][5].jenis is JenisHari.TK


def test_holiday_and_approved_absence_only(dunia):
    instansi, _, _, p, _ = dunia
    admin = admin_instansi(instansi)
    HariLibur.objects.create(instansi=instansi, tanggal=SENIN, nama="Nyepi")
    selasa = SENIN + datetime.timedelta(days=1)
    for status, jenis, tanggal in (
        (StatusPengajuan.DISETUJUI, "dinas_luar", selasa),
        (StatusPengajuan.DIAJUKAN, "cuti_tahunan", selasa + datetime.timedelta(days=1)),
    ):
        Ketidakhadiran.objects.create(
            pegawai=p, jenis=jenis, mulai=tanggal, selesai=tanggal, status=status, diajukan_oleh=admin
        )
    kal = selectors.kalender(instansi.pk, SENIN, SENIN + datetime.timedelta(days=2))
    hari = selectors.hari_pegawai(kal, [p.pk])[p.pk]
    assert [h.jenis for h in hari] == [JenisHari.LIBUR, JenisHari.DINAS_LUAR, JenisHari.TK]
