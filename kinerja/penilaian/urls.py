"""Penilaian pages, mounted at ``/penilaian/``: one URL list per part, each in its own module."""

from django.urls import include, path

app_name = "penilaian"
urlpatterns = [
    path("", include("kinerja.penilaian.evaluasi.urls")),
    path("", include("kinerja.penilaian.kelompok.urls")),
    path("", include("kinerja.penilaian.aturan.urls")),
    path("", include("kinerja.penilaian.eksternal.urls")),
]
