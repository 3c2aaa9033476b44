"""Perjanjian Kinerja, peta strategi and Manual IKU at the service level."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinerja.organisasi.models import Periode, UnitKerja, User
from kinerja.perencanaan import services
from kinerja.perencanaan.models import PerjanjianKinerja
from kinerja.rules.alur import Aksi

pytestmark = pytest.mark.django_db

KEPALA, KABID_MP, KABID_PKP, PELAKSANA = (
    "197205141998031003",
    "197811302003121004",
    "197904182005012005",
    "199108162015031001",
)


def user(login: str) -> User:
    return User.objects.get(username=login)


def test_demo_pk_of_the_kepala_is_approved_by_the_admin(demo_instansi):
    pk = PerjanjianKinerja.objects.get(unit__kode="BKPSDM")
    assert pk.status == "disetujui" and pk.penyetuju is None
    assert pk.disetujui_oleh.username == "admin"
    assert pk.indikator.count() == 5


def test_kabid_pk_runs_to_the_kepala(demo_instansi):
    unit = UnitKerja.objects.get(instansi=demo_instansi, kode="BMP")
    periode = Periode.objects.get(instansi=demo_instansi)
    with pytest.raises(PermissionDenied):
        services.create_perjanjian(unit, periode, user(PELAKSANA))
    pk = services.create_perjanjian(unit, periode, user(KABID_MP))
    assert pk.penyetuju.nip == KEPALA and pk.pegawai.nip == KABID_MP
    ss = services.save_sasaran(
        unit,
        user(KABID_MP),
        tahun=2026,
        perspektif="proses_bisnis",
        kode="SS-MP1",
        nama="Meningkatnya mutasi berbasis kompetensi",
    )
    with pytest.raises(ValidationError) as exc:
        services.save_manual(
            unit,
            user(KABID_MP),
            tahun=2026,
            sasaran=ss,
            kode="IKU-MP1",
            nama="Jumlah kajian",
            satuan="kajian",
            konsolidasi="sum",
            target_tahun=Decimal(12),
            target_periode={1: 3, 2: 3, 3: 3, 4: 2},
        )
    assert "jumlah target periode" in exc.value.message_dict["target_tahun"][0]
    manual = services.save_manual(
        unit,
        user(KABID_MP),
        tahun=2026,
        sasaran=ss,
        kode="IKU-MP1",
        nama="Jumlah kajian",
        satuan="kajian",
        konsolidasi="sum",
        target_tahun=Decimal(12),
        target_periode={1: 3, 2: 3, 3: 3, 4: 3},
    )
    with pytest.raises(ValidationError, match="belum berisi"):
        services.run_perjanjian(pk, user(KABID_MP), Aksi.AJUKAN)
    services.save_pk_indikator(pk, user(KABID_MP), sasaran=ss, manual=manual, target_tahun=Decimal(12))
    services.run_perjanjian(pk, user(KABID_MP), Aksi.AJUKAN)
    with pytest.raises(PermissionDenied):
        services.run_perjanjian(pk, user(KABID_PKP), Aksi.SETUJUI)
    services.run_perjanjian(pk, user(KEPALA), Aksi.KEMBALIKAN, "Tambahkan IKU anggaran bidang.")
    assert pk.status == "dikembalikan"
    services.run_perjanjian(pk, user(KABID_MP), Aksi.AJUKAN)
    services.run_perjanjian(pk, user(KEPALA), Aksi.SETUJUI)
    assert pk.status == "disetujui"
    with pytest.raises(ValidationError):
        services.save_pk_indikator(pk, user(KABID_MP), sasaran=ss, manual=manual, target_tahun=Decimal(10))


def test_sasaran_and_manual_of_another_unit_are_refused(demo_instansi):
    unit = UnitKerja.objects.get(instansi=demo_instansi, kode="BMP")
    periode = Periode.objects.get(instansi=demo_instansi)
    pk = services.create_perjanjian(unit, periode, user("admin"))
    root_pk = PerjanjianKinerja.objects.get(unit__kode="BKPSDM")
    item = root_pk.indikator.first()
    with pytest.raises(ValidationError, match="unit ini"):
        services.save_pk_indikator(
            pk, user(KABID_MP), sasaran=item.sasaran, manual=item.manual, target_tahun=Decimal(1)
        )


def test_admin_of_another_instansi_cannot_plan_here(demo_instansi, other_instansi):
    unit = UnitKerja.objects.get(instansi=demo_instansi, kode="BMP")
    with pytest.raises(PermissionDenied):
        services.save_sasaran(
            unit, user("admin-lain"), tahun=2026, perspektif="anggaran", kode="X", nama="X y z"
        )
