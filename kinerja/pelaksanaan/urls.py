"""Pelaksanaan pages (rencana aksi, realisasi, buka kunci), mounted at the site root."""

from django.urls import path

from kinerja.pelaksanaan import views as v
from kinerja.pelaksanaan.bukti import views as views_bukti
from kinerja.pelaksanaan.catatan import views as views_catatan
from kinerja.pelaksanaan.dialog import views as views_dialog
from kinerja.pelaksanaan.excel import views as views_excel
from kinerja.pelaksanaan.iiaa import views as views_iiaa
from kinerja.pelaksanaan.notifikasi import views as views_notifikasi
from kinerja.pelaksanaan.papan import views as views_papan
from kinerja.pelaksanaan.umpan_balik import views as views_umpan_balik

app_name = "pelaksanaan"
urlpatterns = [
    # --- rencana aksi and realisasi ---
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
    # --- bukti dukung ---
    path("realisasi/<int:realisasi_id>/bukti/", views_bukti.daftar, name="bukti"),
    path("realisasi/<int:realisasi_id>/bukti/halaman/", views_bukti.halaman, name="bukti_halaman"),
    path("bukti/<int:pk>/unduh/", views_bukti.unduh, name="bukti_unduh"),
    path("bukti/<int:pk>/hapus/", views_bukti.hapus, name="bukti_hapus"),
    # --- umpan balik ---
    path("umpan-balik/", views_umpan_balik.saya, name="umpan_balik"),
    path("umpan-balik/skp/<int:skp_id>/", views_umpan_balik.skp, name="umpan_balik_skp"),
    path("umpan-balik/skp/<int:skp_id>/kirim/", views_umpan_balik.kirim, name="umpan_balik_kirim"),
    path("umpan-balik/<int:pk>/balas/", views_umpan_balik.balas, name="umpan_balik_balas"),
    # --- notifikasi ---
    path("notifikasi/", views_notifikasi.daftar, name="notifikasi"),
    path("notifikasi/<int:pk>/buka/", views_notifikasi.buka, name="notifikasi_buka"),
    path("notifikasi/baca-semua/", views_notifikasi.mark_all_read, name="notifikasi_baca_semua"),
    # --- catatan kegiatan ---
    path("catatan/", views_catatan.minggu, name="catatan"),
    path("catatan/skp/<int:skp_id>/", views_catatan.skp, name="catatan_skp"),
    path("catatan/<int:pk>/ubah/", views_catatan.ubah, name="catatan_ubah"),
    path("catatan/<int:pk>/hapus/", views_catatan.hapus, name="catatan_hapus"),
    path("catatan/<int:pk>/berkas/", views_catatan.berkas, name="catatan_berkas"),
    # --- bulk Excel ---
    path("realisasi/excel/", views_excel.unduh, name="realisasi_excel"),
    path("realisasi/excel/unggah/", views_excel.unggah, name="realisasi_excel_unggah"),
    # --- monitoring boards ---
    path("pemantauan/", views_papan.papan, name="papan"),
    path("pemantauan/unit/", views_papan.unit_awal, name="papan_unit_awal"),
    path("pemantauan/unit/<int:unit_id>/", views_papan.unit, name="papan_unit"),
    path("pemantauan/progres/", views_papan.progres, name="papan_progres"),
    path("pemantauan/progres/xlsx/", views_papan.progres_xlsx, name="papan_progres_xlsx"),
    # --- laporan capaian IIAA ---
    path("iiaa/", views_iiaa.saya, name="iiaa"),
    path("iiaa/pdf/", views_iiaa.pdf_saya, name="iiaa_pdf"),
    path("iiaa/skp/<int:skp_id>/", views_iiaa.skp, name="iiaa_skp"),
    path("iiaa/skp/<int:skp_id>/pdf/", views_iiaa.pdf_skp, name="iiaa_skp_pdf"),
    path(
        "iiaa/skp/<int:skp_id>/indikator/<int:indikator_id>/periode/<int:nomor>/",
        views_iiaa.ubah,
        name="iiaa_ubah",
    ),
    path("iiaa/rencana-tindak/<int:pk>/status/", views_iiaa.status, name="iiaa_status"),
    # --- dialog kinerja ---
    path("dialog/", views_dialog.daftar, name="dialog"),
    path("dialog/skp/<int:skp_id>/", views_dialog.skp, name="dialog_skp"),
    path("dialog/<int:pk>/ubah/", views_dialog.ubah, name="dialog_ubah"),
    path("dialog/<int:pk>/hapus/", views_dialog.hapus, name="dialog_hapus"),
    path("dialog/tindak-lanjut/<int:pk>/selesai/", views_dialog.selesai, name="dialog_selesai"),
]
