from django.apps import AppConfig


class OrganisasiConfig(AppConfig):
    name = "kinerja.organisasi"
    verbose_name = "Organisasi dan pegawai"

    def ready(self) -> None:
        from kinerja.common import checks  # noqa: F401  (registers the deployment checks)
        from kinerja.organisasi.keamanan import dua_langkah, masuk
        from kinerja.permissions import dokumen  # noqa: F401  (registers every permission rule)

        masuk.connect()
        dua_langkah.connect()
