"""The working-calendar pages: who may open them, what they save, and their query counts."""

from __future__ import annotations

import datetime

import pytest

from kinerja.kehadiran.kalender import services
from kinerja.kehadiran.models import HariLibur, JadwalKerja, JadwalShift, TahunKalender
from kinerja.organisasi.models import User
from tests.builders import (
    InstansiFactory,
    JabatanFactory,
    UnitKerjaFactory,
    admin_instansi,
    klien,
    pegawai_di,
)

pytestmark = pytest.mark.django_db

HALAMAN_ADMIN = [
    "/kehadiran/kalender/jadwal/",
    "/kehadiran/kalender/varian/",
    "/kehadiran/kalender/shift/",
    "/kehadiran/kalender/shift/roster/",
    "/kehadiran/kalender/libur/",
    "/kehadiran/kalender/pengaturan/",
]


@pytest.fixture
def dunia():
    instansi = InstansiFactory()
    unit = UnitKerjaFactory(instansi=instansi)
    anak = UnitKerjaFactory(instansi=instansi, parent=unit)
    kepala = JabatanFactory(instansi=instansi, unit=unit)
    p_kepala = pegawai_di(kepala)
    p_staf = pegawai_di(JabatanFactory(instansi=instansi, unit=anak, parent=kepala))
    lain = InstansiFactory()
    return {
        "instansi": instansi,
        "anak": anak,
        "kepala_jabatan": kepala,
        "p_staf": p_staf,
        "admin": admin_instansi(instansi),
        "pegawai": User.objects.get(pegawai=p_staf),
        "atasan": User.objects.get(pegawai=p_kepala),
        "admin_lain": admin_instansi(lain),
    }


@pytest.mark.parametrize("url", HALAMAN_ADMIN)
@pytest.mark.parametrize(("peran", "status"), [("admin", 200), ("pegawai", 403), ("atasan", 403)])
def test_admin_pages_by_role(dunia, url, peran, status):
    assert klien(dunia[peran]).get(url).status_code == status


def test_another_instansi_admin_sees_only_their_own(dunia):
    services.isi_kalender_nasional(dunia["admin"], dunia["instansi"], 2026)
    c = klien(dunia["admin_lain"])
    resp = c.get("/kehadiran/kalender/libur/?tahun=2026")
    assert resp.status_code == 200 and "Isi dari kalender nasional 2026" in resp.content.decode()
    libur = HariLibur.objects.filter(instansi=dunia["instansi"]).first()
    assert c.post(f"/kehadiran/kalender/libur/{libur.pk}/hapus/").status_code == 404
    assert c.get(f"/kehadiran/kalender/libur/?ubah={libur.pk}").status_code == 404
    assert HariLibur.objects.filter(pk=libur.pk).exists()


@pytest.mark.parametrize("peran", ["admin", "pegawai", "atasan", "admin_lain"])
def test_kalender_kerja_for_everyone_of_their_instansi(dunia, peran):
    services.isi_kalender_nasional(dunia["admin"], dunia["instansi"], 2026)
    resp = klien(dunia[peran]).get("/kehadiran/kalender/?bulan=2026-12")
    assert resp.status_code == 200
    isi = resp.content.decode()
    # only the user's own instansi's holidays show
    assert ("Kelahiran Yesus Kristus" in isi) is (peran != "admin_lain")


def test_libur_page_fill_banner_and_checked(dunia):
    c = klien(dunia["admin"])
    isi = c.get("/kehadiran/kalender/libur/?tahun=2026").content.decode()
    assert "Isi dari kalender nasional 2026" in isi and "alert-primary" in isi
    c.post("/kehadiran/kalender/libur/isi/", {"tahun": "2026"})
    isi = c.get("/kehadiran/kalender/libur/?tahun=2026").content.decode()
    assert "Perlu diperiksa" in isi and "Tandai sudah diperiksa" in isi
    c.post("/kehadiran/kalender/libur/diperiksa/", {"tahun": "2026"})
    assert TahunKalender.objects.get(instansi=dunia["instansi"], tahun=2026).diperiksa
    assert "Perlu diperiksa" not in c.get("/kehadiran/kalender/libur/?tahun=2026").content.decode()


