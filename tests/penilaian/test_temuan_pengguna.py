"""Findings of the new-user pass on the evaluation stage, each pinned by a test: ratings are decided only
after the periode ends; a capaian organisasi is frozen once a final evaluation rests on it; a write naming
an unknown periode is refused; no revision request for a group that is all final; a too-long note names
its real problem; bawahan whose SKP is not approved are named, not silently left out."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from kinerja.notifikasi.models import Notifikasi
from kinerja.organisasi.models import UnitKerja, User
from kinerja.penilaian import selectors, services
from kinerja.penilaian.kelompok import services as services_kelompok
from kinerja.penilaian.models import CapaianOrganisasiUnit
from kinerja.rules.types import Rating
from tests.penilaian.conftest import (
    BAWAHAN_KABID,
    FUNGSIONAL,
    KABID,
    KEPALA,
    isi_realisasi,
    nilai_semua,
    skp_of,
    tw,
    user_of,
)

pytestmark = pytest.mark.django_db

S = Rating.SESUAI


def klien(nip_or_user: str | User) -> Client:
    c = Client()
    c.force_login(nip_or_user if isinstance(nip_or_user, User) else user_of(nip_or_user))
    return c


@pytest.fixture
def kelompok_final(siap, demo_instansi):  # type: ignore[no-untyped-def]
    """The kabid's seven bawahan rated Baik for TW I, the bidang's capaian Baik, the group final."""
    kabid = user_of(KABID)
    for nip in BAWAHAN_KABID:
        services.set_rating(nilai_semua(siap(nip), kabid, S, S), kabid)
    skp = skp_of(KABID)
    bpkp = UnitKerja.objects.get(instansi=demo_instansi, kode="BPKP")
    services.set_capaian_organisasi(bpkp, skp.periode, tw(skp, 1), "baik", "", user_of(KEPALA))
    services_kelompok.finalise_kelompok(skp.pegawai, skp.periode, tw(skp, 1), kabid, "Kalibrasi disepakati.")
    return skp, bpkp


def test_ratings_of_a_running_periode_are_drafts_until_it_ends(demo_instansi):
    kabid = user_of(KABID)
    skp = skp_of(FUNGSIONAL)
    tw4 = tw(skp, 4)
    isi_realisasi(skp, tw4)
    ev = nilai_semua(services.open_evaluasi(skp, tw4, kabid), kabid, S, S)  # drafts are fine
    with pytest.raises(ValidationError, match="setelah periodenya berakhir"):
        services.set_rating(ev, kabid)
    html = klien(kabid).get(reverse("penilaian:evaluasi", args=[ev.pk])).content.decode()
    assert "baru dapat ditetapkan setelah periodenya berakhir (31 Desember" in html
    assert "Tetapkan rating" not in html and 'name="rating"' in html


def test_capaian_is_frozen_once_a_final_evaluation_uses_it(kelompok_final):
    skp, bpkp = kelompok_final
    with pytest.raises(ValidationError, match="tidak dapat diubah lagi"):
        services.set_capaian_organisasi(bpkp, skp.periode, tw(skp, 1), "sangat_kurang", "", user_of(KEPALA))
    assert CapaianOrganisasiUnit.objects.get(unit=bpkp, periode_penilaian=tw(skp, 1)).nilai == "baik"
    url = reverse("penilaian:capaian")
    html = klien(KEPALA).get(url, {"periode": "1"}).content.decode()
    assert "Terkunci: sudah dipakai evaluasi yang final." in html
    assert klien(KEPALA).get(url, {"periode": "2"}).content.decode().count("Terkunci") == 0


def test_a_write_naming_an_unknown_periode_is_refused(demo_instansi):
    bpkp = UnitKerja.objects.get(instansi=demo_instansi, kode="BPKP")
    r = klien(KEPALA).post(reverse("penilaian:capaian"), {"periode": "99", "unit": bpkp.pk, "nilai": "baik"})
    assert r.status_code == 404
    assert not CapaianOrganisasiUnit.objects.filter(unit=bpkp).exists()


def test_no_revision_request_for_a_group_that_is_all_final(kelompok_final):
    skp, _ = kelompok_final
    kel = selectors.kelompok(skp.pegawai, tw(skp, 1))
    with pytest.raises(ValidationError, match="sudah final"):
        services_kelompok.request_revisi(kel, user_of(KEPALA), "Tolong tinjau.", "/")
    assert not Notifikasi.objects.filter(jenis="minta_revisi").exists()


def test_a_too_long_note_says_so(siap):
    ev = siap(FUNGSIONAL)
    row = ev.rating_rhk.first()
    r = klien(KABID).post(
        reverse("penilaian:evaluasi_rhk", args=[ev.pk, row.pk]),
        {"rating": "sesuai", "catatan": "x" * 4001, "versi": ev.versi},
        HTTP_HX_REQUEST="true",
    )
    html = r.content.decode()
    assert "paling banyak 4000 karakter" in html
    assert "Pilih salah satu rating." not in html


def test_bawahan_with_an_unapproved_skp_are_named(demo_instansi):
    html = klien(KABID).get(reverse("penilaian:index") + "?periode=1").content.decode()
    bagian = html.split('id="belum-disetujui"')[1].split("</p>")[0]
    assert "Belum dapat dinilai karena SKP-nya belum disetujui" in html
    assert "Wulan" in bagian and "Dimas" in bagian and "(dikembalikan)" in bagian
