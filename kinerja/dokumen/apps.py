from django.apps import AppConfig


class DokumenConfig(AppConfig):
    name = "kinerja.dokumen"
    verbose_name = "Dokumen (PDF dan Excel)"
