from django.apps import AppConfig


class KehadiranConfig(AppConfig):
    name = "kinerja.kehadiran"
    verbose_name = "Kehadiran dan TPP"

    def ready(self) -> None:
        from kinerja.kehadiran import receivers  # noqa: F401  (drops the cached calendar)
        from kinerja.kehadiran.tpp import receivers as tpp_receivers  # noqa: F401  (the TPP recomputation)
