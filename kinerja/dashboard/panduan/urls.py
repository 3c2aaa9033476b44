from django.urls import path

from kinerja.dashboard.panduan import views

app_name = "panduan"
urlpatterns = [
    path("", views.index, name="index"),
    path("mulai/", views.mulai, name="mulai"),
    path("<slug:kode>/", views.peran, name="peran"),
]
