"""Tindak lanjut URLs (namespace ``tindak_lanjut``, mounted at /tindak-lanjut/): one module per area."""

from django.urls import include, path

app_name = "tindak_lanjut"

urlpatterns = [
    path("", include("kinerja.tindak_lanjut.keberatan.urls")),
    path("", include("kinerja.tindak_lanjut.laporan.urls")),
    path("", include("kinerja.tindak_lanjut.tukin.urls")),
    path("", include("kinerja.tindak_lanjut.siasn.urls")),
]
