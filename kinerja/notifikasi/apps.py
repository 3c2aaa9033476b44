from django.apps import AppConfig


class NotifikasiConfig(AppConfig):
    name = "kinerja.notifikasi"
    verbose_name = "Notifikasi"
