from django.apps import AppConfig


class TindakLanjutConfig(AppConfig):
    name = "kinerja.tindak_lanjut"
    verbose_name = "Tindak lanjut evaluasi kinerja"
