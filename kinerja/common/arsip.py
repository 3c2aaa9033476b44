"""Bounds on a ZIP archive read from its central directory, before any member is decompressed.

Office files (xlsx, docx, pptx, odt) are ZIP archives; a few hundred KB can declare members of hundreds of MB
(a "zip bomb"). Python's `zipfile` never returns more than a member's declared size (a member that inflates
beyond it fails its CRC check), so checking the declared sizes here bounds what any later reader unpacks.
See docs/rules.md §23.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass

MB = 1024 * 1024
# declared uncompressed / compressed of a member bigger than 1 MB: office files stay far below it, a zip bomb
# is in the thousands (bukti dukung and uploaded spreadsheets)
RASIO_WAJAR = 200


@dataclass(frozen=True)
class BatasArsip:
    anggota: int  # number of members
    isi: int  # total declared uncompressed size, bytes
    rasio: int  # declared uncompressed / compressed, checked for members bigger than `rasio_dari`
    per_anggota: int | None = None  # declared uncompressed size of one member, bytes
    rasio_dari: int = MB


class ArsipTidakWajar(Exception):
    """The archive breaks a bound; `jenis` is "anggota", "rasio", "per_anggota" or "isi"."""

    def __init__(self, jenis: str, nama: str = "", ukuran: int = 0, batas: int = 0) -> None:
        super().__init__(jenis)
        self.jenis, self.nama, self.ukuran, self.batas = jenis, nama, ukuran, batas


def check_arsip(z: zipfile.ZipFile, batas: BatasArsip) -> None:
    """Raise `ArsipTidakWajar` when the archive declares more than `batas` allows."""
    infos = z.infolist()
    if len(infos) > batas.anggota:
        raise ArsipTidakWajar("anggota", ukuran=len(infos), batas=batas.anggota)
    total = 0
    for info in infos:
        total += info.file_size
        if batas.per_anggota is not None and info.file_size > batas.per_anggota:
            raise ArsipTidakWajar("per_anggota", info.filename, info.file_size, batas.per_anggota)
        if info.file_size > batas.rasio_dari and info.file_size > batas.rasio * max(info.compress_size, 1):
            raise ArsipTidakWajar("rasio", info.filename, info.file_size, batas.rasio)
    if total > batas.isi:
        raise ArsipTidakWajar("isi", ukuran=total, batas=batas.isi)
