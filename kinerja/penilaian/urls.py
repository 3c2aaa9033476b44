"""Penilaian pages, mounted at ``/penilaian/``: one URL list per part, each in its own module."""

from django.urls import include, path

app_name = "penilaian"
urlpatterns = [
    path("", include("kinerja.penilaian.urls_evaluasi")),
    path("", include("kinerja.penilaian.urls_kelompok")),
    path("", include("kinerja.penilaian.urls_aturan")),
]
