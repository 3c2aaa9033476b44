"""The sync page of the SIASN sends (docs/rules.md §21.9)."""

from django.urls import path

from kinerja.tindak_lanjut.siasn.kirim import views

urlpatterns: list = [
    path("siasn/sinkron/", views.sinkron, name="siasn_sinkron"),
    path("siasn/sinkron/<int:pk>/kirim-ulang/", views.kirim_ulang, name="siasn_kirim_ulang"),
    path("siasn/sinkron/kirim-ulang-gagal/", views.kirim_ulang_gagal, name="siasn_kirim_ulang_gagal"),
    path("siasn/sinkron/kirim-belum/", views.kirim_belum, name="siasn_kirim_belum"),
]
