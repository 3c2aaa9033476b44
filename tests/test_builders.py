"""The test builders (tests/builders.py) make objects in states the product can produce."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from kinerja.organisasi import selectors as org
from kinerja.organisasi.models import Instansi, Pegawai, User
from kinerja.pelaksanaan.models import Realisasi
from kinerja.penilaian.models import FinalisasiKelompok
from kinerja.perencanaan.models import SkpVersi
from kinerja.tindak_lanjut.models import Keberatan
from tests import builders as b

pytestmark = pytest.mark.django_db


def test_factories_make_a_tree_and_a_placed_pegawai_with_a_login():
    unit = b.UnitKerjaFactory()
    anak = b.UnitKerjaFactory(instansi=unit.instansi, parent=unit)
    assert anak.path == f"{unit.path}{anak.pk}/" and anak.is_within(unit)
    jab = b.JabatanFactory(unit=anak)
    assert jab.instansi == unit.instansi and jab.path == f"/{jab.pk}/"
    pen = b.PenempatanFactory(jabatan=jab)
    peg = pen.pegawai
    assert peg.instansi == unit.instansi and len(peg.nip) == 18
    assert User.objects.get(pegawai=peg).username == peg.nip
    assert org.jabatan_utama(peg, datetime.date(2026, 6, 1)) == pen


def test_nips_and_codes_never_clash_with_the_demo(demo_instansi):
    pegawai = b.PegawaiFactory.create_batch(3)
    assert len({p.nip for p in pegawai}) == 3
    assert not Pegawai.objects.filter(instansi=demo_instansi, nip__in=[p.nip for p in pegawai]).exists()
    assert all(p.instansi != demo_instansi for p in pegawai)


def test_periode_comes_with_its_periode_penilaian():
    periode = b.PeriodeFactory()
    assert periode.tahun == b.TAHUN and periode.periode_penilaian.count() == 4
    assert b.periode_penilaian(periode, 1).batas_realisasi == datetime.date(2026, 4, 5)
    assert b.periode_tahun(periode.instansi) == periode


def test_atasan_dan_bawahan_is_a_penilai_chain():
    tim = b.atasan_dan_bawahan()
    rantai = org.rantai_penilai(tim.bawahan, datetime.date(2026, 6, 1))
    assert rantai.penilai.pegawai == tim.atasan and rantai.atasan_penilai.pegawai == tim.kepala
    assert org.rantai_penilai(tim.kepala, datetime.date(2026, 6, 1)).penilai is None
    assert tim.admin.admin_instansi == tim.instansi
    assert Instansi.objects.filter(pk=tim.instansi.pk).exists() and tim.pp(4).nomor == 4


def test_skp_factory_drafts_through_the_service():
    tim = b.atasan_dan_bawahan()
    skp = b.SkpFactory(pegawai=tim.bawahan)
    assert skp.status == "draft" and skp.periode == tim.periode
    assert (skp.penilai, skp.atasan_penilai) == (tim.atasan, tim.kepala)
    assert skp.perilaku.count() == 7 and skp.model == "kualitatif"


def test_rhk_and_indikator_factories_with_targets_per_periode():
    ind = b.IndikatorFactory(
        target_angka=Decimal(8), satuan="dokumen", target_periode={1: 2, 2: 2, 3: 2, 4: 2}
    )
    assert ind.rhk.skp.status == "draft"
    assert [t.target_angka for t in ind.target_periode.all()] == [2, 2, 2, 2]
    aksi = b.RencanaAksiFactory(rhk=ind.rhk)
    assert aksi.periode_penilaian.nomor == 1


def test_skp_disetujui_cascades_from_the_atasan():
    tim = b.atasan_dan_bawahan()
    kepala = b.skp_disetujui(tim.kepala)
    assert kepala.status == "disetujui" and kepala.model == "kuantitatif"
    assert kepala.disetujui_oleh == tim.admin
    atasan = b.skp_disetujui(tim.atasan)
    assert atasan.disetujui_oleh == tim.kepala.user
    assert kepala.rhk.count() == 4 and set(kepala.rhk.values_list("perspektif", flat=True)) == set(
        b.PERSPEKTIF_JPT
    )
    assert atasan.rhk.get().intervensi == kepala.rhk.order_by("urutan").first()
    bawahan = b.skp_disetujui(tim.bawahan, rhk=["Tersusunnya rekap A", "Tersusunnya rekap B"])
    assert bawahan.rhk.count() == 2 and all(r.intervensi.skp == atasan for r in bawahan.rhk.all())
    assert SkpVersi.objects.filter(skp=bawahan).count() == 1
    ind = kepala.rhk.order_by("urutan").first().indikator.get()
    assert ind.target_angka == 4 and [t.target_angka for t in ind.target_periode.all()] == [1, 1, 1, 1]


def test_realisasi_at_the_target():
    tim = b.atasan_dan_bawahan()
    skp = b.skp_disetujui(tim.kepala)
    r, *_ = realisasi = b.isi_realisasi(skp, tim.pp(2))
    assert (
        len(realisasi) == 4 and r.nilai_angka == 1 and r.nilai_teks == "" and r.diisi_oleh == tim.kepala.user
    )
    assert Realisasi.objects.filter(indikator__rhk__skp=skp).count() == 4


def test_evaluasi_final_goes_through_rating_and_the_group():
    tim = b.atasan_dan_bawahan()
    b.skp_disetujui(tim.kepala)
    b.skp_disetujui(tim.atasan)
    skp = b.skp_disetujui(tim.bawahan)
    ev = b.evaluasi_final(skp, tim.pp(1), hasil="diatas", perilaku="sesuai")
    assert ev.status == "final" and ev.predikat == "baik"
    assert (ev.rating_hasil, ev.rating_perilaku) == ("diatas", "sesuai")
    assert ev.penilai == tim.atasan and ev.final_oleh == tim.atasan.user
    fin = FinalisasiKelompok.objects.get(penilai=tim.atasan)
    assert fin.jumlah_pegawai == 1 and fin.unit_kelompok == tim.bidang


def test_keberatan_on_a_final_annual_evaluation():
    tim = b.atasan_dan_bawahan()
    b.skp_disetujui(tim.kepala)
    b.skp_disetujui(tim.atasan)
    skp = b.skp_disetujui(tim.bawahan)
    terbit = b.jam(datetime.date(2027, 1, 6))
    ev = b.evaluasi_final(skp, None, final_pada=terbit)
    assert ev.jenis == "tahunan" and ev.final_pada == terbit
    k = b.keberatan(ev)
    assert isinstance(k, Keberatan) and k.status == "diajukan"
    assert (k.penilai, k.pemutus) == (tim.atasan, tim.kepala)
    assert k.predikat_awal == ev.predikat == "baik"


# --- built once per module (`sekali`) ------------------------------------------------------------------


@pytest.fixture(scope="module")
def _tim_modul(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    with b.sekali(django_db_blocker, b.atasan_dan_bawahan) as tim:
        yield tim


@pytest.fixture
def tim_modul(_tim_modul, db):  # type: ignore[no-untyped-def]
    return _tim_modul.segar()


def test_sekali_a_test_changes_the_cast(tim_modul):
    assert tim_modul.bawahan.nama.startswith("Pegawai Uji")
    Pegawai.objects.filter(pk=tim_modul.bawahan.pk).update(nama="Diubah")
    assert tim_modul.segar().bawahan.nama == "Diubah"


def test_sekali_the_next_test_sees_the_cast_as_built(tim_modul):
    assert tim_modul.bawahan.nama.startswith("Pegawai Uji")
    assert tim_modul.segar().bawahan is not tim_modul.bawahan


# --- more: perencanaan and tindak lanjut ----------------------------------------------------------------


def test_kabid_lain_is_a_peer_of_the_atasan():
    tim = b.atasan_dan_bawahan()
    kabid = b.kabid_lain(tim, "Bidang Mutasi", nama="Bambang Sutrisno")
    rantai = org.rantai_penilai(kabid, datetime.date(2026, 6, 1))
    assert (
        rantai.penilai.pegawai == tim.kepala
        and kabid.instansi == tim.instansi
        and kabid.nama == "Bambang Sutrisno"
    )
    assert org.pimpinan_unit(kabid.penempatan.get().jabatan.unit, datetime.date(2026, 6, 1)).pegawai == kabid


def test_sasaran_dan_manual_of_a_unit():
    tim = b.atasan_dan_bawahan()
    sasaran, manual = b.sasaran_dan_manual(tim.bidang, tim.atasan.user, target=8)
    assert sasaran.unit == manual.unit == tim.bidang and manual.sasaran == sasaran
    assert manual.target_tahun == 8 and [t.target for t in manual.target_periode.all()] == [2, 2, 2, 2]


# --- more: penilaian -----------------------------------------------------------------------------------


def test_pemeran_names_the_tim_and_re_reads_its_own_people():
    from dataclasses import dataclass

    @dataclass
    class Pemeran(b.Pemeran):
        rekan: Pegawai

    tim = b.atasan_dan_bawahan()
    p = Pemeran(tim, b.pegawai_di(tim.bawahan.penempatan.get().jabatan))
    assert (p.kepala, p.kabid) == (tim.kepala, tim.atasan)
    q = p.segar()
    assert isinstance(q, Pemeran) and q.rekan == p.rekan and q.rekan is not p.rekan
    assert q.tim.bawahan == tim.bawahan and q.tim.bawahan is not tim.bawahan


def test_klien_is_logged_in_as_the_user():
    tim = b.atasan_dan_bawahan()
    assert b.klien(tim.bawahan.user).get("/").wsgi_request.user == tim.bawahan.user


# --- shared test fixtures -------------------------------------------------------------------------------

_tim_bersama, tim_bersama = b.pemeran_modul(b.atasan_dan_bawahan, "tim_bersama")
_kantor_bersama, kantor_bersama = b.pemeran_modul(lambda: {"instansi": b.InstansiFactory()}, "kantor_bersama")
_instansi_bersama, instansi_bersama = b.pemeran_modul(
    b.InstansiFactory, "instansi_bersama", modul="_instansi_modul", segarkan=b.segar
)


def test_pemeran_modul_hands_each_test_the_cast_re_read(_tim_bersama, tim_bersama):
    assert tim_bersama.bawahan == _tim_bersama.bawahan and tim_bersama.bawahan is not _tim_bersama.bawahan
    Pegawai.objects.filter(pk=tim_bersama.bawahan.pk).update(nama="Diubah")
    assert tim_bersama.segar().bawahan.nama == "Diubah"


def test_pemeran_modul_the_next_test_sees_the_cast_as_built(tim_bersama):
    assert tim_bersama.bawahan.nama.startswith("Pegawai Uji")


def test_pemeran_modul_builds_the_cast_outside_the_test_s_transaction(kantor_bersama):
    # Asked only for the test's fixture: the cast must still be there for the next test.
    assert Instansi.objects.filter(pk=kantor_bersama["instansi"].pk).exists()


def test_pemeran_modul_re_reads_each_model_of_a_dict(_kantor_bersama, kantor_bersama):
    assert kantor_bersama.keys() == {"instansi"}
    assert Instansi.objects.filter(pk=_kantor_bersama["instansi"].pk).exists()
    assert kantor_bersama["instansi"] == _kantor_bersama["instansi"]
    assert kantor_bersama["instansi"] is not _kantor_bersama["instansi"]


def test_pemeran_modul_names_the_module_fixture_and_re_reads_as_told(_instansi_modul, instansi_bersama):
    assert isinstance(instansi_bersama, Instansi) and instansi_bersama == _instansi_modul
    assert instansi_bersama is not _instansi_modul
