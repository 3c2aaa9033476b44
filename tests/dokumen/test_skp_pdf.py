"""The SKP PDF: a real PDF in the official layout (the demo's SKP), who may print it, paper sizes, revisions
(a small instansi, tests/dokumen/conftest.py)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from kinerja.dokumen.models import Dokumen
from kinerja.perencanaan import services as rencana
from kinerja.perencanaan.models import Indikator
from kinerja.rules.alur import Status
from tests.dokumen.conftest import NIP, page_size_mm, pdf_text

pytestmark = pytest.mark.django_db


def _url(skp, **query: str) -> str:
    url = reverse("dokumen:skp_pdf", args=[skp.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_kualitatif_skp_pdf_has_the_official_layout(client_for, skp_of):
    skp = skp_of("fungsional")
    response = client_for("fungsional").get(_url(skp))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="SKP-{NIP["fungsional"]}-2026-r1.pdf"'
    assert response.content.startswith(b"%PDF-")
    text = pdf_text(response.content)
    for words in (
        "SASARAN KINERJA PEGAWAI",
        "PENDEKATAN HASIL KERJA KUALITATIF",
        "BAGI PEJABAT ADMINISTRASI DAN PEJABAT FUNGSIONAL",
        "PERIODE PENILAIAN: 1 JANUARI 2026 S.D. 31 DESEMBER 2026",
        "PEGAWAI YANG DINILAI",
        "PEJABAT PENILAI KINERJA",
        "Ika Puspitasari, S.Psi., M.Psi.",
        "19850628 201001 2 004",
        "Penata Tingkat I (III/d)",
        "Ratna Sari Dewi, S.Psi., M.Psi.",
        "RENCANA HASIL KERJA PIMPINAN YANG DIINTERVENSI",
        "INDIKATOR KINERJA INDIVIDU",
        "A. UTAMA",
        "B. TAMBAHAN",
        "PERILAKU KERJA",
        "Berorientasi Pelayanan",
        "Memahami dan memenuhi kebutuhan masyarakat.",
        "EKSPEKTASI KHUSUS PIMPINAN",
        "LAMPIRAN SASARAN KINERJA PEGAWAI",
        "DUKUNGAN SUMBER DAYA",
        "SKEMA PERTANGGUNGJAWABAN",
        "KONSEKUENSI",
        "Pegawai yang Dinilai",
        "Halaman 1 dari",
    ):
        assert words in text, words
    for rhk in skp.rhk.select_related("intervensi"):
        assert " ".join(rhk.teks.split()) in text
        assert " ".join(rhk.intervensi.teks.split()) in text  # the penilai's RHK it intervenes
        for indikator in rhk.indikator.all():
            assert " ".join(indikator.teks.split()) in text
            assert " ".join(indikator.target_teks.split()) in text
    for perilaku in skp.perilaku.exclude(ekspektasi_khusus=""):
        assert " ".join(perilaku.ekspektasi_khusus.split()) in text
    for lampiran in skp.lampiran.all():
        assert " ".join(lampiran.teks.split()) in text
    assert re.search(r"Sukamaju, \d{1,2} Januari 2026", text)  # the approval date
    assert "belum disetujui" not in text
    dok = Dokumen.objects.get(jenis="skp", objek_id=skp.pk)
    assert f"/verifikasi/{dok.token}/" in text
    assert dok.sha256[:12] in text


def test_kuantitatif_skp_of_the_kepala_groups_rhk_by_perspektif(login_kecil, skp_kecil):
    text = pdf_text(login_kecil("kepala").get(_url(skp_kecil("kepala"))).content)
    assert "PENDEKATAN HASIL KERJA KUANTITATIF" in text
    assert "BAGI PEJABAT PIMPINAN TINGGI DAN PIMPINAN UNIT KERJA MANDIRI" in text
    order = [text.index(p) for p in ("Penerima Layanan", "Proses Bisnis", "Penguatan Internal", "Anggaran")]
    assert order == sorted(order)
    for indikator in Indikator.objects.filter(rhk__skp=skp_kecil("kepala")):
        assert " ".join(indikator.teks.split()) in text
        assert indikator.target_tampil in text


def test_draft_skp_carries_the_draft_banner(client_for, skp_of):
    skp = skp_of("draft")
    assert skp.status == Status.DRAFT.value
    text = pdf_text(client_for("kabid").get(_url(skp)).content)
    assert "DRAFT — belum disetujui" in text
    assert "Status: Draft" in text
    assert "Sukamaju, ……" in text  # no date before approval


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("fungsional", 200),
        ("kabid", 200),
        ("kepala", 200),
        ("admin", 200),
        ("pelaksana", 403),
        ("lain_unit", 403),
    ],
)
def test_who_may_print_an_skp(login_kecil, skp_kecil, role, status):
    assert login_kecil(role).get(_url(skp_kecil("fungsional"))).status_code == status


def test_admin_of_another_instansi_may_not_print(admin_lain, skp_kecil):
    assert admin_lain.get(_url(skp_kecil("fungsional"))).status_code == 403
    assert not Dokumen.objects.exists()


def test_anonymous_is_sent_to_login(client, skp_kecil):
    response = client.get(_url(skp_kecil("fungsional")))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_unknown_skp_is_404(login_kecil):
    assert login_kecil("admin").get(reverse("dokumen:skp_pdf", args=[999999])).status_code == 404


def test_f4_paper_is_215_by_330_mm(login_kecil, skp_kecil):
    client, skp = login_kecil("fungsional"), skp_kecil("fungsional")
    assert page_size_mm(client.get(_url(skp)).content) == (210, 297)
    assert page_size_mm(client.get(_url(skp, kertas="f4")).content) == (215, 330)
    assert page_size_mm(client.get(_url(skp, kertas="legal")).content) == (210, 297)  # unknown → A4


def test_earlier_revision_prints_the_approved_version(login_kecil, skp_kecil, user_kecil):
    skp = skp_kecil("fungsional")
    rencana.submit_perubahan_skp(skp, user_kecil("fungsional"))
    rhk = skp.rhk.order_by("pk").first()
    teks_lama = rhk.teks
    rencana.save_rhk(
        skp,
        user_kecil("fungsional"),
        rhk,
        teks="Tersedianya laporan verifikasi SKP yang baru",
        intervensi=rhk.intervensi,
    )
    client = login_kecil("fungsional")

    now = client.get(_url(skp))
    assert now["Content-Disposition"].endswith('-2026-r2.pdf"')
    assert "Tersedianya laporan verifikasi SKP yang baru" in pdf_text(now.content)

    old = client.get(_url(skp, revisi="1"))
    assert old.status_code == 200
    assert old["Content-Disposition"].endswith('-2026-r1.pdf"')
    text = pdf_text(old.content)
    assert " ".join(teks_lama.split()) in text  # what revision 1 approved
    assert "Tersedianya laporan verifikasi SKP yang baru" not in text
    assert "belum disetujui" not in text
    assert client.get(_url(skp, revisi="3")).status_code == 404
    assert client.get(_url(skp, revisi="x")).status_code == 404


def test_pdf_view_query_count_does_not_grow_with_rhk(login_kecil, skp_kecil, user_kecil):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    skp, owner = skp_kecil("draft"), user_kecil("draft")
    client = login_kecil("kabid")

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(_url(skp)).status_code == 200
        return len(ctx.captured_queries)

    before = queries()
    induk = skp.rhk.first().intervensi
    for i in range(10):
        rhk, _ = rencana.save_rhk(skp, owner, teks=f"Tersedianya rekap kinerja nomor {i}", intervensi=induk)
        for aspek in ("kuantitas", "waktu"):
            rencana.save_indikator(rhk, owner, teks=f"Rekap {i} {aspek}", aspek=aspek, target_teks="Tersedia")
    assert queries() == before


def test_repeat_download_is_served_from_the_document_cache(  # type: ignore[no-untyped-def]
    login_kecil, skp_kecil, settings, tmp_path, monkeypatch
):
    from kinerja.dokumen import views

    settings.MEDIA_ROOT = tmp_path
    skp = skp_kecil("pelaksana")
    client = login_kecil("pelaksana")
    first = client.get(f"/skp/{skp.pk}/pdf/")
    assert first.status_code == 200 and first.content.startswith(b"%PDF")
    assert list((tmp_path / "dokumen-cache").iterdir())

    def fail(*args, **kwargs):
        raise AssertionError("rendered again although cached")

    monkeypatch.setattr(views, "render_pdf", fail)
    again = client.get(f"/skp/{skp.pk}/pdf/")
    assert again.content == first.content
    monkeypatch.undo()
    f4 = client.get(f"/skp/{skp.pk}/pdf/?kertas=f4")  # another paper is another document
    assert f4.content != first.content
