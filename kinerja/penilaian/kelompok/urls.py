"""Penilaian URLs: capaian organisasi, rating group and calibration pages (see kinerja/penilaian/urls.py)."""

from django.urls import path

from kinerja.penilaian.capaian import views as views_capaian
from kinerja.penilaian.kelompok import views as views_kelompok

urlpatterns = [
    path("capaian-organisasi/", views_capaian.capaian, name="capaian"),
    path("capaian-organisasi/saran/", views_capaian.saran, name="capaian_saran"),
    path("kelompok/", views_kelompok.kelompok, name="kelompok"),
    path("kelompok/what-if/", views_kelompok.what_if, name="kelompok_what_if"),
    path("kelompok/finalisasi/", views_kelompok.finalisasi, name="kelompok_finalisasi"),
    path("kalibrasi/", views_kelompok.kalibrasi, name="kalibrasi"),
    path("kalibrasi/minta-revisi/", views_kelompok.request_revisi, name="minta_revisi"),
]
