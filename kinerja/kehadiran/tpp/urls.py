"""TPP pages, included at ``/kehadiran/`` (docs/rules.md §28)."""

from django.urls import path

from kinerja.kehadiran.tpp import views, views_atur

urlpatterns = [
    path("tpp/saya/", views.saya, name="tpp_saya"),
    path("tpp/pegawai/<int:pk>/", views.pegawai, name="tpp_pegawai"),
    path("tpp/pegawai/<int:pk>/<str:bulan>/", views.pegawai, name="tpp_pegawai_bulan"),
    path("tpp/bulan/<str:bulan>/", views.bulan_instansi, name="tpp_bulan"),
    path("tpp/bulan/<str:bulan>/aksi/", views.bulan_aksi, name="tpp_bulan_aksi"),
    path("tpp/aturan/", views_atur.aturan, name="tpp_aturan"),
    path("tpp/aturan/baru/", views_atur.aturan_baru, name="tpp_aturan_baru"),
    path("tpp/aturan/<int:versi>/", views_atur.aturan_detail, name="tpp_aturan_detail"),
    path("tpp/pagu/", views_atur.pagu, name="tpp_pagu"),
    path("tpp/kelas/", views_atur.kelas, name="tpp_kelas"),
    path("tpp/disiplin/", views_atur.disiplin, name="tpp_disiplin"),
    path("tpp/disiplin/peristiwa/<int:pk>/hapus/", views_atur.peristiwa_hapus, name="tpp_peristiwa_hapus"),
]
