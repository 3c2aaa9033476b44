"""Penilaian URLs: evaluasi pages (see kinerja/penilaian/urls.py and views_evaluasi.py)."""

from django.urls import path

from kinerja.penilaian.evaluasi import views as v
from kinerja.penilaian.evaluasi import views_sekaligus as vs

urlpatterns = [
    path("", v.index, name="index"),
    path("instansi/", v.instansi, name="instansi_evaluasi"),
    path("instansi/evaluasi-massal/", v.evaluasi_massal, name="evaluasi_massal"),
    path("mulai/<int:skp_id>/", v.mulai, name="mulai_evaluasi"),
    path("evaluasi/<int:pk>/", v.evaluasi, name="evaluasi"),
    path("evaluasi/<int:pk>/menilai/", vs.menilai, name="menilai"),
    path("evaluasi/<int:pk>/menilai/perilaku-sesuai/", vs.perilaku_sesuai, name="menilai_perilaku_sesuai"),
    path("evaluasi/<int:pk>/rhk/<int:row_id>/", v.rate_rhk, name="evaluasi_rhk"),
    path(
        "evaluasi/<int:pk>/rhk/<int:row_id>/tanpa-realisasi/",
        v.tanpa_realisasi,
        name="evaluasi_tanpa_realisasi",
    ),
    path("evaluasi/<int:pk>/perilaku/<str:kode>/", v.rate_perilaku, name="evaluasi_perilaku"),
    path("evaluasi/<int:pk>/tetapkan/", v.tetapkan, name="evaluasi_tetapkan"),
    path("evaluasi/<int:pk>/sesuaikan/", v.sesuaikan, name="evaluasi_sesuaikan"),
    path("evaluasi/<int:pk>/buka-kembali/", v.reopen, name="evaluasi_buka_kembali"),
    path("evaluasi/<int:pk>/buka-kunci/", v.buka_kunci, name="evaluasi_buka_kunci"),
]
