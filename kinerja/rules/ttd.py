"""Who signs which document, in what order (docs/rules.md §29), as data.

Each kind of issued document has its signature slots (the blocks printed at its foot). A slot names the
role that signs it and the slots that must be signed first: the evaluation document is signed by the
pejabat penilai, then acknowledged by the pegawai; the SKP by the pegawai and the penilai in either order
(the regulation prints both blocks, the one who signs first does not matter); the penetapan by its
signatory; the keberatan decision by the atasan who decided it. Every signature is an incremental revision
over the previous one, so a later signer never invalidates an earlier one.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from kinerja.rules.types import LabeledEnum

__all__ = [
    "SLOT",
    "Peran",
    "Slot",
    "StatusTtd",
    "alasan_tidak_boleh",
    "menunggu",
    "slot",
    "status_ttd",
]


class Peran(LabeledEnum):
    PEGAWAI = "pegawai", "Pegawai yang dinilai"
    PENILAI = "penilai", "Pejabat Penilai Kinerja"
    ATASAN = "atasan", "Atasan Pejabat Penilai Kinerja"
    PENETAP = "penetap", "Pejabat yang menetapkan"


class StatusTtd(LabeledEnum):
    BELUM = "belum", "Belum ditandatangani"
    SEBAGIAN = "sebagian", "Sebagian ditandatangani"
    LENGKAP = "lengkap", "Ditandatangani lengkap"


@dataclass(frozen=True)
class Slot:
    peran: Peran
    #: What the signature means, shown in the signature box and as the PDF signature's reason.
    alasan: str
    #: Roles whose signature must already be on the document.
    setelah: tuple[Peran, ...] = ()


#: Document kind (``Dokumen.Jenis`` values) → its signature slots, in printing order.
SLOT: Final = MappingProxyType(
    {
        "skp": (
            Slot(Peran.PEGAWAI, "Menyetujui SKP sebagai pegawai yang dinilai"),
            Slot(Peran.PENILAI, "Menetapkan SKP sebagai Pejabat Penilai Kinerja"),
        ),
        "evaluasi_kinerja": (
            Slot(Peran.PENILAI, "Mengesahkan evaluasi kinerja sebagai Pejabat Penilai Kinerja"),
            Slot(Peran.PEGAWAI, "Telah menerima dan mengetahui hasil evaluasi", (Peran.PENILAI,)),
        ),
        "predikat_kinerja": (
            Slot(Peran.PENILAI, "Mengesahkan predikat kinerja sebagai Pejabat Penilai Kinerja"),
            Slot(Peran.PEGAWAI, "Telah menerima dan mengetahui predikat kinerja", (Peran.PENILAI,)),
        ),
        # The one-page summary is signed by the same people, in the same order, as the full form.
        "evaluasi_ringkas": (
            Slot(Peran.PENILAI, "Mengesahkan evaluasi kinerja sebagai Pejabat Penilai Kinerja"),
            Slot(Peran.PEGAWAI, "Telah menerima dan mengetahui hasil evaluasi", (Peran.PENILAI,)),
        ),
        "penetapan_predikat": (Slot(Peran.PENETAP, "Menetapkan predikat kinerja pegawai"),),
        "keputusan_keberatan": (Slot(Peran.ATASAN, "Memutus keberatan atas predikat kinerja"),),
    }
)


def slot(jenis: str, peran: Peran) -> Slot | None:
    """The slot of ``peran`` on a document of kind ``jenis``; None when that role does not sign it."""
    return next((s for s in SLOT.get(jenis, ()) if s.peran == peran), None)


def alasan_tidak_boleh(jenis: str, peran: Peran, sudah: Collection[Peran]) -> str | None:
    """Why ``peran`` may not sign now (Indonesian, for the signer), or None when it may.

    ``sudah`` holds the roles that have signed the document already."""
    s = slot(jenis, peran)
    if s is None:
        return "Dokumen jenis ini tidak ditandatangani oleh peran tersebut."
    if peran in sudah:
        return "Dokumen ini sudah Anda tandatangani."
    kurang = [p for p in s.setelah if p not in sudah]
    if kurang:
        return "Dokumen ini harus lebih dulu ditandatangani oleh " + ", ".join(p.label for p in kurang) + "."
    return None


def menunggu(jenis: str, sudah: Collection[Peran]) -> tuple[Peran, ...]:
    """The roles that may sign next, in printing order."""
    return tuple(s.peran for s in SLOT.get(jenis, ()) if alasan_tidak_boleh(jenis, s.peran, sudah) is None)


def status_ttd(jenis: str, sudah: Collection[Peran]) -> StatusTtd:
    slots = SLOT.get(jenis, ())
    ada = sum(1 for s in slots if s.peran in sudah)
    if ada == 0:
        return StatusTtd.BELUM
    return StatusTtd.LENGKAP if ada == len(slots) else StatusTtd.SEBAGIAN
