from django.apps import AppConfig


class DokumenConfig(AppConfig):
    name = "kinerja.dokumen"
    verbose_name = "Dokumen (PDF dan Excel)"

    def ready(self) -> None:
        # A keberatan (an earlier stage) asks for its documents by signal; the answers are made here.
        from kinerja.dokumen import keberatan
        from kinerja.dokumen.evaluasi import siasn
        from kinerja.tindak_lanjut import signals

        signals.dokumen_diajukan.connect(keberatan.saat_diajukan, dispatch_uid="dokumen.keberatan.diajukan")
        signals.dokumen_dikabulkan.connect(
            keberatan.saat_dikabulkan, dispatch_uid="dokumen.keberatan.dikabulkan"
        )
        signals.dokumen_siasn.connect(siasn.saat_dikirim, dispatch_uid="dokumen.evaluasi.siasn")

        # How the keberatan decision renders and who signs it (docs/rules.md §29.7).
        from kinerja.dokumen.keputusan import cetak as keputusan

        keputusan.daftarkan()

        from django.db.models.signals import post_delete, post_save

        from kinerja.dokumen.models import PengaturanTtd
        from kinerja.dokumen.ttd import receivers

        post_save.connect(receivers.pengaturan_berubah, sender=PengaturanTtd, dispatch_uid="dokumen.ttd.atur")
        post_delete.connect(
            receivers.pengaturan_berubah, sender=PengaturanTtd, dispatch_uid="dokumen.ttd.atur-"
        )
