"""The SIASN export, the pegawai-id upload and the read-API tokens."""

from django.urls import path

from kinerja.tindak_lanjut.siasn.ekspor import views, views_id

urlpatterns: list = [
    path("siasn/", views.ekspor, name="siasn_ekspor"),
    path("siasn/unduh/", views.unduh, name="siasn_unduh"),
    path("siasn/id-pegawai/", views_id.impor_id_siasn, name="siasn_id_impor"),
    path("siasn/id-pegawai/konfirmasi/", views_id.konfirmasi_id_siasn, name="siasn_id_konfirmasi"),
    path("siasn/id-pegawai/template/", views_id.template_id_siasn, name="siasn_id_template"),
    path("token-sistem/", views.token_sistem, name="token_sistem"),
    path("token-sistem/<int:pk>/cabut/", views.token_sistem_cabut, name="token_sistem_cabut"),
]
