"""Pages of the catatan kegiatan day by day, in the kehadiran namespace."""

from django.urls import path

from kinerja.kehadiran.catatan_harian import views

urlpatterns = [
    path("catatan/hari/", views.hari, name="catatan_hari"),
    path("catatan/belum-mencatat/", views.belum, name="belum_mencatat"),
]
