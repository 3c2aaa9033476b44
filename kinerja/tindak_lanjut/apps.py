from django.apps import AppConfig


class TindakLanjutConfig(AppConfig):
    name = "kinerja.tindak_lanjut"
    verbose_name = "Tindak lanjut evaluasi kinerja"

    def ready(self) -> None:
        # A final evaluation (an earlier stage) is announced by signal; its SIASN send is queued here.
        from kinerja.penilaian import signals
        from kinerja.tindak_lanjut.siasn.kirim import penerima

        signals.evaluasi_final.connect(penerima.saat_final, dispatch_uid="tindak_lanjut.siasn.final")
