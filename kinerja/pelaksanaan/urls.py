"""Pelaksanaan pages, mounted at the site root: rencana aksi, realisasi and buka kunci here, and each
room's own pages (bukti, umpan balik, IIAA, catatan, dialog, papan, excel, notifikasi) from its urls.py,
all in the one "pelaksanaan" namespace."""

from django.urls import path

from kinerja.pelaksanaan import views as v
from kinerja.pelaksanaan.bukti import urls as bukti
from kinerja.pelaksanaan.catatan import urls as catatan
from kinerja.pelaksanaan.dialog import urls as dialog
from kinerja.pelaksanaan.excel import urls as excel
from kinerja.pelaksanaan.iiaa import urls as iiaa
from kinerja.pelaksanaan.notifikasi import urls as notifikasi
from kinerja.pelaksanaan.papan import urls as papan
from kinerja.pelaksanaan.umpan_balik import urls as umpan_balik

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
    *bukti.urlpatterns,
    *umpan_balik.urlpatterns,
    *notifikasi.urlpatterns,
    *catatan.urlpatterns,
    *excel.urlpatterns,
    *papan.urlpatterns,
    *iiaa.urlpatterns,
    *dialog.urlpatterns,
]
