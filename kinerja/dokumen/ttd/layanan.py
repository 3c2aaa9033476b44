"""The signer back-end of an instansi, from its settings (docs/rules.md §29.2)."""

from __future__ import annotations

from kinerja.common import cache
from kinerja.dokumen.models import PengaturanTtd
from kinerja.dokumen.ttd.bsre import PenyediaBsre
from kinerja.dokumen.ttd.lokal import PenyediaSertifikat
from kinerja.dokumen.ttd.penyedia import GagalTtd, Penyedia


def pengaturan(instansi_id: int) -> PengaturanTtd:
    """The instansi's settings (unsaved defaults, signing off, when it never set them)."""
    return PengaturanTtd.objects.filter(instansi_id=instansi_id).first() or PengaturanTtd(
        instansi_id=instansi_id
    )


def lingkup(instansi_id: int) -> str:
    """The cache scope of an instansi's signing settings (dropped by every save, `ttd/receivers.py`)."""
    return cache.scope("ttd", instansi_id)


def aktif(instansi_id: int) -> bool:
    """Whether the instansi signs electronically; cached, so the buttons on the SKP, evaluation, group and
    keberatan pages cost no query for an instansi that prints for a wet signature."""
    return cache.cached(
        "ttd-aktif",
        [lingkup(instansi_id)],
        lambda: (
            PengaturanTtd.objects.filter(instansi_id=instansi_id)
            .exclude(penyedia=PengaturanTtd.Penyedia.NONAKTIF)
            .exists()
        ),
    )


def penyedia_untuk(atur: PengaturanTtd) -> Penyedia:
    """The back-end the settings choose; GagalTtd when electronic signing is off for the instansi."""
    if atur.penyedia == PengaturanTtd.Penyedia.SERTIFIKAT:
        return PenyediaSertifikat(atur.instansi_id, atur.tsa_url)
    if atur.penyedia == PengaturanTtd.Penyedia.BSRE:
        return PenyediaBsre(atur)
    raise GagalTtd("Tanda tangan elektronik belum diaktifkan oleh admin kepegawaian instansi ini.")
