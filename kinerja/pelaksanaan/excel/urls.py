"""Pages of the excel room, in the pelaksanaan namespace (included by `kinerja.pelaksanaan.urls`)."""

from django.urls import path

from kinerja.pelaksanaan.excel import views

urlpatterns = [
    path("realisasi/excel/", views.unduh, name="realisasi_excel"),
    path("realisasi/excel/unggah/", views.unggah, name="realisasi_excel_unggah"),
]
