"""Workflow states and transitions of SKP and Perjanjian Kinerja (PermenPANRB 6/2022; docs/rules.md §10).

draft → diajukan (by the owner) → disetujui (by the penilai) or dikembalikan with a required note; the owner
edits a dikembalikan document and submits it again. A change after approval ("ajukan perubahan") opens
a new revision in draft; the approved version stays readable as a snapshot. Services enforce this table;
nothing else decides who may move a document where.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from kinerja.rules.types import LabeledEnum

__all__ = [
    "Aksi",
    "Peran",
    "Status",
    "TRANSISI",
    "Transisi",
    "TransisiDitolak",
    "aksi_tersedia",
    "dapat_diubah",
    "transisi",
]


class Status(LabeledEnum):
    DRAFT = "draft", "Draft"
    DIAJUKAN = "diajukan", "Diajukan"
    DIKEMBALIKAN = "dikembalikan", "Dikembalikan"
    DISETUJUI = "disetujui", "Disetujui"


class Aksi(LabeledEnum):
    AJUKAN = "ajukan", "Ajukan"
    TARIK = "tarik", "Tarik pengajuan"
    SETUJUI = "setujui", "Setujui"
    KEMBALIKAN = "kembalikan", "Kembalikan"
    AJUKAN_PERUBAHAN = "ajukan_perubahan", "Ajukan perubahan"


class Peran(LabeledEnum):
    """Who acts on the document: its owner (the pegawai / unit head) or its approver (the penilai)."""

    PEMILIK = "pemilik", "Pemilik"
    PENYETUJU = "penyetuju", "Pejabat penilai"


@dataclass(frozen=True)
class Transisi:
    dari: frozenset[Status]
    ke: Status
    oleh: Peran
    wajib_catatan: bool = False
    revisi_baru: bool = False


TRANSISI: Final[dict[Aksi, Transisi]] = {
    Aksi.AJUKAN: Transisi(frozenset({Status.DRAFT, Status.DIKEMBALIKAN}), Status.DIAJUKAN, Peran.PEMILIK),
    Aksi.TARIK: Transisi(frozenset({Status.DIAJUKAN}), Status.DRAFT, Peran.PEMILIK),
    Aksi.SETUJUI: Transisi(frozenset({Status.DIAJUKAN}), Status.DISETUJUI, Peran.PENYETUJU),
    Aksi.KEMBALIKAN: Transisi(
        frozenset({Status.DIAJUKAN}), Status.DIKEMBALIKAN, Peran.PENYETUJU, wajib_catatan=True
    ),
    Aksi.AJUKAN_PERUBAHAN: Transisi(
        frozenset({Status.DISETUJUI}), Status.DRAFT, Peran.PEMILIK, revisi_baru=True
    ),
}

#: States in which the owner may edit the content.
DAPAT_DIUBAH: Final = frozenset({Status.DRAFT, Status.DIKEMBALIKAN})


class TransisiDitolak(ValueError):
    """The action is not allowed here, by this role, or without its note (message in Indonesian)."""


def dapat_diubah(status: Status) -> bool:
    """Only a draft or a returned document can be edited (by its owner)."""
    return status in DAPAT_DIUBAH


def transisi(status: Status, aksi: Aksi, peran: Peran, catatan: str = "") -> Status:
    """The state after `aksi`; raises `TransisiDitolak` saying why when it is not allowed."""
    aturan = TRANSISI[aksi]
    if peran is not aturan.oleh:
        raise TransisiDitolak(f"{aksi.label} hanya dapat dilakukan oleh {aturan.oleh.label.lower()}.")
    if status not in aturan.dari:
        boleh = ", ".join(s.label.lower() for s in sorted(aturan.dari, key=list(Status).index))
        raise TransisiDitolak(
            f"{aksi.label} tidak dapat dilakukan pada dokumen berstatus {status.label.lower()} "
            f"(hanya dari status {boleh})."
        )
    if aturan.wajib_catatan and not catatan.strip():
        raise TransisiDitolak(
            f"{aksi.label} wajib disertai catatan yang menjelaskan apa yang harus diperbaiki."
        )
    return aturan.ke


def aksi_tersedia(status: Status, peran: Peran) -> list[Aksi]:
    """The actions `peran` may take on a document in `status`, in table order."""
    return [aksi for aksi, aturan in TRANSISI.items() if aturan.oleh is peran and status in aturan.dari]
