from django.urls import path

from kinerja.perencanaan.rencana_organisasi import views

app_name = "rencana"
urlpatterns = [
    path("", views.index, name="index"),
    path("unit/<int:unit_id>/peta-strategi/", views.peta_strategi, name="peta_strategi"),
    path("unit/<int:unit_id>/sasaran/tambah/", views.sasaran_form, name="sasaran_create"),
    path("sasaran/<int:pk>/ubah/", views.sasaran_form, name="sasaran_edit"),
    path("unit/<int:unit_id>/manual/", views.manual_list, name="manual_list"),
    path("unit/<int:unit_id>/manual/tambah/", views.manual_form, name="manual_create"),
    path("manual/<int:pk>/", views.manual_detail, name="manual_detail"),
    path("manual/<int:pk>/ubah/", views.manual_form, name="manual_edit"),
    path("pk/", views.pk_list, name="pk_list"),
    path("pk/buat/", views.pk_create, name="pk_create"),
    path("pk/<int:pk>/", views.pk_detail, name="pk_detail"),
    path("pk/<int:pk>/aksi/", views.pk_aksi, name="pk_aksi"),
    path("pk/<int:pk>/baris/form/", views.pk_indikator_form, name="pk_indikator_form"),
    path("pk/<int:pk>/baris/tambah/", views.pk_indikator_add, name="pk_indikator_add"),
    path("pk/baris/<int:item_id>/hapus/", views.pk_indikator_delete, name="pk_indikator_delete"),
    path("pohon/", views.pohon, name="pohon"),
    path("matriks/", views.matriks_saya, name="matriks_saya"),
    path("matriks/<int:unit_id>/", views.matriks, name="matriks"),
]
