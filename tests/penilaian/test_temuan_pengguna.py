"""Findings of the new-user pass on the evaluation stage, each pinned by a test: ratings are decided only
after the periode ends; a capaian organisasi is frozen once a final evaluation rests on it; a write naming
an unknown periode is refused; no revision request for a group that is all final; a too-long note names
its real problem; bawahan whose SKP is not approved are named, not silently left out.

Cast: `Tujuh` (tests/penilaian/conftest.py, built once for the module), the kabid's group of seven.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from kinerja.notifikasi.models import Notifikasi
from kinerja.organisasi.models import Pegawai, User
from kinerja.penilaian import selectors, services
from kinerja.penilaian.kelompok import services as services_kelompok
from kinerja.penilaian.models import CapaianOrganisasiUnit, Evaluasi
from kinerja.perencanaan import services as skp_services
from kinerja.perencanaan.models import Skp
from kinerja.rules.types import Rating
from tests import builders as b
from tests.penilaian.conftest import Tujuh, nilai_semua

pytestmark = [pytest.mark.django_db, pytest.mark.data_kecil]

S = Rating.SESUAI


def klien(pegawai_or_user: Pegawai | User) -> Client:
    return b.klien(pegawai_or_user if isinstance(pegawai_or_user, User) else pegawai_or_user.user)


@pytest.fixture
def p(tujuh: Tujuh) -> Tujuh:
    return tujuh


def skp_of(pegawai: Pegawai) -> Skp:
    return Skp.objects.select_related("periode", "pegawai").get(pegawai=pegawai)


def siap(pegawai: Pegawai) -> Evaluasi:
    """The opened TW I evaluation of ``pegawai``, with the realisasi entered."""
    skp = skp_of(pegawai)
    return b.evaluasi_dibuka(skp, b.periode_penilaian(skp.periode, 1))


@pytest.fixture
def kelompok_final(p):  # type: ignore[no-untyped-def]
    """The kabid's seven bawahan rated Baik for TW I, the bidang's capaian Baik, the group final."""
    kabid = p.kabid.user
    for skp in p.skp_bawahan():
        services.set_rating(nilai_semua(siap(skp.pegawai), kabid, S, S), kabid)
    skp = skp_of(p.kabid)
    bpkp = p.tim.bidang
    services.set_capaian_organisasi(bpkp, skp.periode, p.tim.pp(1), "baik", "", p.kepala.user)
    services_kelompok.finalise_kelompok(skp.pegawai, skp.periode, p.tim.pp(1), kabid, "Kalibrasi disepakati.")
    return skp, bpkp


def test_ratings_of_a_running_periode_are_drafts_until_it_ends(p):
    kabid = p.kabid.user
    skp = skp_of(p.fungsional)
    tw4 = p.tim.pp(4)
    b.isi_realisasi(skp, tw4)
    ev = nilai_semua(services.open_evaluasi(skp, tw4, kabid), kabid, S, S)  # drafts are fine
    with pytest.raises(ValidationError, match="setelah periodenya berakhir"):
        services.set_rating(ev, kabid)
    html = klien(kabid).get(reverse("penilaian:evaluasi", args=[ev.pk])).content.decode()
    assert "baru dapat ditetapkan setelah periodenya berakhir (31 Desember" in html
    assert "Tetapkan rating" not in html and 'name="rating"' in html


def test_capaian_is_frozen_once_a_final_evaluation_uses_it(p, kelompok_final):
    skp, bpkp = kelompok_final
    tw1 = p.tim.pp(1)
    with pytest.raises(ValidationError, match="tidak dapat diubah lagi"):
        services.set_capaian_organisasi(bpkp, skp.periode, tw1, "sangat_kurang", "", p.kepala.user)
    assert CapaianOrganisasiUnit.objects.get(unit=bpkp, periode_penilaian=tw1).nilai == "baik"
    url = reverse("penilaian:capaian")
    html = klien(p.kepala).get(url, {"periode": "1"}).content.decode()
    assert "Terkunci: sudah dipakai evaluasi yang final." in html
    assert klien(p.kepala).get(url, {"periode": "2"}).content.decode().count("Terkunci") == 0


def test_a_write_naming_an_unknown_periode_is_refused(p):
    bpkp = p.tim.bidang
    r = klien(p.kepala).post(
        reverse("penilaian:capaian"), {"periode": "99", "unit": bpkp.pk, "nilai": "baik"}
    )
    assert r.status_code == 404
    assert not CapaianOrganisasiUnit.objects.filter(unit=bpkp).exists()


def test_no_revision_request_for_a_group_that_is_all_final(p, kelompok_final):
    skp, _ = kelompok_final
    kel = selectors.kelompok(skp.pegawai, p.tim.pp(1))
    with pytest.raises(ValidationError, match="sudah final"):
        services_kelompok.request_revisi(kel, p.kepala.user, "Tolong tinjau.", "/")
    assert not Notifikasi.objects.filter(jenis="minta_revisi").exists()


def test_a_too_long_note_says_so(p):
    ev = siap(p.fungsional)
    row = ev.rating_rhk.first()
    r = klien(p.kabid).post(
        reverse("penilaian:evaluasi_rhk", args=[ev.pk, row.pk]),
        {"rating": "sesuai", "catatan": "x" * 4001, "versi": ev.versi},
        HTTP_HX_REQUEST="true",
    )
    html = r.content.decode()
    assert "paling banyak 4000 karakter" in html
    assert "Pilih salah satu rating." not in html


def _dikembalikan(pegawai: Pegawai) -> Skp:
    """An SKP submitted by ``pegawai`` and returned by the penilai."""
    skp = b.SkpFactory(pegawai=pegawai)
    baris, _ = skp_services.save_rhk(
        skp,
        pegawai.user,
        teks="Tersusunnya rekap mutasi",
        intervensi=skp_services.pilihan_intervensi(skp).first(),
    )
    skp_services.save_indikator(
        baris,
        pegawai.user,
        teks="Rekap tersedia tepat waktu",
        aspek="kuantitas",
        target_teks="Tersedia setiap periode",
        target_periode={n: "Tersedia" for n in range(1, 5)},
    )
    skp_services.submit_skp(skp, pegawai.user)
    return skp_services.return_skp(skp, b.penilai_dari(skp), "Indikatornya belum terukur.")


def test_bawahan_with_an_unapproved_skp_are_named(p):
    jabatan = p.pelaksana.penempatan.get().jabatan
    b.SkpFactory(pegawai=b.pegawai_di(jabatan, nama="Wulan Sari"))  # a draft
    assert _dikembalikan(b.pegawai_di(jabatan, nama="Dimas Pratama")).status == "dikembalikan"
    html = klien(p.kabid).get(reverse("penilaian:index") + "?periode=1").content.decode()
    bagian = html.split('id="belum-disetujui"')[1].split("</p>")[0]
    assert "Belum dapat dinilai karena SKP-nya belum disetujui" in html
    assert "Wulan" in bagian and "Dimas" in bagian and "(dikembalikan)" in bagian
