"""The working-calendar pages (see views.py), mounted under /kehadiran/."""

from django.urls import path

from kinerja.kehadiran.kalender import views

urlpatterns = [
    path("kalender/", views.kalender_kerja, name="kalender_kerja"),
    path("kalender/jadwal/", views.jadwal, name="kalender_jadwal"),
    path("kalender/jadwal/<int:pk>/hapus/", views.jadwal_hapus, name="kalender_jadwal_hapus"),
    path("kalender/varian/", views.varian, name="kalender_varian"),
    path("kalender/varian/<int:pk>/hapus/", views.varian_hapus, name="kalender_varian_hapus"),
    path("kalender/shift/", views.shift, name="kalender_shift"),
    path("kalender/shift/<int:pk>/hapus/", views.shift_hapus, name="kalender_shift_hapus"),
    path("kalender/shift/roster/", views.roster, name="kalender_roster"),
    path("kalender/libur/", views.libur, name="kalender_libur"),
    path("kalender/libur/isi/", views.libur_isi, name="kalender_libur_isi"),
    path("kalender/libur/diperiksa/", views.libur_diperiksa, name="kalender_libur_diperiksa"),
    path("kalender/libur/<int:pk>/hapus/", views.libur_hapus, name="kalender_libur_hapus"),
    path("kalender/pengaturan/", views.pengaturan, name="kalender_pengaturan"),
]
