"""Perjanjian Kinerja PDF; Matriks Pembagian Peran dan Hasil as PDF (landscape) and xlsx. What the documents
say is read on the demo's; who may print them on a small instansi (tests/dokumen/conftest.py)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kinerja.perencanaan import services as rencana
from kinerja.perencanaan.models import Skp
from tests.dokumen.conftest import page_size_mm, pdf_text

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- Perjanjian Kinerja -------------------------------------------------------------------------------


def test_perjanjian_kinerja_pdf(client_for, perjanjian):
    response = client_for("kepala").get(reverse("dokumen:pk_pdf", args=[perjanjian.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'inline; filename="PK-197205141998031003-2026-r1.pdf"'
    text = pdf_text(response.content)
    for words in (
        "PERJANJIAN KINERJA TAHUN 2026",
        "BADAN KEPEGAWAIAN DAN PENGEMBANGAN SUMBER DAYA MANUSIA",
        "Dalam rangka mewujudkan manajemen pemerintahan yang efektif, transparan, dan akuntabel serta "
        "berorientasi pada hasil, kami yang bertanda tangan di bawah ini:",
        "Dr. Hendra Gunawan, S.Sos., M.Si.",
        "Kepala Badan",
        "PIHAK PERTAMA",
        "PIHAK KEDUA",
        "Pihak pertama berjanji akan mewujudkan target kinerja",
        "Sasaran Strategis",
        "Indikator Kinerja",
        "Target",
        "Sukamaju,",
    ):
        assert words in text, words
    items = list(perjanjian.indikator.select_related("sasaran", "manual"))
    for item in items:
        assert " ".join(item.sasaran.nama.split()) in text
        assert " ".join(item.manual.nama.split()) in text
        assert f"{item.target_tahun.normalize():f} {item.manual.satuan}" in text
    # sasaran in the order of the four perspectives: anggaran last
    anggaran = next(i for i in items if i.sasaran.perspektif == "anggaran")
    layanan = next(i for i in items if i.sasaran.perspektif == "penerima_layanan")
    assert text.index(" ".join(layanan.sasaran.nama.split())) < text.index(
        " ".join(anggaran.sasaran.nama.split())
    )


@pytest.mark.parametrize("role", ["admin", "kepala", "kabid", "fungsional", "pelaksana"])
def test_every_pegawai_of_the_instansi_may_print_the_perjanjian(login_kecil, perjanjian_kecil, role):
    assert login_kecil(role).get(reverse("dokumen:pk_pdf", args=[perjanjian_kecil.pk])).status_code == 200


def test_admin_of_another_instansi_may_not_print_the_perjanjian(admin_lain, perjanjian_kecil):
    assert admin_lain.get(reverse("dokumen:pk_pdf", args=[perjanjian_kecil.pk])).status_code == 403


# --- Matriks ------------------------------------------------------------------------------------------


def _unit_bidang(skp_of):  # type: ignore[no-untyped-def]
    return skp_of("kabid").unit


def unit_rhk(skp):  # type: ignore[no-untyped-def]
    return list(skp.rhk.all())


def test_matriks_pdf_is_landscape_with_every_bawahan(client_for, skp_of):
    unit = _unit_bidang(skp_of)
    response = client_for("kabid").get(reverse("dokumen:matriks_pdf", args=[unit.pk]) + "?tahun=2026")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'inline; filename="Matriks-BPKP-2026.pdf"'
    width, height = page_size_mm(response.content)
    assert (width, height) == (297, 210)
    text = pdf_text(response.content)
    assert "MATRIKS PEMBAGIAN PERAN DAN HASIL" in text
    assert "BIDANG PENILAIAN KINERJA DAN PENGHARGAAN — TAHUN 2026" in text
    for rhk in unit_rhk(skp_of("kabid")):
        assert " ".join(rhk.teks.split()) in text
    for nama in ("Ika Puspitasari", "Rahmat Hidayat", "Dimas Aditya", "Bayu Aji Nugraha"):
        assert nama in text, nama
    assert "duplikat" in text
    belum = Skp.objects.filter(penilai_id=skp_of("kabid").pegawai_id).exclude(status="disetujui").exists()
    assert ("DRAFT — ada SKP yang belum disetujui" in text) == belum
    f4 = client_for("kabid").get(reverse("dokumen:matriks_pdf", args=[unit.pk]) + "?kertas=f4")
    assert page_size_mm(f4.content) == (330, 215)


def test_matriks_xlsx_has_the_grid_highlights_legend_and_frozen_panes(client_for, skp_of, user_of):
    kabid = skp_of("kabid")
    rencana.submit_perubahan_skp(kabid, user_of("kabid"))
    rencana.save_rhk(
        kabid,
        user_of("kabid"),
        teks="Tersedianya kebijakan penghargaan ASN yang baru",
        intervensi=kabid.rhk.first().intervensi,
    )
    response = client_for("kabid").get(reverse("dokumen:matriks_xlsx", args=[kabid.unit.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == 'attachment; filename="Matriks-BPKP-2026.xlsx"'
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["A1"].value == "MATRIKS PEMBAGIAN PERAN DAN HASIL"
    assert "Bidang Penilaian Kinerja dan Penghargaan" in ws["A2"].value
    assert "Ratna Sari Dewi" in ws["A3"].value
    assert ws["A5"].value == "RHK Pimpinan"
    header = [ws.cell(5, c).value for c in range(2, ws.max_column + 1) if ws.cell(5, c).value]
    assert len(header) == 9
    assert any(h.startswith("Ika Puspitasari, S.Psi., M.Psi.\nAnalis SDM Aparatur Ahli Muda") for h in header)
    rows = {ws.cell(r, 1).value: r for r in range(6, ws.max_row + 1) if ws.cell(r, 1).value}
    ika = next(c for c in range(2, ws.max_column + 1) if (ws.cell(5, c).value or "").startswith("Ika"))
    rhk_ika = skp_of("fungsional").rhk.select_related("intervensi").order_by("pk").first()
    covered = next(r for label, r in rows.items() if label.endswith(rhk_ika.intervensi.teks))
    assert f"• {rhk_ika.teks}" in ws.cell(covered, ika).value.split("\n")
    assert ws.cell(covered, ika).alignment.wrap_text
    duplicate_cells = [
        ws.cell(r, c)
        for r in rows.values()
        for c in range(2, ws.max_column + 1)
        if ws.cell(r, c).fill.fill_type
    ]
    assert any(c.fill.fgColor.rgb.endswith("FFF2A8") for c in duplicate_cells)  # one role, several bawahan
    uncovered = next(
        r for label, r in rows.items() if "Tersedianya kebijakan penghargaan ASN yang baru" in label
    )
    assert ws.cell(uncovered, 1).fill.fgColor.rgb.endswith("F8CBCB")
    assert ws.cell(uncovered, ika).value is None
    assert ws.freeze_panes == "B6"
    legend = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    assert "Keterangan:" in legend
    assert "RHK pimpinan yang belum diintervensi bawahan" in legend
    assert any((v or "").startswith("Verifikasi: http://testserver/verifikasi/") for v in legend)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 200),
        ("kabid", 200),
        ("kepala", 200),
        ("fungsional", 200),
        ("pelaksana", 200),
        ("lain_unit", 403),
    ],
)
def test_who_may_see_the_matriks_of_a_unit(login_kecil, skp_kecil, role, status):
    unit = _unit_bidang(skp_kecil)
    client = login_kecil(role)
    assert client.get(reverse("dokumen:matriks_xlsx", args=[unit.pk])).status_code == status
    assert client.get(reverse("dokumen:matriks_pdf", args=[unit.pk])).status_code == status


def test_admin_of_another_instansi_may_not_see_the_matriks(admin_lain, skp_kecil):
    unit = _unit_bidang(skp_kecil)
    assert admin_lain.get(reverse("dokumen:matriks_pdf", args=[unit.pk])).status_code == 403
    assert admin_lain.get(reverse("dokumen:matriks_xlsx", args=[unit.pk])).status_code == 403


def test_matriks_of_a_year_without_periode_is_404(login_kecil, skp_kecil):
    unit = _unit_bidang(skp_kecil)
    assert (
        login_kecil("kabid").get(reverse("dokumen:matriks_pdf", args=[unit.pk]) + "?tahun=2019").status_code
        == 404
    )
