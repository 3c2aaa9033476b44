"""Tindak lanjut URLs: national-system (SIASN) exports and the tokens of the read API (see urls.py)."""

from django.urls import path

from kinerja.tindak_lanjut.siasn import views as views_siasn
from kinerja.tindak_lanjut.siasn import views_id, views_sinkron

urlpatterns: list = [
    path("siasn/", views_siasn.ekspor, name="siasn_ekspor"),
    path("siasn/unduh/", views_siasn.unduh, name="siasn_unduh"),
    path("siasn/id-pegawai/", views_id.impor_id_siasn, name="siasn_id_impor"),
    path("siasn/id-pegawai/konfirmasi/", views_id.konfirmasi_id_siasn, name="siasn_id_konfirmasi"),
    path("siasn/id-pegawai/template/", views_id.template_id_siasn, name="siasn_id_template"),
    path("siasn/sinkron/", views_sinkron.sinkron, name="siasn_sinkron"),
    path("siasn/sinkron/<int:pk>/kirim-ulang/", views_sinkron.kirim_ulang, name="siasn_kirim_ulang"),
    path("siasn/sinkron/kirim-ulang-gagal/", views_sinkron.kirim_ulang_gagal, name="siasn_kirim_ulang_gagal"),
    path("siasn/sinkron/kirim-belum/", views_sinkron.kirim_belum, name="siasn_kirim_belum"),
    path("token-sistem/", views_siasn.token_sistem, name="token_sistem"),
    path("token-sistem/<int:pk>/cabut/", views_siasn.token_sistem_cabut, name="token_sistem_cabut"),
]
