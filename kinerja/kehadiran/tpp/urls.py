"""TPP pages, included at ``/kehadiran/`` (docs/rules.md §28)."""

from django.urls import path

from kinerja.kehadiran.tpp import views

urlpatterns = [
    path("tpp/saya/", views.saya, name="tpp_saya"),
    path("tpp/pegawai/<int:pk>/", views.pegawai, name="tpp_pegawai"),
    path("tpp/pegawai/<int:pk>/<str:bulan>/", views.pegawai, name="tpp_pegawai_bulan"),
    path("tpp/bulan/<str:bulan>/", views.bulan_instansi, name="tpp_bulan"),
    path("tpp/bulan/<str:bulan>/aksi/", views.bulan_aksi, name="tpp_bulan_aksi"),
]
