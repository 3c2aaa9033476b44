"""SKP use cases at the service level: who may do what, the cascade link, the JPT rule, revisions.

Cast (tests/builders.py): the kepala (JPT, kuantitatif) → the kabid → the pelaksana Rahmat Hidayat, who has
no SKP yet, and two colleagues of his: one with an approved SKP (intervening the kabid's RHK), one with a
draft; another bidang (Mutasi) with its own kabid and a pelaksana jabatan. The link of the kepala's SKP to
the Perjanjian Kinerja is the demo's story and stays on the demo.
"""

import dataclasses
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinerja.organisasi import services as org_services
from kinerja.organisasi.models import Jabatan, Pegawai, Penempatan, User
from kinerja.perencanaan import services
from kinerja.perencanaan.models import Indikator, LogAlur, Rhk, Skp, SkpVersi
from kinerja.rules.jadwal import Skema
from tests import builders as b

pytestmark = pytest.mark.django_db

KEPALA_DEMO = "197205141998031003"


@dataclasses.dataclass
class Pemeran(b.Pemeran):
    kolega: Pegawai  # the pelaksana's colleague with an approved SKP
    draft: Pegawai  # the pelaksana's colleague whose SKP is a draft
    kabid_mutasi: Pegawai
    jabatan_mutasi: Jabatan  # a pelaksana jabatan in the Bidang Mutasi, nobody holds it

    @property
    def pelaksana(self) -> Pegawai:
        return self.tim.bawahan


def _bangun() -> Pemeran:
    tim = b.atasan_dan_bawahan(bawahan={"nama": "Rahmat Hidayat"})
    b.skp_disetujui(tim.kepala)
    b.skp_disetujui(tim.atasan, rhk=["Tersusunnya rekap predikat kinerja", "Terlaksananya penghargaan"])
    jabatan = tim.bawahan.penempatan.get().jabatan
    kolega = b.pegawai_di(jabatan)
    b.skp_disetujui(kolega)
    draft = b.pegawai_di(jabatan)
    b.SkpFactory(pegawai=draft)
    bidang = b.UnitKerjaFactory(instansi=tim.instansi, parent=tim.unit, nama="Bidang Mutasi")
    j_kabid = b.JabatanFactory(
        unit=bidang,
        nama="Kepala Bidang Mutasi",
        jenis="administrator",
        parent=tim.kepala.penempatan.get().jabatan,
        pimpinan_unit=True,
    )
    kabid_mutasi = b.pegawai_di(j_kabid)
    b.skp_disetujui(kabid_mutasi)
    jabatan_mutasi = b.JabatanFactory(unit=bidang, nama="Pengolah Data Mutasi", parent=j_kabid)
    return Pemeran(tim, kolega, draft, kabid_mutasi, jabatan_mutasi)


_p, p = b.pemeran_modul(_bangun, "p")


def user(pegawai: Pegawai) -> User:
    return User.objects.get(pegawai=pegawai)


def skp_of(pegawai: Pegawai) -> Skp:
    return Skp.objects.get(pegawai=pegawai)


@pytest.fixture
def fresh_skp(p):
    """The pelaksana starts the year: a new draft made on 6 January."""
    return services.create_skp(p.pelaksana, p.tim.periode, user(p.pelaksana), datetime.date(2026, 1, 6))


def kabid_rhk(p: Pemeran) -> Rhk:
    return skp_of(p.kabid).rhk.order_by("urutan").first()


def test_new_skp_snapshots_identity_and_penilai(fresh_skp, p):
    assert fresh_skp.status == "draft"
    assert fresh_skp.pegawai_nama == "Rahmat Hidayat"
    assert fresh_skp.penilai_nip == p.kabid.nip and fresh_skp.atasan_nip == p.kepala.nip
    assert fresh_skp.penilai_jabatan_nama == "Kepala Bidang Uji"
    assert fresh_skp.model == "kualitatif"
    assert fresh_skp.perilaku.count() == 7
    assert str(fresh_skp.batas) == "2026-01-31"


def test_kepala_skp_is_kuantitatif_and_linked_to_the_pk(demo_instansi):
    skp = Skp.objects.get(pegawai__nip=KEPALA_DEMO)
    assert skp.model == "kuantitatif" and skp.penilai_id is None
    assert skp.perjanjian_kinerja is not None
    assert {r.perspektif for r in skp.rhk.all()} == {
        "penerima_layanan",
        "proses_bisnis",
        "penguatan_internal",
        "anggaran",
    }


