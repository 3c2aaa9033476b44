"""SKP pages, mounted at /skp/."""

from django.urls import path

from kinerja.perencanaan.skp import views as v

app_name = "skp"
urlpatterns = [
    path("", v.saya, name="saya"),
    path("buat/", v.buat, name="buat"),
    path("persetujuan/", v.persetujuan, name="persetujuan"),
    path("persetujuan/setujui/", v.setujui_massal, name="setujui_massal"),
    path("progres/", v.progres, name="progres"),
    path("progres/unit/<int:unit_id>/", v.progres_unit, name="progres_unit"),
    path("<int:pk>/", v.detail, name="detail"),
    path("<int:pk>/riwayat/", v.riwayat, name="riwayat"),
    path("<int:pk>/versi/<int:revisi>/", v.versi, name="versi"),
    path("<int:pk>/aksi/<str:aksi>/", v.aksi, name="aksi"),
    path("<int:pk>/salin-tahun-lalu/", v.salin, name="salin"),
    path("<int:pk>/isi-dari-atasan/", v.fill_atasan, name="isi_atasan"),
    path("<int:pk>/rhk/tambah/", v.rhk_tambah, name="rhk_tambah"),
    path("<int:pk>/rhk/<int:rhk_id>/", v.rhk_kartu, name="rhk_kartu"),
    path("<int:pk>/rhk/<int:rhk_id>/ubah/", v.rhk_ubah, name="rhk_ubah"),
    path("<int:pk>/rhk/<int:rhk_id>/hapus/", v.rhk_hapus, name="rhk_hapus"),
    path("<int:pk>/rhk/<int:rhk_id>/indikator/tambah/", v.indikator_tambah, name="indikator_tambah"),
    path("<int:pk>/indikator/<int:indikator_id>/ubah/", v.indikator_ubah, name="indikator_ubah"),
    path("<int:pk>/indikator/<int:indikator_id>/hapus/", v.indikator_hapus, name="indikator_hapus"),
    path("<int:pk>/lampiran/<str:jenis>/tambah/", v.lampiran_tambah, name="lampiran_tambah"),
    path("<int:pk>/lampiran/<int:lampiran_id>/hapus/", v.lampiran_hapus, name="lampiran_hapus"),
    path("<int:pk>/perilaku/<str:kode>/", v.ekspektasi, name="ekspektasi"),
]
