"""Issuing the keberatan decision document: one `Dokumen` row per content (docs/rules.md §29.7)."""

from __future__ import annotations

from django.db import transaction

from kinerja.dokumen.models import Dokumen
from kinerja.dokumen.selectors import Isi
from kinerja.dokumen.services import _terbitkan
from kinerja.organisasi.models import User
from kinerja.tindak_lanjut.models import Keberatan


@transaction.atomic
def issue_keputusan(keberatan: Keberatan, isi: Isi, oleh: User | None) -> Dokumen:
    """The decision is final, so its content never changes: issuing it again returns the same row (the
    same QR code, and the signatures already on it)."""
    pegawai = isi.data["pegawai"]
    return _terbitkan(
        jenis=Dokumen.Jenis.KEPUTUSAN_KEBERATAN,
        objek=keberatan,
        tahun=isi.data["tahun"],
        isi=isi,
        revisi=isi.revisi,
        pegawai_nama=pegawai["nama"],
        pegawai_nip=pegawai["nip"],
        unit_nama=pegawai["unit"],
        oleh=oleh,
    )
