"""Tindak lanjut URLs: tunjangan kinerja table and list, rekap per unit and instansi (see urls.py)."""

from django.urls import path

from . import views_rekap, views_tukin

urlpatterns = [
    path("tunjangan-kinerja/", views_tukin.tabel, name="tukin"),
    path("tunjangan-kinerja/daftar.xlsx", views_tukin.daftar_unduh, name="tukin_daftar"),
    path("rekap/", views_rekap.rekap, name="rekap"),
    path("rekap/xlsx/", views_rekap.rekap_unduh, name="rekap_unduh"),
]
