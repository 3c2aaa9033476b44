from django.urls import path

from kinerja.organisasi import views, views_pengaturan, views_token
from kinerja.organisasi.impor import views as views_impor
from kinerja.organisasi.keamanan import views as views_keamanan
from kinerja.organisasi.keamanan import views_dua_langkah

app_name = "organisasi"
urlpatterns = [
    path("pilih-instansi/", views.select_instansi, name="pilih_instansi"),
    path("instansi/tambah/", views.instansi_create, name="instansi_create"),
    path("unit/", views.unit_tree, name="unit_tree"),
    path("unit/tambah/", views.unit_edit, name="unit_create"),
    path("unit/<int:pk>/ubah/", views.unit_edit, name="unit_edit"),
    path("unit/<int:pk>/anak/", views.unit_children, name="unit_children"),
    path("jabatan/", views.jabatan_list, name="jabatan_list"),
    path("jabatan/tambah/", views.jabatan_edit, name="jabatan_create"),
    path("jabatan/<int:pk>/ubah/", views.jabatan_edit, name="jabatan_edit"),
    path("pegawai/", views.pegawai_list, name="pegawai_list"),
    path("pegawai/tambah/", views.pegawai_edit, name="pegawai_create"),
    path("pegawai/<int:pk>/", views.pegawai_detail, name="pegawai_detail"),
    path("pegawai/<int:pk>/ubah/", views.pegawai_edit, name="pegawai_edit"),
    path("pegawai/<int:pk>/kata-sandi/", views.pegawai_set_password, name="pegawai_set_password"),
    path("pegawai/<int:pk>/keamanan/", views_keamanan.keamanan_pegawai, name="pegawai_keamanan"),
    path("pegawai/<int:pk>/buka-kunci/", views_keamanan.buka_kunci, name="pegawai_buka_kunci"),
    path("pegawai/<int:pk>/reset-dua-langkah/", views_dua_langkah.reset_pegawai, name="pegawai_reset_2fa"),
    path("pegawai/<int:pegawai_pk>/penempatan/tambah/", views.penempatan_edit, name="penempatan_create"),
    path("pegawai/<int:pegawai_pk>/penempatan/<int:pk>/ubah/", views.penempatan_edit, name="penempatan_edit"),
    path("periode/", views.periode_list, name="periode_list"),
    path("periode/tambah/", views.periode_create, name="periode_create"),
    path("periode/<int:pk>/", views.periode_detail, name="periode_detail"),
    path("pengaturan/", views_pengaturan.pengaturan, name="pengaturan"),
    path("impor/", views_impor.impor, name="impor"),
    path("impor/template.xlsx", views_impor.template_xlsx, name="impor_template"),
    path("impor/pekerjaan/<int:pk>/", views_impor.impor_pekerjaan, name="impor_pekerjaan"),
    path("impor/pekerjaan/<int:pk>/progres/", views_impor.impor_progres, name="impor_progres"),
    path("impor/<uuid:kode>/terapkan/", views_impor.import_terapkan, name="impor_terapkan"),
    path("impor/<uuid:kode>/batal/", views_impor.import_batal, name="impor_batal"),
    path("token/", views_token.token_list, name="token_list"),
    path("token/<int:pk>/cabut/", views_token.token_cabut, name="token_cabut"),
]
