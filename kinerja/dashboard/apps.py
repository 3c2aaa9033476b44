from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "kinerja.dashboard"
    verbose_name = "Beranda"
