from django.urls import path

from kinerja.dokumen.ttd.pengaturan import views

# Included by kinerja/dokumen/urls.py under "dokumen/ttd/pengaturan/" in the "dokumen" namespace.
urlpatterns = [
    path("", views.pengaturan, name="ttd_pengaturan"),
    path("sertifikat/", views.sertifikat, name="ttd_sertifikat"),
    path("sertifikat/<int:pk>/nonaktif/", views.sertifikat_nonaktif, name="ttd_sertifikat_nonaktif"),
]
