"""Writes of the working calendar (`kinerja.kehadiran.kalender.services`): validation, who may, history,
the national fill, the change signal."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinerja.kehadiran import selectors as sk
from kinerja.kehadiran.kalender import services
from kinerja.kehadiran.models import (
    HariLibur,
    JadwalKerja,
    JadwalShift,
    PengaturanKehadiran,
    Shift,
    TahunKalender,
    VarianJadwal,
)
from kinerja.kehadiran.signals import kehadiran_berubah
from kinerja.organisasi.models import User
from kinerja.rules import kehadiran as aturan_hadir
from tests.builders import InstansiFactory, JabatanFactory, UnitKerjaFactory, admin_instansi, pegawai_di

pytestmark = pytest.mark.django_db

LIMA_HARI = services.isian_dari_hari(services.jadwal_ke_isian(aturan_hadir.jadwal_perpres_21_2023()))


@pytest.fixture
def dunia():
    instansi = InstansiFactory()
    induk = UnitKerjaFactory(instansi=instansi)
    anak = UnitKerjaFactory(instansi=instansi, parent=induk)
    kepala = JabatanFactory(instansi=instansi, unit=induk)
    p_kepala = pegawai_di(kepala)
    p_staf = pegawai_di(JabatanFactory(instansi=instansi, unit=anak, parent=kepala))
    lain = InstansiFactory()
    return {
        "instansi": instansi,
        "induk": induk,
        "anak": anak,
        "p_staf": p_staf,
        "admin": admin_instansi(instansi),
        "pegawai": User.objects.get(pegawai=p_staf),
        "atasan": User.objects.get(pegawai=p_kepala),
        "admin_lain": admin_instansi(lain),
    }


@pytest.fixture
def sinyal():
    diterima: list[dict] = []

    def dengar(sender, **kw):  # type: ignore[no-untyped-def]
        diterima.append(kw)

    kehadiran_berubah.connect(dengar)
    yield diterima
    kehadiran_berubah.disconnect(dengar)


def test_jadwal_saved_with_history_and_signal(dunia, sinyal, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        j = services.simpan_jadwal(dunia["admin"], dunia["instansi"], dunia["anak"], "", LIMA_HARI)
    assert j.hari["4"] == {"masuk": "07:30", "pulang": "16:30", "istirahat": 90}
    assert j.history.get().history_user == dunia["admin"]
    assert sinyal and sinyal[0]["instansi_id"] == dunia["instansi"].pk and sinyal[0]["pegawai_ids"] is None
    kal = sk.kalender(dunia["instansi"].pk, datetime.date(2026, 1, 1), datetime.date(2026, 1, 2))
    assert kal.jadwal_unit(dunia["anak"].pk).hari[4].istirahat_menit == 90


@pytest.mark.parametrize(
    ("ubah", "pesan"),
    [
        ({"pulang_2": "07:00"}, "Rabu: jam pulang (07.00) harus sesudah jam masuk (07.30)"),
        ({"istirahat_0": "600"}, "Senin: istirahat 600 menit harus lebih singkat"),
        ({"masuk_3": ""}, "Kamis: jam masuk dan jam pulang wajib diisi"),
    ],
)
def test_jadwal_validation_names_the_day(dunia, ubah, pesan):
    with pytest.raises(ValidationError) as exc:
        services.simpan_jadwal(dunia["admin"], dunia["instansi"], None, "", {**LIMA_HARI, **ubah})
    assert any(pesan in " ".join(v) for v in exc.value.message_dict.values())
    assert not JadwalKerja.objects.exists()


def test_jadwal_needs_a_working_day(dunia):
    with pytest.raises(ValidationError) as exc:
        services.simpan_jadwal(dunia["admin"], dunia["instansi"], None, "", {})
    assert "paling sedikit satu hari kerja" in str(exc.value)


@pytest.mark.parametrize("peran", ["pegawai", "atasan", "admin_lain"])
def test_only_the_admin_of_the_instansi_writes(dunia, peran):
    user, instansi = dunia[peran], dunia["instansi"]
    with pytest.raises(PermissionDenied):
        services.simpan_jadwal(user, instansi, None, "", LIMA_HARI)
    with pytest.raises(PermissionDenied):
        services.isi_kalender_nasional(user, instansi, 2026)
    with pytest.raises(PermissionDenied):
        services.simpan_pengaturan(
            user, instansi, aturan_hadir.ATURAN_BAKU, atasan_lihat_tpp=False, batas_isi_hari=5
        )
    assert not HariLibur.objects.exists() and not JadwalKerja.objects.exists()


def test_variants_of_the_same_scope_may_not_overlap(dunia):
    admin, instansi = dunia["admin"], dunia["instansi"]
    ramadan = services.isian_ramadan()
    kw = {"nama": "Ramadan", "isian": ramadan}
    services.simpan_varian(
        admin, instansi, unit=None, mulai=datetime.date(2026, 2, 18), selesai=datetime.date(2026, 3, 19), **kw
    )
    # another scope is fine
    services.simpan_varian(
        admin,
        instansi,
        unit=dunia["anak"],
        mulai=datetime.date(2026, 3, 1),
        selesai=datetime.date(2026, 3, 5),
        **kw,
    )
    with pytest.raises(ValidationError) as exc:
        services.simpan_varian(
            admin,
            instansi,
            unit=None,
            mulai=datetime.date(2026, 3, 19),
            selesai=datetime.date(2026, 3, 25),
            **kw,
        )
    assert "bertumpang tindih dengan varian Ramadan" in str(exc.value)
    assert VarianJadwal.objects.count() == 2
    assert VarianJadwal.objects.filter(unit=None).get().hari["0"]["masuk"] == "08:00"


def test_shift_past_midnight_and_roster(dunia, sinyal, django_capture_on_commit_callbacks):
    admin, instansi, p = dunia["admin"], dunia["instansi"], dunia["p_staf"]
    malam = services.simpan_shift(admin, instansi, nama="Malam", masuk="22:00", pulang="06:00", istirahat="0")
    with django_capture_on_commit_callbacks(execute=True):
        n = services.atur_jadwal_shift(
            admin, instansi, malam, [p.pk], datetime.date(2026, 12, 1), datetime.date(2026, 12, 3)
        )
    assert n == 3 and JadwalShift.objects.filter(pegawai=p).count() == 3
    assert sinyal[-1]["pegawai_ids"] == [p.pk]
    assert JadwalShift.objects.first().history.get().history_user == admin
    # writing it again changes nothing
    assert (
        services.atur_jadwal_shift(
            admin, instansi, malam, [p.pk], datetime.date(2026, 12, 1), datetime.date(2026, 12, 3)
        )
        == 0
    )
    with pytest.raises(ValidationError):
        services.hapus_shift(admin, malam)
    assert (
        services.kosongkan_jadwal_shift(
            admin, instansi, [p.pk], datetime.date(2026, 12, 2), datetime.date(2026, 12, 2)
        )
        == 1
    )
    assert JadwalShift.objects.count() == 2


def test_roster_refuses_pegawai_of_another_instansi(dunia):
    admin, instansi = dunia["admin"], dunia["instansi"]
    orang_lain = pegawai_di(JabatanFactory())
    pagi = services.simpan_shift(admin, instansi, nama="Pagi", masuk="07:00", pulang="14:00", istirahat="0")
    with pytest.raises(ValidationError) as exc:
        services.atur_jadwal_shift(
            admin, instansi, pagi, [orang_lain.pk], datetime.date(2026, 12, 1), datetime.date(2026, 12, 1)
        )
    assert "Hanya pegawai instansi ini" in str(exc.value)
    assert not JadwalShift.objects.exists()


def test_shift_validation(dunia):
    with pytest.raises(ValidationError) as exc:
        services.simpan_shift(
            dunia["admin"], dunia["instansi"], nama="", masuk="08:00", pulang="08:00", istirahat="x"
        )
    galat = exc.value.message_dict
    assert "nama" in galat and "istirahat" in galat
    assert not Shift.objects.exists()


def test_national_fill_is_idempotent_and_needs_checking(dunia):
    admin, instansi = dunia["admin"], dunia["instansi"]
    n = services.isi_kalender_nasional(admin, instansi, 2026)
    assert n == HariLibur.objects.filter(instansi=instansi).count() == 25
    catatan = TahunKalender.objects.get(instansi=instansi, tahun=2026)
    assert catatan.diperiksa_pada is None
    assert services.isi_kalender_nasional(admin, instansi, 2026) == 0
    services.tandai_diperiksa(admin, instansi, 2026)
    catatan.refresh_from_db()
    assert catatan.diperiksa and catatan.diperiksa_oleh == admin
    # an edit after checking is audited and keeps the year checked
    libur = HariLibur.objects.get(instansi=instansi, tanggal=datetime.date(2026, 12, 24))
    services.simpan_hari_libur(
        admin, instansi, tanggal=libur.tanggal, nama="Cuti bersama Natal", jenis="cuti_bersama", libur=libur
    )
    assert libur.history.count() == 2 and libur.history.first().history_user == admin
    catatan.refresh_from_db()
    assert catatan.diperiksa
    with pytest.raises(ValidationError) as exc:
        services.isi_kalender_nasional(admin, instansi, 2030)
    assert "belum tersedia" in str(exc.value)


def test_holiday_validation(dunia):
    admin, instansi = dunia["admin"], dunia["instansi"]
    services.simpan_hari_libur(
        admin, instansi, tanggal=datetime.date(2026, 6, 1), nama="Pancasila", jenis="libur"
    )
    with pytest.raises(ValidationError) as exc:
        services.simpan_hari_libur(admin, instansi, tanggal=datetime.date(2026, 6, 1), nama="", jenis="x")
    assert set(exc.value.message_dict) == {"tanggal", "nama", "jenis"}


def test_shipped_2026_file_loads():
    data = services.data_nasional(2026)
    assert data is not None and len(data) == 25
    tanggal = [datetime.date.fromisoformat(h["tanggal"]) for h in data]
    assert all(t.year == 2026 for t in tanggal) and len(set(tanggal)) == 25
    assert sum(h["jenis"] == "cuti_bersama" for h in data) == 8


def test_settings_round_trip(dunia):
    aturan = aturan_hadir.AturanKehadiran(
        jendela_sebelum_menit=60,
        cara_baca=aturan_hadir.CaraBacaTap.TITIK_TENGAH,
        toleransi_tl_menit=5,
        bulatkan_ke_atas=False,
        shift_pada_libur=False,
    )
    services.simpan_pengaturan(
        dunia["admin"], dunia["instansi"], aturan, atasan_lihat_tpp=True, batas_isi_hari=10
    )
    assert sk.aturan_kehadiran(dunia["instansi"].pk) == aturan
    row = PengaturanKehadiran.objects.get(instansi=dunia["instansi"])
    assert row.atasan_lihat_tpp and row.batas_isi_hari == 10
    assert row.history.get().history_user == dunia["admin"]
