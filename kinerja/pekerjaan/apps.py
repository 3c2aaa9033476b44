from django.apps import AppConfig


class PekerjaanConfig(AppConfig):
    name = "kinerja.pekerjaan"
    verbose_name = "Pekerjaan latar"
