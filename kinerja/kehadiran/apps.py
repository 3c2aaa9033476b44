from django.apps import AppConfig


class KehadiranConfig(AppConfig):
    name = "kinerja.kehadiran"
    verbose_name = "Kehadiran dan TPP"
