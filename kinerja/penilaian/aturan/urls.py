"""The instansi's pola distribusi rules (admin kepegawaian)."""

from django.urls import path

from kinerja.penilaian.aturan import views as views_aturan

urlpatterns = [
    path("aturan-distribusi/", views_aturan.aturan_distribusi, name="aturan_distribusi"),
]
