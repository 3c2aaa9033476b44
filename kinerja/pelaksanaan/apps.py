from django.apps import AppConfig


class PelaksanaanConfig(AppConfig):
    name = "kinerja.pelaksanaan"
    verbose_name = "Pelaksanaan dan pemantauan kinerja"
