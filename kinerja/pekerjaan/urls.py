from django.urls import path

from kinerja.pekerjaan import views

app_name = "pekerjaan"

urlpatterns = [
    path("", views.daftar, name="daftar"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/progres/", views.progres, name="progres"),
    path("<int:pk>/unduh/", views.unduh, name="unduh"),
    path("<int:pk>/ulang/", views.ulang, name="ulang"),
]
