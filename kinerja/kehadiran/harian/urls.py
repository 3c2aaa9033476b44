"""Pages of the pegawai's days, requests and boards, in the kehadiran namespace."""

from django.urls import path

from kinerja.kehadiran.harian import views

urlpatterns = [
    path("saya/", views.saya, name="saya"),
    path("pegawai/<int:pegawai_id>/", views.pegawai, name="pegawai"),
    path("pegawai/<int:pegawai_id>/pengajuan/", views.pengajuan, name="pengajuan"),
    path("ketidakhadiran/ajukan/", views.ajukan_absen, name="absen_ajukan"),
    path("ketidakhadiran/<int:pk>/batal/", views.batal_absen, name="absen_batal"),
    path("ketidakhadiran/<int:pk>/putuskan/", views.putuskan_absen, name="absen_putuskan"),
    path("ketidakhadiran/<int:pk>/bukti/", views.bukti_absen, name="absen_bukti"),
    path("koreksi/ajukan/", views.ajukan_koreksi, name="koreksi_ajukan"),
    path("koreksi/<int:pk>/batal/", views.batal_koreksi, name="koreksi_batal"),
    path("koreksi/<int:pk>/putuskan/", views.putuskan_koreksi, name="koreksi_putuskan"),
    path("koreksi/<int:pk>/bukti/", views.bukti_koreksi, name="koreksi_bukti"),
    path("tim/", views.tim, name="tim"),
    path("rekap/", views.rekap, name="rekap"),
    path("ringkasan/<int:pegawai_id>/", views.ringkasan, name="ringkasan"),
]
