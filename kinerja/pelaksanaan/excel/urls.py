"""Pages of the excel room, in the pelaksanaan namespace (included by `kinerja.pelaksanaan.urls`)."""

from django.urls import path

from kinerja.pelaksanaan.excel import views

urlpatterns = [
    path("realisasi/excel/", views.unduh, name="realisasi_excel"),
    path("realisasi/excel/unggah/", views.unggah, name="realisasi_excel_unggah"),
    path("realisasi/excel/unggah/<int:pk>/", views.unggah_pekerjaan, name="realisasi_excel_pekerjaan"),
    path("realisasi/excel/unggah/<int:pk>/progres/", views.unggah_progres, name="realisasi_excel_progres"),
]
