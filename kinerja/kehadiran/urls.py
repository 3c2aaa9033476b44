"""The kehadiran stage's pages, one include per feature."""

from django.urls import include, path

app_name = "kehadiran"

urlpatterns: list = [
    path("", include("kinerja.kehadiran.kalender.urls")),
    path("", include("kinerja.kehadiran.tpp.urls")),
    path("", include("kinerja.kehadiran.harian.urls")),
    path("", include("kinerja.kehadiran.rekaman.urls")),
    path("", include("kinerja.kehadiran.catatan_harian.urls")),
]
