from django.urls import include, path

from kinerja.dokumen import views
from kinerja.dokumen.evaluasi import views as views_evaluasi
from kinerja.dokumen.keputusan import views as views_keputusan
from kinerja.dokumen.massal import views as views_massal
from kinerja.dokumen.ttd import views as views_ttd

app_name = "dokumen"
urlpatterns = [
    path("skp/<int:pk>/pdf/", views.skp_pdf, name="skp_pdf"),
    path("rencana/pk/<int:pk>/pdf/", views.pk_pdf, name="pk_pdf"),
    path("rencana/matriks/<int:unit_id>/pdf/", views.matriks_pdf, name="matriks_pdf"),
    path("rencana/matriks/<int:unit_id>/xlsx/", views.matriks_xlsx_view, name="matriks_xlsx"),
    # Before verifikasi/<token>/: "periksa" is a valid slug.
    path("verifikasi/periksa/", views.periksa_berkas, name="periksa_berkas"),
    path("verifikasi/<slug:token>/", views.verifikasi, name="verifikasi"),
    path("verifikasi/<slug:token>/berkas/", views.berkas_ttd, name="berkas_ttd"),
    path("penilaian/evaluasi/<int:pk>/pdf/", views_evaluasi.evaluasi_pdf, name="evaluasi_pdf"),
    path(
        "penilaian/evaluasi/<int:pk>/pdf/ringkas/",
        views_evaluasi.evaluasi_ringkas_pdf,
        name="evaluasi_ringkas_pdf",
    ),
    path("penilaian/kelompok/penetapan/pdf/", views_evaluasi.penetapan_pdf, name="penetapan_pdf"),
    path("penilaian/kelompok/penetapan/xlsx/", views_evaluasi.penetapan_xlsx_view, name="penetapan_xlsx"),
    path("dokumen/ttd/pengaturan/", include("kinerja.dokumen.ttd.pengaturan.urls")),
    path(
        "dokumen/keberatan/<int:pk>/keputusan/pdf/",
        views_keputusan.keputusan_pdf,
        name="keputusan_keberatan_pdf",
    ),
    path("dokumen/ttd/keberatan/<int:pk>/", views_keputusan.entri_ttd, name="ttd_keputusan_keberatan"),
    path("unit/<int:unit_id>/zip/", views_massal.arsip_unit, name="arsip_unit"),
    path("dokumen/ttd/skp/<int:pk>/", views_ttd.entri_skp, name="ttd_skp"),
    path("dokumen/ttd/evaluasi/<int:pk>/", views_ttd.entri_evaluasi, name="ttd_evaluasi"),
    path("dokumen/ttd/penetapan/", views_ttd.entri_penetapan, name="ttd_penetapan"),
    path("dokumen/ttd/<slug:token>/berkas/", views_ttd.berkas, name="ttd_berkas"),
    path("dokumen/ttd/<slug:token>/nomor/", views_ttd.nomor, name="ttd_nomor"),
    path("dokumen/ttd/<slug:token>/", views_ttd.halaman, name="ttd"),
]
