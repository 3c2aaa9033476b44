"""The regulation's two evaluation documents (docs/rules.md §31): the Evaluasi Kinerja Pegawai form (numbered
HASIL KERJA columns, BerAKHLAK with its panduan, no distribution chart) and the one-page Dokumen Evaluasi
Kinerja Pegawai (its own registered kind, signed by the same people, one sheet whatever the names)."""

from __future__ import annotations

from typing import Any

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from kinerja.common.pdf import render_pdf
from kinerja.dokumen.evaluasi import selectors as sumber
from kinerja.dokumen.evaluasi import services as services_evaluasi
from kinerja.dokumen.evaluasi.konteks import konteks_evaluasi
from kinerja.dokumen.models import Dokumen, PengaturanTtd
from kinerja.dokumen.ttd import pdf, pihak
from kinerja.dokumen.ttd import services as ttd_services
from kinerja.dokumen.ttd.penyedia import Kredensial
from kinerja.penilaian.models import Evaluasi
from kinerja.permissions import allowed
from kinerja.rules.ttd import Peran
from tests import builders as b
from tests.dokumen.conftest import pdf_info, pdf_text
from tests.dokumen.test_dokumen_evaluasi import IKA, NIP_IKA, _bangun, nilai_kelompok_kabid
from tests.dokumen.test_ttd_alur_skp import DASAR, SANDI, akar, ca, daftarkan_sertifikat  # noqa: F401
from tests.penilaian.conftest import buka

pytestmark = pytest.mark.django_db

_p, p = b.pemeran_modul(_bangun, "p")


def _final(p: Any) -> Evaluasi:
    return Evaluasi.objects.get(pegawai=p.ika, periode_penilaian__nomor=1)


def url_ringkas(ev: Evaluasi) -> str:
    return reverse("dokumen:evaluasi_ringkas_pdf", args=[ev.pk])


def test_the_form_has_the_numbered_columns_and_no_chart(p: Any) -> None:
    ev = _final(p)
    text = pdf_text(b.klien(p.ika.user).get(reverse("dokumen:evaluasi_pdf", args=[ev.pk])).content)
    for words in (
        "EVALUASI KINERJA PEGAWAI PERIODE: TRIWULAN I",
        "PEGAWAI YANG DINILAI",
        "PEJABAT PENILAI KINERJA",
        "CAPAIAN KINERJA ORGANISASI BAIK",
        "HASIL KERJA",
        "RHK PIMPINAN YANG DIINTERVENSI",
        "INDIKATOR KINERJA INDIVIDU",
        "REALISASI BERDASARKAN BUKTI DUKUNG",
        "UMPAN BALIK BERKELANJUTAN BERDASARKAN BUKTI DUKUNG",
        "RATING HASIL KERJA",
        "EKSPEKTASI KHUSUS PIMPINAN",
        "UMPAN BALIK BERKELANJUTAN",
        "Berorientasi Pelayanan",
        "Memahami dan memenuhi kebutuhan masyarakat.",  # a panduan perilaku line
        "RATING PERILAKU KERJA",
        "PREDIKAT KINERJA PEGAWAI",
    ):
        assert words in text, words
    letak = sumber.tata_letak(sumber.evaluasi_untuk_dokumen(ev.pk))
    n = 8 - letak.jpt - letak.kualitatif  # a kualitatif SKP has no aspek column, a JPT no intervened RHK
    assert all(f"({i})" in text for i in range(1, n + 1)) and f"({n + 1})" not in text
    # The group's chart and the system's reasoning stay on the pages and in the penetapan.
    for absent in ("Rahmat Hidayat", "pelanggaran", "7 pegawai", "Saran sistem", "Diubah dari saran"):
        assert absent not in text, absent
    assert "ATASAN PEJABAT PENILAI KINERJA" not in text  # the form names two; the one-page three


def test_every_column_of_the_kuantitatif_layout_is_numbered(p: Any) -> None:
    """A kuantitatif SKP of a non-JPT: all eight columns, the intervened RHK printed in its column."""
    ev = sumber.evaluasi_untuk_dokumen(_final(p).pk)
    isi = sumber.fill_evaluasi(ev)
    letak = sumber.TataLetak(intervensi=("Meningkatnya layanan kepegawaian bidang",) * len(isi.data["rhk"]))
    konteks = konteks_evaluasi(isi, None, "", "Kota Uji", ev.pk, instansi=ev.instansi, letak=letak)
    text = pdf_text(render_pdf(render_to_string("dokumen/evaluasi/evaluasi.html", konteks)))
    assert all(f"({i})" in text for i in range(1, 9)) and "(9)" not in text  # text runs per column
    for words in ("RHK PIMPINAN YANG DIINTERVENSI", "ASPEK", "Meningkatnya layanan kepegawaian bidang"):
        assert words in text, words
    jpt = konteks_evaluasi(isi, None, "", "", ev.pk, letak=sumber.TataLetak(jpt=True, kualitatif=True))
    assert [k for k, _, _ in jpt["kolom_hasil"]] == [
        "no",
        "rhk",
        "indikator",
        "target",
        "realisasi",
        "umpan_balik",
    ]


