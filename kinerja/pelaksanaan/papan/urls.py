"""Pages of the papan room, in the pelaksanaan namespace (included by `kinerja.pelaksanaan.urls`)."""

from django.urls import path

from kinerja.pelaksanaan.papan import views

urlpatterns = [
    path("pemantauan/", views.papan, name="papan"),
    path("pemantauan/rhk-saya/", views.rollup, name="papan_rollup"),
    path("pemantauan/unit/", views.unit_awal, name="papan_unit_awal"),
    path("pemantauan/unit/<int:unit_id>/", views.unit, name="papan_unit"),
    path("pemantauan/progres/", views.progres, name="papan_progres"),
    path("pemantauan/progres/unit/<int:unit_id>/", views.progres_anak, name="papan_progres_anak"),
    path("pemantauan/progres/xlsx/", views.progres_xlsx, name="papan_progres_xlsx"),
]