def test_only_the_owner_may_create_or_edit(fresh_skp, p):
    with pytest.raises(PermissionDenied):
        services.save_rhk(
            fresh_skp, user(p.draft), teks="Tersusunnya laporan yang bukan miliknya", intervensi=kabid_rhk(p)
        )
    with pytest.raises(PermissionDenied):
        services.save_rhk(
            fresh_skp, user(p.kabid), teks="Tersusunnya laporan oleh penilai", intervensi=kabid_rhk(p)
        )
    with pytest.raises(PermissionDenied):
        services.create_skp(p.draft, fresh_skp.periode, user(p.pelaksana))


def test_cascade_link_accepts_only_the_penilais_rhk(fresh_skp, p):
    foreign = skp_of(p.kabid_mutasi).rhk.first()  # another Kabid's RHK
    with pytest.raises(ValidationError) as exc:
        services.save_rhk(
            fresh_skp, user(p.pelaksana), teks="Tersusunnya rekap kinerja pegawai", intervensi=foreign
        )
    assert "intervensi" in exc.value.message_dict
    assert not fresh_skp.rhk.exists()
    with pytest.raises(ValidationError, match="wajib menyebut RHK pimpinan"):
        services.save_rhk(
            fresh_skp, user(p.pelaksana), teks="Tersusunnya rekap kinerja pegawai", intervensi=None
        )
    rhk, warnings = services.save_rhk(
        fresh_skp, user(p.pelaksana), teks="Tersusunnya rekap kinerja pegawai", intervensi=kabid_rhk(p)
    )
    assert rhk.intervensi == kabid_rhk(p) and warnings == []
    tambahan, _ = services.save_rhk(
        fresh_skp,
        user(p.pelaksana),
        teks="Terlaksananya tugas tambahan panitia",
        jenis="tambahan",
        intervensi=None,
    )
    assert tambahan.intervensi is None


def test_activity_wording_warns_but_saves(fresh_skp, p):
    rhk, warnings = services.save_rhk(
        fresh_skp, user(p.pelaksana), teks="Melaksanakan input data SKP pegawai", intervensi=kabid_rhk(p)
    )
    assert rhk.pk and "kata kerja aktivitas" in warnings[0]


def test_submit_needs_indikator_then_full_workflow(fresh_skp, p):
    owner, penilai = user(p.pelaksana), user(p.kabid)
    rhk, _ = services.save_rhk(
        fresh_skp, owner, teks="Tersusunnya rekap kinerja pegawai", intervensi=kabid_rhk(p)
    )
    with pytest.raises(ValidationError, match="belum memiliki indikator"):
        services.submit_skp(fresh_skp, owner)
    services.save_indikator(
        rhk,
        owner,
        teks="Rekap tersedia tiap triwulan",
        aspek="kuantitas",
        target_teks="4 rekap dalam setahun",
        target_periode={1: "1 rekap"},
    )
    with pytest.raises(PermissionDenied):
        services.submit_skp(fresh_skp, penilai)
    services.submit_skp(fresh_skp, owner)
    with pytest.raises(ValidationError):  # a submitted SKP is not editable
        services.save_rhk(fresh_skp, owner, teks="Tersusunnya hal lain yang baru", intervensi=kabid_rhk(p))
    with pytest.raises(PermissionDenied):
        services.approve_skp(fresh_skp, owner)
    with pytest.raises(ValidationError, match="wajib disertai catatan"):
        services.return_skp(fresh_skp, penilai, "  ")
    services.return_skp(fresh_skp, penilai, "Perjelas ukuran kualitas rekap.")
    assert fresh_skp.status == "dikembalikan" and fresh_skp.catatan_pengembalian.startswith("Perjelas")
    services.save_indikator(
        rhk,
        owner,
        rhk.indikator.get(),
        teks="Rekap akurat tiap triwulan",
        aspek="kualitas",
        target_teks="Rekap tanpa koreksi",
        target_periode={},
    )
    services.submit_skp(fresh_skp, owner)
    services.approve_skp(fresh_skp, penilai)
    assert fresh_skp.status == "disetujui" and fresh_skp.disetujui_oleh == penilai
    steps = list(LogAlur.objects.filter(skp=fresh_skp).order_by("pada", "pk").values_list("aksi", flat=True))
    assert steps == ["buat", "ajukan", "kembalikan", "ajukan", "setujui"]
    with pytest.raises(ValidationError, match="Ajukan perubahan"):
        services.save_rhk(fresh_skp, owner, teks="Tersusunnya hal lain yang baru", intervensi=kabid_rhk(p))


