"""Tindak lanjut URLs: follow-up lists and angka kredit (see urls.py; namespace ``tindak_lanjut``)."""

from django.urls import path

from kinerja.tindak_lanjut.laporan import views as views_laporan

urlpatterns = [
    path("laporan/tindak-lanjut/", views_laporan.tindak_lanjut, name="laporan_tindak_lanjut"),
    path("laporan/tindak-lanjut/pdf/", views_laporan.tindak_lanjut_pdf, name="laporan_tindak_lanjut_pdf"),
    path(
        "laporan/tindak-lanjut/xlsx/",
        views_laporan.tindak_lanjut_xlsx_view,
        name="laporan_tindak_lanjut_xlsx",
    ),
    path("laporan/angka-kredit/", views_laporan.angka_kredit, name="laporan_angka_kredit"),
    path(
        "laporan/angka-kredit/xlsx/", views_laporan.angka_kredit_xlsx_view, name="laporan_angka_kredit_xlsx"
    ),
]
