"""Pages of the bukti room, in the pelaksanaan namespace (included by `kinerja.pelaksanaan.urls`)."""

from django.urls import path

from kinerja.pelaksanaan.bukti import views

urlpatterns = [
    path("realisasi/<int:realisasi_id>/bukti/", views.daftar, name="bukti"),
    path("realisasi/<int:realisasi_id>/bukti/halaman/", views.halaman, name="bukti_halaman"),
    path("bukti/<int:pk>/unduh/", views.unduh, name="bukti_unduh"),
    path("bukti/<int:pk>/hapus/", views.hapus, name="bukti_hapus"),
]
