from django.urls import path

from kinerja.dokumen.ttd.pengaturan import views

# Included by kinerja/dokumen/urls.py under "dokumen/ttd/pengaturan/" in the "dokumen" namespace.
urlpatterns = [
    path("", views.pengaturan, name="ttd_pengaturan"),
    path("uji-bsre/", views.uji_bsre, name="ttd_uji_bsre"),
    path("sertifikat/", views.sertifikat, name="ttd_sertifikat"),
    path("sertifikat/<int:pk>/nonaktif/", views.sertifikat_nonaktif, name="ttd_sertifikat_nonaktif"),
]
