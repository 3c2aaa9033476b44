"""Documents after a granted keberatan: the pegawai's revised document, and the documents of the other
members of the rating group and its penetapan (they show the group's distribution, which changed) are
re-issued too, the old ones superseded with the reason; the verification page says what happened. The
pemutus sees the pola distribusi the group would have before deciding. Pages answer a refusal in
Indonesian; the read API tells a syncing system when a keberatan changed a predikat.

Cast: the keberatan cast of tests/tindak_lanjut/conftest.py (`p`: kepala → kabid → Ika, Rahmat and five
more; the admin)."""

from __future__ import annotations

import pytest
from django.test import Client

from kinerja.dokumen.evaluasi import selectors as dokumen_evaluasi
from kinerja.dokumen.evaluasi import services as services_evaluasi
from kinerja.dokumen.models import Dokumen
from kinerja.penilaian.models import Evaluasi
from kinerja.rules.types import Predikat
from kinerja.tindak_lanjut.keberatan import selectors as sel
from kinerja.tindak_lanjut.keberatan import services
from tests.tindak_lanjut.keberatan_data import (
    ajukan,
    evaluasi_final,
    skp_of,
    user_of,
)

pytestmark = pytest.mark.django_db


def _terbitkan(ev: Evaluasi) -> Dokumen:
    ev = dokumen_evaluasi.evaluasi_untuk_dokumen(ev.pk)
    return services_evaluasi.issue_evaluasi(ev, dokumen_evaluasi.fill_evaluasi(ev), None)


@pytest.fixture
def kelompok(p):  # type: ignore[no-untyped-def]
    """Three of the kabid's bawahan with final annual evaluations (Ika Butuh Perbaikan) and registered
    documents."""
    evs = {
        p.ika.nip: evaluasi_final(p.ika.nip, hasil="dibawah"),
        p.pelaksana.nip: evaluasi_final(p.pelaksana.nip),
        p.bawahan_kabid[0]: evaluasi_final(p.bawahan_kabid[0]),
    }
    return evs, {nip: _terbitkan(ev) for nip, ev in evs.items()}


def _kabulkan(p, ev: Evaluasi):  # type: ignore[no-untyped-def]
    k = ajukan(ev)
    k = services.jelaskan(k, user_of(p.kabid.nip), "RHK utama di bawah target triwulan II.")
    return services.putuskan(
        k, user_of(p.kepala.nip), "dikabulkan", "Bukti dukung menunjukkan target tercapai.", "sesuai"
    )


def test_the_group_documents_are_reissued_and_stay_valid(kelompok, p):
    evs, lama = kelompok
    k = _kabulkan(p, evs[p.ika.nip])
    assert k.predikat_akhir == Predikat.BAIK.value and k.dokumen_revisi_id
    # Ika: revised, the old one superseded, the verification page says why it changed.
    ika_lama = Dokumen.objects.get(pk=lama[p.ika.nip].pk)
    assert ika_lama.digantikan_oleh_id == k.dokumen_revisi_id and "keberatan" in ika_lama.digantikan_alasan
    sah = dokumen_evaluasi.keabsahan(k.dokumen_revisi)
    # Public: that the predikat was set again and when; why (a keberatan) only for a reader of the record.
    assert sah.tingkat == "sah" and "predikatnya ditetapkan ulang pada" in sah.keterangan
    assert "keberatan" not in sah.keterangan and "atas keputusan keberatan" in sah.rinci
    # The others: their documents show the group's distribution, so they are re-issued and stay valid.
    for nip in (p.pelaksana.nip, p.bawahan_kabid[0]):
        dok_lama = Dokumen.objects.get(pk=lama[nip].pk)
        assert dok_lama.digantikan_oleh_id is not None
        assert "Sebaran predikat kelompok berubah" in dok_lama.digantikan_alasan
        assert dokumen_evaluasi.keabsahan(dok_lama.digantikan_oleh).tingkat == "sah"
        assert dok_lama.digantikan_oleh.revisi == 2


def test_registering_the_same_source_again_supersedes_the_earlier_registration(kelompok, p):
    evs, lama = kelompok
    ev = Evaluasi.objects.get(pk=evs[p.pelaksana.nip].pk)
    ev._keputusan_keberatan = True  # a change of the final record, as the keberatan decision makes
    ev.catatan = "Catatan baru"
    ev.save()
    baru = _terbitkan(ev)
    assert baru.pk != lama[p.pelaksana.nip].pk and baru.revisi == 2
    assert Dokumen.objects.get(pk=lama[p.pelaksana.nip].pk).digantikan_oleh_id == baru.pk


def test_the_pemutus_sees_the_distribution_the_group_would_have(p):
    from kinerja.penilaian import services as penilaian

    unit = p.tim.bidang
    periode = skp_of(p.ika.nip).periode
    penilaian.set_capaian_organisasi(unit, periode, None, "baik", "", user_of(p.kepala.nip))
    ev = evaluasi_final(p.ika.nip, hasil="dibawah")
    for nip in (p.pelaksana.nip, p.bawahan_kabid[0]):
        evaluasi_final(nip)
    k = services.jelaskan(ajukan(ev), user_of(p.kabid.nip), "Penjelasan.")
    # Baik needs at least one Butuh Perbaikan/Kurang: granting Ika Baik removes the only one.
    assert sel.pola_distribusi_bila_dikabulkan(k, Predikat.BAIK)
    assert sel.pola_distribusi_bila_dikabulkan(k, Predikat.BUTUH_PERBAIKAN) == []
    c = Client()
    c.force_login(user_of(p.kepala.nip))
    html = c.get(f"/tindak-lanjut/keberatan/{k.pk}/pratinjau/", {"rating_hasil": "sesuai"}).content.decode()
    assert "tidak lagi sesuai pola distribusi" in html


def test_refusals_are_pages_in_indonesian(p):
    c = Client()
    c.force_login(user_of(p.pelaksana.nip))
    r = c.get("/tindak-lanjut/rekap/")
    html = r.content.decode()
    assert r.status_code == 403 and "Akses ditolak" in html and "Kembali ke beranda" in html
    r = c.get("/api/v1/keberatan/999999")
    assert r.status_code == 404 and not r.json()["detail"].startswith("Not Found")


def test_the_read_api_says_when_a_keberatan_changed_the_predikat(kelompok, p):
    from kinerja.tindak_lanjut.siasn.ekspor import services_token

    evs, _ = kelompok
    k = _kabulkan(p, evs[p.ika.nip])
    _, token = services_token.create_token(evs[p.ika.nip].instansi, p.admin, "TPP")
    r = Client().get(
        "/api/v1/eksternal/predikat",
        {"tahun": evs[p.ika.nip].periode.tahun, "nip": p.ika.nip},
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    [row] = r.json()["items"]
    assert row["predikat"] == "baik" and row["diubah_pada"] is not None
    assert row["diubah_pada"][:10] == k.diputus_pada.isoformat()[:10]
