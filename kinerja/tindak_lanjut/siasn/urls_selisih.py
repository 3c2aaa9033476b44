"""The mismatch report between Kinerja and SIASN (docs/rules.md §21.10)."""

from django.urls import path

from kinerja.tindak_lanjut.siasn import views_selisih as views

urlpatterns: list = [
    path("siasn/selisih/", views.selisih, name="siasn_selisih"),
    path("siasn/selisih/segarkan/", views.segarkan, name="siasn_selisih_segarkan"),
    path("siasn/selisih/kemajuan/", views.kemajuan, name="siasn_selisih_kemajuan"),
    path("siasn/selisih/unduh/", views.unduh, name="siasn_selisih_unduh"),
]
