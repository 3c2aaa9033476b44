from django.apps import AppConfig


class KehadiranConfig(AppConfig):
    name = "kinerja.kehadiran"
    verbose_name = "Kehadiran dan TPP"

    def ready(self) -> None:
        from kinerja.kehadiran.tpp import receivers  # noqa: F401  (connects the TPP recomputation)
