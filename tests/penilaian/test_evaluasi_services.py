"""Evaluation services: opening with snapshots, suggestions, overrides with reasons, the realisasi gate,
the head-of-unit rule, permissions, optimistic locking, and the predikat that only the kuadran sets.

Cast (tests/builders.py): the kabid (head of the bidang) rates Ika (fungsional) and Rahmat (pelaksana);
the kepala rates the kabid; the Kepala Bidang Mutasi is another unit's penilai; Wulan's SKP is a draft.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinerja.organisasi.models import Pegawai, User
from kinerja.penilaian import services
from kinerja.penilaian.models import Evaluasi, RatingPerilaku, RatingRhk
from kinerja.perencanaan.models import Rhk, Skp
from kinerja.rules import kuadran
from kinerja.rules.perilaku import BERAKHLAK
from kinerja.rules.types import Predikat, Rating
from tests import builders as b
from tests.conftest import perpanjang_batas_evaluasi
from tests.penilaian.conftest import nilai_semua, tw

pytestmark = [pytest.mark.django_db, pytest.mark.data_kecil]

D, S, B = Rating.DIATAS, Rating.SESUAI, Rating.DIBAWAH


@dataclasses.dataclass
class Pemeran(b.Pemeran):
    pelaksana: Pegawai  # Rahmat: a colleague of Ika, rated by the kabid too
    wulan: Pegawai  # her SKP is a draft
    kbmp: Pegawai  # Kepala Bidang Mutasi dan Promosi: another unit's penilai

    @property
    def fungsional(self) -> Pegawai:
        return self.tim.bawahan


def _bangun() -> Pemeran:
    tim = b.atasan_dan_bawahan(jenis_bawahan="fungsional", bawahan={"nama": "Ika Pratiwi"})
    b.skp_disetujui(tim.kepala)
    b.skp_disetujui(tim.atasan, rhk=["Tersusunnya rekap predikat kinerja", "Terlaksananya penghargaan"])
    b.skp_disetujui(tim.bawahan, rhk=["Tersusunnya analisis kinerja", "Tersusunnya rekomendasi"])
    j_pelaksana = b.JabatanFactory(
        unit=tim.bidang, nama="Pengolah Data", parent=tim.atasan.penempatan.get().jabatan
    )
    pelaksana = b.pegawai_di(j_pelaksana, nama="Rahmat Hidayat")
    b.skp_disetujui(
        pelaksana, rhk=["Tersusunnya rekap surat", "Tersusunnya rekap kinerja", "Tersusunnya arsip kinerja"]
    )
    wulan = b.pegawai_di(j_pelaksana, nama="Wulan Sari")
    b.SkpFactory(pegawai=wulan)
    bidang = b.UnitKerjaFactory(instansi=tim.instansi, parent=tim.unit, nama="Bidang Mutasi")
    j_kbmp = b.JabatanFactory(
        unit=bidang,
        nama="Kepala Bidang Mutasi",
        jenis="administrator",
        parent=tim.kepala.penempatan.get().jabatan,
        pimpinan_unit=True,
    )
    kbmp = b.pegawai_di(j_kbmp)
    perpanjang_batas_evaluasi(tim.instansi)
    return Pemeran(tim, pelaksana, wulan, kbmp)


_p, p = b.pemeran_modul(_bangun, "p")


def user_of(pegawai: Pegawai) -> User:
    return User.objects.select_related("pegawai").get(pegawai=pegawai)


def skp_of(pegawai: Pegawai) -> Skp:
    return Skp.objects.select_related("periode", "pegawai").filter(pegawai=pegawai).order_by("-mulai").first()  # type: ignore[return-value]


@pytest.fixture
def siap(p) -> Callable[..., Evaluasi]:  # type: ignore[no-untyped-def]
    """siap(pegawai, nomor=1) -> the opened periodic evaluation, with the realisasi of the periode entered."""

    def buka(pegawai: Pegawai, nomor: int = 1) -> Evaluasi:
        skp = skp_of(pegawai)
        return b.evaluasi_dibuka(skp, tw(skp, nomor))

    return buka


def test_opening_copies_the_snapshot_and_makes_a_row_per_rhk_and_value(siap, p):
    ev = siap(p.fungsional)
    skp = skp_of(p.fungsional)
    assert ev.status == "draft" and ev.jenis == "periodik"
    assert ev.periode_penilaian == tw(skp, 1)
    assert (ev.pegawai_nama, ev.pegawai_nip, ev.pegawai_jabatan) == (
        skp.pegawai_nama,
        skp.pegawai_nip,
        skp.pegawai_jabatan,
    )
    assert (ev.penilai_nama, ev.atasan_nama) == (skp.penilai_nama, skp.atasan_nama)
    assert ev.penilai.nip == p.kabid.nip and ev.unit_kelompok == p.tim.bidang
    assert ev.unit_dipimpin is None and ev.dasar_hasil == "rhk"
    assert RatingRhk.objects.filter(evaluasi=ev).count() == skp.rhk.count() > 0
    assert sorted(RatingPerilaku.objects.filter(evaluasi=ev).values_list("kode", flat=True)) == sorted(
        n.kode for n in BERAKHLAK
    )
    assert ev.history.first().history_user == user_of(p.kabid)
    again = services.open_evaluasi(skp, tw(skp, 1), user_of(p.kabid))
    assert again.pk == ev.pk and Evaluasi.objects.filter(pegawai=skp.pegawai).count() == 1


def test_reopening_follows_rhk_added_or_removed_by_an_skp_revision(siap, p):
    kabid = user_of(p.kabid)
    ev = nilai_semua(siap(p.fungsional), kabid, S, S)
    assert ev.saran_hasil == "sesuai"
    skp = skp_of(p.fungsional)
    baru = Rhk.objects.create(skp=skp, jenis="tambahan", teks="Menjadi narasumber sosialisasi SKP", urutan=9)
    ev = services.open_evaluasi(skp, tw(skp, 1), kabid)
    assert ev.rating_rhk.filter(rhk=baru, rating="").exists()
    assert (ev.saran_hasil, ev.saran_hasil_alasan) == (
        "",
        f"1 dari {ev.rating_rhk.count()} RHK belum dinilai.",
    )
    baru.delete()  # the rating row loses its RHK (kept readable) and is dropped on the next opening
    assert ev.rating_rhk.filter(rhk__isnull=True).count() == 1
    ev = services.open_evaluasi(skp, tw(skp, 1), kabid)
    assert not ev.rating_rhk.filter(rhk__isnull=True).exists() and ev.saran_hasil == "sesuai"


def test_suggestion_is_applied_and_followed_while_accepted(siap, p):
    kabid = user_of(p.kabid)
    ev = siap(p.fungsional)
    ev = nilai_semua(ev, kabid, S, [D, D, D, D, S, S, S])
    assert (ev.saran_hasil, ev.saran_perilaku) == ("sesuai", "diatas")
    assert "Sesuai Ekspektasi" in ev.saran_hasil_alasan
    ev = services.set_rating(ev, kabid)  # accept both suggestions
    assert (ev.rating_hasil, ev.rating_perilaku, ev.predikat) == ("sesuai", "diatas", "baik")
    assert ev.status == "dinilai" and not ev.hasil_diubah_dari_saran
    # An accepted rating follows the suggestion when the RHK ratings change.
    for row in ev.rating_rhk.all():
        ev = services.rate_rhk(ev, row.rhk, D, "", kabid)
    assert (ev.saran_hasil, ev.rating_hasil, ev.predikat) == ("diatas", "diatas", "sangat_baik")


def test_override_needs_a_written_reason_and_is_kept(siap, p):
    kabid = user_of(p.kabid)
    ev = nilai_semua(siap(p.fungsional), kabid, S, S)
    with pytest.raises(ValidationError) as exc:
        services.set_rating(ev, kabid, rating_hasil=D)
    assert "alasan_hasil" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.set_rating(ev, kabid, rating_perilaku=B, alasan_perilaku="  ")
    assert "alasan_perilaku" in exc.value.message_dict
    ev = services.set_rating(ev, kabid, rating_hasil=D, alasan_hasil="Menyelesaikan tugas tambahan besar.")
    assert ev.rating_hasil == "diatas" and ev.saran_hasil == "sesuai" and ev.hasil_diubah_dari_saran
    assert ev.alasan_ubah_hasil == "Menyelesaikan tugas tambahan besar."
    assert ev.predikat == kuadran.predikat(D, S).value
    # An override is not replaced by a later suggestion.
    row = ev.rating_rhk.first()
    ev = services.rate_rhk(ev, row.rhk, B, "", kabid)
    assert ev.rating_hasil == "diatas"


def test_predikat_is_never_typed(siap, p):
    ev = nilai_semua(siap(p.fungsional), user_of(p.kabid), S, S)
    ev = services.set_rating(ev, user_of(p.kabid))
    ev.predikat = Predikat.SANGAT_BAIK.value
    ev.save()
    ev.refresh_from_db()
    assert ev.predikat == "baik"
    for hasil in Rating:
        for perilaku in Rating:
            ev.rating_hasil, ev.rating_perilaku = hasil.value, perilaku.value
            ev.save()
            assert ev.predikat == kuadran.predikat(hasil, perilaku).value


def test_gate_refuses_until_every_rhk_has_realisasi_or_is_marked(p):
    kabid = user_of(p.kabid)
    skp = skp_of(p.pelaksana)
    ev = services.open_evaluasi(skp, tw(skp, 2), kabid)  # nothing entered for TW II
    ev = nilai_semua(ev, kabid, S, S)
    with pytest.raises(ValidationError) as exc:
        services.set_rating(ev, kabid)
    pesan = exc.value.message_dict["rating_rhk"][0]
    rows = list(ev.rating_rhk.order_by("urutan"))
    assert f"{len(rows)} RHK belum memiliki realisasi" in pesan
    assert all(r.rhk_teks[:40] in pesan for r in rows)
    # A realisasi for the first RHK, an explicit "tidak ada realisasi" for the others.
    from kinerja.pelaksanaan.models import Realisasi

    Realisasi.objects.create(
        indikator=rows[0].rhk.indikator.first(), periode_penilaian=tw(skp, 2), nilai_teks="Ada"
    )
    with pytest.raises(ValidationError) as exc:
        services.mark_tanpa_realisasi(ev, rows[1].rhk, "", kabid)
    assert "alasan" in exc.value.message_dict
    for row in rows[1:-1]:
        ev = services.mark_tanpa_realisasi(ev, row.rhk, "Kegiatan ditunda oleh pimpinan.", kabid)
    with pytest.raises(ValidationError) as exc:
        services.set_rating(ev, kabid)
    assert "1 RHK belum memiliki realisasi" in exc.value.message_dict["rating_rhk"][0]
    ev = services.mark_tanpa_realisasi(ev, rows[-1].rhk, "Tidak ada permintaan layanan.", kabid)
    ev = services.set_rating(ev, kabid)
    assert ev.predikat == "baik"


def test_head_of_unit_rating_follows_the_capaian_of_their_unit(siap, p):
    kepala = user_of(p.kepala)
    ev = siap(p.kabid)  # the kepala opens the kabid's evaluation
    assert ev.unit_dipimpin == p.tim.bidang and ev.dasar_hasil == "pimpinan"
    ev = nilai_semua(ev, kepala, B, S)  # RHK ratings do not decide a head's rating hasil kerja
    with pytest.raises(ValidationError) as exc:
        services.set_rating(ev, kepala)
    assert "capaian kinerja organisasi" in exc.value.message_dict["rating_hasil"][0]
    bpkp = p.tim.bidang
    services.set_capaian_organisasi(bpkp, ev.periode, ev.periode_penilaian, "istimewa", "", kepala)
    ev.refresh_from_db()
    assert (ev.capaian_organisasi, ev.saran_hasil) == ("istimewa", "diatas")
    assert "memimpin unit kerja" in ev.saran_hasil_alasan
    with pytest.raises(ValidationError) as exc:
        services.set_rating(ev, kepala, rating_hasil=S, alasan_hasil="coba")
    assert "mengikuti capaian kinerja organisasi" in exc.value.message_dict["rating_hasil"][0]
    ev = services.set_rating(ev, kepala)
    assert (ev.rating_hasil, ev.predikat) == ("diatas", "baik")
    # Changing the capaian re-runs the head's (non-final) evaluation.
    services.set_capaian_organisasi(bpkp, ev.periode, ev.periode_penilaian, "kurang", "Revisi", kepala)
    ev.refresh_from_db()
    assert (ev.capaian_organisasi, ev.rating_hasil, ev.predikat) == ("kurang", "dibawah", "butuh_perbaikan")


def test_the_top_head_is_rated_by_the_admin(siap, p):
    admin = p.tim.admin
    ev = siap(p.kepala)
    assert ev.penilai is None and ev.unit_dipimpin.parent is None
    ev = nilai_semua(ev, admin, S, S)
    with pytest.raises(PermissionDenied):
        services.rate_rhk(ev, ev.rating_rhk.first().rhk, S, "", user_of(p.kepala))
    ppk = services.KeputusanPpk("Bupati Contoh", "800/3/KPTS/2026", datetime.date(2026, 4, 2))
    services.set_capaian_organisasi(
        ev.unit_dipimpin, ev.periode, ev.periode_penilaian, "baik", "", admin, ppk
    )
    ev = services.set_rating(ev, admin)
    assert (ev.rating_hasil, ev.predikat) == ("sesuai", "baik")


@pytest.mark.parametrize("who", ["pegawai", "lain_unit", "admin_lain", "atasan"])
def test_only_the_penilai_rates(siap, p, other_instansi, who):
    ev = siap(p.fungsional)
    user = {
        "pegawai": lambda: user_of(p.fungsional),
        "lain_unit": lambda: user_of(p.kbmp),
        "admin_lain": lambda: User.objects.get(username="admin-lain"),
        "atasan": lambda: user_of(p.kepala),
    }[who]()
    row = ev.rating_rhk.first()
    with pytest.raises(PermissionDenied):
        services.rate_rhk(ev, row.rhk, S, "", user)
    with pytest.raises(PermissionDenied):
        services.rate_perilaku(ev, "BP", S, "", user)
    with pytest.raises(PermissionDenied):
        services.mark_tanpa_realisasi(ev, row.rhk, "alasan", user)
    with pytest.raises(PermissionDenied):
        services.set_rating(ev, user)
    if who != "atasan":
        with pytest.raises(PermissionDenied):
            services.open_evaluasi(skp_of(p.fungsional), tw(skp_of(p.fungsional), 1), user)
    assert not ev.rating_rhk.exclude(rating="").exists()


def test_atasan_adjusts_with_a_reason_audited(siap, p):
    kabid, kepala = user_of(p.kabid), user_of(p.kepala)
    ev = services.set_rating(nilai_semua(siap(p.fungsional), kabid, S, S), kabid)
    with pytest.raises(ValidationError) as exc:
        services.adjust_by_atasan(ev, kepala, "", rating_hasil=B)
    assert "alasan" in str(exc.value)
    with pytest.raises(PermissionDenied):
        services.adjust_by_atasan(ev, kabid, "Kalibrasi", rating_hasil=B)
    ev = services.adjust_by_atasan(ev, kepala, "Kalibrasi pola distribusi unit.", rating_hasil=B)
    assert (ev.rating_hasil, ev.predikat) == ("dibawah", "butuh_perbaikan")
    assert ev.alasan_ubah_hasil == "Disesuaikan atasan pejabat penilai: Kalibrasi pola distribusi unit."
    assert ev.history.first().history_user == kepala


def test_stale_version_is_refused(siap, p):
    kabid = user_of(p.kabid)
    ev = siap(p.fungsional)
    lama = ev.versi
    row = ev.rating_rhk.first()
    services.rate_rhk(ev, row.rhk, S, "", kabid, versi=lama)
    with pytest.raises(ValidationError) as exc:
        services.rate_rhk(ev, row.rhk, D, "", kabid, versi=lama)
    assert exc.value.code == "konflik"
    row.refresh_from_db()
    assert row.rating == "sesuai"


def test_unknown_rating_names_the_field(siap, p):
    ev = siap(p.fungsional)
    with pytest.raises(ValidationError) as exc:
        services.rate_rhk(ev, ev.rating_rhk.first().rhk, "luar_biasa", "", user_of(p.kabid))
    assert "rating" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.rate_perilaku(ev, "XX", S, "", user_of(p.kabid))
    assert "kode" in exc.value.message_dict
    other = skp_of(p.pelaksana).rhk.first()
    with pytest.raises(ValidationError) as exc:
        services.rate_rhk(ev, other, S, "", user_of(p.kabid))
    assert "rhk" in exc.value.message_dict


def test_only_approved_skp_are_evaluated(p):
    skp = skp_of(p.wulan)  # Wulan: draft
    with pytest.raises(ValidationError):
        services.open_evaluasi(skp, tw(skp, 1), user_of(p.kabid))
    assert not Evaluasi.objects.filter(skp=skp).exists()
