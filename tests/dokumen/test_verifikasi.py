"""The Dokumen record behind every PDF and the public verification page its QR code opens (on a small
instansi, tests/dokumen/conftest.py; what the page shows of a demo SKP stays on the demo)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from kinerja.dokumen.models import Dokumen
from kinerja.dokumen.selectors import mask_nama, mask_nip
from kinerja.perencanaan import services as rencana
from tests.dokumen.conftest import NIP, NIP_KECIL

pytestmark = pytest.mark.django_db


def _cetak(client: Client, skp) -> Dokumen:
    assert client.get(reverse("dokumen:skp_pdf", args=[skp.pk])).status_code == 200
    return Dokumen.objects.filter(jenis="skp", objek_id=skp.pk).order_by("-pk").first()


def _verifikasi(token: str):
    return Client().get(reverse("dokumen:verifikasi", args=[token]))  # anonymous: the page is public


def test_nip_is_masked_so_that_birth_date_and_cpns_year_cannot_be_read():
    assert mask_nip("198503152010012001") == "1985••••••••••2001"
    assert mask_nip("12345") == "•••45"


@pytest.mark.parametrize(
    "nama, samar",
    [
        ("Ika Puspitasari, S.Psi., M.Psi.", "Ik* P**********"),
        ("Dr. Hendra Gunawan, M.Si.", "He**** G******"),
        ("Ani", "An*"),
        ("Jo Ko", "J* K*"),
        ("Bambang Sutrisno Adi", "Ba***** S******* A**"),
        ("", ""),
    ],
)
def test_name_is_masked_without_titles(nama, samar):
    assert mask_nama(nama) == samar


def test_printing_the_same_content_again_returns_the_same_dokumen(login_kecil, skp_kecil):
    skp = skp_kecil("fungsional")
    first = _cetak(login_kecil("fungsional"), skp)
    again = _cetak(login_kecil("kabid"), skp)  # another reader, another paper: same document
    login_kecil("admin").get(reverse("dokumen:skp_pdf", args=[skp.pk]) + "?kertas=f4")
    assert first.pk == again.pk
    assert Dokumen.objects.filter(jenis="skp", objek_id=skp.pk).count() == 1
    assert len(first.token) >= 32 and first.revisi == 1 and first.status_sumber == "disetujui"
    assert first.sha256 == skp.versi.get(revisi=1).sha256  # the hash recorded at approval
    assert first.created_by.pegawai.nip == NIP_KECIL["fungsional"]


def test_changed_content_gets_a_new_dokumen(login_kecil, skp_kecil, user_kecil):
    skp = skp_kecil("draft")
    client = login_kecil("kabid")
    first = _cetak(client, skp)
    rhk = skp.rhk.first()
    rencana.save_rhk(
        skp,
        user_kecil("draft"),
        rhk,
        teks="Tersedianya data penghargaan yang mutakhir",
        intervensi=rhk.intervensi,
    )
    second = _cetak(client, skp)
    assert second.pk != first.pk
    assert second.token != first.token and second.sha256 != first.sha256


def test_fresh_approved_skp_verifies_as_valid(client_for, skp_of):
    dok = _cetak(client_for("fungsional"), skp_of("fungsional"))
    response = _verifikasi(dok.token)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dokumen ini sah" in html
    assert "Sasaran Kinerja Pegawai" in html
    assert "Ik* P**********" in html and "Ika Puspitasari" not in html
    assert "1985••••••••••2004" in html
    assert NIP["fungsional"] not in html and "19850628" not in html and "201001" not in html
    assert dok.unit_nama and f'Unit kerja</dt><dd class="col-sm-8">{dok.unit_nama}' in html
    assert "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia Kota Sukamaju" in html
    assert "disetujui pada" in html and "Januari 2026" in html
    assert dok.sha256 in html
    assert "Penata Tingkat I" not in html and "Analis SDM" not in html  # no other personal data


def test_superseded_revision_is_no_longer_valid(login_kecil, skp_kecil, user_kecil):
    skp = skp_kecil("fungsional")
    dok = _cetak(login_kecil("fungsional"), skp)
    rencana.submit_perubahan_skp(skp, user_kecil("fungsional"))
    html = _verifikasi(dok.token).content.decode()
    assert "Dokumen ini sudah tidak berlaku" in html
    assert "revisi yang lebih baru" in html and "revisi 2" in html
    assert "Dokumen ini sah" not in html


def test_draft_document_says_it_is_a_draft_then_outdated_when_edited(login_kecil, skp_kecil, user_kecil):
    skp = skp_kecil("draft")
    dok = _cetak(login_kecil("kabid"), skp)
    html = _verifikasi(dok.token).content.decode()
    assert "Dokumen ini masih draf" in html and "belum disetujui" in html
    rhk = skp.rhk.first()
    rencana.save_rhk(
        skp,
        user_kecil("draft"),
        rhk,
        teks="Tersedianya data penghargaan yang mutakhir",
        intervensi=rhk.intervensi,
    )
    html = _verifikasi(dok.token).content.decode()
    assert "Dokumen ini sudah tidak berlaku" in html and "telah berubah" in html


def test_draft_printed_before_approval_points_to_the_approved_print(login_kecil, skp_kecil, user_kecil):
    skp = skp_kecil("draft")
    dok = _cetak(login_kecil("kabid"), skp)
    rencana.submit_skp(skp, user_kecil("draft"))
    rencana.approve_skp(skp, user_kecil("kabid"))
    html = _verifikasi(dok.token).content.decode()
    assert "dicetak sebelum disetujui" in html
    approved = _cetak(login_kecil("kabid"), skp)
    assert approved.pk != dok.pk and approved.sha256 == dok.sha256  # same content, now approved
    assert "Dokumen ini sah" in _verifikasi(approved.token).content.decode()


def test_unknown_token_is_a_404_page_in_bahasa_indonesia(db):
    response = _verifikasi("tidak-ada-token-seperti-ini")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Dokumen tidak ditemukan" in html
    assert 'lang="id"' in html


def test_perjanjian_kinerja_document_verifies(login_kecil, perjanjian_kecil):
    login_kecil("pelaksana").get(reverse("dokumen:pk_pdf", args=[perjanjian_kecil.pk]))
    dok = Dokumen.objects.get(jenis="perjanjian_kinerja", objek_id=perjanjian_kecil.pk)
    html = _verifikasi(dok.token).content.decode()
    assert "Perjanjian Kinerja" in html and "Dokumen ini sah" in html
    assert "He**** G******" in html and "Hendra Gunawan" not in html


def test_matriks_document_verifies_until_an_skp_changes(login_kecil, skp_kecil, user_kecil):
    skp = skp_kecil("draft")
    unit = skp.penilai_jabatan.unit  # the matriks in which the draft SKP is a column
    login_kecil("admin").get(reverse("dokumen:matriks_pdf", args=[unit.pk]))
    dok = Dokumen.objects.get(jenis="matriks", objek_id=unit.pk)
    html = _verifikasi(dok.token).content.decode()
    assert "Matriks Pembagian Peran dan Hasil" in html
    assert "Dokumen ini masih draf" in html
    assert unit.nama in html
    rhk = skp.rhk.first()
    rencana.save_rhk(
        skp,
        user_kecil("draft"),
        rhk,
        teks="Tersedianya data penghargaan yang mutakhir",
        intervensi=rhk.intervensi,
    )
    assert "Dokumen ini sudah tidak berlaku" in _verifikasi(dok.token).content.decode()


def test_a_reader_of_the_source_record_sees_the_full_identity(login_kecil, skp_kecil):
    dok = _cetak(login_kecil("fungsional"), skp_kecil("fungsional"))
    url = reverse("dokumen:verifikasi", args=[dok.token])
    for role in ("fungsional", "kabid", "admin"):  # the owner, the penilai, the admin kepegawaian
        html = login_kecil(role).get(url).content.decode()
        assert "Ika Puspitasari, S.Psi., M.Psi." in html and NIP_KECIL["fungsional"] in html, role
    html = login_kecil("pelaksana").get(url).content.decode()  # logged in, but may not read this SKP
    assert "Ika Puspitasari" not in html and NIP_KECIL["fungsional"] not in html
    assert "Ik* P**********" in html


def test_the_reason_a_document_was_replaced_is_not_public(login_kecil, skp_kecil, user_kecil):
    skp = skp_kecil("fungsional")
    lama = _cetak(login_kecil("fungsional"), skp)
    rencana.submit_perubahan_skp(skp, user_kecil("fungsional"))
    baru = _cetak(login_kecil("fungsional"), skp)
    alasan = "Sebaran predikat kelompok berubah: keberatan Ika Puspitasari dikabulkan 1 Juli 2026"
    Dokumen.objects.filter(pk=lama.pk).update(digantikan_oleh=baru, digantikan_alasan=alasan)
    html = _verifikasi(lama.token).content.decode()
    assert f"Digantikan oleh revisi {baru.revisi}" in html
    assert "keberatan" not in html.lower() and "Ika Puspitasari" not in html
    assert "digantikan oleh revisi yang lebih baru" in html
    owner = login_kecil("fungsional").get(reverse("dokumen:verifikasi", args=[lama.token])).content.decode()
    assert f"{alasan}. Dokumen ini tetap" in owner
    Dokumen.objects.filter(pk=lama.pk).update(digantikan_alasan="Isi sumbernya berubah; digantikan revisi 2.")
    owner = login_kecil("fungsional").get(reverse("dokumen:verifikasi", args=[lama.token])).content.decode()
    assert "digantikan revisi 2. Dokumen ini tetap" in owner  # one full stop
