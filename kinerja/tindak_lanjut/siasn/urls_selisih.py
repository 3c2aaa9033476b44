"""The mismatch report between Kinerja and SIASN and the units from SIASN (docs/rules.md §21.11–21.12)."""

from django.urls import path

from kinerja.tindak_lanjut.siasn import views_organisasi
from kinerja.tindak_lanjut.siasn import views_selisih as views

urlpatterns: list = [
    path("siasn/selisih/", views.selisih, name="siasn_selisih"),
    path("siasn/selisih/segarkan/", views.segarkan, name="siasn_selisih_segarkan"),
    path("siasn/selisih/kemajuan/", views.kemajuan, name="siasn_selisih_kemajuan"),
    path("siasn/selisih/unduh/", views.unduh, name="siasn_selisih_unduh"),
    path("siasn/organisasi/", views_organisasi.organisasi, name="siasn_organisasi"),
    path("siasn/organisasi/baca/", views_organisasi.baca, name="siasn_organisasi_baca"),
    path("siasn/organisasi/kemajuan/", views_organisasi.kemajuan, name="siasn_organisasi_kemajuan"),
    path("siasn/organisasi/<int:pk>/terapkan/", views_organisasi.terapkan, name="siasn_organisasi_terapkan"),
]
