"""Tindak lanjut URLs: tunjangan kinerja table and list, rekap per unit and instansi (see urls.py)."""

from django.urls import path

from kinerja.tindak_lanjut.rekap import views as views_rekap
from kinerja.tindak_lanjut.tukin import views as views_tukin

urlpatterns = [
    path("tunjangan-kinerja/", views_tukin.tabel, name="tukin"),
    path("tunjangan-kinerja/daftar.xlsx", views_tukin.list_downloads, name="tukin_daftar"),
    path("rekap/", views_rekap.rekap, name="rekap"),
    path("rekap/xlsx/", views_rekap.rekap_unduh, name="rekap_unduh"),
    path("rekap/baris/", views_rekap.rekap_baris, name="rekap_baris"),
]