def test_change_request_opens_a_revision_and_keeps_the_approved_version(p):
    skp = b.skp_disetujui(p.pelaksana)
    owner, penilai = user(p.pelaksana), user(p.kabid)
    old_text = skp.rhk.first().teks
    services.submit_perubahan_skp(skp, owner)
    assert skp.status == "draft" and skp.revisi == 2
    rhk = skp.rhk.first()
    services.save_rhk(
        skp, owner, rhk, teks="Tersusunnya rekap predikat yang diperbarui", intervensi=rhk.intervensi
    )
    services.submit_skp(skp, owner)
    services.approve_skp(skp, penilai)
    versions = {v.revisi: v for v in SkpVersi.objects.filter(skp=skp)}
    assert set(versions) == {1, 2}
    assert versions[1].data["rhk"][0]["teks"] == old_text
    assert versions[2].data["rhk"][0]["teks"] == "Tersusunnya rekap predikat yang diperbarui"
    assert versions[1].sha256 != versions[2].sha256
    assert rhk.history.count() >= 2  # row-level audit of the change


def test_jpt_skp_must_cover_all_four_perspectives(p):
    skp = skp_of(p.kepala)
    kepala = user(p.kepala)
    services.submit_perubahan_skp(skp, kepala)
    anggaran = skp.rhk.get(perspektif="anggaran")
    services.save_rhk(
        skp,
        kepala,
        anggaran,
        teks=anggaran.teks,
        pk_indikator=anggaran.pk_indikator,
        perspektif="proses_bisnis",
    )
    with pytest.raises(ValidationError, match="belum ada: Perspektif Anggaran"):
        services.submit_skp(skp, kepala)
    services.save_rhk(
        skp, kepala, anggaran, teks=anggaran.teks, pk_indikator=anggaran.pk_indikator, perspektif="anggaran"
    )
    services.submit_skp(skp, kepala)
    with pytest.raises(PermissionDenied):  # the head of the instansi's SKP is agreed by the admin
        services.approve_skp(skp, user(p.kabid))
    services.approve_skp(skp, p.tim.admin)


def test_rhk_intervened_by_bawahan_cannot_be_deleted(p):
    skp = skp_of(p.kabid)
    services.submit_perubahan_skp(skp, user(p.kabid))
    with pytest.raises(ValidationError, match="diintervensi oleh RHK bawahan"):
        services.delete_rhk(skp.rhk.first(), user(p.kabid))


def test_quantitative_targets_are_checked_against_the_year(p):
    skp = skp_of(p.kepala)
    kepala = user(p.kepala)
    services.submit_perubahan_skp(skp, kepala)
    rhk = skp.rhk.first()
    with pytest.raises(ValidationError) as exc:
        services.save_indikator(
            rhk,
            kepala,
            teks="Jumlah layanan",
            aspek="kuantitas",
            target_angka=Decimal(100),
            satuan="layanan",
            konsolidasi="sum",
            target_periode={1: 20, 2: 20, 3: 20, 4: 20},
        )
    assert "jumlah target periode" in exc.value.message_dict["target_angka"][0]
    with pytest.raises(ValidationError) as exc:
        services.save_indikator(
            rhk,
            kepala,
            teks="Jumlah layanan",
            aspek="kuantitas",
            target_angka=Decimal(0),
            satuan="layanan",
            konsolidasi="sum",
        )
    assert "lebih dari 0" in exc.value.message_dict["target_angka"][0]
    ok = services.save_indikator(
        rhk,
        kepala,
        teks="Jumlah layanan",
        aspek="kuantitas",
        target_angka=Decimal(100),
        satuan="layanan",
        konsolidasi="sum",
        target_periode={1: 25, 2: 25, 3: 25, 4: 25},
    )
    assert [t.target_angka for t in ok.target_periode.all()] == [25, 25, 25, 25]


def test_penilai_writes_ekspektasi_and_the_library_grows(p):
    skp = skp_of(p.draft)  # the draft one
    with pytest.raises(PermissionDenied):
        services.save_ekspektasi(skp, user(p.draft), "BP", "Ramah kepada pemohon layanan")
    services.save_ekspektasi(skp, user(p.kabid), "BP", "Ramah kepada pemohon layanan", simpan_ke_pustaka=True)
    assert skp.perilaku.get(kode="BP").ekspektasi_khusus == "Ramah kepada pemohon layanan"
    from kinerja.perencanaan.models import PustakaEkspektasi

    assert PustakaEkspektasi.objects.filter(kode="BP", teks="Ramah kepada pemohon layanan").exists()


