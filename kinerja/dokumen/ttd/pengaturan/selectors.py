"""Reads of the admin's signing pages: the instansi's signers' certificates and the trusted roots
(docs/rules.md §29.2, §29.4)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from kinerja.dokumen.models import SertifikatTtd
from kinerja.dokumen.ttd import pdf


def sertifikat_instansi(instansi_id: int) -> QuerySet[SertifikatTtd]:
    """Every certificate of the instansi with its pegawai (one query, however many), active first, then
    by the pegawai's name; the PKCS#12 bytes are left out."""
    return (
        SertifikatTtd.objects.filter(instansi_id=instansi_id)
        .select_related("pengguna__pegawai")
        .defer("p12")
        .order_by("-aktif", "pengguna__pegawai__nama", "-berlaku_sampai", "pk")
    )


@dataclass(frozen=True)
class Akar:
    subjek: str
    berlaku_sampai: datetime.datetime
    kedaluwarsa: bool


def akar_terpasang() -> list[Akar]:
    """The trusted root certificates installed in ``TTD_AKAR_DIR`` (no query)."""
    sekarang = timezone.now()
    hasil = []
    for cert in pdf.akar_tepercaya():
        sampai = cert["tbs_certificate"]["validity"]["not_after"].native
        hasil.append(Akar(cert.subject.human_friendly, sampai, sampai <= sekarang))
    return hasil
