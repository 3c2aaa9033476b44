"""Pages of the iiaa room, in the pelaksanaan namespace (included by `kinerja.pelaksanaan.urls`)."""

from django.urls import path

from kinerja.pelaksanaan.iiaa import views

urlpatterns = [
    path("iiaa/", views.saya, name="iiaa"),
    path("iiaa/pdf/", views.pdf_saya, name="iiaa_pdf"),
    path("iiaa/skp/<int:skp_id>/", views.skp, name="iiaa_skp"),
    path("iiaa/skp/<int:skp_id>/pdf/", views.pdf_skp, name="iiaa_skp_pdf"),
    path(
        "iiaa/skp/<int:skp_id>/indikator/<int:indikator_id>/periode/<int:nomor>/",
        views.ubah,
        name="iiaa_ubah",
    ),
    path("iiaa/rencana-tindak/<int:pk>/status/", views.status, name="iiaa_status"),
]