def test_mid_year_move_closes_the_old_skp_and_starts_a_new_one(p):
    peg = p.pelaksana
    old = b.skp_disetujui(peg)
    lama = Penempatan.objects.get(pegawai=peg, jenis="definitif")
    org_services.save_penempatan(lama, selesai=datetime.date(2026, 6, 30))
    baru_jabatan = p.jabatan_mutasi
    Penempatan.objects.filter(jabatan=baru_jabatan).update(selesai=datetime.date(2026, 6, 30))
    org_services.save_penempatan(
        Penempatan(pegawai=peg, jabatan=baru_jabatan), jenis="definitif", mulai=datetime.date(2026, 7, 1)
    )
    new = services.create_skp(peg, old.periode, user(peg), datetime.date(2026, 7, 3))
    old.refresh_from_db()
    # The old SKP keeps the months served in the old jabatan; the new one starts on the new TMT.
    assert (old.mulai, old.selesai) == (datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))
    assert new.mulai == datetime.date(2026, 7, 1) and new.penilai_nip == p.kabid_mutasi.nip
    assert str(new.batas) == "2026-08-01"  # one month after the new jabatan's TMT
    with pytest.raises(ValidationError, match="sudah ada"):
        services.create_skp(peg, old.periode, user(peg), datetime.date(2026, 7, 10))


def test_prefill_from_atasan_rhk(fresh_skp, p):
    n = services.fill_from_rhk_atasan(fresh_skp, user(p.pelaksana))
    assert n == skp_of(p.kabid).rhk.filter(jenis="utama").count()
    assert all(r.intervensi.skp.pegawai.nip == p.kabid.nip for r in fresh_skp.rhk.all())
    with pytest.raises(ValidationError):
        services.fill_from_rhk_atasan(fresh_skp, user(p.pelaksana))


def test_late_submission_is_allowed_but_flagged(fresh_skp, p):
    owner = user(p.pelaksana)
    rhk, _ = services.save_rhk(
        fresh_skp, owner, teks="Tersusunnya rekap kinerja pegawai", intervensi=kabid_rhk(p)
    )
    services.save_indikator(rhk, owner, teks="Rekap tersedia", aspek="kuantitas", target_teks="4 rekap")
    services.submit_skp(fresh_skp, owner)  # today (the test run) is after 31 January 2026
    assert fresh_skp.terlambat
    assert LogAlur.objects.get(skp=fresh_skp, aksi="ajukan").terlambat


def test_a_new_skp_after_a_change_of_jabatan_starts_on_the_new_jabatans_tmt(p):
    """Rahmat moves to the Bidang Mutasi on 15 August and drafts his new SKP on 2 September: the old SKP
    keeps only the months served in the old jabatan (docs/rules.md §11 "new SKP mid-year", §5)."""
    peg = p.pelaksana
    lama = b.skp_disetujui(peg)
    assert lama.mulai == datetime.date(2026, 1, 1)
    penempatan = Penempatan.objects.get(pegawai=peg, jenis="definitif")
    penempatan.selesai = datetime.date(2026, 8, 14)
    penempatan.save()
    kabid_mutasi = Penempatan.objects.get(pegawai=p.kabid_mutasi, jenis="definitif").jabatan
    jabatan = Jabatan.objects.create(
        instansi=p.tim.instansi,
        unit=kabid_mutasi.unit,
        kode="PDM-UJI",
        nama="Pengolah Data Mutasi",
        jenis="pelaksana",
        parent=kabid_mutasi,
    )
    tmt = datetime.date(2026, 8, 15)
    Penempatan.objects.create(pegawai=peg, jabatan=jabatan, jenis="definitif", mulai=tmt)
    baru = services.create_skp(peg, lama.periode, user(peg), datetime.date(2026, 9, 2))
    lama.refresh_from_db()
    assert baru.mulai == datetime.date(2026, 8, 15) and baru.jabatan == jabatan
    assert lama.selesai == datetime.date(2026, 8, 14)


def test_copying_last_years_skp_keeps_a_range_target_and_never_sums_it(p):
    """A range target copied from last year stays a range (80–90, not a plain 80), and one stored with
    "sum" before the form refused it comes over with the instansi's range consolidation (docs/rules.md §4)."""
    kepala = p.kepala
    instansi = p.tim.instansi
    lama = skp_of(kepala)
    ind = Indikator.objects.filter(rhk__skp=lama, target_angka__isnull=False).order_by("pk").first()
    Indikator.objects.filter(pk=ind.pk).update(
        target_angka=Decimal("80"), target_angka_atas=Decimal("90"), konsolidasi="sum"
    )
    periode = org_services.create_periode(instansi, 2027, Skema.TRIWULANAN)
    baru = services.create_skp(kepala, periode, user(kepala), datetime.date(2027, 1, 4))
    services.copy_from_last_year(baru, user(kepala))
    salinan = Indikator.objects.get(
        rhk__skp=baru, teks=ind.teks, urutan=ind.urutan, rhk__urutan=ind.rhk.urutan
    )
    assert (salinan.target_angka, salinan.target_angka_atas) == (Decimal("80"), Decimal("90"))
    assert salinan.konsolidasi == instansi.konsolidasi_rentang == "average"
