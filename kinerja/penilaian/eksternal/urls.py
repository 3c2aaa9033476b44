"""Penilai outside the instansi (admin kepegawaian)."""

from django.urls import path

from kinerja.penilaian.eksternal import views

urlpatterns = [
    path("penilai-eksternal/", views.daftar, name="penilai_eksternal"),
    path("evaluasi/<int:pk>/tetapkan-eksternal/", views.tetapkan, name="evaluasi_tetapkan_eksternal"),
    path("keputusan-eksternal/<int:pk>/berkas/", views.berkas_keputusan, name="keputusan_eksternal_berkas"),
]
