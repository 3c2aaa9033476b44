"""The SKP forms of the regulation (docs/rules.md §31): JPT (RHK under their perspektif, no intervensi and no
aspek column), kualitatif (no aspek column), kuantitatif (every column), the lampiran without a kategori
column; checked in the PDF's text."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kinerja.dokumen.konteks import tata_letak
from kinerja.organisasi.models import Jabatan
from kinerja.perencanaan.models import Indikator
from kinerja.rules import ModelSkp
from tests.dokumen.conftest import pdf_text

pytestmark = pytest.mark.django_db


def _teks(client, skp) -> str:  # type: ignore[no-untyped-def]
    response = client.get(reverse("dokumen:skp_pdf", args=[skp.pk]))
    assert response.status_code == 200
    return pdf_text(response.content)


def test_jpt_skp_groups_rhk_by_perspektif_without_intervensi_and_aspek(login_kecil, skp_kecil):
    skp = skp_kecil("kepala")
    text = _teks(login_kecil("kepala"), skp)
    assert "BAGI PEJABAT PIMPINAN TINGGI DAN PIMPINAN UNIT KERJA MANDIRI" in text
    assert "RENCANA HASIL KERJA INDIKATOR KINERJA INDIVIDU TARGET" in text  # the four-column header
    assert "DIINTERVENSI" not in text
    assert "ASPEK" not in text
    assert "(5)" not in text  # column numbers (1)..(4) only
    order = [text.index(p) for p in ("Penerima Layanan", "Proses Bisnis", "Penguatan Internal", "Anggaran")]
    assert order == sorted(order)
    for rhk in skp.rhk.all():
        assert " ".join(rhk.teks.split()) in text
    for indikator in Indikator.objects.filter(rhk__skp=skp):
        assert " ".join(indikator.teks.split()) in text
        assert indikator.target_tampil in text


def test_kualitatif_skp_has_no_aspek_column_and_a_lampiran_without_kategori(client_for, skp_of):
    skp = skp_of("fungsional")
    text = _teks(client_for("fungsional"), skp)
    assert "PENDEKATAN HASIL KERJA KUALITATIF" in text
    assert "RENCANA HASIL KERJA PIMPINAN YANG DIINTERVENSI" in text
    assert "ASPEK" not in text
    for aspek in ("Kualitas", "Waktu"):  # the demo's aspek labels are no longer printed
        assert f" {aspek} " not in text
    assert "(6)" not in text
    for rhk in skp.rhk.all():
        for indikator in rhk.indikator.all():
            assert " ".join(indikator.teks.split()) in text
    dukungan = skp.lampiran.filter(jenis="dukungan").exclude(kategori="")
    assert dukungan.exists()
    for item in dukungan:
        assert item.teks in text
        assert item.get_kategori_display() not in text  # e.g. "Peralatan": no kategori column
    assert "DUKUNGAN SUMBER DAYA" in text and "SKEMA PERTANGGUNGJAWABAN" in text and "KONSEKUENSI" in text


@pytest.mark.parametrize(
    ("model", "jenis", "mandiri", "letak"),
    [
        (ModelSkp.KUANTITATIF, "jpt_pratama", False, "jpt"),
        (ModelSkp.KUANTITATIF, "jpt_madya", False, "jpt"),
        (ModelSkp.KUANTITATIF, "pengawas", True, "jpt"),  # pimpinan unit kerja mandiri
        (ModelSkp.KUANTITATIF, "administrator", False, "kuantitatif"),  # the instansi chose kuantitatif
        (ModelSkp.KUANTITATIF, "fungsional", False, "kuantitatif"),
        (ModelSkp.KUALITATIF, "fungsional", False, "kualitatif"),
        (ModelSkp.KUALITATIF, "pelaksana", False, "kualitatif"),
    ],
)
def test_the_form_follows_the_model_and_the_jabatan(model, jenis, mandiri, letak):
    assert tata_letak(model.value, Jabatan(jenis=jenis, unit_kerja_mandiri=mandiri)) == letak
