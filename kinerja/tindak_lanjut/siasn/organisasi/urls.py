"""The units and the pegawai from SIASN (docs/rules.md §21.12)."""

from django.urls import path

from kinerja.tindak_lanjut.siasn.organisasi import views as views_organisasi
from kinerja.tindak_lanjut.siasn.organisasi import views_pegawai

urlpatterns: list = [
    path("siasn/organisasi/", views_organisasi.organisasi, name="siasn_organisasi"),
    path("siasn/organisasi/baca/", views_organisasi.baca, name="siasn_organisasi_baca"),
    path("siasn/organisasi/kemajuan/", views_organisasi.kemajuan, name="siasn_organisasi_kemajuan"),
    path("siasn/organisasi/<int:pk>/terapkan/", views_organisasi.terapkan, name="siasn_organisasi_terapkan"),
    path("siasn/organisasi/pegawai/", views_pegawai.pegawai, name="siasn_organisasi_pegawai"),
    path("siasn/organisasi/pegawai/baca/", views_pegawai.baca, name="siasn_organisasi_pegawai_baca"),
    path(
        "siasn/organisasi/pegawai/kemajuan/",
        views_pegawai.kemajuan,
        name="siasn_organisasi_pegawai_kemajuan",
    ),
    path(
        "siasn/organisasi/pegawai/<int:pk>/terapkan/",
        views_pegawai.terapkan,
        name="siasn_organisasi_pegawai_terapkan",
    ),
]
