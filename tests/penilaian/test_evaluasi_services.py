"""Evaluation services: opening with snapshots, suggestions, overrides with reasons, the realisasi gate,
the head-of-unit rule, permissions, optimistic locking, and the predikat that only the kuadran sets.

Demo cast: the kabid (head of BPKP) rates Ika (fungsional) and Rahmat (pelaksana); the kepala rates the
kabid; the Kepala Bidang Mutasi is another unit's penilai.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinerja.organisasi.models import UnitKerja, User
from kinerja.penilaian import services
from kinerja.penilaian.models import Evaluasi, RatingPerilaku, RatingRhk
from kinerja.perencanaan.models import Rhk
from kinerja.rules import kuadran
from kinerja.rules.perilaku import BERAKHLAK
from kinerja.rules.types import Predikat, Rating

from .conftest import FUNGSIONAL, KABID, KBMP, KEPALA, PELAKSANA, nilai_semua, skp_of, tw, user_of

pytestmark = pytest.mark.django_db

D, S, B = Rating.DIATAS, Rating.SESUAI, Rating.DIBAWAH


def test_opening_copies_the_snapshot_and_makes_a_row_per_rhk_and_value(siap):
    ev = siap(FUNGSIONAL)
    skp = skp_of(FUNGSIONAL)
    assert ev.status == "draft" and ev.jenis == "periodik"
    assert ev.periode_penilaian == tw(skp, 1)
    assert (ev.pegawai_nama, ev.pegawai_nip, ev.pegawai_jabatan) == (
        skp.pegawai_nama,
        skp.pegawai_nip,
        skp.pegawai_jabatan,
    )
    assert (ev.penilai_nama, ev.atasan_nama) == (skp.penilai_nama, skp.atasan_nama)
    assert ev.penilai.nip == KABID and ev.unit_kelompok.kode == "BPKP"
    assert ev.unit_dipimpin is None and ev.dasar_hasil == "rhk"
    assert RatingRhk.objects.filter(evaluasi=ev).count() == skp.rhk.count() > 0
    assert sorted(RatingPerilaku.objects.filter(evaluasi=ev).values_list("kode", flat=True)) == sorted(
        n.kode for n in BERAKHLAK
    )
    assert ev.history.first().history_user == user_of(KABID)
    again = services.buka_evaluasi(skp, tw(skp, 1), user_of(KABID))
    assert again.pk == ev.pk and Evaluasi.objects.filter(pegawai=skp.pegawai).count() == 1


def test_reopening_follows_rhk_added_or_removed_by_an_skp_revision(siap):
    kabid = user_of(KABID)
    ev = nilai_semua(siap(FUNGSIONAL), kabid, S, S)
    assert ev.saran_hasil == "sesuai"
    skp = skp_of(FUNGSIONAL)
    baru = Rhk.objects.create(skp=skp, jenis="tambahan", teks="Menjadi narasumber sosialisasi SKP", urutan=9)
    ev = services.buka_evaluasi(skp, tw(skp, 1), kabid)
    assert ev.rating_rhk.filter(rhk=baru, rating="").exists()
    assert (ev.saran_hasil, ev.saran_hasil_alasan) == (
        "",
        f"1 dari {ev.rating_rhk.count()} RHK belum dinilai.",
    )
    baru.delete()  # the rating row loses its RHK (kept readable) and is dropped on the next opening
    assert ev.rating_rhk.filter(rhk__isnull=True).count() == 1
    ev = services.buka_evaluasi(skp, tw(skp, 1), kabid)
    assert not ev.rating_rhk.filter(rhk__isnull=True).exists() and ev.saran_hasil == "sesuai"


def test_suggestion_is_applied_and_followed_while_accepted(siap):
    kabid = user_of(KABID)
    ev = siap(FUNGSIONAL)
    ev = nilai_semua(ev, kabid, S, [D, D, D, D, S, S, S])
    assert (ev.saran_hasil, ev.saran_perilaku) == ("sesuai", "diatas")
    assert "Sesuai Ekspektasi" in ev.saran_hasil_alasan
    ev = services.tetapkan_rating(ev, kabid)  # accept both suggestions
    assert (ev.rating_hasil, ev.rating_perilaku, ev.predikat) == ("sesuai", "diatas", "baik")
    assert ev.status == "dinilai" and not ev.hasil_diubah_dari_saran
    # An accepted rating follows the suggestion when the RHK ratings change.
    for row in ev.rating_rhk.all():
        ev = services.nilai_rhk(ev, row.rhk, D, "", kabid)
    assert (ev.saran_hasil, ev.rating_hasil, ev.predikat) == ("diatas", "diatas", "sangat_baik")


def test_override_needs_a_written_reason_and_is_kept(siap):
    kabid = user_of(KABID)
    ev = nilai_semua(siap(FUNGSIONAL), kabid, S, S)
    with pytest.raises(ValidationError) as exc:
        services.tetapkan_rating(ev, kabid, rating_hasil=D)
    assert "alasan_hasil" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.tetapkan_rating(ev, kabid, rating_perilaku=B, alasan_perilaku="  ")
    assert "alasan_perilaku" in exc.value.message_dict
    ev = services.tetapkan_rating(
        ev, kabid, rating_hasil=D, alasan_hasil="Menyelesaikan tugas tambahan besar."
    )
    assert ev.rating_hasil == "diatas" and ev.saran_hasil == "sesuai" and ev.hasil_diubah_dari_saran
    assert ev.alasan_ubah_hasil == "Menyelesaikan tugas tambahan besar."
    assert ev.predikat == kuadran.predikat(D, S).value
    # An override is not replaced by a later suggestion.
    row = ev.rating_rhk.first()
    ev = services.nilai_rhk(ev, row.rhk, B, "", kabid)
    assert ev.rating_hasil == "diatas"


def test_predikat_is_never_typed(siap):
    ev = nilai_semua(siap(FUNGSIONAL), user_of(KABID), S, S)
    ev = services.tetapkan_rating(ev, user_of(KABID))
    ev.predikat = Predikat.SANGAT_BAIK.value
    ev.save()
    ev.refresh_from_db()
    assert ev.predikat == "baik"
    for hasil in Rating:
        for perilaku in Rating:
            ev.rating_hasil, ev.rating_perilaku = hasil.value, perilaku.value
            ev.save()
            assert ev.predikat == kuadran.predikat(hasil, perilaku).value


def test_gate_refuses_until_every_rhk_has_realisasi_or_is_marked(demo_instansi):
    kabid = user_of(KABID)
    skp = skp_of(PELAKSANA)
    ev = services.buka_evaluasi(skp, tw(skp, 2), kabid)  # nothing entered for TW II
    ev = nilai_semua(ev, kabid, S, S)
    with pytest.raises(ValidationError) as exc:
        services.tetapkan_rating(ev, kabid)
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
        services.tandai_tanpa_realisasi(ev, rows[1].rhk, "", kabid)
    assert "alasan" in exc.value.message_dict
    for row in rows[1:-1]:
        ev = services.tandai_tanpa_realisasi(ev, row.rhk, "Kegiatan ditunda oleh pimpinan.", kabid)
    with pytest.raises(ValidationError) as exc:
        services.tetapkan_rating(ev, kabid)
    assert "1 RHK belum memiliki realisasi" in exc.value.message_dict["rating_rhk"][0]
    ev = services.tandai_tanpa_realisasi(ev, rows[-1].rhk, "Tidak ada permintaan layanan.", kabid)
    ev = services.tetapkan_rating(ev, kabid)
    assert ev.predikat == "baik"


def test_head_of_unit_rating_follows_the_capaian_of_their_unit(siap):
    kepala = user_of(KEPALA)
    ev = siap(KABID)  # the kepala opens the kabid's evaluation
    assert ev.unit_dipimpin.kode == "BPKP" and ev.dasar_hasil == "pimpinan"
    ev = nilai_semua(ev, kepala, B, S)  # RHK ratings do not decide a head's rating hasil kerja
    with pytest.raises(ValidationError) as exc:
        services.tetapkan_rating(ev, kepala)
    assert "capaian kinerja organisasi" in exc.value.message_dict["rating_hasil"][0]
    bpkp = UnitKerja.objects.get(kode="BPKP", instansi=ev.instansi)
    services.tetapkan_capaian_organisasi(bpkp, ev.periode, ev.periode_penilaian, "istimewa", "", kepala)
    ev.refresh_from_db()
    assert (ev.capaian_organisasi, ev.saran_hasil) == ("istimewa", "diatas")
    assert "memimpin unit kerja" in ev.saran_hasil_alasan
    with pytest.raises(ValidationError) as exc:
        services.tetapkan_rating(ev, kepala, rating_hasil=S, alasan_hasil="coba")
    assert "mengikuti capaian kinerja organisasi" in exc.value.message_dict["rating_hasil"][0]
    ev = services.tetapkan_rating(ev, kepala)
    assert (ev.rating_hasil, ev.predikat) == ("diatas", "baik")
    # Changing the capaian re-runs the head's (non-final) evaluation.
    services.tetapkan_capaian_organisasi(bpkp, ev.periode, ev.periode_penilaian, "kurang", "Revisi", kepala)
    ev.refresh_from_db()
    assert (ev.capaian_organisasi, ev.rating_hasil, ev.predikat) == ("kurang", "dibawah", "butuh_perbaikan")


def test_the_top_head_is_rated_by_the_admin(siap):
    admin = User.objects.get(username="admin")
    ev = siap(KEPALA)
    assert ev.penilai is None and ev.unit_dipimpin.parent is None
    ev = nilai_semua(ev, admin, S, S)
    with pytest.raises(PermissionDenied):
        services.nilai_rhk(ev, ev.rating_rhk.first().rhk, S, "", user_of(KEPALA))
    ppk = services.KeputusanPpk("Bupati Contoh", "800/3/KPTS/2026", datetime.date(2026, 4, 2))
    services.tetapkan_capaian_organisasi(
        ev.unit_dipimpin, ev.periode, ev.periode_penilaian, "baik", "", admin, ppk
    )
    ev = services.tetapkan_rating(ev, admin)
    assert (ev.rating_hasil, ev.predikat) == ("sesuai", "baik")


@pytest.mark.parametrize("who", ["pegawai", "lain_unit", "admin_lain", "atasan"])
def test_only_the_penilai_rates(siap, other_instansi, who):
    ev = siap(FUNGSIONAL)
    user = {
        "pegawai": lambda: user_of(FUNGSIONAL),
        "lain_unit": lambda: user_of(KBMP),
        "admin_lain": lambda: User.objects.get(username="admin-lain"),
        "atasan": lambda: user_of(KEPALA),
    }[who]()
    row = ev.rating_rhk.first()
    with pytest.raises(PermissionDenied):
        services.nilai_rhk(ev, row.rhk, S, "", user)
    with pytest.raises(PermissionDenied):
        services.nilai_perilaku(ev, "BP", S, "", user)
    with pytest.raises(PermissionDenied):
        services.tandai_tanpa_realisasi(ev, row.rhk, "alasan", user)
    with pytest.raises(PermissionDenied):
        services.tetapkan_rating(ev, user)
    if who != "atasan":
        with pytest.raises(PermissionDenied):
            services.buka_evaluasi(skp_of(FUNGSIONAL), tw(skp_of(FUNGSIONAL), 1), user)
    assert not ev.rating_rhk.exclude(rating="").exists()


def test_atasan_adjusts_with_a_reason_audited(siap):
    kabid, kepala = user_of(KABID), user_of(KEPALA)
    ev = services.tetapkan_rating(nilai_semua(siap(FUNGSIONAL), kabid, S, S), kabid)
    with pytest.raises(ValidationError) as exc:
        services.sesuaikan_oleh_atasan(ev, kepala, "", rating_hasil=B)
    assert "alasan" in str(exc.value)
    with pytest.raises(PermissionDenied):
        services.sesuaikan_oleh_atasan(ev, kabid, "Kalibrasi", rating_hasil=B)
    ev = services.sesuaikan_oleh_atasan(ev, kepala, "Kalibrasi pola distribusi unit.", rating_hasil=B)
    assert (ev.rating_hasil, ev.predikat) == ("dibawah", "butuh_perbaikan")
    assert ev.alasan_ubah_hasil == "Disesuaikan atasan pejabat penilai: Kalibrasi pola distribusi unit."
    assert ev.history.first().history_user == kepala


def test_stale_version_is_refused(siap):
    kabid = user_of(KABID)
    ev = siap(FUNGSIONAL)
    lama = ev.versi
    row = ev.rating_rhk.first()
    services.nilai_rhk(ev, row.rhk, S, "", kabid, versi=lama)
    with pytest.raises(ValidationError) as exc:
        services.nilai_rhk(ev, row.rhk, D, "", kabid, versi=lama)
    assert exc.value.code == "konflik"
    row.refresh_from_db()
    assert row.rating == "sesuai"


def test_unknown_rating_names_the_field(siap):
    ev = siap(FUNGSIONAL)
    with pytest.raises(ValidationError) as exc:
        services.nilai_rhk(ev, ev.rating_rhk.first().rhk, "luar_biasa", "", user_of(KABID))
    assert "rating" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.nilai_perilaku(ev, "XX", S, "", user_of(KABID))
    assert "kode" in exc.value.message_dict
    other = skp_of(PELAKSANA).rhk.first()
    with pytest.raises(ValidationError) as exc:
        services.nilai_rhk(ev, other, S, "", user_of(KABID))
    assert "rhk" in exc.value.message_dict


def test_only_approved_skp_are_evaluated(demo_instansi):
    skp = skp_of("199406222019032009")  # Wulan: draft
    with pytest.raises(ValidationError):
        services.buka_evaluasi(skp, tw(skp, 1), user_of(KABID))
    assert not Evaluasi.objects.filter(skp=skp).exists()
