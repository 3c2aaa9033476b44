"""Tindak lanjut URLs: keberatan (see urls.py and views_keberatan.py)."""

from django.urls import path

from kinerja.tindak_lanjut.keberatan import views as v

urlpatterns = [
    path("keberatan/", v.daftar, name="keberatan"),
    path("keberatan/instansi/", v.instansi, name="keberatan_instansi"),
    path("keberatan/ajukan/<int:evaluasi_id>/", v.ajukan, name="keberatan_ajukan"),
    path("keberatan/<int:pk>/", v.detail, name="keberatan_detail"),
    path("keberatan/<int:pk>/tarik/", v.tarik, name="keberatan_tarik"),
    path("keberatan/<int:pk>/jelaskan/", v.jelaskan, name="keberatan_jelaskan"),
    path("keberatan/<int:pk>/putuskan/", v.putuskan, name="keberatan_putuskan"),
    path("keberatan/<int:pk>/pratinjau/", v.pratinjau, name="keberatan_pratinjau"),
    path("keberatan/<int:pk>/pemutus/", v.alihkan, name="keberatan_alihkan"),
    path("keberatan/lampiran/<int:pk>/", v.lampiran, name="keberatan_lampiran"),
]
