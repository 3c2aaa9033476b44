"""Tindak lanjut URLs: national-system (SIASN) exports and the tokens of the read API (see urls.py)."""

from django.urls import path

from kinerja.tindak_lanjut.siasn import views as views_siasn

urlpatterns: list = [
    path("siasn/", views_siasn.ekspor, name="siasn_ekspor"),
    path("siasn/unduh/", views_siasn.unduh, name="siasn_unduh"),
    path("token-sistem/", views_siasn.token_sistem, name="token_sistem"),
    path("token-sistem/<int:pk>/cabut/", views_siasn.token_sistem_cabut, name="token_sistem_cabut"),
]
