"""The instansi-certificate back-end: each signer's PKCS#12 held by the instansi (``SertifikatTtd``),
opened with the passphrase the signer types (docs/rules.md §29.2)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.utils import timezone

from kinerja.dokumen.models import SertifikatTtd
from kinerja.dokumen.ttd import pdf
from kinerja.dokumen.ttd.penyedia import GagalTtd, Hasil, Kredensial, Penanda, Permintaan


class PenyediaSertifikat:
    kode = "sertifikat"

    def __init__(self, instansi_id: int, tsa_url: str = ""):
        self.instansi_id = instansi_id
        self.tsa_url = tsa_url

    def _sertifikat(self, penanda: Penanda) -> SertifikatTtd:
        sert = (
            SertifikatTtd.objects.filter(
                instansi_id=self.instansi_id, pengguna_id=penanda.pengguna_id, aktif=True
            )
            .order_by("-berlaku_sampai", "-pk")
            .first()
        )
        if sert is None:
            raise GagalTtd(
                "Anda belum memiliki sertifikat elektronik di instansi ini. "
                "Minta admin kepegawaian mendaftarkan sertifikat Anda."
            )
        return sert

    def periksa_penanda(self, penanda: Penanda) -> None:
        sert = self._sertifikat(penanda)
        if sert.berlaku_sampai < timezone.now():
            sampai = timezone.localtime(sert.berlaku_sampai)
            raise GagalTtd(
                f"Sertifikat elektronik Anda kedaluwarsa sejak {sampai:%d-%m-%Y}. "
                "Minta sertifikat baru kepada admin kepegawaian."
            )

    def tanda_tangani(
        self, penanda: Penanda, kredensial: Kredensial, permintaan: Sequence[Permintaan]
    ) -> list[Hasil]:
        self.periksa_penanda(penanda)
        signer = pdf.muat_p12(bytes(self._sertifikat(penanda).p12), kredensial.passphrase)
        sekarang = datetime.datetime.now(datetime.UTC)
        return [
            pdf.tanda_tangani_p12(p.pdf, signer, p.field, p.alasan, p.lokasi, self.tsa_url, sekarang, p.kotak)
            for p in permintaan
        ]
