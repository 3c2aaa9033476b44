"""The penetapan predikat as a Keputusan of the head of the unit (docs/rules.md §31): title with its nomor
(a blank line until set), Menimbang, Mengingat (the dasar), MEMUTUSKAN, KESATU/KEDUA, "Ditetapkan di", the
kop; the nomor set by the penetap or the admin and immutable once the document is signed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from kinerja.dokumen.models import Dokumen, PengaturanTtd
from kinerja.dokumen.ttd import pdf
from kinerja.penilaian.models import Evaluasi
from tests import builders as b
from tests.dokumen.conftest import pdf_text
from tests.dokumen.test_dokumen_evaluasi import _bangun, url_penetapan
from tests.dokumen.test_ttd_alur_skp import SANDI, akar, ca, daftarkan_sertifikat  # noqa: F401

pytestmark = pytest.mark.django_db

_p, p = b.pemeran_modul(_bangun, "p")


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _ev(p: Any) -> Evaluasi:
    return Evaluasi.objects.get(pegawai=p.ika, periode_penilaian__nomor=1)


def _nomor(client: Any, dok: Dokumen, nomor: str) -> Any:
    return client.post(reverse("dokumen:ttd_nomor", args=[dok.token]), {"nomor": nomor})


def test_penetapan_reads_as_a_keputusan_with_its_dasar(p: Any) -> None:
    ev = _ev(p)
    instansi = ev.instansi
    instansi.kota, instansi.nama_induk = "Sukamaju", "Pemerintah Kota Sukamaju"
    instansi.save()
    text = pdf_text(b.klien(p.kabid.user).get(url_penetapan(ev)).content)
    bidang = p.tim.bidang.nama
    for words in (
        "PEMERINTAH KOTA SUKAMAJU",  # the kop
        instansi.nama.upper(),
        f"KEPUTUSAN KEPALA {bidang.upper()}",
        "NOMOR ……/……/……",  # no nomor yet
        "TENTANG",
        f"PENETAPAN PREDIKAT KINERJA PEGAWAI {bidang.upper()}",
        "Menimbang",
        "Mengingat",
        "Undang-Undang Nomor 20 Tahun 2023 tentang Aparatur Sipil Negara",
        "Peraturan Pemerintah Nomor 30 Tahun 2019",
        "Nomor 6 Tahun 2022",
        "MEMUTUSKAN:",
        "Menetapkan",
        "KESATU",
        "KEDUA",
        "Lampiran yang merupakan bagian tidak terpisahkan",
        "Ditetapkan di Sukamaju",
        "pada tanggal",
        "LAMPIRAN",
        "Daftar predikat kinerja pegawai".upper(),
        "Ratna Sari Dewi, S.Psi., M.Psi.",
    ):
        assert words in text, words
    assert text.index("MEMUTUSKAN") < text.index("Ditetapkan di") < text.index("LAMPIRAN KEPUTUSAN")


def test_the_dasar_list_is_configurable(p: Any, settings: Any) -> None:
    settings.KINERJA_DASAR_PENETAPAN = ["Peraturan Wali Kota Sukamaju Nomor 9 Tahun 2025 tentang Kinerja"]
    text = pdf_text(b.klien(p.kabid.user).get(url_penetapan(_ev(p))).content)
    assert "Peraturan Wali Kota Sukamaju Nomor 9 Tahun 2025" in text
    assert "Undang-Undang Nomor 20 Tahun 2023" not in text


def test_penetap_and_admin_set_the_nomor_others_may_not(
    p: Any, admin_lain: Any, django_assert_max_num_queries: Any
) -> None:
    ev = _ev(p)
    kabid = b.klien(p.kabid.user)
    kabid.get(url_penetapan(ev))
    (dok,) = Dokumen.objects.filter(jenis=Dokumen.Jenis.PENETAPAN)
    assert _nomor(b.klien(p.ika.user), dok, "1/2/3").status_code == 403
    assert _nomor(admin_lain, dok, "1/2/3").status_code == 403
    kabid.get(reverse("dokumen:ttd", args=[dok.token]))  # warm the caches
    # 17 before the nomor form too: the read check rebuilds the group (dokumen.view_identitas); the form's
    # permission reuses the signing slots already loaded and adds no query.
    with django_assert_max_num_queries(17):
        halaman = kabid.get(reverse("dokumen:ttd", args=[dok.token])).content.decode()
    assert 'id="nomor-keputusan"' in halaman and "Simpan nomor" in halaman
    assert _nomor(kabid, dok, "  ").status_code == 302
    dok.refresh_from_db()
    assert dok.nomor == ""  # blank refused ("Nomor keputusan wajib diisi.")
    assert _nomor(kabid, dok, " 800/12/ BKPSDM/2026 ").status_code == 302
    dok.refresh_from_db()
    assert dok.nomor == "800/12/ BKPSDM/2026" and dok.nomor_oleh == p.kabid.user and dok.nomor_pada
    text = pdf_text(kabid.get(url_penetapan(ev)).content)  # the cached PDF is not served with the old nomor
    assert "NOMOR 800/12/ BKPSDM/2026" in text and "……/……/……" not in text
    assert _nomor(b.klien(p.tim.admin), dok, "800/13/BKPSDM/2026").status_code == 302
    dok.refresh_from_db()
    assert dok.nomor == "800/13/BKPSDM/2026"


def test_signing_keeps_its_box_and_freezes_the_nomor(p: Any, ca: Any) -> None:  # noqa: F811
    ev = _ev(p)
    kabid_user = b.segar(p.kabid.user)
    kabid = b.klien(kabid_user)
    PengaturanTtd.objects.create(instansi_id=ev.instansi_id, penyedia="sertifikat")
    daftarkan_sertifikat(ca, kabid_user)
    halaman = kabid.get(url_penetapan(ev, "dokumen:ttd_penetapan"))["Location"]
    (dok,) = Dokumen.objects.filter(jenis=Dokumen.Jenis.PENETAPAN)
    assert _nomor(kabid, dok, "800/20/BKPSDM/2026").status_code == 302
    assert kabid.post(halaman, {"passphrase": SANDI}).status_code in (200, 302)
    dok.refresh_from_db()
    assert dok.status_ttd == "lengkap" and "ttd-penetap" in dok.kotak_ttd
    with dok.berkas.open("rb") as f:
        signed = f.read()
    hasil = pdf.periksa(signed, akar(ca))
    assert [h.field for h in hasil.tanda_tangan] == ["ttd-penetap"] and hasil.semua_sah
    assert "NOMOR 800/20/BKPSDM/2026" in pdf_text(signed)
    # Signed: the nomor never changes, for the penetap or the admin.
    assert _nomor(kabid, dok, "800/21/BKPSDM/2026").status_code == 403
    assert _nomor(b.klien(p.tim.admin), dok, "800/21/BKPSDM/2026").status_code == 403
    dok.refresh_from_db()
    assert dok.nomor == "800/20/BKPSDM/2026"
    assert "Simpan nomor" not in kabid.get(halaman).content.decode()
