"""Tindak lanjut URLs (namespace ``tindak_lanjut``, mounted at /tindak-lanjut/): one module per area."""

from django.urls import include, path

app_name = "tindak_lanjut"

urlpatterns = [
    path("", include("kinerja.tindak_lanjut.urls_keberatan")),
    path("", include("kinerja.tindak_lanjut.urls_laporan")),
    path("", include("kinerja.tindak_lanjut.urls_tukin")),
    path("", include("kinerja.tindak_lanjut.urls_siasn")),
]
