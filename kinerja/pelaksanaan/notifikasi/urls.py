"""Pages of the notifikasi room, in the pelaksanaan namespace (included by `kinerja.pelaksanaan.urls`)."""

from django.urls import path

from kinerja.pelaksanaan.notifikasi import views

urlpatterns = [
    path("notifikasi/", views.daftar, name="notifikasi"),
    path("notifikasi/<int:pk>/buka/", views.buka, name="notifikasi_buka"),
    path("notifikasi/baca-semua/", views.mark_all_read, name="notifikasi_baca_semua"),
]
