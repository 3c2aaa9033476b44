"""Tindak lanjut URLs of SIASN: one module per sub-room (export and tokens, sends, data-utama, units)."""

from django.urls import include, path

urlpatterns: list = [
    path("", include("kinerja.tindak_lanjut.siasn.ekspor.urls")),
    path("", include("kinerja.tindak_lanjut.siasn.kirim.urls")),
    path("", include("kinerja.tindak_lanjut.siasn.data_utama.urls")),
    path("", include("kinerja.tindak_lanjut.siasn.organisasi.urls")),
]
