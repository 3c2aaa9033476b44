from django.urls import include, path

urlpatterns = [
    path("skp/", include("kinerja.perencanaan.urls_skp")),
    path("rencana/", include("kinerja.perencanaan.urls_organisasi")),
]
