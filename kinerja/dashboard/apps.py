from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "kinerja.dashboard"
    verbose_name = "Beranda"

    def ready(self) -> None:
        from kinerja.dashboard import invalidasi

        invalidasi.connect()
