"""Pages of the catatan room, in the pelaksanaan namespace (included by `kinerja.pelaksanaan.urls`)."""

from django.urls import path

from kinerja.pelaksanaan.catatan import views

urlpatterns = [
    path("catatan/", views.minggu, name="catatan"),
    path("catatan/skp/<int:skp_id>/", views.skp, name="catatan_skp"),
    path("catatan/<int:pk>/ubah/", views.ubah, name="catatan_ubah"),
    path("catatan/<int:pk>/hapus/", views.hapus, name="catatan_hapus"),
    path("catatan/<int:pk>/berkas/", views.berkas, name="catatan_berkas"),
]