def test_jadwal_form_error_names_the_day_and_saves_nothing(dunia):
    c = klien(dunia["admin"])
    data = {**services.isian_dari_hari({"0": {"masuk": "16:00", "pulang": "07:30", "istirahat": 60}})}
    resp = c.post("/kehadiran/kalender/jadwal/", data)
    assert resp.status_code == 422
    assert "Senin: jam pulang (07.30) harus sesudah jam masuk (16.00)" in resp.content.decode()
    assert not JadwalKerja.objects.exists()
    data = services.isian_dari_hari({"0": {"masuk": "07:00", "pulang": "15:00", "istirahat": 30}})
    resp = c.post("/kehadiran/kalender/jadwal/", {**data, "unit": str(dunia["anak"].pk)})
    assert resp.status_code == 302
    assert JadwalKerja.objects.get(unit=dunia["anak"]).hari == {
        "0": {"masuk": "07:00", "pulang": "15:00", "istirahat": 30}
    }


def test_varian_ramadan_button_prefills(dunia):
    resp = klien(dunia["admin"]).post("/kehadiran/kalender/varian/", {"ramadan": "1"})
    isi = resp.content.decode()
    assert resp.status_code == 200 and 'value="08:00"' in isi and 'value="Ramadan"' in isi


def test_roster_assigns_from_the_page(dunia):
    admin, instansi, p = dunia["admin"], dunia["instansi"], dunia["p_staf"]
    pagi = services.simpan_shift(admin, instansi, nama="Pagi", masuk="07:00", pulang="14:00", istirahat="0")
    resp = klien(admin).post(
        "/kehadiran/kalender/shift/roster/",
        {
            "unit": dunia["anak"].pk,
            "bulan": "2026-12",
            "pegawai": [p.pk],
            "shift": pagi.pk,
            "mulai": "2026-12-01",
            "selesai": "2026-12-05",
            "aksi": "atur",
        },
    )
    assert resp.status_code == 302
    assert JadwalShift.objects.filter(pegawai=p).count() == 5


def test_pengaturan_page_saves(dunia):
    data = {
        "jendela_sebelum_menit": "120",
        "jendela_sesudah_menit": "300",
        "cara_baca": "titik_tengah",
        "toleransi_tl_menit": "5",
        "toleransi_psw_menit": "0",
        "bulatkan_ke_atas": "on",
        "batas_isi_hari": "7",
    }
    c = klien(dunia["admin"])
    assert c.post("/kehadiran/kalender/pengaturan/", data).status_code == 302
    bad = c.post("/kehadiran/kalender/pengaturan/", {**data, "batas_isi_hari": "40"})
    assert bad.status_code == 422 and "Batas pengisian" in bad.content.decode()


def _banyak_pegawai(dunia, n: int) -> None:
    for _ in range(n):
        pegawai_di(
            JabatanFactory(instansi=dunia["instansi"], unit=dunia["anak"], parent=dunia["kepala_jabatan"])
        )


def test_query_counts_stay_flat(dunia, django_assert_max_num_queries):
    admin, instansi = dunia["admin"], dunia["instansi"]
    c = klien(admin)
    pagi = services.simpan_shift(admin, instansi, nama="Pagi", masuk="07:00", pulang="14:00", istirahat="0")
    roster = f"/kehadiran/kalender/shift/roster/?unit={dunia['anak'].pk}&bulan=2026-12"
    urls = [
        *HALAMAN_ADMIN,
        "/kehadiran/kalender/libur/?tahun=2026",
        roster,
        "/kehadiran/kalender/?bulan=2026-12",
    ]
    for url in urls:
        with django_assert_max_num_queries(12):
            assert c.get(url).status_code == 200
    # more rows: 25 holidays, six variants, more pegawai with a month of shifts
    services.isi_kalender_nasional(admin, instansi, 2026)
    _banyak_pegawai(dunia, 6)
    ids = list(instansi.pegawai.values_list("pk", flat=True))
    services.atur_jadwal_shift(
        admin, instansi, pagi, ids, datetime.date(2026, 12, 1), datetime.date(2026, 12, 31)
    )
    for bulan in range(1, 7):
        services.simpan_varian(
            admin,
            instansi,
            unit=None,
            nama=f"V{bulan}",
            mulai=datetime.date(2026, bulan, 1),
            selesai=datetime.date(2026, bulan, 2),
            isian=services.isian_ramadan(),
        )
    for url in urls:
        with django_assert_max_num_queries(12):
            assert c.get(url).status_code == 200
    c_pegawai = klien(dunia["pegawai"])
    with django_assert_max_num_queries(12):
        assert c_pegawai.get("/kehadiran/kalender/?bulan=2026-12").status_code == 200
