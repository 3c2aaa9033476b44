"""The mismatch report between Kinerja and SIASN (docs/rules.md §21.11)."""

from django.urls import path

from kinerja.tindak_lanjut.siasn.data_utama import views

urlpatterns: list = [
    path("siasn/selisih/", views.selisih, name="siasn_selisih"),
    path("siasn/selisih/segarkan/", views.segarkan, name="siasn_selisih_segarkan"),
    path("siasn/selisih/kemajuan/", views.kemajuan, name="siasn_selisih_kemajuan"),
    path("siasn/selisih/unduh/", views.unduh, name="siasn_selisih_unduh"),
]
