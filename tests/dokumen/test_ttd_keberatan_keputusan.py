"""The keberatan decision as an issued document (docs/rules.md §29.7): its content for both decisions, the
PDF with one signature box for the pemutus (`ttd-atasan`), who may download it, nothing before the
decision, the same content issuing the same Dokumen, and the verification page.

Cast: the keberatan cast of tests/tindak_lanjut/conftest.py (kepala → kabid → Ika, Rahmat, …; the admin):
Ika objects to her predikat, the kabid explains, the kepala (atasan pejabat penilai) decides."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kinerja.common.pdf import _layout
from kinerja.dokumen.keputusan import selectors, services
from kinerja.dokumen.keputusan.cetak import html_keputusan
from kinerja.dokumen.models import FINAL, Dokumen
from kinerja.dokumen.selectors import keabsahan
from kinerja.dokumen.ttd.pdf import kotak_tanda_tangan
from kinerja.perencanaan.selectors import hash_data
from kinerja.rules.keberatan import Status
from kinerja.rules.types import Predikat
from kinerja.tindak_lanjut.keberatan import services as keberatan
from kinerja.tindak_lanjut.models import Keberatan
from tests import builders as b
from tests.dokumen.conftest import pdf_text
from tests.tindak_lanjut.conftest import _bangun
from tests.tindak_lanjut.keberatan_data import ajukan, evaluasi_final, user_of

pytestmark = pytest.mark.django_db

_pemeran, p = b.pemeran_modul(_bangun, "p")

ALASAN = "Capaian RHK saya melebihi target."
PENJELASAN = "RHK utama di bawah target triwulan II."
PERTIMBANGAN = "Bukti dukung menunjukkan target tercapai."


def _diajukan(p) -> Keberatan:  # type: ignore[no-untyped-def]
    k = ajukan(evaluasi_final(p.ika.nip, hasil="dibawah"), ALASAN)
    return keberatan.jelaskan(k, user_of(p.kabid.nip), PENJELASAN)


def _putus(p, keputusan: str) -> Keberatan:  # type: ignore[no-untyped-def]
    k = _diajukan(p)
    hasil = "sesuai" if keputusan == Status.DIKABULKAN.value else None
    k = keberatan.putuskan(k, user_of(p.kepala.nip), keputusan, PERTIMBANGAN, hasil)
    return selectors.keberatan_untuk_dokumen(k.pk)


def _url(k: Keberatan) -> str:
    return reverse("dokumen:keputusan_keberatan_pdf", args=[k.pk])


def test_content_of_a_refused_decision(p):
    k = _putus(p, Status.DITOLAK.value)
    isi = selectors.fill_keputusan(k)
    d = isi.data
    assert isi.sha256 == hash_data(d) and isi.status == FINAL and isi.disetujui_pada == k.diputus_pada
    assert d["keputusan"] == "ditolak" and d["baru"] == {}
    assert d["pegawai"]["nama"] == k.evaluasi.pegawai_nama and d["pegawai"]["nip"] == p.ika.nip
    assert d["pegawai"]["jabatan"] and d["pegawai"]["unit"]
    assert d["awal"] == {
        "rating_hasil": "dibawah",
        "rating_perilaku": "sesuai",
        "predikat": Predikat.BUTUH_PERBAIKAN.value,
    }
    assert (d["alasan"], d["penjelasan"], d["pertimbangan"]) == (ALASAN, PENJELASAN, PERTIMBANGAN)
    assert d["diajukan_pada"] and d["dijelaskan_pada"] and d["diputus_pada"]
    assert d["penilai"]["nip"] == p.kabid.nip
    assert d["pemutus"]["nip"] == p.kepala.nip and d["pemutus"]["nama"] == p.kepala.nama_lengkap
    assert d["pemutus"]["jabatan"] and d["pemutus"]["sebagai"] == "Atasan Pejabat Penilai Kinerja"
    assert selectors.pengguna_pemutus(k) == user_of(p.kepala.nip)


def test_content_of_a_granted_decision(p):
    k = _putus(p, Status.DIKABULKAN.value)
    d = selectors.fill_keputusan(k).data
    assert d["keputusan"] == "dikabulkan"
    assert d["baru"] == {
        "rating_hasil": "sesuai",
        "rating_perilaku": "sesuai",
        "predikat": Predikat.BAIK.value,
    }
    assert d["awal"]["predikat"] == Predikat.BUTUH_PERBAIKAN.value


def test_no_content_before_the_decision(p):
    k = selectors.keberatan_untuk_dokumen(_diajukan(p).pk)
    assert not selectors.diputus(k)
    with pytest.raises(ValueError, match="belum diputus"):
        selectors.fill_keputusan(k)


def test_the_same_content_issues_the_same_dokumen_and_it_is_valid(p):
    k = _putus(p, Status.DITOLAK.value)
    satu = services.issue_keputusan(k, selectors.fill_keputusan(k), user_of(p.kepala.nip))
    dua = services.issue_keputusan(k, selectors.fill_keputusan(k), user_of(p.ika.nip))
    assert satu.pk == dua.pk and Dokumen.objects.filter(jenis=Dokumen.Jenis.KEPUTUSAN_KEBERATAN).count() == 1
    assert (satu.jenis, satu.objek_id, satu.instansi_id) == ("keputusan_keberatan", k.pk, k.instansi_id)
    assert satu.pegawai_nip == p.ika.nip and satu.status_sumber == FINAL
    sah = keabsahan(satu)
    assert sah.tingkat == "sah" and "diputus pada" in sah.keterangan


@pytest.mark.parametrize("keputusan", [Status.DITOLAK.value, Status.DIKABULKAN.value])
def test_pdf_has_one_signature_box_for_the_pemutus(p, keputusan):
    k = _putus(p, keputusan)
    isi = selectors.fill_keputusan(k)
    dok = services.issue_keputusan(k, isi, None)
    dokumen = _layout(html_keputusan(isi, dok, "https://kinerja.test/v/x/"), "a4", False)
    kotak = kotak_tanda_tangan(dokumen)
    assert set(kotak) == {"ttd-atasan"}
    x1, y1, x2, y2 = kotak["ttd-atasan"].kotak
    assert x2 - x1 == pytest.approx(55 / 25.4 * 72, abs=1) and y2 - y1 == pytest.approx(20 / 25.4 * 72, abs=1)
    assert kotak["ttd-atasan"].halaman == len(dokumen.pages) - 1
    teks = pdf_text(dokumen.write_pdf())
    assert "KEPUTUSAN ATAS KEBERATAN PREDIKAT KINERJA PEGAWAI" in teks
    assert ("KEBERATAN DIKABULKAN" if keputusan == "dikabulkan" else "KEBERATAN DITOLAK") in teks
    assert "SETELAH KEPUTUSAN" in teks if keputusan == "dikabulkan" else "SETELAH KEPUTUSAN" not in teks
    assert PERTIMBANGAN in teks and ALASAN in teks and PENJELASAN in teks
    assert p.kepala.nama_lengkap in teks and dok.hash_pendek in teks


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("fungsional", 200),  # the pegawai
        ("kabid", 200),  # the penilai
        ("kepala", 200),  # the pemutus
        ("admin", 200),  # the instansi's admin
        ("pelaksana", 403),  # another pegawai of the instansi
        ("kbmp", 403),  # another unit's penilai
        ("admin_lain", 403),  # another instansi's admin
    ],
)
def test_who_may_download_the_decision(p, who, status, django_assert_max_num_queries):
    k = _putus(p, Status.DITOLAK.value)
    c = b.klien(p.siapa(who))
    with django_assert_max_num_queries(12):
        r = c.get(_url(k))
    assert r.status_code == status
    if status == 200:
        assert r["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF-")
        assert f"Keputusan-Keberatan-{p.ika.nip}-" in r["Content-Disposition"]
    else:
        assert not Dokumen.objects.filter(jenis=Dokumen.Jenis.KEPUTUSAN_KEBERATAN).exists()


def test_404_before_the_decision_and_the_link_only_after(p):
    k = _diajukan(p)
    c = b.klien(p.siapa("fungsional"))
    assert c.get(_url(k)).status_code == 404
    detail = reverse("tindak_lanjut:keberatan_detail", args=[k.pk])
    assert "Unduh keputusan (PDF)" not in c.get(detail).content.decode()
    keberatan.putuskan(k, user_of(p.kepala.nip), "ditolak", PERTIMBANGAN)
    halaman = c.get(detail).content.decode()
    assert "Unduh keputusan (PDF)" in halaman and _url(k) in halaman
    assert c.get(_url(k)).status_code == 200
    assert c.get(reverse("dokumen:keputusan_keberatan_pdf", args=[k.pk + 999])).status_code == 404


def test_verification_page_names_the_pegawai_only_to_a_reader(p):
    k = _putus(p, Status.DITOLAK.value)
    dok = services.issue_keputusan(k, selectors.fill_keputusan(k), None)
    url = reverse("dokumen:verifikasi", args=[dok.token])
    publik = b.klien(p.siapa("pelaksana")).get(url).content.decode()
    assert "Keputusan atas Keberatan Predikat Kinerja" in publik and p.ika.nip not in publik
    assert "Dokumen ini sah" in publik
    pegawai = b.klien(p.siapa("fungsional")).get(url).content.decode()
    assert p.ika.nip in pegawai
