"""The annual evaluation ("Akhir"): prefilled from the periodic evaluations but never decided silently, and
one annual result for a pegawai with two SKP in the year (mutation), decided by the last SKP's penilai.
Also the rating group per unit (CONFIG) and per unit of a penilai who is Plt. elsewhere.

Cast: `Tujuh` (tests/penilaian/conftest.py, built once for the module), the kabid's group of seven; the
Kepala Bidang Mutasi takes Rahmat over. The Sekretaris acting as Plt. of another unit is the demo's story
and stays on the demo instansi.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinerja.organisasi.models import Pegawai, Penempatan, UnitKerja
from kinerja.pelaksanaan.models import Realisasi
from kinerja.penilaian import selectors, services
from kinerja.penilaian.kelompok import services as services_kelompok
from kinerja.penilaian.models import Evaluasi
from kinerja.perencanaan.models import Indikator, Rhk, Skp
from kinerja.rules.alur import Status
from kinerja.rules.types import Rating
from tests import builders as b
from tests.penilaian.conftest import SETELAH_TAHUN, Tujuh, buka, nilai_semua, skp_of, tw, user_of

pytestmark = [pytest.mark.django_db, pytest.mark.data_kecil]

D, S, B = Rating.DIATAS, Rating.SESUAI, Rating.DIBAWAH


@pytest.fixture
def p(tujuh: Tujuh) -> Tujuh:
    return tujuh


def skp_dari(pegawai: Pegawai) -> Skp:
    return Skp.objects.select_related("periode", "pegawai").filter(pegawai=pegawai).order_by("-mulai").first()  # type: ignore[return-value]


def test_annual_is_prefilled_from_the_periodic_results_and_left_to_the_penilai(p):
    kabid = p.kabid.user
    services.set_rating(nilai_semua(buka(p.fungsional, 1), kabid, S, S), kabid)
    services.set_rating(nilai_semua(buka(p.fungsional, 2), kabid, D, [D, D, D, D, S, S, S]), kabid)
    skp = skp_dari(p.fungsional)
    ev = services.open_evaluasi(skp, None, kabid)
    assert (ev.jenis, ev.periode_penilaian, ev.status) == ("tahunan", None, "draft")
    assert (ev.rating_hasil, ev.rating_perilaku, ev.predikat) == ("", "", "")  # nothing decided silently
    assert set(ev.rating_rhk.values_list("rating", flat=True)) == {"diatas"}  # from Triwulan II
    assert (
        list(ev.rating_perilaku_set.order_by("pk").values_list("rating", flat=True))
        == ["diatas"] * 4 + ["sesuai"] * 3
    )
    assert "Triwulan I Sesuai Ekspektasi; Triwulan II Diatas Ekspektasi" in ev.isian_awal_alasan
    assert "Penilai menetapkan rating tahunan" in ev.isian_awal_alasan
    assert (ev.saran_hasil, ev.saran_perilaku) == ("diatas", "diatas")
    # The penilai decides over the whole year (here: Sesuai, with a reason).
    with pytest.raises(ValidationError, match="setelah periodenya berakhir"):
        services.set_rating(ev, kabid)  # not before the year has ended
    ev = services.set_rating(
        ev, kabid, rating_hasil=S, alasan_hasil="Triwulan I hanya sesuai ekspektasi.", sekarang=SETELAH_TAHUN
    )
    assert (ev.rating_hasil, ev.predikat) == ("sesuai", "baik")
    assert services.open_evaluasi(skp, None, kabid).pk == ev.pk
    assert Evaluasi.objects.filter(pegawai=skp.pegawai, jenis="tahunan").count() == 1


def test_annual_without_periodic_results_says_so(p):
    ev = buka(p.pelaksana, None)
    assert "Belum ada evaluasi periodik yang dinilai" in ev.isian_awal_alasan
    assert not ev.rating_rhk.exclude(rating="").exists()


@pytest.fixture
def mutasi(p):  # type: ignore[no-untyped-def]
    """Rahmat moves on 1 October: his first SKP (penilai: the kabid) ends on 30 September, the second
    (penilai: the Kepala Bidang Mutasi) runs to the end of the year."""
    lama = skp_dari(p.pelaksana)
    lama.selesai = datetime.date(lama.periode.tahun, 9, 30)
    lama.save()
    bambang = p.kbmp
    jabatan_bambang = Penempatan.objects.get(pegawai=bambang, jenis="definitif").jabatan
    baru = Skp.objects.get(pk=lama.pk)
    baru.pk = None
    baru.mulai, baru.selesai = (
        datetime.date(lama.periode.tahun, 10, 1),
        datetime.date(lama.periode.tahun, 12, 31),
    )
    baru.penilai, baru.penilai_jabatan = bambang, jabatan_bambang
    baru.penilai_nama, baru.penilai_jabatan_nama = bambang.nama_lengkap, jabatan_bambang.nama
    baru.pegawai_jabatan = "Pengolah Data Mutasi"
    baru.status = Status.DISETUJUI.value
    baru.save()
    rhk = Rhk.objects.create(skp=baru, teks="Tersusunnya data usulan mutasi pegawai yang mutakhir", urutan=1)
    ind = Indikator.objects.create(rhk=rhk, teks="Data usulan mutasi", target_teks="Mutakhir")
    Realisasi.objects.create(indikator=ind, periode_penilaian=tw(baru, 4), nilai_teks="Mutakhir")
    kabid = p.kabid.user
    b.isi_realisasi(lama, tw(lama, 1))
    services.set_rating(nilai_semua(services.open_evaluasi(lama, tw(lama, 1), kabid), kabid, B, S), kabid)
    return lama, baru


def test_mutation_gives_one_annual_result_decided_by_the_last_penilai(p, mutasi):
    lama, baru = mutasi
    kabid, bambang = p.kabid.user, p.kbmp.user
    with pytest.raises(PermissionDenied):
        services.open_evaluasi(lama, None, kabid)  # the annual evaluation belongs to the last SKP's penilai
    ev = services.open_evaluasi(lama, None, bambang)
    bmp = Penempatan.objects.get(pegawai=p.kbmp).jabatan.unit
    assert ev.skp_id == baru.pk and ev.penilai == bambang.pegawai and ev.unit_kelompok == bmp
    assert list(ev.rating_rhk.values_list("rhk_id", flat=True)) == list(baru.rhk.values_list("pk", flat=True))
    ev = nilai_semua(ev, bambang, D, S)
    # Jan–Sep (Dibawah, from its last rated periodic evaluation) outweighs Oct–Dec (Diatas).
    assert ev.saran_hasil == "dibawah"
    assert "2 SKP pada tahun" in ev.saran_hasil_alasan and "Pengolah Data Mutasi" in ev.saran_hasil_alasan
    with pytest.raises(PermissionDenied):
        services.set_rating(ev, kabid, sekarang=SETELAH_TAHUN)
    ev = services.set_rating(ev, bambang, sekarang=SETELAH_TAHUN)
    assert (ev.rating_hasil, ev.predikat) == ("dibawah", "butuh_perbaikan")
    assert Evaluasi.objects.filter(pegawai=lama.pegawai, jenis="tahunan").count() == 1


def test_a_penilai_acting_as_plt_has_one_group_per_unit(siap, batas_evaluasi_terbuka):
    demo_instansi = batas_evaluasi_terbuka
    sekretaris = "197608222000122001"
    user = user_of(sekretaris)
    for nip in (
        "198103152006041002",
        "198306052010012007",
    ):  # Kasubbag Umum (SEKR), Maria Ulfa (BPK, via Plt.)
        siap(nip, 1, user)
    tw1 = tw(skp_of(sekretaris), 1)
    bpk = UnitKerja.objects.get(instansi=demo_instansi, kode="BPK")
    sekr = UnitKerja.objects.get(instansi=demo_instansi, kode="SEKR")
    kel_bpk = selectors.kelompok(user.pegawai, tw1, unit=bpk)
    kel_sekr = selectors.kelompok(user.pegawai, tw1, unit=sekr)
    assert [e.pegawai_nip for e in kel_bpk.evaluasi] == ["198306052010012007"]
    assert [e.pegawai_nip for e in kel_sekr.evaluasi] == ["198103152006041002"]
    assert len(kel_bpk.belum_dibuka) == 6 and len(kel_sekr.belum_dibuka) == 1  # the Kasubbag Perencanaan


def test_unit_mode_groups_everyone_rated_in_the_unit(p):
    """Ika is rated by a colleague of the same unit (Andi): per penilai she is a group of her own; with
    the instansi's setting "unit" she belongs with the kabid's bawahan."""
    bawahan = [s.pegawai for s in p.skp_bawahan()]  # the seven, before Ika's penilai changes
    yusuf = Pegawai.objects.get(instansi=p.tim.instansi, nama="Andi Saputra").user
    skp = skp_dari(p.fungsional)
    skp.penilai = yusuf.pegawai
    skp.penilai_jabatan = Penempatan.objects.get(pegawai=yusuf.pegawai, jenis="definitif").jabatan
    skp.save()
    b.isi_realisasi(skp, tw(skp, 1))
    services.open_evaluasi(skp, tw(skp, 1), yusuf)
    buka(p.pelaksana)
    kabid = p.kabid
    tw1 = tw(skp, 1)
    assert [e.pegawai for e in selectors.kelompok(yusuf.pegawai, tw1).evaluasi] == [p.fungsional]
    assert p.fungsional not in [e.pegawai for e in selectors.kelompok(kabid, tw1).evaluasi]
    p.tim.instansi.kelompok_distribusi = "unit"
    p.tim.instansi.save()
    tw1 = tw(skp, 1)
    kel = selectors.kelompok(kabid, tw1)
    assert kel.mode == "unit" and kel.unit == p.tim.bidang
    assert {p.fungsional, p.pelaksana} <= {e.pegawai for e in kel.evaluasi}
    assert len(kel.evaluasi) + len(kel.belum_dibuka) == 7
    # The instansi's head (no penilai) is never part of a unit group.
    buka(p.kepala)
    kepala_kel = selectors.kelompok(p.kepala, tw(skp, 1))
    assert p.kepala not in [e.pegawai for e in kepala_kel.evaluasi]
    # The head of the unit finalises the whole unit group, including the pegawai rated by Andi.
    for peg in bawahan:
        ev = buka(peg) if peg != p.fungsional else services.open_evaluasi(skp, tw1, yusuf)
        rater = yusuf if peg == p.fungsional else p.kabid.user
        services.set_rating(nilai_semua(ev, rater, S, S), rater)
    services.set_capaian_organisasi(kel.unit, tw1.periode, tw1, "istimewa", "", p.kepala.user)
    with pytest.raises(PermissionDenied):
        services_kelompok.finalise_kelompok(yusuf.pegawai, tw1.periode, tw1, yusuf)  # not his whole group
    fin = services_kelompok.finalise_kelompok(kabid, tw1.periode, tw1, p.kabid.user)
    assert fin.kelompok == "unit" and fin.jumlah_pegawai == 7 and fin.penilai is None
    assert Evaluasi.objects.get(pegawai=p.fungsional, periode_penilaian=tw1).status == "final"


def test_snapshot_follows_the_skp_until_final(p):
    kabid = p.kabid.user
    ev = nilai_semua(buka(p.fungsional), kabid, S, S)
    Skp.objects.filter(pk=ev.skp_id).update(pegawai_pangkat="Penata Tingkat I (III/d) baru")
    ev = services.set_rating(ev, kabid)
    assert ev.pegawai_pangkat == "Penata Tingkat I (III/d) baru"
    services.set_capaian_organisasi(
        p.tim.bidang, ev.periode, ev.periode_penilaian, "istimewa", "", p.kepala.user
    )
    for skp in p.skp_bawahan():
        if skp.pegawai != p.fungsional:
            services.set_rating(nilai_semua(buka(skp.pegawai), kabid, S, S), kabid)
    services_kelompok.finalise_kelompok(kabid.pegawai, ev.periode, ev.periode_penilaian, kabid)
    Skp.objects.filter(pk=ev.skp_id).update(pegawai_pangkat="Pembina (IV/a)")
    ev = services.open_evaluasi(ev.skp, ev.periode_penilaian, kabid)
    assert ev.status == "final" and ev.pegawai_pangkat == "Penata Tingkat I (III/d) baru"
