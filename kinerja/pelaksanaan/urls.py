"""Pelaksanaan pages (rencana aksi, realisasi, buka kunci), mounted at the site root."""

from django.urls import path

from . import views as v
from . import views_bukti, views_umpan_balik

app_name = "pelaksanaan"
urlpatterns = [
    # --- rencana aksi and realisasi (issue 4 §1) ---
    path("realisasi/", v.realisasi, name="realisasi"),
    path("realisasi/skp/<int:skp_id>/", v.realisasi_skp, name="realisasi_skp"),
    path(
        "realisasi/skp/<int:skp_id>/indikator/<int:indikator_id>/periode/<int:nomor>/",
        v.realisasi_simpan,
        name="realisasi_simpan",
    ),
    path(
        "realisasi/skp/<int:skp_id>/rhk/<int:rhk_id>/periode/<int:nomor>/rencana-aksi/",
        v.rencana_aksi,
        name="rencana_aksi",
    ),
    path("realisasi/rencana-aksi/<int:pk>/ubah/", v.rencana_aksi_ubah, name="rencana_aksi_ubah"),
    path("realisasi/rencana-aksi/<int:pk>/hapus/", v.rencana_aksi_hapus, name="rencana_aksi_hapus"),
    path("realisasi/buka-kunci/", v.buka_kunci, name="buka_kunci"),
    # --- bukti dukung (issue 4 §2) ---
    path("realisasi/<int:realisasi_id>/bukti/", views_bukti.daftar, name="bukti"),
    path("realisasi/<int:realisasi_id>/bukti/halaman/", views_bukti.halaman, name="bukti_halaman"),
    path("bukti/<int:pk>/unduh/", views_bukti.unduh, name="bukti_unduh"),
    path("bukti/<int:pk>/hapus/", views_bukti.hapus, name="bukti_hapus"),
    # --- umpan balik (issue 4 §3) ---
    path("umpan-balik/", views_umpan_balik.saya, name="umpan_balik"),
    path("umpan-balik/skp/<int:skp_id>/", views_umpan_balik.skp, name="umpan_balik_skp"),
    path("umpan-balik/skp/<int:skp_id>/kirim/", views_umpan_balik.kirim, name="umpan_balik_kirim"),
    path("umpan-balik/<int:pk>/balas/", views_umpan_balik.balas, name="umpan_balik_balas"),
]
