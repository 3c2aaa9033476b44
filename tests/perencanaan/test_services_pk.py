"""Perjanjian Kinerja, peta strategi and Manual IKU at the service level.

Cast (tests/builders.py): the kepala (top unit, no penilai) → the kabid (a bidang) → a pelaksana, and a
peer kabid of another bidang. The demo's approved PK of the kepala is the demo's story and stays on it.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinerja.perencanaan import services
from kinerja.perencanaan.models import PerjanjianKinerja
from kinerja.rules.alur import Aksi
from tests import builders as b

pytestmark = pytest.mark.django_db


@pytest.fixture
def tim() -> b.Tim:
    return b.atasan_dan_bawahan()


def test_demo_pk_of_the_kepala_is_approved_by_the_admin(demo_instansi):
    pk = PerjanjianKinerja.objects.get(unit__kode="BKPSDM")
    assert pk.status == "disetujui" and pk.penyetuju is None
    assert pk.disetujui_oleh.username == "admin"
    assert pk.indikator.count() == 5


def test_kabid_pk_runs_to_the_kepala(tim):
    unit, kabid, kepala = tim.bidang, tim.atasan.user, tim.kepala.user
    kabid_lain = b.kabid_lain(tim).user
    with pytest.raises(PermissionDenied):
        services.create_perjanjian(unit, tim.periode, tim.bawahan.user)
    pk = services.create_perjanjian(unit, tim.periode, kabid)
    assert pk.penyetuju == tim.kepala and pk.pegawai == tim.atasan
    ss = services.save_sasaran(
        unit,
        kabid,
        tahun=2026,
        perspektif="proses_bisnis",
        kode="SS-MP1",
        nama="Meningkatnya mutasi berbasis kompetensi",
    )
    with pytest.raises(ValidationError) as exc:
        services.save_manual(
            unit,
            kabid,
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
        kabid,
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
        services.run_perjanjian(pk, kabid, Aksi.AJUKAN)
    services.save_pk_indikator(pk, kabid, sasaran=ss, manual=manual, target_tahun=Decimal(12))
    services.run_perjanjian(pk, kabid, Aksi.AJUKAN)
    with pytest.raises(PermissionDenied):
        services.run_perjanjian(pk, kabid_lain, Aksi.SETUJUI)
    services.run_perjanjian(pk, kepala, Aksi.KEMBALIKAN, "Tambahkan IKU anggaran bidang.")
    assert pk.status == "dikembalikan"
    services.run_perjanjian(pk, kabid, Aksi.AJUKAN)
    services.run_perjanjian(pk, kepala, Aksi.SETUJUI)
    assert pk.status == "disetujui"
    with pytest.raises(ValidationError):
        services.save_pk_indikator(pk, kabid, sasaran=ss, manual=manual, target_tahun=Decimal(10))


def test_sasaran_and_manual_of_another_unit_are_refused(tim):
    pk = services.create_perjanjian(tim.bidang, tim.periode, tim.admin)
    sasaran, manual = b.sasaran_dan_manual(tim.unit, tim.kepala.user)  # the kepala's unit, not the bidang
    with pytest.raises(ValidationError, match="unit ini"):
        services.save_pk_indikator(
            pk, tim.atasan.user, sasaran=sasaran, manual=manual, target_tahun=Decimal(1)
        )


def test_admin_of_another_instansi_cannot_plan_here(tim):
    admin_lain = b.admin_instansi(b.InstansiFactory())
    with pytest.raises(PermissionDenied):
        services.save_sasaran(
            tim.bidang, admin_lain, tahun=2026, perspektif="anggaran", kode="X", nama="X y z"
        )
