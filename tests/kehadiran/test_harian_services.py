"""Absence and correction requests (`kinerja.kehadiran.harian.services`, docs/rules.md §27)."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kinerja.kehadiran import selectors as hadir
from kinerja.kehadiran.harian import services
from kinerja.kehadiran.models import Ketidakhadiran, KoreksiKehadiran, Rekaman, StatusPengajuan, SumberRekaman
from kinerja.kehadiran.signals import kehadiran_berubah
from kinerja.organisasi.models import User
from kinerja.rules.jenis_hari import JenisHari
from tests.builders import atasan_dan_bawahan, kabid_lain

pytestmark = pytest.mark.django_db

HARI_INI = datetime.date(2026, 3, 20)  # a Friday
SENIN = datetime.date(2026, 3, 16)


@pytest.fixture
def tim():
    return atasan_dan_bawahan()


@pytest.fixture
def lain(other_instansi):
    return User.objects.get(username="admin-lain")


def _ajukan(tim, **kw):
    data = {"jenis": "cuti_tahunan", "mulai": SENIN, "selesai": SENIN + datetime.timedelta(days=1)}
    data.update(kw)
    return services.ajukan_ketidakhadiran(tim.bawahan.user, tim.bawahan, **data)


def _koreksi(tim, **kw):
    data = {
        "tanggal": SENIN,
        "jenis": "lupa",
        "masuk": datetime.time(7, 25),
        "pulang": datetime.time(16, 5),
        "alasan": "Lupa menempelkan jari.",
        "hari_ini": HARI_INI,
    }
    data.update(kw)
    return services.ajukan_koreksi(tim.bawahan.user, tim.bawahan, **data)


def test_absence_asked_approved_changes_the_days_and_is_audited(tim, django_capture_on_commit_callbacks):
    diterima = []
    kehadiran_berubah.connect(lambda **kw: diterima.append(kw), weak=False, dispatch_uid="uji-harian")
    try:
        k = _ajukan(tim, keterangan="Acara keluarga")
        assert k.status == StatusPengajuan.DIAJUKAN
        with django_capture_on_commit_callbacks(execute=True):
            services.putuskan_ketidakhadiran(tim.atasan.user, k, setuju=True)
    finally:
        kehadiran_berubah.disconnect(dispatch_uid="uji-harian")
    k.refresh_from_db()
    assert k.status == StatusPengajuan.DISETUJUI and k.diputuskan_oleh == tim.atasan.user
    assert [h.history_user for h in k.history.order_by("history_date")] == [tim.bawahan.user, tim.atasan.user]
    assert diterima[0]["pegawai_ids"] == [tim.bawahan.pk] and diterima[0]["mulai"] == SENIN
    hari = hadir.status_bulan_pegawai(tim.instansi.pk, tim.bawahan.pk, 2026, 3)
    assert hari[SENIN.day - 1].jenis is JenisHari.CUTI_TAHUNAN


@pytest.mark.parametrize(
    ("kw", "field", "potongan"),
    [
        ({"selesai": SENIN - datetime.timedelta(days=1)}, "selesai", "tidak boleh sebelum"),
        ({"selesai": SENIN + datetime.timedelta(days=90)}, "selesai", "paling lama 60 hari"),
        ({"jenis": "hadir"}, "jenis", "Pilih jenis"),
    ],
)
def test_absence_bad_ranges_refused_with_messages(tim, kw, field, potongan):
    with pytest.raises(ValidationError) as exc:
        _ajukan(tim, **kw)
    assert potongan in " ".join(exc.value.message_dict[field])
    assert not Ketidakhadiran.objects.exists()


def test_overlap_with_pending_or_approved_refused_but_not_with_cancelled(tim):
    k = _ajukan(tim)
    with pytest.raises(ValidationError) as exc:
        _ajukan(tim, mulai=SENIN + datetime.timedelta(days=1), selesai=SENIN + datetime.timedelta(days=3))
    assert "bertumpang tindih dengan cuti tahunan" in exc.value.message_dict["mulai"][0]
    services.batalkan_ketidakhadiran(tim.bawahan.user, k)
    assert _ajukan(tim).status == StatusPengajuan.DIAJUKAN


def test_refusal_needs_a_note_and_decided_requests_stay(tim):
    k = _ajukan(tim)
    with pytest.raises(ValidationError) as exc:
        services.putuskan_ketidakhadiran(tim.atasan.user, k, setuju=False)
    assert exc.value.message_dict["catatan"] == ["Tuliskan alasan penolakan."]
    services.putuskan_ketidakhadiran(tim.atasan.user, k, setuju=False, catatan="Tugas mendesak")
    with pytest.raises(ValidationError, match="sudah ditolak"):
        services.batalkan_ketidakhadiran(tim.bawahan.user, k)


def test_absence_permissions_both_ways(tim, lain):
    peer = kabid_lain(tim)
    for user in (tim.atasan.user, peer.user, tim.admin, lain):
        with pytest.raises(PermissionDenied):
            _ajukan_oleh = services.ajukan_ketidakhadiran
            _ajukan_oleh(user, tim.bawahan, jenis="izin", mulai=SENIN, selesai=SENIN)
    k = _ajukan(tim)
    for user in (tim.bawahan.user, peer.user, tim.admin, lain):
        with pytest.raises(PermissionDenied):
            services.putuskan_ketidakhadiran(user, k, setuju=True)
    for user in (tim.atasan.user, peer.user, lain):
        with pytest.raises(PermissionDenied):
            services.batalkan_ketidakhadiran(user, k)
    # The kepala (atasan two levels up) may decide too.
    services.putuskan_ketidakhadiran(tim.kepala.user, k, setuju=True)


def test_admin_records_an_approved_absence_directly(tim, lain):
    with pytest.raises(PermissionDenied):
        services.catat_ketidakhadiran(lain, tim.bawahan, jenis="cuti_tahunan", mulai=SENIN, selesai=SENIN)
    with pytest.raises(PermissionDenied):
        services.catat_ketidakhadiran(
            tim.atasan.user, tim.bawahan, jenis="cuti_tahunan", mulai=SENIN, selesai=SENIN
        )
    k = services.catat_ketidakhadiran(
        tim.admin, tim.bawahan, jenis="cuti_tahunan", mulai=SENIN, selesai=SENIN
    )
    assert k.status == StatusPengajuan.DISETUJUI and k.history.get().history_user == tim.admin


def test_bukti_checked_like_every_upload(tim):
    palsu = io.BytesIO(b"MZ\x90\x00 not a pdf")
    with pytest.raises(ValidationError) as exc:
        _ajukan(tim, bukti=services.Unggahan(palsu, "surat.pdf", 16))
    assert "executable" in exc.value.message_dict["bukti"][0]
    assert not Ketidakhadiran.objects.exists()
    pdf = io.BytesIO(b"%PDF-1.4\n%%EOF\n")
    k = _ajukan(tim, bukti=services.Unggahan(pdf, "surat cuti.pdf", 15))
    assert k.bukti.name.endswith(".pdf")


def test_correction_approved_adds_taps_in_local_time(tim):
    k = _koreksi(tim, masuk=datetime.time(7, 25), pulang=None)
    services.putuskan_koreksi(tim.atasan.user, k, setuju=True, catatan="")
    tap = Rekaman.objects.get(pegawai=tim.bawahan)
    assert tap.sumber == SumberRekaman.KOREKSI and tap.koreksi_id == k.pk
    assert timezone.localtime(tap.waktu).replace(tzinfo=None) == datetime.datetime(2026, 3, 16, 7, 25)
    k.refresh_from_db()
    assert k.history.latest().history_user == tim.atasan.user


@pytest.mark.parametrize(
    ("kw", "field", "potongan"),
    [
        ({"tanggal": HARI_INI}, "tanggal", "sudah lewat"),
        ({"tanggal": HARI_INI + datetime.timedelta(days=3)}, "tanggal", "sudah lewat"),
        ({"tanggal": HARI_INI - datetime.timedelta(days=31)}, "tanggal", "paling lambat 30 hari"),
        ({"masuk": None, "pulang": None}, "masuk", "Isi jam masuk"),
        ({"masuk": datetime.time(16), "pulang": datetime.time(8)}, "pulang", "setelah jam masuk"),
        ({"alasan": "  "}, "alasan", "Tuliskan alasan"),
    ],
)
def test_correction_validation(tim, kw, field, potongan):
    with pytest.raises(ValidationError) as exc:
        _koreksi(tim, **kw)
    assert potongan in " ".join(exc.value.message_dict[field])


def test_no_second_pending_correction_for_a_date_and_cancel(tim):
    k = _koreksi(tim)
    with pytest.raises(ValidationError, match="menunggu persetujuan"):
        _koreksi(tim)
    with pytest.raises(PermissionDenied):
        services.batalkan_koreksi(tim.atasan.user, k)
    services.batalkan_koreksi(tim.bawahan.user, k)
    assert _koreksi(tim).status == StatusPengajuan.DIAJUKAN
    assert KoreksiKehadiran.objects.filter(status=StatusPengajuan.DIBATALKAN).count() == 1


def test_correction_decided_only_by_an_atasan(tim, lain):
    peer = kabid_lain(tim)
    k = _koreksi(tim)
    for user in (tim.bawahan.user, peer.user, tim.admin, lain):
        with pytest.raises(PermissionDenied):
            services.putuskan_koreksi(user, k, setuju=True)
    services.putuskan_koreksi(tim.atasan.user, k, setuju=False, catatan="Tidak ada bukti")
    assert not Rekaman.objects.exists()
