"""Pages of the dialog room, in the pelaksanaan namespace (included by `kinerja.pelaksanaan.urls`)."""

from django.urls import path

from kinerja.pelaksanaan.dialog import views

urlpatterns = [
    path("dialog/", views.daftar, name="dialog"),
    path("dialog/skp/<int:skp_id>/", views.skp, name="dialog_skp"),
    path("dialog/<int:pk>/ubah/", views.ubah, name="dialog_ubah"),
    path("dialog/<int:pk>/hapus/", views.hapus, name="dialog_hapus"),
    path("dialog/tindak-lanjut/<int:pk>/selesai/", views.selesai, name="dialog_selesai"),
]