def test_the_one_page_document_is_registered_on_its_own_and_fits_one_page(p: Any) -> None:
    ev = _final(p)
    response = b.klien(p.ika.user).get(url_ringkas(ev))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'inline; filename="Dokumen-Evaluasi-{NIP_IKA}-2026-P1.pdf"'
    assert pdf_info(response.content)["Pages"] == "1"
    text = pdf_text(response.content)
    for words in (
        "DOKUMEN EVALUASI KINERJA PEGAWAI",
        "PERIODE: TRIWULAN I",
        "PEGAWAI YANG DINILAI",
        "PEJABAT PENILAI KINERJA",
        "ATASAN PEJABAT PENILAI KINERJA",
        "EVALUASI KINERJA",
        "CAPAIAN KINERJA ORGANISASI BAIK",
        "PREDIKAT KINERJA PEGAWAI BAIK",
        "CATATAN/REKOMENDASI",
        "Catatan: Pertahankan kualitas layanan konseling.",
        "Rekomendasi: Diikutsertakan pelatihan konselor tingkat lanjut.",
        IKA,
        "Dr. Hendra Gunawan, S.Sos., M.Si.",
        "Pejabat Penilai Kinerja,",
    ):
        assert words in text, words
    assert "HASIL KERJA" not in text and "DRAFT" not in text
    (dok,) = Dokumen.objects.filter(jenis=Dokumen.Jenis.RINGKAS, objek_id=ev.pk)
    assert f"/verifikasi/{dok.token}/" in text
    form = services_evaluasi.issue_evaluasi(ev, sumber.fill_evaluasi(ev), None)
    assert form.jenis == Dokumen.Jenis.EVALUASI and form.sha256 == dok.sha256 and form.pk != dok.pk
    assert b.klien(p.ika.user).get(url_ringkas(ev)).content == response.content  # the same record


def test_long_names_still_fit_one_page_and_annual_says_akhir(p: Any) -> None:
    # as long as the snapshot columns hold (200 characters, enforced by PostgreSQL)
    panjang = ("Penelaah Teknis Kebijakan Pengembangan Sumber Daya Manusia Aparatur Sipil Negara " * 3)[:200]
    ev = nilai_kelompok_kabid(p, [p.ika], nomor=2)[0]
    Evaluasi.objects.filter(pk=ev.pk).update(
        pegawai_nama="Raden Ajeng Kusumawardhani Puspitasari Wirjosoemarto Hadiningrat, S.Psi., M.Psi.",
        pegawai_jabatan=panjang,
        pegawai_unit=panjang,
        catatan="Pertahankan kualitas layanan konseling. " * 12,
        rekomendasi="Diikutsertakan pelatihan konselor tingkat lanjut. " * 12,
    )
    kabid = b.klien(p.kabid.user)
    content = kabid.get(url_ringkas(ev)).content
    assert pdf_info(content)["Pages"] == "1"
    text = pdf_text(content)
    assert "Hadiningrat" in text and "DRAFT" in text
    assert "Wirjosoe- marto" not in text and "Wirjosoemarto" in text  # words wrap between, never inside

    tahunan = buka(p.ika, None)
    for url in (url_ringkas(tahunan), reverse("dokumen:evaluasi_pdf", args=[tahunan.pk])):
        text = pdf_text(kabid.get(url).content)
        assert "PERIODE: AKHIR" in text and "PERIODE PENILAIAN: 1 JANUARI 2026 S.D. 31 DESEMBER 2026" in text


def test_who_may_download_the_one_page_document(p: Any) -> None:
    ev = _final(p)
    assert b.klien(p.kabid.user).get(url_ringkas(ev)).status_code == 200  # the penilai
    assert b.klien(p.rahmat.user).get(url_ringkas(ev)).status_code in (403, 404)  # a colleague
    lain = b.atasan_dan_bawahan()
    assert b.klien(lain.admin).get(url_ringkas(ev)).status_code in (403, 404)  # another instansi's admin


def test_the_evaluation_page_offers_both_documents(p: Any) -> None:
    ev = _final(p)
    html = b.klien(p.ika.user).get(reverse("penilaian:evaluasi", args=[ev.pk])).content.decode()
    assert reverse("dokumen:evaluasi_pdf", args=[ev.pk]) in html and url_ringkas(ev) in html


def test_the_one_page_document_is_signed_by_the_penilai_then_the_pegawai(p: Any, ca: Any) -> None:  # noqa: F811
    ev = _final(p)
    PengaturanTtd.objects.create(instansi_id=ev.instansi_id, penyedia="sertifikat")
    pegawai, penilai = b.segar(p.ika.user), b.segar(p.kabid.user)
    for u in (pegawai, penilai):
        daftarkan_sertifikat(ca, u)
    ev_dok = sumber.evaluasi_untuk_dokumen(ev.pk)
    dok = services_evaluasi.issue_evaluasi(ev_dok, sumber.fill_evaluasi(ev_dok), None, ringkas=True)
    assert dok.jenis == Dokumen.Jenis.RINGKAS
    assert pihak.penanda_slot(dok) == {Peran.PENILAI: penilai, Peran.PEGAWAI: pegawai}
    assert not allowed(pegawai, "dokumen.sign_dokumen", dok)
    entri = reverse("dokumen:ttd_evaluasi", args=[ev.pk]) + "?ringkas=1"
    assert b.klien(penilai).get(entri).url == reverse("dokumen:ttd", args=[dok.token])
    ttd_services.tanda_tangani(dok, penilai, Kredensial(passphrase=SANDI), DASAR)
    dok.refresh_from_db()
    dok.__dict__.pop("_tanda_tangan", None)
    ttd_services.tanda_tangani(dok, pegawai, Kredensial(passphrase=SANDI), DASAR)
    dok.refresh_from_db()
    assert dok.status_ttd == "lengkap"
    with dok.berkas.open("rb") as f:
        isi = f.read()
    hasil = pdf.periksa(isi, akar(ca))
    assert [h.field for h in hasil.tanda_tangan] == ["ttd-penilai", "ttd-pegawai"] and hasil.semua_sah
    assert pdf_info(isi)["Pages"] == "1"
    # Every download now serves the signed file.
    assert b.klien(pegawai).get(url_ringkas(ev)).content == isi
