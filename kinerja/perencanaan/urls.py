from django.urls import include, path

urlpatterns = [
    path("skp/", include("kinerja.perencanaan.skp.urls")),
    path("rencana/", include("kinerja.perencanaan.rencana_organisasi.urls")),
]
