"""Pages of the umpan balik room, in the pelaksanaan namespace (included by `kinerja.pelaksanaan.urls`)."""

from django.urls import path

from kinerja.pelaksanaan.umpan_balik import views

urlpatterns = [
    path("umpan-balik/", views.saya, name="umpan_balik"),
    path("umpan-balik/skp/<int:skp_id>/", views.skp, name="umpan_balik_skp"),
    path("umpan-balik/skp/<int:skp_id>/kirim/", views.kirim, name="umpan_balik_kirim"),
    path("umpan-balik/<int:pk>/balas/", views.balas, name="umpan_balik_balas"),
]
