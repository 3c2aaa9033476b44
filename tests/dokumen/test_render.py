"""The PDF renderer loads nothing from outside; the SKP PDF benchmark runs and rolls back its data."""

from __future__ import annotations

import pytest

from kinerja.common import pdf
from kinerja.demo.bench.dokumen import KODE, bench_skp_pdf
from kinerja.dokumen.konteks import kolom_duplikat
from kinerja.organisasi.models import Instansi
from tests.dokumen.conftest import pdf_text


@pytest.mark.parametrize(
    "url", ["http://example.com/logo.png", "https://example.com/a.css", "file:///etc/passwd"]
)
def test_fetcher_refuses_everything_but_data_uris(url):
    with pytest.raises(ValueError, match="disallowed protocol"):
        pdf._HanyaDataUri().fetch(url)


def test_external_resources_are_not_loaded_and_the_document_still_renders():
    html = (
        '<html><head><link rel="stylesheet" href="https://example.com/evil.css"></head><body>'
        '<img src="http://127.0.0.1:9/x.png"><img src="file:///etc/hostname">'
        f'<img src="{pdf.qr_data_uri("https://kinerja.example.go.id/verifikasi/abc/")}">'
        "<p>Dokumen uji</p></body></html>"
    )
    assert "Dokumen uji" in pdf_text(pdf.render_pdf(html))


def test_duplicate_roles_are_found_per_row_ignoring_case_and_spacing():
    assert kolom_duplikat([["Rekap  Kinerja"], ["rekap kinerja"], ["Lain"], []]) == {0, 1}
    assert kolom_duplikat([["A", "a"], ["B"]]) == {0}
    assert kolom_duplikat([["A"], ["B"]]) == set()


@pytest.mark.django_db
def test_skp_pdf_benchmark_builds_15_by_3_and_rolls_back(db):
    result = bench_skp_pdf(runs=1, tahun=2026)
    assert result["rhk"] == 15 and result["indikator_per_rhk"] == 3
    assert result["pages"] >= 3
    assert result["view_queries"] <= 14
    assert result["warm_render_median_ms"] > 0 and result["view_median_ms"] > 0
    assert not Instansi.objects.filter(kode=KODE).exists()


def test_trimmed_user_agent_stylesheet_is_in_use():
    """The speed-up depends on reading WeasyPrint's UA stylesheet; a WeasyPrint upgrade must keep it."""
    text = pdf.UA_STYLESHEET.read_text(encoding="utf-8")
    assert "::footnote-call" in text and "::marker" in text
    assert pdf._cache()["ua"] is not None
