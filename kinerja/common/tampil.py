"""Display forms shared by pages, documents and sheets (dates: `kinerja.common.tanggal`)."""

from __future__ import annotations

from kinerja.rules.nip import format_nip


def nip_tampil(nip: str) -> str:
    """ "19850315 201001 2 001"; a stored number of another shape shows as it is."""
    try:
        return format_nip(nip)
    except ValueError:
        return nip
