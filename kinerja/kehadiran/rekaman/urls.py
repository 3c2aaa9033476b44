from django.urls import path

from kinerja.kehadiran.rekaman import views

urlpatterns = [
    path("mesin/", views.mesin_daftar, name="mesin_daftar"),
    path("mesin/tambah/", views.mesin_ubah, name="mesin_tambah"),
    path("mesin/<int:pk>/", views.mesin_ubah, name="mesin_ubah"),
    path("mesin/<int:pk>/pin/", views.pin_tambah, name="pin_tambah"),
    path("mesin/<int:pk>/pin/berkas/", views.pin_berkas, name="pin_berkas"),
    path("mesin/<int:pk>/pin/<int:pin_pk>/hapus/", views.pin_hapus, name="pin_hapus"),
    path("impor/", views.impor, name="impor"),
    path("impor/template.xlsx", views.impor_template, name="impor_template"),
    path("impor/<int:pk>/", views.impor_detail, name="impor_detail"),
    path("impor/<int:pk>/progres/", views.impor_progres, name="impor_progres"),
]
